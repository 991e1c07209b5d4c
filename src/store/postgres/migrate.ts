import { ShipgateError } from "../../errors.js";
import { postgresMigrations } from "../migrations/postgres.js";
import type { SchemaVersion } from "../types.js";
import { redactUrl, transaction, type Pool, type Queryable } from "./connection.js";

const LATEST = Math.max(0, ...postgresMigrations.map((m) => m.version));

// One advisory lock key for every schema change of a database ("shipg" in ASCII): migrations of two processes
// run one after the other, and the second finds the work done.
const MIGRATION_LOCK = 0x7368697067;

/** The version the database is at (0: empty) and the newest this build knows. */
export async function schemaVersion(db: Queryable): Promise<SchemaVersion> {
  const table = await db.query<{ t: string | null }>("SELECT to_regclass('schema_migrations')::text AS t");
  if (table.rows[0]?.t == null) return { version: 0, latest: LATEST };
  const max = await db.query<{ v: number | null }>("SELECT MAX(version)::bigint AS v FROM schema_migrations");
  return { version: max.rows[0]?.v ?? 0, latest: LATEST };
}

export const schemaTooNew = (url: string, version: number): ShipgateError =>
  new ShipgateError("SCHEMA_TOO_NEW", `[store] [postgres] ${redactUrl(url)} is at schema version ${version}, newer than this shipgate knows (${LATEST})`, {
    hint: "upgrade shipgate (npm install shipgate@latest); nothing was changed",
  });

/**
 * Applies the migrations the database lacks, each in its own transaction holding the migration lock; another process
 * may race it (it waits for the lock, then finds the version applied).
 */
export async function migrate(pool: Pool, url: string, at: string): Promise<{ from: number; to: number; applied: { version: number; name: string }[] }> {
  const from = (await schemaVersion(pool)).version;
  if (from > LATEST) throw schemaTooNew(url, from);
  const applied: { version: number; name: string }[] = [];
  if (from === LATEST) return { from, to: from, applied };
  for (const m of postgresMigrations) {
    if (m.version <= from) continue;
    await transaction(pool, async (client) => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)");
      const done = await client.query("SELECT 1 FROM schema_migrations WHERE version = $1", [m.version]);
      if (done.rowCount) return;
      const current = (await schemaVersion(client)).version;
      if (current > LATEST) throw schemaTooNew(url, current);
      await client.query(m.sql);
      await client.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)", [m.version, m.name, at]);
      applied.push({ version: m.version, name: m.name });
    });
  }
  return { from, to: (await schemaVersion(pool)).version, applied };
}
