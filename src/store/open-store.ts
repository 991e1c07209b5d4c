import { isAbsolute, join } from "node:path";
import { ShipgateError } from "../errors.js";
import { createSqliteDriver } from "./drivers/sqlite.js";
import type { Store } from "./types.js";

export const DEFAULT_DB = ".shipgate/shipgate.db";

/**
 * Opens the store a `--db` value names: a file path or `sqlite:PATH` (SQLite, the default
 * `.shipgate/shipgate.db` under `cwd`), or `postgres://…` (the shared store, not yet available).
 */
export function openStore(db: string | undefined, cwd: string): Store {
  const value = db ?? DEFAULT_DB;
  if (/^postgres(ql)?:\/\//.test(value)) {
    throw new ShipgateError("STORE_UNAVAILABLE", "[store] the PostgreSQL driver is not available yet in this version", {
      hint: "use the default SQLite store (omit --db) until the PostgreSQL driver lands",
    });
  }
  const path = value.startsWith("sqlite:") ? value.slice("sqlite:".length) : value;
  return createSqliteDriver({ path: path === ":memory:" || isAbsolute(path) ? path : join(cwd, path) });
}
