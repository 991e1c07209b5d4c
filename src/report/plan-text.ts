import { tasksInOrder, type PlanAnalysis } from "../plan/analyze.js";
import type { ConflictReport, Plan } from "../plan/types.js";
import type { TaskRecord } from "../store/types.js";
import { hours, money, oneLine } from "./text.js";
import { styles } from "./style.js";


/** The summary `shipgate plan check` prints. */
export function renderPlanCheck(plan: Plan, analysis: PlanAnalysis, source: { file: string; hash: string }, options: { color: boolean }): string {
  const s = styles(options.color);
  const t = analysis.timing;
  const chain = t.critical.length > 8 ? [...t.critical.slice(0, 4), "…", ...t.critical.slice(-3)] : t.critical;
  const c = analysis.conflicts;
  const out = [
    s.bold(`Plan ${plan.project ?? "(unnamed)"}`) + s.dim(`  ${source.file}, sha256 ${source.hash.slice(0, 12)}`),
    `  ${plan.tasks.length} tasks in ${plan.phases.length} phases, ${plan.agents.length} agents, ${plan.risks.length} risks, ${plan.milestones.length} milestones`,
    `  critical path: ${chain.join(" → ")} (${t.critical.length} tasks)`,
    `  duration: expected ${hours(t.project.expected)} of work on the critical path · P80 ${hours(t.project.p80)} · P95 ${hours(t.project.p95)}`,
    `  schedule (one task at a time per agent, capacity per day): ${analysis.schedule.start} → ${analysis.schedule.end}`,
    `  cost: ${money(analysis.cost.project.cost)} for ${hours(analysis.cost.project.hours)} expected`,
    `  conflicts: ${c.summary.overlapping}/${c.summary.files} files have overlap${c.conflicts.length ? s.red(` — ${c.conflicts.length} conflict(s), see \`shipgate plan conflicts\``) : ""}`,
  ];
  return out.join("\n");
}

/** `shipgate plan show`: one row per task, in the plan order, with its numbers and, when known, its state. */
export function renderPlanShow(plan: Plan, analysis: PlanAnalysis, states: Map<string, TaskRecord>, options: { color: boolean; limit?: number }): string {
  const s = styles(options.color);
  const timing = new Map(analysis.timing.tasks.map((t) => [t.id, t]));
  const sched = new Map(analysis.schedule.tasks.map((t) => [t.id, t]));
  const rows = [["task", "phase", "owner", "prio", "expected", "σ", "slack", "start", "end", "cost", "state"]];
  const limit = options.limit ?? plan.tasks.length;
  for (const task of tasksInOrder(plan, analysis.order).slice(0, limit)) {
    const t = timing.get(task.id);
    const d = sched.get(task.id);
    rows.push([
      task.id,
      task.phase,
      task.owner,
      task.priority,
      t ? hours(t.expected) : "",
      t ? String(t.sigma) : "",
      t ? (t.critical ? "critical" : hours(t.slack)) : "",
      d?.startDate ?? "",
      d?.endDate ?? "",
      money(analysis.cost.tasks[task.id]?.cost ?? null),
      states.get(task.id)?.state ?? "—",
    ]);
  }
  const widths = (rows[0] as string[]).map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const lines = rows.map((r, n) => {
    const line = r.map((cell, i) => cell.padEnd(widths[i] as number)).join("  ").trimEnd();
    return n === 0 ? s.bold(line) : line;
  });
  if (plan.tasks.length > limit) lines.push(s.dim(`… ${plan.tasks.length - limit} more tasks (--json for all)`));
  return lines.join("\n");
}

/** The conflict matrix per phase and the list of conflicts. */
export function renderConflicts(report: ConflictReport, options: { color: boolean }): string {
  const s = styles(options.color);
  const out: string[] = [];
  for (const [phase, m] of Object.entries(report.matrix)) {
    if (m.files.length === 0) continue;
    out.push(s.bold(`Phase ${phase}`));
    const width = Math.max(4, ...m.files.map((f) => f.length));
    out.push(`  ${"file".padEnd(width)}  ${m.agents.map((a) => a.padEnd(Math.max(3, a.length))).join("  ")}`);
    for (const file of m.files) {
      const cells = m.agents.map((a) => {
        const v = m.cells[file]?.[a] ?? ".";
        const text = v.padEnd(Math.max(3, a.length));
        return v.endsWith("!") ? s.red(text) : text;
      });
      out.push(`  ${oneLine(file).padEnd(width)}  ${cells.join("  ")}`);
    }
    const omitted = (m as { omitted?: number }).omitted ?? 0;
    if (omitted > 0) out.push(s.dim(`  … ${omitted} more file(s) in this phase (--json for all conflicts)`));
    out.push("");
  }
  for (const c of report.conflicts) {
    const what = c.kind === "write-write" ? "both write" : `${c.b.task} reads what ${c.a.task} writes`;
    out.push(`${s.red("✗")} ${c.a.task} (${c.a.owner}, ${c.a.pattern}) × ${c.b.task} (${c.b.owner}, ${c.b.pattern}): ${what}, e.g. ${c.example} — they can run at the same time`);
  }
  out.push(
    `${report.truncated ? "at least " : ""}${report.summary.overlapping}/${report.summary.files} files have overlap${report.conflicts.length ? `; ${report.truncated ? "at least " : ""}${report.conflicts.length} conflict(s) between parallel tasks of different agents${report.truncated ? " (listing stopped there: too many tasks share the same files to list them all)" : ""}` : ""}`,
  );
  return out.join("\n");
}
