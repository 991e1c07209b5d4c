import { describe, expect, it } from "vitest";
import type { AssessSummary } from "../../src/snapshot/summary.js";
import { conditionSpec, DEFAULT_GATES } from "../../src/gate/defaults.js";
import { evaluateGate, type GateFinding, type GateInput, type GateSnapshot } from "../../src/gate/evaluate.js";
import type { TestOutcome } from "../../src/gate/regressions.js";
import type { ConditionSpec, GateSpec } from "../../src/gate/types.js";

/** The parts of a stored summary a gate reads. */
function summary(over: { tests?: Partial<AssessSummary["tests"]> | null; coverage?: Partial<AssessSummary["coverage"]>; lint?: { errors: number | null; warnings: number | null }; typeErrors?: number | null; audit?: boolean; sast?: boolean; score?: number | null; broken?: AssessSummary["docs"]["broken"] } = {}): AssessSummary {
  const tests = over.tests === null
    ? { status: "unknown", total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0 }
    : { status: "ok", total: 10, passed: 10, failed: 0, errored: 0, skipped: 0, flaky: 0, ...over.tests };
  return {
    score: over.score === undefined ? 80 : over.score,
    measuredWeight: 1,
    tests,
    coverage: { status: "ok", lines: 75, branches: 60, functions: null, statements: null, reasons: [], ...over.coverage },
    lint: { errors: 0, warnings: 0, suppressed: 0, evidence: [], ...over.lint },
    typeErrors: over.typeErrors === undefined ? 0 : over.typeErrors,
    security: {
      critical: over.audit === false ? null : 0,
      high: over.audit === false ? null : 0,
      moderate: over.audit === false ? null : 0,
      low: over.audit === false ? null : 0,
      sast: over.sast ? { errors: 0, warnings: 0 } : null,
      advisories: [],
      evidence: [],
    },
    docs: { brokenLinks: over.broken ? over.broken.length : 0, files: 1, links: 1, broken: over.broken ?? [] },
    categories: { tests: { score: 100, weight: 25, explanation: "", checks: [] } },
    findings: [],
  } as unknown as AssessSummary;
}

const test = (id: string, status: TestOutcome["status"], flaky = false): TestOutcome => ({ testId: `t.test.ts › ${id}`, name: id, file: "t.test.ts", status, message: status === "failed" ? `${id} broke` : null, flaky });
const finding = (fingerprint: string, over: Partial<GateFinding> = {}): GateFinding => ({ fingerprint, tool: "eslint", kind: "lint", ruleId: "no-unused-vars", level: "error", message: `${fingerprint} unused`, file: "src/a.ts", line: 3, suppressed: false, source: "eslint:eslint", ...over });

let nextId = 1;
function snap(over: Partial<GateSnapshot> = {}): GateSnapshot {
  const id = nextId++;
  return { ref: { id, takenAt: "2026-11-20T10:00:00.000Z", commit: `c${id}`, branch: "main" }, dirty: false, summary: summary(), tests: [], findings: [], findingTools: ["eslint:eslint"], advisories: [], ...over };
}

function gate(conditions: ConditionSpec[], waivers: GateSpec["waivers"] = []): GateSpec {
  return { name: "g", description: null, baseline: { kind: "previous" }, conditions, waivers };
}

function run(spec: GateSpec, current: GateSnapshot, baseline: GateSnapshot | null, over: Partial<GateInput> = {}) {
  return evaluateGate({ spec, today: "2026-11-21", current, baseline, baselineMissing: baseline ? null : "no previous snapshot", baselineCommit: baseline?.ref.commit ?? null, history: [], changedLines: null, changedLinesMissing: null, ...over });
}

describe("evaluateGate: conditions", () => {
  it.each([
    ["coverage.lines", ">=", 60, "pass", 75],
    ["coverage.lines", ">=", 80, "fail", 75],
    ["coverage.lines", "<", 80, "pass", 75],
    ["coverage.lines", "<=", 75, "pass", 75],
    ["coverage.lines", ">", 75, "fail", 75],
    ["coverage.lines", "==", 75, "pass", 75],
    ["coverage.lines", "!=", 75, "fail", 75],
    ["score", ">=", 70, "pass", 80],
  ] as const)("%s %s %d → %s", (metric, op, threshold, verdict, value) => {
    const result = run(gate([conditionSpec({ metric, op, threshold })]), snap(), null);
    expect(result.conditions[0]).toMatchObject({ value, verdict, met: verdict === "pass" });
    expect(result.verdict).toBe(verdict === "pass" ? "GO" : "NO-GO");
  });

  it("fails a blocking condition without data and says why (a missing measure is never OK by default)", () => {
    const result = run(gate([conditionSpec({ metric: "security.high", op: "==", threshold: 0 })]), snap({ summary: summary({ audit: false }) }), null);
    expect(result.verdict).toBe("NO-GO");
    expect(result.conditions[0]).toMatchObject({ value: null, met: null, verdict: "fail", missing: "no dependency audit was read (npm audit, OSV-Scanner, pip-audit, cargo audit, govulncheck)" });
  });

  it("says a test report held no test case, not that none was read (an empty JUnit report was described as missing)", () => {
    const empty = summary({ tests: { status: "unknown", total: 0, passed: 0, reasons: ["the test reports contain no test case"] } });
    const result = run(gate([conditionSpec({ metric: "tests.failed", op: "==", threshold: 0 })]), snap({ summary: empty }), null);
    expect(result.conditions[0]).toMatchObject({ value: null, verdict: "fail", missing: "the test reports contain no test case" });
  });

  it("lets a missing measure pass only with when_missing: pass, and still reports no data", () => {
    const result = run(gate([conditionSpec({ metric: "security.high", op: "==", threshold: 0, whenMissing: "pass" })]), snap({ summary: summary({ audit: false }) }), null);
    expect(result.verdict).toBe("GO");
    expect(result.conditions[0]).toMatchObject({ value: null, verdict: "pass" });
    expect(result.conditions[0]?.explanation).toMatch(/^no data: .*\(when_missing: pass\)$/);
  });

  it("treats degraded coverage as no data", () => {
    const result = run(gate([conditionSpec({ metric: "coverage.lines", op: ">=", threshold: 10 })]), snap({ summary: summary({ coverage: { status: "degraded", reasons: ["paths did not resolve"] } }) }), null);
    expect(result.conditions[0]).toMatchObject({ value: null, verdict: "fail", missing: "coverage is degraded: paths did not resolve" });
  });

  it("reports a failing warn condition as warn and keeps the gate GO", () => {
    const result = run(gate([conditionSpec({ metric: "lint.warnings", op: "==", threshold: 0, severity: "warn" })]), snap({ summary: summary({ lint: { errors: 0, warnings: 3 } }) }), null);
    expect(result).toMatchObject({ verdict: "GO", counts: { warned: 1, failed: 0 } });
  });

  it("lists the failing tests, findings and broken links behind a failing overall condition", () => {
    const current = snap({
      summary: summary({ tests: { failed: 1 }, lint: { errors: 1, warnings: 0 }, broken: [{ file: "README.md", line: 4, target: "docs/x.md", reason: "file not found" }] }),
      tests: [test("ok", "passed"), test("bad", "failed")],
      findings: [finding("f1"), finding("f2", { suppressed: true }), finding("f3", { level: "note" })],
    });
    const result = run(gate([conditionSpec({ metric: "tests.failed", op: "==", threshold: 0 }), conditionSpec({ metric: "lint.errors", op: "==", threshold: 0 }), conditionSpec({ metric: "docs.broken_links", op: "==", threshold: 0 })]), current, null);
    expect(result.conditions.map((c) => c.items.map((i) => i.key))).toEqual([["t.test.ts › bad"], ["f1"], ["README.md:4:docs/x.md"]]);
    expect(result.conditions[0]?.items[0]).toMatchObject({ kind: "test", file: "t.test.ts", message: "bad failed: bad broke", level: "error" });
  });
});

describe("evaluateGate: new and delta scopes", () => {
  it("catches a regression by the test's stable identity and keeps it out of the flaky list", () => {
    const baseline = snap({ tests: [test("adds", "passed"), test("divides", "passed"), test("old-broken", "failed")] });
    const current = snap({ summary: summary({ tests: { failed: 3 } }), tests: [test("adds", "failed"), test("divides", "passed"), test("old-broken", "failed"), test("brand-new", "failed")] });
    const result = run(gate([conditionSpec({ metric: "tests.regressed", op: "==", threshold: 0, scope: "new" }), conditionSpec({ metric: "tests.failed", op: "==", threshold: 0, scope: "new" })]), current, baseline);
    expect(result.regressions.map((t) => t.id)).toEqual(["t.test.ts › adds"]);
    expect(result.conditions.map((c) => c.value)).toEqual([1, 2]);
    expect(result.conditions[1]?.items.map((i) => i.key)).toEqual(["t.test.ts › adds", "t.test.ts › brand-new"]);
    expect(result.flaky).toEqual([]);
  });

  it("marks a test flaky when it failed within the run's retries, and does not count it as a regression", () => {
    const baseline = snap({ tests: [test("retried", "passed")] });
    const current = snap({ tests: [test("retried", "failed", true)] });
    const result = run(gate([conditionSpec({ metric: "tests.regressed", op: "==", threshold: 0, scope: "new" })]), current, baseline);
    expect(result.regressions).toEqual([]);
    expect(result.flaky).toMatchObject([{ id: "t.test.ts › retried", reason: "retries" }]);
    expect(result.verdict).toBe("GO");
  });

  it("regression: a test broken, fixed and broken again while the code changed is a regression, not flaky (P P F P F over edits hid it)", () => {
    const history = [
      { commit: "a", dirty: false, outcomes: new Map([["t.test.ts › flip", "passed" as const]]) },
      { commit: "a", dirty: true, tree: "t1", outcomes: new Map([["t.test.ts › flip", "failed" as const]]) },
      { commit: "a", dirty: false, outcomes: new Map([["t.test.ts › flip", "passed" as const]]) },
    ];
    const baseline = snap({ tests: [test("flip", "passed")] });
    const current = snap({ ref: { id: 99, takenAt: "", commit: "a", branch: null }, dirty: true, tree: "t2", tests: [test("flip", "failed")] });
    const result = run(gate([conditionSpec({ metric: "tests.regressed", op: "==", threshold: 0, scope: "new" })]), current, baseline, { history });
    expect(result.flaky).toEqual([]);
    expect(result.regressions.map((t) => t.id)).toEqual(["t.test.ts › flip"]);
  });

  it("marks a test flaky when one working tree gave both results, and lists its history", () => {
    const history = [
      { commit: "a", dirty: true, tree: "t1", outcomes: new Map([["t.test.ts › x", "passed" as const]]) },
      { commit: "b", dirty: false, outcomes: new Map([["t.test.ts › x", "passed" as const]]) },
    ];
    const current = snap({ ref: { id: 99, takenAt: "", commit: "a", branch: null }, dirty: true, tree: "t1", tests: [test("x", "failed")] });
    const result = run(gate([conditionSpec({ metric: "tests.failed", op: ">=", threshold: 0 })]), current, null, { history });
    expect(result.flaky).toMatchObject([{ id: "t.test.ts › x", reason: "history", history: "P P F" }]);
  });

  it("does not call a test flaky for results on different commits (it passed, broke, was fixed and broke again)", () => {
    const history = ["a", "b", "c"].map((commit, i) => ({ commit, dirty: false, outcomes: new Map([["t.test.ts › flip", i % 2 === 0 ? ("passed" as const) : ("failed" as const)]]) }));
    const current = snap({ ref: { id: 99, takenAt: "", commit: "d", branch: null }, tests: [test("flip", "failed")] });
    expect(run(gate([conditionSpec({ metric: "tests.failed", op: ">=", threshold: 0 })]), current, null, { history }).flaky).toEqual([]);
  });

  it("marks a test flaky when the same clean commit gave both results", () => {
    const history = [{ commit: "same", dirty: false, outcomes: new Map([["t.test.ts › x", "passed" as const]]) }];
    const current = snap({ ref: { id: 99, takenAt: "", commit: "same", branch: null }, tests: [test("x", "failed")] });
    const result = run(gate([conditionSpec({ metric: "tests.failed", op: ">=", threshold: 0 })]), current, null, { history });
    expect(result.flaky.map((t) => t.id)).toEqual(["t.test.ts › x"]);
  });

  it("counts findings new by fingerprint, so a finding that only moved is not new", () => {
    const baseline = snap({ findings: [finding("kept", { line: 3 }), finding("fixed")] });
    const current = snap({ findings: [finding("kept", { line: 9 }), finding("fresh", { level: "warning" }), finding("ignored", { suppressed: true })] });
    const result = run(gate([conditionSpec({ metric: "findings", op: "==", threshold: 0, scope: "new" }), conditionSpec({ metric: "lint.errors", op: "==", threshold: 0, scope: "new" })]), current, baseline);
    expect(result.conditions.map((c) => [c.value, c.items.map((i) => i.key)])).toEqual([[1, ["fresh"]], [0, []]]);
  });

  it("does not call every finding new when the baseline never measured findings", () => {
    const baseline = snap({ summary: summary({ lint: { errors: null, warnings: null }, typeErrors: null }) });
    const current = snap({ findings: [finding("a")] });
    const result = run(gate([conditionSpec({ metric: "findings", op: "==", threshold: 0, scope: "new" })]), current, baseline);
    expect(result.conditions[0]).toMatchObject({ value: null, verdict: "fail" });
    expect(result.conditions[0]?.missing).toMatch(/baseline \(snapshot \d+\) has no report that measures findings/);
  });

  it("gives new and delta conditions no data without a baseline, with the reason", () => {
    const result = run(gate([conditionSpec({ metric: "coverage.lines", op: ">=", threshold: -0.5, scope: "delta" }), conditionSpec({ metric: "findings", op: "==", threshold: 0, scope: "new" })]), snap(), null);
    expect(result.conditions.map((c) => [c.verdict, c.missing])).toEqual([["fail", "no previous snapshot"], ["fail", "no previous snapshot"]]);
    expect(result.baseline).toMatchObject({ spec: "previous", snapshot: null, missing: "no previous snapshot" });
  });

  it("computes delta as now − baseline (a coverage drop of more than half a point fails)", () => {
    const baseline = snap({ summary: summary({ coverage: { lines: 80 }, score: 82.5 }) });
    const current = snap({ summary: summary({ coverage: { lines: 79.2 }, score: 82.5 }) });
    const result = run(gate([conditionSpec({ metric: "coverage.lines", op: ">=", threshold: -0.5, scope: "delta" }), conditionSpec({ metric: "score", op: ">=", threshold: 0, scope: "delta" })]), current, baseline);
    expect(result.conditions.map((c) => [c.value, c.verdict])).toEqual([[-0.8, "fail"], [0, "pass"]]);
    expect(result.conditions[0]?.explanation).toBe("80 in the baseline → 79.2 now");
  });

  it("measures coverage of changed lines and lists the uncovered ranges", () => {
    const changedLines = { base: "abc", files: 2, coverable: 8, covered: 6, uncovered: [{ file: "src/a.ts", lines: "4-5" }], lineDetail: true, notInReport: [] };
    const result = run(gate([conditionSpec({ metric: "coverage.lines", op: ">=", threshold: 80, scope: "new" }), conditionSpec({ metric: "coverage.uncovered_lines", op: "==", threshold: 0, scope: "new", severity: "warn" })]), snap(), snap(), { changedLines });
    expect(result.conditions.map((c) => [c.value, c.verdict])).toEqual([[75, "fail"], [2, "warn"]]);
    expect(result.conditions[0]?.items).toMatchObject([{ kind: "uncovered-lines", file: "src/a.ts", line: 4, endLine: 5, key: "src/a.ts:4-5" }]);
  });

  it("truncates changed-line coverage like every other coverage figure (rounding made 79.996 % pass >= 80)", () => {
    const changedLines = { base: "abc", files: 1, coverable: 25_000, covered: 19_999, uncovered: [{ file: "src/a.ts", lines: "1" }], lineDetail: true, notInReport: [] };
    const result = run(gate([conditionSpec({ metric: "coverage.lines", op: ">=", threshold: 80, scope: "new" })]), snap(), snap(), { changedLines });
    expect(result.conditions.map((c) => [c.value, c.verdict])).toEqual([[79.99, "fail"]]);
  });

  it("holds when no changed line is code the coverage report knows (a docs-only change), and says so", () => {
    const changedLines = { base: "abcdef1234567", files: 0, coverable: 0, covered: 0, uncovered: [], lineDetail: true, notInReport: ["README.md"] };
    const result = run(gate([conditionSpec({ metric: "coverage.lines", op: ">=", threshold: 80, scope: "new" })]), snap(), snap(), { changedLines });
    expect(result.conditions[0]).toMatchObject({ value: null, missing: null, verdict: "pass", explanation: "nothing to cover: no changed line since abcdef123456 is in the coverage report; changed files the coverage report does not list: README.md" });
  });

  it.each([
    ["no coverage report", { status: "unknown" }, true, "this snapshot has no coverage report"],
    ["degraded coverage", { status: "degraded", reasons: ["paths did not resolve"] }, true, "coverage is degraded: paths did not resolve"],
    ["no per-line data (istanbul summary)", {}, false, "the coverage reports have no per-line data"],
  ] as const)("regression: new-code coverage with %s is no data, not a silent GO", (_what, coverage, lineDetail, missing) => {
    const changedLines = { base: "abc", files: 0, coverable: 0, covered: 0, uncovered: [], lineDetail, notInReport: ["src/new.ts"] };
    const current = snap({ summary: summary({ coverage: coverage as Partial<AssessSummary["coverage"]> }) });
    const result = run(DEFAULT_GATES.find((g) => g.name === "new-code") as GateSpec, current, snap(), { changedLines });
    expect(result.conditions[0]).toMatchObject({ verdict: "fail", value: null });
    expect(result.conditions[0]?.missing).toContain(missing);
    expect(result.verdict).toBe("NO-GO");
  });

  it("regression: a tool that stopped reporting does not make its new findings disappear", () => {
    const baseline = snap({ findingTools: ["eslint:eslint", "tsc:tsc"] });
    const current = snap({ findingTools: ["tsc:tsc"], findings: [] });
    const result = run(gate([conditionSpec({ metric: "findings", op: "==", threshold: 0, scope: "new" })]), current, baseline);
    expect(result.conditions[0]).toMatchObject({ verdict: "fail", value: null });
    expect(result.conditions[0]?.missing).toMatch(/^eslint:eslint reported in the baseline \(snapshot \d+\) but not in this snapshot$/);
  });

  it("does not count the findings of a tool the baseline did not run as new, and says so", () => {
    const baseline = snap({ findingTools: ["eslint:eslint"] });
    const current = snap({ findingTools: ["eslint:eslint", "ruff:ruff"], findings: [finding("r1", { source: "ruff:ruff", tool: "ruff" }), finding("e1")] });
    const result = run(gate([conditionSpec({ metric: "findings", op: "==", threshold: 0, scope: "new" })]), current, baseline);
    expect(result.conditions[0]?.items.map((i) => i.key)).toEqual(["e1"]);
    expect(result.conditions[0]?.explanation).toContain("ruff:ruff did not run in the baseline");
  });
});

describe("evaluateGate: waivers", () => {
  const failing = () => snap({ summary: summary({ coverage: { lines: 50 } }) });
  const spec = (expires: string) => gate([conditionSpec({ metric: "coverage.lines", op: ">=", threshold: 60 })], [{ condition: "coverage.lines", reason: "legacy module, tests in PR 42", owner: "@alice", expires }]);

  it("applies an active waiver: the condition is waived and the gate GO", () => {
    const result = run(spec("2026-11-21"), failing(), null);
    expect(result).toMatchObject({ verdict: "GO", counts: { waived: 1 }, waivers: { applied: [{ owner: "@alice" }], expired: [] } });
    expect(result.conditions[0]).toMatchObject({ verdict: "waived", waiver: { expires: "2026-11-21" } });
  });

  it("stops applying a waiver after its expiry day and lists it as expired", () => {
    const result = run(spec("2026-11-20"), failing(), null);
    expect(result).toMatchObject({ verdict: "NO-GO", waivers: { applied: [], expired: [{ condition: "coverage.lines", expires: "2026-11-20" }] } });
    expect(result.conditions[0]?.verdict).toBe("fail");
  });

  it("does not mark a passing condition waived", () => {
    const result = run(spec("2027-01-01"), snap(), null);
    expect(result.conditions[0]?.verdict).toBe("pass");
    expect(result.waivers.applied).toEqual([]);
  });
});

describe("default gates", () => {
  it("ships release and new-code with the documented conditions", () => {
    expect(DEFAULT_GATES.map((g) => [g.name, g.conditions.map((c) => `${c.id} ${c.op} ${c.threshold}`)])).toMatchInlineSnapshot(`
      [
        [
          "release",
          [
            "tests.failed == 0",
            "tests.errored == 0",
            "new:tests.regressed == 0",
            "coverage.lines >= 60",
            "delta:coverage.lines >= 0",
            "docs.broken_links == 0",
            "security.critical == 0",
            "security.high == 0",
            "type_errors == 0",
          ],
        ],
        [
          "new-code",
          [
            "new:coverage.lines >= 80",
            "new:findings == 0",
          ],
        ],
      ]
    `);
  });

  it("new-code without a baseline is NO-GO, not a silent GO", () => {
    const newCode = DEFAULT_GATES.find((g) => g.name === "new-code") as GateSpec;
    const result = run(newCode, snap(), null);
    expect(result.verdict).toBe("NO-GO");
    expect(result.conditions.find((c) => c.id === "new:findings")?.missing).toBe("no previous snapshot");
  });
});
