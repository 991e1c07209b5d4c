import { statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { ShipgateError } from "../errors.js";
import { createSqliteDriver } from "./drivers/sqlite.js";
import type { Store } from "./types.js";

export const DEFAULT_DB = ".shipgate/shipgate.db";

/**
 * Opens the store a `--db` value names: a file path or `sqlite:PATH` (SQLite, the default
 * `.shipgate/shipgate.db` under `cwd`), or `postgres://…` (the shared store, not yet available). The default
 * store's folder is created when missing; the folder of a file named in `db` must exist (USAGE otherwise).
 */
export function openStore(db: string | undefined, cwd: string): Store {
  const value = db ?? DEFAULT_DB;
  if (/^postgres(ql)?:\/\//.test(value)) {
    throw new ShipgateError("STORE_UNAVAILABLE", "[store] the PostgreSQL driver is not available yet in this version", {
      hint: "use the default SQLite store (omit --db) until the PostgreSQL driver lands",
    });
  }
  const path = value.startsWith("sqlite:") ? value.slice("sqlite:".length) : value;
  const file = path === ":memory:" || isAbsolute(path) ? path : join(cwd, path);
  // The default store's folder is created; a folder named with --db must exist, so that a typo does not leave
  // an empty store somewhere and report "no snapshots".
  if (db !== undefined && file !== ":memory:") checkDbPath(db, file);
  return createSqliteDriver({ path: file });
}

function checkDbPath(db: string, file: string): void {
  const target = statSync(file, { throwIfNoEntry: false });
  if (target?.isDirectory()) {
    throw new ShipgateError("USAGE", `[store] --db ${db}: ${file} is a directory, not a database file`, {
      hint: `name a file, e.g. --db ${join(db.replace(/^sqlite:/, ""), "shipgate.db")}`,
    });
  }
  if (target) return;
  const folder = dirname(file);
  const parent = statSync(folder, { throwIfNoEntry: false });
  if (!parent?.isDirectory()) {
    throw new ShipgateError("USAGE", `[store] --db ${db}: the folder ${folder} ${parent ? "is a file" : "does not exist"}`, {
      hint: parent ? "point --db at a file in a folder" : `create it first (mkdir -p ${folder}) or fix the path; nothing was created`,
    });
  }
}
