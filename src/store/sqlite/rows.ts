import type { ImportedTask, RunOutcome, RunUsage, StoredPlan, TaskRecord, TaskRun, TaskState } from "../types.js";
import type { TaskFacts } from "../task-state.js";

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
