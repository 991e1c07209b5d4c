import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { ShipgateError } from "../../errors.js";

export type Db = Database.Database;

/** The error for a store that cannot be opened. */
export const sqliteOpenError = (location: string, error: unknown): ShipgateError => {
  if (error instanceof ShipgateError) return error;
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

/** Opens the file (its folder created when missing) in WAL mode; no schema work. */
export function connect(location: string): Db {
  try {
    if (location !== ":memory:") mkdirSync(dirname(location), { recursive: true });
    const db = new Database(location, { timeout: 10_000 });
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    return db;
  } catch (error) {
    throw sqliteOpenError(location, error);
  }
}

/**
 * Runs one store call: rejects once the store is closed, and turns driver errors into STORE_UNAVAILABLE (a
 * ShipgateError from the rules passes through as it is).
 */
export function guarded(location: string, isClosed: () => boolean) {
  return function guard<T>(work: () => T): Promise<T> {
    if (isClosed()) return Promise.reject(new ShipgateError("STORE_UNAVAILABLE", `[store] [sqlite] ${location}: the store is closed`));
    try {
      return Promise.resolve(work());
    } catch (error) {
      return Promise.reject(storeError(location, error));
    }
  };
}

function storeError(location: string, error: unknown): ShipgateError {
  if (error instanceof ShipgateError) return error;
  // Writes wait up to 10 s for the lock; SQLITE_BUSY means another process kept it longer (or, in a transaction
  // that did not start IMMEDIATE, wrote first).
  if ((error as { code?: unknown }).code === "SQLITE_BUSY") {
    return new ShipgateError("STORE_UNAVAILABLE", `[store] [sqlite] ${location}: the database is locked by another process`, {
      cause: error,
      hint: "nothing was written; retry, or look for a process stuck in a long write",
    });
  }
  return new ShipgateError("STORE_UNAVAILABLE", `[store] [sqlite] ${location}: ${(error as Error).message}`, { cause: error, hint: "nothing was written; retry, or check the database file" });
}
