import type { Readable } from "node:stream";

/** Formats shipgate can read. The name is what `--format` and `collectors[].reports[].format` accept. */
export type ReportFormat =
  | "junit"
  | "lcov"
  | "cobertura"
  | "istanbul-summary"
  | "istanbul-final"
  | "coveragepy"
  | "eslint"
  | "sarif"
  | "ruff"
  | "tsc"
  | "mypy"
  | "npm-audit"
  | "osv"
  | "pip-audit"
  | "cargo-audit"
  | "govulncheck";

/** The formats that report dependency vulnerabilities (`IngestResult.advisories`): reading one means the dependencies were audited. */
export const ADVISORY_FORMATS = ["npm-audit", "osv", "pip-audit", "cargo-audit", "govulncheck"] as const satisfies readonly ReportFormat[];

export type TestStatus = "passed" | "failed" | "errored" | "skipped";

/**
 * One test case as a report states it. Parsers fill what the report has; the pipeline later
 * normalises `file` against the repository and derives the stable identity
 * (file + suite path + name, see `testIdentity`).
 */
export interface TestCase {
  /** Source file of the test as written in the report (`file` attribute, or derived), if any. */
  file?: string;
  /** Enclosing suite names, outermost first, without the `<testsuites>` root. */
  suite: string[];
  /** JUnit `classname`, when present. */
  classname?: string;
  name: string;
  status: TestStatus;
  /** Duration in milliseconds, or null when the report does not say. */
  durationMs: number | null;
  /** First 2 KB of the failure, error or skip message. */
  message?: string;
  /** True when the test both failed and passed in this run (retries, Surefire `flakyFailure`). */
  flaky?: boolean;
  /** 1-based line in the report where the test case starts, for messages. */
  reportLine?: number;
}

/** Covered and total items of one metric. */
export interface Counter {
  covered: number;
  total: number;
}

/** Line numbers: a plain array or a typed one (lcov keeps Int32Arrays). */
export type LineList = readonly number[] | Int32Array;

/** Coverage of one source file. A metric the report does not carry is left undefined (unknown, never 0). */
export interface FileCoverage {
  /** Path as written in the report (before normalisation). */
  path: string;
  /**
   * Directories the report says `path` is relative to (Cobertura `<source>` elements), tried in order
   * by the path resolver. Empty or undefined: relative to the report's working directory.
   */
  roots?: string[];
  lines?: Counter;
  branches?: Counter;
  functions?: Counter;
  statements?: Counter;
  /**
   * Line numbers with hits > 0 and with hits == 0, when the report has per-line detail
   * (lcov DA, Cobertura `<line>`, istanbul statement map, coverage.py executed/missing lines),
   * ascending. A typed array is welcome: millions of lines cost a quarter of the memory of number[].
   */
  lineHits?: { covered: LineList; uncovered: LineList };
}

export type DiagnosticLevel = "info" | "warning" | "error";

/** Something a parser noticed but could read past. Never fatal. */
export interface Diagnostic {
  level: DiagnosticLevel;
  /** Stable short code, e.g. `junit.duplicate-testcase`, `lcov.bad-line`. */
  code: string;
  message: string;
  file?: string;
  line?: number;
}

/** Who produced a report, when the report says so (e.g. coverage.py `meta.version`). */
export interface ProducingTool {
  name: string;
  version?: string;
}

export type FindingLevel = "error" | "warning" | "note";

/** What kind of signal a finding feeds: lint rules, type errors, or security rules (SAST). */
export type FindingKind = "lint" | "type" | "security";

/**
 * One static-analysis result (ESLint message, SARIF result, ruff/tsc/mypy diagnostic).
 * The pipeline adds the stable fingerprint (rule + normalised path + hash of the flagged line's text),
 * because it needs the repository file; a parser passes `snippet` when the report carries the text.
 */
export interface Finding {
  /** The producing tool as the report names it (SARIF `tool.driver.name`, "eslint", "tsc", …). */
  tool: string;
  kind: FindingKind;
  /** Rule or diagnostic code (`no-unused-vars`, `TS2322`, `E501`, `arg-type`), or null. */
  ruleId: string | null;
  level: FindingLevel;
  message: string;
  /** Path as written in the report (URI already resolved against SARIF `uriBaseId` when possible). */
  file: string | null;
  /** 1-based; null when the report gives none. */
  line: number | null;
  column: number | null;
  /** The flagged source text, when the report carries it (SARIF snippet, ESLint `source`). */
  snippet?: string;
  /** True when an accepted suppression applies (SARIF `suppressions[].status` accepted or absent, ESLint suppressedMessages). */
  suppressed?: boolean;
  reportLine?: number;
}

export type AdvisorySeverity = "critical" | "high" | "moderate" | "low" | "info";

/** One known vulnerability affecting a dependency (npm audit, OSV-Scanner, pip-audit, cargo audit, govulncheck). */
export interface Advisory {
  /** GHSA-…, CVE-…, OSV id, or the npm advisory number as a string. */
  id: string;
  /** Other ids of the same vulnerability (aliases), to de-duplicate across tools. */
  aliases: string[];
  package: string;
  /** Installed version(s) affected, when known. */
  versions: string[];
  severity: AdvisorySeverity;
  title: string;
  url: string | null;
  /** Whether the tool says a fix is available. */
  fixAvailable: boolean | null;
  /** The ecosystem (npm, PyPI, Go, …), when known. */
  ecosystem: string | null;
}

/** Everything a parser read from one report. */
export interface IngestResult {
  format: ReportFormat;
  tool?: ProducingTool;
  /**
   * Test cases in report order, one per test. Same-named cases are separate tests (the pipeline numbers
   * them, see numberOccurrences); a parser folds only elements its format uses to continue one test.
   */
  tests: TestCase[];
  /** Coverage per file in report order; repeated sections of one file already merged. */
  coverage: FileCoverage[];
  /** Static-analysis findings (lint, type, SAST); absent or empty for test and coverage reports. */
  findings?: Finding[];
  /** Dependency vulnerabilities; absent or empty for other reports. */
  advisories?: Advisory[];
  diagnostics: Diagnostic[];
}

export interface ParseContext {
  /** The report's path as the user named it; used in every message. */
  file: string;
}

/**
 * A reader for one report format.
 *
 * - `detect` is called with the first bytes of a file (up to 4 KB) and its path; it returns true when
 *   the content is in this format. It must be cheap and must not throw.
 * - `parse` consumes the whole stream and resolves with what it read. Memory must stay bounded by the
 *   number of results, not the size of the file: never buffer the whole stream.
 *   It never throws on bad content it can read past (it adds a diagnostic); it rejects with a
 *   `ParseError(file, line, message)` only when nothing usable can be read (garbage, truncated
 *   before the first result, a file of another format).
 *   XML parsers never fetch DTDs and never expand external entities.
 */
export interface ReportParser {
  readonly format: ReportFormat;
  /** One line, for `--help` and docs. */
  readonly description: string;
  detect(head: Buffer, path: string): boolean;
  parse(stream: Readable, ctx: ParseContext): Promise<IngestResult>;
}
