import { mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import { ShipgateError } from "../../errors.js";
import type { PlanAnalysis } from "../../plan/analyze.js";
import type { OwnershipResult } from "../../plan/ownership.js";
import type { Plan } from "../../plan/types.js";
import type { TaskRecord, TaskRun } from "../../store/types.js";
import type { Tracker } from "../../track/model.js";
import { now } from "../clock.js";
import { writeReport, type CliIo, type CommonOptions } from "../output.js";

export interface PlanOptions extends CommonOptions {
  plan?: string;
  out?: string;
  svg?: string;
  git?: string;
  date?: string;
}

/** --date, else today by SHIPGATE_NOW or the clock (UTC). */
const today = (options: PlanOptions, io: CliIo) => options.date ?? now(io.env).slice(0, 10);

/** The plan file: --plan, else shipgate.plan.yaml under --cwd. */
async function planPath(options: PlanOptions): Promise<string> {
  const { PLAN_FILE } = await import("../../config/load-plan.js");
  return resolve(options.cwd, options.plan ?? PLAN_FILE);
}

/** Loads, validates and analyses the plan (PLAN_INVALID with every problem otherwise). */
async function analysed(options: PlanOptions, io: CliIo): Promise<{ plan: Plan; analysis: PlanAnalysis; file: string; hash: string; shownFile: string }> {
  const [{ loadPlan }, { analyzePlan }, { listRepoFiles }] = await Promise.all([
    import("../../config/load-plan.js"),
    import("../../plan/analyze.js"),
    import("../../ingest/paths.js"),
  ]);
  const path = await planPath(options);
  const [loaded, repo] = await Promise.all([loadPlan(path, { cwd: process.cwd() }), listRepoFiles(options.cwd)]);
  const analysis = analyzePlan(loaded.plan, { today: today(options, io), repoFiles: [...repo.files] });
  return { plan: loaded.plan, analysis, file: path, hash: loaded.hash, shownFile: relative(options.cwd, path) || path };
}

/**
 * Task states from the store, importing the (already loaded) plan first when it changed. Without a store, the plan
 * is imported into an empty one in memory (every task pending) and nothing is created: these commands only read.
 */
async function taskStates(options: PlanOptions, io: CliIo, path: string, loaded: { plan: Plan; hash: string }): Promise<Map<string, TaskRecord>> {
  const at = now(io.env);
  const [{ withStore }, { syncPlan }, { taskStates: storedStates }] = await Promise.all([import("../../store/open-store.js"), import("../../app/sync-plan.js"), import("../../app/queue.js")]);
  return withStore(options.db, { cwd: options.cwd, at, emptyIfMissing: true }, async (store) => {
    await syncPlan(store, path, { cwd: process.cwd(), at, loaded });
    return storedStates({ store });
  });
}

/**
 * Task states and every task's runs (for the handoff and the status document), the plan imported first as `taskStates`
 * does; with `tracker`, also the tracker of today (`plan status`'s headline).
 */
async function statesAndRuns(
  options: PlanOptions,
  io: CliIo,
  path: string,
  loaded: { plan: Plan; hash: string },
  withTracker = false,
): Promise<{ states: Map<string, TaskRecord>; runs: Map<string, TaskRun[]>; at: string; tracker?: Tracker }> {
  const at = now(io.env);
  const [{ withStore }, { syncPlan }, { taskStates: storedStates }, { runsByTask }] = await Promise.all([
    import("../../store/open-store.js"),
    import("../../app/sync-plan.js"),
    import("../../app/queue.js"),
    import("../../report/plan-docs.js"),
  ]);
  return withStore(options.db, { cwd: options.cwd, at, emptyIfMissing: true }, async (store) => {
    await syncPlan(store, path, { cwd: process.cwd(), at, loaded });
    const result = { states: await storedStates({ store }), runs: runsByTask(await store.listRuns()), at };
    if (!withTracker) return result;
    const { trackProgram } = await import("../../app/track.js");
    return { ...result, tracker: await trackProgram(store, { now: at, ...(options.date === undefined ? {} : { asOf: options.date }) }) };
  });
}

/** Writes a file a flag names (its folder created); a directory or an unwritable path is WRITE_FAILED, not a crash. */
async function writeOutput(path: string, content: string, flag: string): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new ShipgateError("WRITE_FAILED", `[plan] ${flag}: cannot write ${path}: ${code === "EISDIR" ? "it is a directory" : (error as Error).message}`, {
      hint: code === "EISDIR" ? "name a file, not a folder" : "check the path and its folder's permissions",
      cause: error,
    });
  }
}

async function output(options: PlanOptions, io: CliIo, text: string, what: string): Promise<void> {
  if (!options.out) {
    writeReport(io, text.endsWith("\n") ? text : `${text}\n`);
    return;
  }
  await writeOutput(resolve(options.cwd, options.out), text, `--out ${options.out}`);
  io.stderr(`[plan] ${what} written to ${options.out}\n`);
}

/** `shipgate plan check`: validate, then critical path, schedule, cost and conflicts. Exit 1 when parallel tasks of different agents share files. */
export async function planCheckCommand(options: PlanOptions, io: CliIo): Promise<number> {
  const { plan, analysis, hash, shownFile } = await analysed(options, io);
  if (options.json) {
    io.stdout(`${JSON.stringify({ file: shownFile, hash, tasks: plan.tasks.length, phases: plan.phases.length, agents: plan.agents.length, timing: { critical: analysis.timing.critical, project: analysis.timing.project, phases: analysis.timing.phases }, schedule: { start: analysis.schedule.start, end: analysis.schedule.end }, cost: { project: analysis.cost.project, agents: analysis.cost.agents, phases: analysis.cost.phases }, conflicts: { summary: analysis.conflicts.summary, conflicts: analysis.conflicts.conflicts } }, null, 2)}\n`);
  } else {
    const { renderPlanCheck } = await import("../../report/plan-text.js");
    writeReport(io, `${renderPlanCheck(plan, analysis, { file: shownFile, hash }, { color: io.color })}\n`);
  }
  // Read-after-write overlaps are risks, reported; two agents writing the same files is what fails.
  return analysis.conflicts.conflicts.some((c) => c.kind === "write-write") ? 1 : 0;
}

/** `shipgate plan show`: every task, in the plan order, with PERT, slack, schedule, cost and its stored state. */
export async function planShowCommand(options: PlanOptions, io: CliIo): Promise<number> {
  const { plan, analysis, file, hash } = await analysed(options, io);
  const states = await taskStates(options, io, file, { plan, hash });
  if (options.json) {
    const timing = new Map(analysis.timing.tasks.map((t) => [t.id, t]));
    const sched = new Map(analysis.schedule.tasks.map((t) => [t.id, t]));
    const { tasksInOrder } = await import("../../plan/analyze.js");
    io.stdout(`${JSON.stringify(tasksInOrder(plan, analysis.order).map((t) => ({ ...t, timing: timing.get(t.id), schedule: sched.get(t.id), cost: analysis.cost.tasks[t.id], state: states.get(t.id)?.state ?? null })), null, 2)}\n`);
    return 0;
  }
  const { renderPlanShow } = await import("../../report/plan-text.js");
  writeReport(io, `${renderPlanShow(plan, analysis, states, { color: io.color, limit: 500 })}\n`);
  return 0;
}

/** Task states from the store when one exists (the chart draws them); never creates a store. */
async function existingStates(options: PlanOptions, io: CliIo): Promise<Map<string, TaskRecord["state"]>> {
  const [{ DEFAULT_DB, withStore }, { existsSync }] = await Promise.all([import("../../store/open-store.js"), import("node:fs")]);
  const db = options.db ?? DEFAULT_DB;
  const path = db.startsWith("sqlite:") ? db.slice("sqlite:".length) : db;
  if (/^postgres(ql)?:\/\//.test(db) || path === ":memory:" || !existsSync(resolve(options.cwd, path))) return new Map();
  const { listTasks } = await import("../../app/queue.js");
  return withStore(options.db, { cwd: options.cwd, at: now(io.env) }, async (store) => new Map((await listTasks({ store })).map((t) => [t.id, t.state])));
}

/** `shipgate plan gantt`: Mermaid text (stdout or --out) and/or an SVG (--svg FILE), with stored task states when a store exists. */
export async function planGanttCommand(options: PlanOptions, io: CliIo): Promise<number> {
  const [{ plan, analysis }, { ganttChart, MERMAID_MAX_TASKS, SVG_MAX_TASKS }, states] = await Promise.all([analysed(options, io), import("../../plan/gantt.js"), existingStates(options, io)]);
  const input = { plan, schedule: analysis.schedule, critical: new Set(analysis.timing.critical), order: analysis.order, states, today: today(options, io) };
  if (options.svg) {
    const { renderGanttSvg } = await import("../../report/plan-gantt-svg.js");
    await writeOutput(resolve(options.cwd, options.svg), renderGanttSvg(ganttChart({ ...input, maxTasks: SVG_MAX_TASKS })), `--svg ${options.svg}`);
    io.stderr(`[plan] Gantt chart (SVG) written to ${options.svg}\n`);
    if (!options.out) return 0;
  }
  const { renderGanttMermaid } = await import("../../report/plan-gantt-mermaid.js");
  await output(options, io, `${renderGanttMermaid(ganttChart({ ...input, maxTasks: MERMAID_MAX_TASKS }))}\n`, "Gantt chart (Mermaid)");
  return 0;
}

/** `shipgate plan conflicts [--git BASE]`: the declared-ownership matrix, and what actually changed since BASE. */
export async function planConflictsCommand(options: PlanOptions, io: CliIo): Promise<number> {
  const { plan, analysis } = await analysed(options, io);
  let ownership: OwnershipResult | null = null;
  if (options.git) {
    const [{ commitsSince }, { checkOwnership }, { gitPrefix }] = await Promise.all([
      import("../../git/log.js"),
      import("../../plan/ownership.js"),
      import("../../git/process.js"),
    ]);
    // Commits name files from the repository root; the plan's globs are relative to its directory (--cwd).
    const prefix = await gitPrefix(options.cwd);
    const commits = (await commitsSince(options.cwd, options.git)).map((c) => ({
      ...c,
      files: c.files.filter((f) => f.startsWith(prefix)).map((f) => f.slice(prefix.length)),
    }));
    ownership = checkOwnership(plan, commits.filter((c) => c.files.length > 0));
  }
  if (options.json) {
    io.stdout(`${JSON.stringify({ ...analysis.conflicts, ...(ownership ? { git: { base: options.git, ...ownership } } : {}) }, null, 2)}\n`);
  } else {
    const { renderConflicts } = await import("../../report/plan-text.js");
    let text = renderConflicts(analysis.conflicts, { color: io.color });
    if (ownership) {
      const lines = [`\nChanges since ${options.git ?? ""}, by agent:`];
      for (const [agent, o] of Object.entries(ownership.byAgent)) lines.push(`  ${agent}: ${o.commits} commit(s), ${o.files.length} file(s)`);
      if (ownership.unmapped.length) lines.push(`  ${ownership.unmapped.length} commit(s) by nobody in the plan (no matching email or branch)`);
      for (const v of ownership.violations) lines.push(`✗ ${v.sha.slice(0, 10)} by ${v.agent} changed ${v.file}${v.owners.length ? `, owned by ${v.owners.join(", ")}` : ", which none of its tasks declares"}`);
      lines.push(`${ownership.violations.length} violation(s) of declared ownership`);
      text += lines.join("\n");
    }
    writeReport(io, `${text}\n`);
  }
  return analysis.conflicts.conflicts.some((c) => c.kind === "write-write") || (ownership?.violations.length ?? 0) > 0 ? 1 : 0;
}

/** `shipgate plan handoff AGENT`: the agent's brief, from the plan and the stored task states. */
export async function planHandoffCommand(agent: string, options: PlanOptions, io: CliIo): Promise<number> {
  const { plan, analysis, file, hash, shownFile } = await analysed(options, io);
  if (!plan.agents.some((a) => a.id === agent)) {
    throw new ShipgateError("USAGE", `[plan] no agent "${agent}" in ${shownFile}; agents: ${plan.agents.map((a) => a.id).join(", ")}`);
  }
  const { states, runs, at } = await statesAndRuns(options, io, file, { plan, hash });
  const { renderHandoff } = await import("../../report/plan-docs.js");
  await output(options, io, renderHandoff(agent, { plan, analysis, states, runs, now: at, planFile: shownFile, today: today(options, io) }), `handoff for ${agent}`);
  return 0;
}

/** `shipgate plan status`: the coordination status document. */
export async function planStatusCommand(options: PlanOptions, io: CliIo): Promise<number> {
  const { plan, analysis, file, hash, shownFile } = await analysed(options, io);
  const { states, runs, at, tracker } = await statesAndRuns(options, io, file, { plan, hash }, true);
  const { renderStatus } = await import("../../report/plan-docs.js");
  await output(options, io, renderStatus({ plan, analysis, states, runs, now: at, planFile: shownFile, today: today(options, io), ...(tracker ? { tracker } : {}) }), "status");
  return 0;
}
