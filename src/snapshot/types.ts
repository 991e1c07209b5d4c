// The snapshot summary's shape: what `assess --json` prints and a snapshot stores (summary.ts computes it).
import type { RequirementResult, CategoryId } from "../score/score.js";
import type { GitState, SourceRecord, TestResultRecord } from "../store/types.js";
import type { RepoFacts } from "./repo-facts.js";

/** ok: measured; unknown: no evidence; degraded: measured, but not trustworthy (see `reasons`). */
export type SignalStatus = "ok" | "unknown" | "degraded";

export const METRICS = ["lines", "branches", "functions", "statements"] as const;
export type CoverageMetric = (typeof METRICS)[number];

export interface CounterSummary {
  covered: number;
  total: number;
  /**
   * Percentage truncated to two decimals, as istanbul (nyc, c8, jest, vitest) computes it, so it never
   * overstates the counts (99.999 % is 99.99, never 100); null when total is 0 (nothing to cover is
   * unknown, not 0 or 100).
   */
  pct: number | null;
}

export interface TestBrief {
  id: string;
  name: string;
  file: string | null;
  status: TestResultRecord["status"];
  durationMs: number | null;
  message: string | null;
  /** Index into `sources`. */
  source: number;
}

export interface CoverageEntry {
  name: string;
  lines: number | null;
  branches: number | null;
  functions: number | null;
  statements: number | null;
}

export interface FileCoverageEntry extends CoverageEntry {
  package: string;
  resolved: boolean;
  source: number;
}

/** Something that got worse since the previous snapshot (gate/alerts.ts finds them). */
export interface Alert {
  type: "score-decline" | "metric-worse";
  metric: string;
  before: number;
  after: number;
  /** Relative change in percent of the previous value; null when the previous value was 0. */
  changePct: number | null;
  message: string;
}

/** One package of a monorepo, scored on its own. */
export interface ComponentScore {
  name: string;
  score: number | null;
  measuredWeight: number;
  level: string;
  categories: Record<string, number | null>;
}

/**
 * The documented `shipgate assess --json` shape (docs/json-output.md). Additive changes only
 * within a schemaVersion.
 */
export interface AssessSummary {
  schemaVersion: 1;
  snapshot: { id: number | null; takenAt: string; git: GitState; configHash: string | null };
  /** Readiness score 0–100 over the measured weight, or null when nothing is measured. */
  score: number | null;
  /** Share (0–1) of the category weight that was measured. */
  measuredWeight: number;
  level: string;
  /** Critical checks that failed (the level is then the blocked one). */
  blockedBy: RequirementResult[];
  /** The next level and exactly what it still needs; null at the top. */
  nextLevel: { name: string; needs: string[] } | null;
  categories: Record<CategoryId, { score: number | null; weight: number; explanation: string; checks: { name: string; earned: number; possible: number; measured: boolean }[] }>;
  /** Per package of a monorepo (empty for a single package). */
  components: ComponentScore[];
  lint: { errors: number | null; warnings: number | null; suppressed: number; evidence: number[] };
  typeErrors: number | null;
  security: {
    critical: number | null;
    high: number | null;
    moderate: number | null;
    low: number | null;
    /** SAST findings (SARIF security rules), null when no security scan was read. */
    sast: { errors: number; warnings: number } | null;
    advisories: { id: string; package: string; severity: string; title: string; url: string | null; source: number }[];
    evidence: number[];
  };
  docs: { brokenLinks: number | null; files: number | null; links: number | null; broken: { file: string; line: number; target: string; reason: string }[] };
  /** Repository facts, each with the file that proves it. */
  facts: RepoFacts;
  findings: { fingerprint: string; tool: string; kind: string; ruleId: string | null; level: string; message: string; file: string | null; line: number | null; source: number }[];
  tests: {
    status: SignalStatus;
    reasons: string[];
    total: number;
    passed: number;
    failed: number;
    errored: number;
    skipped: number;
    flaky: number;
    durationMs: number | null;
    failing: TestBrief[];
    slowest: TestBrief[];
    /** Indexes into `sources` of the reports the numbers came from. */
    evidence: number[];
  };
  coverage: {
    status: SignalStatus;
    reasons: string[];
    lines: number | null;
    branches: number | null;
    functions: number | null;
    statements: number | null;
    counts: Record<CoverageMetric, CounterSummary | null>;
    paths: { total: number; resolved: number; share: number | null; threshold: number };
    packages: CoverageEntry[];
    files: FileCoverageEntry[];
    evidence: number[];
  };
  sources: (SourceRecord & { tests: number; coverageFiles: number })[];
  collectors: { name: string; command: string | null; exitCode: number | null; timedOut: boolean; durationMs: number | null }[];
  diagnostics: { level: string; code: string; message: string; file?: string; line?: number }[];
  /** What got worse since the previous snapshot (score decline, tracked metrics worse by more than the limit); also stored as `alert` events. */
  alerts: Alert[];
}
