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
    // A connection opening while another process checkpoints or recovers the WAL can get SQLITE_BUSY_* at once,
    // without the busy handler: retried like every other call (two workers starting together saw "database is locked").
    retryBusy(() => db.pragma("journal_mode = WAL"));
    db.pragma("synchronous = NORMAL");
    db.pragma("foreign_keys = ON");
    return db;
  } catch (error) {
    throw sqliteOpenError(location, error);
  }
}

/** How long a call waits for another connection's write lock before it gives up. */
export const LOCK_WAIT_MS = 10_000;
const pause = new Int32Array(new SharedArrayBuffer(4));

/**
 * Runs one store call: rejects once the store is closed, and turns driver errors into STORE_UNAVAILABLE (a
 * ShipgateError from the rules passes through as it is).
 *
 * A call that finds the write lock taken (SQLITE_BUSY: every write transaction begins IMMEDIATE, so nothing was
 * written) is run again after a short random pause, for up to LOCK_WAIT_MS. SQLite's own busy handler is off once a
 * store is open (`busy_timeout = 0`): it sleeps longer and longer between tries (up to 100 ms), so a connection that
 * waited long kept losing the lock to newer ones — with 32 workers on one file, a claim now and then waited 10 s
 * and failed. Random pauses (up to 1 ms, growing to 10 ms) give every waiter the same chance; bench:store measured
 * 32 workers at ~2 500 cycles/s with the slowest call under 0.5 s (10 s and a refusal before; shorter pauses spin).
 */
export function guarded(location: string, isClosed: () => boolean) {
  return function guard<T>(work: () => T): Promise<T> {
    if (isClosed()) return Promise.reject(new ShipgateError("STORE_UNAVAILABLE", `[store] [sqlite] ${location}: the store is closed`));
    try {
      return Promise.resolve(retryBusy(work));
    } catch (error) {
      return Promise.reject(storeError(location, error));
    }
  };
}

/**
 * Runs `work` again while it is refused with SQLITE_BUSY, for up to LOCK_WAIT_MS. `work` must be one transaction
 * (or only reads): a call that runs several transactions wraps each one, so that a retry never repeats, or
 * forgets the result of, one that committed.
 */
export function retryBusy<T>(work: () => T): T {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (let attempt = 1; ; attempt++) {
    try {
      return work();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw error;
      // better-sqlite3 is synchronous: the call blocks its thread while it waits, as the busy handler did.
      Atomics.wait(pause, 0, 0, Math.random() * Math.min(10, attempt));
    }
  }
}

/**
 * SQLITE_BUSY and its extended codes (better-sqlite3 reports those): SQLITE_BUSY_SNAPSHOT — a read transaction in WAL
 * mode that may not become a write one because another connection wrote since it began — and SQLITE_BUSY_RECOVERY /
 * _TIMEOUT. Nothing was written in any of them; only the plain code was retried, so two workers on one file now and
 * then saw "database is locked" at once instead of a retry.
 */
export const isBusy = (error: unknown): boolean => {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && (code === "SQLITE_BUSY" || code.startsWith("SQLITE_BUSY_"));
};

function storeError(location: string, error: unknown): ShipgateError {
  if (error instanceof ShipgateError) return error;
  // Calls wait up to LOCK_WAIT_MS for the lock; SQLITE_BUSY here means another process kept it longer.
  if (isBusy(error)) {
    return new ShipgateError("STORE_UNAVAILABLE", `[store] [sqlite] ${location}: the database is locked by another process`, {
      cause: error,
      hint: "nothing was written; retry, or look for a process stuck in a long write",
    });
  }
  return new ShipgateError("STORE_UNAVAILABLE", `[store] [sqlite] ${location}: ${(error as Error).message}`, { cause: error, hint: "nothing was written; retry, or check the database file" });
}
