/**
 * The tables every driver stores, in one canonical form: the same table and column names in each dialect, so that
 * `shipgate db copy` moves rows between drivers column by column and `db status` counts the same things.
 *
 * - `kind` is the canonical value a row carries across drivers: `int` and `real` as numbers, `flag` as 0 or 1,
 *   `text` as a string (JSON documents and timestamps are text in every dialect, so that they come back
 *   byte-identical). Any column may be null.
 * - `key` is how a table is paged and in which order it is copied and checksummed: `id` — its integer `id` column,
 *   copied as it is (ids are referenced: snapshot ids by baselines and events, source ids by detail rows);
 *   `text` — its text primary key `id`, in byte order (PostgreSQL declares it `COLLATE "C"`); `row` — insertion
 *   order (SQLite's rowid, PostgreSQL's `row_id` identity column, which is not part of the canonical row).
 * - `TABLES` is in copy order: a table comes after every table it references.
 */
export type ColumnKind = "int" | "real" | "flag" | "text";

export interface TableSpec {
  name: string;
  key: "id" | "text" | "row";
  columns: Readonly<Record<string, ColumnKind>>;
}

const coverageCounts = Object.fromEntries(
  ["lines", "branches", "functions", "statements"].flatMap((m) => [`${m}_covered`, `${m}_total`]).map((c) => [c, "int" as const]),
);

export const TABLES: readonly TableSpec[] = [
  {
    name: "snapshot",
    key: "id",
    columns: {
      id: "int", taken_at: "text", git_commit: "text", git_branch: "text", git_dirty: "flag", git_tree: "text",
      config_hash: "text", inputs_hash: "text", summary: "text",
    },
  },
  {
    name: "source",
    key: "id",
    columns: { id: "int", snapshot_id: "int", path: "text", sha256: "text", bytes: "int", format: "text", tool: "text", tool_version: "text", collector: "text" },
  },
  { name: "fact", key: "row", columns: { snapshot_id: "int", key: "text", value: "real", component: "text", source_id: "int" } },
  {
    name: "test_result",
    key: "row",
    columns: {
      snapshot_id: "int", test_id: "text", file: "text", suite: "text", name: "text", status: "text", duration_ms: "real",
      message: "text", flaky: "flag", source_id: "int",
    },
  },
  {
    name: "coverage_file",
    key: "row",
    columns: {
      snapshot_id: "int", path: "text", package: "text", resolved: "flag", ...coverageCounts,
      covered_lines: "text", uncovered_lines: "text", source_id: "int",
    },
  },
  {
    name: "finding",
    key: "row",
    columns: {
      snapshot_id: "int", fingerprint: "text", tool: "text", kind: "text", rule_id: "text", level: "text", message: "text",
      file: "text", line: "int", suppressed: "flag", source_id: "int",
    },
  },
  {
    name: "advisory",
    key: "row",
    columns: {
      snapshot_id: "int", advisory_id: "text", aliases: "text", package: "text", versions: "text", severity: "text",
      title: "text", url: "text", fix_available: "flag", source_id: "int",
    },
  },
  { name: "baseline", key: "row", columns: { name: "text", snapshot_id: "int", set_at: "text" } },
  { name: "event", key: "id", columns: { id: "int", at: "text", type: "text", subject: "text", data: "text" } },
  { name: "plan", key: "id", columns: { id: "int", hash: "text", source: "text", imported_at: "text", content: "text" } },
  {
    name: "task",
    key: "text",
    columns: {
      id: "text", title: "text", owner: "text", priority: "text", slack: "real", depends_on: "text", phase: "text", ord: "int",
      state: "text", claimed_by: "text", attempts: "int", note: "text", removed: "flag", updated_at: "text", version: "int",
      max_attempts: "int", lease_epoch: "int",
    },
  },
  { name: "phase_wait", key: "row", columns: { phase: "text", waits_for: "text" } },
  {
    name: "task_run",
    key: "id",
    columns: {
      id: "int", task_id: "text", agent: "text", attempt: "int", epoch: "int", started_at: "text", heartbeat_at: "text",
      lease_expires_at: "text", ended_at: "text", outcome: "text", exit_code: "int", log: "text", usage: "text", note: "text",
    },
  },
];

export const TABLE_NAMES: readonly string[] = TABLES.map((t) => t.name);

/** The spec of a table, or undefined for a name that is not one of the store's. */
export const tableSpec = (name: string): TableSpec | undefined => TABLES.find((t) => t.name === name);
