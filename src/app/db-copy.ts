import { realpathSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { InterruptedError, ShipgateError, throwIfInterrupted } from "../errors.js";
import type { OpenStoreOptions } from "../store/open-store.js";
import { TABLES, type TableSpec } from "../store/tables.js";
import type { Store } from "../store/types.js";
import { canonicalRow, TableChecksum } from "./store-rows.js";

/** Opens a store by its URL (store/open-store.ts `openStore`, handed in by the entry point). */
export type OpenStore = (url: string, options: OpenStoreOptions) => Promise<Store>;

/** Progress of a copy, page by page: first every table is copied, then every table is read back and checked. */
export interface CopyProgress {
  step: "copy" | "verify";
  table: string;
  /** Rows of this table done so far, and how many the source counted before the copy began. */
  rows: number;
  total: number;
  /** True on the table's last event. */
  done: boolean;
}

export interface CopyStoreOptions {
  /** The source and target, as `openStore` takes them: a SQLite file (relative to `cwd`) or a postgres:// URL. */
  from: string;
  to: string;
  cwd: string;
  open: OpenStore;
  /** The time stamped on the target's migrations. */
  at: string;
  onProgress?: (progress: CopyProgress) => void;
  /** Stops between pages; the target is then left half-written (the error says so). */
  signal?: AbortSignal;
  /** The most rows read or written at once (default 5000); pages shrink for tables of big rows (snapshot summaries, plans). */
  pageRows?: number;
}

export interface CopiedTable {
  name: string;
  rows: number;
  /** sha256 over the table's canonical rows in copy order (app/store-rows.ts), equal on both sides. */
  sha256: string;
}

export interface CopyResult {
  from: { driver: Store["driver"]; location: string; version: number };
  to: { driver: Store["driver"]; location: string; version: number; migrated: { version: number; name: string }[] };
  /** In copy order (store/tables.ts). */
  tables: CopiedTable[];
  rows: number;
}

/** Why a copy was refused before anything was written. */
export type CopyRefusal = "same-store" | "source-missing" | "source-behind" | "target-behind" | "target-not-empty";

/**
 * A copy refused before it wrote anything; `store` is the store it is about (its location once opened, else the
 * `from` or `to` value), so an entry point can say how to fix it in its own words (the CLI: which
 * `shipgate db migrate --db …` to run).
 */
export class CopyRefusedError extends ShipgateError {
  readonly reason: CopyRefusal;
  readonly store: string;

  constructor(reason: CopyRefusal, store: string, message: string, hint: string) {
    super("USAGE", message, { hint });
    this.name = "CopyRefusedError";
    this.reason = reason;
    this.store = store;
  }
}

/** About how much row data one page holds; a driver's insert of a page needs several times this in memory. */
const BYTES_PER_PAGE = 4 * 1024 * 1024;

/**
 * `db copy`: every row of `from` into the empty store `to`, ids and order kept, then verified.
 *
 * The source is opened as it is (never migrated) and must be at this build's schema; the target is created or
 * migrated to it and must hold no row. Tables are copied in store/tables.ts order, page by page (never the whole
 * store in memory), then the target's id sequences are moved past the copied ids. Verification reads the target
 * back: per table, the row count and a sha256 of the canonical rows must equal the source's; the source must still
 * count what was copied (no writer added rows meanwhile). Anything that goes wrong after the first write is a
 * COPY_FAILED that says the target holds part of the copy and must be dropped or emptied; the source is only read.
 */
export async function copyStore(options: CopyStoreOptions): Promise<CopyResult> {
  const { from, to, cwd, open } = options;
  if (storeIdentity(from, cwd) === storeIdentity(to, cwd)) {
    throw new CopyRefusedError("same-store", to, `[db] the source and the target are the same store (${from}, ${to})`, "copy into another, empty store");
  }
  const source = await open(from, { cwd, mustExist: true, migrate: false }).catch((error: unknown) => {
    if (!(error instanceof ShipgateError && error.code === "NOT_FOUND")) throw error;
    throw new CopyRefusedError("source-missing", from, `[db] there is no store at the source ${from}`, "name an existing store to copy from; nothing was written");
  });
  try {
    const sourceSchema = await source.admin.schema();
    if (sourceSchema.version === 0) {
      throw new CopyRefusedError("source-missing", from, `[db] there is no shipgate store at the source ${source.location} (it has no shipgate table)`, "name an existing store to copy from; nothing was written");
    }
    if (sourceSchema.version < sourceSchema.latest) {
      throw new CopyRefusedError(
        "source-behind",
        source.location,
        `[db] the source ${source.location} is at schema version ${sourceSchema.version}, this shipgate's is ${sourceSchema.latest}`,
        "migrate the source first (its rows are kept), then copy again; nothing was written",
      );
    }
    const target = await open(to, { cwd, migrate: false, at: options.at });
    try {
      const migrated = await prepareTarget(target, to);
      return await copyInto(source, target, sourceSchema.version, migrated, options);
    } finally {
      await target.close();
    }
  } finally {
    await source.close();
  }
}

/** Refuses a target that holds rows or is newer than this build; brings an empty one to the latest schema. */
async function prepareTarget(target: Store, to: string): Promise<{ version: number; name: string }[]> {
  const { version, latest } = await target.admin.schema();
  if (version > latest) {
    throw new ShipgateError("SCHEMA_TOO_NEW", `[db] the target ${target.location} is at schema version ${version}, newer than this shipgate knows (${latest})`, {
      hint: "upgrade shipgate, or copy into another, empty store; nothing was written",
    });
  }
  if (version > 0) {
    let counts: Record<string, number>;
    try {
      counts = await target.admin.counts();
    } catch (error) {
      if (version === latest) throw error;
      // A driver that cannot count an older schema: whether it is empty is unknown, so it is not written to.
      throw new CopyRefusedError(
        "target-behind",
        to,
        `[db] the target ${target.location} already holds a shipgate store at schema version ${version} (this shipgate's is ${latest})`,
        "copy into an empty store (a new file, or an empty PostgreSQL database); nothing was written",
      );
    }
    const full = Object.entries(counts).filter(([, n]) => n > 0);
    if (full.length > 0) {
      throw new CopyRefusedError(
        "target-not-empty",
        to,
        `[db] the target ${target.location} is not empty: ${full.map(([t, n]) => `${t} (${n} row${n === 1 ? "" : "s"})`).join(", ")}`,
        "copy into an empty store (a new file, or an empty PostgreSQL database); nothing was written",
      );
    }
  }
  return version === latest ? [] : (await target.admin.migrate()).applied;
}

async function copyInto(source: Store, target: Store, version: number, migrated: { version: number; name: string }[], options: CopyStoreOptions): Promise<CopyResult> {
  const before = await source.admin.counts();
  const copied: CopiedTable[] = [];
  let at = "the start";
  try {
    for (const table of TABLES) {
      at = `table ${table.name}`;
      const sum = new TableChecksum(table);
      await readPages(source, table, options, (rows) => {
        sum.add(rows);
        return target.admin.writeRows(table.name, rows);
      }, (rows, done) => options.onProgress?.({ step: "copy", table: table.name, rows, total: before[table.name] ?? 0, done }));
      copied.push({ name: table.name, rows: sum.rows, sha256: sum.digest() });
    }
    at = "the end (moving the id sequences)";
    await target.admin.finishCopy();
    at = "the verification";
    await verify(source, target, copied, options);
  } catch (error) {
    throw halfWritten(error, at, target);
  }
  return {
    from: { driver: source.driver, location: source.location, version },
    to: { driver: target.driver, location: target.location, version: (await target.admin.schema()).version, migrated },
    tables: copied,
    rows: copied.reduce((n, t) => n + t.rows, 0),
  };
}

async function verify(source: Store, target: Store, copied: CopiedTable[], options: CopyStoreOptions): Promise<void> {
  const [after, counts] = await Promise.all([source.admin.counts(), target.admin.counts()]);
  const changed = copied.filter((t) => after[t.name] !== t.rows);
  if (changed.length > 0) {
    throw new ShipgateError("COPY_FAILED", `[db] the source changed during the copy: ${changed.map((t) => `${t.name} has ${after[t.name] ?? 0} rows, ${t.rows} were copied`).join("; ")}`);
  }
  const problems: string[] = [];
  for (const table of TABLES) {
    const expected = copied.find((t) => t.name === table.name);
    if (!expected) continue;
    const sum = new TableChecksum(table);
    await readPages(target, table, options, (rows) => {
      sum.add(rows);
      return Promise.resolve();
    }, (rows, done) => options.onProgress?.({ step: "verify", table: table.name, rows, total: expected.rows, done }));
    const digest = sum.digest();
    if (counts[table.name] !== expected.rows || sum.rows !== expected.rows) {
      problems.push(`${table.name}: ${expected.rows} rows copied, the target counts ${counts[table.name] ?? 0} and reads back ${sum.rows}`);
    } else if (digest !== expected.sha256) {
      problems.push(`${table.name}: the rows read back differ from the source's (checksum ${digest.slice(0, 12)}, source ${expected.sha256.slice(0, 12)})`);
    }
  }
  if (problems.length > 0) throw new ShipgateError("COPY_FAILED", `[db] the copy does not match its source: ${problems.join("; ")}`);
}

/**
 * Reads a whole table page by page in copy order, each page canonical, and hands it to `page` before reading the
 * next. Pages start at 16 rows and grow up to `pageRows` while they stay under ~4 MB, so a table of big rows
 * (snapshot summaries, plans) is never held whole.
 */
async function readPages(
  store: Store,
  table: TableSpec,
  options: CopyStoreOptions,
  page: (rows: Record<string, unknown>[]) => Promise<void>,
  progress: (rows: number, done: boolean) => void,
): Promise<void> {
  const max = Math.max(1, options.pageRows ?? 5000);
  let limit = Math.min(max, 16);
  let cursor: string | null = null;
  let rows = 0;
  for (;;) {
    throwIfInterrupted(options.signal, "db", `the copy stopped in table ${table.name}`);
    const read: { rows: Record<string, unknown>[]; next: string | null } = await store.admin.readRows(table.name, cursor, limit);
    const canonical = read.rows.map((r) => canonicalRow(table, r, store.location));
    if (canonical.length > 0) await page(canonical);
    rows += canonical.length;
    cursor = read.next;
    progress(rows, cursor === null);
    if (cursor === null) return;
    const bytes = canonical.reduce((n, r) => n + rowBytes(r), 0);
    // The next page holds about BYTES_PER_PAGE at the rows' size so far, growing at most fourfold per page.
    limit = Math.max(1, Math.min(max, limit * 4, bytes === 0 ? max : Math.floor((limit * BYTES_PER_PAGE) / bytes)));
  }
}

const rowBytes = (row: Record<string, unknown>): number => Object.values(row).reduce<number>((n, v) => n + (typeof v === "string" ? v.length : 8), 0);

/** The error of a copy that stopped after the target was written to: what to do with the target, whatever broke. */
function halfWritten(error: unknown, at: string, target: Store): ShipgateError {
  const drop =
    target.driver === "sqlite"
      ? `delete ${target.location} (with its -wal and -shm files)`
      : "drop the database and create it again empty (dropdb, then createdb), or empty it";
  const what = `${target.location} now holds part of the copy: ${drop}, then copy again; the source was only read`;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof InterruptedError) return new InterruptedError(`${message}; ${what}`, error.signal, { cause: error });
  const own = error instanceof ShipgateError && error.code === "COPY_FAILED";
  return new ShipgateError("COPY_FAILED", own ? message : `[db] the copy stopped at ${at}: ${message}`, { hint: what, cause: error });
}

/**
 * Which store a `from`/`to` value names, to refuse copying a store onto itself: a SQLite file by its real path
 * (relative paths under `cwd`, symbolic links followed); a PostgreSQL database by host, port and name (user and
 * password do not make another database).
 */
export function storeIdentity(url: string, cwd: string): string {
  if (/^postgres(ql)?:\/\//i.test(url)) {
    try {
      const u = new URL(url);
      const host = (u.hostname || u.searchParams.get("host") || "localhost").toLowerCase();
      const port = u.port || u.searchParams.get("port") || "5432";
      const user = decodeURIComponent(u.username);
      const db = decodeURIComponent(u.pathname.replace(/^\//, "")) || user;
      return `postgres://${host}:${port}/${db}`;
    } catch {
      return url;
    }
  }
  const path = url.startsWith("sqlite:") ? url.slice("sqlite:".length) : url;
  const file = path === ":memory:" ? `:memory:${Math.random()}` : isAbsolute(path) ? path : join(cwd, path);
  try {
    return `sqlite:${realpathSync(file)}`;
  } catch {
    return `sqlite:${file}`;
  }
}
