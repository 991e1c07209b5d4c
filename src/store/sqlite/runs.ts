import { checkClaimable, checkLease, checkMove, leaseExpiry, planMove, runFinishedEvent, runStartedEvent, taskStateAfterRun } from "../task-state.js";
import type { ClaimRequest, RunFinish, RunQuery, Store, TaskRecord, TaskRun } from "../types.js";
import { retryBusy, type Db } from "./connection.js";
import { taskFacts, toRun, type RunRow, type TaskRow } from "../rows.js";
import type { TaskSteps } from "./tasks.js";

type Guard = <T>(work: () => T) => Promise<T>;

/**
 * The open runs whose lease passed. Without statistics the planner scans every run ever stored (to skip sorting by
 * id); INDEXED BY pins the partial index of open runs, which stays as small as the number of runs in flight.
 */
export const EXPIRED_RUNS_SQL = "SELECT id FROM task_run INDEXED BY task_run_open WHERE ended_at IS NULL AND lease_expires_at < ? ORDER BY id";

/** The query `listRuns` runs, with its parameters (the limit last). */
export function listRunsQuery(query: RunQuery): { sql: string; params: (string | number)[] } {
  const set: [string, string | number][] = [];
  if (query.taskId !== undefined) set.push(["task_id = ?", query.taskId]);
  if (query.agent !== undefined) set.push(["agent = ?", query.agent]);
  if (query.from !== undefined) set.push(["started_at >= ?", query.from]);
  if (query.to !== undefined) set.push(["started_at < ?", query.to]);
  const open = query.open === undefined ? "" : query.open ? "ended_at IS NULL" : "ended_at IS NOT NULL";
  const where = [...set.map((s) => s[0]), ...(open ? [open] : [])];
  // Open runs are few among all runs: read them from their partial index unless a task narrows the search more.
  const index = query.open === true && query.taskId === undefined ? " INDEXED BY task_run_open" : "";
  const sql = `SELECT * FROM task_run${index} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id LIMIT ?`;
  return { sql, params: [...set.map((s) => s[1]), query.limit ?? -1] };
}

type RunMethods = Pick<Store, "claimTask" | "heartbeat" | "finishRun" | "expireLeases" | "getRun" | "listRuns">;

/** Claims with leases, heartbeats, the end of a run, and lease expiry. */
export function runMethods(db: Db, location: string, steps: TaskSteps, guard: Guard): RunMethods {
  const q = {
    get: db.prepare("SELECT * FROM task_run WHERE id = ?"),
    insert: db.prepare(
      "INSERT INTO task_run (task_id, agent, attempt, epoch, started_at, heartbeat_at, lease_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    heartbeat: db.prepare(
      "UPDATE task_run SET heartbeat_at = @at, lease_expires_at = @expires, log = COALESCE(@log, log), usage = COALESCE(@usage, usage) WHERE id = @id AND ended_at IS NULL",
    ),
    end: db.prepare(
      `UPDATE task_run SET ended_at = @at, outcome = @outcome, exit_code = @exitCode, note = @note,
         log = COALESCE(@log, log), usage = COALESCE(@usage, usage) WHERE id = @id AND ended_at IS NULL`,
    ),
    expired: db.prepare(EXPIRED_RUNS_SQL),
  };
  const getRow = (id: number) => q.get.get(id) as RunRow | undefined;
  const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

  const claimTx = db.transaction((request: ClaimRequest): { task: TaskRecord; run: TaskRun } | undefined => {
    let row: TaskRow | undefined;
    const by = { agent: request.agent, ...(request.note === undefined ? {} : { note: request.note }) };
    if (request.taskId !== undefined) {
      row = steps.mustGet(request.taskId);
      checkMove(taskFacts(row), "in_progress", by);
      checkClaimable(taskFacts(row));
      steps.checkReady(row);
    } else {
      row = steps.nextRow(request.agent, request.ownedOnly ?? true);
      if (!row) return undefined;
    }
    const expires = leaseExpiry(request.at, request.leaseMs);
    const move = planMove(taskFacts(row), "in_progress", by, { claim: true });
    const runId = Number(q.insert.run(row.id, request.agent, move.attempts, move.leaseEpoch, request.at, request.at, expires).lastInsertRowid);
    move.event.data.run = runId;
    const task = steps.writeMove(row, move, request.at);
    const run = toRun(getRow(runId) as RunRow);
    steps.insertEvent({ at: request.at, ...runStartedEvent(run) });
    return { task, run };
  });

  const heartbeatTx = db.transaction((runId: number, epoch: number, leaseMs: number, update: { at: string; log?: string | null; usage?: unknown }): TaskRun => {
    const current = getRow(runId);
    checkLease(current && toRun(current), runId, epoch, location);
    q.heartbeat.run({ id: runId, at: update.at, expires: leaseExpiry(update.at, leaseMs), log: update.log ?? null, usage: json(update.usage) });
    return toRun(getRow(runId) as RunRow);
  });

  /** Ends one open run and moves its task as the outcome says; the caller holds the write lock. */
  const end = (run: RunRow, finish: RunFinish | { at: string; outcome: "lost"; note: string }): { task: TaskRecord; run: TaskRun } => {
    const exitCode = "exitCode" in finish ? (finish.exitCode ?? null) : null;
    const log = "log" in finish ? (finish.log ?? null) : null;
    const usage = "usage" in finish ? json(finish.usage) : null;
    q.end.run({ id: run.id, at: finish.at, outcome: finish.outcome, exitCode, note: finish.note ?? null, log, usage });
    const ended = toRun(getRow(run.id) as RunRow);
    steps.insertEvent({ at: finish.at, ...runFinishedEvent(ended) });
    const row = steps.mustGet(run.task_id);
    const to = taskStateAfterRun(finish.outcome, taskFacts(row));
    const move = planMove(taskFacts(row), to, { agent: finish.outcome === "lost" ? null : run.agent, note: finish.note ?? undefined }, { run: run.id, outcome: finish.outcome });
    return { task: steps.writeMove(row, move, finish.at), run: ended };
  };

  const finishTx = db.transaction((runId: number, epoch: number, finish: RunFinish) => {
    const current = getRow(runId);
    checkLease(current && toRun(current), runId, epoch, location);
    return end(current as RunRow, finish);
  });

  const expireTx = db.transaction((runId: number, at: string): TaskRun | undefined => {
    const current = getRow(runId);
    // A heartbeat or a finish may have landed since the scan.
    if (!current || current.ended_at !== null || current.lease_expires_at >= at) return undefined;
    return end(current, { at, outcome: "lost", note: "lease expired" }).run;
  });

  return {
    claimTask: (request) => guard(() => claimTx.immediate(request)),
    heartbeat: (runId, epoch, leaseMs, update) => guard(() => heartbeatTx.immediate(runId, epoch, leaseMs, update)),
    finishRun: (runId, epoch, finish) => guard(() => finishTx.immediate(runId, epoch, finish)),
    expireLeases: (at) =>
      guard(() => {
        const ids = (q.expired.all(at) as { id: number }[]).map((r) => r.id);
        // One transaction per run, each waiting for the lock on its own: a retry must not forget runs already ended.
        return ids.map((id) => retryBusy(() => expireTx.immediate(id, at))).filter((r): r is TaskRun => r !== undefined);
      }),
    getRun: (id) =>
      guard(() => {
        const row = getRow(id);
        return row && toRun(row);
      }),
    listRuns: (query = {}) =>
      guard(() => {
        const { sql, params } = listRunsQuery(query);
        return (db.prepare(sql).all(...params) as RunRow[]).map(toRun);
      }),
  };
}
