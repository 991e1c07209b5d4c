import { ShipgateError } from "../../errors.js";
import { TABLES, tableSpec, type TableSpec } from "../tables.js";
import type { StoreAdmin } from "../types.js";
import type { Db } from "./connection.js";
import { migrate, schemaVersion } from "./migrate.js";

type Guard = <T>(work: () => T) => Promise<T>;

function spec(name: string): TableSpec {
  const found = tableSpec(name);
  if (!found) throw new ShipgateError("USAGE", `[store] no table ${name} (tables: ${TABLES.map((t) => t.name).join(", ")})`);
  return found;
}

/** `shipgate db` on SQLite: rows are already canonical (integers, reals, 0/1 flags and text). */
export function sqliteAdmin(db: Db, location: string, guard: Guard, clock: () => string): StoreAdmin {
  return {
    schema: () => guard(() => schemaVersion(db)),
    migrate: () => guard(() => migrate(db, location, clock())),
    // `db status` reads a store opened as it is, before `db migrate`: a table its schema does not have yet counts 0.
    counts: () =>
      guard(() => {
        const present = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name));
        const count = (name: string) => (present.has(name) ? (db.prepare(`SELECT COUNT(*) AS n FROM ${name}`).get() as { n: number }).n : 0);
        return Object.fromEntries(TABLES.map((t) => [t.name, count(t.name)]));
      }),
    readRows: (table, cursor, limit) =>
      guard(() => {
        const t = spec(table);
        const columns = Object.keys(t.columns);
        // The paging key: rowid for insertion order, else the id column itself.
        const key = t.key === "row" ? "rowid" : "id";
        const after = cursor === null ? null : t.key === "text" ? cursor : Number(cursor);
        const rows = db
          .prepare(`SELECT ${key} AS _key, ${columns.join(", ")} FROM ${t.name} ${after === null ? "" : `WHERE ${key} > ?`} ORDER BY ${key} LIMIT ?`)
          .all(...(after === null ? [] : [after]), limit) as Record<string, unknown>[];
        const last = rows.at(-1);
        const next = rows.length < limit || !last ? null : String(last._key);
        for (const r of rows) delete r._key;
        return { rows, next };
      }),
    writeRows: (table, rows) =>
      guard(() => {
        const t = spec(table);
        const columns = Object.keys(t.columns);
        const insert = db.prepare(`INSERT INTO ${t.name} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`);
        db.transaction(() => {
          for (const r of rows) insert.run(...columns.map((c) => r[c] ?? null));
        }).immediate();
      }),
    // AUTOINCREMENT continues after the highest id ever inserted (sqlite_sequence follows explicit ids).
    finishCopy: () => guard(() => undefined),
  };
}
