import { checkMove, readyLimit, checkReady, checkUniqueIds, notFound, planMove, runFinishedEvent, runOutcomeOfMove, type OpenPhase, type TaskWrite, type UnmetDependency } from "../task-state.js";
import type { PlanImport, Store, StoredPlan, TaskRecord, TaskState, TaskTransitionBy } from "../types.js";
import type { Db } from "./connection.js";
import { eventWriter } from "./events.js";
import { taskFacts, toPlan, toRun, toTask, type PlanRow, type RunRow, type TaskRow } from "../rows.js";

type Guard = <T>(work: () => T) => Promise<T>;

/** SQL that is true when the task row `alias` is ready: every dependency a stored, done task, every task of the phases its phase waits for done, and a failed task has attempts left. */
function ready(alias: string): string {
  return `(${alias}.state = 'pending' OR ${alias}.max_attempts IS NULL OR ${alias}.attempts < ${alias}.max_attempts)
    AND NOT EXISTS (SELECT 1 FROM json_each(${alias}.depends_on) d WHERE NOT EXISTS (SELECT 1 FROM task dep WHERE dep.id = d.value AND dep.state = 'done'))
    AND NOT EXISTS (SELECT 1 FROM phase_wait w JOIN task o ON o.phase = w.waits_for WHERE w.phase = ${alias}.phase AND o.removed = 0 AND o.state != 'done')`;
}

/** The statements and steps the task moves and the run methods share; each runs inside the caller's write transaction. */
export function taskSteps(db: Db, location: string) {
  const insertEvent = eventWriter(db);
  const q = {
    get: db.prepare("SELECT * FROM task WHERE id = ?"),
    // A dependency counts as met only when a stored task with that id is done.
    unmet: db.prepare(
      "SELECT d.value AS id, dep.state AS state FROM json_each(?) d LEFT JOIN task dep ON dep.id = d.value WHERE dep.state IS NOT 'done' ORDER BY d.key",
    ),
    // The first unfinished task of a phase `phase` waits for, per phase waited for.
    phaseUnmet: db.prepare(
      `SELECT w.waits_for AS phase, (SELECT o.id || ' (' || o.state || ')' FROM task o WHERE o.phase = w.waits_for AND o.removed = 0 AND o.state != 'done' LIMIT 1) AS example,
         (SELECT COUNT(*) FROM task o WHERE o.phase = w.waits_for AND o.removed = 0 AND o.state != 'done') AS open
       FROM phase_wait w WHERE w.phase = ? ORDER BY w.waits_for`,
    ),
    // Walks a partial index of claimable rows in claim order and stops at the first ready one. The WHERE repeats
    // the index's condition word for word (SQLite only uses a partial index it implies), and INDEXED BY pins the
    // plan: without statistics the planner may otherwise sort all candidates first.
    nextAny: db.prepare(
      `SELECT * FROM task t INDEXED BY task_claim WHERE t.removed = 0 AND t.state IN ('pending', 'failed') AND ${ready("t")}
       ORDER BY t.ord, t.id LIMIT 1`,
    ),
    readyAny: db.prepare(
      `SELECT * FROM task t INDEXED BY task_claim WHERE t.removed = 0 AND t.state IN ('pending', 'failed') AND ${ready("t")}
       ORDER BY t.ord, t.id LIMIT ?`,
    ),
    nextOwned: db.prepare(
      `SELECT * FROM task t INDEXED BY task_claim_owner WHERE t.removed = 0 AND t.state IN ('pending', 'failed') AND t.owner = ? AND ${ready("t")}
       ORDER BY t.ord, t.id LIMIT 1`,
    ),
    write: db.prepare(
      "UPDATE task SET state = ?, claimed_by = ?, attempts = ?, note = ?, lease_epoch = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
    ),
    openRun: db.prepare("SELECT * FROM task_run WHERE task_id = ? AND ended_at IS NULL ORDER BY id DESC LIMIT 1"),
    endRun: db.prepare("UPDATE task_run SET ended_at = ?, outcome = ?, note = ? WHERE id = ? AND ended_at IS NULL"),
  };

  return {
    insertEvent,
    getRow: (id: string) => q.get.get(id) as TaskRow | undefined,
    readyRows: (limit: number) => q.readyAny.all(limit) as TaskRow[],
    nextRow: (agent: string, ownedOnly: boolean) => (ownedOnly ? q.nextOwned.get(agent) : q.nextAny.get()) as TaskRow | undefined,
    /** The row of `id`, or NOT_FOUND. */
    mustGet(id: string): TaskRow {
      const row = q.get.get(id) as TaskRow | undefined;
      if (!row) throw notFound(id, location);
      return row;
    },
    /** NOT_READY unless every dependency and every phase waited for is done. */
    checkReady(row: TaskRow): void {
      const unmet = q.unmet.all(row.depends_on) as UnmetDependency[];
      const phases = q.phaseUnmet.all(row.phase) as OpenPhase[];
      checkReady(row.id, unmet, phases);
    },
    /** Writes a planned move as a compare-and-set on `version`, with its event; the caller holds the write lock. */
    writeMove(row: TaskRow, move: TaskWrite, at: string): TaskRecord {
      const written = q.write.run(move.state, move.claimedBy, move.attempts, move.note, move.leaseEpoch, at, row.id, row.version).changes;
      // Cannot happen under the write lock; kept so that a driver change that loses the lock fails loudly.
      if (written !== 1) throw new Error(`task ${row.id} changed while it was being moved (version ${row.version})`);
      insertEvent({ at, ...move.event });
      return toTask({ ...row, state: move.state, claimed_by: move.claimedBy, attempts: move.attempts, note: move.note, lease_epoch: move.leaseEpoch, updated_at: at, version: row.version + 1 });
    },
    /** Ends the task's open run, if any, when the task leaves in_progress by hand; returns its id. */
    endOpenRun(taskId: string, to: TaskState, at: string, note: string | null): number | undefined {
      const open = q.openRun.get(taskId) as RunRow | undefined;
      if (!open) return undefined;
      const outcome = runOutcomeOfMove(to);
      q.endRun.run(at, outcome, note, open.id);
      insertEvent({ at, ...runFinishedEvent(toRun({ ...open, ended_at: at, outcome })) });
      return open.id;
    },
  };
}

export type TaskSteps = ReturnType<typeof taskSteps>;

type TaskMethods = Pick<Store, "importPlan" | "getPlan" | "listPlans" | "listTasks" | "getTask" | "nextTask" | "listReadyTasks" | "transitionTask">;

/** The plan as imported, its tasks, and moves by hand. */
export function taskMethods(db: Db, steps: TaskSteps, guard: Guard): TaskMethods {
  const q = {
    latestPlan: db.prepare("SELECT * FROM plan ORDER BY id DESC LIMIT 1"),
    latestPlanHead: db.prepare("SELECT id, hash, source, imported_at, 'null' AS content FROM plan ORDER BY id DESC LIMIT 1"),
    // Open ends of the range are NULL parameters: plans are few (one per changed file), a scan of their heads is cheap.
    plans: db.prepare(
      "SELECT * FROM plan WHERE (@from IS NULL OR imported_at >= @from) AND (@to IS NULL OR imported_at < @to) ORDER BY imported_at, id",
    ),
    planHeads: db.prepare(
      `SELECT id, hash, source, imported_at, 'null' AS content FROM plan
       WHERE (@from IS NULL OR imported_at >= @from) AND (@to IS NULL OR imported_at < @to) ORDER BY imported_at, id`,
    ),
    insertPlan: db.prepare("INSERT INTO plan (hash, source, imported_at, content) VALUES (?, ?, ?, ?)"),
    // Changes only rows whose definition differs, so `changes` counts real updates.
    updateDefinition: db.prepare(
      `UPDATE task SET title = @title, owner = @owner, priority = @priority, slack = @slack, depends_on = @dependsOn, phase = @phase, ord = @ord,
         max_attempts = @maxAttempts, removed = 0, updated_at = @at, version = version + 1
       WHERE id = @id AND (title IS NOT @title OR owner IS NOT @owner OR priority IS NOT @priority OR slack IS NOT @slack
         OR depends_on IS NOT @dependsOn OR phase IS NOT @phase OR ord IS NOT @ord OR max_attempts IS NOT @maxAttempts OR removed = 1)`,
    ),
    insertTask: db.prepare(
      `INSERT INTO task (id, title, owner, priority, slack, depends_on, phase, ord, max_attempts, state, attempts, removed, updated_at, version, lease_epoch)
       VALUES (@id, @title, @owner, @priority, @slack, @dependsOn, @phase, @ord, @maxAttempts, 'pending', 0, 0, @at, 0, 0) ON CONFLICT(id) DO NOTHING`,
    ),
    markRemoved: db.prepare(
      "UPDATE task SET removed = 1, updated_at = ?, version = version + 1 WHERE removed = 0 AND id NOT IN (SELECT value FROM json_each(?))",
    ),
    list: db.prepare("SELECT * FROM task ORDER BY removed, ord, id"),
    clearPhaseWaits: db.prepare("DELETE FROM phase_wait"),
    insertPhaseWait: db.prepare("INSERT OR IGNORE INTO phase_wait (phase, waits_for) VALUES (?, ?)"),
  };

  const importTx = db.transaction((plan: PlanImport, at: string): { plan: StoredPlan; changed: boolean } => {
    const latest = q.latestPlan.get() as PlanRow | undefined;
    if (latest?.hash === plan.hash) return { plan: toPlan(latest), changed: false };
    const id = Number(q.insertPlan.run(plan.hash, plan.source, at, JSON.stringify(plan.content)).lastInsertRowid);
    let added = 0;
    let updated = 0;
    plan.tasks.forEach((t, ord) => {
      const row = { id: t.id, title: t.title, owner: t.owner, priority: t.priority, slack: t.slack, dependsOn: JSON.stringify(t.dependsOn), phase: t.phase, ord, maxAttempts: t.maxAttempts, at };
      if (q.updateDefinition.run(row).changes > 0) updated += 1;
      else if (q.insertTask.run(row).changes > 0) added += 1;
    });
    const removed = q.markRemoved.run(at, JSON.stringify(plan.tasks.map((t) => t.id))).changes;
    q.clearPhaseWaits.run();
    for (const [phase, waits] of Object.entries(plan.phaseWaits)) for (const w of waits) q.insertPhaseWait.run(phase, w);
    steps.insertEvent({ at, type: "plan.imported", subject: String(id), data: { hash: plan.hash, source: plan.source, tasks: plan.tasks.length, added, updated, removed } });
    return { plan: { id, hash: plan.hash, source: plan.source, importedAt: at, content: plan.content }, changed: true };
  });

  const transitionTx = db.transaction((id: string, to: TaskState, by: TaskTransitionBy, at: string): TaskRecord => {
    const row = steps.mustGet(id);
    checkMove(taskFacts(row), to, by);
    if (to === "in_progress") steps.checkReady(row);
    const run = row.state === "in_progress" && to !== "in_progress" ? steps.endOpenRun(id, to, at, by.note ?? null) : undefined;
    return steps.writeMove(row, planMove(taskFacts(row), to, by, run === undefined ? {} : { run, outcome: runOutcomeOfMove(to) }), at);
  });

  return {
    importPlan: (plan, at) =>
      guard(() => {
        checkUniqueIds(plan.tasks, plan.source);
        // Taking the write lock first makes the hash check and the import one step: of two processes importing
        // the same new file, the second sees the first's plan and writes nothing.
        return importTx.immediate(plan, at);
      }),
    getPlan: (options = {}) =>
      guard(() => {
        const row = (options.content === false ? q.latestPlanHead : q.latestPlan).get() as PlanRow | undefined;
        return row && toPlan(row);
      }),
    listPlans: (query = {}) =>
      guard(() => {
        const range = { from: query.from ?? null, to: query.to ?? null };
        return ((query.content === false ? q.planHeads : q.plans).all(range) as PlanRow[]).map(toPlan);
      }),
    listTasks: () => guard(() => (q.list.all() as TaskRow[]).map(toTask)),
    getTask: (id) =>
      guard(() => {
        const row = steps.getRow(id);
        return row && toTask(row);
      }),
    nextTask: (agent, opts = {}) =>
      guard(() => {
        const row = steps.nextRow(agent, opts.ownedOnly ?? true);
        return row && toTask(row);
      }),
    listReadyTasks: (limit) => guard(() => steps.readyRows(readyLimit(limit)).map(toTask)),
    transitionTask: (id, to, by, at) => guard(() => transitionTx.immediate(id, to, by, at)),
  };
}
