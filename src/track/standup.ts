/**
 * The standup and the review (issue 12): what a daily standup and a sprint review say, selected and ordered from a
 * `Tracker` — nothing is measured or estimated here, so both are deterministic and come from the store alone.
 *
 * A period is (since, at]: `since` is an ISO time, `at` is the tracker's moment. Something happened in the period
 * when its time is after `since` and at or before `at`.
 *
 * Action items (the standup's `actions`; the review's `nextSteps` start with the same list, program-wide), in this
 * order, each group in the order given:
 * 1. each open blocker, oldest first: "unblock T5 (blocked by ana since 2026-12-02 10:00: reason)";
 * 2. each failed run (failed, error, timeout, lost) that ended in the period, by end time:
 *    "look at run 5 of T9 (timeout: note)";
 * 3. each milestone at risk or missed, in plan order: "milestone release is at risk: due 2026-12-11, 41 % likely to
 *    finish by then" / "milestone beta was missed: due 2026-11-27";
 * 4. each stale lease — a run still open at `at` whose lease expired before `at` — by run id:
 *    "run 7 of T6 (claude): lease expired 2026-12-03 18:30, no heartbeat since 2026-12-03 18:00 — check the worker
 *    or reset T6";
 * 5. each tracked metric behind its target on its last measured day on or before the as-of day (the series order):
 *    "score is behind its target: 71.2 on 2026-12-03, target 73".
 * The standup's `leaseAgeSeconds` is the time from the run's last heartbeat (its lease's last renewal) to `at`; its
 * `blockers` are the blockers still open at `at`; `metrics.score` is the latest snapshot's, `scoreChange` its difference
 * from the last daily score reading before the period's first day (the review's `scoreFrom` is that reading, else — a period that starts with the first measurement — the period's first reading). The review's `challenges.blockers` are the blocked periods that
 * began or ended in the period or are still open, its `challenges.alerts` the stored alerts raised in the period; its throughput is the tasks done over the flow's days in the period
 * (working days with a working-day window); its cycle-time P50 is the nearest-rank median of the cycles that ended in
 * the period.
 *
 * With an agent, groups 1, 2 and 4 keep only what is that agent's (a task it owns or moved last, a run it ran);
 * milestones and metrics belong to everyone and stay.
 */
import { ShipgateError } from "../errors.js";
import { isCalendarDate } from "../plan/validate-plan.js";
import type { RunOutcome } from "../store/types.js";
import type { BlockerEntry, MilestoneView, Review, RunAt, Standup, TaskAt, Tracker } from "./model.js";
import type { MetricSeries, SeriesDay } from "./series.js";

const DAY_MS = 86_400_000;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** The run outcomes a standup calls failed (`cancelled` was on purpose). */
export const FAILED_OUTCOMES: readonly RunOutcome[] = ["failed", "error", "timeout", "lost"];
/** At most this many ready tasks in a standup's `next`. */
export const MAX_NEXT = 10;
/** At most this many ready tasks in a review's next steps. */
const MAX_REVIEW_NEXT = 5;

export interface StandupOptions {
  /**
   * The start of the period: a date (YYYY-MM-DD, its start at 00:00 UTC) or an ISO 8601 time. Default: the start of
   * the working day (Monday–Friday) before the as-of day — the last standup (Friday's for a Monday).
   */
  since?: string;
  /** Only this agent's work (tasks it owns or moved last, runs it ran); null or absent: everyone's. */
  agent?: string | null;
}

export interface ReviewOptions {
  /**
   * The start of the period, as for the standup. Default: the start of the day six days before the as-of day (a
   * week ending on it), but not before the program window's start.
   */
  since?: string;
}

/** The standup of `tracker.asOf`: done in the period, in progress, ready next, blockers, failed runs, metrics, actions. */
export function standup(tracker: Tracker, options: StandupOptions = {}): Standup {
  const since = options.since === undefined ? `${previousWorkingDay(tracker.asOf)}T00:00:00.000Z` : periodStart(options.since);
  const sinceMs = checkPeriod(since, tracker.at);
  const atMs = Date.parse(tracker.at);
  const agent = options.agent ?? null;
  const byId = new Map(tracker.tasks.map((t) => [t.id, t]));
  const mine = (t: TaskAt | undefined): boolean => agent === null || (t !== undefined && (t.owner === agent || t.by === agent));
  const inPeriod = (iso: string | null): boolean => iso !== null && Date.parse(iso) > sinceMs && Date.parse(iso) <= atMs;
  const runsOf = groupRuns(tracker.runs);

  const done = tracker.tasks
    .filter((t) => !t.removed && t.state === "done" && inPeriod(t.since) && mine(t))
    .map((t) => ({ task: t, runs: (runsOf.get(t.id) ?? []).filter((r) => inPeriod(r.startedAt) || inPeriod(r.endedAt)) }));

  const inProgress = tracker.tasks
    .filter((t) => !t.removed && t.state === "in_progress" && mine(t))
    .map((t) => {
      const open = (runsOf.get(t.id) ?? []).filter((r) => r.endedAt === null);
      const run = open.length === 0 ? null : (open[open.length - 1] as RunAt);
      const leaseAgeSeconds = run === null ? null : Math.max(0, Math.floor((atMs - Date.parse(run.heartbeatAt)) / 1000));
      return { task: t, run, leaseAgeSeconds };
    });

  const next = readyTasks(tracker.tasks, byId)
    .filter((t) => agent === null || t.owner === agent)
    .slice(0, MAX_NEXT);
  const blockers = tracker.blockers.open.filter((b) => agent === null || b.by === agent || mine(byId.get(b.task)));
  const failedRuns = failedIn(tracker.runs, sinceMs, atMs).filter((r) => agent === null || r.agent === agent);

  const score = tracker.latest?.score ?? null;
  const before = valueBefore(findSeries(tracker.series, "score"), since.slice(0, 10));
  const metrics = {
    score,
    scoreChange: score === null || before === null ? null : round2(score - before),
    testsFailed: tracker.latest?.tests.failed ?? null,
    coverageLines: tracker.latest?.coverage.find((c) => c.component === null)?.lines ?? null,
  };

  const stale = staleRuns(tracker.runs, atMs).filter((r) => agent === null || r.agent === agent);
  const actions = actionItems(tracker, blockers, failedRuns, stale);
  return { asOf: tracker.asOf, since, agent, done, inProgress, next, blockers, failedRuns, metrics, actions };
}

/** The review of the period up to `tracker.asOf`: goals vs targets, accomplishments, challenges, metrics, next steps. */
export function review(tracker: Tracker, options: ReviewOptions = {}): Review {
  const since = options.since === undefined ? defaultReviewSince(tracker) : periodStart(options.since);
  const sinceMs = checkPeriod(since, tracker.at);
  const atMs = Date.parse(tracker.at);
  const sinceDay = since.slice(0, 10);
  const byId = new Map(tracker.tasks.map((t) => [t.id, t]));
  const inPeriod = (iso: string | null): boolean => iso !== null && Date.parse(iso) > sinceMs && Date.parse(iso) <= atMs;

  const goals: Review["goals"] = [];
  const behindTargets: string[] = [];
  for (const s of tracker.series) {
    if (!s.days.some((d) => d.target !== null)) continue;
    const day = dayOn(s, tracker.asOf);
    goals.push({
      metric: s.metric,
      component: s.component,
      target: day?.target ?? null,
      value: day?.value ?? null,
      status: day?.status ?? "not-measured",
      previous: day?.previous ?? null,
    });
  }
  for (const b of behindMetrics(tracker)) behindTargets.push(b.text);

  const accomplishments = tracker.tasks
    .filter((t) => !t.removed && t.state === "done" && inPeriod(t.since))
    .map((t) => ({ task: t, doneAt: t.since as string }))
    .sort((a, b) => Date.parse(a.doneAt) - Date.parse(b.doneAt));
  const failedRuns = failedIn(tracker.runs, sinceMs, atMs);
  const blockers = tracker.blockers.log.filter((b) => b.open || inPeriod(b.since) || inPeriod(b.resolvedAt));
  const missedMilestones = tracker.milestones.filter((m) => m.status === "missed");
  const alerts = tracker.alerts.filter((a) => a.stored && inPeriod(a.at));

  const periodDays = tracker.flow.daily.filter((d) => d.start >= sinceDay && d.start <= tracker.asOf);
  const cycles = tracker.flow.cycles.filter((c) => inPeriod(c.doneAt)).map((c) => c.hours).sort((a, b) => a - b);
  const metrics: Review["metrics"] = {
    scoreFrom: valueBefore(findSeries(tracker.series, "score"), sinceDay) ?? firstIn(findSeries(tracker.series, "score"), sinceDay),
    scoreTo: tracker.latest?.score ?? null,
    doneTasks: accomplishments.length,
    throughputPerDay: periodDays.length === 0 ? null : round3(periodDays.reduce((sum, d) => sum + d.tasks, 0) / periodDays.length),
    cycleTimeP50: cycles.length === 0 ? null : (cycles[Math.ceil(cycles.length * 0.5) - 1] as number),
  };

  const nextSteps = [
    ...actionItems(tracker, tracker.blockers.open, failedRuns, staleRuns(tracker.runs, atMs)),
    ...readyTasks(tracker.tasks, byId)
      .slice(0, MAX_REVIEW_NEXT)
      .map((t) => `start ${t.id} ${t.title} (${t.owner}): ready`),
  ];
  return { asOf: tracker.asOf, since, goals, accomplishments, challenges: { failedRuns, blockers, missedMilestones, behindTargets, alerts }, metrics, nextSteps };
}

/** The action items, by the rules in this file's comment. */
function actionItems(tracker: Tracker, blockers: readonly BlockerEntry[], failedRuns: readonly RunAt[], stale: readonly RunAt[]): string[] {
  const out: string[] = [];
  for (const b of blockers) {
    out.push(`unblock ${b.task} (blocked${b.by === null ? "" : ` by ${b.by}`} since ${minute(b.since)}${b.reason === null ? "" : `: ${b.reason}`})`);
  }
  for (const r of failedRuns) out.push(`look at run ${r.id} of ${r.task} (${r.outcome ?? "running"}${r.note === null ? "" : `: ${r.note}`})`);
  for (const m of tracker.milestones) out.push(...milestoneAction(m));
  for (const r of stale) {
    out.push(`run ${r.id} of ${r.task} (${r.agent}): lease expired ${minute(r.leaseExpiresAt)}, no heartbeat since ${minute(r.heartbeatAt)} — check the worker or reset ${r.task}`);
  }
  for (const b of behindMetrics(tracker)) out.push(`${b.text}`);
  return out;
}

function milestoneAction(m: MilestoneView): string[] {
  if (m.status === "missed") return [`milestone ${m.id} was missed: due ${m.date}`];
  if (m.status !== "at-risk") return [];
  const chance = m.probability === null ? "likelihood unknown" : `${Math.round(m.probability * 100)} % likely to finish by then`;
  return [`milestone ${m.id} is at risk: due ${m.date}, ${chance}`];
}

/** Tracked metrics whose last measured day on or before the as-of day is behind its target. */
function behindMetrics(tracker: Tracker): { series: MetricSeries; day: SeriesDay; text: string }[] {
  const out: { series: MetricSeries; day: SeriesDay; text: string }[] = [];
  for (const s of tracker.series) {
    let last: SeriesDay | null = null;
    for (const d of s.days) if (d.date <= tracker.asOf && d.measured) last = d;
    if (last === null || last.status !== "behind" || last.target === null || last.value === null) continue;
    const name = s.component === null ? s.metric : `${s.metric} (${s.component})`;
    out.push({ series: s, day: last, text: `${name} is behind its target: ${last.value} on ${last.date}, target ${last.target}` });
  }
  return out;
}

/** Pending tasks (not removed) whose dependencies are all done, in plan order. */
function readyTasks(tasks: readonly TaskAt[], byId: Map<string, TaskAt>): TaskAt[] {
  return tasks.filter((t) => !t.removed && t.state === "pending" && t.dependsOn.every((d) => byId.get(d)?.state === "done"));
}

/** Runs that failed and ended in (sinceMs, atMs], by end time then id. */
function failedIn(runs: readonly RunAt[], sinceMs: number, atMs: number): RunAt[] {
  return runs
    .filter((r) => r.endedAt !== null && r.outcome !== null && FAILED_OUTCOMES.includes(r.outcome) && Date.parse(r.endedAt) > sinceMs && Date.parse(r.endedAt) <= atMs)
    .sort((a, b) => Date.parse(a.endedAt as string) - Date.parse(b.endedAt as string) || a.id - b.id);
}

/** Runs still open at `atMs` whose lease expired before it, by id. */
function staleRuns(runs: readonly RunAt[], atMs: number): RunAt[] {
  return runs.filter((r) => r.endedAt === null && Date.parse(r.leaseExpiresAt) < atMs).sort((a, b) => a.id - b.id);
}

/** Each task's runs in start order (then id). */
function groupRuns(runs: readonly RunAt[]): Map<string, RunAt[]> {
  const out = new Map<string, RunAt[]>();
  const sorted = [...runs].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt) || a.id - b.id);
  for (const r of sorted) {
    const list = out.get(r.task);
    if (list === undefined) out.set(r.task, [r]);
    else list.push(r);
  }
  return out;
}

const findSeries = (series: readonly MetricSeries[], metric: string): MetricSeries | undefined => series.find((s) => s.metric === metric && s.component === null);

/** The series' row of `date`, else its last row before it (a weekend with working days); undefined when none. */
function dayOn(s: MetricSeries, date: string): SeriesDay | undefined {
  let found: SeriesDay | undefined;
  for (const d of s.days) if (d.date <= date) found = d;
  return found;
}

/** The last reading with a number on a day before `day` (read from the rows and their `previous`); null when none. */
function valueBefore(s: MetricSeries | undefined, day: string): number | null {
  if (s === undefined) return null;
  let value: number | null = null;
  for (const d of s.days) {
    if (d.date >= day) {
      // `previous` is the latest reading before this row: a weekend's or one before the series started.
      if (d.previous !== null && d.previous.date < day) value = d.previous.value;
      break;
    }
    if (d.measured) value = d.value;
    else if (d.previous !== null) value = d.previous.value;
  }
  return value;
}

/** The first measured value on or after `day`, or null. */
function firstIn(s: MetricSeries | undefined, day: string): number | null {
  return s?.days.find((d) => d.date >= day && d.measured)?.value ?? null;
}

/** The working day (Monday–Friday) before `date`. */
function previousWorkingDay(date: string): string {
  let ms = Date.parse(`${date}T00:00:00Z`) - DAY_MS;
  while ([0, 6].includes(new Date(ms).getUTCDay())) ms -= DAY_MS;
  return new Date(ms).toISOString().slice(0, 10);
}

function defaultReviewSince(tracker: Tracker): string {
  const weekAgo = new Date(Date.parse(`${tracker.asOf}T00:00:00Z`) - 6 * DAY_MS).toISOString().slice(0, 10);
  const start = tracker.window !== null && tracker.window.start > weekAgo && tracker.window.start <= tracker.asOf ? tracker.window.start : weekAgo;
  return `${start}T00:00:00.000Z`;
}

/** A `since` as given: a date becomes its start (UTC); an ISO time is normalized to UTC. */
function periodStart(since: string): string {
  if (typeof since === "string" && isCalendarDate(since)) return `${since}T00:00:00.000Z`;
  if (typeof since !== "string" || !ISO_TIME.test(since) || Number.isNaN(Date.parse(since))) {
    throw new ShipgateError("USAGE", `[track] the period's start must be a date YYYY-MM-DD or an ISO 8601 time (got "${String(since)}")`, {
      hint: "give a date such as 2026-12-03, or a time such as 2026-12-03T09:00:00Z",
    });
  }
  return new Date(Date.parse(since)).toISOString();
}

function checkPeriod(since: string, at: string): number {
  const sinceMs = Date.parse(since);
  if (sinceMs >= Date.parse(at)) {
    throw new ShipgateError("USAGE", `[track] the period starts at ${since}, not before the tracker's moment ${at}`, { hint: "give a start before the as-of moment" });
  }
  return sinceMs;
}

/** "2026-12-02 10:00" (UTC) from an ISO time. */
function minute(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

const round2 = (x: number) => Math.round(x * 100) / 100 + 0;
const round3 = (x: number) => Math.round(x * 1000) / 1000 + 0;
