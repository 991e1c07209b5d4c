/**
 * The HTTP API's contract (`shipgate serve`, docs/serve.md): every request and response shape, and the only file the
 * web dashboard imports. The shapes are the documented `--json` ones (docs/json-output.md) wherever the CLI has one;
 * a change here is a change of the API. Types only: nothing here runs.
 */
import type { TaskRecord, TaskState, StoreEvent, StoredPlan, StoredTestResult, StoredCoverageFile, StoredFinding, BaselineRecord, GitState } from "../store/types.js";
import type { AssessSummary } from "../snapshot/types.js";
import type { SnapshotDiff } from "../snapshot/diff.js";
import type { GateResult, GateSpec } from "../gate/types.js";
import type { RunView } from "../report/runs.js";
import type { GanttChart } from "../plan/gantt.js";

import type { RiskView, Tracker } from "../track/model.js";
import type { ErrorCode } from "../errors.js";

export type { AssessSummary, BaselineRecord, GanttChart, GateResult, GateSpec, RiskView, RunView, SnapshotDiff, StoredPlan, StoreEvent, TaskRecord, TaskState, Tracker };

/** Every error: 4xx for a bad request (never a 500 for input), with a stable code (src/errors.ts, plus the HTTP ones). */
export interface ApiError {
  error: {
    code: ErrorCode | "UNAUTHORIZED" | "FORBIDDEN_HOST" | "PAYLOAD_TOO_LARGE" | "UNAVAILABLE" | "INTERNAL";
    /** What is wrong. */
    message: string;
    /** What to do; null when there is nothing to add. */
    hint: string | null;
  };
}

/** `GET /api/snapshots?limit=N&branch=B` (newest first; limit 1–1000, default 20): `shipgate history --json` rows plus score and level. */
export interface SnapshotListItem {
  id: number;
  takenAt: string;
  git: GitState;
  score: number | null;
  level: string | null;
  tests: { status: string; total: number; passed: number; failed: number; errored: number; skipped: number; flaky: number } | null;
  coverage: { status: string; lines: number | null; branches: number | null; functions: number | null; statements: number | null };
}
export type SnapshotListResponse = SnapshotListItem[];

/**
 * `GET /api/snapshots/:ref` (`ref`: an id or `latest`): the summary as `shipgate show --json` prints it, and the
 * detail rows a drill-down needs.
 */
export interface SnapshotDetailResponse {
  summary: AssessSummary;
  tests: StoredTestResult[];
  coverageFiles: StoredCoverageFile[];
  findings: StoredFinding[];
}

/** `GET /api/diff?a=REF&b=REF` (default latest~1 and latest): `shipgate diff --json`. */
export type DiffResponse = SnapshotDiff;

/**
 * `GET /api/gate?gate=NAME&snapshot=REF&baseline=SPEC&date=YYYY-MM-DD`: `shipgate gate --json` (a GateResult). A read:
 * unlike the CLI it records no `gate.evaluated` event (a dashboard refreshing it would fill the log and the tracker's
 * milestones would count page views); record a verdict with `shipgate gate`.
 */
export type GateResponse = GateResult;

/**
 * `GET /api/gates`: every gate of the project (the built-in ones, replaced or extended by shipgate.yaml's, then its
 * own), as `shipgate gate --list --json` prints them, with the last verdict recorded for each (`gate.evaluated`
 * events of `shipgate gate` / `assess --gate`; null when none was recorded). Reads only.
 */
export interface GateListItem extends GateSpec {
  /** Not named in shipgate.yaml: shipgate's own definition. */
  builtIn: boolean;
  last: { verdict: "GO" | "NO-GO"; at: string; snapshotId: number | null; failed: string[] } | null;
}
export type GatesResponse = GateListItem[];

/** `GET /api/plan`: the latest imported plan (404 before the first import). */
export type PlanResponse = StoredPlan;

/**
 * `GET /api/plan/gantt?date=YYYY-MM-DD&maxTasks=N`: the stored plan's Gantt chart with the stored task states and the
 * critical path (`shipgate plan gantt`'s model; `date` is the today line, default today; at most 500 bars unless
 * `maxTasks`). `GET /api/plan/gantt.svg` is the same chart drawn as `plan gantt --svg` draws it.
 */
export type GanttResponse = GanttChart;

/**
 * `GET /api/tasks?state=S&owner=A&limit=N&offset=M`: the latest plan's tasks in plan order (`shipgate task list --json`);
 * with `limit` (1–10 000) and `offset`, that page of them. `X-Total-Count` says how many match in all.
 */
export type TaskListResponse = TaskRecord[];

/** `GET /api/runs?task=ID&agent=A&open=true|false&limit=N` (oldest first, the newest N; default 50): `shipgate task runs --json`. */
export type RunListResponse = RunView[];

/** `GET /api/runs/:id/log?tail=N`: the log as text/plain, streamed; only files under the project's `.shipgate/runs/`. */

/** `GET /api/tracker?asOf=YYYY-MM-DD`: `shipgate track --json` (replayed for a past day; stores no alert). */
export type TrackerResponse = Tracker;

/**
 * `GET /api/tracker?view=summary&asOf=…`: the same tracker without its per-task and per-run detail — `tasks`, `runs`,
 * `flow.cycles` and `flow.estimates` (about 95 % of the bytes on a 10 000-task program) — which is what the
 * dashboard draws. Every figure derived from them (cycle-time percentiles, WIP, estimate ratio, blockers) is kept.
 */
export type TrackerSummaryResponse = Omit<Tracker, "tasks" | "runs" | "flow"> & { flow: Omit<Tracker["flow"], "cycles" | "estimates"> };

/** `GET /api/events?afterId=N&type=T&limit=N` (oldest first; limit default 100, at most 1000). */
export type EventListResponse = StoreEvent[];

/**
 * `GET /api/events/stream` (or `/api/events` with `Accept: text/event-stream`): server-sent events, one per store
 * event, `id` = the event id, `event` = its type, `data` = the StoreEvent as JSON. `Last-Event-ID` (or `?afterId=`)
 * resumes after that id; without either the stream starts with the next event. Comment lines are heartbeats.
 */
export type EventStreamMessage = StoreEvent;

// ── Mutations: every one needs `Authorization: Bearer <token>` (401 UNAUTHORIZED otherwise) ──

/** `POST /api/tasks/:id/start` — the named task is claimed for `agent` after its ready_when passes. */
export interface TaskStartRequest {
  agent: string;
  /** Start even though ready_when fails. */
  force?: boolean;
  /** Take another agent's task. */
  any?: boolean;
  reason?: string;
}
/** `POST /api/tasks/:id/done` — runs the task's acceptance on the server's checkout; done only when it passes (or forced with a reason). */
export interface TaskDoneRequest {
  agent?: string | null;
  force?: boolean;
  reason?: string;
}
/** `POST /api/tasks/:id/fail|block|reset` — `reason` required to fail or block, and with `any`. */
export interface TaskMoveRequest {
  agent?: string | null;
  reason?: string;
  any?: boolean;
}
export interface TaskResponse {
  task: TaskRecord;
  /** Only for done: whether acceptance ran. */
  acceptance?: "passed" | "none" | "forced";
}

/** `POST /api/runs/:id/cancel` — ends an open run as cancelled (its task back to pending); its worker learns it at the next heartbeat. */
export interface RunCancelRequest {
  reason?: string;
}
export type RunCancelResponse = RunView;

/** `PUT /api/baselines/:name` — names a snapshot (default the newest) as a baseline. */
export interface BaselineSetRequest {
  /** An id or `latest`. */
  snapshot?: string | number;
}
export type BaselineSetResponse = BaselineRecord;

/** `POST /api/risks/:id` — records a risk's new status (a risk.updated event), as `shipgate risk set`. */
export interface RiskSetRequest {
  status: "open" | "mitigated" | "accepted" | "closed";
  note?: string;
  by?: string;
}
export interface RiskSetResponse {
  previous: string;
  risk: RiskView;
}
