import type { AssessSummary } from "../snapshot/summary.js";
import { pct } from "../score/percent.js";
import type { FindingRecord } from "../store/types.js";
import { summaryMetrics } from "./metrics.js";
import { findFlaky, findNewlyFailing, findRegressions, type TestHistoryEntry, type TestOutcome } from "./regressions.js";
import type { ChangedLinesCoverage, ConditionResult, ConditionSpec, GateItem, GateResult, GateSpec, Op, SnapshotRef, TestRef, WaiverSpec } from "./types.js";
import { formatBaselineSpec } from "./baseline-spec.js";

/** At most this many items are kept per condition (the count is kept whole). */
export const ITEMS_LIMIT = 200;

/** A finding as a gate reads it, with the report it came from as a tool key (see `GateSnapshot.findingTools`). */
export type GateFinding = Pick<FindingRecord, "fingerprint" | "tool" | "kind" | "ruleId" | "level" | "message" | "file" | "line" | "suppressed"> & { source: string };

export interface GateAdvisory {
  advisoryId: string;
  package: string;
  severity: string;
  title: string;
}

/** One stored snapshot, as a gate reads it. */
export interface GateSnapshot {
  ref: SnapshotRef;
  dirty: boolean | null;
  /** The measured working tree when dirty (recorded at assess time); null or absent when clean or unknown. */
  tree?: string | null;
  summary: AssessSummary;
  tests: TestOutcome[];
  findings: GateFinding[];
  /** The tools whose reports can hold findings (e.g. "eslint:eslint", "sarif:semgrep"), found or not. */
  findingTools: string[];
  advisories: GateAdvisory[];
}

export interface GateInput {
  spec: GateSpec;
  /** The day waivers are checked against (YYYY-MM-DD, UTC). */
  today: string;
  /** The judged directory relative to the git repository's root ("" at the root). */
  pathPrefix?: string;
  current: GateSnapshot;
  baseline: GateSnapshot | null;
  /** Why there is no baseline snapshot, when there is none. */
  baselineMissing: string | null;
  /** The commit changed lines are counted from. */
  baselineCommit: string | null;
  /** Earlier snapshots' test outcomes for the flaky check, oldest first, without the current one. */
  history: TestHistoryEntry[];
  changedLines: ChangedLinesCoverage | null;
  /** Why changed lines could not be counted, when `changedLines` is null. */
  changedLinesMissing: string | null;
}

interface Measure {
  value: number | null;
  /** No value because there is nothing to measure (no changed line is code): the condition holds. */
  vacuous?: boolean;
  missing: string | null;
  explanation: string;
  items: GateItem[];
}

const none = (missing: string): Measure => ({ value: null, missing, explanation: "", items: [] });
const round2 = (n: number) => Math.round(n * 100) / 100;

export function compare(value: number, op: Op, threshold: number): boolean {
  switch (op) {
    case "<": return value < threshold;
    case "<=": return value <= threshold;
    case ">": return value > threshold;
    case ">=": return value >= threshold;
    case "==": return value === threshold;
    case "!=": return value !== threshold;
  }
}

function testItems(tests: TestRef[], ruleId: string, level: GateItem["level"]): GateItem[] {
  return tests.map((t) => ({
    kind: "test",
    ruleId,
    level,
    // The file is the item's location; the message names the test within it.
    message: `${t.file ? t.name : t.id} ${t.status}${t.message ? `: ${t.message.split("\n")[0] ?? ""}` : ""}`,
    file: t.file,
    line: null,
    endLine: null,
    key: t.id,
    tool: null,
  }));
}

function findingItems(findings: GateFinding[]): GateItem[] {
  return findings.map((f) => ({
    kind: "finding",
    ruleId: f.ruleId ?? f.kind,
    level: f.level,
    message: f.message,
    file: f.file,
    line: f.line,
    endLine: null,
    key: f.fingerprint,
    tool: f.tool,
  }));
}

function advisoryItems(advisories: GateAdvisory[]): GateItem[] {
  return advisories.map((a) => ({
    kind: "advisory",
    ruleId: a.advisoryId,
    level: a.severity === "critical" || a.severity === "high" ? "error" : "warning",
    message: `${a.package}: ${a.title} (${a.severity})`,
    file: null,
    line: null,
    endLine: null,
    key: `${a.advisoryId} ${a.package}`,
    tool: null,
  }));
}

/** Which findings a finding metric counts: open ones, notes left out (as in the summary). */
function findingFilter(metric: string): ((f: GateFinding) => boolean) | null {
  const open = (f: GateFinding) => !f.suppressed && f.level !== "note";
  switch (metric) {
    case "findings": return open;
    case "lint.errors": return (f) => open(f) && f.kind === "lint" && f.level === "error";
    case "lint.warnings": return (f) => open(f) && f.kind === "lint" && f.level === "warning";
    case "type_errors": return (f) => open(f) && f.kind === "type" && f.level === "error";
    case "security.sast": return (f) => open(f) && f.kind === "security";
    default: return null;
  }
}

/** Whether a snapshot measured what a finding metric counts (else "new" would call every finding new). */
function measuresFindings(summary: AssessSummary, metric: string): boolean {
  switch (metric) {
    case "lint.errors":
    case "lint.warnings": return summary.lint.errors !== null;
    case "type_errors": return summary.typeErrors !== null;
    case "security.sast": return summary.security.sast !== null;
    default: return summary.lint.errors !== null || summary.typeErrors !== null || summary.security.sast !== null;
  }
}

const SEVERITY_METRIC = /^security\.(critical|high|moderate|low)$/;

/** Pure: evaluates a gate on a snapshot against its baseline. */
export function evaluateGate(input: GateInput): GateResult {
  const { spec, current, baseline } = input;
  const flaky = findFlaky(current.tests, input.history, { commit: current.ref.commit, dirty: current.dirty, tree: current.tree ?? null });
  const flakyIds = new Set(flaky.map((t) => t.id));
  const baselineTests = baseline && baseline.summary.tests.status !== "unknown" ? new Map(baseline.tests.map((t) => [t.testId, t.status])) : null;
  const regressions = baselineTests ? findRegressions(baselineTests, current.tests, flakyIds) : [];
  const overall = summaryMetrics(current.summary);
  const openFindings = findingFilter("findings") as (f: GateFinding) => boolean;
  if (overall.findings !== null) overall.findings = current.findings.filter(openFindings).length;
  const before = baseline ? summaryMetrics(baseline.summary) : null;
  if (before && baseline && before.findings !== null) before.findings = baseline.findings.filter(openFindings).length;
  const noBaseline = input.baselineMissing ?? "no baseline snapshot";

  const measureOverall = (c: ConditionSpec): Measure => {
    const value = overall[c.metric] ?? null;
    if (value === null) return none(missingOverall(c.metric, current.summary));
    const level: GateItem["level"] = c.severity === "block" ? "error" : "warning";
    let items: GateItem[] = [];
    const filter = findingFilter(c.metric);
    if (filter) items = findingItems(current.findings.filter(filter));
    else if (c.metric === "tests.failed" || c.metric === "tests.errored") {
      const status = c.metric === "tests.failed" ? "failed" : "errored";
      items = testItems(current.tests.filter((t) => t.status === status).map((t) => ({ id: t.testId, name: t.name, file: t.file, status: t.status, message: t.message })), "test-failure", level);
    } else if (c.metric === "tests.flaky") items = testItems(flaky, "flaky-test", level);
    else if (SEVERITY_METRIC.test(c.metric)) items = advisoryItems(current.advisories.filter((a) => `security.${a.severity}` === c.metric));
    else if (c.metric === "docs.broken_links") {
      items = current.summary.docs.broken.map((b) => ({ kind: "broken-link", ruleId: "broken-link", level, message: `${b.target}: ${b.reason}`, file: b.file, line: b.line, endLine: null, key: `${b.file}:${b.line}:${b.target}`, tool: "shipgate" }));
    }
    return { value, missing: null, explanation: "", items };
  };

  const measureNew = (c: ConditionSpec): Measure => {
    const level: GateItem["level"] = c.severity === "block" ? "error" : "warning";
    if (c.metric === "coverage.lines" || c.metric === "coverage.uncovered_lines") {
      const changed = input.changedLines;
      if (!changed) return none(input.changedLinesMissing ?? noBaseline);
      const coverage = current.summary.coverage;
      if (coverage.status !== "ok") return none(coverage.status === "degraded" ? `coverage is degraded: ${coverage.reasons.join("; ")}` : "this snapshot has no coverage report");
      if (!changed.lineDetail) return none("the coverage reports have no per-line data (an istanbul summary, for one, has none): read lcov, Cobertura, coverage-final.json or coverage.py JSON");
      const base = changed.base.slice(0, 12);
      const outside = changed.notInReport.length > 0 ? `; changed files the coverage report does not list: ${changed.notInReport.slice(0, 5).join(", ")}${changed.notInReport.length > 5 ? ", …" : ""}` : "";
      if (changed.coverable === 0) {
        // Coverage was measured line by line and no changed line is code it knows: nothing to cover.
        if (c.metric === "coverage.uncovered_lines") return { value: 0, missing: null, explanation: `no changed line since ${base} is in the coverage report${outside}`, items: [] };
        return { value: null, missing: null, vacuous: true, explanation: `nothing to cover: no changed line since ${base} is in the coverage report${outside}`, items: [] };
      }
      const items: GateItem[] = changed.uncovered.flatMap((u) =>
        u.lines.split(",").map((range) => {
          const [from = "0", to] = range.split("-");
          return { kind: "uncovered-lines", ruleId: "uncovered-changed-lines", level, message: `changed line${to ? "s" : ""} ${range} not covered by any test`, file: u.file, line: Number(from), endLine: Number(to ?? from), key: `${u.file}:${range}`, tool: "shipgate" } satisfies GateItem;
        }),
      );
      const uncovered = changed.coverable - changed.covered;
      const value = c.metric === "coverage.lines" ? pct(changed.covered, changed.coverable) : uncovered;
      return { value, missing: null, explanation: `${changed.covered} of ${changed.coverable} changed coverable lines in ${changed.files} file(s) since ${base} are covered${outside}`, items };
    }
    if (!baseline) return none(noBaseline);
    if (c.metric === "tests.failed" || c.metric === "tests.regressed") {
      if (!baselineTests) return none(`the baseline (snapshot ${baseline.ref.id}) has no test report`);
      if (current.summary.tests.status === "unknown") return none("this snapshot has no test report");
      const list = c.metric === "tests.regressed" ? regressions : findNewlyFailing(baselineTests, current.tests, flakyIds);
      return { value: list.length, missing: null, explanation: c.metric === "tests.regressed" ? "passed in the baseline, failing now" : "failing now, not failing in the baseline", items: testItems(list, c.metric === "tests.regressed" ? "test-regression" : "new-test-failure", level) };
    }
    const filter = findingFilter(c.metric);
    if (filter) {
      if (!measuresFindings(current.summary, c.metric)) return none(`this snapshot has no report that measures ${c.metric}`);
      if (!measuresFindings(baseline.summary, c.metric)) return none(`the baseline (snapshot ${baseline.ref.id}) has no report that measures ${c.metric}`);
      // Only tools that ran on both sides can say what is new: a tool that stopped reporting would hide its new findings.
      const now = new Set(current.findingTools);
      const then = new Set(baseline.findingTools);
      const lost = [...then].filter((t) => !now.has(t));
      if (lost.length > 0) return none(`${lost.join(", ")} reported in the baseline (snapshot ${baseline.ref.id}) but not in this snapshot`);
      const added = [...now].filter((t) => !then.has(t));
      const known = new Set(baseline.findings.filter(filter).map((f) => f.fingerprint));
      const fresh = current.findings.filter((f) => filter(f) && then.has(f.source) && !known.has(f.fingerprint));
      const note = added.length > 0 ? `; ${added.join(", ")} did not run in the baseline, so none of its findings count as new` : "";
      return { value: fresh.length, missing: null, explanation: `not in the baseline (matched by fingerprint, so moved lines are not new)${note}`, items: findingItems(fresh) };
    }
    const severity = SEVERITY_METRIC.exec(c.metric)?.[1];
    if (severity) {
      if (current.summary.security[severity as "high"] === null) return none("this snapshot has no dependency audit");
      if (baseline.summary.security[severity as "high"] === null) return none(`the baseline (snapshot ${baseline.ref.id}) has no dependency audit`);
      const known = new Set(baseline.advisories.map((a) => `${a.advisoryId} ${a.package}`));
      const fresh = current.advisories.filter((a) => a.severity === severity && !known.has(`${a.advisoryId} ${a.package}`));
      return { value: fresh.length, missing: null, explanation: "advisories not in the baseline", items: advisoryItems(fresh) };
    }
    return none(`"${c.metric}" has no new scope`);
  };

  const measureDelta = (c: ConditionSpec): Measure => {
    if (!baseline || !before) return none(noBaseline);
    const now = overall[c.metric] ?? null;
    const then = before[c.metric] ?? null;
    if (now === null) return none(missingOverall(c.metric, current.summary));
    if (then === null) return none(`the baseline (snapshot ${baseline.ref.id}) has no ${c.metric}`);
    return { value: round2(now - then), missing: null, explanation: `${then} in the baseline → ${now} now`, items: [] };
  };

  const expired = spec.waivers.filter((w) => w.expires < input.today);
  const active = spec.waivers.filter((w) => w.expires >= input.today);
  const applied: WaiverSpec[] = [];
  const conditions: ConditionResult[] = spec.conditions.map((c) => {
    const m = c.scope === "overall" ? measureOverall(c) : c.scope === "new" ? measureNew(c) : measureDelta(c);
    const met = m.value === null ? null : compare(m.value, c.op, c.threshold);
    const ok = met === true || m.vacuous === true || (met === null && c.whenMissing === "pass");
    const waiver = ok ? null : (active.find((w) => w.condition === c.id) ?? null);
    if (waiver) applied.push(waiver);
    const verdict = ok ? "pass" : waiver ? "waived" : c.severity === "warn" ? "warn" : "fail";
    const explanation = m.value === null && !m.vacuous ? `no data: ${m.missing ?? "not measured"}${c.whenMissing === "pass" ? " (when_missing: pass)" : ""}` : m.explanation;
    return { ...c, value: m.value, missing: m.missing, met, verdict, waiver, explanation, items: m.items.slice(0, ITEMS_LIMIT), itemsTotal: m.items.length };
  });

  const count = (v: ConditionResult["verdict"]) => conditions.filter((c) => c.verdict === v).length;
  const refOf = (s: GateSnapshot | null) => (s ? s.ref : null);
  return {
    schemaVersion: 1,
    gate: spec.name,
    description: spec.description,
    verdict: conditions.some((c) => c.verdict === "fail") ? "NO-GO" : "GO",
    evaluatedOn: input.today,
    pathPrefix: input.pathPrefix ?? "",
    snapshot: current.ref,
    baseline: { spec: formatBaselineSpec(spec.baseline), snapshot: refOf(baseline), commit: input.baselineCommit, missing: baseline ? null : noBaseline },
    conditions,
    regressions,
    flaky,
    changedLines: input.changedLines,
    waivers: { applied, expired },
    counts: { failed: count("fail"), warned: count("warn"), waived: count("waived"), passed: count("pass") },
  };
}

function missingOverall(metric: string, summary: AssessSummary): string {
  // The summary says why (no report at all, or reports with no test case); older summaries may not.
  if (metric.startsWith("tests.")) return summary.tests.reasons?.[0] ?? "no test report was read";
  if (metric.startsWith("coverage.")) return summary.coverage.status === "degraded" ? `coverage is degraded: ${summary.coverage.reasons.join("; ")}` : `no ${metric.slice(9)} coverage in the reports`;
  if (metric.startsWith("lint.")) return "no lint report was read";
  if (metric === "type_errors") return "no type-check report was read";
  if (metric === "security.sast") return "no security scan was read";
  if (metric.startsWith("security.")) return "no dependency audit was read (npm audit, OSV-Scanner, pip-audit, cargo audit, govulncheck)";
  if (metric === "docs.broken_links") return "the docs link check did not run";
  if (metric === "findings") return "no lint, type-check or security-scan report was read";
  return "not measured";
}
