/**
 * Stored rows → records, shared by every driver: both return the canonical rows of tables.ts (integers and reals as
 * numbers, flags 0/1, JSON and timestamps as text), so one conversion serves SQLite and PostgreSQL.
 */
import type { BaselineRecord, FactPoint, SnapshotRecord, StoreEvent, StoredAdvisory, StoredCoverageFile, StoredFact, StoredFinding, StoredSource, StoredTestResult } from "./types.js";
import type { ImportedTask, RunOutcome, RunUsage, StoredPlan, TaskRecord, TaskRun, TaskState } from "./types.js";
import type { TaskFacts } from "./task-state.js";

export interface PlanRow {
  id: number;
  hash: string;
  source: string;
  imported_at: string;
  content: string;
}

export interface TaskRow {
  id: string;
  title: string;
  owner: string;
  priority: ImportedTask["priority"];
  slack: number;
  depends_on: string;
  phase: string;
  ord: number;
  state: TaskState;
  claimed_by: string | null;
  attempts: number;
  note: string | null;
  removed: number;
  updated_at: string;
  version: number;
  max_attempts: number | null;
  lease_epoch: number;
}

export interface RunRow {
  id: number;
  task_id: string;
  agent: string;
  attempt: number;
  epoch: number;
  started_at: string;
  heartbeat_at: string;
  lease_expires_at: string;
  ended_at: string | null;
  outcome: RunOutcome | null;
  exit_code: number | null;
  log: string | null;
  usage: string | null;
  note: string | null;
}

export const toPlan = (row: PlanRow): StoredPlan => ({
  id: row.id,
  hash: row.hash,
  source: row.source,
  importedAt: row.imported_at,
  content: JSON.parse(row.content) as unknown,
});

export const toTask = (row: TaskRow): TaskRecord => ({
  id: row.id,
  title: row.title,
  owner: row.owner,
  priority: row.priority,
  slack: row.slack,
  dependsOn: JSON.parse(row.depends_on) as string[],
  phase: row.phase,
  maxAttempts: row.max_attempts,
  state: row.state,
  claimedBy: row.claimed_by,
  attempts: row.attempts,
  note: row.note,
  removed: row.removed === 1,
  updatedAt: row.updated_at,
  leaseEpoch: row.lease_epoch,
});

/** What task-state.ts's rules read of a row. */
export const taskFacts = (row: TaskRow): TaskFacts => ({
  id: row.id,
  state: row.state,
  claimedBy: row.claimed_by,
  attempts: row.attempts,
  maxAttempts: row.max_attempts,
  removed: row.removed === 1,
  leaseEpoch: row.lease_epoch,
});

export const toRun = (row: RunRow): TaskRun => ({
  id: row.id,
  taskId: row.task_id,
  agent: row.agent,
  attempt: row.attempt,
  epoch: row.epoch,
  startedAt: row.started_at,
  heartbeatAt: row.heartbeat_at,
  leaseExpiresAt: row.lease_expires_at,
  endedAt: row.ended_at,
  outcome: row.outcome,
  exitCode: row.exit_code,
  log: row.log,
  usage: row.usage === null ? null : (JSON.parse(row.usage) as RunUsage),
  note: row.note,
});

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

export const toBaseline = (r: Row): BaselineRecord => ({ name: r.name as string, snapshotId: r.snapshot_id as number, setAt: r.set_at as string });

export const toEvent = (r: Row): StoreEvent => ({
  id: r.id as number,
  at: r.at as string,
  type: r.type as string,
  subject: r.subject as string | null,
  data: r.data === null ? null : (JSON.parse(r.data as string) as unknown),
});

/** A row of the fact series query (snapshot_id, taken_at, git_branch, key, value, component). */
export const toFactPoint = (r: Row): FactPoint => ({
  snapshotId: r.snapshot_id as number,
  takenAt: r.taken_at as string,
  branch: r.git_branch as string | null,
  key: r.key as string,
  value: r.value as number | null,
  component: r.component as string | null,
});
