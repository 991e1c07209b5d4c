/**
 * Rows as PostgreSQL returns them are the canonical rows SQLite returns (bigint parsed to numbers, flags 0/1, JSON
 * and timestamps text): the task, plan and run conversions are SQLite's, shared; the snapshot ones live here.
 */
import type { SnapshotRecord, StoredAdvisory, StoredCoverageFile, StoredFact, StoredFinding, StoredSource, StoredTestResult } from "../types.js";

export { taskFacts, toPlan, toRun, toTask, type PlanRow, type RunRow, type TaskRow } from "../sqlite/rows.js";

export type Row = Record<string, unknown>;

export const toSnapshot = (r: Row): SnapshotRecord => ({
  id: r.id as number,
  takenAt: r.taken_at as string,
  git: {
    commit: r.git_commit as string | null,
    branch: r.git_branch as string | null,
    dirty: r.git_dirty === null ? null : r.git_dirty === 1,
    tree: r.git_tree as string | null,
  },
  configHash: r.config_hash as string | null,
  inputsHash: r.inputs_hash as string | null,
  summary: JSON.parse(r.summary as string) as unknown,
});

export const toSource = (r: Row): StoredSource => ({
  id: r.id as number,
  path: r.path as string,
  sha256: r.sha256 as string,
  bytes: r.bytes as number,
  format: r.format as StoredSource["format"],
  tool: r.tool === null ? null : r.tool_version === null ? { name: r.tool as string } : { name: r.tool as string, version: r.tool_version as string },
  collector: r.collector as string | null,
});

export const toFact = (r: Row): StoredFact => ({ key: r.key as string, value: r.value as number | null, component: r.component as string | null, sourceId: r.source_id as number | null });

export const toTest = (r: Row): StoredTestResult => ({
  testId: r.test_id as string,
  file: r.file as string | null,
  suite: r.suite as string,
  name: r.name as string,
  status: r.status as StoredTestResult["status"],
  durationMs: r.duration_ms as number | null,
  message: r.message as string | null,
  flaky: r.flaky === 1,
  sourceId: r.source_id as number,
});

export const toCoverage = (r: Row): StoredCoverageFile => ({
  path: r.path as string,
  package: r.package as string,
  resolved: r.resolved === 1,
  linesCovered: r.lines_covered as number | null,
  linesTotal: r.lines_total as number | null,
  branchesCovered: r.branches_covered as number | null,
  branchesTotal: r.branches_total as number | null,
  functionsCovered: r.functions_covered as number | null,
  functionsTotal: r.functions_total as number | null,
  statementsCovered: r.statements_covered as number | null,
  statementsTotal: r.statements_total as number | null,
  coveredLines: r.covered_lines as string | null,
  uncoveredLines: r.uncovered_lines as string | null,
  sourceId: r.source_id as number,
});

export const toFinding = (r: Row): StoredFinding => ({
  fingerprint: r.fingerprint as string,
  tool: r.tool as string,
  kind: r.kind as StoredFinding["kind"],
  ruleId: r.rule_id as string | null,
  level: r.level as StoredFinding["level"],
  message: r.message as string,
  file: r.file as string | null,
  line: r.line as number | null,
  suppressed: r.suppressed === 1,
  sourceId: r.source_id as number,
});

export const toAdvisory = (r: Row): StoredAdvisory => ({
  advisoryId: r.advisory_id as string,
  aliases: JSON.parse(r.aliases as string) as string[],
  package: r.package as string,
  versions: JSON.parse(r.versions as string) as string[],
  severity: r.severity as StoredAdvisory["severity"],
  title: r.title as string,
  url: r.url as string | null,
  fixAvailable: r.fix_available === null ? null : r.fix_available === 1,
  sourceId: r.source_id as number,
});
