import { ADVISORY_FORMATS } from "../ingest/types.js";
import type { ScoreSettings } from "../score/score.js";
import type { CoverageFileRecord, GitState, SourceRecord, TestResultRecord } from "../store/types.js";
import { pct } from "../score/percent.js";
import { computeReadiness, type SnapshotEvidence } from "./readiness.js";
import { METRICS, type AssessSummary, type CounterSummary, type CoverageEntry, type CoverageMetric, type FileCoverageEntry, type SignalStatus, type TestBrief } from "./types.js";

// The summary's types live in types.ts (readiness.ts reads them too); importers of summary.ts find them here as well.
export { METRICS, type Alert, type AssessSummary, type ComponentScore, type CounterSummary, type CoverageEntry, type CoverageMetric, type FileCoverageEntry, type SignalStatus, type TestBrief } from "./types.js";

export { pct } from "../score/percent.js";

const FAILING_LIMIT = 50;
const SLOWEST_LIMIT = 10;

export interface SummaryInput extends SnapshotEvidence {
  takenAt: string;
  git: GitState;
  configHash: string | null;
  packageOf: (path: string) => string;
  scoreSettings: ScoreSettings;
  resolveThreshold: number;
  collectors: AssessSummary["collectors"];
  diagnostics: AssessSummary["diagnostics"];
}

/** Pure: the summary of a snapshot's rows. Also used to re-render a stored snapshot. */
const FINDINGS_LIMIT = 200;
const SEVERITY_ORDER: Record<string, number> = { critical: 0, high: 1, moderate: 2, low: 3, info: 4 };

export function summarize(input: SummaryInput): AssessSummary {
  const tests = summarizeTests(input.tests, input.sources);
  const coverage = summarizeCoverage(input.coverageFiles, input.resolveThreshold, input.sources);
  const { overall, measured, components } = computeReadiness({
    sources: input.sources,
    tests: input.tests,
    coverageFiles: input.coverageFiles,
    findings: input.findings,
    advisories: input.advisories,
    repoFacts: input.repoFacts,
    docs: input.docs,
    testsSummary: tests,
    coverageSummary: coverage,
    packageOf: input.packageOf,
    settings: input.scoreSettings,
  });
  const lintSources = input.sources.map((s, i) => (["eslint", "ruff", "sarif"].includes(s.format) ? i : -1)).filter((i) => i >= 0);
  const auditSources = input.sources.map((s, i) => ((ADVISORY_FORMATS as readonly string[]).includes(s.format) ? i : -1)).filter((i) => i >= 0);
  const open = input.findings.filter((f) => !f.suppressed);
  return {
    schemaVersion: 1,
    snapshot: { id: null, takenAt: input.takenAt, git: input.git, configHash: input.configHash },
    score: overall.score,
    measuredWeight: overall.measuredWeight,
    level: overall.level.name,
    blockedBy: overall.level.blockedBy,
    nextLevel: overall.level.next,
    categories: Object.fromEntries(
      overall.categories.map((c) => [c.id, { score: c.score, weight: c.weight, explanation: c.explanation, checks: c.checks }]),
    ) as AssessSummary["categories"],
    components,
    lint: { errors: measured.lint?.errors ?? null, warnings: measured.lint?.warnings ?? null, suppressed: input.findings.length - open.length, evidence: lintSources },
    typeErrors: measured.typeErrors,
    security: {
      critical: measured.security?.critical ?? null,
      high: measured.security?.high ?? null,
      moderate: measured.security?.moderate ?? null,
      low: measured.security?.low ?? null,
      sast: measured.sast,
      advisories: [...input.advisories]
        .sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9))
        .map((a) => ({ id: a.advisoryId, package: a.package, severity: a.severity, title: a.title, url: a.url, source: a.sourceIndex })),
      evidence: auditSources,
    },
    docs: {
      brokenLinks: input.docs ? input.docs.broken.length : null,
      files: input.docs?.files ?? null,
      links: input.docs?.links ?? null,
      broken: input.docs?.broken.slice(0, 100) ?? [],
    },
    facts: input.repoFacts,
    findings: open
      .filter((f) => f.level !== "note")
      .slice(0, FINDINGS_LIMIT)
      .map((f) => ({ fingerprint: f.fingerprint, tool: f.tool, kind: f.kind, ruleId: f.ruleId, level: f.level, message: f.message, file: f.file, line: f.line, source: f.sourceIndex })),
    tests,
    coverage,
    sources: input.sources.map((s, i) => ({ ...s, tests: countBy(input.tests, i), coverageFiles: countBy(input.coverageFiles, i) })),
    collectors: input.collectors,
    diagnostics: [...input.diagnostics, ...testFilesInCoverage(input.coverageFiles)],
    alerts: [],
  };
}

function countBy(rows: readonly { sourceIndex: number }[], index: number): number {
  let n = 0;
  for (const row of rows) if (row.sourceIndex === index) n++;
  return n;
}

function brief(t: TestResultRecord): TestBrief {
  return { id: t.testId, name: t.name, file: t.file, status: t.status, durationMs: t.durationMs, message: t.message, source: t.sourceIndex };
}

function summarizeTests(tests: TestResultRecord[], sources: SourceRecord[]): AssessSummary["tests"] {
  const counts = { passed: 0, failed: 0, errored: 0, skipped: 0 };
  let flaky = 0;
  let duration = 0;
  let timed = false;
  for (const t of tests) {
    counts[t.status]++;
    if (t.flaky) flaky++;
    if (t.durationMs !== null) {
      duration += t.durationMs;
      timed = true;
    }
  }
  const evidence = [...new Set(tests.map((t) => t.sourceIndex))].sort((a, b) => a - b);
  const hadTestReports = sources.some((s) => s.format === "junit");
  const reasons: string[] = [];
  let status: SignalStatus = "ok";
  if (tests.length === 0) {
    status = "unknown";
    reasons.push(hadTestReports ? "the test reports contain no test case" : "no test report was read");
  }
  const slowest = tests
    .filter((t) => t.durationMs !== null)
    .sort((a, b) => (b.durationMs as number) - (a.durationMs as number))
    .slice(0, SLOWEST_LIMIT)
    .map(brief);
  return {
    status,
    reasons,
    total: tests.length,
    ...counts,
    flaky,
    durationMs: timed ? Math.round(duration * 1000) / 1000 : null,
    failing: tests.filter((t) => t.status === "failed" || t.status === "errored").slice(0, FAILING_LIMIT).map(brief),
    slowest,
    evidence,
  };
}

type Totals = Record<CoverageMetric, { covered: number; total: number; seen: boolean }>;

function emptyTotals(): Totals {
  return {
    lines: { covered: 0, total: 0, seen: false },
    branches: { covered: 0, total: 0, seen: false },
    functions: { covered: 0, total: 0, seen: false },
    statements: { covered: 0, total: 0, seen: false },
  };
}

/** Adds one file's figures, metric by metric, with named fields: one shape of access per call site (no keyed lookups). */
function add(totals: Totals, f: CoverageFileRecord): void {
  addFigures(totals.lines, f.linesCovered, f.linesTotal);
  addFigures(totals.branches, f.branchesCovered, f.branchesTotal);
  addFigures(totals.functions, f.functionsCovered, f.functionsTotal);
  addFigures(totals.statements, f.statementsCovered, f.statementsTotal);
}

function addFigures(t: Totals[CoverageMetric], covered: number | null, total: number | null): void {
  if (covered === null || total === null) return;
  t.covered += covered;
  t.total += total;
  t.seen = true;
}

const pctOf = (t: Totals[CoverageMetric]): number | null => (t.seen ? pct(t.covered, t.total) : null);

function entry(name: string, t: Totals): CoverageEntry {
  return { name, lines: pctOf(t.lines), branches: pctOf(t.branches), functions: pctOf(t.functions), statements: pctOf(t.statements) };
}

const COVERAGE_FORMATS = new Set(["lcov", "cobertura", "istanbul-summary", "istanbul-final", "coveragepy"]);

/** Test files by the names test runners look for (vitest/jest, pytest, go test) and the usual test folders. */
const TEST_FILE = /(^|\/)(__tests__|__mocks__|tests?|spec)\/|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)test_[^/]*\.py$|_test\.(py|go)$/;
/**
 * TEST_FILE.test, asked only of paths that can match: every alternative holds "test", "spec" or "__mocks__",
 * and two substring searches are cheaper than the regex on each of 20 000 covered paths (twice per assess).
 */
const isTestFile = (path: string): boolean => (path.includes("test") || path.includes("spec") || path.includes("__mocks__")) && TEST_FILE.test(path);

/** One file's line of `coverage.files`; also rebuilt from stored rows by `shipgate show`. */
export function fileCoverageEntry(f: CoverageFileRecord): FileCoverageEntry {
  return {
    name: f.path,
    lines: f.linesTotal === null || f.linesCovered === null ? null : pct(f.linesCovered, f.linesTotal),
    branches: f.branchesTotal === null || f.branchesCovered === null ? null : pct(f.branchesCovered, f.branchesTotal),
    functions: f.functionsTotal === null || f.functionsCovered === null ? null : pct(f.functionsCovered, f.functionsTotal),
    statements: f.statementsTotal === null || f.statementsCovered === null ? null : pct(f.statementsCovered, f.statementsTotal),
    package: f.package,
    resolved: f.resolved,
    source: f.sourceIndex,
  };
}

/**
 * Coverage that counts test files next to the code (Node's own coverage does; so does coverage.py with
 * `source = .`) is what the tool printed, but not the coverage of the code: say so, with the share.
 */
export function testFilesInCoverage(files: readonly CoverageFileRecord[]): AssessSummary["diagnostics"] {
  const tests = files.filter((f) => isTestFile(f.path));
  if (tests.length === 0 || tests.length === files.length) return [];
  const lines = (list: readonly CoverageFileRecord[]) => list.reduce((n, f) => n + (f.linesTotal ?? 0), 0);
  const all = lines(files);
  const share = all > 0 ? ` (${lines(tests)} of ${all} lines)` : "";
  return [
    {
      level: "warning",
      code: "coverage.includes-tests",
      message: `the coverage counts ${tests.length} test file(s) too${share}, e.g. ${tests[0]?.path ?? ""}: the figures include the tests themselves; leave them out in the tool's coverage settings (include/exclude) to measure the code alone`,
    },
  ];
}

/** Pure: the coverage section of a snapshot summary from its merged file rows (exported for tests). */
export function summarizeCoverage(files: CoverageFileRecord[], threshold: number, sources: readonly SourceRecord[]): AssessSummary["coverage"] {
  const overall = emptyTotals();
  const byPackage = new Map<string, Totals>();
  for (const f of files) {
    add(overall, f);
    let t = byPackage.get(f.package);
    if (!t) byPackage.set(f.package, (t = emptyTotals()));
    add(t, f);
  }
  const resolved = files.filter((f) => f.resolved).length;
  const share = files.length > 0 ? Math.round((resolved / files.length) * 10000) / 10000 : null;
  const reasons: string[] = [];
  let status: SignalStatus = "ok";
  if (files.length === 0) {
    status = "unknown";
    reasons.push("no coverage report was read");
  } else if (share !== null && share < threshold) {
    status = "degraded";
    reasons.push(
      `only ${resolved} of ${files.length} covered paths (${(share * 100).toFixed(1)} %) match a repository file (threshold ${(threshold * 100).toFixed(0)} %): the report may come from another checkout or be relative to another directory`,
    );
  }
  const tests = files.filter((f) => isTestFile(f.path));
  if (files.length > 0 && tests.length === files.length) {
    status = "degraded";
    reasons.push(
      `the coverage measured no source file, only ${tests.length} test file(s) (${tests[0]?.path ?? ""}${tests.length > 1 ? ", …" : ""}): the coverage settings (include/exclude, --source) leave the code under test out`,
    );
  }
  const counts = Object.fromEntries(
    METRICS.map((m) => [m, overall[m].seen ? { covered: overall[m].covered, total: overall[m].total, pct: pct(overall[m].covered, overall[m].total) } : null]),
  ) as Record<CoverageMetric, CounterSummary | null>;
  return {
    status,
    reasons,
    lines: counts.lines?.pct ?? null,
    branches: counts.branches?.pct ?? null,
    functions: counts.functions?.pct ?? null,
    statements: counts.statements?.pct ?? null,
    counts,
    paths: { total: files.length, resolved, share, threshold },
    packages: [...byPackage].sort((a, b) => a[0].localeCompare(b[0])).map(([name, t]) => entry(name, t)),
    files: files.map(fileCoverageEntry),
    // Every coverage report read is evidence: a merged file row names one report, yet its figures may come from several.
    evidence: [...new Set([...files.map((f) => f.sourceIndex), ...sources.flatMap((s, i) => (COVERAGE_FORMATS.has(s.format) ? [i] : []))])].sort((a, b) => a - b),
  };
}
