import { describe, it } from "vitest";
import { freshDatabase, postgresAvailable, sql } from "../support/postgres.js";
import { testCrashMidSnapshot, type CrashProbe } from "./crash.js";

const { skip } = postgresAvailable();

/**
 * PostgreSQL: the worker's session, seen in pg_stat_activity, holds a transaction id (it has written) and is
 * inserting test results — the snapshot row, its source and facts are in, uncommitted.
 */
const postgresProbe: CrashProbe = {
  async midTransaction(db, child) {
    const database = decodeURIComponent(new URL(db).pathname.slice(1));
    for (let i = 0; i < 4_000 && child.exitCode === null; i++) {
      const busy = await sql(
        db,
        `SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL AND query LIKE 'INSERT INTO test_result%'`,
        [database],
      );
      if (busy.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    throw new Error(`the worker never showed an open transaction inserting test results (exit ${child.exitCode})`);
  },
};

if (skip) describe("a crash mid-snapshot: postgres", () => it.skip(`skipped: ${skip}`, () => undefined));
else testCrashMidSnapshot("postgres", () => freshDatabase("crash"), postgresProbe);
