/**
 * The task queue's rules, once for every driver: which moves are allowed, what a move writes, how runs end, and the
 * words of every refusal. Pure: a driver reads the rows under its lock, asks these functions, and writes what they
 * return with a compare-and-set.
 */
import { ShipgateError } from "../errors.js";
import type { ImportedTask, RunOutcome, TaskRun, TaskState, TaskTransitionBy } from "./types.js";

/** For each target state, the states it may be reached from. */
export const MOVES: Readonly<Record<TaskState, readonly TaskState[]>> = {
  in_progress: ["pending", "failed", "blocked"],
  done: ["in_progress"],
  failed: ["in_progress"],
  blocked: ["pending", "in_progress", "failed"],
  pending: ["blocked", "failed"],
};
/** With `force`, `done` is also reachable from these. */
export const FORCED_DONE_FROM: readonly TaskState[] = ["pending", "failed", "blocked"];
export const TASK_STATES = Object.keys(MOVES) as TaskState[];

/** The fields of a stored task the rules read. */
export interface TaskFacts {
  id: string;
  state: TaskState;
  claimedBy: string | null;
  attempts: number;
  maxAttempts: number | null;
  removed: boolean;
  leaseEpoch: number;
}

/** A dependency that is not done: its id and state (null: no stored task has that id). */
export interface UnmetDependency {
  id: string;
  state: TaskState | null;
}

/** A phase the task's phase waits for that still has open tasks. */
export interface OpenPhase {
  phase: string;
  open: number;
  /** One of its open tasks, "id (state)". */
  example: string | null;
}

/** What a move writes to the task row, and the event that records it. */
export interface TaskWrite {
  state: TaskState;
  claimedBy: string | null;
  attempts: number;
  note: string | null;
  leaseEpoch: number;
  event: { type: string; subject: string; data: Record<string, unknown> };
}

export const notFound = (id: string, location: string): ShipgateError =>
  new ShipgateError("NOT_FOUND", `[task] no task ${id} in ${location}`, { hint: "`shipgate task list` lists the tasks of the imported plan" });

function invalidTransition(task: TaskFacts, to: string): ShipgateError {
  const held = task.state === "in_progress" && task.claimedBy !== null ? ` (held by ${task.claimedBy})` : "";
  const next: string[] = TASK_STATES.filter((s) => MOVES[s].includes(task.state));
  if (FORCED_DONE_FROM.includes(task.state)) next.push("done (with force)");
  const hint =
    task.state === "in_progress" && to === "in_progress"
      ? "another agent is working on it: take another task, or wait until it is done or failed"
      : next.length === 0
        ? `${task.state} is final`
        : `from ${task.state} a task can become ${next.join(", ")}`;
  return new ShipgateError("INVALID_TRANSITION", `[task] ${task.id} is ${task.state}${held}; it cannot become ${to}`, { hint });
}

/**
 * Throws when `by` may not move `task` to `to`: INVALID_TRANSITION for a move the state machine does not allow, a
 * claimer that changed since the caller looked (`expectHolder`), or a start of a removed task. Readiness of a start
 * is `checkReady`'s.
 */
export function checkMove(task: TaskFacts, to: TaskState, by: TaskTransitionBy): void {
  if (by.expectHolder !== undefined && task.claimedBy !== by.expectHolder) {
    throw new ShipgateError(
      "INVALID_TRANSITION",
      `[task] ${task.id} is now held by ${task.claimedBy ?? "nobody"}, not ${by.expectHolder ?? "nobody"} as when this move began; it cannot become ${to}`,
      { hint: "another agent moved it meanwhile: `shipgate task list` shows who holds it now" },
    );
  }
  const from = MOVES[to] as readonly TaskState[] | undefined;
  const allowed = from !== undefined && (from.includes(task.state) || (to === "done" && by.force === true && FORCED_DONE_FROM.includes(task.state)));
  if (!allowed) throw invalidTransition(task, to);
  if (to === "in_progress" && task.removed) {
    throw new ShipgateError("INVALID_TRANSITION", `[task] ${task.id} was removed from the plan; it cannot become in_progress`, {
      hint: "the latest plan no longer lists it; add it back to the plan to work on it",
    });
  }
}

/**
 * Throws INVALID_TRANSITION when a claim of `task` by id is refused although a start by hand would be allowed: a
 * claim takes only what `nextTask` could give. A blocked task waits until someone moves it back to pending; a failed
 * task out of attempts (the dead letter) waits until someone resets it. Called after `checkMove`.
 */
export function checkClaimable(task: TaskFacts): void {
  if (task.state === "blocked") {
    throw new ShipgateError("INVALID_TRANSITION", `[task] ${task.id} is blocked; a claim takes only a ready task`, {
      hint: "move it back to pending when it is unblocked, or start it by hand",
    });
  }
  if (task.state === "failed" && !hasAttemptsLeft(task)) {
    throw new ShipgateError("INVALID_TRANSITION", `[task] ${task.id} failed ${task.attempts} of ${task.maxAttempts ?? "?"} attempts; a claim does not take it again`, {
      hint: "move it back to pending to give it more attempts, or start it by hand",
    });
  }
}

/** Throws NOT_READY naming each unmet dependency and each phase still open; does nothing when there are none. */
export function checkReady(id: string, unmet: readonly UnmetDependency[], phases: readonly OpenPhase[]): void {
  const open = phases.filter((p) => p.open > 0);
  if (unmet.length === 0 && open.length === 0) return;
  const waits = [
    ...unmet.map((d) => `${d.id} (${d.state ?? "not in the plan"})`),
    ...open.map((p) => `phase ${p.phase} (${p.open} task${p.open === 1 ? "" : "s"} not done, e.g. ${p.example ?? "?"})`),
  ];
  throw new ShipgateError("NOT_READY", `[task] ${id} waits for ${waits.join(", ")}`, { hint: "start it once those are done, or mark them done with force" });
}

/** A `listReadyTasks` limit, checked: a whole number of at least 1. */
export function readyLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1) throw new ShipgateError("USAGE", `[task] a ready-task limit must be a whole number of at least 1 (got ${limit})`);
  return limit;
}

/** True when a failed task may be claimed again. */
export const hasAttemptsLeft = (task: Pick<TaskFacts, "attempts" | "maxAttempts">): boolean => task.maxAttempts === null || task.attempts < task.maxAttempts;

/** The event type of a move to `to`. */
export const taskEventType = (to: TaskState): string => (to === "in_progress" ? "task.started" : `task.${to}`);

/**
 * What a checked move writes: a start sets the claimer and counts an attempt (and, with `claim`, a new lease epoch);
 * back to pending clears the claimer; the note is replaced. `run`: the run that causes or is ended by the move;
 * `outcome`: how that run ended, when the move ends one. Attempts: a start adds one; a move that ends its run as
 * `cancelled` (a release, a Ctrl-C, a move by hand to blocked) takes that one back, so a cancelled run does not use
 * up the budget and the next claim has the same attempt number; a move back to pending from blocked or failed (a
 * reset by hand) gives a fresh budget: 0. A `lost` run (lease expired: a crash) and a failed one still count.
 */
export function planMove(task: TaskFacts, to: TaskState, by: TaskTransitionBy, options: { claim?: boolean; run?: number; outcome?: RunOutcome } = {}): TaskWrite {
  const starts = to === "in_progress";
  const note = by.note ?? null;
  const data: Record<string, unknown> = { from: task.state, to, agent: by.agent, note, force: by.force ?? false };
  if (options.run !== undefined) data.run = options.run;
  return {
    state: to,
    claimedBy: starts ? by.agent : to === "pending" ? null : task.claimedBy,
    attempts: attemptsAfterMove(task, to, options.outcome),
    note,
    leaseEpoch: options.claim ? task.leaseEpoch + 1 : task.leaseEpoch,
    event: { type: taskEventType(to), subject: task.id, data },
  };
}

/** The task's attempts after a move (`planMove`'s rule); `outcome`: how the run the move ends ended. */
export function attemptsAfterMove(task: Pick<TaskFacts, "state" | "attempts">, to: TaskState, outcome?: RunOutcome): number {
  if (to === "in_progress") return task.attempts + 1;
  if (to === "pending" && task.state !== "in_progress") return 0;
  if (outcome === "cancelled") return Math.max(task.attempts - 1, 0);
  return task.attempts;
}

/** The task state a run's outcome leaves its task in. A lost run's task is retried while it has attempts left. */
export function taskStateAfterRun(outcome: RunOutcome, task: Pick<TaskFacts, "attempts" | "maxAttempts">): TaskState {
  switch (outcome) {
    case "done":
      return "done";
    case "cancelled":
      return "pending";
    case "lost":
      return hasAttemptsLeft(task) ? "pending" : "failed";
    default:
      return "failed";
  }
}

/** How a run ends when its task is moved by hand out of in_progress. */
export const runOutcomeOfMove = (to: TaskState): RunOutcome => (to === "done" ? "done" : to === "failed" ? "failed" : "cancelled");

/** `at` + `ms`, as ISO 8601. */
export function leaseExpiry(at: string, ms: number): string {
  const start = Date.parse(at);
  if (!Number.isFinite(start)) throw new ShipgateError("USAGE", `[task] "${at}" is not a time (ISO 8601 expected)`);
  if (!Number.isFinite(ms) || ms <= 0) throw new ShipgateError("USAGE", `[task] a lease must last a positive number of milliseconds (got ${ms})`);
  // Past year 9999 toISOString writes "+0YYYYY-…", which sorts before every four-digit year: compared as text, such
  // a lease would count as expired at once. Beyond Date's range it throws.
  const end = start + ms;
  if (!(end < Date.UTC(10_000, 0, 1))) {
    throw new ShipgateError("USAGE", `[task] a lease of ${ms} ms from ${at} would end after the year 9999`, {
      hint: "give a lease of hours, not millennia, and heartbeat to extend it",
    });
  }
  return new Date(end).toISOString();
}

/** The refusal a stale worker gets when it heartbeats or finishes a run it no longer holds. */
export function checkLease(run: TaskRun | undefined, runId: number, epoch: number, location: string): asserts run is TaskRun {
  if (!run) throw new ShipgateError("NOT_FOUND", `[task] no run ${runId} in ${location}`, { hint: "`shipgate task runs` lists the runs" });
  if (run.endedAt !== null) {
    throw new ShipgateError("LEASE_LOST", `[task] run ${runId} of ${run.taskId} has ended (${run.outcome ?? "ended"} at ${run.endedAt}); its result is not recorded`, {
      hint: run.outcome === "lost" ? "its lease expired before a heartbeat: heartbeat more often than the lease lasts" : "the task was moved meanwhile; `shipgate task list` shows its state",
    });
  }
  if (run.epoch !== epoch) {
    throw new ShipgateError("LEASE_LOST", `[task] run ${runId} of ${run.taskId} holds epoch ${run.epoch}, not ${epoch}; its result is not recorded`, {
      hint: "a newer claim took the task: stop working on it",
    });
  }
}

/** The event a claim or start refused because another agent holds the task appends (`claimConflictEvent`). */
export const CLAIM_CONFLICT_EVENT = "claim.conflict";

/**
 * A claim conflict: `agent` asked for `task`, which `holder` took first (a lost race between workers, or a start of a
 * task someone holds). Subject: the task id. Not a `task.*` event: the task did not move.
 */
export const claimConflictEvent = (task: string, agent: string, holder: string, at: string) => ({
  type: CLAIM_CONFLICT_EVENT,
  subject: task,
  data: { task, agent, holder },
  at,
});

/** The `run.started` event of a claim. */
export const runStartedEvent = (run: TaskRun) => ({
  type: "run.started",
  subject: String(run.id),
  data: { task: run.taskId, agent: run.agent, attempt: run.attempt, epoch: run.epoch, leaseExpiresAt: run.leaseExpiresAt },
});

/** The `run.finished` event of a run that ended. */
export const runFinishedEvent = (run: TaskRun) => ({
  type: "run.finished",
  subject: String(run.id),
  data: { task: run.taskId, agent: run.agent, attempt: run.attempt, epoch: run.epoch, outcome: run.outcome, exitCode: run.exitCode },
});

/** Throws PLAN_INVALID when a plan lists one task id twice (the import then writes nothing). */
export function checkUniqueIds(tasks: readonly ImportedTask[], source: string): void {
  const seen = new Set<string>();
  for (const t of tasks) {
    if (seen.has(t.id)) throw new ShipgateError("PLAN_INVALID", `[store] the plan ${source} lists task ${t.id} twice`, { hint: "give each task its own id" });
    seen.add(t.id);
  }
}
