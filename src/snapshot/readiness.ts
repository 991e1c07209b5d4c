import type { RepoFacts } from "./repo-facts.js";
import { ADVISORY_FORMATS } from "../ingest/types.js";
import { computeScore, type ScoreFacts, type ScoreResult, type ScoreSettings } from "../score/score.js";
import type { AdvisoryRecord, CoverageFileRecord, FindingRecord, SourceRecord, TestResultRecord } from "../store/types.js";
import type { AssessSummary, ComponentScore } from "./types.js";

/** The docs link check's outcome as the score needs it; null when it did not run. */
export interface DocsOutcome {
  files: number;
  links: number;
  broken: { file: string; line: number; target: string; reason: string }[];
}

/** Everything one snapshot measured: its reports' rows and the repository's facts. */
export interface SnapshotEvidence {
  sources: SourceRecord[];
  tests: TestResultRecord[];
  coverageFiles: CoverageFileRecord[];
  findings: FindingRecord[];
  advisories: AdvisoryRecord[];
  repoFacts: RepoFacts;
  docs: DocsOutcome | null;
}

export interface ReadinessInput extends SnapshotEvidence {
  /** The summary's test and coverage sections, already computed. */
  testsSummary: AssessSummary["tests"];
  coverageSummary: AssessSummary["coverage"];
  packageOf: (path: string) => string;
  settings: ScoreSettings;
}

export interface Measured {
  lint: { errors: number; warnings: number } | null;
  typeErrors: number | null;
  sast: { errors: number; warnings: number } | null;
  security: { critical: number; high: number; moderate: number; low: number } | null;
}

const LINT_FORMATS = new Set(["eslint", "ruff", "sarif"]);
const TYPE_FORMATS = new Set(["tsc", "mypy"]);
const AUDIT_FORMATS = new Set<string>(ADVISORY_FORMATS);

/** Which static-analysis and security signals were measured, from the formats read and the findings. */
export function measuredSignals(sources: SourceRecord[], findings: FindingRecord[], advisories: AdvisoryRecord[]): Measured {
  const open = findings.filter((f) => !f.suppressed);
  const count = (kind: FindingRecord["kind"], level: FindingRecord["level"]) => open.filter((f) => f.kind === kind && f.level === level).length;
  const formats = new Set(sources.map((s) => s.format));
  const hasLint = [...formats].some((f) => LINT_FORMATS.has(f));
  const hasType = [...formats].some((f) => TYPE_FORMATS.has(f));
  const hasSast = findings.some((f) => f.kind === "security");
  const hasAudit = [...formats].some((f) => AUDIT_FORMATS.has(f));
  const bySeverity = (severity: AdvisoryRecord["severity"]) => advisories.filter((a) => a.severity === severity).length;
  return {
    lint: hasLint ? { errors: count("lint", "error"), warnings: count("lint", "warning") } : null,
    typeErrors: hasType ? count("type", "error") : null,
    sast: hasSast ? { errors: count("security", "error"), warnings: count("security", "warning") } : null,
    security: hasAudit ? { critical: bySeverity("critical"), high: bySeverity("high"), moderate: bySeverity("moderate"), low: bySeverity("low") } : null,
  };
}

function scoreFacts(input: ReadinessInput, measured: Measured, tests: AssessSummary["tests"] | null, coverage: { lines: number | null; branches: number | null; status: string; reasons: string[] } | null): ScoreFacts {
  const f = input.repoFacts;
  return {
    tests: tests && tests.status !== "unknown" ? { total: tests.total, passed: tests.passed, failed: tests.failed, errored: tests.errored, skipped: tests.skipped } : null,
    coverage:
      coverage && coverage.status !== "unknown"
        ? { lines: coverage.lines, branches: coverage.branches, trusted: coverage.status === "ok", reason: coverage.reasons.join("; ") || null }
        : null,
    lint: measured.lint,
    typeErrors: measured.typeErrors,
    security: measured.security,
    sast: measured.sast,
    docs: {
      readme: f.readme.present,
      license: f.license.present,
      contributing: f.contributing.present,
      docsIndex: f.docs_index.present,
      brokenLinks: input.docs ? input.docs.broken.length : null,
    },
    operability: {
      ci: f.ci.present,
      lockfile: f.lockfile.present,
      securityPolicy: f.security_policy.present,
      metrics: f.metrics.present,
      tracing: f.tracing.present,
      structuredLogging: f.structured_logging.present,
      healthEndpoint: f.health_endpoint.present,
    },
  };
}


/** The repository's score and each package's: tests, coverage and findings by package; the rest inherited. */
export function computeReadiness(input: ReadinessInput): { overall: ScoreResult; measured: Measured; components: ComponentScore[] } {
  const measured = measuredSignals(input.sources, input.findings, input.advisories);
  const overall = computeScore(scoreFacts(input, measured, input.testsSummary, input.coverageSummary), input.settings);

  const packages = new Set(input.coverageSummary.packages.map((p) => p.name));
  for (const t of input.tests) if (t.file) packages.add(input.packageOf(t.file));
  for (const f of input.findings) if (f.file) packages.add(input.packageOf(f.file));
  if (packages.size <= 1) return { overall, measured, components: [] };

  const components: ComponentScore[] = [];
  for (const name of [...packages].sort()) {
    const tests = input.tests.filter((t) => t.file !== null && input.packageOf(t.file) === name);
    const counts = { passed: 0, failed: 0, errored: 0, skipped: 0 };
    for (const t of tests) counts[t.status]++;
    const cov = input.coverageSummary.packages.find((p) => p.name === name);
    const findings = input.findings.filter((f) => f.file !== null && input.packageOf(f.file) === name);
    const own = measuredSignals(input.sources, findings, input.advisories);
    const facts = scoreFacts(
      input,
      { ...own, security: measured.security },
      tests.length > 0 ? { ...input.testsSummary, status: "ok", total: tests.length, ...counts } : null,
      cov ? { lines: cov.lines, branches: cov.branches, status: input.coverageSummary.status, reasons: input.coverageSummary.reasons } : null,
    );
    const result = computeScore(facts, input.settings);
    components.push({
      name,
      score: result.score,
      measuredWeight: result.measuredWeight,
      level: result.level.name,
      categories: Object.fromEntries(result.categories.map((c) => [c.id, c.score])),
    });
  }
  return { overall, measured, components };
}
