import { ShipgateError } from "../../errors.js";
import { sqliteMigrations } from "../migrations/sqlite.js";
import type { SchemaVersion } from "../types.js";
import { retryBusy, type Db } from "./connection.js";

const LATEST = Math.max(0, ...sqliteMigrations.map((m) => m.version));

/** The version the database is at (0: empty) and the newest this build knows. */
export function schemaVersion(db: Db): SchemaVersion {
  const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  const version = table ? ((db.prepare("SELECT MAX(version) AS v FROM schema_migrations").get() as { v: number | null }).v ?? 0) : 0;
  return { version, latest: LATEST };
}

export const schemaTooNew = (location: string, version: number): ShipgateError =>
  new ShipgateError("SCHEMA_TOO_NEW", `[store] ${location} is at schema version ${version}, newer than this shipgate knows (${LATEST})`, {
    hint: "upgrade shipgate (npm install shipgate@latest); nothing was changed",
  });

/** Applies the migrations the database lacks, each in its own write transaction; another process may race it. */
export function migrate(db: Db, location: string, at: string): { from: number; to: number; applied: { version: number; name: string }[] } {
  retryBusy(() => db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"));
  const from = retryBusy(() => schemaVersion(db)).version;
  if (from > LATEST) throw schemaTooNew(location, from);
  const done = new Set(retryBusy(() => db.prepare("SELECT version FROM schema_migrations").all() as { version: number }[]).map((r) => r.version));
  const applied: { version: number; name: string }[] = [];
  for (const m of sqliteMigrations) {
    if (done.has(m.version)) continue;
    // Each migration waits for the lock on its own (after opening, the store's calls wait in `retryBusy`, not in SQLite).
    retryBusy(() => db.transaction(() => {
      // Another process may have migrated between our read and this write lock.
      if (db.prepare("SELECT 1 FROM schema_migrations WHERE version = ?").get(m.version)) return;
      db.exec(m.sql);
      db.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)").run(m.version, m.name, at);
      applied.push({ version: m.version, name: m.name });
    }).immediate());
  }
  return { from, to: schemaVersion(db).version, applied };
}
