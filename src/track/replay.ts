/**
 * Task and run states at a past moment (issue 12), replayed from the store's history so that `--as-of` shows what
 * was true then, not what is true today. Pure: the caller reads the store (`listTasks`, the plan imports,
 * `listEvents({ typePrefix: "task." })`, `listRuns`) and passes what it read.
 *
 * A task move is a `task.*` event (`task.started` → in_progress, `task.done`, `task.failed`, `task.blocked`,
 * `task.pending`) whose subject is the task id, with the data `planMove` in store/task-state.ts writes:
 * `{ from, to, agent, note, force, run? }` (`agent` null for a move nobody made: an expired lease).
 */
import { ShipgateError } from "../errors.js";
import { TASK_STATES } from "../store/task-state.js";
import type { StoreEvent, TaskRun, TaskState } from "../store/types.js";
import type { RunAt, TaskAt } from "./model.js";
import { isoMs } from "./time.js";

/** One task move read from a `task.*` event (see `taskMoveOf`). */
export interface TaskMove {
  /** The event's id and time. */
  id: number;
  at: string;
  task: string;
  /** The state the task entered. */
  to: TaskState;
  /** Who moved it (null: nobody recorded, e.g. an expired lease). */
  agent: string | null;
  note: string | null;
}

/** A task of the store as the replay names it: the latest plan's tasks in plan order, then removed ones. */
export interface ReplayTask {
  id: string;
  title: string;
  owner: string;
  /** Its dependencies as stored (`TaskRecord.dependsOn`: the latest import's); absent: none. Copied to `TaskAt.dependsOn`. */
  dependsOn?: readonly string[];
}

/** One plan import, as the replay reads it: when, and every task id of that plan (the whole plan, not a delta). */
export interface ReplayImport {
  at: string;
  /** The same shape as `BurndownImport.tasks`, so one list serves both (only `id` is read here). */
  tasks: readonly { id: string }[];
}

export interface ReplayTasksInput {
  /** Every stored task (`Store.listTasks`: the latest plan's in plan order, then removed ones): the output's order. */
  tasks: readonly ReplayTask[];
  /** Every plan import, in any order. Membership and removal at `at` are computed from them. */
  imports: readonly ReplayImport[];
  /** The store's events, oldest first (by id); events other than task moves are skipped. */
  events: readonly StoreEvent[];
  /** The moment (ISO 8601 date-time with a zone). */
  at: string;
}

const STATES = new Set<string>(TASK_STATES);
const STATE_OF_TYPE: Readonly<Record<string, TaskState>> = {
  "task.started": "in_progress",
  "task.done": "done",
  "task.failed": "failed",
  "task.blocked": "blocked",
  "task.pending": "pending",
};

/**
 * `value` in milliseconds since the epoch. Throws USAGE naming `what` when it is not an ISO 8601 date or date-time
 * with a zone: a time without one would be read in the machine's zone, and the same history would replay differently.
 */
export function instantMs(value: string, what: string): number {
  const ms = isoMs(value);
  if (Number.isNaN(ms)) throw new ShipgateError("USAGE", `[track] ${what} is not an ISO 8601 date-time with a zone, such as 2026-03-01T09:00:00Z (got "${value}")`);
  return ms;
}

/**
 * The task move an event records, or null for any other event: its type must be one of the five `task.*` moves and
 * its subject a task id. The state entered is `data.to` when it names a state, else the one the type names; `agent`
 * and `note` are read when they are strings (anything else: null).
 */
export function taskMoveOf(event: StoreEvent): TaskMove | null {
  const byType = STATE_OF_TYPE[event.type];
  if (byType === undefined || event.subject === null) return null;
  const data = typeof event.data === "object" && event.data !== null ? (event.data as Record<string, unknown>) : {};
  const to = typeof data.to === "string" && STATES.has(data.to) ? (data.to as TaskState) : byType;
  return {
    id: event.id,
    at: event.at,
    task: event.subject,
    to,
    agent: typeof data.agent === "string" ? data.agent : null,
    note: typeof data.note === "string" ? data.note : null,
  };
}

/**
 * Every task's state at `input.at`, in the order of `input.tasks`.
 *
 * - Listed: a task some import at or before `at` contains (a task first added by a later import is not listed yet).
 *   `removed`: the latest import at or before `at` no longer contains it. A stored id that no import lists (or an
 *   import id the store does not list) is left out; without any import at or before `at` the list is empty.
 * - State: the last move at or before `at` (events after it are ignored, whatever their place in the list), with its
 *   time (`since`), agent (`by`) and note; a task never moved is `pending` since null.
 *
 * Moves apply in the given (store id) order. O(T + S + E) for T tasks, S ids over the imports, E events.
 * Throws USAGE when `at`, an import's or a move's time is not an ISO 8601 date-time with a zone.
 */
export function replayTasks(input: ReplayTasksInput): TaskAt[] {
  const atMs = instantMs(input.at, "the replay's moment");
  // Imports: every id listed by one at or before `at`, and the latest such import (equal times: the later given).
  const seen = new Set<string>();
  let latest: { ms: number; ids: Set<string> } | null = null;
  for (const imp of input.imports) {
    const ms = instantMs(imp.at, `the plan import of ${imp.tasks.length} task(s) at`);
    if (ms > atMs) continue;
    for (const t of imp.tasks) seen.add(t.id);
    if (latest === null || ms >= latest.ms) latest = { ms, ids: new Set(imp.tasks.map((t) => t.id)) };
  }
  if (latest === null) return [];

  const last = new Map<string, TaskMove>();
  for (const event of input.events) {
    const move = taskMoveOf(event);
    if (move === null || instantMs(move.at, `the time of event ${move.id} (${event.type} ${move.task})`) > atMs) continue;
    last.set(move.task, move);
  }

  const ids = latest.ids;
  const out: TaskAt[] = [];
  for (const task of input.tasks) {
    if (!seen.has(task.id)) continue;
    const move = last.get(task.id);
    out.push({
      id: task.id,
      title: task.title,
      owner: task.owner,
      state: move?.to ?? "pending",
      since: move?.at ?? null,
      by: move?.agent ?? null,
      note: move?.note ?? null,
      removed: !ids.has(task.id),
      dependsOn: [...(task.dependsOn ?? [])],
    });
  }
  return out;
}

/**
 * The runs that started at or before `at` (in the given order: `listRuns` gives start order), as they stood then.
 *
 * - A run that ended after `at` was still running then: `endedAt`, `outcome` and `note` (why it ended) are null.
 * - `heartbeatAt`: the store keeps only a run's LAST heartbeat. When that is at or before `at` it is also the last one
 *   before the moment (exact); when it is later, the heartbeats in between are not known and the run's start (the
 *   claim, its first heartbeat) stands in: a lower bound, so the lease looks older than it was.
 * - `leaseExpiresAt`: as stored, the lease after the last heartbeat. Exact when `heartbeatAt` is the stored heartbeat;
 *   otherwise later than the lease held at the moment — a worker that heartbeat after the moment was alive then, so
 *   a run running at the moment is not shown as stale for want of the heartbeats the store forgot.
 * - `costUsd`: `usage.costUsd` of a run ended by the moment; null while it was still running then (the stored usage
 *   was reported later) or when the agent reported no cost.
 *
 * O(R). Throws USAGE when `at` or a run's time is not an ISO 8601 date-time with a zone.
 */
export function replayRuns(runs: readonly TaskRun[], at: string): RunAt[] {
  const atMs = instantMs(at, "the replay's moment");
  const out: RunAt[] = [];
  for (const run of runs) {
    if (instantMs(run.startedAt, `the start of run ${run.id}`) > atMs) continue;
    const ended = run.endedAt !== null && instantMs(run.endedAt, `the end of run ${run.id}`) <= atMs;
    const beat = instantMs(run.heartbeatAt, `the heartbeat of run ${run.id}`) <= atMs ? run.heartbeatAt : run.startedAt;
    out.push({
      id: run.id,
      task: run.taskId,
      agent: run.agent,
      attempt: run.attempt,
      startedAt: run.startedAt,
      endedAt: ended ? run.endedAt : null,
      outcome: ended ? run.outcome : null,
      heartbeatAt: beat,
      leaseExpiresAt: run.leaseExpiresAt,
      note: ended ? run.note : null,
      costUsd: ended ? (run.usage?.costUsd ?? null) : null,
    });
  }
  return out;
}
