/**
 * Quality gates: the contract between the pure evaluation (src/gate), the command that gathers its
 * input (src/assess/run-gate.ts) and the renderers (terminal, markdown, JSON, JUnit, SARIF, GitHub).
 * `GateResult` is also the documented `shipgate gate --json` shape (docs/json-output.md): additive
 * changes only within a schemaVersion.
 */

export const OPS = ["<", "<=", ">", ">=", "==", "!="] as const;
export type Op = (typeof OPS)[number];

/**
 * overall: the snapshot's own value. new: what appeared since the baseline (new failing tests,
 * new findings, coverage of the lines changed since the baseline's commit). delta: now − baseline.
 */
export const SCOPES = ["overall", "new", "delta"] as const;
export type Scope = (typeof SCOPES)[number];

export type Severity = "block" | "warn";

export interface ConditionSpec {
  /** Stable key a waiver names: explicit, else the metric for overall, `new:metric` / `delta:metric` otherwise. */
  id: string;
  metric: string;
  op: Op;
  threshold: number;
  scope: Scope;
  severity: Severity;
  /** What a missing measure does: "fail" (default) counts as not met; "pass" lets it through, said so in the report. */
  whenMissing: "fail" | "pass";
  description: string | null;
}

export interface WaiverSpec {
  /** The id of the condition it waives. */
  condition: string;
  reason: string;
  owner: string;
  /** Last day the waiver applies (YYYY-MM-DD, inclusive, UTC). */
  expires: string;
}

/**
 * Which snapshot a gate compares against. previous: the snapshot before the evaluated one; named: set
 * with `shipgate baseline set`; branch: the newest snapshot taken on that branch (other than the
 * evaluated one); ref: the newest snapshot of the commit a git ref points at, and that commit for
 * changed lines; snapshot: an id.
 */
export type BaselineSpec =
  | { kind: "previous" }
  | { kind: "named"; name: string }
  | { kind: "branch"; branch: string }
  | { kind: "ref"; ref: string }
  | { kind: "snapshot"; id: number };

export interface GateSpec {
  name: string;
  description: string | null;
  baseline: BaselineSpec;
  conditions: ConditionSpec[];
  waivers: WaiverSpec[];
}

/** A snapshot as reports name it. */
export interface SnapshotRef {
  id: number;
  takenAt: string;
  commit: string | null;
  branch: string | null;
}

/**
 * One thing that makes a condition fail, with a location when it has one: a finding, a test, uncovered
 * changed lines, a broken link, an advisory. SARIF results, GitHub annotations and JUnit failure bodies
 * are made of these.
 */
export interface GateItem {
  kind: "finding" | "test" | "uncovered-lines" | "broken-link" | "advisory";
  /** The producing tool's rule (findings), the advisory id, or a shipgate rule such as "test-regression". */
  ruleId: string;
  level: "error" | "warning" | "note";
  message: string;
  /** Repository-relative path, or null when the item has no file (advisories, tests without a file). */
  file: string | null;
  line: number | null;
  endLine: number | null;
  /** Stable identity: finding fingerprint, test id, advisory id + package, "file:ranges" for lines. */
  key: string;
  /** The tool that found it (eslint, ruff, vitest, …), when known. */
  tool: string | null;
}

export type Verdict = "pass" | "fail" | "warn" | "waived";

export interface ConditionResult extends ConditionSpec {
  /** The measured value, or null for "no data". */
  value: number | null;
  /** Why there is no value (no baseline, no coverage report, no changed lines, …); null when measured. */
  missing: string | null;
  /** Whether the value satisfies `op threshold`; null when there is no data. */
  met: boolean | null;
  /**
   * pass: met, or no data with whenMissing "pass". fail: a blocking condition not met (or no data).
   * warn: a warning condition not met (or no data). waived: would have failed, an active waiver applies.
   */
  verdict: Verdict;
  waiver: WaiverSpec | null;
  /** What the number means here, e.g. "2 findings not in the baseline" or "coverage of 14 changed lines". */
  explanation: string;
  /** The items behind the value (at most ITEMS_LIMIT; `itemsTotal` says how many there were). */
  items: GateItem[];
  itemsTotal: number;
}

export interface TestRef {
  id: string;
  name: string;
  file: string | null;
  status: string;
  message: string | null;
}

export interface FlakyTest extends TestRef {
  /** retries: passed and failed within one run; history: flipped between pass and fail in the last snapshots. */
  reason: "retries" | "history";
  /** Oldest first, e.g. "P F P F" over the window, or the run's attempts. */
  history: string;
}

export interface ChangedLinesCoverage {
  /** Commit the changes are counted from. */
  base: string;
  files: number;
  /** Changed lines that the coverage report knows (covered or not). */
  coverable: number;
  covered: number;
  /** Per file: changed lines that no test ran, as ranges ("3-5,9"). */
  uncovered: { file: string; lines: string }[];
  /** Whether the snapshot's coverage has per-line data at all (istanbul summaries do not). */
  lineDetail: boolean;
  /** Changed files with added lines that the coverage report does not list (docs, config — or source no test loaded). */
  notInReport: string[];
}

export interface GateResult {
  schemaVersion: 1;
  gate: string;
  description: string | null;
  verdict: "GO" | "NO-GO";
  /** The evaluation date waivers were checked against (YYYY-MM-DD). */
  evaluatedOn: string;
  /**
   * Where the paths in items are, relative to the git repository's root ("" or "packages/api/"), for
   * outputs that need repository paths (GitHub annotations, SARIF).
   */
  pathPrefix: string;
  snapshot: SnapshotRef;
  baseline: {
    /** As configured or given: "previous", "release-1.0", "branch:main", "ref:origin/main", "snapshot:12". */
    spec: string;
    snapshot: SnapshotRef | null;
    /** The commit changed lines are counted from, when there is one. */
    commit: string | null;
    /** Why there is no baseline snapshot (first snapshot, no snapshot of that commit, …); null when found. */
    missing: string | null;
  };
  conditions: ConditionResult[];
  /** Passed in the baseline, failing now (flaky tests excluded: they are listed apart). */
  regressions: TestRef[];
  flaky: FlakyTest[];
  changedLines: ChangedLinesCoverage | null;
  waivers: {
    /** Waivers that turned a failure into "waived". */
    applied: WaiverSpec[];
    /** Waivers past their date: they no longer apply. */
    expired: WaiverSpec[];
  };
  counts: { failed: number; warned: number; waived: number; passed: number };
}
