import { describe, expect, it } from "vitest";
import { snapshotInputsHash } from "../../src/store/inputs-hash.js";
import type { ImportedTask, NewSnapshot, PlanImport, Store, StoredPlan, TaskState } from "../../src/store/types.js";
import { testRunContract } from "./conformance-runs.js";

/** A snapshot with one of every row kind; `n` varies the content. */
export function sampleSnapshot(n = 1, overrides: Partial<NewSnapshot> = {}): NewSnapshot {
  return {
    takenAt: `2026-11-0${n}T10:00:00.000Z`,
    git: { commit: `c0ffee${n}`, branch: "main", dirty: false, tree: null },
    configHash: "abc",
    summary: { schemaVersion: 1, n },
    sources: [
      { path: "reports/junit.xml", sha256: "a".repeat(64), bytes: 100, format: "junit", tool: { name: "vitest", version: "4.1.12" }, collector: "api" },
      { path: "reports/lcov.info", sha256: "b".repeat(64), bytes: 200, format: "lcov", tool: null, collector: null },
    ],
    facts: [
      { key: "tests.failed", value: n, component: null, sourceIndex: 0 },
      { key: "coverage.branches.pct", value: null, component: "packages/api", sourceIndex: null },
    ],
    tests: [
      { testId: "a.test.ts › adds", file: "a.test.ts", suite: "", name: "adds", status: "passed", durationMs: 1.5, message: null, flaky: false, sourceIndex: 0 },
      { testId: "a.test.ts › fails", file: "a.test.ts", suite: "", name: "fails", status: "failed", durationMs: null, message: "expected 1 to be 2", flaky: true, sourceIndex: 0 },
    ],
    coverageFiles: [
      {
        path: "src/a.ts", package: ".", resolved: true,
        linesCovered: 3, linesTotal: 4, branchesCovered: null, branchesTotal: null,
        functionsCovered: 1, functionsTotal: 1, statementsCovered: null, statementsTotal: null,
        coveredLines: "1-3", uncoveredLines: "7", sourceIndex: 1,
      },
    ],
    findings: [
      { fingerprint: "f1", tool: "eslint", kind: "lint", ruleId: "no-unused-vars", level: "error", message: "'x' is unused", file: "src/a.ts", line: 3, suppressed: false, sourceIndex: 0 },
      { fingerprint: "f2", tool: "tsc", kind: "type", ruleId: null, level: "warning", message: "m", file: null, line: null, suppressed: true, sourceIndex: 1 },
    ],
    advisories: [
      { advisoryId: "GHSA-xxxx", aliases: ["CVE-2020-1"], package: "lodash", versions: ["4.17.11"], severity: "high", title: "Prototype pollution", url: "https://github.com/advisories/GHSA-xxxx", fixAvailable: true, sourceIndex: 1 },
    ],
    ...overrides,
  };
}

/** A plan task; `dependsOn` and the rest default to a P1 task with no slack owned by "alice". */
export const planTask = (id: string, overrides: Partial<ImportedTask> = {}): ImportedTask => ({
  id, title: `Task ${id}`, owner: "alice", priority: "P1", slack: 0, dependsOn: [], phase: "p1", maxAttempts: null, ...overrides,
});

/** The fixed time the contract tests stamp on writes (drivers never read the clock). */
export const AT = "2026-12-01T09:00:00.000Z";

/** Claims the next ready task with a minute's lease; the task, or undefined when none is ready. */
export const claim = async (store: Store, agent: string, options: { ownedOnly?: boolean } = {}) =>
  (await store.claimTask({ agent, at: AT, leaseMs: 60_000, ...options }))?.task;

export const planImport = (hash: string, tasks: ImportedTask[], phaseWaits: Record<string, string[]> = {}): PlanImport => ({
  hash, source: "shipgate.plan.yaml", content: { version: 1, tasks: tasks.map((t) => t.id) }, tasks, phaseWaits,
});

const STATES: TaskState[] = ["pending", "in_progress", "done", "failed", "blocked"];

/** The task state machine as the contract states it: from → the states reachable without force. */
const ALLOWED: Record<TaskState, TaskState[]> = {
  pending: ["in_progress", "blocked"],
  in_progress: ["done", "failed", "blocked"],
  done: [],
  failed: ["in_progress", "blocked", "pending"],
  blocked: ["in_progress", "pending"],
};
/** With `force`, done is reachable from these too. */
const FORCED_DONE: TaskState[] = ["pending", "failed", "blocked"];

/** Moves a fresh (pending, ready) task into `state` through allowed transitions. */
async function putIn(store: Store, id: string, state: TaskState): Promise<void> {
  const by = { agent: "setup" };
  if (state === "pending") return;
  if (state === "blocked") {
    await store.transitionTask(id, "blocked", by, AT);
    return;
  }
  await store.transitionTask(id, "in_progress", by, AT);
  if (state === "done" || state === "failed") await store.transitionTask(id, state, by, AT);
}

const startedType = (to: TaskState) => (to === "in_progress" ? "task.started" : `task.${to}`);

/**
 * The Store contract, run by every driver against a real database.
 * `open` returns a fresh, empty store; `reopen` (optional) opens the same database again.
 */
export function testStoreDriver(name: string, open: () => Promise<Store>, reopen?: (store: Store) => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    it("stores a snapshot with all its rows and reads them back unchanged", async () => {
      const store = await open();
      const input = sampleSnapshot(1);
      const saved = await store.saveSnapshot(input);
      expect(saved.id).toBeGreaterThan(0);
      expect(await store.getSnapshot(saved.id)).toEqual({ id: saved.id, takenAt: input.takenAt, git: input.git, configHash: "abc", inputsHash: snapshotInputsHash(input), summary: input.summary });
      const sources = await store.getSources(saved.id);
      expect(sources.map(({ id: _id, ...rest }) => rest)).toEqual(input.sources);
      const ids = sources.map((s) => s.id);
      expect(await store.getFacts(saved.id)).toEqual([
        { key: "tests.failed", value: 1, component: null, sourceId: ids[0] },
        { key: "coverage.branches.pct", value: null, component: "packages/api", sourceId: null },
      ]);
      expect(await store.getTestResults(saved.id)).toEqual(input.tests.map(({ sourceIndex, ...t }) => ({ ...t, sourceId: ids[sourceIndex] })));
      expect(await store.getCoverageFiles(saved.id)).toEqual(input.coverageFiles.map(({ sourceIndex, ...c }) => ({ ...c, sourceId: ids[sourceIndex] })));
      expect(await store.getFindings(saved.id)).toEqual(input.findings!.map(({ sourceIndex, ...f }) => ({ ...f, sourceId: ids[sourceIndex] })));
      expect(await store.getAdvisories(saved.id)).toEqual(input.advisories!.map(({ sourceIndex, ...a }) => ({ ...a, sourceId: ids[sourceIndex] })));
      await store.close();
    });

    it("lists snapshots newest first and honours limit", async () => {
      const store = await open();
      const a = await store.saveSnapshot(sampleSnapshot(1));
      const b = await store.saveSnapshot(sampleSnapshot(2));
      const c = await store.saveSnapshot(sampleSnapshot(3));
      expect((await store.listSnapshots()).map((s) => s.id)).toEqual([c.id, b.id, a.id]);
      expect((await store.listSnapshots({ limit: 2 })).map((s) => s.id)).toEqual([c.id, b.id]);
      expect(await store.getSnapshot(c.id + 100)).toBeUndefined();
      await store.close();
    });

    it("stores nothing of a snapshot whose rows fail halfway (one transaction)", async () => {
      const store = await open();
      await store.saveSnapshot(sampleSnapshot(1));
      const broken = sampleSnapshot(2);
      // The second test row points at a source that does not exist: the write fails after rows went in.
      broken.tests = [...broken.tests, { ...broken.tests[0]!, testId: "x", sourceIndex: 9 }];
      await expect(store.saveSnapshot(broken)).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
      const list = await store.listSnapshots();
      expect(list).toHaveLength(1);
      const events = await store.listEvents({ type: "snapshot.created" });
      expect(events).toHaveLength(1);
      await store.close();
    });

    it("rejects an invalid test status without storing the snapshot", async () => {
      const store = await open();
      const bad = sampleSnapshot(1);
      (bad.tests[0] as { status: string }).status = "exploded";
      await expect(store.saveSnapshot(bad)).rejects.toThrow();
      expect(await store.listSnapshots()).toEqual([]);
      await store.close();
    });

    it("appends events in order and filters them by type and position", async () => {
      const store = await open();
      const e1 = await store.appendEvent({ at: AT, type: "task.started", subject: "T1", data: { agent: "claude" } });
      const e2 = await store.appendEvent({ at: AT, type: "task.done", subject: "T1" });
      await store.saveSnapshot(sampleSnapshot(1));
      expect(e2.id).toBeGreaterThan(e1.id);
      const all = await store.listEvents();
      expect(all.map((e) => e.type)).toEqual(["task.started", "task.done", "snapshot.created"]);
      expect(all[0]).toMatchObject({ subject: "T1", data: { agent: "claude" } });
      expect((await store.listEvents({ type: "task.done" })).map((e) => e.id)).toEqual([e2.id]);
      expect((await store.listEvents({ afterId: e1.id, limit: 1 })).map((e) => e.id)).toEqual([e2.id]);
      // Several types in one query (the tracker's read), in id order; an empty list selects none.
      expect((await store.listEvents({ types: ["snapshot.created", "task.started"] })).map((e) => e.type)).toEqual(["task.started", "snapshot.created"]);
      expect(await store.listEvents({ types: [] })).toEqual([]);
      expect((await store.listEvents({ types: ["task.done", "snapshot.created"], typePrefix: "task." })).map((e) => e.id)).toEqual([e2.id]);
      await store.close();
    });

    it("gives the newest event's id (0 for an empty log), moved by a write that appends one (a heartbeat leaves it: conformance-runs)", async () => {
      const store = await open();
      expect(await store.lastEventId()).toBe(0);
      const e1 = await store.appendEvent({ at: AT, type: "task.started", subject: "T1" });
      expect(await store.lastEventId()).toBe(e1.id);
      await store.saveSnapshot(sampleSnapshot(1));
      const [created] = await store.listEvents({ type: "snapshot.created" });
      expect(await store.lastEventId()).toBe(created?.id);
      expect(created!.id).toBeGreaterThan(e1.id);
      await store.close();
    });

    it("filters snapshots by branch, commit and position", async () => {
      const store = await open();
      const a = await store.saveSnapshot(sampleSnapshot(1));
      const b = await store.saveSnapshot(sampleSnapshot(2, { git: { commit: "c0ffee1", branch: "feature/x", dirty: true, tree: "7ree1" } }));
      const c = await store.saveSnapshot(sampleSnapshot(3));
      expect((await store.listSnapshots({ branch: "main" })).map((s) => s.id)).toEqual([c.id, a.id]);
      expect((await store.listSnapshots({ branch: "feature/x" })).map((s) => s.id)).toEqual([b.id]);
      expect((await store.listSnapshots({ commit: "c0ffee1" })).map((s) => s.id)).toEqual([b.id, a.id]);
      expect((await store.listSnapshots({ beforeId: c.id, limit: 1 })).map((s) => s.id)).toEqual([b.id]);
      expect((await store.listSnapshots({ branch: "main", beforeId: c.id })).map((s) => s.id)).toEqual([a.id]);
      expect(await store.listSnapshots({ branch: "nope" })).toEqual([]);
      await store.close();
    });

    it("stores what each snapshot measured, so re-runs on the same inputs can be skipped", async () => {
      const store = await open();
      const a = await store.saveSnapshot(sampleSnapshot(1));
      // Same commit, reports (in another order) and config: the same inputs, whatever the results say.
      const b = await store.saveSnapshot(sampleSnapshot(2, { git: a.git, sources: [...sampleSnapshot(1).sources].reverse() }));
      const c = await store.saveSnapshot(sampleSnapshot(3));
      expect(a.inputsHash).toMatch(/^[0-9a-f]{64}$/);
      expect(b.inputsHash).toBe(a.inputsHash);
      expect(c.inputsHash).not.toBe(a.inputsHash); // another commit
      expect((await store.listSnapshots({ inputsDifferFrom: a.inputsHash! })).map((s) => s.id)).toEqual([c.id]);
      expect((await store.listSnapshots({ beforeId: c.id, inputsDifferFrom: c.inputsHash! })).map((s) => s.id)).toEqual([b.id, a.id]);
      await store.close();
    });

    it("writes a snapshot's own events in its transaction, with the snapshot as subject", async () => {
      const store = await open();
      const saved = await store.saveSnapshot(sampleSnapshot(1, { events: [{ type: "alert", data: { metric: "score" } }] }));
      const alerts = await store.listEvents({ type: "alert" });
      expect(alerts).toEqual([expect.objectContaining({ type: "alert", subject: `snapshot:${saved.id}`, data: { metric: "score" } })]);
      const broken = sampleSnapshot(2, { events: [{ type: "alert", data: { metric: "coverage.lines" } }] });
      broken.tests = [...broken.tests, { ...broken.tests[0]!, testId: "x", sourceIndex: 9 }];
      await expect(store.saveSnapshot(broken)).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
      expect(await store.listEvents({ type: "alert" })).toHaveLength(1);
      await store.close();
    });

    it("names snapshots as baselines, moves a name, and refuses an unknown snapshot", async () => {
      const store = await open();
      const a = await store.saveSnapshot(sampleSnapshot(1));
      const b = await store.saveSnapshot(sampleSnapshot(2));
      expect(await store.getBaseline("release")).toBeUndefined();
      expect(await store.setBaseline("release", a.id, "2026-11-01T00:00:00.000Z")).toEqual({ name: "release", snapshotId: a.id, setAt: "2026-11-01T00:00:00.000Z" });
      await store.setBaseline("main", b.id, AT);
      await store.setBaseline("release", b.id, "2026-11-02T00:00:00.000Z");
      expect(await store.getBaseline("release")).toEqual({ name: "release", snapshotId: b.id, setAt: "2026-11-02T00:00:00.000Z" });
      expect((await store.listBaselines()).map((x) => x.name)).toEqual(["main", "release"]);
      await expect(store.setBaseline("ghost", b.id + 100, AT)).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await store.getBaseline("ghost")).toBeUndefined();
      expect((await store.listEvents({ type: "baseline.set" })).map((e) => e.subject)).toEqual(["release", "main", "release"]);
      await store.close();
    });

    it("rejects calls after close with STORE_UNAVAILABLE", async () => {
      const store = await open();
      await store.close();
      await expect(store.listSnapshots()).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    });

    describe("plan and tasks", () => {
      it("imports a plan: its tasks pending in plan order, the plan and a plan.imported event stored", async () => {
        const store = await open();
        expect(await store.getPlan()).toBeUndefined();
        expect(await store.listTasks()).toEqual([]);
        const plan = planImport("h1", [planTask("T2", { dependsOn: ["T1"], priority: "P0", slack: 1.5, owner: "bob" }), planTask("T1")]);
        const { plan: stored, changed } = await store.importPlan(plan, "2026-11-01T00:00:00.000Z");
        expect(changed).toBe(true);
        expect(stored).toEqual({ id: stored.id, hash: "h1", source: "shipgate.plan.yaml", importedAt: "2026-11-01T00:00:00.000Z", content: plan.content });
        expect(await store.getPlan()).toEqual(stored);
        expect(await store.getPlan({ content: false })).toEqual({ ...stored, content: null });
        const fresh = { state: "pending", claimedBy: null, attempts: 0, note: null, removed: false, leaseEpoch: 0, updatedAt: "2026-11-01T00:00:00.000Z" };
        expect(await store.listTasks()).toEqual([{ ...plan.tasks[0], ...fresh }, { ...plan.tasks[1], ...fresh }]);
        expect(await store.getTask("T2")).toEqual({ ...plan.tasks[0], ...fresh });
        expect(await store.getTask("nope")).toBeUndefined();
        expect(await store.listEvents({ type: "plan.imported" })).toEqual([
          expect.objectContaining({ subject: String(stored.id), at: "2026-11-01T00:00:00.000Z", data: { hash: "h1", source: "shipgate.plan.yaml", tasks: 2, added: 2, updated: 0, removed: 0 } }),
        ]);
        await store.close();
      });

      it("writes nothing when the plan's hash is the latest one's (no plan row, no event, states untouched)", async () => {
        const store = await open();
        const first = await store.importPlan(planImport("h1", [planTask("T1")]), "2026-11-01T00:00:00.000Z");
        await store.transitionTask("T1", "in_progress", { agent: "alice" }, AT);
        const events = await store.listEvents();
        const again = await store.importPlan(planImport("h1", [planTask("T1", { title: "edited" }), planTask("T2")]), "2026-11-02T00:00:00.000Z");
        expect(again).toEqual({ plan: first.plan, changed: false });
        expect(await store.getPlan()).toEqual(first.plan);
        expect(await store.listEvents()).toEqual(events);
        expect(await store.listTasks()).toEqual([expect.objectContaining({ id: "T1", title: "Task T1", state: "in_progress" })]);
        await store.close();
      });

      it("lists every plan import oldest first by its time (then id), from inclusive, to exclusive, content only when asked", async () => {
        const store = await open();
        expect(await store.listPlans()).toEqual([]);
        const imports = [
          ["h1", "2026-11-01T00:00:00.000Z", [planTask("T1")]],
          ["h2", "2026-11-03T00:00:00.000Z", [planTask("T1"), planTask("T2")]],
          // Imported after h2 with an earlier time (a replayed clock): it sorts by its time.
          ["h3", "2026-11-02T00:00:00.000Z", [planTask("T2")]],
          // The same time as h2: the later import sorts after it.
          ["h4", "2026-11-03T00:00:00.000Z", [planTask("T3")]],
        ] as const;
        const stored = [];
        for (const [hash, at, tasks] of imports) stored.push((await store.importPlan(planImport(hash, [...tasks]), at)).plan);
        // An unchanged file writes no plan row, so it lists no import.
        await store.importPlan(planImport("h4", [planTask("T3")]), "2026-11-04T00:00:00.000Z");
        const [h1, h2, h3, h4] = stored as [StoredPlan, StoredPlan, StoredPlan, StoredPlan];
        expect(await store.listPlans()).toEqual([h1, h3, h2, h4]);
        expect(h2.content).toEqual({ version: 1, tasks: ["T1", "T2"] });
        expect(await store.listPlans({ from: "2026-11-02T00:00:00.000Z" })).toEqual([h3, h2, h4]);
        expect(await store.listPlans({ to: "2026-11-03T00:00:00.000Z" })).toEqual([h1, h3]);
        expect(await store.listPlans({ from: "2026-11-02T00:00:00.000Z", to: "2026-11-03T00:00:00.000Z" })).toEqual([h3]);
        expect(await store.listPlans({ from: "2026-11-03T00:00:00.000Z", to: "2026-11-03T00:00:00.000Z" })).toEqual([]);
        expect(await store.listPlans({ from: "2026-11-05T00:00:00.000Z" })).toEqual([]);
        expect(await store.listPlans({ content: false })).toEqual([h1, h3, h2, h4].map((p) => ({ ...p, content: null })));
        expect(await store.listPlans({ content: false, from: "2026-11-03T00:00:00.000Z" })).toEqual([{ ...h2, content: null }, { ...h4, content: null }]);
        expect(await store.listPlans({ content: true, to: "2026-11-02T00:00:00.000Z" })).toEqual([h1]);
        await store.close();
      });

      it("re-imports a changed plan keeping each task's state, claim, attempts and note; marks dropped tasks removed", async () => {
        const store = await open();
        await store.importPlan(planImport("h1", [planTask("T1"), planTask("T2"), planTask("T3"), planTask("T4")]), "2026-11-01T00:00:00.000Z");
        await store.transitionTask("T1", "in_progress", { agent: "alice" }, AT);
        await store.transitionTask("T1", "done", { agent: "alice", note: "shipped" }, AT);
        await store.transitionTask("T2", "blocked", { agent: "bob", note: "needs a key" }, AT);
        await store.transitionTask("T3", "in_progress", { agent: "carol" }, AT);
        const before = await store.getTask("T3");

        // T1 edited and moved, T2 unchanged (same position), T3 dropped, T4 moved up, T5 new.
        const next = planImport("h2", [planTask("T4"), planTask("T2"), planTask("T1", { title: "Renamed", owner: "dave", priority: "P0", slack: 2, dependsOn: ["T5"] }), planTask("T5")]);
        const { plan, changed } = await store.importPlan(next, "2026-11-02T00:00:00.000Z");
        expect(changed).toBe(true);
        expect((await store.getPlan())?.hash).toBe("h2");
        const tasks = await store.listTasks();
        expect(tasks.map((t) => [t.id, t.state, t.removed])).toEqual([
          ["T4", "pending", false], ["T2", "blocked", false], ["T1", "done", false], ["T5", "pending", false], ["T3", "in_progress", true],
        ]);
        expect(await store.getTask("T1")).toEqual({
          id: "T1", title: "Renamed", owner: "dave", priority: "P0", slack: 2, dependsOn: ["T5"], phase: "p1", maxAttempts: null,
          state: "done", claimedBy: "alice", attempts: 1, note: "shipped", removed: false, leaseEpoch: 0, updatedAt: "2026-11-02T00:00:00.000Z",
        });
        expect(await store.getTask("T2")).toMatchObject({ state: "blocked", claimedBy: null, note: "needs a key" });
        expect(await store.getTask("T3")).toEqual({ ...before, removed: true, updatedAt: "2026-11-02T00:00:00.000Z" });
        expect((await store.listEvents({ type: "plan.imported" })).at(-1)).toMatchObject({
          subject: String(plan.id), data: { hash: "h2", tasks: 4, added: 1, updated: 2, removed: 1 },
        });

        // A removed task that comes back is live again, with the state it had.
        await store.importPlan(planImport("h3", [planTask("T3"), planTask("T4")]), "2026-11-03T00:00:00.000Z");
        expect(await store.getTask("T3")).toMatchObject({ state: "in_progress", claimedBy: "carol", removed: false });
        expect((await store.listEvents({ type: "plan.imported" })).at(-1)?.data).toMatchObject({ added: 0, updated: 2, removed: 3 });
        await store.close();
      });

      it("holds a task back until every task of the phases its phase waits for is done (an empty phase in between included)", async () => {
        const store = await open();
        // p3 waits for p2 (no tasks) and, through it, for p1.
        await store.importPlan(planImport("h1", [planTask("A", { phase: "p1", owner: "a" }), planTask("B", { phase: "p1", owner: "a", priority: "P3" }), planTask("C", { phase: "p3", owner: "c", priority: "P0" })], { p2: ["p1"], p3: ["p1", "p2"] }), AT);
        expect(await claim(store, "c")).toBeUndefined();
        await expect(store.transitionTask("C", "in_progress", { agent: "c" }, AT)).rejects.toMatchObject({ code: "NOT_READY", message: "[task] C waits for phase p1 (2 tasks not done, e.g. A (pending))" });
        await store.transitionTask("A", "in_progress", { agent: "a" }, AT);
        await store.transitionTask("A", "done", { agent: "a" }, AT);
        expect(await claim(store, "c")).toBeUndefined();
        await store.transitionTask("B", "done", { agent: "a", force: true }, AT);
        expect(await claim(store, "c")).toMatchObject({ id: "C", state: "in_progress" });
        await store.close();
      });

      it("refuses a plan that lists one task id twice and writes nothing", async () => {
        const store = await open();
        await expect(store.importPlan(planImport("h1", [planTask("T1"), planTask("T2"), planTask("T1")]), AT)).rejects.toMatchObject({
          code: "PLAN_INVALID", message: "[store] the plan shipgate.plan.yaml lists task T1 twice",
        });
        expect(await store.getPlan()).toBeUndefined();
        expect(await store.listTasks()).toEqual([]);
        expect(await store.listEvents()).toEqual([]);
        await store.close();
      });

      it("claims ready tasks in the imported order (the plan order), not by priority or id, and writes task.started", async () => {
        const store = await open();
        // Imported in this order; priority and slack are data here, the plan order already used them.
        await store.importPlan(planImport("h1", [
          planTask("z", { priority: "P0", slack: 9 }),
          planTask("a10", { priority: "P1", slack: 0.5 }),
          planTask("c", { priority: "P2", slack: 0 }),
          planTask("d", { priority: "P3", slack: 0, owner: "bob" }),
          planTask("a2", { priority: "P1", slack: 0.5 }),
          planTask("b", { priority: "P1", slack: 4 }),
        ]), AT);
        const first = await claim(store, "alice");
        expect(first).toMatchObject({ id: "z", state: "in_progress", claimedBy: "alice", attempts: 1, note: null });
        expect(await store.getTask("z")).toEqual(first);
        const order = [first?.id];
        for (let task = await claim(store, "alice"); task; task = await claim(store, "alice")) order.push(task.id);
        // "d" is bob's and is left for him.
        expect(order).toEqual(["z", "a10", "c", "a2", "b"]);
        expect(await claim(store, "alice", { ownedOnly: false })).toMatchObject({ id: "d", claimedBy: "alice" });
        expect(await claim(store, "bob")).toBeUndefined();
        const started = await store.listEvents({ type: "task.started" });
        expect(started.map((e) => e.subject)).toEqual(["z", "a10", "c", "a2", "b", "d"]);
        expect(started[0]?.data).toEqual({ from: "pending", to: "in_progress", agent: "alice", note: null, force: false, run: 1 });
        await store.close();
      });

      it("lists the ready tasks of every owner in claim order, what successive claims would take, up to a limit", async () => {
        const store = await open();
        await store.importPlan(planImport("h1", [
          planTask("a", { phase: "build" }),
          planTask("b", { owner: "bob", phase: "build" }),
          planTask("c", { dependsOn: ["a"], phase: "build" }),
          planTask("d", { phase: "ship" }),
          planTask("e", { owner: "bob", phase: "build", maxAttempts: 1 }),
          planTask("f", { phase: "build" }),
        ], { ship: ["build"] }), AT);
        await store.transitionTask("f", "blocked", { agent: "alice", note: "no access" }, AT);
        expect((await store.listReadyTasks(10)).map((t) => t.id)).toEqual(["a", "b", "e"]);
        expect((await store.listReadyTasks(2)).map((t) => t.id)).toEqual(["a", "b"]);
        // e fails its only attempt (the dead letter); a is done: c becomes ready, d still waits for phase build.
        await store.transitionTask("e", "in_progress", { agent: "bob" }, AT);
        await store.transitionTask("e", "failed", { agent: "bob", note: "broke" }, AT);
        await store.transitionTask("a", "done", { agent: "alice", force: true }, AT);
        expect((await store.listReadyTasks(10)).map((t) => t.id)).toEqual(["b", "c"]);
        await expect(store.listReadyTasks(0)).rejects.toMatchObject({ code: "USAGE" });
        await store.close();
      });

      it("claims in the new order after a re-import reorders the tasks", async () => {
        const store = await open();
        await store.importPlan(planImport("h1", [planTask("A"), planTask("B"), planTask("C")]), AT);
        await store.importPlan(planImport("h2", [planTask("C"), planTask("A"), planTask("B")]), AT);
        expect(await store.nextTask("alice")).toMatchObject({ id: "C" });
        expect((await store.listTasks()).map((t) => t.id)).toEqual(["C", "A", "B"]);
        await store.close();
      });

      it("claims only ready tasks: dependencies done, never removed or blocked, failed ones retried", async () => {
        const store = await open();
        await store.importPlan(planImport("h1", [planTask("gone", { priority: "P0" }), planTask("T1"), planTask("T2", { dependsOn: ["T1"] })]), AT);
        await store.importPlan(planImport("h2", [planTask("T1", { priority: "P2" }), planTask("T2", { dependsOn: ["T1"], priority: "P0" }), planTask("held", { priority: "P0" })]), AT);
        await store.transitionTask("held", "blocked", { agent: "bob", note: "waiting for access" }, AT);
        // "gone" is removed, "held" blocked, T2 waits for T1.
        const t1 = await claim(store, "alice");
        expect(t1?.id).toBe("T1");
        expect(await claim(store, "alice")).toBeUndefined();
        await store.transitionTask("T1", "failed", { agent: "alice", note: "tests fail" }, AT);
        expect(await claim(store, "alice")).toMatchObject({ id: "T1", attempts: 2, claimedBy: "alice", note: null });
        expect((await store.listEvents({ type: "task.started" })).at(-1)?.data).toMatchObject({ from: "failed", to: "in_progress" });
        await store.transitionTask("T1", "done", { agent: "alice" }, AT);
        expect(await claim(store, "alice")).toMatchObject({ id: "T2", attempts: 1 });
        expect(await claim(store, "alice")).toBeUndefined();
        expect(await store.getTask("gone")).toMatchObject({ state: "pending", removed: true, attempts: 0 });
        expect(await store.getTask("held")).toMatchObject({ state: "blocked", attempts: 0 });
        await store.close();
      });

      it("allows exactly the moves of the state machine, writing one task.<state> event per move", async () => {
        const store = await open();
        const cases = STATES.flatMap((from) => STATES.flatMap((to) => [false, true].map((force) => ({ id: `${from}-${to}${force ? "-force" : ""}`, from, to, force }))));
        await store.importPlan(planImport("h1", cases.map((c) => planTask(c.id))), AT);
        for (const c of cases) await putIn(store, c.id, c.from);

        const outcomes: string[] = [];
        for (const c of cases) {
          const allowed = ALLOWED[c.from].includes(c.to) || (c.force && c.to === "done" && FORCED_DONE.includes(c.from));
          const eventsBefore = await store.listEvents();
          const move = store.transitionTask(c.id, c.to, { agent: "erin", note: `note ${c.id}`, force: c.force }, "2026-11-05T00:00:00.000Z");
          if (allowed) {
            const task = await move;
            expect(task).toEqual(await store.getTask(c.id));
            expect(task).toMatchObject({ state: c.to, note: `note ${c.id}`, updatedAt: "2026-11-05T00:00:00.000Z" });
            const added = (await store.listEvents()).slice(eventsBefore.length);
            expect(added).toEqual([
              expect.objectContaining({ type: startedType(c.to), subject: c.id, at: "2026-11-05T00:00:00.000Z", data: { from: c.from, to: c.to, agent: "erin", note: `note ${c.id}`, force: c.force } }),
            ]);
            outcomes.push(`${c.id}: ok`);
          } else {
            const held = c.from === "in_progress" ? " (held by setup)" : "";
            await expect(move, c.id).rejects.toMatchObject({ code: "INVALID_TRANSITION", message: `[task] ${c.id} is ${c.from}${held}; it cannot become ${c.to}` });
            expect(await store.getTask(c.id), c.id).toMatchObject({ state: c.from });
            expect(await store.listEvents(), c.id).toHaveLength(eventsBefore.length);
          }
        }
        // The table above, counted: 10 moves without force, 3 more with it (pending, failed, blocked → done).
        expect(outcomes).toHaveLength(10 * 2 + 3);
        await store.close();
      });

      it("keeps claimedBy and attempts through moves: set on start, cleared on back-to-pending (attempts back to 0: a reset)", async () => {
        const store = await open();
        await store.importPlan(planImport("h1", [planTask("T1"), planTask("T2")]), AT);
        expect(await store.transitionTask("T1", "in_progress", { agent: "alice" }, AT)).toMatchObject({ claimedBy: "alice", attempts: 1, note: null });
        expect(await store.transitionTask("T1", "blocked", { agent: "alice", note: "needs review" }, AT)).toMatchObject({ state: "blocked", claimedBy: "alice", note: "needs review" });
        expect(await store.transitionTask("T1", "pending", { agent: null }, AT)).toMatchObject({ state: "pending", claimedBy: null, attempts: 0, note: null });
        expect(await store.transitionTask("T1", "in_progress", { agent: "bob" }, AT)).toMatchObject({ claimedBy: "bob", attempts: 1 });
        expect(await store.transitionTask("T2", "done", { agent: null, force: true }, AT)).toMatchObject({ state: "done", claimedBy: null, attempts: 0 });
        expect((await store.listEvents({ type: "task.pending" }))[0]?.data).toEqual({ from: "blocked", to: "pending", agent: null, note: null, force: false });
        await store.close();
      });

      it("refuses to start a task whose dependencies are not done, naming each (NOT_READY), and writes nothing", async () => {
        const store = await open();
        await store.importPlan(planImport("h1", [planTask("T1"), planTask("T2"), planTask("T0"), planTask("T3", { dependsOn: ["T0", "T1", "T2"] })]), AT);
        await store.transitionTask("T0", "done", { agent: null, force: true }, AT);
        await store.transitionTask("T2", "in_progress", { agent: "bob" }, AT);
        const events = await store.listEvents();
        await expect(store.transitionTask("T3", "in_progress", { agent: "alice" }, AT)).rejects.toMatchObject({
          code: "NOT_READY", message: "[task] T3 waits for T1 (pending), T2 (in_progress)",
        });
        expect(await store.getTask("T3")).toMatchObject({ state: "pending", attempts: 0, claimedBy: null });
        expect(await store.listEvents()).toEqual(events);
        // Forcing done skips the dependency check; start does not.
        await store.transitionTask("T1", "done", { agent: null, force: true }, AT);
        await store.transitionTask("T2", "done", { agent: "bob" }, AT);
        expect(await store.transitionTask("T3", "in_progress", { agent: "alice" }, AT)).toMatchObject({ state: "in_progress", claimedBy: "alice" });
        await store.close();
      });

      it("lets one of two starts of the same task win; the other learns who holds it", async () => {
        const store = await open();
        await store.importPlan(planImport("h1", [planTask("T1")]), AT);
        const results = await Promise.allSettled([
          store.transitionTask("T1", "in_progress", { agent: "alice" }, AT),
          store.transitionTask("T1", "in_progress", { agent: "bob" }, AT),
        ]);
        const won = results.filter((r) => r.status === "fulfilled");
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        const holder = (await store.getTask("T1"))?.claimedBy;
        expect(lost[0]?.reason).toMatchObject({ code: "INVALID_TRANSITION", message: `[task] T1 is in_progress (held by ${holder}); it cannot become in_progress` });
        expect(await store.listEvents({ type: "task.started" })).toHaveLength(1);
        await store.close();
      });

      it("regression: refuses a move when the claimer changed since the caller looked (done recorded another agent's task after a slow acceptance)", async () => {
        const store = await open();
        await store.importPlan(planImport("h1", [planTask("T1")]), AT);
        await store.transitionTask("T1", "in_progress", { agent: "a" }, AT);
        // While a's acceptance runs, b fails the task and takes it.
        await store.transitionTask("T1", "failed", { agent: "b", note: "stuck", expectHolder: "a" }, AT);
        await store.transitionTask("T1", "in_progress", { agent: "b" }, AT);
        await expect(store.transitionTask("T1", "done", { agent: "a", expectHolder: "a" }, AT)).rejects.toMatchObject({
          code: "INVALID_TRANSITION",
          message: "[task] T1 is now held by b, not a as when this move began; it cannot become done",
        });
        expect(await store.getTask("T1")).toMatchObject({ state: "in_progress", claimedBy: "b" });
        await store.close();
      });

      it("refuses unknown tasks (NOT_FOUND), removed tasks (INVALID_TRANSITION) and explains what a state allows", async () => {
        const store = await open();
        await store.importPlan(planImport("h1", [planTask("T1"), planTask("T2")]), AT);
        await store.importPlan(planImport("h2", [planTask("T1")]), AT);
        await expect(store.transitionTask("T9", "done", { agent: null }, AT)).rejects.toMatchObject({ code: "NOT_FOUND" });
        await expect(store.transitionTask("T2", "in_progress", { agent: "alice" }, AT)).rejects.toMatchObject({
          code: "INVALID_TRANSITION", message: "[task] T2 was removed from the plan; it cannot become in_progress",
        });
        await expect(store.transitionTask("T1", "failed", { agent: "alice" }, AT)).rejects.toMatchObject({
          hint: "from pending a task can become in_progress, blocked, done (with force)",
        });
        await store.transitionTask("T1", "done", { agent: null, force: true }, AT);
        await expect(store.transitionTask("T1", "in_progress", { agent: "alice" }, AT)).rejects.toMatchObject({
          message: "[task] T1 is done; it cannot become in_progress", hint: "done is final",
        });
        await store.close();
      });
    });

    testRunContract(open);

    if (reopen) {
      it("keeps history across reopening (migrations run once)", async () => {
        const store = await open();
        const saved = await store.saveSnapshot(sampleSnapshot(1));
        await store.close();
        const again = await reopen(store);
        expect((await again.listSnapshots()).map((s) => s.id)).toEqual([saved.id]);
        expect(await again.getTestResults(saved.id)).toHaveLength(2);
        await again.close();
      });

      it("watchEvents, where the driver offers it (PostgreSQL; SQLite is polled), hints after every kind of write that appends events through another handle, and stops when told", async () => {
        const store = await open();
        if (!store.watchEvents) {
          expect(store.driver).toBe("sqlite");
          await store.close();
          return;
        }
        const writer = await reopen(store);
        const hints: (number | undefined)[] = [];
        let highest = 0;
        let waiting: { id: number; done: () => void } | undefined;
        const stop = store.watchEvents((lastId) => {
          hints.push(lastId);
          highest = Math.max(highest, lastId ?? 0);
          if (waiting && highest >= waiting.id) waiting.done();
        });
        /** Resolves once a hint named `id` or a later one (maybe already); the test's timeout bounds the wait. */
        const hinted = (id: number) => new Promise<void>((done) => (highest >= id ? done() : (waiting = { id, done })));
        const newest = async () => (await writer.listEvents()).at(-1)!.id;
        try {
          // The first hint says the watch is in place (and that the reader should catch up).
          while (!hints.includes(undefined)) await new Promise((r) => setTimeout(r, 10));
          const writes: (() => Promise<unknown>)[] = [
            () => writer.appendEvent({ type: "alert", at: AT }),
            () => writer.saveSnapshot(sampleSnapshot(1)),
            () => writer.importPlan(planImport("h1", [planTask("T1"), planTask("T2")]), AT),
            () => writer.claimTask({ agent: "alice", at: AT, leaseMs: 60_000 }),
            () => writer.transitionTask("T2", "blocked", { agent: "bob" }, AT),
          ];
          for (const write of writes) {
            await write();
            await hinted(await newest());
          }
          // Stopped: a write another watch (in place before it) is told about gives the stopped one no hint.
          let otherReady!: () => void;
          let otherSaw!: (id: number) => void;
          const ready = new Promise<void>((done) => (otherReady = done));
          const seen = new Promise<number>((done) => (otherSaw = done));
          const other = store.watchEvents((lastId) => (lastId === undefined ? otherReady() : otherSaw(lastId)));
          await ready;
          stop();
          const count = hints.length;
          const last = await writer.appendEvent({ type: "alert", at: AT });
          expect(await seen).toBe(last.id);
          other();
          expect(hints).toHaveLength(count);
        } finally {
          stop();
          await writer.close();
          await store.close();
        }
      });
    }
  });
}
