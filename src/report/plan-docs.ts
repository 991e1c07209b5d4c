import { tasksInOrder, type PlanAnalysis } from "../plan/analyze.js";
import { globsOverlap } from "../plan/glob-overlap.js";
import { ganttChart, MERMAID_MAX_TASKS } from "../plan/gantt.js";
import { phaseOrder } from "../plan/order.js";
import type { Plan, PlanAgent, PlanTask } from "../plan/types.js";
import type { Tracker } from "../track/model.js";
import type { TaskRecord, TaskRun } from "../store/types.js";
import { renderGanttMermaid } from "./plan-gantt-mermaid.js";
import { durationText, leaseText } from "./runs.js";
import { codeSpan, hours, mdEscape, money } from "./text.js";

const stateOf = (states: Map<string, TaskRecord>, id: string) => states.get(id)?.state ?? "pending";
const STATE_MARK: Record<string, string> = { done: "✅", in_progress: "🔄", failed: "❌", blocked: "⛔", pending: "⬜" };

/** How a document names an agent's kind: "a person", "a command-line agent", "a script agent". */
export function agentKindPhrase(agent: Pick<PlanAgent, "kind">): string {
  return agent.kind === "human" ? "a person" : `${agent.kind === "cli" ? "a command-line" : "a script"} agent`;
}

/** A commit message in the plan's convention for `task` (its title as the summary). */
export function commitExample(convention: string, task: Pick<PlanTask, "id" | "title">): string {
  return convention.replace("{task}", task.id).replace("{summary}", task.title);
}

/** Who may change which files, for the handoff and the brief. */
export interface FileOwnership {
  /** Each pattern the `own` tasks change, with their ids. */
  own: Map<string, string[]>;
  /** Each pattern the other tasks change, with "owner (task)" labels. */
  foreign: Map<string, Set<string>>;
  /** The own patterns that overlap a foreign one, with the labels of the tasks they are shared with. */
  shared: Map<string, string[]>;
}

export function fileOwnership(own: readonly PlanTask[], others: readonly PlanTask[]): FileOwnership {
  const ownFiles = new Map<string, string[]>();
  for (const task of own) for (const f of task.files) ownFiles.set(f, [...(ownFiles.get(f) ?? []), task.id]);
  const foreign = new Map<string, Set<string>>();
  for (const task of others) {
    for (const f of task.files) {
      const owners = foreign.get(f) ?? new Set<string>();
      owners.add(`${task.owner} (${task.id})`);
      foreign.set(f, owners);
    }
  }
  // A file that is also yours is shared: say so instead of forbidding it (or dropping it).
  const shared = new Map<string, string[]>();
  for (const pattern of ownFiles.keys()) {
    for (const [file, owners] of foreign) if (globsOverlap(pattern, file) !== null) shared.set(pattern, [...(shared.get(pattern) ?? []), ...owners]);
  }
  return { own: ownFiles, foreign, shared };
}

export interface PlanDocInput {
  plan: Plan;
  analysis: PlanAnalysis;
  /** Stored task states, by id (empty when the plan was never imported). */
  states: Map<string, TaskRecord>;
  /** The plan file as the documents name it. */
  planFile: string;
  today: string;
  /**
   * Each task's runs (attempts), oldest first (`runsByTask`). Absent or empty: no run was recorded, and the documents
   * read exactly as without it.
   */
  runs?: Map<string, TaskRun[]>;
  /** When the documents are generated (ISO 8601): the ages of running runs' heartbeats and leases are measured from it. */
  now?: string;
  /** The tracker of the day (`plan status` shows its headline); absent: no tracker section. */
  tracker?: Tracker;
}

/** The runs of a store (`listRuns`, start order) by task, each task's oldest first. */
export function runsByTask(runs: TaskRun[]): Map<string, TaskRun[]> {
  const out = new Map<string, TaskRun[]>();
  for (const run of runs) {
    const list = out.get(run.taskId);
    if (list) list.push(run);
    else out.set(run.taskId, [run]);
  }
  return out;
}

/** Outcomes that count as a failed attempt (a cancelled one was stopped on purpose). */
const FAILED = new Set(["failed", "error", "timeout", "lost"]);
const lastFailed = (runs: TaskRun[] | undefined): TaskRun | undefined => runs?.findLast((r) => r.outcome !== null && FAILED.has(r.outcome));

/** "attempt 2 of 3" (the task's attempts against its maximum), "attempt 2" when it has no maximum. */
const attemptText = (n: number, task: TaskRecord | undefined): string => `attempt ${n}${task?.maxAttempts ? ` of ${task.maxAttempts}` : ""}`;
/** The task's latest attempt (a start by hand counts too, without a run). */
const latestAttempt = (task: TaskRecord | undefined, run: TaskRun): string => attemptText(Math.max(task?.attempts ?? 0, run.attempt), task);

/** How a run ended, in one phrase: "failed (exit 1)", "timeout", "lost". */
const outcomeText = (run: TaskRun): string => `${run.outcome ?? "running"}${run.exitCode !== null && run.outcome !== "done" ? ` (exit ${run.exitCode})` : ""}`;

const ago = (from: string, now: string): string => `${durationText(Date.parse(now) - Date.parse(from))} ago`;

/**
 * The status document's runs: tasks running now (agent, attempt, heartbeat and lease ages) and, for every other task
 * with runs, its attempt, how its last run ended and why. Empty when no task has a run.
 */
function runsSection(input: PlanDocInput, ordered: PlanTask[]): string[] {
  const runs = input.runs;
  if (!runs || runs.size === 0) return [];
  const now = input.now ?? `${input.today}T00:00:00.000Z`;
  const withRuns = ordered.filter((t) => (runs.get(t.id)?.length ?? 0) > 0);
  if (withRuns.length === 0) return [];
  const latest = (id: string) => runs.get(id)?.at(-1) as TaskRun;
  const running = withRuns.filter((t) => latest(t.id).endedAt === null);
  const ended = withRuns.filter((t) => latest(t.id).endedAt !== null);
  const out: string[] = ["## Runs", ""];
  if (running.length > 0) {
    out.push("Running now:", "", "| Task | Agent | Attempt | Started | Heartbeat | Lease |", "| --- | --- | --- | --- | --- | --- |");
    for (const task of running.slice(0, 100)) {
      const run = latest(task.id);
      out.push(`| ${task.id} ${mdEscape(task.title)} | ${mdEscape(run.agent)} | ${latestAttempt(input.states.get(task.id), run)} (run ${run.id}) | ${ago(run.startedAt, now)} | ${ago(run.heartbeatAt, now)} | ${leaseText(run, now)} |`);
    }
    if (running.length > 100) out.push(`| … ${running.length - 100} more | | | | | |`);
    out.push("");
  }
  if (ended.length > 0) {
    out.push("Attempts:", "", "| | Task | Attempt | Last run | Why |", "| --- | --- | --- | --- | --- |");
    for (const task of ended.slice(0, 100)) {
      const run = latest(task.id);
      const record = input.states.get(task.id);
      // A task the runs gave up on carries the reason ("3 attempts failed: acceptance exited 1"); else the run's own note.
      const why = (record?.state === "blocked" || record?.state === "failed") && record.note ? record.note : (run.note ?? "");
      out.push(`| ${STATE_MARK[stateOf(input.states, task.id)] ?? ""} | ${task.id} ${mdEscape(task.title)} | ${latestAttempt(record, run)} | run ${run.id} by ${mdEscape(run.agent)}: ${outcomeText(run)} | ${mdEscape(why)} |`);
    }
    if (ended.length > 100) out.push(`| | … ${ended.length - 100} more | | | |`);
    out.push("");
  }
  return out;
}


/** `shipgate plan handoff AGENT`: everything one agent needs to work without colliding with the others. */
export function renderHandoff(agentId: string, input: PlanDocInput): string {
  const { plan, analysis, states } = input;
  const agent = plan.agents.find((a) => a.id === agentId);
  if (!agent) throw new Error(`no agent ${agentId}`);
  const ordered = tasksInOrder(plan, analysis.order);
  const mine = ordered.filter((t) => t.owner === agentId);
  const tasksById = new Map(plan.tasks.map((t) => [t.id, t]));
  const timing = new Map(analysis.timing.tasks.map((t) => [t.id, t]));
  const sched = new Map(analysis.schedule.tasks.map((t) => [t.id, t]));
  const myDates = mine.map((t) => sched.get(t.id)).filter((d) => d !== undefined);
  const first = myDates.map((d) => d.startDate).sort()[0];
  const last = myDates.map((d) => d.endDate).sort().at(-1);
  const cost = analysis.cost.agents[agentId];
  const out: string[] = [];

  out.push(`# Handoff: ${agentId} — ${plan.project ?? "plan"}`, "");
  out.push(`Generated by \`shipgate plan handoff ${agentId}\` from \`${input.planFile}\` on ${input.today}. Do not edit: change the plan and generate it again.`, "");
  out.push("## Your role", "");
  out.push(`- **${agentId}**, ${agentKindPhrase(agent)}${agent.command ? ` run as ${codeSpan(agent.command)}` : ""}`);
  out.push(`- ${mine.length} task(s), ${hours(cost?.hours ?? 0)} expected${cost?.cost !== null && cost?.cost !== undefined ? `, cost ${money(cost.cost)}` : ""}; capacity ${agent.capacity} h/day`);
  if (first && last) out.push(`- Scheduled from **${first}** to **${last}** (one task at a time, dependencies respected)`);
  out.push("");

  out.push("## Your tasks, in order", "", `The plan order: each task after the tasks it waits for, then by phase, priority and slack. \`shipgate task next --agent ${agentId}\` offers the first of them whose prerequisites are done.`, "");
  if (mine.length === 0) out.push("None.", "");
  for (const task of mine) {
    const t = timing.get(task.id);
    const d = sched.get(task.id);
    out.push(`### ${task.id} — ${mdEscape(task.title)}`, "");
    out.push(`- ${task.priority}, phase ${task.phase}, state **${stateOf(states, task.id)}**`);
    if (t) out.push(`- Estimate: ${hours(t.expected)} expected (${task.estimate.optimistic}/${task.estimate.likely}/${task.estimate.pessimistic} h), ${t.critical ? "**on the critical path** — a delay here delays the project" : `slack ${hours(t.slack)}`}`);
    if (d) out.push(`- Scheduled: ${d.startDate} → ${d.endDate}`);
    if (task.dependsOn.length) out.push(`- After: ${task.dependsOn.map((id) => `${id} (${tasksById.get(id)?.owner ?? "?"}, ${stateOf(states, id)})`).join(", ")}`);
    if (task.files.length) out.push(`- Changes: ${task.files.map(codeSpan).join(", ")}`);
    if (task.reads.length) out.push(`- Reads only: ${task.reads.map(codeSpan).join(", ")}`);
    for (const deliverable of task.deliverables) out.push(`- Deliverable: ${mdEscape(deliverable)}`);
    out.push(`- Done when: ${task.acceptance ? `${codeSpan(task.acceptance)} passes (\`shipgate task done ${task.id}\` runs it)` : `the deliverables exist and \`shipgate task done ${task.id}\` is recorded`}`);
    const runs = input.runs?.get(task.id);
    const latest = runs?.at(-1);
    if (runs && latest) out.push(`- Runs: ${runs.length}; the latest is run ${latest.id}, ${attemptText(latest.attempt, states.get(task.id))}, ${outcomeText(latest)} (\`shipgate task runs ${task.id}\`)`);
    const failed = stateOf(states, task.id) === "done" ? undefined : lastFailed(runs);
    if (failed) {
      out.push(`- Last failed attempt: ${attemptText(failed.attempt, states.get(task.id))}, run ${failed.id} ${outcomeText(failed)}${failed.note ? `: ${mdEscape(failed.note)}` : ""} (\`shipgate task log ${failed.id}\` prints its output)`);
    }
    out.push("");
  }

  const { own: ownFiles, foreign, shared } = fileOwnership(mine, plan.tasks.filter((t) => t.owner !== agentId));
  out.push("## Files you own", "");
  if (ownFiles.size === 0) out.push("None: your tasks change no files.");
  for (const [file, ids] of [...ownFiles].sort()) {
    const others = shared.get(file);
    out.push(`- ${codeSpan(file)} — ${ids.join(", ")}${others ? `; shared with ${[...new Set(others)].join(", ")}: change it only when their task is done or before it starts, as the dependencies say` : ""}`);
  }
  out.push("");

  out.push("## Files you must not modify", "", "Owned by other agents' tasks; change them only through their owner.", "");
  if (foreign.size === 0) out.push("None.");
  for (const [file, owners] of [...foreign].filter(([f]) => !ownFiles.has(f)).sort((a, b) => a[0].localeCompare(b[0])).slice(0, 200)) out.push(`- ${codeSpan(file)} — ${[...owners].join(", ")}`);
  if (foreign.size > 200) out.push(`- … and ${foreign.size - 200} more (\`shipgate plan conflicts\`)`);
  out.push("");

  // Each prerequisite once: direct dependencies, and the tasks of the phases a task's phase waits for.
  const phaseWaits = new Map<string, Set<string>>();
  for (const phase of plan.phases) {
    const seen = new Set<string>();
    const stack = [...phase.dependsOn];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(plan.phases.find((p) => p.id === next)?.dependsOn ?? []));
    }
    phaseWaits.set(phase.id, seen);
  }
  const waits = new Map<string, { dep: PlanTask; for: Set<string>; byPhase: boolean }>();
  const phasedOf = new Map<string, PlanTask[]>();
  for (const phase of new Set(mine.map((t) => t.phase))) {
    const before = phaseWaits.get(phase) ?? new Set<string>();
    phasedOf.set(phase, before.size === 0 ? [] : ordered.filter((t) => before.has(t.phase) && t.owner !== agentId));
  }
  for (const task of mine) {
    const direct = task.dependsOn.map((id) => tasksById.get(id)).filter((d): d is PlanTask => d !== undefined);
    const phased = phasedOf.get(task.phase) ?? [];
    for (const dep of [...direct, ...phased]) {
      if (dep.owner === agentId) continue;
      const entry = waits.get(dep.id) ?? { dep, for: new Set<string>(), byPhase: !direct.includes(dep) };
      entry.for.add(task.id);
      if (direct.includes(dep)) entry.byPhase = false;
      waits.set(dep.id, entry);
    }
  }
  out.push("## What to wait for", "");
  if (waits.size === 0) out.push("Nothing from other agents.");
  const position = new Map(analysis.order.map((id, i) => [id, i]));
  const waitList = [...waits.values()].sort((a, b) => (position.get(a.dep.id) ?? Infinity) - (position.get(b.dep.id) ?? Infinity));
  for (const { dep, for: before, byPhase } of waitList.slice(0, 200)) {
    const readyWhen = [...before].map((id) => tasksById.get(id)?.readyWhen).find((c) => c);
    const check = readyWhen
      ? `You'll know it is ready when this passes: ${codeSpan(readyWhen)}`
      : `You'll know it is ready when \`shipgate task list\` shows ${dep.id} done (\`shipgate task next --agent ${agentId}\` offers your task then).`;
    out.push(`- **${dep.id}** (${dep.owner}: ${mdEscape(dep.title)}, now ${stateOf(states, dep.id)}) before ${[...before].join(", ")}${byPhase ? ` (its phase ${dep.phase} must be finished first)` : ""}. ${check}`);
  }
  if (waits.size > 200) out.push(`- … and ${waits.size - 200} more`);
  out.push("");

  out.push("## Validation checklist", "");
  for (const task of mine) if (task.acceptance) out.push(`- [ ] ${task.id}: ${codeSpan(task.acceptance)}`);
  out.push(`- [ ] Only your files changed: \`shipgate plan conflicts --git <base>\` lists no violation for ${agentId}`);
  out.push(`- [ ] Each task recorded: \`shipgate task done <ID> --agent ${agentId}\``, "");

  out.push("## Commit messages", "");
  const example = mine[0];
  out.push(`${codeSpan(plan.commitConvention)}${example ? `, e.g. ${codeSpan(commitExample(plan.commitConvention, example))}` : ""}`, "");

  out.push("## Success criteria", "");
  out.push(`- All ${mine.length} task(s) above done, each acceptance command passing.`);
  for (const m of plan.milestones) out.push(`- Milestone ${m.id} by ${m.date}: ${m.criteria.map(codeSpan).join(", ")}`);
  return `${out.join("\n")}\n`;
}

/** `shipgate plan status`: the coordination document — progress, tracks, conflicts, deliverables, risks, timeline. */
export function renderStatus(input: PlanDocInput): string {
  const { plan, analysis, states } = input;
  const timing = new Map(analysis.timing.tasks.map((t) => [t.id, t]));
  const sched = new Map(analysis.schedule.tasks.map((t) => [t.id, t]));
  const expected = (id: string) => timing.get(id)?.expected ?? 0;
  const count = (state: string) => plan.tasks.filter((t) => stateOf(states, t.id) === state).length;
  const totalHours = plan.tasks.reduce((s, t) => s + expected(t.id), 0);
  const doneHours = plan.tasks.filter((t) => stateOf(states, t.id) === "done").reduce((s, t) => s + expected(t.id), 0);
  const pct = (a: number, b: number) => (b === 0 ? 0 : Math.round((a / b) * 100));
  const bar = (p: number) => `${"█".repeat(Math.round(p / 10))}${"░".repeat(10 - Math.round(p / 10))}`;
  const ordered = tasksInOrder(plan, analysis.order);
  const out: string[] = [];

  out.push(`# Status: ${plan.project ?? "plan"} — ${input.today}`, "");
  out.push(`Generated by \`shipgate plan status\` from \`${input.planFile}\` and the stored task states. Do not edit.`, "");
  out.push(
    `**${count("done")}/${plan.tasks.length} tasks done** (${pct(doneHours, totalHours)} % of ${hours(totalHours)} expected) · ${count("in_progress")} in progress · ${count("blocked")} blocked · ${count("failed")} failed · ${count("pending")} pending`,
    "",
    `Schedule ${analysis.schedule.start} → ${analysis.schedule.end}; critical path ${hours(analysis.timing.project.expected)} expected (P80 ${hours(analysis.timing.project.p80)}, P95 ${hours(analysis.timing.project.p95)}): ${analysis.timing.critical.slice(0, 12).join(" → ")}${analysis.timing.critical.length > 12 ? " → …" : ""}`,
    "",
  );
  if (input.tracker) out.push(...trackerHeadline(input.tracker));
  out.push(...runsSection(input, ordered));

  out.push("## Phases", "", "| Phase | Tasks done | Hours done | Progress | Dates |", "| --- | --- | --- | --- | --- |");
  const phaseRank = phaseOrder(plan);
  for (const phase of [...plan.phases].sort((a, b) => (phaseRank.get(a.id) ?? 0) - (phaseRank.get(b.id) ?? 0))) {
    const tasks = ordered.filter((t) => t.phase === phase.id);
    const done = tasks.filter((t) => stateOf(states, t.id) === "done");
    const h = tasks.reduce((s, t) => s + expected(t.id), 0);
    const hd = done.reduce((s, t) => s + expected(t.id), 0);
    const dates = tasks.map((t) => sched.get(t.id)).filter((d) => d !== undefined);
    const from = dates.map((d) => d.startDate).sort()[0] ?? "";
    const to = dates.map((d) => d.endDate).sort().at(-1) ?? "";
    out.push(`| ${mdEscape(phase.name)} (${phase.id}) | ${done.length}/${tasks.length} | ${hours(hd)} / ${hours(h)} | ${bar(pct(hd, h))} ${pct(hd, h)} % | ${from} → ${to} |`);
  }
  out.push("");

  out.push("## Tracks", "");
  for (const agent of plan.agents) {
    const tasks = ordered.filter((t) => t.owner === agent.id);
    if (tasks.length === 0) continue;
    out.push(`### ${agent.id} (${agent.kind})`, "", "| | Task | Dates | Expected |", "| --- | --- | --- | --- |");
    for (const task of tasks.slice(0, 100)) {
      const d = sched.get(task.id);
      out.push(`| ${STATE_MARK[stateOf(states, task.id)] ?? ""} | ${task.id} ${mdEscape(task.title)}${timing.get(task.id)?.critical ? " **(critical)**" : ""} | ${d ? `${d.startDate} → ${d.endDate}` : ""} | ${hours(expected(task.id))} |`);
    }
    if (tasks.length > 100) out.push(`| | … ${tasks.length - 100} more | | |`);
    out.push("");
  }

  const c = analysis.conflicts;
  out.push("## File ownership", "", `${c.summary.overlapping}/${c.summary.files} files have overlap.`, "");
  for (const conflict of c.conflicts.slice(0, 50)) {
    out.push(
      conflict.kind === "write-write"
        ? `- ❌ ${conflict.a.task} (${conflict.a.owner}) and ${conflict.b.task} (${conflict.b.owner}) both write ${codeSpan(conflict.example)} and can run at the same time`
        : `- ⚠️ ${conflict.b.task} (${conflict.b.owner}) reads ${codeSpan(conflict.example)}, which ${conflict.a.task} (${conflict.a.owner}) writes, and they can run at the same time`,
    );
  }
  for (const [phase, m] of Object.entries(c.matrix)) {
    if (m.files.length === 0) continue;
    out.push("", `**${phase}**`, "", `| File | ${m.agents.join(" | ")} |`, `| --- | ${m.agents.map(() => "---").join(" | ")} |`);
    for (const file of m.files) out.push(`| ${codeSpan(file)} | ${m.agents.map((a) => m.cells[file]?.[a] ?? "").join(" | ")} |`);
  }
  out.push("");

  out.push("## Deliverables", "");
  for (const task of ordered) for (const d of task.deliverables) out.push(`- ${STATE_MARK[stateOf(states, task.id)] ?? ""} ${mdEscape(d)} — ${task.id} (${task.owner})`);
  out.push("");

  const open = plan.risks.filter((r) => r.status === "open" || r.status === "accepted");
  out.push("## Risks", "", "| Risk | Impact | Probability | Owner | Status | Mitigation |", "| --- | --- | --- | --- | --- | --- |");
  for (const r of open) out.push(`| ${r.id}: ${mdEscape(r.description)} | ${r.impact} | ${r.probability} | ${r.owner ?? ""} | ${r.status} | ${mdEscape(r.mitigation ?? "")} |`);
  out.push("");

  out.push("## Timeline", "");
  for (const m of plan.milestones) out.push(`- ${m.date} — milestone ${m.id}: ${m.criteria.map(codeSpan).join(", ")}`);
  const chart = ganttChart({ plan, schedule: analysis.schedule, critical: new Set(analysis.timing.critical), order: analysis.order, states: new Map([...states].map(([id, t]) => [id, t.state])), maxTasks: MERMAID_MAX_TASKS });
  out.push("", "```mermaid", renderGanttMermaid(chart), "```");
  return `${out.join("\n")}\n`;
}

/** `plan status`'s tracker section: progress against the ideal line, the forecast, the milestones (docs/track.md). */
export function trackerHeadline(t: Tracker): string[] {
  const h = t.headline;
  const out = ["## Tracker", ""];
  const ideal =
    h.behindIdealHours === null
      ? "no ideal line yet (before the program's first day)"
      : h.behindIdealHours > 0
        ? `${hours(h.behindIdealHours)} behind the ideal line (${hours(h.idealHours ?? 0)} remaining ideally)`
        : h.behindIdealHours < 0
          ? `${hours(-h.behindIdealHours)} ahead of the ideal line (${hours(h.idealHours ?? 0)} remaining ideally)`
          : "on the ideal line";
  out.push(`- **Progress** ${h.doneTasks}/${h.scopeTasks} tasks, ${hours(h.doneHours)} of ${hours(h.scopeHours)} done: ${ideal}.`);
  const score = h.score.value === null ? `not measured on ${t.asOf}` : `${h.score.value}${h.score.target === null ? "" : ` against a target of ${h.score.target} (${h.score.status})`}`;
  out.push(`- **Score** ${score}.`);
  const f = t.forecast;
  out.push(
    f.p50 === null
      ? `- **Forecast** none: ${mdEscape(f.reason ?? "unknown")}.`
      : `- **Forecast** done by ${f.p50} (P50), ${f.p85 ?? "unknown"} (P85), ${f.p95 ?? "unknown"} (P95): ${f.trials} trials over ${f.historyDays} measured working days, ${f.remainingTasks} tasks left.`,
  );
  if (t.milestones.length > 0) {
    const words = t.milestones.map((m) => `${mdEscape(m.id)} (${m.date}) ${m.status}${m.probability === null ? "" : ` ${Math.round(m.probability * 100)} %`}`);
    out.push(`- **Milestones** ${words.join("; ")}.`);
  }
  out.push(`- Full tracker: \`shipgate track\`, \`shipgate track report --out DIR\` (docs/track.md).`, "");
  return out;
}
