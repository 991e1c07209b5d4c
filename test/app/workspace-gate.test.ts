import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { checkWorkspaceGate } from "../../src/app/run/workspace-gate.js";
import { loadConfig } from "../../src/config/load-config.js";
import { openStore } from "../../src/store/open-store.js";
import { scratchRepo } from "../scratch-repo.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/ingest/junit/", import.meta.url));

// The collector is a real command that leaves a real report: it copies the vitest 4.1 JUnit report the workspace's
// REPORT file names (each task's change picks one), as a test runner would write it.
const CONFIG = `version: 1
docs:
  check: false
collectors:
  - name: tests
    command: 'mkdir -p reports && cp "${FIXTURES}$(cat REPORT)" reports/junit.xml'
    reports: [reports/junit.xml]
gates:
  task:
    conditions:
      - tests.failed == 0
      - tests.total >= 1
`;

/** A project on main with two task worktrees, as the dispatcher makes them: T1 leaves every test passing, T2 one failing. */
function project() {
  const repo = scratchRepo("workspace-gate-");
  repo.write({ "shipgate.yaml": CONFIG, REPORT: "vitest-4.1-each-all-pass.xml", ".gitignore": "reports/\n.shipgate/\n" });
  repo.commit("project");
  const worktree = (task: string) => {
    const dir = `${repo.dir}-${task}`;
    repo.git("worktree", "add", "-q", "-b", `shipgate/${task}`, dir, "main");
    return dir;
  };
  const t1 = worktree("T1");
  const t2 = worktree("T2");
  return { repo, t1, t2 };
}

const AT = "2026-12-01T09:00:00.000Z";

describe("checkWorkspaceGate", () => {
  it("measures a task's worktree with the config's collectors and judges the gate there: GO, then NO-GO naming the failing condition", async () => {
    const { repo, t1, t2 } = project();
    // T2's change makes one test fail (the report its runner writes says so).
    writeFileSync(join(t2, "REPORT"), "vitest-4.1-each-one-failing.xml");
    repo.git("-C", t2, "commit", "-q", "-am", "T2: break a case");

    const store = await openStore(undefined, { cwd: repo.dir, at: AT });
    try {
      const progress: string[] = [];
      const go = await checkWorkspaceGate({ root: t1, config: await loadConfig(join(t1, "shipgate.yaml"), { required: true, cwd: t1 }), gate: "task", store, at: AT, onProgress: (e) => progress.push(e.type) });
      expect(go).toMatchObject({ decision: "GO", summary: "2 conditions hold", failing: [] });
      expect(progress).toEqual(expect.arrayContaining(["collector-start", "collector-end", "report-end"]));

      const later = "2026-12-01T09:05:00.000Z";
      const noGo = await checkWorkspaceGate({ root: t2, config: await loadConfig(join(t2, "shipgate.yaml"), { required: true, cwd: t2 }), gate: "task", store, at: later });
      expect(noGo.decision).toBe("NO-GO");
      expect(noGo.summary).toBe("tests.failed == 0 (now 1)");
      expect(noGo.failing).toEqual([{ id: "tests.failed", condition: "tests.failed == 0", value: "1", missing: null }]);
      expect(noGo.result.conditions.find((c) => c.id === "tests.total")).toMatchObject({ value: 20, verdict: "pass" });

      // Each snapshot records the worktree it measured: its branch and commit, taken at the given time.
      const [second, first] = await store.listSnapshots();
      expect(first).toMatchObject({ id: go.snapshotId, takenAt: AT, git: { branch: "shipgate/T1", commit: repo.git("-C", t1, "rev-parse", "HEAD"), dirty: false } });
      expect(second).toMatchObject({ id: noGo.snapshotId, takenAt: later, git: { branch: "shipgate/T2", commit: repo.git("-C", t2, "rev-parse", "HEAD"), dirty: false } });
      expect((await store.listEvents({ type: "gate.evaluated" })).map((e) => (e.data as { verdict: string }).verdict)).toEqual(["GO", "NO-GO"]);
    } finally {
      await store.close();
    }
  });

  it("with the integration branch as baseline, a test the task broke is a regression; with the gate's own (previous on the task's branch) there is none to compare", async () => {
    const { repo, t2 } = project();
    writeFileSync(join(t2, "REPORT"), "vitest-4.1-each-one-failing.xml");
    repo.git("-C", t2, "commit", "-q", "-am", "T2: break a case");
    const store = await openStore(undefined, { cwd: repo.dir, at: AT });
    try {
      // The integration branch, measured: every test passes.
      const mainConfig = await loadConfig(join(repo.dir, "shipgate.yaml"), { required: true, cwd: repo.dir });
      expect((await checkWorkspaceGate({ root: repo.dir, config: mainConfig, gate: "release", store, at: AT })).result.snapshot.branch).toBe("main");
      const config = await loadConfig(join(t2, "shipgate.yaml"), { required: true, cwd: t2 });
      const regressed = (r: Awaited<ReturnType<typeof checkWorkspaceGate>>) => r.result.conditions.find((c) => c.id === "new:tests.regressed");
      const own = await checkWorkspaceGate({ root: t2, config, gate: "release", store, at: "2026-12-01T09:05:00.000Z" });
      expect(own.result.baseline).toMatchObject({ spec: "previous", snapshot: null });
      expect(regressed(own)).toMatchObject({ value: null, verdict: "pass" });
      const vsMain = await checkWorkspaceGate({ root: t2, config, gate: "release", store, at: "2026-12-01T09:10:00.000Z", baseline: "branch:main" });
      expect(vsMain.result.baseline).toMatchObject({ spec: "branch:main", snapshot: { branch: "main" } });
      expect(regressed(vsMain)).toMatchObject({ value: 1, verdict: "fail" });
      expect(vsMain.summary).toMatch(/^tests\.failed == 0 \(now 1\), new:tests\.regressed == 0 \(now 1\)/);
      await expect(checkWorkspaceGate({ root: t2, config, gate: "release", store, at: AT, baseline: "branch:" })).rejects.toMatchObject({ code: "USAGE" });
    } finally {
      await store.close();
    }
  });

  it("refuses a gate shipgate.yaml does not define, naming the gates that exist, before any collector runs", async () => {
    const { repo, t1 } = project();
    const store = await openStore(undefined, { cwd: repo.dir, at: AT });
    try {
      const config = await loadConfig(join(t1, "shipgate.yaml"), { required: true, cwd: t1 });
      const refused = checkWorkspaceGate({ root: t1, config, gate: "ship", store, at: AT });
      await expect(refused).rejects.toMatchObject({
        code: "CONFIG_INVALID",
        message: '[run] the gate every task must pass, "ship", is not defined in shipgate.yaml; gates: release, new-code, task',
        hint: "define it under gates: in shipgate.yaml (docs/gates.md), or name one of those as the plan's execution.gate",
      });
      expect(await store.listSnapshots()).toEqual([]);
      expect(existsSync(join(t1, "reports"))).toBe(false);
    } finally {
      await store.close();
    }
  });
});
