import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { ShipgateError } from "../../errors.js";
import { snapshotInputsHash } from "../inputs-hash.js";
import { sqliteMigrations } from "../migrations/sqlite.js";
import type {
  BaselineRecord,
  ImportedTask,
  NewEvent,
  NewSnapshot,
  PlanImport,
  SnapshotRecord,
  Store,
  StoreEvent,
  StoredAdvisory,
  StoredCoverageFile,
  StoredFact,
  StoredFinding,
  StoredPlan,
  StoredSource,
  StoredTestResult,
  TaskRecord,
  TaskState,
  TaskTransitionBy,
} from "../types.js";

export interface SqliteDriverOptions {
  /** Database file, or ":memory:". Its directory is created if missing. */
  path: string;
}

interface SnapshotRow {
  id: number;
  taken_at: string;
  git_commit: string | null;
  git_branch: string | null;
  git_dirty: number | null;
  git_tree: string | null;
  config_hash: string | null;
  inputs_hash: string | null;
  summary: string;
}

interface BaselineRow {
  name: string;
  snapshot_id: number;
  set_at: string;
}

const toBaseline = (row: BaselineRow): BaselineRecord => ({ name: row.name, snapshotId: row.snapshot_id, setAt: row.set_at });

interface PlanRow {
  id: number;
  hash: string;
  source: string;
  imported_at: string;
  content: string;
}

interface TaskRow {
  id: string;
  title: string;
  owner: string;
  priority: ImportedTask["priority"];
  slack: number;
  depends_on: string;
  phase: string;
  ord: number;
  state: TaskState;
  claimed_by: string | null;
  attempts: number;
  note: string | null;
  removed: number;
  updated_at: string;
  version: number;
}

const toPlan = (row: PlanRow): StoredPlan => ({
  id: row.id,
  hash: row.hash,
  source: row.source,
  importedAt: row.imported_at,
  content: JSON.parse(row.content) as unknown,
});

const toTask = (row: TaskRow): TaskRecord => ({
  id: row.id,
  title: row.title,
  owner: row.owner,
  priority: row.priority,
  slack: row.slack,
  dependsOn: JSON.parse(row.depends_on) as string[],
  phase: row.phase,
  state: row.state,
  claimedBy: row.claimed_by,
  attempts: row.attempts,
  note: row.note,
  removed: row.removed === 1,
  updatedAt: row.updated_at,
});

/** The task state machine: for each target state, the states it may be reached from. */
const MOVES: Readonly<Record<TaskState, readonly TaskState[]>> = {
  in_progress: ["pending", "failed", "blocked"],
  done: ["in_progress"],
  failed: ["in_progress"],
  blocked: ["pending", "in_progress", "failed"],
  pending: ["blocked", "failed"],
};
const FORCED_DONE_FROM: readonly TaskState[] = ["pending", "failed", "blocked"];
const TASK_STATES = Object.keys(MOVES) as TaskState[];

function invalidTransition(row: TaskRow, to: string): ShipgateError {
  const held = row.state === "in_progress" && row.claimed_by !== null ? ` (held by ${row.claimed_by})` : "";
  const next: string[] = TASK_STATES.filter((s) => MOVES[s].includes(row.state));
  if (FORCED_DONE_FROM.includes(row.state)) next.push("done (with force)");
  const hint =
    row.state === "in_progress" && to === "in_progress"
      ? "another agent is working on it: take another task, or wait until it is done or failed"
      : next.length === 0
        ? `${row.state} is final`
        : `from ${row.state} a task can become ${next.join(", ")}`;
  return new ShipgateError("INVALID_TRANSITION", `[task] ${row.id} is ${row.state}${held}; it cannot become ${to}`, { hint });
}

/** The error for a store that cannot be opened (exported for tests). */
export const sqliteOpenError = (location: string, error: unknown): ShipgateError => {
  const message = (error as Error).message;
  // better-sqlite3's native part was never built (installed with ignore-scripts=true) or was built for another
  // Node: its own message lists every path it tried. Say what happened and how to fix it, in one line.
  if (message.includes("Could not locate the bindings file") || message.includes("NODE_MODULE_VERSION")) {
    return new ShipgateError("STORE_UNAVAILABLE", `[store] [sqlite] better-sqlite3's native module is ${message.includes("NODE_MODULE_VERSION") ? "built for another Node.js version" : "not built (installed with ignore-scripts?)"}`, {
      hint: "rebuild it where shipgate is installed: npm rebuild better-sqlite3 --ignore-scripts=false (it compiles: about a minute)",
      cause: error,
    });
  }
  return new ShipgateError("STORE_UNAVAILABLE", `[store] [sqlite] ${location}: ${message}`, {
    hint: "check that the directory is writable and the file is a shipgate database (or point --db elsewhere)",
    cause: error,
  });
};
const fail = (location: string, error: unknown): never => {
  throw sqliteOpenError(location, error);
};

/** The embedded store: one SQLite file in WAL mode, safe for many processes on one machine. */
export function createSqliteDriver(options: SqliteDriverOptions): Store {
  const location = options.path;
  let db: Database.Database;
  try {
    if (location !== ":memory:") mkdirSync(dirname(location), { recursive: true });
    db = new Database(location, { timeout: 10_000 });
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    migrate(db);
  } catch (error) {
    return fail(location, error);
  }
  let closed = false;

  const statements = {
    insertSnapshot: db.prepare(
      "INSERT INTO snapshot (taken_at, git_commit, git_branch, git_dirty, git_tree, config_hash, inputs_hash, summary) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    insertSource: db.prepare(
      "INSERT INTO source (snapshot_id, path, sha256, bytes, format, tool, tool_version, collector) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    insertFact: db.prepare("INSERT INTO fact (snapshot_id, key, value, component, source_id) VALUES (?, ?, ?, ?, ?)"),
    insertTest: db.prepare(
      "INSERT INTO test_result (snapshot_id, test_id, file, suite, name, status, duration_ms, message, flaky, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    insertCoverage: db.prepare(
      `INSERT INTO coverage_file (snapshot_id, path, package, resolved, lines_covered, lines_total, branches_covered, branches_total,
        functions_covered, functions_total, statements_covered, statements_total, covered_lines, uncovered_lines, source_id)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertEvent: db.prepare("INSERT INTO event (at, type, subject, data) VALUES (?, ?, ?, ?)"),
    insertFinding: db.prepare(
      "INSERT INTO finding (snapshot_id, fingerprint, tool, kind, rule_id, level, message, file, line, suppressed, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    insertAdvisory: db.prepare(
      "INSERT INTO advisory (snapshot_id, advisory_id, aliases, package, versions, severity, title, url, fix_available, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
  };

  const saveTx = db.transaction((s: NewSnapshot): SnapshotRecord => {
    const summary = JSON.stringify(s.summary);
    const dirty = s.git.dirty === null ? null : s.git.dirty ? 1 : 0;
    const inputsHash = snapshotInputsHash(s);
    const id = Number(statements.insertSnapshot.run(s.takenAt, s.git.commit, s.git.branch, dirty, s.git.tree, s.configHash, inputsHash, summary).lastInsertRowid);
    const sourceIds = s.sources.map((src) =>
      Number(statements.insertSource.run(id, src.path, src.sha256, src.bytes, src.format, src.tool?.name ?? null, src.tool?.version ?? null, src.collector).lastInsertRowid),
    );
    const sourceId = (index: number | null): number | null => {
      if (index === null) return null;
      const found = sourceIds[index];
      if (found === undefined) throw new Error(`sourceIndex ${index} does not name one of the ${sourceIds.length} sources`);
      return found;
    };
    for (const f of s.facts) statements.insertFact.run(id, f.key, f.value, f.component, sourceId(f.sourceIndex));
    for (const t of s.tests) {
      statements.insertTest.run(id, t.testId, t.file, t.suite, t.name, t.status, t.durationMs, t.message, t.flaky ? 1 : 0, sourceId(t.sourceIndex));
    }
    for (const c of s.coverageFiles) {
      statements.insertCoverage.run(
        id, c.path, c.package, c.resolved ? 1 : 0,
        c.linesCovered, c.linesTotal, c.branchesCovered, c.branchesTotal,
        c.functionsCovered, c.functionsTotal, c.statementsCovered, c.statementsTotal,
        c.coveredLines, c.uncoveredLines, sourceId(c.sourceIndex),
      );
    }
    for (const f of s.findings ?? []) {
      statements.insertFinding.run(id, f.fingerprint, f.tool, f.kind, f.ruleId, f.level, f.message, f.file, f.line, f.suppressed ? 1 : 0, sourceId(f.sourceIndex));
    }
    for (const a of s.advisories ?? []) {
      const fix = a.fixAvailable === null ? null : a.fixAvailable ? 1 : 0;
      statements.insertAdvisory.run(id, a.advisoryId, JSON.stringify(a.aliases), a.package, JSON.stringify(a.versions), a.severity, a.title, a.url, fix, sourceId(a.sourceIndex));
    }
    const counts = { sources: s.sources.length, tests: s.tests.length, coverageFiles: s.coverageFiles.length, findings: s.findings?.length ?? 0, advisories: s.advisories?.length ?? 0 };
    statements.insertEvent.run(s.takenAt, "snapshot.created", String(id), JSON.stringify(counts));
    for (const e of s.events ?? []) statements.insertEvent.run(s.takenAt, e.type, `snapshot:${id}`, e.data === undefined ? null : JSON.stringify(e.data));
    return { id, takenAt: s.takenAt, git: s.git, configHash: s.configHash, inputsHash, summary: s.summary };
  });

  const setBaselineTx = db.transaction((name: string, snapshotId: number, at: string): BaselineRecord => {
    if (!db.prepare("SELECT 1 FROM snapshot WHERE id = ?").get(snapshotId)) {
      throw new ShipgateError("NOT_FOUND", `[store] no snapshot ${snapshotId} in ${location}`, { hint: "`shipgate history` lists the snapshots" });
    }
    db.prepare("INSERT INTO baseline (name, snapshot_id, set_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET snapshot_id = excluded.snapshot_id, set_at = excluded.set_at").run(name, snapshotId, at);
    statements.insertEvent.run(at, "baseline.set", name, JSON.stringify({ snapshotId }));
    return { name, snapshotId, setAt: at };
  });

  const tasks = {
    latestPlan: db.prepare("SELECT * FROM plan ORDER BY id DESC LIMIT 1"),
    latestPlanHead: db.prepare("SELECT id, hash, source, imported_at, 'null' AS content FROM plan ORDER BY id DESC LIMIT 1"),
    insertPlan: db.prepare("INSERT INTO plan (hash, source, imported_at, content) VALUES (?, ?, ?, ?)"),
    // Changes only rows whose definition differs, so `changes` counts real updates.
    updateDefinition: db.prepare(
      `UPDATE task SET title = @title, owner = @owner, priority = @priority, slack = @slack, depends_on = @dependsOn, phase = @phase, ord = @ord,
         removed = 0, updated_at = @at, version = version + 1
       WHERE id = @id AND (title IS NOT @title OR owner IS NOT @owner OR priority IS NOT @priority OR slack IS NOT @slack
         OR depends_on IS NOT @dependsOn OR phase IS NOT @phase OR ord IS NOT @ord OR removed = 1)`,
    ),
    insertTask: db.prepare(
      `INSERT INTO task (id, title, owner, priority, slack, depends_on, phase, ord, state, attempts, removed, updated_at, version)
       VALUES (@id, @title, @owner, @priority, @slack, @dependsOn, @phase, @ord, 'pending', 0, 0, @at, 0) ON CONFLICT(id) DO NOTHING`,
    ),
    markRemoved: db.prepare(
      "UPDATE task SET removed = 1, updated_at = ?, version = version + 1 WHERE removed = 0 AND id NOT IN (SELECT value FROM json_each(?))",
    ),
    list: db.prepare("SELECT * FROM task ORDER BY removed, ord, id"),
    clearPhaseWaits: db.prepare("DELETE FROM phase_wait"),
    insertPhaseWait: db.prepare("INSERT OR IGNORE INTO phase_wait (phase, waits_for) VALUES (?, ?)"),
    // The first unfinished task of a phase `phase` waits for, per phase waited for.
    phaseUnmet: db.prepare(
      `SELECT w.waits_for AS phase, (SELECT o.id || ' (' || o.state || ')' FROM task o WHERE o.phase = w.waits_for AND o.removed = 0 AND o.state != 'done' LIMIT 1) AS example,
         (SELECT COUNT(*) FROM task o WHERE o.phase = w.waits_for AND o.removed = 0 AND o.state != 'done') AS open
       FROM phase_wait w WHERE w.phase = ? ORDER BY w.waits_for`,
    ),
    get: db.prepare("SELECT * FROM task WHERE id = ?"),
    // A dependency counts as met only when a stored task with that id is done.
    unmet: db.prepare(
      "SELECT d.value AS id, dep.state AS state FROM json_each(?) d LEFT JOIN task dep ON dep.id = d.value WHERE dep.state IS NOT 'done' ORDER BY d.key",
    ),
    // Walks a partial index of claimable rows in claim order and stops at the first ready one. The WHERE repeats
    // the index's condition word for word (SQLite only uses a partial index it implies), and INDEXED BY pins the
    // plan: without statistics the planner may otherwise sort all candidates first.
    nextAny: db.prepare(
      `SELECT * FROM task t INDEXED BY task_claim WHERE t.removed = 0 AND t.state IN ('pending', 'failed') AND ${ready("t")}
       ORDER BY t.ord, t.id LIMIT 1`,
    ),
    nextOwned: db.prepare(
      `SELECT * FROM task t INDEXED BY task_claim_owner WHERE t.removed = 0 AND t.state IN ('pending', 'failed') AND t.owner = ? AND ${ready("t")}
       ORDER BY t.ord, t.id LIMIT 1`,
    ),
    write: db.prepare(
      "UPDATE task SET state = ?, claimed_by = ?, attempts = ?, note = ?, updated_at = ?, version = version + 1 WHERE id = ? AND version = ?",
    ),
  };

  const importTx = db.transaction((plan: PlanImport, at: string): { plan: StoredPlan; changed: boolean } => {
    const latest = tasks.latestPlan.get() as PlanRow | undefined;
    if (latest?.hash === plan.hash) return { plan: toPlan(latest), changed: false };
    const id = Number(tasks.insertPlan.run(plan.hash, plan.source, at, JSON.stringify(plan.content)).lastInsertRowid);
    let added = 0;
    let updated = 0;
    plan.tasks.forEach((t, ord) => {
      const row = { id: t.id, title: t.title, owner: t.owner, priority: t.priority, slack: t.slack, dependsOn: JSON.stringify(t.dependsOn), phase: t.phase, ord, at };
      if (tasks.updateDefinition.run(row).changes > 0) updated += 1;
      else if (tasks.insertTask.run(row).changes > 0) added += 1;
    });
    const removed = tasks.markRemoved.run(at, JSON.stringify(plan.tasks.map((t) => t.id))).changes;
    tasks.clearPhaseWaits.run();
    for (const [phase, waits] of Object.entries(plan.phaseWaits)) for (const w of waits) tasks.insertPhaseWait.run(phase, w);
    const counts = { hash: plan.hash, source: plan.source, tasks: plan.tasks.length, added, updated, removed };
    statements.insertEvent.run(at, "plan.imported", String(id), JSON.stringify(counts));
    return { plan: { id, hash: plan.hash, source: plan.source, importedAt: at, content: plan.content }, changed: true };
  });

  /** Writes a checked move as a compare-and-set on `version`, with its event; the caller holds the write lock. */
  const writeMove = (row: TaskRow, to: TaskState, by: TaskTransitionBy, at: string): TaskRecord => {
    const starts = to === "in_progress";
    const claimedBy = starts ? by.agent : to === "pending" ? null : row.claimed_by;
    const attempts = starts ? row.attempts + 1 : row.attempts;
    const note = by.note ?? null;
    const written = tasks.write.run(to, claimedBy, attempts, note, at, row.id, row.version).changes;
    // Cannot happen under the write lock; kept so that a driver change that loses the lock fails loudly.
    if (written !== 1) throw new Error(`task ${row.id} changed while it was being moved (version ${row.version})`);
    const data = { from: row.state, to, agent: by.agent, note, force: by.force ?? false };
    statements.insertEvent.run(at, starts ? "task.started" : `task.${to}`, row.id, JSON.stringify(data));
    return toTask({ ...row, state: to, claimed_by: claimedBy, attempts, note, updated_at: at, version: row.version + 1 });
  };

  const transitionTx = db.transaction((id: string, to: TaskState, by: TaskTransitionBy, at: string): TaskRecord => {
    const row = tasks.get.get(id) as TaskRow | undefined;
    if (!row) {
      throw new ShipgateError("NOT_FOUND", `[task] no task ${id} in ${location}`, { hint: "`shipgate task list` lists the tasks of the imported plan" });
    }
    if (by.expectHolder !== undefined && row.claimed_by !== by.expectHolder) {
      throw new ShipgateError("INVALID_TRANSITION", `[task] ${id} is now held by ${row.claimed_by ?? "nobody"}, not ${by.expectHolder ?? "nobody"} as when this move began; it cannot become ${to}`, {
        hint: "another agent moved it meanwhile: `shipgate task list` shows who holds it now",
      });
    }
    const from = MOVES[to] as readonly TaskState[] | undefined;
    const allowed = from !== undefined && (from.includes(row.state) || (to === "done" && by.force === true && FORCED_DONE_FROM.includes(row.state)));
    if (!allowed) throw invalidTransition(row, to);
    if (to === "in_progress") {
      if (row.removed === 1) {
        throw new ShipgateError("INVALID_TRANSITION", `[task] ${id} was removed from the plan; it cannot become in_progress`, {
          hint: "the latest plan no longer lists it; add it back to the plan to work on it",
        });
      }
      const unmet = tasks.unmet.all(row.depends_on) as { id: string; state: TaskState | null }[];
      const phases = (tasks.phaseUnmet.all(row.phase) as { phase: string; example: string | null; open: number }[]).filter((p) => p.open > 0);
      if (unmet.length > 0 || phases.length > 0) {
        const waits = [
          ...unmet.map((d) => `${d.id} (${d.state ?? "not in the plan"})`),
          ...phases.map((p) => `phase ${p.phase} (${p.open} task${p.open === 1 ? "" : "s"} not done, e.g. ${p.example ?? "?"})`),
        ];
        throw new ShipgateError("NOT_READY", `[task] ${id} waits for ${waits.join(", ")}`, {
          hint: "start it once those are done, or mark them done with force",
        });
      }
    }
    return writeMove(row, to, by, at);
  });

  const claimTx = db.transaction((agent: string, ownedOnly: boolean, at: string): TaskRecord | undefined => {
    const row = (ownedOnly ? tasks.nextOwned.get(agent) : tasks.nextAny.get()) as TaskRow | undefined;
    return row && writeMove(row, "in_progress", { agent }, at);
  });

  function guard<T>(work: () => T): Promise<T> {
    if (closed) return Promise.reject(new ShipgateError("STORE_UNAVAILABLE", `[store] [sqlite] ${location}: the store is closed`));
    try {
      return Promise.resolve(work());
    } catch (error) {
      if (error instanceof ShipgateError) return Promise.reject(error);
      // Writes wait up to 10 s for the lock; SQLITE_BUSY means another process kept it longer (or, in a
      // transaction that did not start IMMEDIATE, wrote first).
      if ((error as { code?: unknown }).code === "SQLITE_BUSY") {
        return Promise.reject(
          new ShipgateError("STORE_UNAVAILABLE", `[store] [sqlite] ${location}: the database is locked by another process`, {
            cause: error,
            hint: "nothing was written; retry, or look for a process stuck in a long write",
          }),
        );
      }
      return Promise.reject(
        new ShipgateError("STORE_UNAVAILABLE", `[store] [sqlite] ${location}: ${(error as Error).message}`, { cause: error, hint: "nothing was written; retry, or check the database file" }),
      );
    }
  }

  const toSnapshot = (row: SnapshotRow): SnapshotRecord => ({
    id: row.id,
    takenAt: row.taken_at,
    git: { commit: row.git_commit, branch: row.git_branch, dirty: row.git_dirty === null ? null : row.git_dirty === 1, tree: row.git_tree },
    configHash: row.config_hash,
    inputsHash: row.inputs_hash,
    summary: JSON.parse(row.summary) as unknown,
  });

  return {
    driver: "sqlite",
    location,
    saveSnapshot: (snapshot) => guard(() => saveTx.immediate(snapshot)),
    listSnapshots: (opts = {}) =>
      guard(() => {
        const where: string[] = [];
        const params: (string | number)[] = [];
        const filter = (sql: string, value: string | number | undefined) => {
          if (value === undefined) return;
          where.push(sql);
          params.push(value);
        };
        filter("git_branch = ?", opts.branch);
        filter("git_commit = ?", opts.commit);
        filter("id < ?", opts.beforeId);
        filter("(inputs_hash IS NULL OR inputs_hash != ?)", opts.inputsDifferFrom);
        const sql = `SELECT * FROM snapshot ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
        return (db.prepare(sql).all(...params, opts.limit ?? -1) as SnapshotRow[]).map(toSnapshot);
      }),
    getSnapshot: (id) =>
      guard(() => {
        const row = db.prepare("SELECT * FROM snapshot WHERE id = ?").get(id) as SnapshotRow | undefined;
        return row && toSnapshot(row);
      }),
    getSources: (snapshotId) =>
      guard(() =>
        (db.prepare("SELECT * FROM source WHERE snapshot_id = ? ORDER BY id").all(snapshotId) as Record<string, unknown>[]).map(
          (r): StoredSource => ({
            id: r.id as number,
            path: r.path as string,
            sha256: r.sha256 as string,
            bytes: r.bytes as number,
            format: r.format as StoredSource["format"],
            tool: r.tool === null ? null : r.tool_version === null ? { name: r.tool as string } : { name: r.tool as string, version: r.tool_version as string },
            collector: r.collector as string | null,
          }),
        ),
      ),
    getFacts: (snapshotId) =>
      guard(() =>
        (db.prepare("SELECT key, value, component, source_id FROM fact WHERE snapshot_id = ? ORDER BY rowid").all(snapshotId) as Record<string, unknown>[]).map(
          (r): StoredFact => ({ key: r.key as string, value: r.value as number | null, component: r.component as string | null, sourceId: r.source_id as number | null }),
        ),
      ),
    getTestResults: (snapshotId) =>
      guard(() =>
        (db.prepare("SELECT * FROM test_result WHERE snapshot_id = ? ORDER BY rowid").all(snapshotId) as Record<string, unknown>[]).map(
          (r): StoredTestResult => ({
            testId: r.test_id as string,
            file: r.file as string | null,
            suite: r.suite as string,
            name: r.name as string,
            status: r.status as StoredTestResult["status"],
            durationMs: r.duration_ms as number | null,
            message: r.message as string | null,
            flaky: r.flaky === 1,
            sourceId: r.source_id as number,
          }),
        ),
      ),
    getCoverageFiles: (snapshotId) =>
      guard(() =>
        (db.prepare("SELECT * FROM coverage_file WHERE snapshot_id = ? ORDER BY rowid").all(snapshotId) as Record<string, unknown>[]).map(
          (r): StoredCoverageFile => ({
            path: r.path as string,
            package: r.package as string,
            resolved: r.resolved === 1,
            linesCovered: r.lines_covered as number | null,
            linesTotal: r.lines_total as number | null,
            branchesCovered: r.branches_covered as number | null,
            branchesTotal: r.branches_total as number | null,
            functionsCovered: r.functions_covered as number | null,
            functionsTotal: r.functions_total as number | null,
            statementsCovered: r.statements_covered as number | null,
            statementsTotal: r.statements_total as number | null,
            coveredLines: r.covered_lines as string | null,
            uncoveredLines: r.uncovered_lines as string | null,
            sourceId: r.source_id as number,
          }),
        ),
      ),
    getFindings: (snapshotId) =>
      guard(() =>
        (db.prepare("SELECT * FROM finding WHERE snapshot_id = ? ORDER BY rowid").all(snapshotId) as Record<string, unknown>[]).map(
          (r): StoredFinding => ({
            fingerprint: r.fingerprint as string,
            tool: r.tool as string,
            kind: r.kind as StoredFinding["kind"],
            ruleId: r.rule_id as string | null,
            level: r.level as StoredFinding["level"],
            message: r.message as string,
            file: r.file as string | null,
            line: r.line as number | null,
            suppressed: r.suppressed === 1,
            sourceId: r.source_id as number,
          }),
        ),
      ),
    getAdvisories: (snapshotId) =>
      guard(() =>
        (db.prepare("SELECT * FROM advisory WHERE snapshot_id = ? ORDER BY rowid").all(snapshotId) as Record<string, unknown>[]).map(
          (r): StoredAdvisory => ({
            advisoryId: r.advisory_id as string,
            aliases: JSON.parse(r.aliases as string) as string[],
            package: r.package as string,
            versions: JSON.parse(r.versions as string) as string[],
            severity: r.severity as StoredAdvisory["severity"],
            title: r.title as string,
            url: r.url as string | null,
            fixAvailable: r.fix_available === null ? null : r.fix_available === 1,
            sourceId: r.source_id as number,
          }),
        ),
      ),
    setBaseline: (name, snapshotId, at) =>
      guard(() => setBaselineTx.immediate(name, snapshotId, at ?? new Date().toISOString())),
    getBaseline: (name) =>
      guard(() => {
        const row = db.prepare("SELECT * FROM baseline WHERE name = ?").get(name) as BaselineRow | undefined;
        return row ? toBaseline(row) : undefined;
      }),
    listBaselines: () => guard(() => (db.prepare("SELECT * FROM baseline ORDER BY name").all() as BaselineRow[]).map(toBaseline)),
    appendEvent: (event: NewEvent) =>
      guard((): StoreEvent => {
        const at = event.at ?? new Date().toISOString();
        const data = event.data === undefined ? null : JSON.stringify(event.data);
        const id = Number(statements.insertEvent.run(at, event.type, event.subject ?? null, data).lastInsertRowid);
        return { id, at, type: event.type, subject: event.subject ?? null, data: event.data ?? null };
      }),
    listEvents: (opts = {}) =>
      guard(() =>
        (
          db
            .prepare(`SELECT * FROM event WHERE id > ? ${opts.type ? "AND type = ?" : ""} ORDER BY id LIMIT ?`)
            .all(...[opts.afterId ?? 0, ...(opts.type ? [opts.type] : []), opts.limit ?? -1]) as Record<string, unknown>[]
        ).map((r): StoreEvent => ({
          id: r.id as number,
          at: r.at as string,
          type: r.type as string,
          subject: r.subject as string | null,
          data: r.data === null ? null : (JSON.parse(r.data as string) as unknown),
        })),
      ),
    importPlan: (plan, at) =>
      guard(() => {
        const seen = new Set<string>();
        for (const t of plan.tasks) {
          if (seen.has(t.id)) throw new ShipgateError("PLAN_INVALID", `[store] the plan ${plan.source} lists task ${t.id} twice`, { hint: "give each task its own id" });
          seen.add(t.id);
        }
        // Taking the write lock first makes the hash check and the import one step: of two processes importing
        // the same new file, the second sees the first's plan and writes nothing.
        return importTx.immediate(plan, at ?? new Date().toISOString());
      }),
    getPlan: (options = {}) =>
      guard(() => {
        const row = (options.content === false ? tasks.latestPlanHead : tasks.latestPlan).get() as PlanRow | undefined;
        return row && toPlan(row);
      }),
    listTasks: () => guard(() => (tasks.list.all() as TaskRow[]).map(toTask)),
    getTask: (id) =>
      guard(() => {
        const row = tasks.get.get(id) as TaskRow | undefined;
        return row && toTask(row);
      }),
    nextTask: (agent, opts = {}) =>
      guard(() => {
        const row = ((opts.ownedOnly ?? true) ? tasks.nextOwned.get(agent) : tasks.nextAny.get()) as TaskRow | undefined;
        return row && toTask(row);
      }),
    claimNextTask: (agent, opts = {}) => guard(() => claimTx.immediate(agent, opts.ownedOnly ?? true, new Date().toISOString())),
    transitionTask: (id, to, by, at) => guard(() => transitionTx.immediate(id, to, by, at ?? new Date().toISOString())),
    close: () => {
      if (!closed) {
        closed = true;
        db.close();
      }
      return Promise.resolve();
    },
  };
}

/** SQL that is true when every dependency of the task row `alias` is a stored, done task, and every task of the phases its phase waits for is done. */
function ready(alias: string): string {
  return `NOT EXISTS (SELECT 1 FROM json_each(${alias}.depends_on) d WHERE NOT EXISTS (SELECT 1 FROM task dep WHERE dep.id = d.value AND dep.state = 'done'))
    AND NOT EXISTS (SELECT 1 FROM phase_wait w JOIN task o ON o.phase = w.waits_for WHERE w.phase = ${alias}.phase AND o.removed = 0 AND o.state != 'done')`;
}

function migrate(db: Database.Database): void {
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const applied = new Set((db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version));
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...sqliteMigrations.map((m) => m.version));
  if (newest > known) {
    throw new Error(`the database is at schema version ${newest}, newer than this shipgate knows (${known}); upgrade shipgate`);
  }
  for (const m of sqliteMigrations) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      // Another process may have migrated between our read and this write lock.
      if (db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?").get(m.version)) return;
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, new Date().toISOString());
    }).immediate();
  }
}
