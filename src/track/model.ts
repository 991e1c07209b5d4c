/**
 * The tracker's model (issue 12): what `app/track.ts` computes from the store for one day and every renderer
 * (terminal, markdown, SVG, `--json`) shows. Renderers compute nothing; every number here was measured or derived
 * from measurements, and what is unknown is null with the reason beside it.
 *
 * Dates are YYYY-MM-DD (UTC); times ISO 8601 (UTC). Hours are rounded to 0.01, ratios to 0.001.
 */
import type { AgentKind, PlanRisk } from "../plan/types.js";
import type { RunOutcome, TaskState } from "../store/types.js";
import type { BurndownDay } from "./burndown.js";
import type { MetricSeries, SeriesStatus } from "./series.js";

// ── flow (track/flow.ts) ──────────────────────────────────────────────────────────────────────────────────────

/** Work done in one period (a day or an ISO week), overall and split by agent and by agent kind. */
export interface ThroughputPeriod {
  /** A day (YYYY-MM-DD) or the Monday of a week (YYYY-MM-DD). */
  start: string;
  tasks: number;
  /** The expected hours (PERT) of the tasks done: velocity. */
  hours: number;
  byAgent: Record<string, { tasks: number; hours: number }>;
  /** cli and script agents are AI agents / automation; human agents are people. An agent the plan no longer lists: "unknown". */
  byKind: Partial<Record<AgentKind | "unknown", { tasks: number; hours: number }>>;
}

/** One task's cycle: its first move into in_progress (after its last reset to pending) until done. */
export interface TaskCycle {
  task: string;
  agent: string | null;
  startedAt: string;
  doneAt: string;
  /** Working hours are not modelled: elapsed wall-clock hours. */
  hours: number;
}

/** Hours the runs of a done task took against its PERT expected hours (only tasks with runs). */
export interface EstimateAccuracy {
  task: string;
  expectedHours: number;
  /** Sum of its runs' durations (startedAt → endedAt), every attempt included. */
  actualHours: number;
  /** actual / expected; null when expected is 0. */
  ratio: number | null;
}

export interface Flow {
  /** One row per day of the window (calendar days, or Monday–Friday with working days), zero days included. */
  daily: ThroughputPeriod[];
  /** One row per ISO week (Monday) touching the window. */
  weekly: ThroughputPeriod[];
  cycles: TaskCycle[];
  /** P50 / P85 / P95 of `cycles[].hours` (nearest rank); null without a done cycle. */
  cycleTime: { p50: number | null; p85: number | null; p95: number | null; count: number };
  /** Tasks in progress at the end of the as-of day, by agent (who claimed them). */
  wip: { total: number; byAgent: Record<string, number> };
  estimates: EstimateAccuracy[];
  /** Sum actual / sum expected over `estimates`; null without any. */
  estimateRatio: number | null;
}

// ── task replay (track/replay.ts) ─────────────────────────────────────────────────────────────────────────────

/** A task's state at a moment, replayed from the `task.*` events (so `--as-of` shows the past, not today). */
export interface TaskAt {
  id: string;
  title: string;
  owner: string;
  /** State after the last move at or before the moment; `pending` before any move. */
  state: TaskState;
  /** When it entered that state; null when it never moved. */
  since: string | null;
  /** The agent of the last move (who started, finished or blocked it); null when none is recorded. */
  by: string | null;
  /** The note of the last move. */
  note: string | null;
  /** Removed from the plan by the moment's latest import. */
  removed: boolean;
  /** The task's dependencies as the moment's latest import lists them (standup's "ready next" reads them). */
  dependsOn: string[];
}

// ── blockers and risks (track/blockers.ts, track/risks.ts) ────────────────────────────────────────────────────

/** One period a task spent blocked. */
export interface BlockerEntry {
  task: string;
  title: string;
  /** Who blocked it (the move's agent), or null. */
  by: string | null;
  reason: string | null;
  since: string;
  /** When it left `blocked` (to any state); null while still blocked at the as-of moment. */
  resolvedAt: string | null;
  /** Hours from since to resolvedAt (or to the as-of moment while open). */
  hours: number;
  /** Still blocked at the as-of moment. */
  open: boolean;
}

export interface Blockers {
  /** Still blocked at the as-of moment, oldest first. */
  open: BlockerEntry[];
  /** Every blocked period that began in the window, in start order (open ones included). */
  log: BlockerEntry[];
  /** Median hours to resolve over resolved entries; null without any. */
  medianHoursToResolve: number | null;
}

export type RiskStatus = PlanRisk["status"];

/** A plan risk with the status updates recorded for it (`shipgate risk set`, `risk.updated` events). */
export interface RiskView extends PlanRisk {
  /** The status at the as-of moment: the last update's, else the plan's. */
  status: RiskStatus;
  /** impact × probability on the risk matrix: 1 (low/low) … 12 (critical/high). */
  exposure: number;
  updates: { at: string; status: RiskStatus; note: string | null; by: string | null }[];
}

// ── milestones (track/milestones.ts) ──────────────────────────────────────────────────────────────────────────

export type CriterionStatus = "met" | "not-met" | "unknown";

export interface CriterionView {
  /** As written in the plan: a gate name or a condition "coverage.lines >= 80". */
  text: string;
  kind: "gate" | "condition";
  status: CriterionStatus;
  /** The measured value (a condition's metric); null for a gate or when not measured. */
  value: number | null;
  /** Where the evidence comes from: "snapshot 12 (2026-12-03)", "gate release: GO on 2026-12-03 (snapshot 12)". */
  evidence: string | null;
  /** Why it is unknown ("no snapshot on or before 2026-12-04 has coverage.lines"), or null. */
  reason: string | null;
}

/**
 * - `met`: every criterion met, judged on the last evidence on or before the milestone's date (or the as-of day
 *   when that is earlier and they are already met).
 * - `missed`: the date has passed (before the as-of day) and a criterion was not met by then.
 * - `at-risk`: not yet due, and a criterion is not met yet and either the forecast's P85 is after the date or the
 *   probability of finishing the remaining work by then is below 0.85 (or unknown).
 * - `on-track`: not yet due and not at risk.
 * - `unknown`: a criterion cannot be judged (no evidence) and none is not-met.
 */
export type MilestoneStatus = "met" | "missed" | "at-risk" | "on-track" | "unknown";

export interface MilestoneView {
  id: string;
  date: string;
  status: MilestoneStatus;
  criteria: CriterionView[];
  /** Share of forecast trials finishing the remaining work by the date (0–1); null without a forecast or once the date has passed. */
  probability: number | null;
  /** Working days from the as-of day to the date (negative: past). */
  daysLeft: number;
}

// ── alerts (track/alerts.ts) ──────────────────────────────────────────────────────────────────────────────────

export type AlertKind =
  | "score-decline"
  | "metric-worse"
  | "test-regressed"
  | "gate-no-go"
  | "forecast-past-milestone"
  | "task-past-p95"
  | "stale-lease"
  | "wip-over-limit";

export interface TrackAlert {
  kind: AlertKind;
  /** When it was raised (the event's time, or the as-of moment for one computed now). */
  at: string;
  /** What it is about: "score", "coverage.lines", a task id, a milestone id, an agent. */
  subject: string;
  message: string;
  /** Stable key for de-duplication: one stored alert per key and day. */
  key: string;
  /** Already stored as an event (true), or computed by this tracker (false, stored when the tracker runs for now). */
  stored: boolean;
}

// ── forecast view ─────────────────────────────────────────────────────────────────────────────────────────────

export interface ForecastView {
  /** Completion dates at P50 / P85 / P95; null with `reason` when unknown. */
  p50: string | null;
  p85: string | null;
  p95: string | null;
  reason: string | null;
  /** Remaining tasks at the as-of day, and the measured working days of throughput the trials drew from. */
  remainingTasks: number;
  historyDays: number;
  trials: number;
  seed: number;
  /** The remaining critical path in working days: no trial finishes sooner. */
  floorDays: number;
  /**
   * The cone for charts: per future working day up to the P95 day (or the last known quantile), the remaining tasks on
   * a straight line from today's remaining to 0 on each quantile's completion day — a drawing of the three dates, not
   * quantiles of simulated paths (the trials keep only their finish day). Empty without a forecast.
   */
  cone: { date: string; p50: number; p85: number; p95: number }[];
}

// ── the tracker ───────────────────────────────────────────────────────────────────────────────────────────────

export interface TrackWindow {
  start: string;
  end: string;
  workingDays: boolean;
  /** Where the window came from: the plan's `targets:`, or derived (first import → plan end). */
  source: "targets" | "derived";
}

/** The latest measured state (the last snapshot on or before the as-of moment on the tracked branch). */
export interface LatestMeasure {
  snapshotId: number;
  takenAt: string;
  commit: string | null;
  score: number | null;
  level: string | null;
  /** Per category: score (null = unknown) and weight. */
  categories: { id: string; name: string; score: number | null; weight: number }[];
  /** Coverage in percent (0–100, as the facts `coverage.*.pct`) per component (null component: the whole project). */
  coverage: { component: string | null; lines: number | null; branches: number | null }[];
  tests: { total: number | null; passed: number | null; failed: number | null; skipped: number | null };
}

export interface Headline {
  /** Done / scope tasks and hours at the as-of day, and the ideal remaining hours. */
  doneTasks: number;
  scopeTasks: number;
  doneHours: number;
  scopeHours: number;
  idealHours: number | null;
  /** remainingHours − idealHours: positive = behind the ideal line by that many hours; null before the baseline. */
  behindIdealHours: number | null;
  score: { value: number | null; target: number | null; status: SeriesStatus | null };
  forecastP85: string | null;
  milestones: Record<MilestoneStatus, number>;
  alerts: number;
}

export interface Tracker {
  /** The day the tracker is for (`--as-of`, else today by SHIPGATE_NOW or the clock). */
  asOf: string;
  /** The moment it was replayed to: the end of `asOf`, or now when `asOf` is today. */
  at: string;
  plan: { source: string | null; hash: string | null; tasks: number } | null;
  window: TrackWindow | null;
  /** The branch whose snapshots count (the tracked branch), or null for all. */
  branch: string | null;
  headline: Headline;
  latest: LatestMeasure | null;
  series: MetricSeries[];
  burndown: BurndownDay[];
  flow: Flow;
  forecast: ForecastView;
  milestones: MilestoneView[];
  blockers: Blockers;
  risks: RiskView[];
  alerts: TrackAlert[];
  /** Tasks at the as-of moment (replayed), plan order. */
  tasks: TaskAt[];
  /** Runs that started on or before the as-of moment, with their outcome then (null = still running then). */
  runs: RunAt[];
  /** Store queries this tracker made (for bench:track and `--json`): constant, whatever the history's size. */
  queries: number;
}

/** A run as it stood at the as-of moment. */
export interface RunAt {
  id: number;
  task: string;
  agent: string;
  attempt: number;
  startedAt: string;
  /** Null while it was still running at the moment. */
  endedAt: string | null;
  outcome: RunOutcome | null;
  /** The last heartbeat at or before the moment (the start when none later is known). */
  heartbeatAt: string;
  leaseExpiresAt: string;
  note: string | null;
  costUsd: number | null;
}

// ── standup and review (track/standup.ts) ─────────────────────────────────────────────────────────────────────

export interface Standup {
  asOf: string;
  /** The start of the period: --since, else the previous working day's start (the last standup). */
  since: string;
  agent: string | null;
  /** Tasks done in (since, at], with their runs in the period. */
  done: { task: TaskAt; runs: RunAt[] }[];
  /** In progress at `at`: who, since when, lease age in seconds (null without a run). */
  inProgress: { task: TaskAt; run: RunAt | null; leaseAgeSeconds: number | null }[];
  /** Ready next: pending tasks whose dependencies are done, plan order, at most 10. */
  next: TaskAt[];
  blockers: BlockerEntry[];
  /** Runs that failed (failed, error, timeout, lost) in the period. */
  failedRuns: RunAt[];
  metrics: { score: number | null; scoreChange: number | null; testsFailed: number | null; coverageLines: number | null };
  /** Deterministic action items: unblock X, look at run N, milestone M at risk, … */
  actions: string[];
}

export interface Review {
  asOf: string;
  since: string;
  /** Goals: each tracked metric's target vs value on `asOf`. */
  goals: {
    metric: string;
    component: string | null;
    target: number | null;
    value: number | null;
    status: SeriesStatus;
    /** When not measured on `asOf`: the last reading before (the series' `previous`), shown beside "not measured". */
    previous: { date: string; value: number } | null;
  }[];
  accomplishments: { task: TaskAt; doneAt: string }[];
  /**
   * `alerts`: the stored alerts raised in the period (NO-GO verdicts, failing or regressed tests, score declines, earlier
   * trackers' alerts), newest first — a red day fixed before the as-of day still belongs to the period's challenges.
   */
  challenges: { failedRuns: RunAt[]; blockers: BlockerEntry[]; missedMilestones: MilestoneView[]; behindTargets: string[]; alerts: TrackAlert[] };
  metrics: { scoreFrom: number | null; scoreTo: number | null; doneTasks: number; throughputPerDay: number | null; cycleTimeP50: number | null };
  nextSteps: string[];
}
