import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { snapshotInputsHash } from "../../src/store/inputs-hash.js";
import { AT, sampleSnapshot, testStoreDriver } from "./conformance.js";

// The driver itself creates the file's folder (openStore checks a named folder exists first).
const open = (path: string) => openSqliteStore({ path, at: AT });

const tempDb = () => join(mkdtempSync(join(tmpdir(), "shipgate-store-")), "nested", "shipgate.db");

testStoreDriver(
  "sqlite",
  () => open(tempDb()),
  (store) => open(store.location),
);

describe("sqlite driver", () => {
  it("uses WAL so readers in other processes never block on a writer", async () => {
    const path = tempDb();
    const store = await open(path);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
    void store.close();
  });

  it("says which file is not a database instead of crashing", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-store-"));
    const path = join(dir, "garbage.db");
    writeFileSync(path, "this is not sqlite, just text that is long enough to look like a header".repeat(20));
    await expect(open(path)).rejects.toThrowError(/\[store\] \[sqlite\] .*garbage\.db: file is not a database/);
  });

  it("refuses a database migrated by a newer shipgate", async () => {
    const path = tempDb();
    await (await open(path)).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    raw.close();
    await expect(open(path)).rejects.toThrowError(/schema version 999, newer than this shipgate knows/);
    await expect(open(path)).rejects.toHaveProperty("code", "SCHEMA_TOO_NEW");
  });

  it("counts snapshots stored before the inputs hash existed as different from every other", async () => {
    const path = tempDb();
    const before = await open(path);
    const old = await before.saveSnapshot(sampleSnapshot(1));
    await before.close();
    // The database as shipgate left it before migration 8.
    const raw = new Database(path);
    raw.exec("ALTER TABLE snapshot DROP COLUMN inputs_hash; DELETE FROM schema_migrations WHERE version = 8");
    raw.close();
    const store = await open(path);
    expect((await store.getSnapshot(old.id))?.inputsHash).toBeNull();
    const same = await store.saveSnapshot(sampleSnapshot(1));
    expect(same.inputsHash).toBe(snapshotInputsHash(sampleSnapshot(1)));
    expect((await store.listSnapshots({ beforeId: same.id, inputsDifferFrom: same.inputsHash! })).map((s) => s.id)).toEqual([old.id]);
    await store.close();
  });
});
