import { mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { copyStore, storeIdentity, type CopyProgress, type OpenStore } from "../../src/app/db-copy.js";
import { migrateStore, storeStatus } from "../../src/app/db-status.js";
import { canonicalRow, TableChecksum } from "../../src/app/store-rows.js";
import { openStore } from "../../src/store/open-store.js";
import { TABLES, tableSpec } from "../../src/store/tables.js";
import type { Store } from "../../src/store/types.js";
import { freshDatabase, postgresAvailable } from "../support/postgres.js";
import { AT, planImport, planTask, sampleSnapshot } from "../store/conformance.js";

const { skip } = postgresAvailable();
const tempDir = () => mkdtempSync(join(tmpdir(), "shipgate-db-"));
const open: OpenStore = (url, options) => openStore(url, options);

/** A store with rows in every table: snapshots, baseline, plan with phases, a claimed and finished run, events. */
async function fill(store: Store): Promise<void> {
  await store.saveSnapshot(sampleSnapshot(1));
  await store.saveSnapshot(sampleSnapshot(2, { summary: { text: "ünïcode ✓ — \"quoted\"\nsecond line", n: 2.5 } }));
  await store.saveSnapshot(sampleSnapshot(3));
  await store.setBaseline("main", 1, AT);
  await store.importPlan(planImport("h1", [planTask("A"), planTask("B", { dependsOn: ["A"], phase: "p2", maxAttempts: 3 }), planTask("C", { owner: "bob", slack: 1.5 })], { p2: ["p1"] }), AT);
  const claimed = await store.claimTask({ agent: "alice", at: AT, leaseMs: 60_000 });
  await store.heartbeat(claimed!.run.id, claimed!.run.epoch, 60_000, { at: "2026-12-01T09:00:30.000Z", usage: { inputTokens: 10, outputTokens: 2, costUsd: 0.0125 } });
  await store.finishRun(claimed!.run.id, claimed!.run.epoch, { at: "2026-12-01T09:01:00.000Z", outcome: "done", exitCode: 0, note: "ok" });
  await store.transitionTask("C", "blocked", { agent: null, note: "waiting" }, AT);
  await store.appendEvent({ type: "custom", subject: "x", data: { nested: [1, null, "ü"] }, at: AT });
}

/** Everything a reader of the contract sees, to compare two stores. */
async function contents(store: Store): Promise<unknown> {
  const snapshots = await store.listSnapshots();
  const details = await Promise.all(
    snapshots.map(async (s) => [s, await store.getSources(s.id), await store.getFacts(s.id), await store.getTestResults(s.id), await store.getCoverageFiles(s.id), await store.getFindings(s.id), await store.getAdvisories(s.id)]),
  );
  return { details, baselines: await store.listBaselines(), events: await store.listEvents(), plan: await store.getPlan(), tasks: await store.listTasks(), runs: await store.listRuns() };
}

const stores: { name: string; url: () => Promise<string> }[] = [
  { name: "SQLite", url: () => Promise.resolve(join(tempDir(), "store.db")) },
  ...(skip ? [] : [{ name: "PostgreSQL", url: () => freshDatabase() }]),
];
const pairs = stores.flatMap((a) => stores.map((b) => [`${a.name} → ${b.name}`, a, b] as const));

describe.each(pairs)("db copy %s", (_name, fromKind, toKind) => {
  it("copies every row with its id, and the target reads back as the source", async () => {
    const [from, to] = [await fromKind.url(), await toKind.url()];
    const source = await openStore(from, { at: AT });
    await fill(source);
    const before = await source.admin.counts();
    await source.close();
    expect(Object.entries(before).filter(([, n]) => n === 0)).toEqual([]);

    const progress: CopyProgress[] = [];
    const result = await copyStore({ from, to, cwd: tempDir(), open, at: AT, onProgress: (p) => progress.push(p), pageRows: 2 });
    expect(result.tables.map((t) => [t.name, t.rows])).toEqual(TABLES.map((t) => [t.name, before[t.name]]));
    expect(result.rows).toBe(Object.values(before).reduce((a, b) => a + b, 0));
    expect(result.to.version).toBe(result.from.version);
    // Per table: the copy, then the verification, each ending with `done`.
    expect(progress.filter((p) => p.done).map((p) => `${p.step} ${p.table}`)).toEqual([...TABLES.map((t) => `copy ${t.name}`), ...TABLES.map((t) => `verify ${t.name}`)]);

    const [a, b] = [await openStore(from, {}), await openStore(to, {})];
    expect(await contents(b)).toEqual(await contents(a));
    expect(await b.admin.counts()).toEqual(before);
    // Ids continue after the copied ones in the target.
    expect((await b.saveSnapshot(sampleSnapshot(4))).id).toBe(4);
    expect((await b.appendEvent({ type: "after", at: AT })).id).toBe(before.event! + 2);
    await a.close();
    await b.close();
  });
});

describe("db copy", () => {
  it("keeps the ids of a history with gaps, so baselines and events still name the right snapshot", async () => {
    const dir = tempDir();
    const source = await openStore(join(dir, "a.db"), { at: AT });
    await fill(source);
    await source.close();
    const raw = new Database(join(dir, "a.db"));
    raw.prepare("DELETE FROM snapshot WHERE id = 2").run();
    raw.close();
    await copyStore({ from: "a.db", to: "b.db", cwd: dir, open, at: AT });
    const target = await openStore(join(dir, "b.db"), {});
    expect((await target.listSnapshots()).map((s) => s.id)).toEqual([3, 1]);
    expect((await target.getFacts(3))[0]?.sourceId).toBe(5);
    expect((await target.saveSnapshot(sampleSnapshot(5))).id).toBe(4);
    await target.close();
  });

  it("matches the rows as sqlite3 itself reads them in both files", async () => {
    const dir = tempDir();
    const source = await openStore(join(dir, "a.db"), { at: AT });
    await fill(source);
    await source.close();
    await copyStore({ from: "a.db", to: "b.db", cwd: dir, open, at: AT, pageRows: 3 });
    const read = (file: string) => {
      const db = new Database(join(dir, file), { readonly: true });
      const rows = Object.fromEntries(TABLES.map((t) => [t.name, db.prepare(`SELECT rowid AS _rowid, * FROM ${t.name} ORDER BY rowid`).all()]));
      db.close();
      return rows;
    };
    expect(read("b.db")).toEqual(read("a.db"));
  });

  it("refuses the same store under another name, and writes nothing", async () => {
    const dir = tempDir();
    const source = await openStore(join(dir, "a.db"), { at: AT });
    await fill(source);
    await source.close();
    symlinkSync(join(dir, "a.db"), join(dir, "link.db"));
    for (const to of [join(dir, "a.db"), "./sub/../a.db", "link.db", "sqlite:a.db"]) {
      await expect(copyStore({ from: "a.db", to, cwd: dir, open, at: AT })).rejects.toMatchObject({ code: "USAGE", reason: "same-store" });
    }
    expect(storeIdentity("postgres://u:secret@DB.example:5432/ship", "/")).toBe(storeIdentity("postgresql://other@db.example/ship", "/"));
    expect(storeIdentity("postgres://u@db.example/ship", "/")).not.toBe(storeIdentity("postgres://u@db.example/ship2", "/"));
  });

  it("refuses a target that holds rows, names its tables, and leaves it as it was", async () => {
    const dir = tempDir();
    for (const file of ["a.db", "b.db"]) {
      const store = await openStore(join(dir, file), { at: AT });
      await store.saveSnapshot(sampleSnapshot(1));
      await store.close();
    }
    const error = await copyStore({ from: "a.db", to: "b.db", cwd: dir, open, at: AT }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "USAGE", reason: "target-not-empty" });
    expect((error as Error).message).toMatch(/is not empty: snapshot \(1 row\), source \(2 rows\), fact \(2 rows\), test_result \(2 rows\), .*event \(1 row\)$/);
    const target = await openStore(join(dir, "b.db"), {});
    expect((await target.listSnapshots()).length).toBe(1);
    await target.close();
  });

  it("copies into an empty store left at an older schema, migrating it first", async () => {
    const dir = tempDir();
    const source = await openStore(join(dir, "a.db"), { at: AT });
    await fill(source);
    await source.close();
    await (await openStore(join(dir, "b.db"), { at: AT })).close();
    const raw = new Database(join(dir, "b.db"));
    raw.exec(`DROP TABLE task_run; ALTER TABLE task DROP COLUMN max_attempts; ALTER TABLE task DROP COLUMN lease_epoch;
      DROP INDEX snapshot_taken; DROP INDEX event_at; DELETE FROM schema_migrations WHERE version >= 9`);
    raw.close();
    const result = await copyStore({ from: "a.db", to: "b.db", cwd: dir, open, at: AT });
    expect(result.to).toMatchObject({ version: 10, migrated: [{ version: 9, name: "task-runs-and-leases" }, { version: 10, name: "event-notify" }] });
    expect(result.tables.find((t) => t.name === "task_run")?.rows).toBe(1);
  });

  it("refuses a source behind this build's schema (migrate it first) and creates no target", async () => {
    const dir = tempDir();
    const source = await openStore(join(dir, "old.db"), { at: AT });
    await fill(source);
    await source.close();
    const raw = new Database(join(dir, "old.db"));
    raw.exec("DELETE FROM schema_migrations WHERE version >= 9");
    raw.close();
    await expect(copyStore({ from: "old.db", to: "new.db", cwd: dir, open, at: AT })).rejects.toMatchObject({ code: "USAGE", reason: "source-behind", store: join(dir, "old.db") });
    expect(new Database(join(dir, "old.db")).prepare("SELECT MAX(version) AS v FROM schema_migrations").get()).toEqual({ v: 8 });
    await expect(openStore(join(dir, "new.db"), { mustExist: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("refuses a source or a target newer than this build (SCHEMA_TOO_NEW)", async () => {
    const dir = tempDir();
    for (const file of ["future.db", "empty-future.db", "a.db"]) await (await openStore(join(dir, file), { at: AT })).close();
    for (const file of ["future.db", "empty-future.db"]) {
      const raw = new Database(join(dir, file));
      raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
      raw.close();
    }
    await expect(copyStore({ from: "future.db", to: "new.db", cwd: dir, open, at: AT })).rejects.toMatchObject({ code: "SCHEMA_TOO_NEW" });
    await expect(copyStore({ from: "a.db", to: "empty-future.db", cwd: dir, open, at: AT })).rejects.toMatchObject({ code: "SCHEMA_TOO_NEW" });
  });

  it("refuses a missing source without creating it", async () => {
    const dir = tempDir();
    await expect(copyStore({ from: "nope.db", to: "new.db", cwd: dir, open, at: AT })).rejects.toMatchObject({ code: "USAGE", reason: "source-missing" });
    await expect(openStore(join(dir, "nope.db"), { mustExist: true })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // A database without shipgate's tables (an empty file, a new PostgreSQL database) is no source either.
    await (await openStore(join(dir, "blank.db"), { migrate: false, at: AT })).close();
    const blank = await copyStore({ from: "blank.db", to: "new.db", cwd: dir, open, at: AT }).catch((e: unknown) => e);
    expect(blank).toMatchObject({ code: "USAGE", reason: "source-missing", message: `[db] there is no shipgate store at the source ${join(dir, "blank.db")} (it has no shipgate table)` });
  });

  it("fails the verification, naming the table, when the target does not keep a row as it was written", async () => {
    const dir = tempDir();
    const source = await openStore(join(dir, "a.db"), { at: AT });
    await fill(source);
    await source.close();
    // A target whose writes change one value of one fact: the checksums of `fact` must differ.
    const lossy: OpenStore = async (url, options) => {
      const store = await openStore(url, options);
      if (!url.endsWith("b.db")) return store;
      const admin = store.admin;
      return {
        ...store,
        admin: { ...admin, writeRows: (table, rows) => admin.writeRows(table, table === "fact" ? rows.map((r, i) => (i === 0 ? { ...r, value: 42 } : r)) : rows) },
      };
    };
    const error = await copyStore({ from: "a.db", to: "b.db", cwd: dir, open: lossy, at: AT }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "COPY_FAILED" });
    expect((error as Error).message).toMatch(/^\[db\] the copy does not match its source: fact: the rows read back differ from the source's/);
    expect((error as { hint: string }).hint).toMatch(/b\.db now holds part of the copy: delete .*b\.db \(with its -wal and -shm files\), then copy again; the source was only read/);
  });

  it("says the target is half-written when a write fails part-way", async () => {
    const dir = tempDir();
    const source = await openStore(join(dir, "a.db"), { at: AT });
    await fill(source);
    await source.close();
    const failing: OpenStore = async (url, options) => {
      const store = await openStore(url, options);
      if (!url.endsWith("b.db")) return store;
      return { ...store, admin: { ...store.admin, writeRows: (table, rows) => (table === "test_result" ? Promise.reject(new Error("disk full")) : store.admin.writeRows(table, rows)) } };
    };
    const error = await copyStore({ from: "a.db", to: "b.db", cwd: dir, open: failing, at: AT }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "COPY_FAILED", message: "[db] the copy stopped at table test_result: disk full" });
    expect((error as { hint: string }).hint).toContain("now holds part of the copy");
  });

  it("stops between pages when interrupted, saying the target holds part of the copy", async () => {
    const dir = tempDir();
    const source = await openStore(join(dir, "a.db"), { at: AT });
    await fill(source);
    await source.close();
    const abort = new AbortController();
    const error = await copyStore({
      from: "a.db", to: "b.db", cwd: dir, open, at: AT, pageRows: 1, signal: abort.signal,
      onProgress: (p) => p.table === "source" && abort.abort(),
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "INTERRUPTED" });
    expect((error as Error).message).toMatch(/^\[db\] interrupted: the copy stopped in table source; .*b\.db now holds part of the copy/);
  });
});

describe("db status and migrate", () => {
  it("reports an up-to-date store with its counts and file size", async () => {
    const dir = tempDir();
    const store = await openStore(join(dir, "a.db"), { at: AT });
    await fill(store);
    const status = await storeStatus(store);
    expect(status).toMatchObject({ driver: "sqlite", location: join(dir, "a.db"), schema: { version: 10, latest: 10, state: "up-to-date", pending: 0 } });
    expect(status.counts).toMatchObject({ snapshot: 3, baseline: 1, task: 3, task_run: 1 });
    expect(status.file?.bytes).toBeGreaterThan(0);
    await store.close();
  });

  it("reports a store behind, counting 0 rows in the tables its schema lacks, and migrates it once", async () => {
    const dir = tempDir();
    await (await openStore(join(dir, "a.db"), { at: AT })).close();
    const raw = new Database(join(dir, "a.db"));
    // The database as shipgate left it before migration 9.
    raw.exec(`DROP TABLE task_run; ALTER TABLE task DROP COLUMN max_attempts; ALTER TABLE task DROP COLUMN lease_epoch;
      DROP INDEX snapshot_taken; DROP INDEX event_at; DELETE FROM schema_migrations WHERE version >= 9`);
    raw.close();
    const store = await openStore(join(dir, "a.db"), { migrate: false, at: AT });
    expect(await storeStatus(store)).toMatchObject({ schema: { version: 8, latest: 10, state: "behind", pending: 2 }, counts: { snapshot: 0, task_run: 0 } });
    expect(await migrateStore(store)).toEqual({ driver: "sqlite", location: join(dir, "a.db"), from: 8, to: 10, latest: 10, applied: [{ version: 9, name: "task-runs-and-leases" }, { version: 10, name: "event-notify" }] });
    expect(await migrateStore(store)).toMatchObject({ from: 10, to: 10, applied: [] });
    expect((await storeStatus(store)).schema.state).toBe("up-to-date");
    await store.close();
  });
});

describe("canonical rows", () => {
  const task = tableSpec("task")!;
  const row = { id: "A", title: "t", owner: "o", priority: "P1", slack: "1.5", depends_on: "[]", phase: "p", ord: 3n, state: "done", claimed_by: null, attempts: "2", note: undefined, removed: true, updated_at: AT, version: 1, max_attempts: null, lease_epoch: 0, extra: "dropped" };

  it("reads 64-bit integers as strings or bigints, flags as booleans, and keeps only the table's columns in order", () => {
    const canonical = canonicalRow(task, row, "pg");
    expect(canonical).toEqual({ ...row, slack: 1.5, ord: 3, attempts: 2, note: null, removed: 1, extra: undefined });
    expect(Object.keys(canonical)).toEqual(Object.keys(task.columns));
  });

  it("refuses a value outside the canonical form instead of converting it", () => {
    expect(() => canonicalRow(task, { ...row, depends_on: ["A"] }, "pg")).toThrowError("[db] pg: task.depends_on holds an object, not text");
    expect(() => canonicalRow(task, { ...row, ord: 1.5 }, "pg")).toThrowError('[db] pg: task.ord holds the number "1.5", not an integer');
  });

  it("checksums rows by their values in column order, whatever order the driver's keys come in", () => {
    const sum = (r: Record<string, unknown>) => {
      const c = new TableChecksum(task);
      c.add([canonicalRow(task, r, "x")]);
      return c.digest();
    };
    const reversed = Object.fromEntries(Object.entries(row).reverse());
    expect(sum(reversed)).toBe(sum(row));
    expect(sum({ ...row, note: "" })).not.toBe(sum(row));
  });
});

// Without a PostgreSQL test server, the run says why its cases are missing.
if (skip) {
  describe("db copy with PostgreSQL", () => {
    it.skip(`skipped: ${skip}`, () => {});
  });
}
