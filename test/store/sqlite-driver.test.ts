import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { createSqliteDriver } from "../../src/store/drivers/sqlite.js";
import { openStore } from "../../src/store/open-store.js";
import { snapshotInputsHash } from "../../src/store/inputs-hash.js";
import { sampleSnapshot, testStoreDriver } from "./conformance.js";

const tempDb = () => join(mkdtempSync(join(tmpdir(), "shipgate-store-")), "nested", "shipgate.db");

testStoreDriver(
  "sqlite",
  () => Promise.resolve(createSqliteDriver({ path: tempDb() })),
  (store) => Promise.resolve(createSqliteDriver({ path: store.location })),
);

describe("sqlite driver", () => {
  it("uses WAL so readers in other processes never block on a writer", () => {
    const path = tempDb();
    const store = createSqliteDriver({ path });
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
    void store.close();
  });

  it("says which file is not a database instead of crashing", () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-store-"));
    const path = join(dir, "garbage.db");
    writeFileSync(path, "this is not sqlite, just text that is long enough to look like a header".repeat(20));
    expect(() => createSqliteDriver({ path })).toThrowError(/\[store\] \[sqlite\] .*garbage\.db: file is not a database/);
  });

  it("refuses a database migrated by a newer shipgate", () => {
    const path = tempDb();
    void createSqliteDriver({ path }).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    raw.close();
    expect(() => createSqliteDriver({ path })).toThrowError(/schema version 999, newer than this shipgate knows/);
  });

  it("counts snapshots stored before the inputs hash existed as different from every other", async () => {
    const path = tempDb();
    const before = createSqliteDriver({ path });
    const old = await before.saveSnapshot(sampleSnapshot(1));
    await before.close();
    // The database as shipgate left it before migration 8.
    const raw = new Database(path);
    raw.exec("ALTER TABLE snapshot DROP COLUMN inputs_hash; DELETE FROM schema_migrations WHERE version = 8");
    raw.close();
    const store = createSqliteDriver({ path });
    expect((await store.getSnapshot(old.id))?.inputsHash).toBeNull();
    const same = await store.saveSnapshot(sampleSnapshot(1));
    expect(same.inputsHash).toBe(snapshotInputsHash(sampleSnapshot(1)));
    expect((await store.listSnapshots({ beforeId: same.id, inputsDifferFrom: same.inputsHash! })).map((s) => s.id)).toEqual([old.id]);
    await store.close();
  });

  it("reports the PostgreSQL URL as not available yet rather than misusing it as a file name", () => {
    expect(() => openStore("postgres://u@localhost/db", "/tmp")).toThrowError(/PostgreSQL driver is not available yet/);
  });
});
