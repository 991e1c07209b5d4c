import type { ConditionResult, GateItem, GateResult } from "../../src/gate/types.js";

/** A condition result with the fields a renderer reads; the rest default to a met overall block condition. */
export function condition(fields: Partial<ConditionResult> & Pick<ConditionResult, "metric" | "verdict">): ConditionResult {
  const scope = fields.scope ?? "overall";
  return {
    id: scope === "overall" ? fields.metric : `${scope}:${fields.metric}`,
    op: ">=",
    threshold: 0,
    scope,
    severity: "block",
    whenMissing: "fail",
    description: null,
    value: 0,
    missing: null,
    met: fields.verdict === "pass",
    waiver: null,
    explanation: "",
    items: [],
    itemsTotal: fields.items?.length ?? 0,
    ...fields,
  };
}

export function item(fields: Partial<GateItem> & Pick<GateItem, "kind" | "ruleId" | "message" | "key">): GateItem {
  return { level: "error", file: null, line: null, endLine: null, tool: null, ...fields };
}

const snapshot = { id: 42, takenAt: "2026-03-14T09:26:53.000Z", commit: "9f1c2ab4d5e6f708192a3b4c5d6e7f8091a2b3c4", branch: "feature/cart" };
const baselineSnapshot = { id: 40, takenAt: "2026-03-12T17:02:11.000Z", commit: "1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d", branch: "main" };

/** The conditions of the NO-GO result, in config order. */
export const noGoConditions: ConditionResult[] = [
  // Failing, overall, with test items (one without a file).
  condition({
    metric: "tests.failed",
    op: "<=",
    threshold: 0,
    verdict: "fail",
    value: 2,
    met: false,
    explanation: "2 failing tests",
    items: [
      // As the evaluation writes them: shipgate's own rule, no tool, the file but no line.
      item({ kind: "test", ruleId: "test-failure", message: "cart > applies the discount failed: expected 90, got 100", file: "test/cart.test.ts", key: "test/cart.test.ts::cart > applies the discount" }),
      item({ kind: "test", ruleId: "test-failure", message: "smoke::checkout smoke errored: timed out after 5000 ms", key: "smoke::checkout smoke" }),
    ],
  }),
  // Failing, new scope, with an id of its own and two findings.
  condition({
    id: "no-new-lint-errors",
    metric: "findings.error",
    scope: "new",
    op: "<=",
    threshold: 0,
    verdict: "fail",
    value: 2,
    met: false,
    explanation: "2 findings not in the baseline",
    items: [
      item({ kind: "finding", ruleId: "no-unused-vars", message: "'total' is assigned a value but never used.", file: "src/cart.ts", line: 12, endLine: 12, key: "fp:eslint:no-unused-vars:src/cart.ts:5e1a", tool: "eslint" }),
      item({ kind: "finding", ruleId: "python.lang.security.audit.eval-detected", message: "Detected the use of eval().", file: "scripts/price rules.py", line: 7, endLine: 9, key: "fp:semgrep:eval:scripts/price rules.py:77c0", tool: "semgrep" }),
    ],
  }),
  // Failing coverage of changed lines, with uncovered-lines items.
  condition({
    metric: "coverage.lines",
    scope: "new",
    op: ">=",
    threshold: 80,
    verdict: "fail",
    value: 57.142857,
    met: false,
    explanation: "coverage of 14 changed lines",
    items: [
      item({ kind: "uncovered-lines", ruleId: "uncovered-changed-lines", level: "warning", message: "changed lines 30-34 are not covered by any test", file: "src/cart.ts", line: 30, endLine: 34, key: "src/cart.ts:30-34", tool: "shipgate" }),
      item({ kind: "uncovered-lines", ruleId: "uncovered-changed-lines", level: "warning", message: "changed line 8 is not covered by any test", file: "src/checkout/pay.ts", line: 8, endLine: 8, key: "src/checkout/pay.ts:8", tool: "shipgate" }),
    ],
  }),
  // A warning: not met, does not block.
  condition({
    metric: "docs.brokenLinks",
    op: "<=",
    threshold: 0,
    severity: "warn",
    verdict: "warn",
    value: 1,
    met: false,
    explanation: "1 broken link in the docs",
    items: [item({ kind: "broken-link", ruleId: "broken-link", level: "error", message: "link to ./docs/setup.md: no such file", file: "README.md", line: 14, key: "README.md:14:./docs/setup.md", tool: "shipgate" })],
  }),
  // Waived: would have failed.
  condition({
    metric: "advisories.high",
    op: "<=",
    threshold: 0,
    verdict: "waived",
    value: 1,
    met: false,
    waiver: { condition: "advisories.high", reason: "no fix released yet; not reachable from our code", owner: "alice", expires: "2026-04-30" },
    explanation: "1 high advisory",
    items: [item({ kind: "advisory", ruleId: "GHSA-xxxx-yyyy-zzzz", message: "lodash: prototype pollution", key: "GHSA-xxxx-yyyy-zzzz:lodash", tool: "npm-audit" })],
  }),
  // Passing.
  condition({ metric: "coverage.lines", op: ">=", threshold: 60, verdict: "pass", value: 81.3, met: true, explanation: "coverage of 1,204 lines" }),
  // No data, let through.
  condition({ metric: "coverage.lines", scope: "delta", op: ">=", threshold: 0, whenMissing: "pass", verdict: "pass", value: null, met: null, missing: "no baseline coverage", explanation: "coverage now − baseline" }),
  // Failing without items.
  condition({ metric: "score", op: ">=", threshold: 70, verdict: "fail", value: 62, met: false, explanation: "readiness score" }),
];

/** A realistic NO-GO: four failing conditions, a warning, a waiver, a pass and a pass without data. */
export const noGoResult: GateResult = {
  schemaVersion: 1,
  gate: "release",
  description: "What must hold before a release",
  verdict: "NO-GO",
  evaluatedOn: "2026-03-14",
  pathPrefix: "",
  snapshot,
  baseline: { spec: "branch:main", snapshot: baselineSnapshot, commit: baselineSnapshot.commit, missing: null },
  conditions: noGoConditions,
  regressions: [{ id: "test/cart.test.ts::cart > applies the discount", name: "cart > applies the discount", file: "test/cart.test.ts", status: "failed", message: "expected 90, got 100" }],
  flaky: [],
  changedLines: { base: baselineSnapshot.commit, files: 2, coverable: 14, covered: 8, uncovered: [{ file: "src/cart.ts", lines: "30-34" }, { file: "src/checkout/pay.ts", lines: "8" }], lineDetail: true, notInReport: [] },
  waivers: { applied: [{ condition: "advisories.high", reason: "no fix released yet; not reachable from our code", owner: "alice", expires: "2026-04-30" }], expired: [] },
  counts: { failed: 4, warned: 1, waived: 1, passed: 2 },
};

/** The names of the NO-GO conditions as the JUnit report and the other CI outputs write them. */
export const noGoNames = [
  "tests.failed <= 0",
  "new:findings.error <= 0 [no-new-lint-errors]",
  "new:coverage.lines >= 80",
  "docs.brokenLinks <= 0",
  "advisories.high <= 0",
  "coverage.lines >= 60",
  "delta:coverage.lines >= 0",
  "score >= 70",
];

/** Everything met. */
export const goResult: GateResult = {
  ...noGoResult,
  gate: "pr",
  description: null,
  verdict: "GO",
  baseline: { spec: "previous", snapshot: null, commit: null, missing: "the first snapshot has no previous one" },
  conditions: [
    condition({ metric: "tests.failed", op: "<=", threshold: 0, verdict: "pass", value: 0, met: true, explanation: "0 failing tests" }),
    condition({ metric: "coverage.lines", op: ">=", threshold: 60, verdict: "pass", value: 81.3, met: true, explanation: "coverage of 1,204 lines" }),
  ],
  regressions: [],
  changedLines: null,
  waivers: { applied: [], expired: [] },
  counts: { failed: 0, warned: 0, waived: 0, passed: 2 },
};

/** A one-condition result, for tests of one behaviour. */
export function resultWith(conditions: ConditionResult[], gate = "release"): GateResult {
  const count = (verdict: ConditionResult["verdict"]) => conditions.filter((c) => c.verdict === verdict).length;
  return {
    ...noGoResult,
    gate,
    verdict: conditions.some((c) => c.verdict === "fail") ? "NO-GO" : "GO",
    conditions,
    counts: { failed: count("fail"), warned: count("warn"), waived: count("waived"), passed: count("pass") },
  };
}
