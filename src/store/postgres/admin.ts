import { ShipgateError } from "../../errors.js";
import { TABLES, tableSpec, type ColumnKind, type TableSpec } from "../tables.js";
import type { StoreAdmin } from "../types.js";
import { transaction, type Guard, type Pool } from "./connection.js";
import { migrate, schemaVersion } from "./migrate.js";
import { bulkInsert } from "./snapshots.js";

function spec(name: string): TableSpec {
  const found = tableSpec(name);
  if (!found) throw new ShipgateError("USAGE", `[store] no table ${name} (tables: ${TABLES.map((t) => t.name).join(", ")})`);
  return found;
}

const PG_TYPE: Record<ColumnKind, string> = { int: "bigint", real: "float8", flag: "smallint", text: "text" };

/**
 * `shipgate db` on PostgreSQL. Rows come back canonical as they are (bigint parsed to numbers, flags smallint 0/1,
 * JSON and timestamps text); `row_id`, the insertion order of tables without an id, pages them and is left out.
 */
export function postgresAdmin(pool: Pool, url: string, guard: Guard, clock: () => string): StoreAdmin {
  return {
    schema: () => guard(() => schemaVersion(pool)),
    migrate: () => guard(() => migrate(pool, url, clock())),
    // `db status` reads a store opened as it is, before `db migrate`: a table its schema does not have yet counts 0.
    counts: () =>
      guard(async () => {
        const present = await pool.query<{ name: string }>("SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(name) IS NOT NULL", [TABLES.map((t) => t.name)]);
        const names = new Set(present.rows.map((r) => r.name));
        const sql = `SELECT ${TABLES.map((t) => (names.has(t.name) ? `(SELECT COUNT(*) FROM ${t.name})` : "0::bigint") + ` AS ${t.name}`).join(", ")}`;
        const row = (await pool.query<Record<string, number>>(sql)).rows[0]!;
        return Object.fromEntries(TABLES.map((t) => [t.name, row[t.name]!]));
      }),
    readRows: (table, cursor, limit) =>
      guard(async () => {
        const t = spec(table);
        const columns = Object.keys(t.columns);
        const key = t.key === "row" ? "row_id" : "id";
        const after = cursor === null ? null : t.key === "text" ? cursor : Number(cursor);
        const params: unknown[] = after === null ? [limit] : [after, limit];
        const sql = `SELECT ${key} AS _key, ${columns.join(", ")} FROM ${t.name} ${after === null ? "" : `WHERE ${key} > $1`} ORDER BY ${key} LIMIT $${params.length}`;
        const rows = (await pool.query<Record<string, unknown>>(sql, params)).rows;
        const last = rows.at(-1);
        const next = rows.length < limit || !last ? null : String(last._key);
        for (const r of rows) delete r._key;
        return { rows, next };
      }),
    writeRows: (table, rows) =>
      guard(async () => {
        const t = spec(table);
        const columns = Object.entries(t.columns).map(([name, kind]) => [name, PG_TYPE[kind]] as const);
        await transaction(pool, (client) => bulkInsert(client, t.name, columns, rows.map((r) => columns.map(([c]) => r[c] ?? null))));
      }),
    // Copied rows carry their ids: each id sequence continues after the highest one.
    finishCopy: () =>
      guard(async () => {
        const sql = TABLES.filter((t) => t.key === "id")
          .map((t) => `SELECT setval(pg_get_serial_sequence('${t.name}', 'id'), COALESCE((SELECT MAX(id) FROM ${t.name}), 0) + 1, false);`)
          .join("\n");
        await pool.query(sql);
      }),
  };
}
