import { ShipgateError } from "../../errors.js";
import { snapshotInputsHash } from "../inputs-hash.js";
import type { BaselineRecord, NewSnapshot, SnapshotRecord, Store, StoreEvent } from "../types.js";
import { transaction, type Guard, type Pool, type Queryable } from "./connection.js";
import { insertEvent, insertEvents } from "./events.js";
import { toAdvisory, toBaseline, toCoverage, toEvent, toFact, toFactPoint, toFinding, toSnapshot, toSource, toTest, type Row } from "../rows.js";

const flag = (value: boolean | null): number | null => (value === null ? null : value ? 1 : 0);

/** Rows per INSERT of a snapshot's detail rows: one array parameter per column, a few MB per statement. */
const BATCH = 10_000;

/**
 * Inserts rows with one `INSERT … SELECT FROM unnest(array per column)` per batch: a few statements for 100 000
 * rows, in their order (the identity `row_id` follows it).
 */
export async function bulkInsert(db: Queryable, table: string, columns: readonly (readonly [name: string, type: string])[], rows: readonly unknown[][]): Promise<void> {
  const sql = `INSERT INTO ${table} (${columns.map((c) => c[0]).join(", ")}) SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::${c[1]}[]`).join(", ")})`;
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    await db.query(sql, columns.map((_, i) => batch.map((r) => r[i])));
  }
}

/** Where-clauses for the filters that are set, numbered from $1, with their parameters in order. */
export function filters(pairs: [sql: (param: string) => string, value: unknown][]): { where: string; params: unknown[] } {
  const params: unknown[] = [];
  const clauses: string[] = [];
  for (const [sql, value] of pairs) {
    if (value === undefined) continue;
    params.push(value);
    clauses.push(sql(`$${params.length}`));
  }
  return { where: clauses.length ? `WHERE ${clauses.join(" AND ")}` : "", params };
}

const TEST_COLUMNS = [
  ["snapshot_id", "bigint"], ["test_id", "text"], ["file", "text"], ["suite", "text"], ["name", "text"], ["status", "text"],
  ["duration_ms", "float8"], ["message", "text"], ["flaky", "smallint"], ["source_id", "bigint"],
] as const;
const COVERAGE_COLUMNS = [
  ["snapshot_id", "bigint"], ["path", "text"], ["package", "text"], ["resolved", "smallint"],
  ["lines_covered", "bigint"], ["lines_total", "bigint"], ["branches_covered", "bigint"], ["branches_total", "bigint"],
  ["functions_covered", "bigint"], ["functions_total", "bigint"], ["statements_covered", "bigint"], ["statements_total", "bigint"],
  ["covered_lines", "text"], ["uncovered_lines", "text"], ["source_id", "bigint"],
] as const;
const FINDING_COLUMNS = [
  ["snapshot_id", "bigint"], ["fingerprint", "text"], ["tool", "text"], ["kind", "text"], ["rule_id", "text"], ["level", "text"],
  ["message", "text"], ["file", "text"], ["line", "bigint"], ["suppressed", "smallint"], ["source_id", "bigint"],
] as const;
const ADVISORY_COLUMNS = [
  ["snapshot_id", "bigint"], ["advisory_id", "text"], ["aliases", "text"], ["package", "text"], ["versions", "text"], ["severity", "text"],
  ["title", "text"], ["url", "text"], ["fix_available", "smallint"], ["source_id", "bigint"],
] as const;
const SOURCE_COLUMNS = [
  ["id", "bigint"], ["snapshot_id", "bigint"], ["path", "text"], ["sha256", "text"], ["bytes", "bigint"], ["format", "text"],
  ["tool", "text"], ["tool_version", "text"], ["collector", "text"],
] as const;
const FACT_COLUMNS = [["snapshot_id", "bigint"], ["key", "text"], ["value", "float8"], ["component", "text"], ["source_id", "bigint"]] as const;

async function save(db: Queryable, s: NewSnapshot): Promise<SnapshotRecord> {
  const inputsHash = snapshotInputsHash(s);
  const inserted = await db.query<{ id: number }>(
    `INSERT INTO snapshot (taken_at, git_commit, git_branch, git_dirty, git_tree, config_hash, inputs_hash, summary)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
    [s.takenAt, s.git.commit, s.git.branch, flag(s.git.dirty), s.git.tree, s.configHash, inputsHash, JSON.stringify(s.summary)],
  );
  const id = inserted.rows[0]!.id;
  // Source ids are taken from the sequence first, so that detail rows can name them in the same batch inserts.
  const sourceIds =
    s.sources.length === 0
      ? []
      : (await db.query<{ id: number }>("SELECT nextval(pg_get_serial_sequence('source', 'id')) AS id FROM generate_series(1, $1)", [s.sources.length])).rows
          .map((r) => r.id)
          .sort((a, b) => a - b);
  const sourceId = (index: number | null): number | null => {
    if (index === null) return null;
    const found = sourceIds[index];
    if (found === undefined) throw new Error(`sourceIndex ${index} does not name one of the ${sourceIds.length} sources`);
    return found;
  };
  await bulkInsert(db, "source", SOURCE_COLUMNS, s.sources.map((src, i) => [sourceIds[i], id, src.path, src.sha256, src.bytes, src.format, src.tool?.name ?? null, src.tool?.version ?? null, src.collector]));
  await bulkInsert(db, "fact", FACT_COLUMNS, s.facts.map((f) => [id, f.key, f.value, f.component, sourceId(f.sourceIndex)]));
  await bulkInsert(db, "test_result", TEST_COLUMNS, s.tests.map((t) => [id, t.testId, t.file, t.suite, t.name, t.status, t.durationMs, t.message, t.flaky ? 1 : 0, sourceId(t.sourceIndex)]));
  await bulkInsert(
    db,
    "coverage_file",
    COVERAGE_COLUMNS,
    s.coverageFiles.map((c) => [
      id, c.path, c.package, c.resolved ? 1 : 0, c.linesCovered, c.linesTotal, c.branchesCovered, c.branchesTotal,
      c.functionsCovered, c.functionsTotal, c.statementsCovered, c.statementsTotal, c.coveredLines, c.uncoveredLines, sourceId(c.sourceIndex),
    ]),
  );
  await bulkInsert(db, "finding", FINDING_COLUMNS, (s.findings ?? []).map((f) => [id, f.fingerprint, f.tool, f.kind, f.ruleId, f.level, f.message, f.file, f.line, f.suppressed ? 1 : 0, sourceId(f.sourceIndex)]));
  await bulkInsert(
    db,
    "advisory",
    ADVISORY_COLUMNS,
    (s.advisories ?? []).map((a) => [id, a.advisoryId, JSON.stringify(a.aliases), a.package, JSON.stringify(a.versions), a.severity, a.title, a.url, flag(a.fixAvailable), sourceId(a.sourceIndex)]),
  );
  const counts = { sources: s.sources.length, tests: s.tests.length, coverageFiles: s.coverageFiles.length, findings: s.findings?.length ?? 0, advisories: s.advisories?.length ?? 0 };
  await insertEvents(db, [
    { at: s.takenAt, type: "snapshot.created", subject: String(id), data: counts },
    ...(s.events ?? []).map((e) => ({ at: s.takenAt, type: e.type, subject: `snapshot:${id}`, data: e.data })),
  ]);
  return { id, takenAt: s.takenAt, git: s.git, configHash: s.configHash, inputsHash, summary: s.summary };
}

type SnapshotMethods = Pick<
  Store,
  | "saveSnapshot" | "listSnapshots" | "getSnapshot" | "getSources" | "getFacts" | "getTestResults" | "getCoverageFiles"
  | "getFindings" | "getAdvisories" | "setBaseline" | "getBaseline" | "listBaselines" | "appendEvent" | "listEvents" | "lastEventId" | "listFactSeries"
>;


/** Snapshots with their detail rows, baselines, and the event log. */
export function snapshotMethods(pool: Pool, location: string, guard: Guard): SnapshotMethods {
  const detail = <T>(table: string, map: (r: Row) => T) => (snapshotId: number) =>
    guard(async () => (await pool.query(`SELECT * FROM ${table} WHERE snapshot_id = $1 ORDER BY row_id`, [snapshotId])).rows.map(map));

  return {
    saveSnapshot: (snapshot) => guard(() => transaction(pool, (client) => save(client, snapshot))),
    listSnapshots: (opts = {}) =>
      guard(async () => {
        const { where, params } = filters([
          [(p) => `git_branch = ${p}`, opts.branch],
          [(p) => `git_commit = ${p}`, opts.commit],
          [(p) => `id < ${p}`, opts.beforeId],
          [(p) => `(inputs_hash IS NULL OR inputs_hash <> ${p})`, opts.inputsDifferFrom],
          [(p) => `taken_at >= ${p}`, opts.from],
          [(p) => `taken_at < ${p}`, opts.to],
        ]);
        const sql = `SELECT * FROM snapshot ${where} ORDER BY id DESC LIMIT $${params.length + 1}`;
        return (await pool.query(sql, [...params, opts.limit ?? null])).rows.map(toSnapshot);
      }),
    getSnapshot: (id) =>
      guard(async () => {
        const row = (await pool.query("SELECT * FROM snapshot WHERE id = $1", [id])).rows[0] as Row | undefined;
        return row && toSnapshot(row);
      }),
    getSources: (snapshotId) => guard(async () => (await pool.query("SELECT * FROM source WHERE snapshot_id = $1 ORDER BY id", [snapshotId])).rows.map(toSource)),
    getFacts: detail("fact", toFact),
    getTestResults: detail("test_result", toTest),
    getCoverageFiles: detail("coverage_file", toCoverage),
    getFindings: detail("finding", toFinding),
    getAdvisories: detail("advisory", toAdvisory),
    setBaseline: (name, snapshotId, at) =>
      guard(() =>
        transaction(pool, async (client): Promise<BaselineRecord> => {
          // FOR KEY SHARE: the snapshot cannot go away before the baseline that names it is written.
          if (!(await client.query("SELECT 1 FROM snapshot WHERE id = $1 FOR KEY SHARE", [snapshotId])).rowCount) {
            throw new ShipgateError("NOT_FOUND", `[store] no snapshot ${snapshotId} in ${location}`, { hint: "`shipgate history` lists the snapshots" });
          }
          await client.query(
            "INSERT INTO baseline (name, snapshot_id, set_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET snapshot_id = excluded.snapshot_id, set_at = excluded.set_at",
            [name, snapshotId, at],
          );
          await insertEvent(client, { at, type: "baseline.set", subject: name, data: { snapshotId } });
          return { name, snapshotId, setAt: at };
        }),
      ),
    getBaseline: (name) =>
      guard(async () => {
        const row = (await pool.query("SELECT * FROM baseline WHERE name = $1", [name])).rows[0] as Row | undefined;
        return row && toBaseline(row);
      }),
    listBaselines: () => guard(async () => (await pool.query("SELECT * FROM baseline ORDER BY name")).rows.map(toBaseline)),
    appendEvent: (event) => guard((): Promise<StoreEvent> => insertEvent(pool, event)),
    // max() over the primary key is one step down its index. Ids come from a sequence, so a transaction that took its
    // id before another one committed can commit after it, below the max already read: the cache's TTL bounds that.
    lastEventId: () => guard(async () => Number((await pool.query<{ id: number | null }>("SELECT max(id) AS id FROM event")).rows[0]?.id ?? 0)),
    listEvents: (opts = {}) =>
      guard(async () => {
        const { where, params } = filters([
          [(p) => `id > ${p}`, opts.afterId],
          [(p) => `type = ${p}`, opts.type],
          // A prefix as a range on the indexed column (byte order, as in SQLite): no LIKE escaping.
          [(p) => `type >= ${p}`, opts.typePrefix],
          [(p) => `type < ${p}`, opts.typePrefix === undefined ? undefined : `${opts.typePrefix}\u{10ffff}`],
          [(p) => `type = ANY(${p}::text[])`, opts.types],
          [(p) => `at >= ${p}`, opts.from],
          [(p) => `at < ${p}`, opts.to],
        ]);
        const sql = `SELECT * FROM event ${where} ORDER BY id LIMIT $${params.length + 1}`;
        return (await pool.query(sql, [...params, opts.limit ?? null])).rows.map(toEvent);
      }),
    listFactSeries: (query = {}) =>
      guard(async () => {
        const { where, params } = filters([
          [(p) => `s.taken_at >= ${p}`, query.from],
          [(p) => `s.taken_at < ${p}`, query.to],
          [(p) => `s.git_branch = ${p}`, query.branch],
          [(p) => `f.key = ANY(${p}::text[])`, query.keys],
        ]);
        const sql = `SELECT s.id AS snapshot_id, s.taken_at, s.git_branch, f.key, f.value, f.component
          FROM snapshot s JOIN fact f ON f.snapshot_id = s.id ${where} ORDER BY s.taken_at, s.id, f.row_id`;
        return (await pool.query(sql, params)).rows.map(toFactPoint);
      }),
  };
}
