import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { TABLES } from "../../src/store/tables.js";
import type { Store } from "../../src/store/types.js";
import { freshDatabase, postgresAvailable } from "../support/postgres.js";
import { AT, planImport, planTask, sampleSnapshot } from "./conformance.js";

const { skip } = postgresAvailable();

const sqlite = () => openSqliteStore({ path: join(mkdtempSync(join(tmpdir(), "shipgate-same-")), "shipgate.db"), at: AT });
const postgres = async () => openPostgresStore({ url: await freshDatabase("same"), at: AT });

const t = (minute: number) => `2026-12-01T09:${String(minute).padStart(2, "0")}:00.000Z`;

/**
 * The same calls on a store, recorded: every result, or the error's code, message and hint (the store's location
 * replaced by <store>). Runs, leases, range reads and admin, until the conformance suite covers them all.
 */
async function scenario(store: Store): Promise<unknown[]> {
  const log: unknown[] = [];
  const record = async (label: string, call: () => Promise<unknown>) => {
    try {
      log.push([label, await call()]);
    } catch (error) {
      const e = error as { code?: string; message: string; hint?: string };
      log.push([label, { code: e.code, message: e.message.replaceAll(store.location, "<store>"), hint: e.hint }]);
    }
  };
  await record("import", () =>
    store.importPlan(
      planImport("h1", [
        planTask("A", { owner: "w1", maxAttempts: 2 }),
        planTask("B", { owner: "w1", dependsOn: ["A"] }),
        planTask("C", { owner: "w2", phase: "p2" }),
        planTask("D", { owner: "w2", dependsOn: ["ghost"] }),
        planTask("E", { owner: "w1", maxAttempts: 1 }),
      ], { p2: ["p1"] }),
      t(0),
    ),
  );
  await record("next w1", () => store.nextTask("w1"));
  await record("next w2", () => store.nextTask("w2"));
  await record("claim w1", () => store.claimTask({ agent: "w1", at: t(1), leaseMs: 60_000, note: 'go: "now"\n\ttab \u0001 \\ ünï € 🚀 \u2028' }));
  await record("claim B not ready", () => store.claimTask({ agent: "w1", at: t(1), leaseMs: 60_000, taskId: "B" }));
  await record("claim C by id (phase)", () => store.claimTask({ agent: "w2", at: t(1), leaseMs: 60_000, taskId: "C" }));
  await record("claim E by id", () => store.claimTask({ agent: "w1", at: t(1), leaseMs: 60_000, taskId: "E" }));
  await record("claim nothing owned", () => store.claimTask({ agent: "w2", at: t(1), leaseMs: 60_000 }));
  await record("bad lease", () => store.claimTask({ agent: "w1", at: t(1), leaseMs: 0 }));
  await record("heartbeat", () => store.heartbeat(1, 1, 120_000, { at: t(2), log: "/tmp/a.log", usage: { inputTokens: 10, costUsd: 0.5 } }));
  await record("heartbeat wrong epoch", () => store.heartbeat(1, 7, 60_000, { at: t(2) }));
  await record("heartbeat unknown run", () => store.heartbeat(99, 1, 60_000, { at: t(2) }));
  await record("finish A failed", () => store.finishRun(1, 1, { at: t(3), outcome: "failed", exitCode: 1, note: "tests fail" }));
  await record("finish A again", () => store.finishRun(1, 1, { at: t(3), outcome: "done" }));
  await record("claim A retry", () => store.claimTask({ agent: "w1", at: t(4), leaseMs: 60_000 }));
  await record("expire nothing yet", () => store.expireLeases(t(4)));
  await record("expire", () => store.expireLeases(t(30)));
  await record("tasks after expiry", () => store.listTasks());
  await record("claim A third", () => store.claimTask({ agent: "w9", at: t(31), leaseMs: 60_000, ownedOnly: false }));
  await record("move by hand cancels the run", () => store.transitionTask("A", "blocked", { agent: "boss", note: "hold" }, t(32)));
  await record("heartbeat cancelled run", () => store.heartbeat(4, 3, 60_000, { at: t(33) }));
  await record("unblock", () => store.transitionTask("A", "pending", { agent: null }, t(34)));
  await record("claim A fourth (attempts exhausted? maxAttempts 2)", () => store.claimTask({ agent: "w1", at: t(35), leaseMs: 60_000 }));
  await record("finish done", () => store.finishRun(5, 4, { at: t(36), outcome: "done", exitCode: 0, log: "/tmp/b.log" }));
  await record("claim B now", () => store.claimTask({ agent: "w1", at: t(37), leaseMs: 60_000 }));
  await record("cancel B", () => store.finishRun(6, 1, { at: t(38), outcome: "cancelled" }));
  await record("runs", () => store.listRuns());
  await record("runs of A", () => store.listRuns({ taskId: "A" }));
  await record("open runs", () => store.listRuns({ open: true }));
  await record("ended runs of w1 in range", () => store.listRuns({ agent: "w1", open: false, from: t(1), to: t(35), limit: 2 }));
  await record("run 2", () => store.getRun(2));
  await record("run 99", () => store.getRun(99));

  for (const [n, branch, day] of [[1, "main", "01"], [2, "dev", "02"], [3, "main", "03"]] as const) {
    await record(`snapshot ${n}`, () => store.saveSnapshot(sampleSnapshot(n, { takenAt: `2026-11-${day}T10:00:00.000Z`, git: { commit: `c${n}`, branch, dirty: false, tree: null } })));
  }
  await record("baseline", () => store.setBaseline("Zeta", 1, t(40)));
  await record("baseline 2", () => store.setBaseline("alpha", 2, t(40)));
  await record("baselines (byte order)", () => store.listBaselines());
  await record("series", () => store.listFactSeries());
  await record("series main, one key", () => store.listFactSeries({ branch: "main", keys: ["tests.failed"] }));
  await record("series range", () => store.listFactSeries({ from: "2026-11-02T00:00:00.000Z", to: "2026-11-03T10:00:00.000Z" }));
  await record("snapshots in range", () => store.listSnapshots({ from: "2026-11-02T00:00:00.000Z", to: "2026-11-03T10:00:00.000Z" }));
  await record("events", () => store.listEvents());
  await record("events task.*", () => store.listEvents({ typePrefix: "task." }));
  await record("events run. in range", () => store.listEvents({ typePrefix: "run.", from: t(3), to: t(36), limit: 3 }));
  await record("counts", () => store.admin.counts());
  await record("schema", () => store.admin.schema());
  await record("rows", () => allRows(store, 3));
  await record("no table", () => store.admin.readRows("nope", null, 10));
  return log;
}

/** Every table's canonical rows, read in pages of `page`. */
async function allRows(store: Store, page: number): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const table of TABLES) {
    const rows: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const got: { rows: Record<string, unknown>[]; next: string | null } = await store.admin.readRows(table.name, cursor, page);
      rows.push(...got.rows);
      cursor = got.next;
    } while (cursor !== null);
    out[table.name] = rows;
  }
  return out;
}

/** Copies every table from one store to another, as `shipgate db copy` does. */
async function copy(from: Store, to: Store): Promise<void> {
  const rows = await allRows(from, 1000);
  for (const table of TABLES) await to.admin.writeRows(table.name, rows[table.name]!);
  await to.admin.finishCopy();
}

describe.skipIf(skip)(`PostgreSQL answers as SQLite does${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("gives the same results and refusals for the same calls: claims, leases, runs, range reads, admin rows", async () => {
    const [a, b] = await Promise.all([sqlite(), postgres()]);
    const [left, right] = [await scenario(a), await scenario(b)];
    for (const [i, entry] of left.entries()) expect(right[i], (entry as [string])[0]).toEqual(entry);
    await Promise.all([a.close(), b.close()]);
  });

  it("copies every row both ways exactly (ids, order, values), and ids continue after the copy", async () => {
    const source = await sqlite();
    await scenario(source);
    const pgCopy = await postgres();
    await copy(source, pgCopy);
    const original = await allRows(source, 1000);
    expect(await allRows(pgCopy, 7)).toEqual(original);
    const back = await sqlite();
    await copy(pgCopy, back);
    expect(await allRows(back, 1000)).toEqual(original);
    // New writes continue after the copied ids on both.
    const [s1, s2] = [await source.saveSnapshot(sampleSnapshot(4)), await pgCopy.saveSnapshot(sampleSnapshot(4))];
    expect(s2.id).toBe(s1.id);
    const [e1, e2] = [await source.appendEvent({ at: AT, type: "x" }), await pgCopy.appendEvent({ at: AT, type: "x" })];
    expect(e2.id).toBe(e1.id);
    await Promise.all([source.close(), pgCopy.close(), back.close()]);
  });
});
