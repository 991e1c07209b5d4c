import { describe, expect, it } from "vitest";
import type { NewSnapshot, Store } from "../../src/store/types.js";

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
      expect(await store.getSnapshot(saved.id)).toEqual({ id: saved.id, takenAt: input.takenAt, git: input.git, configHash: "abc", summary: input.summary });
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
      const e1 = await store.appendEvent({ type: "task.started", subject: "T1", data: { agent: "claude" } });
      const e2 = await store.appendEvent({ type: "task.done", subject: "T1" });
      await store.saveSnapshot(sampleSnapshot(1));
      expect(e2.id).toBeGreaterThan(e1.id);
      const all = await store.listEvents();
      expect(all.map((e) => e.type)).toEqual(["task.started", "task.done", "snapshot.created"]);
      expect(all[0]).toMatchObject({ subject: "T1", data: { agent: "claude" } });
      expect((await store.listEvents({ type: "task.done" })).map((e) => e.id)).toEqual([e2.id]);
      expect((await store.listEvents({ afterId: e1.id, limit: 1 })).map((e) => e.id)).toEqual([e2.id]);
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
      await store.setBaseline("main", b.id);
      await store.setBaseline("release", b.id, "2026-11-02T00:00:00.000Z");
      expect(await store.getBaseline("release")).toEqual({ name: "release", snapshotId: b.id, setAt: "2026-11-02T00:00:00.000Z" });
      expect((await store.listBaselines()).map((x) => x.name)).toEqual(["main", "release"]);
      await expect(store.setBaseline("ghost", b.id + 100)).rejects.toMatchObject({ code: "NOT_FOUND" });
      expect(await store.getBaseline("ghost")).toBeUndefined();
      expect((await store.listEvents({ type: "baseline.set" })).map((e) => e.subject)).toEqual(["release", "main", "release"]);
      await store.close();
    });

    it("rejects calls after close with STORE_UNAVAILABLE", async () => {
      const store = await open();
      await store.close();
      await expect(store.listSnapshots()).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
    });

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
    }
  });
}
