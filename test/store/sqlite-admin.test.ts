import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { TABLE_NAMES } from "../../src/store/tables.js";
import { AT, sampleSnapshot } from "./conformance.js";

const tempDb = () => join(mkdtempSync(join(tmpdir(), "shipgate-admin-")), "shipgate.db");

describe("sqlite admin on a store opened as it is (db status before db migrate)", () => {
  it("regression: counts() failed with 'no such table' on a database an older shipgate left; tables it lacks count 0", async () => {
    const path = tempDb();
    const current = await openSqliteStore({ path, at: AT });
    await current.saveSnapshot(sampleSnapshot(1));
    await current.close();
    // The database as shipgate left it before migration 9 (no task_run).
    const raw = new Database(path);
    raw.exec("DROP TABLE task_run; DELETE FROM schema_migrations WHERE version >= 9");
    raw.close();
    const store = await openSqliteStore({ path, at: AT, migrate: false });
    expect(await store.admin.schema()).toMatchObject({ version: 8 });
    const counts = await store.admin.counts();
    expect(Object.keys(counts).sort()).toEqual([...TABLE_NAMES].sort());
    expect(counts).toMatchObject({ snapshot: 1, test_result: 2, task_run: 0 });
    await store.close();
  });

  it("an empty database counts 0 in every table, then migrate() brings it to the latest schema once", async () => {
    const store = await openSqliteStore({ path: tempDb(), at: AT, migrate: false });
    const { latest } = await store.admin.schema();
    expect(await store.admin.schema()).toEqual({ version: 0, latest });
    expect(Object.values(await store.admin.counts())).toEqual(TABLE_NAMES.map(() => 0));
    const first = await store.admin.migrate();
    expect(first).toMatchObject({ from: 0, to: latest });
    expect(first.applied.map((m) => m.version)).toEqual(Array.from({ length: latest }, (_, i) => i + 1));
    expect(await store.admin.migrate()).toEqual({ from: latest, to: latest, applied: [] });
    // The store works once migrated, though it was opened before the tables existed.
    expect((await store.saveSnapshot(sampleSnapshot(1))).id).toBe(1);
    await store.close();
  });
});
