import { checkClaimable, checkLease, checkMove, leaseExpiry, planMove, runFinishedEvent, runStartedEvent, taskStateAfterRun } from "../task-state.js";
import type { ClaimRequest, RunFinish, Store, TaskRecord, TaskRun } from "../types.js";
import type { QueryResult } from "pg";
import { transaction, type Guard, type Pool, type Queryable } from "./connection.js";
import { taskFacts, toRun, toTask, type RunRow, type TaskRow } from "../rows.js";
import { CLAIM_NEXT, jsonText as js, type TaskSteps } from "./tasks.js";

/**
 * Ending a run the caller holds in ONE statement (a named one: planned once per connection), so that a finish is one
 * round trip instead of four (BEGIN, lock, write, COMMIT): lock the run's task row first (the lock order of a move by
 * hand), end the run only while it is open with this epoch, move the task, append `run.finished` then the task's
 * event. Parameters: $1 run id, $2 epoch, $3 at, $4 outcome, $5 exit code, $6 note, $7 log, $8 usage. This is
 * `taskStateAfterRun` + `planMove` + `runFinishedEvent` for the outcomes a worker reports (never `lost`: the task
 * state follows from the outcome alone, and `pending` means `cancelled`, which gives the attempt back), written in SQL
 * as CLAIM_NEXT writes the claim. No row: nothing was written.
 */
function finishSql(to: "done" | "failed" | "pending"): { name: string; text: string } {
  const runFinished = `'{"task":' || ${js("r.task_id")} || ',"agent":' || ${js("r.agent")} || ',"attempt":' || r.attempt || ',"epoch":' || r.epoch || ',"outcome":' || ${js("r.outcome")} || ',"exitCode":' || ${js("r.exit_code")} || '}'`;
  const taskMoved = `'{"from":' || ${js("t.state")} || ',"to":"${to}","agent":' || ${js("r.agent")} || ',"note":' || ${js("$6::text")} || ',"force":false,"run":' || r.id || '}'`;
  const text = `WITH t AS (SELECT task.id, task.state FROM task WHERE task.id = (SELECT task_id FROM task_run WHERE id = $1) FOR UPDATE),
    r AS (
      UPDATE task_run SET ended_at = $3, outcome = $4, exit_code = $5, note = $6, log = COALESCE($7, task_run.log), usage = COALESCE($8, task_run.usage)
      FROM t WHERE task_run.id = $1 AND task_run.task_id = t.id AND task_run.epoch = $2 AND task_run.ended_at IS NULL RETURNING task_run.*),
    moved AS (
      UPDATE task SET state = '${to}', claimed_by = ${to === "pending" ? "NULL" : "task.claimed_by"}, ${to === "pending" ? "attempts = GREATEST(task.attempts - 1, 0), " : ""}note = $6, updated_at = $3, version = task.version + 1
      FROM r WHERE task.id = r.task_id RETURNING task.*),
    events AS (
      INSERT INTO event (at, type, subject, data)
      SELECT $3, e.type, e.subject, e.data FROM r JOIN t ON t.id = r.task_id
        CROSS JOIN LATERAL (VALUES (1, 'run.finished', r.id::text, ${runFinished}), (2, 'task.${to}', r.task_id, ${taskMoved})) e(n, type, subject, data)
      ORDER BY e.n)
    SELECT to_jsonb(m) AS task, to_jsonb(r) AS run FROM moved m CROSS JOIN r`;
  return { name: `shipgate_finish_${to}`, text };
}
const FINISH = { done: finishSql("done"), failed: finishSql("failed"), pending: finishSql("pending") };

type RunMethods = Pick<Store, "claimTask" | "heartbeat" | "finishRun" | "expireLeases" | "getRun" | "listRuns">;

const json = (value: unknown) => (value === undefined || value === null ? null : JSON.stringify(value));

/**
 * Claims with leases, heartbeats, the end of a run, and lease expiry. A move by hand locks the task row, then its
 * run; ending a run locks both in one statement; a deadlock between the two, should one happen, is retried by
 * `transaction`.
 */
export function runMethods(pool: Pool, location: string, steps: TaskSteps, guard: Guard): RunMethods {
  const getRow = async (db: Queryable, id: number) => (await db.query<RunRow>("SELECT * FROM task_run WHERE id = $1", [id])).rows[0];

  /** A claim of `request.taskId`: its refusals are those of a start by hand (and checkClaimable's), in one transaction. */
  async function claimById(db: Queryable, request: ClaimRequest & { taskId: string }): Promise<{ task: TaskRecord; run: TaskRun }> {
    const by = { agent: request.agent, ...(request.note === undefined ? {} : { note: request.note }) };
    const row = await steps.mustLock(db, request.taskId);
    checkMove(taskFacts(row), "in_progress", by);
    checkClaimable(taskFacts(row));
    await steps.checkReady(db, row);
    const expires = leaseExpiry(request.at, request.leaseMs);
    const runId = (await db.query<{ id: number }>("SELECT nextval(pg_get_serial_sequence('task_run', 'id')) AS id")).rows[0]!.id;
    const move = planMove(taskFacts(row), "in_progress", by, { claim: true, run: runId });
    const run: TaskRun = {
      id: runId, taskId: row.id, agent: request.agent, attempt: move.attempts, epoch: move.leaseEpoch, startedAt: request.at, heartbeatAt: request.at,
      leaseExpiresAt: expires, endedAt: null, outcome: null, exitCode: null, log: null, usage: null, note: null,
    };
    // The run, the task's move (compare-and-set) and both events in one statement.
    const started = runStartedEvent(run);
    const written = await db.query(
      `WITH run AS (
         INSERT INTO task_run (id, task_id, agent, attempt, epoch, started_at, heartbeat_at, lease_expires_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $7) RETURNING id),
       moved AS (
         UPDATE task SET state = $8, claimed_by = $3, attempts = $4, note = $9, lease_epoch = $5, updated_at = $6, version = version + 1
         WHERE id = $2 AND version = $10 AND EXISTS (SELECT 1 FROM run) RETURNING id)
       INSERT INTO event (at, type, subject, data) SELECT e.* FROM (VALUES ($6, $11, $2, $12), ($6, $13, $14, $15)) e(at, type, subject, data)
       WHERE EXISTS (SELECT 1 FROM moved)`,
      [
        runId, row.id, request.agent, move.attempts, move.leaseEpoch, request.at, expires, move.state, move.note, row.version,
        move.event.type, JSON.stringify(move.event.data), started.type, started.subject, JSON.stringify(started.data),
      ],
    );
    if (written.rowCount !== 2) throw new Error(`task ${row.id} changed while it was being claimed (version ${row.version})`);
    const task = toTask({ ...row, state: move.state, claimed_by: move.claimedBy, attempts: move.attempts, note: move.note, lease_epoch: move.leaseEpoch, updated_at: request.at, version: row.version + 1 });
    return { task, run };
  }

  /** A claim of the next ready task: one statement (tasks.ts CLAIM_NEXT), no transaction around it. */
  async function claimNext(request: ClaimRequest): Promise<{ task: TaskRecord; run: TaskRun } | undefined> {
    const owned = request.ownedOnly ?? true;
    let expires: string;
    try {
      expires = leaseExpiry(request.at, request.leaseMs);
    } catch (error) {
      // As SQLite: with nothing ready, a claim resolves undefined whatever the lease says.
      if (await steps.nextRow(pool, request.agent, owned)) throw error;
      return undefined;
    }
    const claimed = await pool.query<{ task: TaskRow; run: RunRow }>({ ...(owned ? CLAIM_NEXT.owned : CLAIM_NEXT.any), values: [request.agent, request.at, expires, request.note ?? null] });
    const row = claimed.rows[0];
    return row && { task: toTask(row.task), run: toRun(row.run) };
  }

  /**
   * Ends one open run (locked, with its task) and moves its task as the outcome says: the run's end, the task's move
   * (compare-and-set) and both events in one statement.
   */
  async function end(db: Queryable, run: RunRow, task: TaskRow, finish: RunFinish | { at: string; outcome: "lost"; note: string }): Promise<{ task: TaskRecord; run: TaskRun }> {
    const exitCode = "exitCode" in finish ? (finish.exitCode ?? null) : null;
    const log = "log" in finish ? (finish.log ?? null) : null;
    const usage = "usage" in finish ? json(finish.usage) : null;
    const endedRow: RunRow = { ...run, ended_at: finish.at, outcome: finish.outcome, exit_code: exitCode, note: finish.note ?? null, log: log ?? run.log, usage: usage ?? run.usage };
    const ended = toRun(endedRow);
    const to = taskStateAfterRun(finish.outcome, taskFacts(task));
    const move = planMove(taskFacts(task), to, { agent: finish.outcome === "lost" ? null : run.agent, note: finish.note ?? undefined }, { run: run.id, outcome: finish.outcome });
    const finished = runFinishedEvent(ended);
    const written = await db.query(
      `WITH ended AS (
         UPDATE task_run SET ended_at = $2, outcome = $3, exit_code = $4, note = $5, log = $6, usage = $7 WHERE id = $1 AND ended_at IS NULL RETURNING id),
       moved AS (
         UPDATE task SET state = $8, claimed_by = $9, attempts = $10, note = $11, lease_epoch = $12, updated_at = $2, version = version + 1
         WHERE id = $13 AND version = $14 AND EXISTS (SELECT 1 FROM ended) RETURNING id)
       INSERT INTO event (at, type, subject, data) SELECT e.* FROM (VALUES ($2, $15, $16, $17), ($2, $18, $13, $19)) e(at, type, subject, data)
       WHERE EXISTS (SELECT 1 FROM moved)`,
      [
        run.id, finish.at, finish.outcome, exitCode, endedRow.note, endedRow.log, endedRow.usage,
        move.state, move.claimedBy, move.attempts, move.note, move.leaseEpoch, task.id, task.version,
        finished.type, finished.subject, JSON.stringify(finished.data), move.event.type, JSON.stringify(move.event.data),
      ],
    );
    // Cannot happen under the row locks; kept so that a driver change that loses them fails loudly.
    if (written.rowCount !== 2) throw new Error(`run ${run.id} or task ${task.id} changed while the run was being ended`);
    const moved = toTask({ ...task, state: move.state, claimed_by: move.claimedBy, attempts: move.attempts, note: move.note, lease_epoch: move.leaseEpoch, updated_at: finish.at, version: task.version + 1 });
    return { task: moved, run: ended };
  }

  /** `finishRun` in one statement (FINISH); undefined when it wrote nothing and the run still looks open with this epoch. */
  async function finishOne(runId: number, epoch: number, finish: RunFinish): Promise<{ task: TaskRecord; run: TaskRun } | undefined> {
    const to = taskStateAfterRun(finish.outcome, { attempts: 0, maxAttempts: null }) as "done" | "failed" | "pending";
    const values = [runId, epoch, finish.at, finish.outcome, finish.exitCode ?? null, finish.note ?? null, finish.log ?? null, json(finish.usage)];
    let row: { task: TaskRow; run: RunRow } | undefined;
    try {
      row = (await pool.query<{ task: TaskRow; run: RunRow }>({ ...FINISH[to], values })).rows[0];
    } catch (error) {
      // A deadlock with a concurrent move: the transactional path retries it.
      if ((error as { code?: unknown }).code === "40P01") return undefined;
      throw error;
    }
    if (row) return { task: toTask(row.task), run: toRun(row.run) };
    const current = await getRow(pool, runId);
    checkLease(current && toRun(current), runId, epoch, location);
    return undefined;
  }

  /**
   * The statement that locks a run and its task (one statement, sent with BEGIN: an integer id is written into it),
   * or undefined for an id no run can have.
   */
  const lockRunSql = (runId: number): string | undefined =>
    Number.isSafeInteger(runId)
      ? `SELECT to_jsonb(t) AS t, to_jsonb(r) AS r FROM task t JOIN task_run r ON r.task_id = t.id WHERE r.id = ${runId} FOR UPDATE OF t, r`
      : undefined;
  const lockedRun = (result: QueryResult | undefined): { run: RunRow; task: TaskRow } | undefined => {
    const row = result?.rows[0] as { t: TaskRow; r: RunRow } | undefined;
    return row && { run: row.r, task: row.t };
  };

  return {
    claimTask: (request) => {
      const { taskId } = request;
      return guard(() => (taskId === undefined ? claimNext(request) : transaction(pool, (client) => claimById(client, { ...request, taskId }))));
    },
    heartbeat: (runId, epoch, leaseMs, update) =>
      guard(async () => {
        const expires = leaseExpiry(update.at, leaseMs);
        // One statement when the lease holds; the refusal is worded from the row as it is.
        const beat = await pool.query<RunRow>(
          `UPDATE task_run SET heartbeat_at = $3, lease_expires_at = $4, log = COALESCE($5, log), usage = COALESCE($6, usage)
           WHERE id = $1 AND epoch = $2 AND ended_at IS NULL RETURNING *`,
          [runId, epoch, update.at, expires, update.log ?? null, json(update.usage)],
        );
        if (beat.rows[0]) return toRun(beat.rows[0]);
        const current = await getRow(pool, runId);
        checkLease(current && toRun(current), runId, epoch, location);
        throw new Error(`run ${runId} could not be extended`);
      }),
    finishRun: (runId, epoch, finish) =>
      guard(async () => {
        const one = await finishOne(runId, epoch, finish);
        if (one) return one;
        const first = lockRunSql(runId);
        if (first === undefined) checkLease(undefined, runId, epoch, location);
        return transaction(
          pool,
          async (client, locked) => {
            const held = lockedRun(locked);
            checkLease(held && toRun(held.run), runId, epoch, location);
            return end(client, held!.run, held!.task, finish);
          },
          { first },
        );
      }),
    expireLeases: (at) =>
      guard(async () => {
        const due = await pool.query<{ id: number }>("SELECT id FROM task_run WHERE ended_at IS NULL AND lease_expires_at < $1 ORDER BY id", [at]);
        const ended: TaskRun[] = [];
        for (const { id } of due.rows) {
          const run = await transaction(
            pool,
            async (client, first) => {
              const locked = lockedRun(first);
              // A heartbeat or a finish may have landed since the scan.
              if (!locked || locked.run.ended_at !== null || locked.run.lease_expires_at >= at) return undefined;
              return (await end(client, locked.run, locked.task, { at, outcome: "lost", note: "lease expired" })).run;
            },
            { first: lockRunSql(id) },
          );
          if (run) ended.push(run);
        }
        return ended;
      }),
    getRun: (id) =>
      guard(async () => {
        const row = await getRow(pool, id);
        return row && toRun(row);
      }),
    listRuns: (query = {}) =>
      guard(async () => {
        const params: unknown[] = [];
        const where: string[] = [];
        const add = (sql: string, value: unknown) => {
          params.push(value);
          where.push(sql.replace("?", `$${params.length}`));
        };
        if (query.taskId !== undefined) add("task_id = ?", query.taskId);
        if (query.agent !== undefined) add("agent = ?", query.agent);
        if (query.from !== undefined) add("started_at >= ?", query.from);
        if (query.to !== undefined) add("started_at < ?", query.to);
        if (query.open !== undefined) where.push(query.open ? "ended_at IS NULL" : "ended_at IS NOT NULL");
        params.push(query.limit ?? null);
        const sql = `SELECT * FROM task_run ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id LIMIT $${params.length}`;
        return (await pool.query<RunRow>(sql, params)).rows.map(toRun);
      }),
  };
}
