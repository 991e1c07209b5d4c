import { ShipgateError } from "../../errors.js";
import { snapshotInputsHash } from "../inputs-hash.js";
import type {
  BaselineRecord,
  NewSnapshot,
  SnapshotRecord,
  Store,
  StoreEvent,
} from "../types.js";
import { toAdvisory, toBaseline, toCoverage, toEvent, toFact, toFactPoint, toFinding, toSnapshot, toSource, toTest, type Row } from "../rows.js";
import type { Db } from "./connection.js";
import { eventWriter } from "./events.js";

type Guard = <T>(work: () => T) => Promise<T>;

const flag = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

/** Where-clauses for the filters that are set, with their parameters in order. */
function filters(pairs: [sql: string, value: string | number | undefined][]): { where: string; params: (string | number)[] } {
  const set = pairs.filter((p): p is [string, string | number] => p[1] !== undefined);
  return { where: set.length ? `WHERE ${set.map((p) => p[0]).join(" AND ")}` : "", params: set.map((p) => p[1]) };
}

type SnapshotMethods = Pick<
  Store,
  | "saveSnapshot" | "listSnapshots" | "getSnapshot" | "getSources" | "getFacts" | "getTestResults" | "getCoverageFiles"
  | "getFindings" | "getAdvisories" | "setBaseline" | "getBaseline" | "listBaselines" | "appendEvent" | "listEvents" | "lastEventId" | "listFactSeries"
>;

/** Snapshots with their detail rows, baselines, and the event log. */
export function snapshotMethods(db: Db, location: string, guard: Guard): SnapshotMethods {
  const insertEvent = eventWriter(db);
  const lastEventIdStatement = db.prepare("SELECT max(id) AS id FROM event");
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
    insertFinding: db.prepare(
      "INSERT INTO finding (snapshot_id, fingerprint, tool, kind, rule_id, level, message, file, line, suppressed, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    insertAdvisory: db.prepare(
      "INSERT INTO advisory (snapshot_id, advisory_id, aliases, package, versions, severity, title, url, fix_available, source_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    ),
  };

  const saveTx = db.transaction((s: NewSnapshot): SnapshotRecord => {
    const inputsHash = snapshotInputsHash(s);
    const id = Number(
      statements.insertSnapshot.run(s.takenAt, s.git.commit, s.git.branch, flag(s.git.dirty), s.git.tree, s.configHash, inputsHash, JSON.stringify(s.summary)).lastInsertRowid,
    );
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
      statements.insertAdvisory.run(id, a.advisoryId, JSON.stringify(a.aliases), a.package, JSON.stringify(a.versions), a.severity, a.title, a.url, flag(a.fixAvailable), sourceId(a.sourceIndex));
    }
    const counts = { sources: s.sources.length, tests: s.tests.length, coverageFiles: s.coverageFiles.length, findings: s.findings?.length ?? 0, advisories: s.advisories?.length ?? 0 };
    insertEvent({ at: s.takenAt, type: "snapshot.created", subject: String(id), data: counts });
    for (const e of s.events ?? []) insertEvent({ at: s.takenAt, type: e.type, subject: `snapshot:${id}`, data: e.data });
    return { id, takenAt: s.takenAt, git: s.git, configHash: s.configHash, inputsHash, summary: s.summary };
  });

  const setBaselineTx = db.transaction((name: string, snapshotId: number, at: string): BaselineRecord => {
    if (!db.prepare("SELECT 1 FROM snapshot WHERE id = ?").get(snapshotId)) {
      throw new ShipgateError("NOT_FOUND", `[store] no snapshot ${snapshotId} in ${location}`, { hint: "`shipgate history` lists the snapshots" });
    }
    db.prepare("INSERT INTO baseline (name, snapshot_id, set_at) VALUES (?, ?, ?) ON CONFLICT(name) DO UPDATE SET snapshot_id = excluded.snapshot_id, set_at = excluded.set_at").run(name, snapshotId, at);
    insertEvent({ at, type: "baseline.set", subject: name, data: { snapshotId } });
    return { name, snapshotId, setAt: at };
  });

  const detail = <T>(table: string, map: (r: Row) => T) => {
    const statement = db.prepare(`SELECT * FROM ${table} WHERE snapshot_id = ? ORDER BY rowid`);
    return (snapshotId: number) => guard(() => (statement.all(snapshotId) as Row[]).map(map));
  };

  return {
    saveSnapshot: (snapshot) => guard(() => saveTx.immediate(snapshot)),
    listSnapshots: (opts = {}) =>
      guard(() => {
        const { where, params } = filters([
          ["git_branch = ?", opts.branch],
          ["git_commit = ?", opts.commit],
          ["id < ?", opts.beforeId],
          ["(inputs_hash IS NULL OR inputs_hash != ?)", opts.inputsDifferFrom],
          ["taken_at >= ?", opts.from],
          ["taken_at < ?", opts.to],
        ]);
        return (db.prepare(`SELECT * FROM snapshot ${where} ORDER BY id DESC LIMIT ?`).all(...params, opts.limit ?? -1) as Row[]).map(toSnapshot);
      }),
    getSnapshot: (id) =>
      guard(() => {
        const row = db.prepare("SELECT * FROM snapshot WHERE id = ?").get(id) as Row | undefined;
        return row && toSnapshot(row);
      }),
    getSources: (snapshotId) => guard(() => (db.prepare("SELECT * FROM source WHERE snapshot_id = ? ORDER BY id").all(snapshotId) as Row[]).map(toSource)),
    getFacts: detail("fact", toFact),
    getTestResults: detail("test_result", toTest),
    getCoverageFiles: detail("coverage_file", toCoverage),
    getFindings: detail("finding", toFinding),
    getAdvisories: detail("advisory", toAdvisory),
    setBaseline: (name, snapshotId, at) => guard(() => setBaselineTx.immediate(name, snapshotId, at)),
    getBaseline: (name) =>
      guard(() => {
        const row = db.prepare("SELECT * FROM baseline WHERE name = ?").get(name) as Row | undefined;
        return row ? toBaseline(row) : undefined;
      }),
    listBaselines: () => guard(() => (db.prepare("SELECT * FROM baseline ORDER BY name").all() as Row[]).map(toBaseline)),
    appendEvent: (event) => guard((): StoreEvent => insertEvent(event)),
    // max() of the rowid alias is read from the end of the table's b-tree: constant time.
    lastEventId: () => guard(() => (lastEventIdStatement.get() as { id: number | null }).id ?? 0),
    listEvents: (opts = {}) =>
      guard(() => {
        const { where, params } = filters([
          ["id > ?", opts.afterId],
          ["type = ?", opts.type],
          // A prefix as a range on the indexed column: no LIKE escaping, and it stays an index range.
          ["type >= ?", opts.typePrefix],
          ["type < ?", opts.typePrefix === undefined ? undefined : `${opts.typePrefix}\u{10ffff}`],
          ["type IN (SELECT value FROM json_each(?))", opts.types === undefined ? undefined : JSON.stringify(opts.types)],
          ["at >= ?", opts.from],
          ["at < ?", opts.to],
        ]);
        return (db.prepare(`SELECT * FROM event ${where} ORDER BY id LIMIT ?`).all(...params, opts.limit ?? -1) as Row[]).map(toEvent);
      }),
    listFactSeries: (query = {}) =>
      guard(() => {
        const { where, params } = filters([
          ["s.taken_at >= ?", query.from],
          ["s.taken_at < ?", query.to],
          ["s.git_branch = ?", query.branch],
          ["f.key IN (SELECT value FROM json_each(?))", query.keys === undefined ? undefined : JSON.stringify(query.keys)],
        ]);
        const sql = `SELECT s.id AS snapshot_id, s.taken_at, s.git_branch, f.key, f.value, f.component
          FROM snapshot s JOIN fact f ON f.snapshot_id = s.id ${where} ORDER BY s.taken_at, s.id, f.rowid`;
        return (db.prepare(sql).all(...params) as Row[]).map(toFactPoint);
      }),
  };
}
