import { checkMove, readyLimit, checkReady, checkUniqueIds, notFound, planMove, runFinishedEvent, runOutcomeOfMove, type OpenPhase, type TaskWrite, type UnmetDependency } from "../task-state.js";
import type { NewEvent, PlanImport, Store, StoredPlan, TaskRecord, TaskState } from "../types.js";
import { transaction, type Guard, type Pool, type Queryable } from "./connection.js";
import { insertEvent } from "./events.js";
import { taskFacts, toPlan, toRun, toTask, type PlanRow, type RunRow, type TaskRow } from "../rows.js";
import { bulkInsert } from "./snapshots.js";

/** SQL that is true when the task row `alias` is ready: every dependency a stored, done task, every task of the phases its phase waits for done, and a failed task has attempts left. */
function ready(alias: string): string {
  return `(${alias}.state = 'pending' OR ${alias}.max_attempts IS NULL OR ${alias}.attempts < ${alias}.max_attempts)
    AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(${alias}.depends_on::jsonb) d(id) WHERE NOT EXISTS (SELECT 1 FROM task dep WHERE dep.id = d.id AND dep.state = 'done'))
    AND NOT EXISTS (SELECT 1 FROM phase_wait w JOIN task o ON o.phase = w.waits_for WHERE w.phase = ${alias}.phase AND o.removed = 0 AND o.state <> 'done')`;
}

/**
 * The first ready task in plan order. The WHERE repeats the partial claim indexes' condition, so that the planner
 * walks one of them in (ord, id) order and stops at the first ready row.
 */
function nextSql(owned: boolean, columns = "*"): string {
  return `SELECT ${columns} FROM task t WHERE t.removed = 0 AND t.state IN ('pending', 'failed') ${owned ? "AND t.owner = $1" : ""} AND ${ready("t")}
    ORDER BY t.ord, t.id LIMIT 1`;
}
const NEXT = { any: nextSql(false), owned: nextSql(true) };
const READY = nextSql(false).replace("LIMIT 1", "LIMIT $1");

/** JSON text of a SQL text value, as JSON.stringify writes a string (`null` for NULL). */
const js = (sql: string) => `COALESCE(to_json(${sql})::text, 'null')`;

/**
 * A claim of the next ready task in ONE statement, so that a claimer holds its row lock for one round trip: pick the
 * first ready row, skipping rows other claimers hold (SKIP LOCKED: concurrent claimers never wait for each other),
 * open its run, move the task, append `task.started` then `run.started`. Parameters: $1 agent, $2 at, $3 lease
 * expiry, $4 note. This is task-state.ts's `planMove(…, "in_progress", …, { claim: true, run })` and
 * `runStartedEvent` written in SQL — attempts + 1, lease epoch + 1, claimer and note set, the events' JSON written
 * byte for byte as JSON.stringify writes them; the conformance suite and test/store/postgres-same-as-sqlite.test.ts
 * (stored rows compared with SQLite's, text for text) hold the two to each other. Returns the task and run rows as
 * JSON, or no row when nothing is ready.
 */
function claimSql(owned: boolean): string {
  const taskStarted = `'{"from":' || ${js("p.state")} || ',"to":"in_progress","agent":' || ${js("$1::text")} || ',"note":' || ${js("$4::text")} || ',"force":false,"run":' || r.id || '}'`;
  const runStarted = `'{"task":' || ${js("r.task_id")} || ',"agent":' || ${js("r.agent")} || ',"attempt":' || r.attempt || ',"epoch":' || r.epoch || ',"leaseExpiresAt":' || ${js("r.lease_expires_at")} || '}'`;
  return `WITH picked AS (${nextSql(owned, "t.id, t.state, t.attempts, t.lease_epoch")} FOR UPDATE OF t SKIP LOCKED),
    run AS (
      INSERT INTO task_run (task_id, agent, attempt, epoch, started_at, heartbeat_at, lease_expires_at)
      SELECT p.id, $1, p.attempts + 1, p.lease_epoch + 1, $2, $2, $3 FROM picked p RETURNING *),
    moved AS (
      UPDATE task SET state = 'in_progress', claimed_by = $1, attempts = r.attempt, note = $4, lease_epoch = r.epoch, updated_at = $2, version = task.version + 1
      FROM run r WHERE task.id = r.task_id RETURNING task.*),
    events AS (
      INSERT INTO event (at, type, subject, data)
      SELECT $2, e.type, e.subject, e.data FROM picked p CROSS JOIN run r
        CROSS JOIN LATERAL (VALUES (1, 'task.started', p.id, ${taskStarted}), (2, 'run.started', r.id::text, ${runStarted})) e(n, type, subject, data)
      ORDER BY e.n)
    SELECT to_jsonb(m) AS task, to_jsonb(r) AS run FROM moved m CROSS JOIN run r`;
}
/**
 * Named statements: each connection parses and plans them once instead of on every call (planning the claim cost
 * 0.8 ms of its 1.1 ms on the server; its execution 0.3 ms).
 */
export const CLAIM_NEXT = { any: { name: "shipgate_claim_any", text: claimSql(false) }, owned: { name: "shipgate_claim_owned", text: claimSql(true) } };

/** JSON text of a SQL value, as JSON.stringify writes it (`null` for NULL), for the finish statement. */
export const jsonText = js;

/** The steps the task moves and the run methods share; each runs on the caller's client, inside its transaction. */
export function taskSteps(location: string) {
  return {
    async getRow(db: Queryable, id: string, lock = false): Promise<TaskRow | undefined> {
      return (await db.query<TaskRow>(`SELECT * FROM task WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [id])).rows[0];
    },
    /** The first ready task (`nextTask`). */
    async nextRow(db: Queryable, agent: string, ownedOnly: boolean): Promise<TaskRow | undefined> {
      return (await db.query<TaskRow>(ownedOnly ? NEXT.owned : NEXT.any, ownedOnly ? [agent] : [])).rows[0];
    },
    /** The row of `id`, locked for the rest of the transaction, or NOT_FOUND. */
    async mustLock(db: Queryable, id: string): Promise<TaskRow> {
      const row = await this.getRow(db, id, true);
      if (!row) throw notFound(id, location);
      return row;
    },
    /** NOT_READY unless every dependency and every phase waited for is done. */
    async checkReady(db: Queryable, row: TaskRow): Promise<void> {
      const unmet = await db.query<UnmetDependency>(
        `SELECT d.id, dep.state FROM jsonb_array_elements_text($1::jsonb) WITH ORDINALITY d(id, n) LEFT JOIN task dep ON dep.id = d.id
         WHERE dep.state IS DISTINCT FROM 'done' ORDER BY d.n`,
        [row.depends_on],
      );
      const phases = await db.query<OpenPhase>(
        `SELECT w.waits_for AS phase,
           (SELECT o.id || ' (' || o.state || ')' FROM task o WHERE o.phase = w.waits_for AND o.removed = 0 AND o.state <> 'done' ORDER BY o.state, o.ord, o.id LIMIT 1) AS example,
           (SELECT COUNT(*) FROM task o WHERE o.phase = w.waits_for AND o.removed = 0 AND o.state <> 'done') AS open
         FROM phase_wait w WHERE w.phase = $1 ORDER BY w.waits_for`,
        [row.phase],
      );
      checkReady(row.id, unmet.rows, phases.rows);
    },
    /**
     * Writes a planned move as a compare-and-set on `version`, with its event (after `before`, events of the same
     * step), in one statement; the caller holds the row lock.
     */
    async writeMove(db: Queryable, row: TaskRow, move: TaskWrite, at: string, before: NewEvent[] = []): Promise<TaskRecord> {
      const events = [...before, { at, ...move.event }];
      const params: unknown[] = [move.state, move.claimedBy, move.attempts, move.note, move.leaseEpoch, at, row.id, row.version];
      const values = events.map((e) => {
        params.push(e.at, e.type, e.subject ?? null, e.data === undefined ? null : JSON.stringify(e.data));
        const n = params.length;
        return `($${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
      });
      const written = await db.query(
        `WITH moved AS (
           UPDATE task SET state = $1, claimed_by = $2, attempts = $3, note = $4, lease_epoch = $5, updated_at = $6, version = version + 1
           WHERE id = $7 AND version = $8 RETURNING id)
         INSERT INTO event (at, type, subject, data) SELECT e.* FROM (VALUES ${values.join(", ")}) e(at, type, subject, data) WHERE EXISTS (SELECT 1 FROM moved)`,
        params,
      );
      // Cannot happen under the row lock; kept so that a driver change that loses the lock fails loudly.
      if (written.rowCount !== events.length) throw new Error(`task ${row.id} changed while it was being moved (version ${row.version})`);
      return toTask({ ...row, state: move.state, claimed_by: move.claimedBy, attempts: move.attempts, note: move.note, lease_epoch: move.leaseEpoch, updated_at: at, version: row.version + 1 });
    },
    /** Ends the task's open run, if any, when the task leaves in_progress by hand; returns its id and its run.finished event. */
    async endOpenRun(db: Queryable, taskId: string, to: TaskState, at: string, note: string | null): Promise<{ id: number; event: NewEvent } | undefined> {
      const ended = await db.query<RunRow>(
        `UPDATE task_run SET ended_at = $2, outcome = $3, note = $4
         WHERE id = (SELECT id FROM task_run WHERE task_id = $1 AND ended_at IS NULL ORDER BY id DESC LIMIT 1) RETURNING *`,
        [taskId, at, runOutcomeOfMove(to), note],
      );
      const run = ended.rows[0];
      return run && { id: run.id, event: { at, ...runFinishedEvent(toRun(run)) } };
    },
  };
}

export type TaskSteps = ReturnType<typeof taskSteps>;

type TaskMethods = Pick<Store, "importPlan" | "getPlan" | "listPlans" | "listTasks" | "getTask" | "nextTask" | "listReadyTasks" | "transitionTask">;

// Serializes plan imports across processes ("plan" in ASCII): of two importing the same new file, the second sees the first's plan.
const IMPORT_LOCK = 0x706c616e;

async function importPlan(db: Queryable, plan: PlanImport, at: string): Promise<{ plan: StoredPlan; changed: boolean }> {
  await db.query("SELECT pg_advisory_xact_lock($1)", [IMPORT_LOCK]);
  const latest = (await db.query<PlanRow>("SELECT * FROM plan ORDER BY id DESC LIMIT 1")).rows[0];
  if (latest?.hash === plan.hash) return { plan: toPlan(latest), changed: false };
  const id = (await db.query<{ id: number }>("INSERT INTO plan (hash, source, imported_at, content) VALUES ($1, $2, $3, $4) RETURNING id", [plan.hash, plan.source, at, JSON.stringify(plan.content)])).rows[0]!.id;
  const rows = plan.tasks.map((t, ord) => [t.id, t.title, t.owner, t.priority, t.slack, JSON.stringify(t.dependsOn), t.phase, ord, t.maxAttempts]);
  const columns = [
    ["id", "text"], ["title", "text"], ["owner", "text"], ["priority", "text"], ["slack", "float8"], ["depends_on", "text"],
    ["phase", "text"], ["ord", "bigint"], ["max_attempts", "bigint"],
  ] as const;
  const unnest = columns.map((c, i) => `$${i + 1}::${c[1]}[]`).join(", ");
  const names = columns.map((c) => c[0]).join(", ");
  let updated = 0;
  let added = 0;
  for (let start = 0; start < rows.length; start += 10_000) {
    const batch = rows.slice(start, start + 10_000);
    const params = [...columns.map((_, i) => batch.map((r) => r[i])), at];
    // Changes only rows whose definition differs, so the row count is the number of real updates.
    const changed = await db.query(
      `UPDATE task SET title = n.title, owner = n.owner, priority = n.priority, slack = n.slack, depends_on = n.depends_on, phase = n.phase,
         ord = n.ord, max_attempts = n.max_attempts, removed = 0, updated_at = $${columns.length + 1}, version = task.version + 1
       FROM unnest(${unnest}) AS n(${names})
       WHERE task.id = n.id AND (task.title IS DISTINCT FROM n.title OR task.owner IS DISTINCT FROM n.owner OR task.priority IS DISTINCT FROM n.priority
         OR task.slack IS DISTINCT FROM n.slack OR task.depends_on IS DISTINCT FROM n.depends_on OR task.phase IS DISTINCT FROM n.phase
         OR task.ord IS DISTINCT FROM n.ord OR task.max_attempts IS DISTINCT FROM n.max_attempts OR task.removed = 1)`,
      params,
    );
    updated += changed.rowCount ?? 0;
    const inserted = await db.query(
      `INSERT INTO task (${names}, state, attempts, removed, updated_at, version, lease_epoch)
       SELECT n.*, 'pending', 0, 0, $${columns.length + 1}, 0, 0 FROM unnest(${unnest}) AS n(${names}) ON CONFLICT (id) DO NOTHING`,
      params,
    );
    added += inserted.rowCount ?? 0;
  }
  const removed =
    (await db.query("UPDATE task SET removed = 1, updated_at = $1, version = version + 1 WHERE removed = 0 AND NOT (id = ANY($2::text[]))", [at, plan.tasks.map((t) => t.id)])).rowCount ?? 0;
  await db.query("DELETE FROM phase_wait");
  const waits = Object.entries(plan.phaseWaits).flatMap(([phase, list]) => [...new Set(list)].map((w) => [phase, w]));
  await bulkInsert(db, "phase_wait", [["phase", "text"], ["waits_for", "text"]], waits);
  await insertEvent(db, { at, type: "plan.imported", subject: String(id), data: { hash: plan.hash, source: plan.source, tasks: plan.tasks.length, added, updated, removed } });
  return { plan: { id, hash: plan.hash, source: plan.source, importedAt: at, content: plan.content }, changed: true };
}

/** The plan as imported, its tasks, and moves by hand. */
export function taskMethods(pool: Pool, steps: TaskSteps, guard: Guard): TaskMethods {
  return {
    importPlan: (plan, at) =>
      guard(() => {
        checkUniqueIds(plan.tasks, plan.source);
        return transaction(pool, (client) => importPlan(client, plan, at));
      }),
    getPlan: (options = {}) =>
      guard(async () => {
        const columns = options.content === false ? "id, hash, source, imported_at, 'null' AS content" : "*";
        const row = (await pool.query<PlanRow>(`SELECT ${columns} FROM plan ORDER BY id DESC LIMIT 1`)).rows[0];
        return row && toPlan(row);
      }),
    listPlans: (query = {}) =>
      guard(async () => {
        const columns = query.content === false ? "id, hash, source, imported_at, 'null' AS content" : "*";
        // Open ends of the range are NULL parameters (typed: PostgreSQL cannot infer a NULL's type from IS NULL).
        const sql = `SELECT ${columns} FROM plan WHERE ($1::text IS NULL OR imported_at >= $1) AND ($2::text IS NULL OR imported_at < $2) ORDER BY imported_at, id`;
        return (await pool.query<PlanRow>(sql, [query.from ?? null, query.to ?? null])).rows.map(toPlan);
      }),
    listTasks: () => guard(async () => (await pool.query<TaskRow>("SELECT * FROM task ORDER BY removed, ord, id")).rows.map(toTask)),
    getTask: (id) =>
      guard(async () => {
        const row = await steps.getRow(pool, id);
        return row && toTask(row);
      }),
    nextTask: (agent, opts = {}) =>
      guard(async () => {
        const row = await steps.nextRow(pool, agent, opts.ownedOnly ?? true);
        return row && toTask(row);
      }),
    listReadyTasks: (limit) => guard(async () => (await pool.query<TaskRow>(READY, [readyLimit(limit)])).rows.map(toTask)),
    transitionTask: (id, to, by, at) =>
      guard(() =>
        transaction(pool, async (client) => {
          const row = await steps.mustLock(client, id);
          checkMove(taskFacts(row), to, by);
          if (to === "in_progress") await steps.checkReady(client, row);
          const ended = row.state === "in_progress" && to !== "in_progress" ? await steps.endOpenRun(client, id, to, at, by.note ?? null) : undefined;
          const move = planMove(taskFacts(row), to, by, ended === undefined ? {} : { run: ended.id, outcome: runOutcomeOfMove(to) });
          return steps.writeMove(client, row, move, at, ended ? [ended.event] : []);
        }),
      ),
  };
}
