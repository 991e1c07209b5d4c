import { statSync } from "node:fs";
import type { Store } from "../store/types.js";

/** Where a store's schema stands against this build's. */
export type SchemaState = "up-to-date" | "behind" | "ahead";

export interface StoreStatus {
  driver: Store["driver"];
  /** File path, or URL without its password. */
  location: string;
  schema: { version: number; latest: number; state: SchemaState; pending: number };
  /** Rows per table (store/tables.ts; a table the schema does not have yet counts 0), or null when the driver cannot count a schema that is behind. */
  counts: Record<string, number> | null;
  /** SQLite: the database file's size and its write-ahead log's, in bytes; null for a server. */
  file: { bytes: number; walBytes: number } | null;
}

export const schemaState = (version: number, latest: number): SchemaState => (version === latest ? "up-to-date" : version < latest ? "behind" : "ahead");

/**
 * What `db status` reports, read from a store opened WITHOUT migrating (looking changes nothing). A store whose
 * schema is behind is counted when its driver can (`counts` null otherwise).
 */
export async function storeStatus(store: Store): Promise<StoreStatus> {
  const { version, latest } = await store.admin.schema();
  const state = schemaState(version, latest);
  let counts: Record<string, number> | null = null;
  try {
    counts = await store.admin.counts();
  } catch (error) {
    // A driver that cannot count a schema from before a table existed: the status says so instead of failing.
    if (state === "up-to-date") throw error;
  }
  return {
    driver: store.driver,
    location: store.location,
    schema: { version, latest, state, pending: Math.max(0, latest - version) },
    counts,
    file: store.driver === "sqlite" ? fileSize(store.location) : null,
  };
}

function fileSize(path: string): { bytes: number; walBytes: number } | null {
  const main = statSync(path, { throwIfNoEntry: false });
  if (!main?.isFile()) return null;
  return { bytes: main.size, walBytes: statSync(`${path}-wal`, { throwIfNoEntry: false })?.size ?? 0 };
}

export interface MigrateResult {
  driver: Store["driver"];
  location: string;
  /** The version before and after; equal when nothing was applied. */
  from: number;
  to: number;
  latest: number;
  applied: { version: number; name: string }[];
}

/**
 * `db migrate`: applies what the store lacks (none: `applied` is empty). A store newer than this build is refused
 * with SCHEMA_TOO_NEW by the driver, and nothing is changed.
 */
export async function migrateStore(store: Store): Promise<MigrateResult> {
  const { from, to, applied } = await store.admin.migrate();
  const { latest } = await store.admin.schema();
  return { driver: store.driver, location: store.location, from, to, latest, applied };
}
