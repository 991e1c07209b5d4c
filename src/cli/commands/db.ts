import type { CopyProgress, CopyResult } from "../../app/db-copy.js";
import type { MigrateResult, StoreStatus } from "../../app/db-status.js";
import { ShipgateError } from "../../errors.js";
import { now } from "../clock.js";
import type { CliIo, CommonOptions } from "../output.js";

export interface DbCopyCommandOptions {
  cwd: string;
  from: string;
  to: string;
  json?: boolean;
}

/** `shipgate db status`: driver, location, schema version against this build's, rows per table. Changes nothing. */
export async function dbStatusCommand(options: CommonOptions, io: CliIo): Promise<number> {
  const [{ openStore }, { storeStatus }] = await Promise.all([import("../../store/open-store.js"), import("../../app/db-status.js")]);
  const store = await openStore(options.db, { cwd: options.cwd, mustExist: true, migrate: false }).catch((error: unknown) => {
    if (!(error instanceof ShipgateError && error.code === "NOT_FOUND")) throw error;
    throw new ShipgateError("NOT_FOUND", error.message.replace(/^\[store\] no snapshot in (.*) \(there is no store yet\)$/, "[db] there is no store at $1 yet"), {
      hint: "`shipgate db migrate` creates an empty one, `shipgate assess` stores its first snapshot; or point --db at an existing store",
    });
  });
  try {
    const status = await storeStatus(store);
    io.stdout(options.json ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status, options.db === undefined ? "" : ` --db ${hidePassword(options.db)}`));
    return 0;
  } finally {
    await store.close();
  }
}

/** `shipgate db migrate`: applies the migrations the store lacks; idempotent. */
export async function dbMigrateCommand(options: CommonOptions, io: CliIo): Promise<number> {
  const [{ openStore }, { migrateStore }] = await Promise.all([import("../../store/open-store.js"), import("../../app/db-status.js")]);
  const store = await openStore(options.db, { cwd: options.cwd, migrate: false, at: now(io.env) });
  try {
    const result = await migrateStore(store);
    io.stdout(options.json ? `${JSON.stringify(result, null, 2)}\n` : renderMigrate(result));
    return 0;
  } finally {
    await store.close();
  }
}

/** `shipgate db copy --from A --to B`: every row of A into the empty store B, then verified. */
export async function dbCopyCommand(options: DbCopyCommandOptions, io: CliIo): Promise<number> {
  const [{ openStore }, { copyStore, CopyRefusedError }] = await Promise.all([import("../../store/open-store.js"), import("../../app/db-copy.js")]);
  try {
    const result = await copyStore({
      from: options.from,
      to: options.to,
      cwd: options.cwd,
      open: openStore,
      at: now(io.env),
      onProgress: progressWriter(io),
      ...(io.interruptible ? { signal: io.interruptible() } : {}),
    });
    io.stdout(options.json ? `${JSON.stringify(result, null, 2)}\n` : renderCopy(result));
    return 0;
  } catch (error) {
    if (!(error instanceof CopyRefusedError)) throw error;
    // The use case says what is wrong; here is which flag or command fixes it.
    const hint = {
      "same-store": "pass --to another, empty store",
      "source-missing": "pass --from an existing store (a SQLite file or postgres://…); nothing was written",
      "source-behind": `run \`shipgate db migrate --db ${hidePassword(error.store)}\` first (it keeps every row), then copy again; nothing was written`,
      "target-behind": "pass --to an empty store: a new file, or an empty PostgreSQL database (createdb NAME); nothing was written",
      "target-not-empty": "pass --to an empty store: a new file, or an empty PostgreSQL database (createdb NAME); nothing was written",
    }[error.reason];
    throw new ShipgateError(error.code, error.message, { hint, cause: error });
  }
}

/** A postgres:// URL as it may be printed: without its password. */
function hidePassword(url: string): string {
  if (!/^postgres(ql)?:\/\//i.test(url)) return url;
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = "";
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, "@");
  }
}

/** On a terminal, one line rewritten in place per page; elsewhere (CI, a pipe) one line per table and step. */
function progressWriter(io: CliIo): (p: CopyProgress) => void {
  const live = io.isTty && !io.isCi;
  const verb = { copy: "copied", verify: "verified" } as const;
  return (p) => {
    if (live) io.stderr(`\r\u001b[K[db] ${p.step === "copy" ? "copying" : "verifying"} ${p.table} ${p.rows}/${p.total}${p.done ? "\n" : ""}`);
    else if (p.done) io.stderr(`[db] ${verb[p.step]} ${p.table}: ${p.rows} row${p.rows === 1 ? "" : "s"}\n`);
  };
}

function renderStatus(s: StoreStatus, dbFlag: string): string {
  const schema = {
    "up-to-date": `version ${s.schema.version}: up to date`,
    behind: `version ${s.schema.version} of ${s.schema.latest}: ${s.schema.pending} migration${s.schema.pending === 1 ? "" : "s"} pending: run \`shipgate db migrate${dbFlag}\``,
    ahead: `version ${s.schema.version}, newer than this shipgate (${s.schema.latest}): upgrade shipgate`,
  }[s.schema.state];
  const lines = [`driver    ${s.driver}`, `location  ${s.location}`];
  if (s.file) lines.push(`size      ${bytes(s.file.bytes)}${s.file.walBytes > 0 ? ` (+ ${bytes(s.file.walBytes)} write-ahead log)` : ""}`);
  lines.push(`schema    ${schema}`);
  if (s.counts) {
    const entries = Object.entries(s.counts);
    const total = entries.reduce((n, [, c]) => n + c, 0);
    const width = Math.max(...entries.map(([t]) => t.length), 5);
    const digits = String(total).length;
    lines.push("rows");
    for (const [table, n] of [...entries, ["total", total] as const]) lines.push(`  ${table.padEnd(width)}  ${String(n).padStart(digits)}`);
  } else {
    lines.push("rows      not counted: the schema is behind (migrate it first)");
  }
  return `${lines.join("\n")}\n`;
}

function renderMigrate(r: MigrateResult): string {
  if (r.applied.length === 0) return `${r.location} is already at version ${r.to} (up to date): nothing to apply\n`;
  const list = r.applied.map((m) => `  ${String(m.version).padStart(3)}  ${m.name}`).join("\n");
  return `migrated ${r.location} from version ${r.from} to ${r.to}, applied ${r.applied.length} migration${r.applied.length === 1 ? "" : "s"}:\n${list}\n`;
}

function renderCopy(r: CopyResult): string {
  const width = Math.max(...r.tables.map((t) => t.name.length), 5);
  const digits = Math.max(String(r.rows).length, 4);
  const rows = r.tables.map((t) => `  ${t.name.padEnd(width)}  ${String(t.rows).padStart(digits)}  ${t.sha256.slice(0, 16)}`);
  return [
    `copied ${r.rows} row${r.rows === 1 ? "" : "s"} from ${r.from.location} (${r.from.driver}) to ${r.to.location} (${r.to.driver}, schema version ${r.to.version}); verified: every table's row count and sha256 match`,
    `  ${"table".padEnd(width)}  ${"rows".padStart(digits)}  sha256`,
    ...rows,
    "",
  ].join("\n");
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i] as string}`;
}
