import type { ProducingTool, ReportFormat, TestStatus } from "../ingest/types.js";

/** The git state a snapshot was taken at; each field null when not in a git checkout. */
export interface GitState {
  commit: string | null;
  branch: string | null;
  dirty: boolean | null;
  /** The working tree's git tree when it differed from `commit` (uncommitted or untracked files); null when clean. */
  tree: string | null;
}

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
  /** Defaults to now. */
  at?: string;
}

/**
 * The single source of truth for history. Every driver (SQLite now, PostgreSQL later) implements
 * this contract and passes `test/store/conformance.ts`.
 *
 * - Methods are async so that network drivers fit; the SQLite driver resolves synchronously-done work.
 * - `saveSnapshot` writes the snapshot, its sources, facts, test results, coverage rows, findings, advisories and a
 *   `snapshot.created` event in ONE transaction: after a crash or an error either all are there or none.
 * - Reads return rows in a stable order: snapshots newest first; detail rows in insertion order.
 * - Events are append-only; nothing updates or deletes them.
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
  setBaseline(name: string, snapshotId: number, at?: string): Promise<BaselineRecord>;
  getBaseline(name: string): Promise<BaselineRecord | undefined>;
  /** By name. */
  listBaselines(): Promise<BaselineRecord[]>;
  appendEvent(event: NewEvent): Promise<StoreEvent>;
  /** Oldest first. */
  listEvents(options?: { type?: string; afterId?: number; limit?: number }): Promise<StoreEvent[]>;
  close(): Promise<void>;
}
