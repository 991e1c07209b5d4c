import { describe, expect, it } from "vitest";
import { TABLES, TABLE_NAMES } from "../../src/store/tables.js";
import type { RunFinish, Store, StoreEvent, TaskRun, TaskState } from "../../src/store/types.js";
import { planImport, planTask, sampleSnapshot } from "./conformance.js";

/*
 * The contract's runs, leases, range reads and admin, run by every driver (testStoreDriver calls this). Every write
 * is stamped from a fixed clock: `t(ms)` is ms after T0, so lease expiry is tested to the millisecond without ever
 * reading the real clock.
 */

const T0 = Date.parse("2026-12-01T09:00:00.000Z");
/** The fixed clock: `ms` milliseconds after 2026-12-01T09:00:00.000Z, as ISO 8601. */
const t = (ms: number): string => new Date(T0 + ms).toISOString();

const LEASE = 30_000;
/** Matches any event id (ids are the driver's). */
const anyId = expect.any(Number) as number;

/** Everything a refused call must leave as it was. */
async function state(store: Store): Promise<{ tasks: unknown; runs: TaskRun[]; events: StoreEvent[] }> {
  return { tasks: await store.listTasks(), runs: await store.listRuns(), events: await store.listEvents() };
}

/** Events appended after `before` (ids grow). */
async function eventsSince(store: Store, before: StoreEvent[]): Promise<StoreEvent[]> {
  const last = before.at(-1)?.id ?? 0;
  return store.listEvents({ afterId: last });
}

/** Claims with a fixed clock; fails the test when nothing is ready. */
async function mustClaim(store: Store, agent: string, at: string, options: { taskId?: string; ownedOnly?: boolean; leaseMs?: number; note?: string } = {}) {
  const claimed = await store.claimTask({ agent, at, leaseMs: options.leaseMs ?? LEASE, ...options });
  if (!claimed) throw new Error(`${agent} claimed nothing at ${at}`);
  return claimed;
}

/** Every row of every table, in copy order, read page by page. */
async function dump(store: Store, limit = 3): Promise<Record<string, Record<string, unknown>[]>> {
  const out: Record<string, Record<string, unknown>[]> = {};
  for (const name of TABLE_NAMES) {
    const rows: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < 10_000; page++) {
      const read: { rows: Record<string, unknown>[]; next: string | null } = await store.admin.readRows(name, cursor, limit);
      rows.push(...read.rows);
      cursor = read.next;
      if (cursor === null) break;
    }
    out[name] = rows;
  }
  return out;
}

/** `shipgate db copy` in small: every table, in copy order, page by page, then finishCopy. */
async function copyStore(from: Store, to: Store, limit = 3): Promise<void> {
  for (const name of TABLE_NAMES) {
    let cursor: string | null = null;
    for (let page = 0; page < 10_000; page++) {
      const read: { rows: Record<string, unknown>[]; next: string | null } = await from.admin.readRows(name, cursor, limit);
      if (read.rows.length > 0) await to.admin.writeRows(name, read.rows);
      cursor = read.next;
      if (cursor === null) break;
    }
  }
  await to.admin.finishCopy();
}

/** A store with a row in every table: two snapshots, a baseline, a plan with phases, open and ended runs. */
async function populate(store: Store): Promise<void> {
  await store.saveSnapshot(sampleSnapshot(1, { events: [{ type: "alert", data: { metric: "score" } }] }));
  const second = await store.saveSnapshot(sampleSnapshot(2));
  await store.setBaseline("release", second.id, t(1));
  await store.appendEvent({ at: t(2), type: "note", subject: null, data: { text: "é ✓ \u{1F680}" } });
  await store.importPlan(planImport("h1", [
    planTask("b", { phase: "p1", slack: 1.25, maxAttempts: 3 }),
    planTask("A", { phase: "p1", priority: "P0" }),
    planTask("c", { phase: "p2", dependsOn: ["A"] }),
  ], { p2: ["p1"] }), t(3));
  const first = await mustClaim(store, "alice", t(4));
  await store.heartbeat(first.run.id, first.run.epoch, LEASE, { at: t(5), log: "logs/b.log", usage: { inputTokens: 12, outputTokens: 3, costUsd: 0.25 } });
  await store.finishRun(first.run.id, first.run.epoch, { at: t(6), outcome: "failed", exitCode: 1, note: "tests fail" });
  await mustClaim(store, "alice", t(7));
}

/** The run/lease/range/admin part of the Store contract. `open` returns a fresh, empty store. */
export function testRunContract(open: () => Promise<Store>): void {
  describe("runs and leases", () => {
    it("claimTask opens a run with a lease and writes task.started (with the run) and run.started", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("T1")]), t(0));
      const before = await store.listEvents();
      const { task, run } = await mustClaim(store, "alice", t(1000), { note: "go" });
      expect(run).toEqual({
        id: run.id, taskId: "T1", agent: "alice", attempt: 1, epoch: 1, startedAt: t(1000), heartbeatAt: t(1000),
        leaseExpiresAt: t(1000 + LEASE), endedAt: null, outcome: null, exitCode: null, log: null, usage: null, note: null,
      });
      expect(task).toMatchObject({ id: "T1", state: "in_progress", claimedBy: "alice", attempts: 1, note: "go", leaseEpoch: 1, updatedAt: t(1000) });
      expect(await store.getTask("T1")).toEqual(task);
      expect(await store.getRun(run.id)).toEqual(run);
      expect(await store.getRun(run.id + 1000)).toBeUndefined();
      expect(await store.listRuns()).toEqual([run]);
      expect(await eventsSince(store, before)).toEqual([
        { id: anyId, at: t(1000), type: "task.started", subject: "T1", data: { from: "pending", to: "in_progress", agent: "alice", note: "go", force: false, run: run.id } },
        { id: anyId, at: t(1000), type: "run.started", subject: String(run.id), data: { task: "T1", agent: "alice", attempt: 1, epoch: 1, leaseExpiresAt: t(1000 + LEASE) } },
      ]);
      await store.close();
    });

    it("claimTask by taskId refuses an unknown task (NOT_FOUND), one waiting for dependencies (NOT_READY, naming them) and a held one (INVALID_TRANSITION), writing nothing", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A"), planTask("B", { dependsOn: ["A", "Z"] }), planTask("C", { owner: "bob" })]), t(0));
      const before = await state(store);
      const attempt = (agent: string, taskId: string) => store.claimTask({ agent, at: t(1), leaseMs: LEASE, taskId });
      await expect(attempt("alice", "X")).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(attempt("alice", "B")).rejects.toMatchObject({ code: "NOT_READY", message: "[task] B waits for A (pending), Z (not in the plan)" });
      expect(await state(store)).toEqual(before);
      // By id, a task owned by someone else is claimed all the same (ownedOnly applies to the next-task search).
      const c = await mustClaim(store, "alice", t(2), { taskId: "C", ownedOnly: true });
      expect(c.task).toMatchObject({ id: "C", claimedBy: "alice", state: "in_progress" });
      const held = await state(store);
      await expect(attempt("bob", "C")).rejects.toMatchObject({
        code: "INVALID_TRANSITION", message: "[task] C is in_progress (held by alice); it cannot become in_progress",
      });
      expect(await state(store)).toEqual(held);
      await store.close();
    });

    it("claimTask takes only the agent's own tasks unless ownedOnly is false, and resolves undefined (writing nothing) when nothing is ready", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("B1", { owner: "bob" }), planTask("A1"), planTask("A2", { dependsOn: ["A1"] })]), t(0));
      expect((await mustClaim(store, "alice", t(1))).task.id).toBe("A1");
      const before = await state(store);
      expect(await store.claimTask({ agent: "alice", at: t(2), leaseMs: LEASE })).toBeUndefined();
      expect(await state(store)).toEqual(before);
      expect((await mustClaim(store, "alice", t(3), { ownedOnly: false })).task.id).toBe("B1");
      expect(await store.claimTask({ agent: "alice", at: t(4), leaseMs: LEASE, ownedOnly: false })).toBeUndefined();
      expect(await store.claimTask({ agent: "bob", at: t(4), leaseMs: LEASE })).toBeUndefined();
      await store.close();
    });

    it("claimTask gives each claim of one task a higher epoch, whoever ends the previous run", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("T1"), planTask("T2")]), t(0));
      const first = await mustClaim(store, "alice", t(1), { taskId: "T1" });
      await store.finishRun(first.run.id, 1, { at: t(2), outcome: "failed" });
      const second = await mustClaim(store, "bob", t(3), { taskId: "T1" });
      await store.finishRun(second.run.id, 2, { at: t(4), outcome: "cancelled" });
      const third = await mustClaim(store, "alice", t(5), { taskId: "T1" });
      // A start by hand takes no lease and leaves the epoch alone; the next claim still goes higher.
      await store.transitionTask("T1", "failed", { agent: "lead" }, t(6));
      await store.transitionTask("T1", "in_progress", { agent: "lead" }, t(7));
      // The cancelled second run gave its attempt back: the third claim is attempt 2 again.
      expect(await store.getTask("T1")).toMatchObject({ leaseEpoch: 3, attempts: 3 });
      await store.transitionTask("T1", "failed", { agent: "lead" }, t(8));
      const fifth = await mustClaim(store, "carol", t(9), { taskId: "T1" });
      expect([first, second, third, fifth].map((c) => [c.run.epoch, c.run.attempt, c.task.leaseEpoch])).toEqual([[1, 1, 1], [2, 2, 2], [3, 2, 3], [4, 4, 4]]);
      // Epochs count per task.
      expect((await mustClaim(store, "alice", t(10), { taskId: "T2" })).run.epoch).toBe(1);
      await store.close();
    });

    it("heartbeat extends the lease and stores log and usage, writing no event", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("T1")]), t(0));
      const { run } = await mustClaim(store, "alice", t(0));
      const before = await store.listEvents();
      const beat = await store.heartbeat(run.id, run.epoch, 60_000, { at: t(10_000), log: "logs/T1.log", usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.5 } });
      expect(beat).toEqual({ ...run, heartbeatAt: t(10_000), leaseExpiresAt: t(70_000), log: "logs/T1.log", usage: { inputTokens: 100, outputTokens: 20, costUsd: 0.5 } });
      // Without log and usage, the last ones stay.
      const again = await store.heartbeat(run.id, run.epoch, 5_000, { at: t(20_000) });
      expect(again).toEqual({ ...beat, heartbeatAt: t(20_000), leaseExpiresAt: t(25_000) });
      const third = await store.heartbeat(run.id, run.epoch, 5_000, { at: t(21_000), log: null, usage: null });
      expect(third).toEqual({ ...again, heartbeatAt: t(21_000), leaseExpiresAt: t(26_000) });
      expect(await store.getRun(run.id)).toEqual(third);
      expect(await store.listEvents()).toEqual(before);
      // What the server's cache reads: a heartbeat leaves it, the claim moved it (its run.started is the newest).
      expect(await store.lastEventId()).toBe(before.at(-1)?.id);
      expect(before.at(-1)?.type).toBe("run.started");
      await store.close();
    });

    it("heartbeat refuses a wrong epoch and an ended run (LEASE_LOST) and an unknown run (NOT_FOUND), changing nothing", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("T1")]), t(0));
      const { run } = await mustClaim(store, "alice", t(0));
      const before = await state(store);
      await expect(store.heartbeat(run.id, run.epoch + 1, LEASE, { at: t(1), log: "x" })).rejects.toMatchObject({ code: "LEASE_LOST" });
      await expect(store.heartbeat(run.id + 1000, 1, LEASE, { at: t(1) })).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await state(store)).toEqual(before);
      await store.finishRun(run.id, run.epoch, { at: t(2), outcome: "done" });
      const ended = await state(store);
      await expect(store.heartbeat(run.id, run.epoch, LEASE, { at: t(3), log: "x" })).rejects.toMatchObject({ code: "LEASE_LOST" });
      expect(await state(store)).toEqual(ended);
      await store.close();
    });

    const outcomes: [RunFinish["outcome"], TaskState][] = [["done", "done"], ["failed", "failed"], ["error", "failed"], ["timeout", "failed"], ["cancelled", "pending"]];
    for (const [outcome, to] of outcomes) {
      it(`finishRun with outcome ${outcome} moves the task to ${to} and stores the run's note, exit code, log and usage`, async () => {
        const store = await open();
        await store.importPlan(planImport("h1", [planTask("T1", { maxAttempts: 3 })]), t(0));
        const { run } = await mustClaim(store, "alice", t(0), { note: "go" });
        const before = await store.listEvents();
        const finish: RunFinish = { at: t(5_000), outcome, exitCode: 3, note: `${outcome} here`, log: "logs/T1.log", usage: { costUsd: 1.5 } };
        const result = await store.finishRun(run.id, run.epoch, finish);
        const ended: TaskRun = { ...run, endedAt: t(5_000), outcome, exitCode: 3, note: `${outcome} here`, log: "logs/T1.log", usage: { costUsd: 1.5 } };
        expect(result.run).toEqual(ended);
        expect(await store.getRun(run.id)).toEqual(ended);
        // A cancelled run gives its attempt back.
        expect(result.task).toMatchObject({ state: to, note: `${outcome} here`, attempts: outcome === "cancelled" ? 0 : 1, leaseEpoch: 1, claimedBy: to === "pending" ? null : "alice", updatedAt: t(5_000) });
        expect(await store.getTask("T1")).toEqual(result.task);
        expect(await eventsSince(store, before)).toEqual([
          { id: anyId, at: t(5_000), type: "run.finished", subject: String(run.id), data: { task: "T1", agent: "alice", attempt: 1, epoch: 1, outcome, exitCode: 3 } },
          { id: anyId, at: t(5_000), type: `task.${to}`, subject: "T1", data: { from: "in_progress", to, agent: "alice", note: `${outcome} here`, force: false, run: run.id } },
        ]);
        // The task is claimable again unless it is done.
        expect((await store.nextTask("alice"))?.id).toBe(to === "done" ? undefined : "T1");
        await store.close();
      });
    }

    it("finishRun without a note clears the task's note and keeps what heartbeats stored", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("T1")]), t(0));
      const { run } = await mustClaim(store, "alice", t(0), { note: "go" });
      await store.heartbeat(run.id, 1, LEASE, { at: t(1), log: "logs/T1.log", usage: { inputTokens: 7 } });
      const { task, run: ended } = await store.finishRun(run.id, 1, { at: t(2), outcome: "done" });
      expect(task.note).toBeNull();
      expect(ended).toMatchObject({ outcome: "done", exitCode: null, note: null, log: "logs/T1.log", usage: { inputTokens: 7 }, heartbeatAt: t(1) });
      await store.close();
    });

    it("finishRun from a stale worker (an older epoch, or a run already ended) gets LEASE_LOST and changes nothing", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("T1")]), t(0));
      const old = await mustClaim(store, "alice", t(0));
      await store.transitionTask("T1", "failed", { agent: "lead", note: "taken back" }, t(1));
      const current = await mustClaim(store, "bob", t(2), { ownedOnly: false });
      const before = await state(store);
      await expect(store.finishRun(old.run.id, old.run.epoch, { at: t(3), outcome: "done", exitCode: 0 })).rejects.toMatchObject({ code: "LEASE_LOST" });
      await expect(store.finishRun(current.run.id, old.run.epoch, { at: t(3), outcome: "done", exitCode: 0 })).rejects.toMatchObject({
        code: "LEASE_LOST", message: `[task] run ${current.run.id} of T1 holds epoch 2, not 1; its result is not recorded`,
      });
      await expect(store.finishRun(current.run.id + 1000, 2, { at: t(3), outcome: "done" })).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await state(store)).toEqual(before);
      // The current holder still finishes.
      expect((await store.finishRun(current.run.id, 2, { at: t(4), outcome: "done" })).task.state).toBe("done");
      await expect(store.finishRun(current.run.id, 2, { at: t(5), outcome: "failed" })).rejects.toMatchObject({ code: "LEASE_LOST" });
      expect(await store.getTask("T1")).toMatchObject({ state: "done", claimedBy: "bob" });
      await store.close();
    });
  });

  describe("lease expiry (fixed clock)", () => {
    it("expireLeases ends a lease that expired 1 ms before `at` as lost and puts its task back to pending; a lease expiring at `at` stays", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A"), planTask("B")]), t(0));
      const a = await mustClaim(store, "alice", t(0), { leaseMs: 10_000, note: "go" });
      const b = await mustClaim(store, "alice", t(0), { leaseMs: 10_001 });
      const before = await store.listEvents();
      expect(await store.expireLeases(t(10_000))).toEqual([]);
      const lost = await store.expireLeases(t(10_001));
      const ended: TaskRun = { ...a.run, endedAt: t(10_001), outcome: "lost", note: "lease expired" };
      expect(lost).toEqual([ended]);
      expect(await store.getRun(a.run.id)).toEqual(ended);
      expect(await store.getRun(b.run.id)).toEqual(b.run);
      expect(await store.getTask("A")).toMatchObject({ state: "pending", claimedBy: null, attempts: 1, leaseEpoch: 1, note: "lease expired", updatedAt: t(10_001) });
      expect(await store.getTask("B")).toMatchObject({ state: "in_progress", claimedBy: "alice" });
      expect(await eventsSince(store, before)).toEqual([
        { id: anyId, at: t(10_001), type: "run.finished", subject: String(a.run.id), data: { task: "A", agent: "alice", attempt: 1, epoch: 1, outcome: "lost", exitCode: null } },
        { id: anyId, at: t(10_001), type: "task.pending", subject: "A", data: { from: "in_progress", to: "pending", agent: null, note: "lease expired", force: false, run: a.run.id } },
      ]);
      // Ended once: a second pass finds nothing more until B's lease passes too.
      expect(await store.expireLeases(t(10_001))).toEqual([]);
      expect((await store.expireLeases(t(10_002))).map((r) => r.id)).toEqual([b.run.id]);
      // Claimable again, with a higher epoch.
      const again = await mustClaim(store, "bob", t(20_000), { ownedOnly: false });
      expect(again.task).toMatchObject({ id: "A", claimedBy: "bob", attempts: 2, leaseEpoch: 2 });
      expect(again.run).toMatchObject({ attempt: 2, epoch: 2 });
      await store.close();
    });

    it("expireLeases ends every expired run at once, in id order, and leaves the open ones", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A"), planTask("B"), planTask("C"), planTask("D")]), t(0));
      const runs = [];
      for (const lease of [3_000, 1_000, 5_000, 2_000]) runs.push((await mustClaim(store, "alice", t(0), { leaseMs: lease })).run);
      const lost = await store.expireLeases(t(4_000));
      expect(lost.map((r) => [r.taskId, r.outcome, r.endedAt])).toEqual([["A", "lost", t(4_000)], ["B", "lost", t(4_000)], ["D", "lost", t(4_000)]]);
      expect((await store.listRuns({ open: true })).map((r) => r.taskId)).toEqual(["C"]);
      expect((await store.listTasks()).map((x) => [x.id, x.state])).toEqual([["A", "pending"], ["B", "pending"], ["C", "in_progress"], ["D", "pending"]]);
      expect((await store.listEvents({ typePrefix: "task.", from: t(4_000) })).map((e) => e.subject)).toEqual(["A", "B", "D"]);
      expect(runs).toHaveLength(4);
      await store.close();
    });

    it("expireLeases keeps a run whose heartbeat moved its lease past `at`", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A")]), t(0));
      const { run } = await mustClaim(store, "alice", t(0), { leaseMs: 10_000 });
      await store.heartbeat(run.id, run.epoch, 10_000, { at: t(9_000) });
      expect(await store.expireLeases(t(15_000))).toEqual([]);
      expect((await store.getRun(run.id))?.endedAt).toBeNull();
      expect((await store.expireLeases(t(19_001))).map((r) => r.id)).toEqual([run.id]);
      await store.close();
    });

    it("expireLeases moves a task out of attempts to failed (the dead letter): not claimed again, even by id, until it is moved back to pending", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A", { maxAttempts: 2 })]), t(0));
      await mustClaim(store, "alice", t(0), { leaseMs: 1_000 });
      expect((await store.expireLeases(t(2_000))).length).toBe(1);
      expect(await store.getTask("A")).toMatchObject({ state: "pending", attempts: 1 });
      const second = await mustClaim(store, "bob", t(3_000), { leaseMs: 1_000, ownedOnly: false });
      const before = await store.listEvents();
      expect((await store.expireLeases(t(5_000))).map((r) => r.id)).toEqual([second.run.id]);
      expect(await store.getTask("A")).toMatchObject({ state: "failed", attempts: 2, note: "lease expired", claimedBy: "bob" });
      expect((await eventsSince(store, before)).map((e) => [e.type, e.data])).toEqual([
        ["run.finished", { task: "A", agent: "bob", attempt: 2, epoch: 2, outcome: "lost", exitCode: null }],
        ["task.failed", { from: "in_progress", to: "failed", agent: null, note: "lease expired", force: false, run: second.run.id }],
      ]);
      expect(await store.nextTask("alice")).toBeUndefined();
      const dead = await state(store);
      expect(await store.claimTask({ agent: "alice", at: t(6_000), leaseMs: LEASE, ownedOnly: false })).toBeUndefined();
      await expect(store.claimTask({ agent: "alice", at: t(6_000), leaseMs: LEASE, taskId: "A" })).rejects.toMatchObject({ code: "INVALID_TRANSITION" });
      expect(await state(store)).toEqual(dead);
      await store.transitionTask("A", "pending", { agent: "lead", note: "one more try" }, t(7_000));
      const third = await mustClaim(store, "alice", t(8_000));
      // The reset gave a fresh budget: attempt 1 again (the epoch still grows).
      expect(third.run).toMatchObject({ attempt: 1, epoch: 3 });
      await store.close();
    });

    it("regression: a claim by id took a dead-lettered (failed, out of attempts) or blocked task, which only a move back to pending may release", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("D", { maxAttempts: 1 }), planTask("H")]), t(0));
      const { run } = await mustClaim(store, "alice", t(0), { taskId: "D" });
      await store.finishRun(run.id, run.epoch, { at: t(1), outcome: "failed" });
      await store.transitionTask("H", "blocked", { agent: "lead", note: "needs a key" }, t(2));
      const before = await state(store);
      await expect(store.claimTask({ agent: "alice", at: t(3), leaseMs: LEASE, taskId: "D" })).rejects.toMatchObject({
        code: "INVALID_TRANSITION", message: "[task] D failed 1 of 1 attempts; a claim does not take it again",
      });
      await expect(store.claimTask({ agent: "alice", at: t(3), leaseMs: LEASE, taskId: "H" })).rejects.toMatchObject({
        code: "INVALID_TRANSITION", message: "[task] H is blocked; a claim takes only a ready task",
      });
      expect(await state(store)).toEqual(before);
      // A start by hand is still allowed: a person decides.
      expect(await store.transitionTask("D", "in_progress", { agent: "lead" }, t(4))).toMatchObject({ state: "in_progress", attempts: 2 });
      await store.close();
    });

    it("refuses a lease that is not a positive number of milliseconds (USAGE), writing nothing", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A")]), t(0));
      const before = await state(store);
      await expect(store.claimTask({ agent: "alice", at: t(1), leaseMs: 0 })).rejects.toMatchObject({ code: "USAGE" });
      await expect(store.claimTask({ agent: "alice", at: t(1), leaseMs: -5, taskId: "A" })).rejects.toMatchObject({ code: "USAGE" });
      expect(await state(store)).toEqual(before);
      const { run } = await mustClaim(store, "alice", t(2));
      const held = await state(store);
      await expect(store.heartbeat(run.id, run.epoch, Number.NaN, { at: t(3) })).rejects.toMatchObject({ code: "USAGE" });
      expect(await state(store)).toEqual(held);
      await store.close();
    });

    it("regression: a lease ending after year 9999 was stored as +0YYYYY-… and counted as expired at once; it is refused (USAGE)", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A")]), t(0));
      const before = await state(store);
      await expect(store.claimTask({ agent: "alice", at: t(1), leaseMs: 1e15 })).rejects.toMatchObject({
        code: "USAGE", message: `[task] a lease of 1000000000000000 ms from ${t(1)} would end after the year 9999`,
      });
      await expect(store.claimTask({ agent: "alice", at: t(1), leaseMs: 9e15 })).rejects.toMatchObject({ code: "USAGE" });
      expect(await state(store)).toEqual(before);
      // The longest lease that can be written still sorts after every time before it.
      const { run } = await mustClaim(store, "alice", t(2), { leaseMs: Date.UTC(9999, 11, 31) - (T0 + 2) });
      expect(run.leaseExpiresAt).toBe("9999-12-31T00:00:00.000Z");
      expect(await store.expireLeases(t(3))).toEqual([]);
      await expect(store.heartbeat(run.id, run.epoch, 1e15, { at: t(4) })).rejects.toMatchObject({ code: "USAGE" });
      expect(await store.getRun(run.id)).toEqual(run);
      await store.close();
    });

    it("claims a failed task again while it has attempts left, and not once they run out", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A", { maxAttempts: 3 })]), t(0));
      const results: string[] = [];
      for (const [i, outcome] of (["failed", "error", "timeout"] as const).entries()) {
        const { task, run } = await mustClaim(store, "alice", t(i * 10));
        results.push(`${task.id}#${run.attempt}`);
        expect((await store.finishRun(run.id, run.epoch, { at: t(i * 10 + 1), outcome })).task.state).toBe("failed");
      }
      expect(results).toEqual(["A#1", "A#2", "A#3"]);
      expect(await store.claimTask({ agent: "alice", at: t(100), leaseMs: LEASE })).toBeUndefined();
      expect(await store.getTask("A")).toMatchObject({ state: "failed", attempts: 3 });
      await store.close();
    });

    it("fences an expired worker: its late heartbeat and finish get LEASE_LOST and change nothing; the new claim's epoch is higher", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A")]), t(0));
      const old = await mustClaim(store, "alice", t(0), { leaseMs: 1_000 });
      await store.expireLeases(t(1_001));
      await expect(store.heartbeat(old.run.id, old.run.epoch, LEASE, { at: t(1_002) })).rejects.toMatchObject({
        code: "LEASE_LOST", hint: "its lease expired before a heartbeat: heartbeat more often than the lease lasts",
      });
      const current = await mustClaim(store, "bob", t(2_000), { ownedOnly: false });
      expect(current.run.epoch).toBeGreaterThan(old.run.epoch);
      const before = await state(store);
      await expect(store.finishRun(old.run.id, old.run.epoch, { at: t(2_001), outcome: "done", exitCode: 0 })).rejects.toMatchObject({ code: "LEASE_LOST" });
      await expect(store.heartbeat(current.run.id, old.run.epoch, LEASE, { at: t(2_001) })).rejects.toMatchObject({ code: "LEASE_LOST" });
      await expect(store.finishRun(current.run.id, old.run.epoch, { at: t(2_001), outcome: "done" })).rejects.toMatchObject({ code: "LEASE_LOST" });
      expect(await state(store)).toEqual(before);
      expect((await store.finishRun(current.run.id, current.run.epoch, { at: t(2_002), outcome: "done" })).task).toMatchObject({ state: "done", claimedBy: "bob" });
      await store.close();
    });
  });

  describe("moves by hand end the open run", () => {
    const moves: [TaskState, string][] = [["done", "done"], ["failed", "failed"], ["blocked", "cancelled"]];
    for (const [to, outcome] of moves) {
      it(`transitionTask to ${to} while a run holds the task ends the run as ${outcome}; the holder's next heartbeat gets LEASE_LOST`, async () => {
        const store = await open();
        await store.importPlan(planImport("h1", [planTask("T1")]), t(0));
        const { run } = await mustClaim(store, "alice", t(0));
        const before = await store.listEvents();
        const task = await store.transitionTask("T1", to, { agent: "lead", note: "by hand" }, t(5_000));
        // A run ended as cancelled does not count as an attempt.
        expect(task).toMatchObject({ state: to, note: "by hand", attempts: outcome === "cancelled" ? 0 : 1 });
        expect(await store.getRun(run.id)).toMatchObject({ endedAt: t(5_000), outcome, exitCode: null });
        expect((await store.listRuns({ open: true })).length).toBe(0);
        expect(await eventsSince(store, before)).toEqual([
          { id: anyId, at: t(5_000), type: "run.finished", subject: String(run.id), data: { task: "T1", agent: "alice", attempt: 1, epoch: 1, outcome, exitCode: null } },
          { id: anyId, at: t(5_000), type: `task.${to}`, subject: "T1", data: { from: "in_progress", to, agent: "lead", note: "by hand", force: false, run: run.id } },
        ]);
        const after = await state(store);
        await expect(store.heartbeat(run.id, run.epoch, LEASE, { at: t(6_000) })).rejects.toMatchObject({ code: "LEASE_LOST" });
        await expect(store.finishRun(run.id, run.epoch, { at: t(6_000), outcome: "done" })).rejects.toMatchObject({ code: "LEASE_LOST" });
        expect(await state(store)).toEqual(after);
        await store.close();
      });
    }
  });

  describe("attempts", () => {
    /** The attempt number of every run of `taskId`, in start order. */
    const attemptsOf = async (store: Store, taskId: string) => (await store.listRuns({ taskId })).map((r) => `${r.attempt}:${r.outcome ?? "open"}`);

    it("regression: a cancelled run does not count as an attempt: the next claim is the same attempt number and a failed task out of attempts is not reached by cancellations", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A", { maxAttempts: 2 })]), t(0));
      // Released by its worker (Ctrl-C of `shipgate run`, MCP release_task), twice: the next claim of the next ready task, then by id.
      for (const [i, taskId] of [undefined, "A"].entries()) {
        const { run } = await mustClaim(store, "alice", t(i * 10), taskId === undefined ? {} : { taskId });
        expect(run.attempt).toBe(1);
        expect((await store.finishRun(run.id, run.epoch, { at: t(i * 10 + 1), outcome: "cancelled", note: "released" })).task).toMatchObject({ state: "pending", attempts: 0 });
      }
      // Moved by hand to blocked while it runs: the run is cancelled and does not count either.
      await mustClaim(store, "alice", t(20));
      expect(await store.transitionTask("A", "blocked", { agent: "lead", note: "hold" }, t(21))).toMatchObject({ state: "blocked", attempts: 0 });
      await store.transitionTask("A", "pending", { agent: "lead" }, t(22));
      // Two real failures use up the budget of 2, cancellations in between or not.
      const first = await mustClaim(store, "alice", t(30));
      await store.finishRun(first.run.id, first.run.epoch, { at: t(31), outcome: "failed", exitCode: 1 });
      const second = await mustClaim(store, "alice", t(40));
      await store.finishRun(second.run.id, second.run.epoch, { at: t(41), outcome: "cancelled" });
      expect(await store.getTask("A")).toMatchObject({ state: "pending", attempts: 1 });
      const third = await mustClaim(store, "alice", t(50));
      expect(third.run.attempt).toBe(2);
      expect((await store.finishRun(third.run.id, third.run.epoch, { at: t(51), outcome: "failed", exitCode: 1 })).task).toMatchObject({ state: "failed", attempts: 2 });
      expect(await store.nextTask("alice")).toBeUndefined();
      expect(await attemptsOf(store, "A")).toEqual(["1:cancelled", "1:cancelled", "1:cancelled", "1:failed", "2:cancelled", "2:failed"]);
      // The events say the same attempt numbers.
      expect((await store.listEvents({ type: "run.started" })).map((e) => (e.data as { attempt: number }).attempt)).toEqual([1, 1, 1, 1, 2, 2]);
      await store.close();
    });

    it("a reset to pending gives a task a fresh set of attempts (from failed out of attempts, and from blocked)", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A", { maxAttempts: 2 }), planTask("B", { maxAttempts: 3 })]), t(0));
      for (const i of [1, 2]) {
        const { run } = await mustClaim(store, "alice", t(i), { taskId: "A" });
        await store.finishRun(run.id, run.epoch, { at: t(i), outcome: "failed" });
      }
      expect(await store.getTask("A")).toMatchObject({ state: "failed", attempts: 2 });
      await expect(store.claimTask({ agent: "alice", at: t(3), leaseMs: LEASE, taskId: "A" })).rejects.toMatchObject({ code: "INVALID_TRANSITION" });
      expect(await store.transitionTask("A", "pending", { agent: "lead", note: "fixed the fixture" }, t(4))).toMatchObject({ state: "pending", attempts: 0, claimedBy: null });
      const again = await mustClaim(store, "alice", t(5), { taskId: "A" });
      expect(again.run).toMatchObject({ attempt: 1, epoch: 3 });
      await store.finishRun(again.run.id, again.run.epoch, { at: t(6), outcome: "failed" });
      // One failure of the fresh budget: it is retried.
      expect(await store.getTask("A")).toMatchObject({ state: "failed", attempts: 1 });
      expect((await store.nextTask("alice"))?.id).toBe("A");
      expect(await attemptsOf(store, "A")).toEqual(["1:failed", "2:failed", "1:failed"]);
      // From blocked (the dispatcher blocks a task whose attempts failed) the same.
      const b = await mustClaim(store, "alice", t(7), { taskId: "B" });
      await store.finishRun(b.run.id, b.run.epoch, { at: t(8), outcome: "timeout" });
      await store.transitionTask("B", "blocked", { agent: "shipgate", note: "1 attempt failed" }, t(9));
      expect(await store.getTask("B")).toMatchObject({ state: "blocked", attempts: 1 });
      expect(await store.transitionTask("B", "pending", { agent: null }, t(10))).toMatchObject({ state: "pending", attempts: 0 });
      expect((await mustClaim(store, "alice", t(11), { taskId: "B" })).run.attempt).toBe(1);
      await store.close();
    });

    it("a lost run (lease expired: a crash) still counts as an attempt, a cancelled one in between does not", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A", { maxAttempts: 2 })]), t(0));
      await mustClaim(store, "alice", t(0), { leaseMs: 1_000 });
      expect((await store.expireLeases(t(2_000))).map((r) => r.outcome)).toEqual(["lost"]);
      expect(await store.getTask("A")).toMatchObject({ state: "pending", attempts: 1 });
      const released = await mustClaim(store, "alice", t(3_000));
      expect(released.run.attempt).toBe(2);
      await store.finishRun(released.run.id, released.run.epoch, { at: t(3_001), outcome: "cancelled" });
      expect((await mustClaim(store, "alice", t(4_000), { leaseMs: 1_000 })).run.attempt).toBe(2);
      await store.expireLeases(t(6_000));
      expect(await store.getTask("A")).toMatchObject({ state: "failed", attempts: 2, note: "lease expired" });
      expect(await store.nextTask("alice")).toBeUndefined();
      expect(await attemptsOf(store, "A")).toEqual(["1:lost", "2:cancelled", "2:lost"]);
      await store.close();
    });
  });

  describe("range reads", () => {
    it("listFactSeries reads the facts of every snapshot in a range (from inclusive, to exclusive), on a branch, of some keys, oldest snapshot first", async () => {
      const store = await open();
      // Saved out of time order: the series follows takenAt.
      const s3 = await store.saveSnapshot(sampleSnapshot(3));
      const s1 = await store.saveSnapshot(sampleSnapshot(1));
      const s2 = await store.saveSnapshot(sampleSnapshot(2, { git: { commit: "f", branch: "feature", dirty: false, tree: null } }));
      const s4 = await store.saveSnapshot(sampleSnapshot(4));
      const points = (s: { id: number; takenAt: string; git: { branch: string | null } }, n: number) => [
        { snapshotId: s.id, takenAt: s.takenAt, branch: s.git.branch, key: "tests.failed", value: n, component: null },
        { snapshotId: s.id, takenAt: s.takenAt, branch: s.git.branch, key: "coverage.branches.pct", value: null, component: "packages/api" },
      ];
      expect(await store.listFactSeries()).toEqual([...points(s1, 1), ...points(s2, 2), ...points(s3, 3), ...points(s4, 4)]);
      expect(await store.listFactSeries({ from: s2.takenAt, to: s4.takenAt })).toEqual([...points(s2, 2), ...points(s3, 3)]);
      expect(await store.listFactSeries({ from: s2.takenAt, branch: "main" })).toEqual([...points(s3, 3), ...points(s4, 4)]);
      expect(await store.listFactSeries({ to: "2026-11-03T10:00:00.001Z", keys: ["tests.failed", "nope"] })).toEqual(
        [points(s1, 1)[0], points(s2, 2)[0], points(s3, 3)[0]],
      );
      expect(await store.listFactSeries({ keys: [] })).toEqual([]);
      expect(await store.listFactSeries({ from: "2026-12-01T00:00:00.000Z" })).toEqual([]);
      await store.close();
    });

    it("listEvents selects a time range (from inclusive, to exclusive) and a type prefix, oldest first by id", async () => {
      const store = await open();
      const add = (at: string, type: string) => store.appendEvent({ at, type, subject: null });
      const e1 = await add(t(0), "task.started");
      const e2 = await add(t(2_000), "run.started");
      const e3 = await add(t(1_000), "task.done"); // appended later, stamped earlier
      const e4 = await add(t(3_000), "taskforce");
      const e5 = await add(t(3_000), "task");
      // Characters a LIKE pattern would treat as wildcards are literal in a prefix.
      const e6 = await add(t(3_000), "a_b.x");
      const e7 = await add(t(3_000), "axb.x");
      const e8 = await add(t(3_000), "100%.y");
      const ids = (events: StoreEvent[]) => events.map((e) => e.id);
      expect(ids(await store.listEvents({ typePrefix: "task." }))).toEqual([e1.id, e3.id]);
      expect(ids(await store.listEvents({ from: t(1_000), to: t(3_000) }))).toEqual([e2.id, e3.id]);
      expect(ids(await store.listEvents({ from: t(1_000), typePrefix: "task" }))).toEqual([e3.id, e4.id, e5.id]);
      expect(ids(await store.listEvents({ to: t(1_000) }))).toEqual([e1.id]);
      expect(ids(await store.listEvents({ typePrefix: "a_b." }))).toEqual([e6.id]);
      expect(ids(await store.listEvents({ typePrefix: "100%" }))).toEqual([e8.id]);
      expect(ids(await store.listEvents({ typePrefix: "task.", afterId: e1.id, limit: 1 }))).toEqual([e3.id]);
      expect(e7.id).toBeGreaterThan(e6.id);
      await store.close();
    });

    it("listRuns selects by task, agent, open or ended, and a range on startedAt (from inclusive, to exclusive), in start order", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("A"), planTask("B"), planTask("C", { owner: "bob" })]), t(0));
      const a = await mustClaim(store, "alice", t(1_000), { taskId: "A" });
      const b = await mustClaim(store, "alice", t(2_000), { taskId: "B" });
      const c = await mustClaim(store, "bob", t(3_000), { taskId: "C" });
      await store.finishRun(a.run.id, 1, { at: t(4_000), outcome: "failed" });
      const a2 = await mustClaim(store, "bob", t(5_000), { taskId: "A" });
      const ids = (runs: TaskRun[]) => runs.map((r) => r.id);
      expect(ids(await store.listRuns())).toEqual([a.run.id, b.run.id, c.run.id, a2.run.id]);
      expect(ids(await store.listRuns({ taskId: "A" }))).toEqual([a.run.id, a2.run.id]);
      expect(ids(await store.listRuns({ agent: "bob" }))).toEqual([c.run.id, a2.run.id]);
      expect(ids(await store.listRuns({ open: true }))).toEqual([b.run.id, c.run.id, a2.run.id]);
      expect(ids(await store.listRuns({ open: false }))).toEqual([a.run.id]);
      expect(ids(await store.listRuns({ from: t(2_000), to: t(5_000) }))).toEqual([b.run.id, c.run.id]);
      expect(ids(await store.listRuns({ agent: "bob", open: true, from: t(4_000) }))).toEqual([a2.run.id]);
      expect(ids(await store.listRuns({ limit: 2 }))).toEqual([a.run.id, b.run.id]);
      expect(await store.listRuns({ taskId: "nope" })).toEqual([]);
      await store.close();
    });

    it("listSnapshots selects a range on takenAt (from inclusive, to exclusive), newest first", async () => {
      const store = await open();
      const [s1, s2, s3] = [await store.saveSnapshot(sampleSnapshot(1)), await store.saveSnapshot(sampleSnapshot(2)), await store.saveSnapshot(sampleSnapshot(3))];
      const ids = async (q: { from?: string; to?: string }) => (await store.listSnapshots(q)).map((s) => s.id);
      expect(await ids({ from: s2.takenAt })).toEqual([s3.id, s2.id]);
      expect(await ids({ to: s2.takenAt })).toEqual([s1.id]);
      expect(await ids({ from: s1.takenAt, to: s3.takenAt })).toEqual([s2.id, s1.id]);
      expect(await ids({ from: s3.takenAt, to: s3.takenAt })).toEqual([]);
      await store.close();
    });
  });

  describe("admin", () => {
    it("regression: admin.finishCopy resolved after close; every run, range and admin call rejects with STORE_UNAVAILABLE once closed", async () => {
      const store = await open();
      await store.close();
      const calls: [string, () => Promise<unknown>][] = [
        ["claimTask", () => store.claimTask({ agent: "a", at: t(0), leaseMs: LEASE })],
        ["heartbeat", () => store.heartbeat(1, 1, LEASE, { at: t(0) })],
        ["finishRun", () => store.finishRun(1, 1, { at: t(0), outcome: "done" })],
        ["expireLeases", () => store.expireLeases(t(0))],
        ["getRun", () => store.getRun(1)],
        ["listRuns", () => store.listRuns()],
        ["listFactSeries", () => store.listFactSeries()],
        ["listEvents", () => store.listEvents({ typePrefix: "task." })],
        ["admin.schema", () => store.admin.schema()],
        ["admin.migrate", () => store.admin.migrate()],
        ["admin.counts", () => store.admin.counts()],
        ["admin.readRows", () => store.admin.readRows("snapshot", null, 2)],
        ["admin.writeRows", () => store.admin.writeRows("snapshot", [])],
        ["admin.finishCopy", () => store.admin.finishCopy()],
      ];
      for (const [name, call] of calls) await expect(call(), name).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    });

    it("is at the latest schema after opening, and migrate applies nothing more (twice)", async () => {
      const store = await open();
      const schema = await store.admin.schema();
      expect(schema.latest).toBeGreaterThan(0);
      expect(schema.version).toBe(schema.latest);
      for (let i = 0; i < 2; i++) expect(await store.admin.migrate()).toEqual({ from: schema.latest, to: schema.latest, applied: [] });
      expect(await store.admin.schema()).toEqual(schema);
      await store.close();
    });

    it("counts the rows of every table of store/tables.ts", async () => {
      const store = await open();
      const empty = await store.admin.counts();
      expect(Object.keys(empty).sort()).toEqual([...TABLE_NAMES].sort());
      expect(Object.values(empty).every((n) => n === 0)).toBe(true);
      await populate(store);
      expect(await store.admin.counts()).toEqual({
        snapshot: 2, source: 4, fact: 4, test_result: 4, coverage_file: 2, finding: 4, advisory: 2, baseline: 1,
        event: (await store.listEvents()).length, plan: 1, task: 3, phase_wait: 1, task_run: 2,
      });
      await store.close();
    });

    it("readRows pages a table in its copy order: limit 2 over 5 rows is 3 pages, the last with next null", async () => {
      const store = await open();
      const saved = [];
      for (let n = 1; n <= 5; n++) saved.push(await store.saveSnapshot(sampleSnapshot(n)));
      const pages: { rows: Record<string, unknown>[]; next: string | null }[] = [];
      let cursor: string | null = null;
      do {
        const page: { rows: Record<string, unknown>[]; next: string | null } = await store.admin.readRows("snapshot", cursor, 2);
        pages.push(page);
        cursor = page.next;
      } while (cursor !== null && pages.length < 10);
      expect(pages.map((p) => p.rows.length)).toEqual([2, 2, 1]);
      expect(pages.map((p) => p.next === null)).toEqual([false, false, true]);
      const rows = pages.flatMap((p) => p.rows);
      expect(rows.map((r) => r.id)).toEqual(saved.map((s) => s.id));
      // The canonical row: exactly the columns of tables.ts, flags as 0/1, JSON as text.
      const first = sampleSnapshot(1);
      expect(rows[0]).toEqual({
        id: saved[0]!.id, taken_at: first.takenAt, git_commit: first.git.commit, git_branch: "main", git_dirty: 0, git_tree: null,
        config_hash: "abc", inputs_hash: saved[0]!.inputsHash, summary: JSON.stringify(first.summary),
      });
      await expect(store.admin.readRows("nope", null, 2)).rejects.toMatchObject({ code: "USAGE", message: expect.stringContaining("no table nope") as string });
      await expect(store.admin.writeRows("nope", [{ id: 1 }])).rejects.toMatchObject({ code: "USAGE" });
      await store.close();
    });

    it("readRows pages text-keyed tables in byte order and row tables in insertion order, with exactly the canonical columns", async () => {
      const store = await open();
      await store.importPlan(planImport("h1", [planTask("b"), planTask("_x"), planTask("B"), planTask("a"), planTask("Ä")]), t(0));
      const all = await dump(store, 2);
      expect(all.task!.map((r) => r.id)).toEqual(["B", "_x", "a", "b", "Ä"]);
      await store.saveSnapshot(sampleSnapshot(1));
      const facts = (await dump(store, 1)).fact!;
      expect(facts.map((r) => r.key)).toEqual(["tests.failed", "coverage.branches.pct"]);
      const everything = await dump(store, 2);
      for (const spec of TABLES) {
        for (const row of everything[spec.name]!) expect(Object.keys(row).sort(), spec.name).toEqual(Object.keys(spec.columns).sort());
      }
      await store.close();
    });

    it("writeRows inserts a batch in one transaction: a batch with a bad row writes nothing", async () => {
      const store = await open();
      const plan = (id: number) => ({ id, hash: `h${id}`, source: "shipgate.plan.yaml", imported_at: t(id), content: "{}" });
      await expect(store.admin.writeRows("plan", [plan(1), plan(2), plan(1)])).rejects.toThrow();
      expect((await store.admin.counts()).plan).toBe(0);
      await store.admin.writeRows("plan", [plan(1), plan(2)]);
      expect((await store.admin.readRows("plan", null, 10)).rows).toEqual([plan(1), plan(2)]);
      await store.close();
    });

    it("copies every table into a fresh store row for row (readRows → writeRows → finishCopy), and the copy keeps working", async () => {
      const source = await open();
      await populate(source);
      const target = await open();
      await copyStore(source, target);
      const copied = await dump(target);
      expect(copied).toEqual(await dump(source));
      expect(await target.admin.counts()).toEqual(await source.admin.counts());
      // Through the contract too: same snapshots, tasks, runs and events.
      expect(await target.listSnapshots()).toEqual(await source.listSnapshots());
      expect(await target.listTasks()).toEqual(await source.listTasks());
      expect(await target.listRuns()).toEqual(await source.listRuns());
      expect(await target.listEvents()).toEqual(await source.listEvents());
      expect(await target.getPlan()).toEqual(await source.getPlan());

      // New rows continue after the copied ids.
      const maxId = (table: string) => Math.max(...copied[table]!.map((r) => r.id as number));
      const snapshot = await target.saveSnapshot(sampleSnapshot(5));
      expect(snapshot.id).toBe(maxId("snapshot") + 1);
      expect((await target.getSources(snapshot.id))[0]?.id).toBe(maxId("source") + 1);
      const created = (await target.listEvents({ type: "snapshot.created" })).at(-1);
      expect(created?.id).toBe(maxId("event") + 1);
      const event = await target.appendEvent({ at: t(100), type: "note" });
      expect(event.id).toBe(maxId("event") + 2);
      const plan = await target.importPlan(planImport("h2", [planTask("b", { maxAttempts: 3 }), planTask("A"), planTask("c")], { p2: ["p1"] }), t(101));
      expect(plan.plan.id).toBe(maxId("plan") + 1);
      // The copied open run is finished by its holder; the next claim continues the task's epochs and the run ids.
      const open1 = (await target.listRuns({ open: true }))[0]!;
      await target.finishRun(open1.id, open1.epoch, { at: t(102), outcome: "failed" });
      const next = await mustClaim(target, "alice", t(103));
      expect(next.run).toMatchObject({ id: maxId("task_run") + 1, taskId: "b", attempt: 3, epoch: 3 });
      await source.close();
      await target.close();
    });
  });
}
