import { statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { ShipgateError } from "../errors.js";
import { createSqliteDriver } from "./drivers/sqlite.js";
import type { Store } from "./types.js";

export const DEFAULT_DB = ".shipgate/shipgate.db";

/**
 * Opens the store a `--db` value names: a file path or `sqlite:PATH` (SQLite, the default
 * `.shipgate/shipgate.db` under `cwd`), or `postgres://…` (the shared store, not yet available). The default
 * store's folder is created when missing; the folder of a file named in `db` must exist (USAGE otherwise). With
 * `mustExist`, a store that does not exist yet is NOT_FOUND instead of being created empty. With `emptyIfMissing`
 * (commands that only read: history, diff, baseline list, plan and task views), a store that does not exist yet is
 * read as an empty one: an in-memory store, named after the file in messages, and nothing is created on disk.
 */
export function openStore(db: string | undefined, cwd: string, options: { mustExist?: boolean; emptyIfMissing?: boolean } = {}): Store {
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
  // Commands that only read leave no empty store behind in a folder that has none.
  const missing = (options.mustExist || options.emptyIfMissing) && file !== ":memory:" && !statSync(file, { throwIfNoEntry: false });
  if (missing && options.mustExist) {
    throw new ShipgateError("NOT_FOUND", `[store] no snapshot in ${file} (there is no store yet)`, {
      hint: "run `shipgate assess` first (it creates the store), or point --db at an existing store",
    });
  }
  if (missing) return { ...createSqliteDriver({ path: ":memory:" }), location: `${file} (no store yet)` };
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
