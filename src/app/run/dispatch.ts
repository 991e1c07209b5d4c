/**
 * The dispatcher: claims ready tasks in the queue's order and runs each with its agent's runner, never two colliding
 * tasks at once and within every agent's `max_parallel`, until nothing is ready or running (`shipgate run`), or for
 * as long as it is told (`shipgate worker`). Failed attempts are retried after a capped, jittered backoff while the
 * task has attempts left; then the task is blocked with the reason.
 */
import { isShipgateError, ShipgateError } from "../../errors.js";
import { agentMaxParallel, executionOf } from "../../plan/execution.js";
import { createOverlapCheck, retryDelayMs, selectStartable, unitHash, type SlotTask } from "../../plan/slots.js";
import type { Plan, PlanAgent, PlanTask } from "../../plan/types.js";
import type { TaskRecord } from "../../store/types.js";
import { hasAttemptsLeft } from "../../store/task-state.js";
import { syncedPlanContent } from "../queue/checks.js";
import { isQueueError } from "../queue/errors.js";
import { claimWithLease } from "../queue/start.js";
import { runAttempt, type AttemptResult } from "./attempt.js";
import type { DispatchContext, DispatchOptions, RunSummary } from "./types.js";

/**
 * How many ready tasks one look at the queue reads first; when every one of them is held back (collisions, limits)
 * while slots are free, the look is repeated four times as wide, up to READY_WINDOW_MAX.
 */
const READY_WINDOW = 32;
const READY_WINDOW_MAX = 4096;
/** How often an idle dispatcher looks at the queue again (and expires others' leases), at most. */
const IDLE_POLL_MS = 1000;

/** The agents this dispatcher runs; refuses agents it cannot run, before anything is claimed. */
export function runnableAgents(plan: Plan, only: readonly string[] | undefined): PlanAgent[] {
  const byId = new Map(plan.agents.map((a) => [a.id, a]));
  if (only && only.length > 0) {
    return only.map((id) => {
      const agent = byId.get(id);
      if (!agent) throw new ShipgateError("USAGE", `[run] "${id}" is not an agent of the plan (${plan.agents.map((a) => a.id).join(", ")})`);
      if (agent.kind === "human") throw new ShipgateError("USAGE", `[run] ${id} is a person: shipgate does not run a person's tasks; they wait for \`shipgate task done\``);
      if (agent.kind === "cli" && !agent.command) throw noCommand(agent);
      return agent;
    });
  }
  const agents = plan.agents.filter((a) => a.kind !== "human");
  const missing = agents.filter((a) => a.kind === "cli" && !a.command);
  if (missing.length > 0) throw noCommand(missing[0] as PlanAgent);
  return agents;
}

const noCommand = (agent: PlanAgent) =>
  new ShipgateError("USAGE", `[run] ${agent.id} is a cli agent without a command template, so shipgate cannot run it`, {
    hint: `give it a command in the plan (e.g. command: claude -p {prompt}), or run only the other agents with --agent; an agent that is already running can work the queue through \`shipgate mcp --agent ${agent.id}\``,
  });

interface Running {
  slot: SlotTask;
  done: Promise<{ id: string; result: AttemptResult | Error }>;
}

/** Runs the queue; resolves with the tasks' states at the end. Rejects only for usage errors and a broken store. */
export async function dispatch(ctx: DispatchContext, options: DispatchOptions): Promise<RunSummary> {
  const plan = await syncedPlanContent(ctx);
  const execution = executionOf(plan);
  const agents = runnableAgents(plan, options.agents);
  if (execution.gate && !ctx.checkGate) throw new ShipgateError("USAGE", `[run] the plan's execution.gate "${execution.gate}" needs shipgate.yaml and its gate`);
  const agentById = new Map(agents.map((a) => [a.id, a]));
  const defs = new Map(plan.tasks.map((t) => [t.id, t]));
  const limits = { perAgent: new Map(agents.map((a) => [a.id, agentMaxParallel(a)])), total: options.maxParallel ?? execution.maxParallel };
  const overlap = createOverlapCheck();
  const leaseMs = execution.leaseSeconds * 1000;
  const pollMs = options.pollMs ?? Math.min(execution.heartbeatSeconds * 1000, IDLE_POLL_MS);
  const signal = ctx.signal ?? new AbortController().signal;
  const running = new Map<string, Running>();
  /** Tasks waiting out a retry's backoff: when they may be claimed again (ms since the epoch). */
  const notBefore = new Map<string, number>();
  let runs = 0;
  let lastExpiry = 0;
  /** The tasks this dispatcher claimed: with maxTasks, the only ones it may claim again (retries) once the limit is reached. */
  const claimedTasks = new Set<string>();
  const mayClaim = (id: string) => options.maxTasks === undefined || claimedTasks.has(id) || claimedTasks.size < options.maxTasks;

  const initial = await ctx.store.listReadyTasks(READY_WINDOW_MAX);
  ctx.onEvent?.({
    type: "started",
    at: ctx.now(),
    tasks: plan.tasks.length,
    ready: initial.filter((t) => agentById.has(t.owner)).length,
    workspace: options.workspace.mode,
    integration: options.workspace.integration,
    maxParallel: limits.total,
  });

  const block = async (task: TaskRecord, reason: string) => {
    try {
      await ctx.store.transitionTask(task.id, "blocked", { agent: task.claimedBy, note: reason, expectHolder: task.claimedBy }, ctx.now());
      ctx.onEvent?.({ type: "task-blocked", at: ctx.now(), task: task.id, reason });
    } catch (error) {
      // Someone moved it meanwhile (reset, started by hand): theirs to decide.
      if (!(isShipgateError(error) && error.code === "INVALID_TRANSITION")) throw error;
    }
  };

  /** Ends runs whose lease ran out (a crashed worker's); a task out of attempts is blocked with the reason. */
  const expire = async () => {
    lastExpiry = Date.now();
    for (const lost of await ctx.store.expireLeases(ctx.now())) {
      ctx.onEvent?.({ type: "lease-expired", at: ctx.now(), task: lost.taskId, run: lost.id, agent: lost.agent });
      const task = await ctx.store.getTask(lost.taskId);
      if (task && task.state === "failed" && !hasAttemptsLeft(task) && agentById.has(task.owner)) await block(task, `${task.attempts} attempts failed: the last one's lease expired`);
    }
  };

  /** Ready tasks this dispatcher may take now, in queue order. */
  const candidates = async (window: number): Promise<{ task: TaskRecord; def: PlanTask }[]> => {
    const ready = await ctx.store.listReadyTasks(window);
    const now = Date.now();
    const out: { task: TaskRecord; def: PlanTask }[] = [];
    for (const task of ready) {
      const def = defs.get(task.id);
      if (!def || !agentById.has(task.owner) || running.has(task.id) || !mayClaim(task.id)) continue;
      if (task.state === "failed") {
        // Another worker's failure, or ours: the backoff runs from the failed attempt's end.
        const wait = notBefore.get(task.id) ?? Date.parse(task.updatedAt) + retryDelayMs(task.attempts, unitHash(`${task.id}#${task.attempts}`));
        if (wait > now) {
          notBefore.set(task.id, wait);
          continue;
        }
      }
      out.push({ task, def });
    }
    return out;
  };

  /** Tasks that other processes (workers sharing the store) run now: ours must not collide with them either. */
  const runningElsewhere = async (): Promise<PlanTask[]> => {
    const open = await ctx.store.listRuns({ open: true });
    return open.filter((r) => !running.has(r.taskId)).flatMap((r) => defs.get(r.taskId) ?? []);
  };

  const start = async (task: TaskRecord, def: PlanTask): Promise<boolean> => {
    const agent = agentById.get(def.owner) as PlanAgent;
    let claimed;
    try {
      ({ claimed } = await claimWithLease(ctx, { agent: agent.id, leaseMs, id: task.id }));
    } catch (error) {
      if (isQueueError(error) && error.refusal.kind === "check-failed") {
        await block(task, error.message.split("\n")[0] ?? "ready_when failed");
        return false;
      }
      // Another worker took it first, or it stopped being ready: the next one.
      if (isShipgateError(error) && (error.code === "INVALID_TRANSITION" || error.code === "NOT_READY")) return false;
      throw error;
    }
    if (!claimed) return false;
    runs += 1;
    claimedTasks.add(task.id);
    notBefore.delete(task.id);
    ctx.onEvent?.({
      type: "run-started",
      at: ctx.now(),
      task: task.id,
      agent: agent.id,
      kind: agent.kind,
      run: claimed.run.id,
      attempt: claimed.run.attempt,
      maxAttempts: claimed.task.maxAttempts,
      cwd: options.workspace.root,
      log: `.shipgate/runs/${claimed.run.id}.log`,
    });
    const run = claimed.run;
    const done = runAttempt(ctx, { plan, task: def, agent, claimed, workspace: options.workspace, signal }).then(
      async (result) => {
        const after = result.task;
        let retryInMs: number | null = null;
        if (after && after.state === "failed") {
          if (hasAttemptsLeft(after)) {
            retryInMs = retryDelayMs(after.attempts, unitHash(`${after.id}#${after.attempts}`));
            notBefore.set(after.id, Date.now() + retryInMs);
          }
        }
        ctx.onEvent?.({ type: "run-finished", at: ctx.now(), task: task.id, agent: agent.id, run: run.id, attempt: run.attempt, outcome: result.outcome, exitCode: result.exitCode, note: result.note, durationMs: result.durationMs, usage: result.usage, retryInMs, log: result.log });
        if (after && after.state === "failed" && !hasAttemptsLeft(after)) {
          await block(after, `${after.attempts} attempt${after.attempts === 1 ? "" : "s"} failed: ${result.note ?? result.outcome}`);
        }
        return { id: task.id, result };
      },
      (error: unknown) => ({ id: task.id, result: error instanceof Error ? error : new Error(String(error)) }),
    );
    running.set(task.id, { slot: def, done });
    return true;
  };

  let fatal: Error | null = null;
  while (!signal.aborted && fatal === null) {
    if (Date.now() - lastExpiry >= pollMs) await expire();
    let window = READY_WINDOW;
    let ready = await candidates(window);
    const elsewhere = ready.length > 0 ? await runningElsewhere() : [];
    const select = () => selectStartable(ready.map((r) => ({ ...r.def, record: r.task })), [...running.values()].map((r) => r.slot), limits, overlap, elsewhere).start;
    let startable = select();
    // Every task seen is held back, but the queue may hold more ready ones behind them: look further.
    while (startable.length === 0 && ready.length > 0 && window < READY_WINDOW_MAX && running.size < (limits.total ?? Infinity) && hasFreeAgent(running, limits)) {
      window *= 4;
      const wider = await candidates(window);
      if (wider.length <= ready.length) break;
      ready = wider;
      startable = select();
    }
    for (const next of startable) {
      if (signal.aborted) break;
      if (!mayClaim(next.id)) continue;
      await start(next.record, next);
    }
    if (running.size === 0 && ready.length === 0) {
      const waiting = [...notBefore.values()].filter((t) => t > Date.now());
      if (waiting.length === 0 && options.untilIdle && !(await othersHold(ctx, agentById))) break;
    }
    // Wait for an attempt to end, a retry to come due, or the next look at the queue.
    const due = Math.min(pollMs, ...[...notBefore.values()].map((t) => Math.max(0, t - Date.now())));
    const ended = await race([...running.values()].map((r) => r.done), running.size > 0 && startable.length === 0 ? pollMs : due, signal);
    if (ended) {
      running.delete(ended.id);
      if (ended.result instanceof Error) fatal = ended.result;
    }
  }
  // Interrupted (or the store failed): every attempt still running ends (cancelled) before the summary.
  for (const r of await Promise.all([...running.values()].map((r) => r.done))) if (r.result instanceof Error && fatal === null) fatal = r.result;
  if (fatal) throw fatal;
  return summarize(ctx, plan, agentById, runs, signal.aborted, options.onlyOwn === true, claimedTasks);
}

/** True when some agent has a free slot. */
function hasFreeAgent(running: ReadonlyMap<string, Running>, limits: { perAgent: ReadonlyMap<string, number> }): boolean {
  const busy = new Map<string, number>();
  for (const r of running.values()) busy.set(r.slot.owner, (busy.get(r.slot.owner) ?? 0) + 1);
  return [...limits.perAgent].some(([agent, limit]) => (busy.get(agent) ?? 0) < limit);
}

/** True while another process holds a task of these agents under a live lease (its dependents may become ready). */
async function othersHold(ctx: DispatchContext, agents: ReadonlyMap<string, PlanAgent>): Promise<boolean> {
  const open = await ctx.store.listRuns({ open: true });
  return open.some((r) => agents.has(r.agent));
}

/** The first of `pending` to settle, or null after `ms` or on abort. */
async function race<T>(pending: Promise<T>[], ms: number, signal: AbortSignal): Promise<T | null> {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const wake = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
    onAbort = () => resolve(null);
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([...pending, wake]);
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

/**
 * The tasks' states at the end. A worker (`onlyOwn`) counts its agents' tasks alone; `run` counts the whole plan:
 * people's open tasks as waiting on people, other agents' (left out with --agent) as not run here.
 */
async function summarize(
  ctx: DispatchContext,
  plan: Plan,
  agents: ReadonlyMap<string, PlanAgent>,
  runs: number,
  interrupted: boolean,
  onlyOwn: boolean,
  claimed: ReadonlySet<string>,
): Promise<RunSummary> {
  const summary: RunSummary = { done: 0, failed: 0, blocked: 0, pending: 0, inProgress: 0, waitingOnPeople: 0, notRunHere: 0, runs, claimedNotDone: 0, interrupted };
  const inPlan = new Set(plan.tasks.map((t) => t.id));
  const people = new Set(plan.agents.filter((a) => a.kind === "human").map((a) => a.id));
  for (const task of await ctx.store.listTasks()) {
    if (claimed.has(task.id) && task.state !== "done") summary.claimedNotDone += 1;
    if (task.removed || !inPlan.has(task.id)) continue;
    if (!agents.has(task.owner)) {
      if (task.state === "done" || onlyOwn) continue;
      if (people.has(task.owner)) summary.waitingOnPeople += 1;
      else summary.notRunHere += 1;
      continue;
    }
    if (task.state === "in_progress") summary.inProgress += 1;
    else summary[task.state] += 1;
  }
  return summary;
}
