import { statSync } from "node:fs";
import { dirname, isAbsolute, join } from "node:path";
import { ShipgateError } from "../errors.js";
import { openSqliteStore } from "./sqlite/index.js";
import type { Store } from "./types.js";

export const DEFAULT_DB = ".shipgate/shipgate.db";

export interface OpenStoreOptions {
  /** Folder a relative SQLite path (and the default store) is under. Default: the process's working directory. */
  cwd?: string;
  /** A store that does not exist yet is NOT_FOUND instead of being created empty (SQLite). */
  mustExist?: boolean;
  /**
   * A store that does not exist yet is read as an empty one — in memory, named after the file in messages — and
   * nothing is created on disk (commands that only read: history, diff, baseline list, plan and task views).
   */
  emptyIfMissing?: boolean;
  /** Bring the schema up to date while opening (default true); false for `shipgate db status` / `db migrate`. */
  migrate?: boolean;
  /** The time stamped on migrations applied while opening (default: now). */
  at?: string;
}

/** True for a `postgres://` or `postgresql://` URL. */
export const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

/**
 * Opens the store a `--db` value (or `SHIPGATE_DB`) names: a file path or `sqlite:PATH` (SQLite; by default
 * `.shipgate/shipgate.db` under `cwd`), or `postgres://user@host:port/db` / `postgresql://…` (the shared store;
 * `cwd`, `mustExist` and `emptyIfMissing` concern files and do not apply). The default store's
 * folder is created when missing; the folder of a file named in `url` must exist (USAGE otherwise), so that a typo
 * does not leave an empty store somewhere and report "no snapshots".
 */
export async function openStore(url: string | undefined, options: OpenStoreOptions = {}): Promise<Store> {
  const value = url ?? DEFAULT_DB;
  const at = options.at ?? new Date().toISOString();
  if (isPostgresUrl(value)) {
    // Loaded on demand: SQLite users never load pg. A database is never "missing" the way a file is: opening an
    // empty one migrates it (or, with migrate false, reads it as schema version 0).
    const { openPostgresStore } = await import("./postgres/index.js");
    return openPostgresStore({ url: value, at, ...(options.migrate === undefined ? {} : { migrate: options.migrate }) });
  }
  const path = value.startsWith("sqlite:") ? value.slice("sqlite:".length) : value;
  const file = path === ":memory:" || isAbsolute(path) ? path : join(options.cwd ?? process.cwd(), path);
  if (url !== undefined && file !== ":memory:") checkDbPath(url, file);
  const missing = (options.mustExist || options.emptyIfMissing) && file !== ":memory:" && !statSync(file, { throwIfNoEntry: false });
  if (missing && options.mustExist) {
    throw new ShipgateError("NOT_FOUND", `[store] no snapshot in ${file} (there is no store yet)`, {
      hint: "run `shipgate assess` first (it creates the store), or point --db at an existing store",
    });
  }
  if (missing) return { ...(await openSqliteStore({ path: ":memory:", at })), location: `${file} (no store yet)` };
  return openSqliteStore({ path: file, at, ...(options.migrate === undefined ? {} : { migrate: options.migrate }) });
}

/** Opens the store, runs `work` with it, and closes it whatever happens. */
export async function withStore<T>(url: string | undefined, options: OpenStoreOptions, work: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(url, options);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function checkDbPath(db: string, file: string): void {
  const target = statSync(file, { throwIfNoEntry: false });
  if (target?.isDirectory()) {
    throw new ShipgateError("USAGE", `[store] ${db}: ${file} is a directory, not a database file`, {
      hint: `name a file, e.g. ${join(db.replace(/^sqlite:/, ""), "shipgate.db")}`,
    });
  }
  if (target) return;
  const folder = dirname(file);
  const parent = statSync(folder, { throwIfNoEntry: false });
  if (!parent?.isDirectory()) {
    throw new ShipgateError("USAGE", `[store] ${db}: the folder ${folder} ${parent ? "is a file" : "does not exist"}`, {
      hint: parent ? "point the store at a file in a folder" : `create it first (mkdir -p ${folder}) or fix the path; nothing was created`,
    });
  }
}
