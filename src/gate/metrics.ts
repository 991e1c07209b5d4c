import type { AssessSummary } from "../snapshot/summary.js";
import { metricNames } from "../score/score.js";
import type { Scope } from "./types.js";

/** Metrics a gate condition may name beyond the score's own (score, tests.*, coverage.*, lint.*, …). */
const EXTRA_OVERALL = ["tests.passed", "tests.flaky", "coverage.functions", "coverage.statements", "findings", "security.sast"];

/** Metrics of the `new` scope: what is new since the baseline. */
export const NEW_METRICS: Record<string, string> = {
  "tests.failed": "tests failing now that did not fail in the baseline (flaky ones excluded)",
  "tests.regressed": "tests that passed in the baseline and fail now (flaky ones excluded)",
  findings: "open findings (errors and warnings) whose fingerprint is not in the baseline",
  "lint.errors": "new lint errors",
  "lint.warnings": "new lint warnings",
  type_errors: "new type errors",
  "security.sast": "new security-scan findings (errors and warnings)",
  "security.critical": "critical advisories not in the baseline",
  "security.high": "high advisories not in the baseline",
  "security.moderate": "moderate advisories not in the baseline",
  "security.low": "low advisories not in the baseline",
  "coverage.lines": "line coverage of the lines changed since the baseline's commit (%)",
  "coverage.uncovered_lines": "changed lines that no test ran",
};

/** Metrics whose bigger value is better (for deltas and alerts); every other metric is better smaller. */
export function higherIsBetter(metric: string): boolean {
  return metric === "score" || metric === "measured_weight" || metric === "tests.passed" || metric === "tests.total" || metric.startsWith("coverage.") || metric.startsWith("categories.");
}

/** Every metric a condition of `scope` may name. */
export function gateMetricNames(scope: Scope): string[] {
  if (scope === "new") return Object.keys(NEW_METRICS);
  return [...metricNames(), ...EXTRA_OVERALL];
}

/**
 * The overall metrics of a stored snapshot, read from its summary. Null is "no data": coverage that is
 * degraded has no value here, the same as in the score's level conditions.
 */
export function summaryMetrics(summary: AssessSummary): Record<string, number | null> {
  const t = summary.tests.status === "unknown" ? null : summary.tests;
  const c = summary.coverage.status === "ok" ? summary.coverage : null;
  const values: Record<string, number | null> = {
    score: summary.score,
    measured_weight: summary.measuredWeight,
    "tests.total": t?.total ?? null,
    "tests.passed": t?.passed ?? null,
    "tests.failed": t?.failed ?? null,
    "tests.errored": t?.errored ?? null,
    "tests.skipped": t?.skipped ?? null,
    "tests.flaky": t?.flaky ?? null,
    "coverage.lines": c?.lines ?? null,
    "coverage.branches": c?.branches ?? null,
    "coverage.functions": c?.functions ?? null,
    "coverage.statements": c?.statements ?? null,
    "lint.errors": summary.lint.errors,
    "lint.warnings": summary.lint.warnings,
    type_errors: summary.typeErrors,
    "security.critical": summary.security.critical,
    "security.high": summary.security.high,
    "security.moderate": summary.security.moderate,
    "security.low": summary.security.low,
    "security.sast": summary.security.sast ? summary.security.sast.errors + summary.security.sast.warnings : null,
    "docs.broken_links": summary.docs.brokenLinks,
    findings: summary.lint.errors === null && summary.typeErrors === null && summary.security.sast === null ? null : summary.findings.length,
  };
  for (const [id, category] of Object.entries(summary.categories)) values[`categories.${id}`] = category.score;
  return values;
}

/**
 * A stored summary with every section a gate or an alert reads, filled with "not measured" where an
 * older shipgate did not write it yet (snapshots taken before lint, security or docs were measured).
 */
export function normalizeSummary(raw: unknown): AssessSummary {
  const s = (raw ?? {}) as Partial<AssessSummary>;
  const tests: AssessSummary["tests"] = { status: "unknown", reasons: [], total: 0, passed: 0, failed: 0, errored: 0, skipped: 0, flaky: 0, durationMs: null, failing: [], slowest: [], evidence: [], ...s.tests };
  const coverage = { status: "unknown", reasons: [], lines: null, branches: null, functions: null, statements: null, ...s.coverage } as AssessSummary["coverage"];
  return {
    ...s,
    score: s.score ?? null,
    measuredWeight: s.measuredWeight ?? 0,
    tests,
    coverage,
    lint: s.lint ?? { errors: null, warnings: null, suppressed: 0, evidence: [] },
    typeErrors: s.typeErrors ?? null,
    security: s.security ?? { critical: null, high: null, moderate: null, low: null, sast: null, advisories: [], evidence: [] },
    docs: s.docs ?? { brokenLinks: null, files: null, links: null, broken: [] },
    categories: s.categories ?? ({} as AssessSummary["categories"]),
    findings: s.findings ?? [],
    alerts: s.alerts ?? [],
  } as AssessSummary;
}
