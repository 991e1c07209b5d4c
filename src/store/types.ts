import type { ProducingTool, ReportFormat, TestStatus } from "../ingest/types.js";
import type { GitState } from "../snapshot/git-state.js";

export type { GitState };

/** A report a snapshot read. Facts and detail rows point at it by `sourceIndex` (position in `sources`). */
export interface SourceRecord {
  path: string;
  sha256: string;
  bytes: number;
  format: ReportFormat;
  tool: ProducingTool | null;
  /** The collector that produced or named it, if any. */
  collector: string | null;
}

/** One measured number. `value` null means "measured as unknown", never 0. */
export interface FactRecord {
  key: string;
  value: number | null;
  /** Package / component, or null for the whole repository. */
  component: string | null;
  sourceIndex: number | null;
}

export interface TestResultRecord {
  /** Stable identity: file + suite path + name. */
  testId: string;
  file: string | null;
  suite: string;
  name: string;
  status: TestStatus;
  durationMs: number | null;
  message: string | null;
  flaky: boolean;
  sourceIndex: number;
}

export interface CoverageFileRecord {
  /** Repository-relative path when resolved, else the report's path. */
  path: string;
  package: string;
  resolved: boolean;
  linesCovered: number | null;
  linesTotal: number | null;
  branchesCovered: number | null;
  branchesTotal: number | null;
  functionsCovered: number | null;
  functionsTotal: number | null;
  statementsCovered: number | null;
  statementsTotal: number | null;
  /** Covered and uncovered line numbers as ranges ("1-4,9"), or null without per-line detail. */
  coveredLines: string | null;
  uncoveredLines: string | null;
  sourceIndex: number;
}

export interface FindingRecord {
  /** Stable across line moves: rule + normalised path + hash of the flagged line's text. */
  fingerprint: string;
  tool: string;
  kind: "lint" | "type" | "security";
  ruleId: string | null;
  level: "error" | "warning" | "note";
  message: string;
  file: string | null;
  line: number | null;
  suppressed: boolean;
  sourceIndex: number;
}

export interface AdvisoryRecord {
  advisoryId: string;
  aliases: string[];
  package: string;
  versions: string[];
  severity: "critical" | "high" | "moderate" | "low" | "info";
  title: string;
  url: string | null;
  fixAvailable: boolean | null;
  sourceIndex: number;
}

/** What `saveSnapshot` takes: the snapshot and all its rows, stored in one transaction. */
export interface NewSnapshot {
  takenAt: string;
  git: GitState;
  configHash: string | null;
  /** The rendered summary (the documented `--json` shape), kept so history never needs recomputing. */
  summary: unknown;
  sources: SourceRecord[];
  facts: FactRecord[];
  tests: TestResultRecord[];
  coverageFiles: CoverageFileRecord[];
  /** Absent = none (snapshots of test and coverage reports only). */
  findings?: FindingRecord[];
  advisories?: AdvisoryRecord[];
  /** Events that belong to this snapshot (alerts), written in the same transaction with subject "snapshot:<id>". */
  events?: { type: string; data?: unknown }[];
}

export interface SnapshotRecord {
  id: number;
  takenAt: string;
  git: GitState;
  configHash: string | null;
  /**
   * What the snapshot measured (`snapshotInputsHash`: tree or commit, report sha256s, config hash), computed by
   * `saveSnapshot`; null for snapshots stored before it existed, or when the measured tree is unknown.
   */
  inputsHash: string | null;
  summary: unknown;
}

export interface StoredSource extends SourceRecord {
  id: number;
}

/** Detail rows as read back: `sourceIndex` becomes the stored source's id. */
export type Stored<T extends { sourceIndex: number | null }> = Omit<T, "sourceIndex"> & { sourceId: T["sourceIndex"] };
export type StoredFact = Stored<FactRecord>;
export type StoredTestResult = Stored<TestResultRecord>;
export type StoredCoverageFile = Stored<CoverageFileRecord>;
export type StoredFinding = Stored<FindingRecord>;
export type StoredAdvisory = Stored<AdvisoryRecord>;

/** A name for a snapshot that gates compare against (`shipgate baseline set NAME [SNAPSHOT]`). */
export interface BaselineRecord {
  name: string;
  snapshotId: number;
  setAt: string;
}

export interface SnapshotQuery {
  limit?: number;
  /** Only snapshots taken on this git branch. */
  branch?: string;
  /** Only snapshots taken at this commit. */
  commit?: string;
  /** Only snapshots older than this id. */
  beforeId?: number;
  /** Only snapshots whose inputs hash differs from this one; a snapshot without an inputs hash always differs. */
  inputsDifferFrom?: string;
  /** Only snapshots taken at or after this time (ISO 8601). */
  from?: string;
  /** Only snapshots taken before this time. */
  to?: string;
}

export interface StoreEvent {
  id: number;
  at: string;
  type: string;
  subject: string | null;
  data: unknown;
}

export interface NewEvent {
  type: string;
  subject?: string | null;
  data?: unknown;
  /** When it happened (ISO 8601). Drivers never read a clock: every write is stamped by its caller. */
  at: string;
}

/** A window of time: `from` inclusive, `to` exclusive, both ISO 8601; either may be left open. */
export interface TimeRange {
  from?: string;
  to?: string;
}

export interface EventQuery extends TimeRange {
  /** Only events of this type. */
  type?: string;
  /** Only events whose type starts with this ("task." — every task move). */
  typePrefix?: string;
  /** Only events of one of these types (an empty list: none). Combines with `type` and `typePrefix` (all must hold). */
  types?: string[];
  /** Only events after this id (for tailing the log). */
  afterId?: number;
  limit?: number;
}

/** One fact of one snapshot, as the tracker's series read them: many snapshots in one query. */
export interface FactPoint {
  snapshotId: number;
  takenAt: string;
  branch: string | null;
  key: string;
  value: number | null;
  component: string | null;
}

export interface FactSeriesQuery extends TimeRange {
  /** Only snapshots taken on this git branch. */
  branch?: string;
  /** Only these fact keys (all when absent). */
  keys?: string[];
}

/**
 * A task's place in the queue. `pending` → `in_progress` (started or claimed) → `done` | `failed`;
 * `blocked` parks a task until someone moves it back to `pending`; `failed` is retried like `pending`.
 */
export type TaskState = "pending" | "in_progress" | "done" | "failed" | "blocked";

/**
 * How one attempt ended. `done`, `failed`, `error` (the runner itself broke: could not start, crashed), `timeout`,
 * `cancelled` (stopped on purpose, or the task was moved by hand while the run held it), `lost` (its lease expired:
 * the worker stopped heartbeating — crashed, killed, cut off).
 */
export type RunOutcome = "done" | "failed" | "error" | "timeout" | "cancelled" | "lost";
export const RUN_OUTCOMES: readonly RunOutcome[] = ["done", "failed", "error", "timeout", "cancelled", "lost"];

/** What an agent reported it used, when it reports it. */
export interface RunUsage {
  inputTokens?: number;
  outputTokens?: number;
  /** In US dollars. */
  costUsd?: number;
}

/**
 * One attempt at a task: a claim with a lease, until it ends. `epoch` is the fencing token: it grows with every
 * claim of the task, and only the holder of the current epoch may heartbeat or finish the run.
 */
export interface TaskRun {
  id: number;
  taskId: string;
  agent: string;
  /** The task's attempt number this run is (1 for the first claim). */
  attempt: number;
  epoch: number;
  startedAt: string;
  /** The last heartbeat (the claim counts as the first). */
  heartbeatAt: string;
  /** The run is lost once this passes without a heartbeat (`expireLeases`). */
  leaseExpiresAt: string;
  /** Null while the run holds its task. */
  endedAt: string | null;
  outcome: RunOutcome | null;
  exitCode: number | null;
  /** Where its output is kept (a file path), when a runner keeps it. */
  log: string | null;
  usage: RunUsage | null;
  /** Why it ended, in words (the failure's last line, "lease expired", …). */
  note: string | null;
}

export interface RunQuery extends TimeRange {
  /** Range on `startedAt`. */
  taskId?: string;
  agent?: string;
  /** Only runs that still hold their task (true) or only ended ones (false). */
  open?: boolean;
  limit?: number;
}

export interface ClaimRequest {
  /** The agent claiming; becomes the task's `claimedBy` and the run's `agent`. */
  agent: string;
  at: string;
  /** How long the lease lasts without a heartbeat, in milliseconds. */
  leaseMs: number;
  /** Claim this task (when ready: see `Store.claimTask`) instead of the next ready one. */
  taskId?: string;
  /** Only tasks whose owner is the agent (default true; ignored with `taskId`). */
  ownedOnly?: boolean;
  note?: string;
}

export interface RunUpdate {
  at: string;
  log?: string | null;
  usage?: RunUsage | null;
}

export interface RunFinish extends RunUpdate {
  /** `lost` is `expireLeases`' alone. */
  outcome: Exclude<RunOutcome, "lost">;
  exitCode?: number | null;
  note?: string | null;
}

/** A task as the plan defines it (what `importPlan` writes); the queue state lives in `TaskRecord`. */
export interface ImportedTask {
  id: string;
  title: string;
  owner: string;
  priority: "P0" | "P1" | "P2" | "P3";
  /** Hours of slack on the critical-path schedule; 0 = on the critical path. */
  slack: number;
  /** Ids of the tasks that must be `done` before this one may start. */
  dependsOn: string[];
  /** Its phase: it also waits for every task of the phases its phase waits for (`PlanImport.phaseWaits`). */
  phase: string;
  /**
   * How many attempts it gets (1 + retries). A failed task is claimed again only while `attempts` is below it;
   * then it stays failed for good (the dead letter) until someone resets it (moves it back to pending, which gives
   * it this many attempts again). Cancelled runs do not use it up; lost ones (lease expired) do. Null: no limit.
   */
  maxAttempts: number | null;
}

/** What `importPlan` takes: the validated plan, the hash of its file, and its tasks in plan order. */
export interface PlanImport {
  /** Content hash of the plan file: an import with the latest plan's hash writes nothing. */
  hash: string;
  /** Where the plan came from (file path), for messages and history. */
  source: string;
  /** The plan as imported, stored as JSON and returned unchanged by `getPlan`. */
  content: unknown;
  /** In the plan order (src/plan/order.ts): listTasks returns them, and claims take them, in this order. Ids are unique. */
  tasks: ImportedTask[];
  /** Per phase, every phase it waits for, directly or transitively (replaced on each import). */
  phaseWaits: Record<string, string[]>;
}

/** Which plan imports `listPlans` returns: `importedAt` in the range (from inclusive, to exclusive). */
export interface PlanQuery extends TimeRange {
  /** false: each plan's `content` is null (not read, not parsed). Default true. */
  content?: boolean;
}

export interface StoredPlan {
  id: number;
  hash: string;
  source: string;
  importedAt: string;
  content: unknown;
}

export interface TaskRecord extends ImportedTask {
  state: TaskState;
  /** The agent that started or claimed the task last; kept after done/failed/blocked, cleared when it goes back to pending. */
  claimedBy: string | null;
  /**
   * How many attempts of the task's current budget were used: + 1 on each start or claim, − 1 when a run ends
   * `cancelled` (released, Ctrl-C, moved by hand to blocked: it does not count), and back to 0 when the task is moved
   * back to pending from blocked or failed (a reset: a fresh budget; earlier runs keep their attempt numbers, and run
   * ids tell them apart). Runs that end failed, error, timeout or lost count.
   */
  attempts: number;
  /** The note given with the latest transition, or null. */
  note: string | null;
  /** True when the latest plan no longer lists the task: kept for history, never claimed or started. */
  removed: boolean;
  updatedAt: string;
  /** The epoch of the latest claim with a lease (0 before the first): the fencing token its run holds. */
  leaseEpoch: number;
}

/** Who asks for a transition, why, and whether to skip the usual order (only `done` honours `force`). */
export interface TaskTransitionBy {
  /** The agent asking; null for a person or tool without one. Becomes `claimedBy` when the task starts. */
  agent: string | null;
  note?: string;
  /** Allows `done` from pending, failed or blocked (default false). */
  force?: boolean;
  /**
   * Compare-and-set on the claimer: the `claimedBy` the caller saw when it decided to move the task (null:
   * nobody). The move is refused (INVALID_TRANSITION) when the task's claimer changed since — another agent
   * failed and re-took it while this caller's acceptance ran. Undefined: no check.
   */
  expectHolder?: string | null;
}

export interface ClaimOptions {
  /** Only tasks whose owner is the claiming agent (default true). */
  ownedOnly?: boolean;
}

/** What `schema` reports: the version the database is at and the newest this build knows. */
export interface SchemaVersion {
  /** 0 for an empty database. */
  version: number;
  latest: number;
}

/**
 * Administration under the contract, for `shipgate db migrate|status|copy`. Rows cross drivers in one canonical
 * form (store/tables.ts): every table's columns by name, integers and reals as numbers, flags as 0/1, JSON and
 * timestamps as the text both drivers store. A copy is exact: ids, order and every value.
 */
export interface StoreAdmin {
  schema(): Promise<SchemaVersion>;
  /**
   * Applies the migrations the database lacks, each in its own transaction (serialized across processes);
   * refuses with SCHEMA_TOO_NEW a database newer than this build. Idempotent.
   */
  migrate(): Promise<{ from: number; to: number; applied: { version: number; name: string }[] }>;
  /**
   * Rows per table (store/tables.ts names, every one of them). A table the database's schema does not have yet (a
   * store opened without migrating, for `db status`) counts 0.
   */
  counts(): Promise<Record<string, number>>;
  /**
   * One page of a table in its copy order (store/tables.ts `order`), starting after `cursor` (null: the start).
   * `next` is null on the page that ends the table; a caller reads until then (that page may be empty, when the
   * one before it ended exactly at the table's end).
   */
  readRows(table: string, cursor: string | null, limit: number): Promise<{ rows: Record<string, unknown>[]; next: string | null }>;
  /** Inserts canonical rows as they are (ids included), in one transaction. */
  writeRows(table: string, rows: Record<string, unknown>[]): Promise<void>;
  /** After a copy: id sequences continue after the highest copied id. */
  finishCopy(): Promise<void>;
}
/**
 * The single source of truth for history. Every driver (SQLite, PostgreSQL) implements this contract and passes
 * `test/store/conformance.ts` against a real database. Open one with `openStore` (store/open-store.ts).
 *
 * - Methods are async so that network drivers fit; the SQLite driver resolves synchronously-done work.
 * - Drivers never read the clock: every write takes its time (`at`, `takenAt`) from the caller, so history and
 *   leases can be replayed and tested with a fixed clock. Times are UTC as `Date#toISOString` writes them
 *   (`2026-12-01T09:00:00.000Z`): drivers store them as text and compare them as text (ranges, lease expiry), so a
 *   caller passes that form (the CLI's clock does).
 * - Drivers do the locking query and the compare-and-set; the task rules (which moves are allowed, the wording of
 *   INVALID_TRANSITION / NOT_READY, event payloads, the duplicate-id check) are store/task-state.ts's.
 * - `saveSnapshot` writes the snapshot, its sources, facts, test results, coverage rows, findings, advisories and a
 *   `snapshot.created` event in ONE transaction: after a crash or an error either all are there or none. It stores
 *   the snapshot's `inputsHash` (`snapshotInputsHash`, the same function in every driver).
 * - Reads return rows in a stable order: snapshots newest first; detail rows in insertion order.
 * - Events are append-only; nothing updates or deletes them. A call that appends several appends them in the order
 *   its doc names them: a claim `task.started` then `run.started`; a run's end (finishRun, expireLeases, a move by
 *   hand) `run.finished` then the task's `task.<state>`.
 * - Plan and tasks: `importPlan` keeps the queue state of tasks across plan edits; `claimTask`, `finishRun`, `expireLeases` and
 *   `transitionTask` are atomic across processes (and, for a network driver, machines), each writing its event in the
 *   same transaction.
 * - `setBaseline` points a name at a snapshot (replacing what it pointed at) and records a `baseline.set`
 *   event in the same transaction; an unknown snapshot id rejects with NOT_FOUND and changes nothing.
 * - `close` releases the connection; calling any method after it rejects with STORE_UNAVAILABLE.
 */
export interface Store {
  readonly driver: "sqlite" | "postgres";
  /** Human-readable location (file path or URL without password), for messages. */
  readonly location: string;
  saveSnapshot(snapshot: NewSnapshot): Promise<SnapshotRecord>;
  /** Newest first. */
  listSnapshots(options?: SnapshotQuery): Promise<SnapshotRecord[]>;
  getSnapshot(id: number): Promise<SnapshotRecord | undefined>;
  getSources(snapshotId: number): Promise<StoredSource[]>;
  getFacts(snapshotId: number): Promise<StoredFact[]>;
  getTestResults(snapshotId: number): Promise<StoredTestResult[]>;
  getCoverageFiles(snapshotId: number): Promise<StoredCoverageFile[]>;
  getFindings(snapshotId: number): Promise<StoredFinding[]>;
  getAdvisories(snapshotId: number): Promise<StoredAdvisory[]>;
  setBaseline(name: string, snapshotId: number, at: string): Promise<BaselineRecord>;
  getBaseline(name: string): Promise<BaselineRecord | undefined>;
  /** By name. */
  listBaselines(): Promise<BaselineRecord[]>;
  appendEvent(event: NewEvent): Promise<StoreEvent>;
  /** Oldest first (by id); `from`/`to` select on `at`. One query whatever the range. */
  listEvents(options?: EventQuery): Promise<StoreEvent[]>;
  /**
   * Optional (PostgreSQL has it, SQLite does not): calls `onHint` soon after any process commits events to the store —
   * a hint to read them now with `listEvents({ afterId })`, never the events themselves. `lastId` is the highest id
   * one write appended (hints may be dropped, merged or repeated; undefined: read anyway). Also called once each time
   * watching (re)starts, so that a reader catches up on what it may have missed while not watching. Keeps one
   * connection of its own and reconnects when it drops; reading stays the truth, so a caller keeps polling too.
   * Returns the function that stops watching; `close` stops it as well.
   */
  watchEvents?(onHint: (lastId: number | undefined) => void): () => void;
  /**
   * The id of the newest event, 0 when there is none: one indexed read, whatever the log's size. Called before every
   * cached read of `shipgate serve` (src/server/cache.ts): every write but `heartbeat` (and `admin`) appends an event
   * in its transaction, so an unchanged id means nothing but leases and time moved since.
   */
  lastEventId(): Promise<number>;
  /**
   * The facts of every snapshot taken in the range (on `branch` when given), oldest snapshot first (by `takenAt`, then
   * id: a snapshot saved late with an earlier time sorts by its time), each snapshot's
   * facts in insertion order: the tracker's series in ONE query, never one per snapshot.
   */
  listFactSeries(query?: FactSeriesQuery): Promise<FactPoint[]>;
  /**
   * Called whenever a plan file is (re)read for the queue, before tasks are listed or moved. When `plan.hash` equals
   * the latest plan's hash, returns that plan with `changed: false` and writes nothing (no event). Otherwise, in ONE
   * transaction: stores the plan (`at` is its `importedAt`); inserts new task ids as `pending`;
   * updates the definition (title, owner, priority, slack, dependsOn, phase, maxAttempts, order) of ids already stored while keeping
   * their state, claimedBy, attempts and note (a removed id that comes back is no longer removed); marks ids the
   * plan no longer lists `removed`; appends a `plan.imported` event (subject: the plan id) with
   * `{ hash, source, tasks, added, updated, removed }` — `updated` counts ids whose definition changed, `removed`
   * ids removed by this import. Two tasks with one id reject with PLAN_INVALID and write nothing.
   */
  importPlan(plan: PlanImport, at: string): Promise<{ plan: StoredPlan; changed: boolean }>;
  /**
   * The latest imported plan, or undefined before the first import. With `{ content: false }` its
   * `content` is null: checking the hash of a 100 000-task plan should not parse the whole plan.
   */
  getPlan(options?: { content?: boolean }): Promise<StoredPlan | undefined>;
  /**
   * Every imported plan whose `importedAt` is in the range, oldest first (by `importedAt`, then id: a plan imported late
   * with an earlier time sorts by its time), in ONE query whatever their number: the tracker's scope history (each
   * import's tasks and estimates). With `{ content: false }` every `content` is null and no plan is parsed.
   */
  listPlans(query?: PlanQuery): Promise<StoredPlan[]>;
  /** Every stored task: those of the latest plan in plan order, then removed ones (in their last plan order). */
  listTasks(): Promise<TaskRecord[]>;
  getTask(id: string): Promise<TaskRecord | undefined>;
  /**
   * What `claimTask` would claim now, without claiming it (a read: another process may claim it first). READY means:
   * state `pending`, or `failed` with attempts left (`maxAttempts` null or above `attempts`); not removed; every id in
   * `dependsOn` `done` (an id that is not stored counts as not done); every task of the phases its phase waits for
   * done. The first ready task in the order `importPlan` received the tasks (the plan order, src/plan/order.ts);
   * with `ownedOnly` (default true) only tasks whose owner is `agent`. Cost grows with the number of not-ready tasks
   * ahead of the first ready one, never with loading all tasks.
   */
  nextTask(agent: string, options?: ClaimOptions): Promise<TaskRecord | undefined>;
  /**
   * The first `limit` tasks `nextTask` would give one after another if none were claimed meanwhile: every READY task
   * (as `nextTask` defines it) of any owner, in claim order. For the dispatcher, which picks among ready tasks those
   * that do not collide with running ones. A read: another process may claim any of them first.
   */
  listReadyTasks(limit: number): Promise<TaskRecord[]>;
  /**
   * Called by a worker (or the dispatcher for an agent) asking for work with a lease. Takes the task `nextTask`
   * would give (or `request.taskId`, refused as `transitionTask` refuses a start: NOT_FOUND, NOT_READY,
   * INVALID_TRANSITION — and INVALID_TRANSITION for a blocked task or a failed one out of attempts, which a claim never
   * takes: task-state.ts `checkClaimable`) and, in ONE write transaction: moves it to `in_progress` with `claimedBy = agent`,
   * attempts + 1, note = `request.note` ?? null, leaseEpoch + 1; opens a run (attempt = the new attempts, epoch = the
   * new leaseEpoch, startedAt = heartbeatAt = `at`, leaseExpiresAt = `at` + leaseMs); appends `task.started`
   * (data as `transitionTask` writes, plus `run`: the run id) and `run.started` (subject: the run id; data
   * `{ task, agent, attempt, epoch, leaseExpiresAt }`). Concurrent callers, in any process or on any machine, never
   * get the same task. Resolves undefined when no task is ready.
   */
  claimTask(request: ClaimRequest): Promise<{ task: TaskRecord; run: TaskRun } | undefined>;
  /**
   * Extends the run's lease to `at` + leaseMs and stamps `heartbeatAt`, replacing `log`/`usage` when given (absent or
   * null keeps what is stored; the same in `finishRun`). No event.
   * Rejects with LEASE_LOST when the run has ended (expired, cancelled, finished) or `epoch` is not the run's — a
   * stale worker learns it lost the task; NOT_FOUND for an unknown run.
   */
  heartbeat(runId: number, epoch: number, leaseMs: number, update: RunUpdate): Promise<TaskRun>;
  /**
   * Ends the run the caller holds (the same LEASE_LOST / NOT_FOUND checks as `heartbeat`) and moves its task, in ONE
   * transaction: outcome `done` → task `done`; `failed` | `error` | `timeout` → task `failed` (claimed again while it
   * has attempts left); `cancelled` → task `pending` (released; claimedBy cleared; attempts − 1: a cancelled run does not
   * count, so the next claim has the same attempt number). The task's note becomes
   * `finish.note` ?? null. Appends `run.finished` (subject: the run id; data `{ task, agent, attempt, epoch, outcome,
   * exitCode }`) and the task's `task.<state>` event (data as `transitionTask` writes, plus `run`).
   */
  finishRun(runId: number, epoch: number, finish: RunFinish): Promise<{ task: TaskRecord; run: TaskRun }>;
  /**
   * Ends every open run whose lease expired before `at` (`leaseExpiresAt` < `at`; a lease expiring at `at` stays) with
   * outcome `lost` (endedAt `at`, note "lease expired"), and moves its task back to `pending` (claimedBy cleared), or
   * to `failed` when it has no attempts left (the dead letter; claimedBy kept), with `run.finished` and
   * `task.<state>` events — the task's note becomes "lease expired" and its event's `agent` is null (nobody moved
   * it). One transaction per run, so a concurrent heartbeat that lands first keeps its run. Resolves to the runs it
   * ended, in id order.
   */
  expireLeases(at: string): Promise<TaskRun[]>;
  getRun(id: number): Promise<TaskRun | undefined>;
  /** By id (start order); `from`/`to` select on `startedAt`. One query. */
  listRuns(query?: RunQuery): Promise<TaskRun[]>;
  /**
   * Called by `shipgate task start|done|fail|block|…` and the exec layer to move one task. Allowed moves:
   * - `in_progress` (start) from pending, failed or blocked, when every dependency is `done` — otherwise NOT_READY
   *   naming each unmet dependency and its state; sets claimedBy = `by.agent`, attempts + 1. A task already
   *   in_progress refuses with INVALID_TRANSITION naming who holds it (of two concurrent starts exactly one wins);
   *   a removed task refuses with INVALID_TRANSITION.
   * - `done` from in_progress; with `force` also from pending, failed or blocked (dependencies unchecked).
   * - `failed` from in_progress.
   * - `blocked` from pending, in_progress or failed.
   * - `pending` from blocked or failed (unblock, retry: a reset); clears claimedBy and sets attempts to 0, a fresh
   *   budget of `maxAttempts` (the next run is attempt 1 again).
   * Anything else rejects with INVALID_TRANSITION (the hint lists the moves the current state allows); an unknown
   * id with NOT_FOUND. The rules and their wording are store/task-state.ts's, shared by every driver. The check and
   * the write are one compare-and-set in one write transaction, together with a `task.<state>` event
   * (`task.started` for in_progress; subject: the task id; data `{ from, to, agent, note, force }`, note null and
   * force false when not given) stamped `at`. `note` replaces the task's note (null when not given). A task that
   * leaves `in_progress` while a run holds it ends that run in the same transaction (outcome done / failed as the
   * task's new state, else cancelled; with its `run.finished` event), so its worker's next heartbeat gets
   * LEASE_LOST; a run ended as cancelled does not count (attempts − 1). Resolves to the task as written.
   */
  transitionTask(id: string, to: TaskState, by: TaskTransitionBy, at: string): Promise<TaskRecord>;
  /** Schema and copy operations (`shipgate db`). */
  readonly admin: StoreAdmin;
  close(): Promise<void>;
}
