import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { ReadReportResult } from "../ingest/read-report.js";
import type { PathResolver } from "../ingest/paths.js";
import { numberOccurrences } from "./test-occurrences.js";
import type { Diagnostic, Finding, TestCase } from "../ingest/types.js";
import type { AdvisoryRecord, CoverageFileRecord, FindingRecord, SourceRecord, TestResultRecord } from "../store/types.js";
import { createCoverageMerge } from "./merge-coverage.js";

export interface ReadReport extends ReadReportResult {
  /** Repository-relative directory of the report file, where relative paths inside it are tried first. */
  reportDir: string;
  /** Repository-relative directory the producing command ran in, when known (tried before reportDir). */
  runDir?: string;
  collector: string | null;
}

export interface SnapshotRows {
  sources: SourceRecord[];
  tests: TestResultRecord[];
  coverageFiles: CoverageFileRecord[];
  findings: FindingRecord[];
  advisories: AdvisoryRecord[];
  diagnostics: Diagnostic[];
}

/** Reads a repository file's lines (for finding fingerprints); undefined when it cannot. */
export type LineReader = (repoPath: string) => readonly string[] | undefined;

const SOURCE_FILE = /\.(c|cc|cpp|cs|go|java|js|jsx|kt|mjs|cjs|mts|cts|php|py|rb|rs|scala|swift|ts|tsx|vue|svelte)$/;

/** Most severe first. */
const SEVERITY_RANK: readonly AdvisoryRecord["severity"][] = ["critical", "high", "moderate", "low", "info"];

/** Stable test identity: repository file, then suite path, then name, joined with " › ". */
export function testIdentity(file: string | null, suite: readonly string[], name: string): string {
  return [file ?? "", ...suite, name].filter((p) => p !== "").join(" › ");
}

/** Turns parsed reports into the rows of one snapshot: paths resolved, tests and coverage merged across reports. */
export function buildSnapshotRows(reports: readonly ReadReport[], resolver: PathResolver, readLines: LineReader = () => undefined): SnapshotRows {
  const sources: SourceRecord[] = reports.map((r) => ({
    path: r.source.path,
    sha256: r.source.sha256,
    bytes: r.source.bytes,
    format: r.source.format,
    tool: r.source.tool ?? null,
    collector: r.collector,
  }));
  const diagnostics: Diagnostic[] = reports.flatMap((r) => r.result.diagnostics);
  const tests = new Map<string, TestResultRecord>();
  let crossDuplicates = 0;
  let outsideFiles = 0;
  const coverage = createCoverageMerge(sources.map((s) => s.path));
  const findings: FindingRecord[] = [];
  const fingerprints = new Map<string, number>();
  let findingPaths = 0;
  let unresolvedFindingPaths = 0;
  const advisories = new Map<string, AdvisoryRecord>();

  reports.forEach((report, sourceIndex) => {
    const dirs = report.runDir && report.runDir !== report.reportDir ? [report.runDir, report.reportDir] : [report.reportDir];
    const resolve = (path: string, roots?: readonly string[]) => {
      let first;
      for (const dir of dirs) {
        const r = resolver.resolve(path, dir, roots);
        if (r.resolved) return r;
        first ??= r;
      }
      return first as NonNullable<typeof first>;
    };

    const records = report.result.tests.map((tc) => toTestRecord(tc, sourceIndex, resolve));
    for (const record of records) if (record.file === null && record.fileOutside) outsideFiles++;
    const { ids, repeated } = numberOccurrences(records, (record) => record.testId);
    if (repeated > 0) {
      diagnostics.push({
        level: "info",
        code: "tests.same-name",
        message: `${repeated} test name(s) are shared by several test cases (parametrized tests without the parameter in the title, loops): each case counts as its own test, told apart by order (" #2", " #3", …)`,
        file: report.source.path,
      });
    }
    records.forEach(({ fileOutside: _, ...record }, i) => {
      record.testId = ids[i] as string;
      const seen = tests.get(record.testId);
      if (!seen) {
        tests.set(record.testId, record);
        return;
      }
      crossDuplicates++;
      // The same test in two reports (a report named twice, or two runs): the worse outcome stands,
      // and a failure is never turned into a flaky pass by the other report.
      if (rank(record.status) > rank(seen.status)) tests.set(record.testId, record);
      else if (record.status === seen.status && record.flaky && !seen.flaky) seen.flaky = true;
    });

    for (const finding of report.result.findings ?? []) {
      const file = finding.file === null ? null : resolve(finding.file);
      if (file) {
        findingPaths++;
        if (!file.resolved) unresolvedFindingPaths++;
      }
      const base = findingKey(finding, file?.resolved ? file.path : (file?.path ?? null), file?.resolved ? readLines : () => undefined);
      // Two identical findings (same rule, file and line text) are told apart by their order.
      const seen = fingerprints.get(base) ?? 0;
      fingerprints.set(base, seen + 1);
      findings.push({
        fingerprint: createHash("sha256").update(`${base}\u0000${seen}`).digest("hex").slice(0, 20),
        tool: finding.tool,
        kind: finding.kind,
        ruleId: finding.ruleId,
        level: finding.level,
        message: finding.message,
        file: file?.path ?? null,
        line: finding.line,
        suppressed: finding.suppressed === true,
        sourceIndex,
      });
    }

    for (const advisory of report.result.advisories ?? []) {
      // The same vulnerability from two tools (npm audit and OSV) counts once: match by package and any id.
      const keys = [advisory.id, ...advisory.aliases].map((id) => `${advisory.package}\u0000${id}`);
      const known = keys.map((k) => advisories.get(k)).find((r) => r !== undefined);
      if (known) {
        // The tools may rate it differently (npm audit high, OSV low): the more severe rating stands, in any
        // report order — the first one read used to win, and `security.high == 0` depended on the order.
        if (SEVERITY_RANK.indexOf(advisory.severity) < SEVERITY_RANK.indexOf(known.severity)) known.severity = advisory.severity;
        known.aliases = [...new Set([...known.aliases, ...(advisory.id === known.advisoryId ? [] : [advisory.id]), ...advisory.aliases])].filter((id) => id !== known.advisoryId);
        known.versions = [...new Set([...known.versions, ...advisory.versions])];
        if (advisory.fixAvailable === true || (known.fixAvailable === null && advisory.fixAvailable !== null)) known.fixAvailable = advisory.fixAvailable;
        for (const k of keys) if (!advisories.has(k)) advisories.set(k, known);
        continue;
      }
      const record: AdvisoryRecord = {
        advisoryId: advisory.id,
        aliases: advisory.aliases,
        package: advisory.package,
        versions: advisory.versions,
        severity: advisory.severity,
        title: advisory.title,
        url: advisory.url,
        fixAvailable: advisory.fixAvailable,
        sourceIndex,
      };
      for (const k of keys) advisories.set(k, record);
    }

    for (const fc of report.result.coverage) {
      const resolved = resolve(fc.path, fc.roots);
      coverage.add(fc, { path: resolved.path, package: resolver.packageOf(resolved.path), resolved: resolved.resolved }, sourceIndex);
    }
  });

  if (unresolvedFindingPaths > 0) {
    diagnostics.push({
      level: "warning",
      code: "assess.finding-paths-unresolved",
      message: `${unresolvedFindingPaths} of ${findingPaths} finding(s) name a file that is not in the repository: their fingerprints fall back to the message, and a report from another checkout may be mixed in`,
    });
  }
  if (outsideFiles > 0) {
    diagnostics.push({
      level: "warning",
      code: "assess.test-files-outside",
      message: `${outsideFiles} test(s) name a file outside the repository that matches no repository file (node:test writes absolute paths): the file is left out of their identity`,
    });
  }
  if (crossDuplicates > 0) {
    diagnostics.push({ level: "warning", code: "assess.test-in-several-reports", message: `${crossDuplicates} test(s) appear in more than one report; each is counted once (the worse outcome)` });
  }
  const { files: coverageFiles, diagnostics: coverageDiagnostics } = coverage.finish();
  diagnostics.push(...coverageDiagnostics);
  return { sources, tests: [...tests.values()], coverageFiles, findings, advisories: [...new Set(advisories.values())], diagnostics };
}

/**
 * What identifies a finding across commits: its rule, its file, and the text of the flagged line with
 * whitespace folded — not the line number, so a finding that moves is the same finding.
 */
function findingKey(finding: Finding, file: string | null, readLines: LineReader): string {
  let text = finding.snippet?.split("\n")[0];
  if (text === undefined && file !== null && finding.line !== null) text = readLines(file)?.[finding.line - 1];
  // Without the line's text, the message stands in (still independent of the line number).
  const anchor = text === undefined ? `message:${finding.message}` : text.replace(/\s+/g, " ").trim();
  return [finding.tool, finding.ruleId ?? "", file ?? "", anchor].join("\u0000");
}

const rank = (s: TestResultRecord["status"]): number => ({ failed: 3, errored: 2, passed: 1, skipped: 0 })[s];

/** Python identifiers, one dotted part of a pytest classname at a time (never a regex over the whole name). */
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** pytest's default `python_files`: test_*.py and *_test.py. */
const isTestModule = (name: string) => name.startsWith("test_") || name.endsWith("_test");
const isAbsolutePath = (p: string) => p.startsWith("/") || /^[A-Za-z]:\//.test(p);

type Resolve = (path: string) => { path: string; resolved: boolean };

/**
 * pytest's classname is the test module's dotted path, then its class (`tests.test_x.TestY`); its file
 * attribute exists only with junit_family=xunit1. The longest dotted prefix that names a repository
 * file (`tests/test_x.py`) is the file, and the rest the class. Undefined when no prefix is a test module
 * in the repository, or when it disagrees with the file the report gives.
 */
function pytestModule(classname: string, file: string | null, resolve: Resolve): { file: string; rest: string | undefined } | undefined {
  const parts = classname.split(".");
  if (!parts.every((p) => IDENTIFIER.test(p))) return undefined;
  for (let k = parts.length; k >= 1; k--) {
    if (!isTestModule(parts[k - 1] as string)) continue;
    const r = resolve(`${parts.slice(0, k).join("/")}.py`);
    if (!r.resolved || (file !== null && r.path !== file)) continue;
    return { file: r.path, rest: k === parts.length ? undefined : parts.slice(k).join(".") };
  }
  return undefined;
}

function toTestRecord(tc: TestCase, sourceIndex: number, resolve: Resolve): TestResultRecord & { fileOutside: boolean } {
  let file: string | null = null;
  let fileOutside = false;
  if (tc.file) {
    const r = resolve(tc.file);
    // An absolute path outside the repository (node:test's file=, written where the tests ran) would
    // make the identity depend on the machine: it is left out.
    if (!r.resolved && isAbsolutePath(r.path)) fileOutside = true;
    else file = r.path;
  }
  let classname = tc.classname;
  let suite = tc.suite;
  if (classname !== undefined && classname.indexOf("test") !== -1) {
    const py = pytestModule(classname, file, resolve);
    if (py) {
      file = py.file;
      classname = py.rest;
      // pytest's default suite name adds nothing: the identity reads as pytest's node id (file › class › test).
      if (suite.length === 1 && suite[0] === "pytest") suite = [];
    }
  }
  // vitest and jest name the file suite after the test file: use it as the file when it is one.
  const first = suite[0];
  if (first !== undefined && SOURCE_FILE.test(first)) {
    const r = resolve(first);
    if (file === null && r.resolved) file = r.path;
    if (file !== null && (r.path === file || posix.normalize(first) === file)) suite = suite.slice(1);
  }
  const path = classname !== undefined && classname !== file && !(first !== undefined && classname === first) ? [...suite, classname] : suite;
  return {
    fileOutside,
    testId: testIdentity(file, path, tc.name),
    file,
    suite: path.join(" › "),
    name: tc.name,
    status: tc.status,
    durationMs: tc.durationMs,
    message: tc.message ?? null,
    flaky: tc.flaky === true,
    sourceIndex,
  };
}
