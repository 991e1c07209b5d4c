import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runGate } from "../../src/app/run-gate.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { openStore } from "../../src/store/open-store.js";
import type { NewSnapshot, Store, TestResultRecord } from "../../src/store/types.js";

const root = mkdtempSync(join(tmpdir(), "shipgate-run-gate-"));
const config = parseConfig("version: 1\n", "shipgate.yaml");

/** A snapshot with one test `t` in the given status, on a branch; the summary only as much as a gate reads. */
function snapshot(n: number, branch: string, status: TestResultRecord["status"], dirty = false): NewSnapshot {
  const failed = status === "failed" ? 1 : 0;
  return {
    takenAt: `2026-11-${String(n).padStart(2, "0")}T10:00:00.000Z`,
    git: { commit: `c${n}`, branch, dirty, tree: null },
    configHash: null,
    // An old-shape summary: only tests and coverage, as the first shipgate stored them.
    summary: { schemaVersion: 1, tests: { status: "ok", total: 1, passed: 1 - failed, failed, errored: 0, skipped: 0, flaky: 0 }, coverage: { status: "unknown" } },
    sources: [{ path: "junit.xml", sha256: "a".repeat(64), bytes: 1, format: "junit", tool: null, collector: null }],
    facts: [],
    tests: [{ testId: "t.test.ts › t", file: "t.test.ts", suite: "", name: "t", status, durationMs: null, message: null, flaky: false, sourceIndex: 0 }],
    coverageFiles: [],
  };
}

async function storeWith(...snapshots: NewSnapshot[]): Promise<Store> {
  const store = await openStore(":memory:");
  for (const s of snapshots) await store.saveSnapshot(s);
  return store;
}

const gate = (store: Store, extra: Partial<Parameters<typeof runGate>[0]> = {}) => runGate({ root, store, config, gate: "release", today: "2026-11-22", ...extra });

describe("runGate: baselines and history stay on the snapshot's branch", () => {
  it("regression: another branch's failing snapshot in between does not make a real regression look flaky", async () => {
    const store = await storeWith(snapshot(1, "main", "passed"), snapshot(2, "feature/x", "failed"), snapshot(3, "main", "passed"), snapshot(4, "main", "failed"));
    const result = await gate(store);
    expect(result.baseline.snapshot?.id).toBe(3);
    expect(result.flaky).toEqual([]);
    expect(result.regressions.map((t) => t.id)).toEqual(["t.test.ts › t"]);
    expect(result.conditions.find((c) => c.id === "new:tests.regressed")).toMatchObject({ value: 1, verdict: "fail" });
    await store.close();
  });

  it("still calls a test flaky when the same commit of its own branch gave both results", async () => {
    const onCommit = (s: NewSnapshot, commit: string): NewSnapshot => ({ ...s, git: { ...s.git, commit } });
    const store = await storeWith(snapshot(1, "main", "passed"), onCommit(snapshot(2, "main", "failed"), "c9"), snapshot(3, "feature/x", "passed"), onCommit(snapshot(4, "main", "passed"), "c9"));
    const result = await gate(store);
    expect(result.flaky).toMatchObject([{ id: "t.test.ts › t", history: "P F P" }]);
    await store.close();
  });

  it("regression: flips over different commits are a regression each time, not flakiness (P F P F hid the last regression)", async () => {
    const store = await storeWith(snapshot(1, "main", "passed"), snapshot(2, "main", "failed"), snapshot(3, "main", "passed"), snapshot(4, "main", "failed"));
    const result = await gate(store);
    expect(result.flaky).toEqual([]);
    expect(result.regressions.map((t) => t.id)).toEqual(["t.test.ts › t"]);
    await store.close();
  });

  it("takes the newest clean snapshot of a branch before the judged one", async () => {
    const store = await storeWith(snapshot(1, "main", "passed"), snapshot(2, "main", "passed", true), snapshot(3, "feature/x", "failed"), snapshot(4, "main", "passed"));
    const result = await gate(store, { baseline: "branch:main", snapshotId: 3 });
    expect(result.baseline).toMatchObject({ spec: "branch:main", snapshot: { id: 1 } });
    await store.close();
  });

  it("regression: reads summaries stored by an older shipgate (no lint, security or docs sections) as not measured", async () => {
    const store = await storeWith(snapshot(1, "main", "passed"), snapshot(2, "main", "passed"));
    const result = await gate(store);
    expect(result.conditions.find((c) => c.id === "security.high")).toMatchObject({ value: null, verdict: "fail" });
    expect(result.conditions.find((c) => c.id === "tests.failed")).toMatchObject({ value: 0, verdict: "pass" });
    await store.close();
  });
});
