import { ShipgateError } from "../../errors.js";
import { snapshotInputsHash } from "../inputs-hash.js";
import type {
  BaselineRecord,
  FactPoint,
  NewSnapshot,
  SnapshotRecord,
  Store,
  StoreEvent,
  StoredAdvisory,
  StoredCoverageFile,
  StoredFact,
  StoredFinding,
  StoredSource,
  StoredTestResult,
} from "../types.js";
import type { Db } from "./connection.js";
import { eventWriter } from "./events.js";

type Guard = <T>(work: () => T) => Promise<T>;

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

type Row = Record<string, unknown>;

const toBaseline = (row: BaselineRow): BaselineRecord => ({ name: row.name, snapshotId: row.snapshot_id, setAt: row.set_at });

const toSnapshot = (row: SnapshotRow): SnapshotRecord => ({
  id: row.id,
  takenAt: row.taken_at,
  git: { commit: row.git_commit, branch: row.git_branch, dirty: row.git_dirty === null ? null : row.git_dirty === 1, tree: row.git_tree },
  configHash: row.config_hash,
  inputsHash: row.inputs_hash,
  summary: JSON.parse(row.summary) as unknown,
});

const toSource = (r: Row): StoredSource => ({
  id: r.id as number,
  path: r.path as string,
  sha256: r.sha256 as string,
  bytes: r.bytes as number,
  format: r.format as StoredSource["format"],
  tool: r.tool === null ? null : r.tool_version === null ? { name: r.tool as string } : { name: r.tool as string, version: r.tool_version as string },
  collector: r.collector as string | null,
});

const toTest = (r: Row): StoredTestResult => ({
  testId: r.test_id as string,
  file: r.file as string | null,
  suite: r.suite as string,
  name: r.name as string,
  status: r.status as StoredTestResult["status"],
  durationMs: r.duration_ms as number | null,
  message: r.message as string | null,
  flaky: r.flaky === 1,
  sourceId: r.source_id as number,
});

const toCoverage = (r: Row): StoredCoverageFile => ({
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
});

const toFinding = (r: Row): StoredFinding => ({
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
});

const toAdvisory = (r: Row): StoredAdvisory => ({
  advisoryId: r.advisory_id as string,
  aliases: JSON.parse(r.aliases as string) as string[],
  package: r.package as string,
  versions: JSON.parse(r.versions as string) as string[],
  severity: r.severity as StoredAdvisory["severity"],
  title: r.title as string,
  url: r.url as string | null,
  fixAvailable: r.fix_available === null ? null : r.fix_available === 1,
  sourceId: r.source_id as number,
});

const flag = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

/** Where-clauses for the filters that are set, with their parameters in order. */
function filters(pairs: [sql: string, value: string | number | undefined][]): { where: string; params: (string | number)[] } {
  const set = pairs.filter((p): p is [string, string | number] => p[1] !== undefined);
  return { where: set.length ? `WHERE ${set.map((p) => p[0]).join(" AND ")}` : "", params: set.map((p) => p[1]) };
}

type SnapshotMethods = Pick<
  Store,
  | "saveSnapshot" | "listSnapshots" | "getSnapshot" | "getSources" | "getFacts" | "getTestResults" | "getCoverageFiles"
  | "getFindings" | "getAdvisories" | "setBaseline" | "getBaseline" | "listBaselines" | "appendEvent" | "listEvents" | "listFactSeries"
>;

/** Snapshots with their detail rows, baselines, and the event log. */
export function snapshotMethods(db: Db, location: string, guard: Guard): SnapshotMethods {
  const insertEvent = eventWriter(db);
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
        return (db.prepare(`SELECT * FROM snapshot ${where} ORDER BY id DESC LIMIT ?`).all(...params, opts.limit ?? -1) as SnapshotRow[]).map(toSnapshot);
      }),
    getSnapshot: (id) =>
      guard(() => {
        const row = db.prepare("SELECT * FROM snapshot WHERE id = ?").get(id) as SnapshotRow | undefined;
        return row && toSnapshot(row);
      }),
    getSources: (snapshotId) => guard(() => (db.prepare("SELECT * FROM source WHERE snapshot_id = ? ORDER BY id").all(snapshotId) as Row[]).map(toSource)),
    getFacts: detail("fact", (r): StoredFact => ({ key: r.key as string, value: r.value as number | null, component: r.component as string | null, sourceId: r.source_id as number | null })),
    getTestResults: detail("test_result", toTest),
    getCoverageFiles: detail("coverage_file", toCoverage),
    getFindings: detail("finding", toFinding),
    getAdvisories: detail("advisory", toAdvisory),
    setBaseline: (name, snapshotId, at) => guard(() => setBaselineTx.immediate(name, snapshotId, at)),
    getBaseline: (name) =>
      guard(() => {
        const row = db.prepare("SELECT * FROM baseline WHERE name = ?").get(name) as BaselineRow | undefined;
        return row ? toBaseline(row) : undefined;
      }),
    listBaselines: () => guard(() => (db.prepare("SELECT * FROM baseline ORDER BY name").all() as BaselineRow[]).map(toBaseline)),
    appendEvent: (event) => guard((): StoreEvent => insertEvent(event)),
    listEvents: (opts = {}) =>
      guard(() => {
        const { where, params } = filters([
          ["id > ?", opts.afterId],
          ["type = ?", opts.type],
          // A prefix as a range on the indexed column: no LIKE escaping, and it stays an index range.
          ["type >= ?", opts.typePrefix],
          ["type < ?", opts.typePrefix === undefined ? undefined : `${opts.typePrefix}\u{10ffff}`],
          ["at >= ?", opts.from],
          ["at < ?", opts.to],
        ]);
        return (db.prepare(`SELECT * FROM event ${where} ORDER BY id LIMIT ?`).all(...params, opts.limit ?? -1) as Row[]).map(
          (r): StoreEvent => ({
            id: r.id as number,
            at: r.at as string,
            type: r.type as string,
            subject: r.subject as string | null,
            data: r.data === null ? null : (JSON.parse(r.data as string) as unknown),
          }),
        );
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
        return (db.prepare(sql).all(...params) as Row[]).map(
          (r): FactPoint => ({
            snapshotId: r.snapshot_id as number,
            takenAt: r.taken_at as string,
            branch: r.git_branch as string | null,
            key: r.key as string,
            value: r.value as number | null,
            component: r.component as string | null,
          }),
        );
      }),
  };
}
