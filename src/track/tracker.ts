/**
 * The tracker for one day, assembled from what the store holds (issue 12). Pure: `app/track.ts` reads the store in a
 * constant number of queries and passes everything here; this module replays it to the as-of moment and calls the
 * track computations (series, burn-down, flow, forecast, milestones, blockers, risks, alerts). Nothing here is
 * typed by a person: every figure is a measurement or derived from measurements, and unknown stays unknown.
 */
import { criticalPath } from "../plan/critical-path.js";
import { executionOf } from "../plan/execution.js";
import { dateOfWeekday, HOURS_PER_DAY, schedulePlan, weekdayIndex } from "../plan/schedule.js";
import type { MetricTarget, Plan, PlanTask } from "../plan/types.js";
import { CATEGORIES } from "../score/score.js";
import { TASK_STATES, taskEventType } from "../store/task-state.js";
import type { FactPoint, SnapshotRecord, StoredPlan, StoreEvent, TaskRun } from "../store/types.js";
import { TRACK_ALERT_EVENT, alerts as trackAlerts } from "./alerts.js";
import { blockers as blockerLog } from "./blockers.js";
import { burndown, movesFromEvents, type BurndownDay } from "./burndown.js";
import { workingDayThroughput } from "./backtest.js";
import { flow } from "./flow.js";
import { criticalPathFloor, DEFAULT_SEED, DEFAULT_TRIALS, forecastCompletion, milestoneProbability } from "./forecast.js";
import { GATE_EVALUATED_EVENT, milestones as milestoneViews, parseCriterion } from "./milestones.js";
import type { ForecastView, Headline, LatestMeasure, MilestoneStatus, Tracker, TrackWindow } from "./model.js";
import { replayRuns, replayTasks, type ReplayTask } from "./replay.js";
import { RISK_EVENT, risks as riskViews } from "./risks.js";
import { dailySeries, factKeyOf, type MetricSeries, type SeriesMetric } from "./series.js";

/** What the tracker is computed from: the store's history up to the as-of moment, read by `app/track.ts`. */
export interface TrackerInput {
  /** The day (YYYY-MM-DD, UTC). */
  asOf: string;
  /** The moment replayed to (ISO 8601): the end of `asOf`, or now when `asOf` is today. */
  at: string;
  /** Every plan import up to `at`, oldest first, with content (the validated `Plan`). */
  plans: StoredPlan[];
  /** Every event up to `at` of the types in `TRACKER_EVENT_TYPES` (others are ignored), oldest first (by id). */
  events: StoreEvent[];
  /** The facts of every snapshot up to `at` (all branches: `branch` picks), of the keys `trackerFactKeys` names at least. */
  facts: FactPoint[];
  /** Every run started up to `at`. */
  runs: TaskRun[];
  /** The newest snapshot on the tracked branch up to `at`, for the level and the categories' weights. */
  latest: SnapshotRecord | null;
  /** The tracked branch (null: every snapshot counts). */
  branch: string | null;
  /** Store queries made to read all this. */
  queries: number;
  trials?: number;
  seed?: number;
}

const END_OF_DAY = "T23:59:59.999Z";

/** The fewest done cycles before the tracker alerts on a task in progress longer than the P95 cycle time. */
export const MIN_CYCLES_FOR_P95 = 10;

/** The event types the tracker reads (every other type — run.*, snapshot.created, plan.imported … — is not read). */
export const TRACKER_EVENT_TYPES: readonly string[] = [...TASK_STATES.map(taskEventType), "alert", GATE_EVALUATED_EVENT, TRACK_ALERT_EVENT, RISK_EVENT];

/** The tracker of `input.asOf`. */
export function buildTracker(input: TrackerInput): Tracker {
  const { asOf, at } = input;
  const plans = input.plans.filter((p) => p.importedAt <= at);
  const stored = plans.at(-1);
  const plan = stored ? (stored.content as Plan) : null;
  const facts = input.branch === null ? input.facts : input.facts.filter((f) => f.branch === input.branch);
  const window = windowOf(plan, plans, facts, asOf);
  const events = input.events.filter((e) => e.at <= at);
  const taskEvents = events.filter((e) => e.type.startsWith("task."));
  const inWindow = asOf >= window.start;
  const seriesTo = inWindow ? asOf : window.start;

  // Scope and progress.
  const imports = plans.map((p) => ({ at: p.importedAt, tasks: (p.content as Plan).tasks.map((t) => ({ id: t.id, expectedHours: expectedHours(t) })) }));
  const burn: BurndownDay[] = inWindow
    ? burndown({ imports, moves: movesFromEvents(taskEvents), from: window.start, to: asOf, end: window.end < window.start ? window.start : window.end, workingDays: window.workingDays })
    : [];
  const today = burn.at(-1) ?? null;

  // Series: the plan's targets first, then what every tracker follows.
  const series = inWindow ? dailySeries({ facts, metrics: metricsOf(plan, facts), from: window.start, to: seriesTo, workingDays: window.workingDays }) : [];

  // Flow.
  const expected = new Map<string, number>();
  const owners = new Map<string, string>();
  for (const t of plan?.tasks ?? []) {
    expected.set(t.id, expectedHours(t));
    owners.set(t.id, t.owner);
  }
  const agentKinds = new Map((plan?.agents ?? []).map((a) => [a.id, a.kind] as const));
  const flowView = flow({ events: taskEvents, runs: input.runs, expectedHours: expected, owners, agentKinds, from: window.start, to: inWindow ? asOf : window.start, at, workingDays: window.workingDays });

  // Forecast over working days, whatever the window counts.
  const trials = input.trials ?? DEFAULT_TRIALS;
  const seed = input.seed ?? DEFAULT_SEED;
  const throughput = inWindow ? workingDayThroughput(flowView.daily) : [];
  const remainingTasks = today?.remainingTasks ?? plan?.tasks.length ?? 0;
  // Task states at the moment: the critical-path floor, blockers, alerts and the standup all read them.
  const tasks = replayTasks({ tasks: taskDefinitions(plans), imports, events: taskEvents, at });
  const done = new Set(tasks.filter((t) => t.state === "done").map((t) => t.id));
  const floorDays = plan ? criticalPathFloor(remainingCriticalHours(plan, done), HOURS_PER_DAY) : 0;
  const start = dateOfWeekday(weekdayIndex(asOf) + 1);
  const completion = forecastCompletion({ throughput, remaining: remainingTasks, start, floorDays, trials, seed });
  // Without a plan (or with an empty one) there is nothing to finish: no date, and the reason says so.
  const noScope = plan === null ? "no plan imported yet: run `shipgate plan check`, or give --plan FILE" : (today?.scopeTasks ?? plan.tasks.length) === 0 ? "the plan has no task in scope" : null;
  // Everything done: the dates are the day the last task was done (no trial is needed to know it).
  const doneOn = noScope === null && remainingTasks === 0 ? lastDoneDay(burn) : null;
  const forecast: ForecastView = {
    p50: noScope === null ? (doneOn ?? completion.p50) : null,
    p85: noScope === null ? (doneOn ?? completion.p85) : null,
    p95: noScope === null ? (doneOn ?? completion.p95) : null,
    reason: noScope ?? completion.reason,
    remainingTasks,
    historyDays: throughput.length,
    trials,
    seed,
    floorDays,
    cone: noScope === null ? cone(asOf, remainingTasks, completion.daysQuantiles) : [],
  };

  // Milestones, tasks, runs, blockers, risks, alerts.
  const projectFacts = facts.filter((f) => f.component === null);
  const milestones = milestoneViews({
    milestones: plan?.milestones ?? [],
    facts: projectFacts,
    gateEvents: events.filter((e) => e.type === "gate.evaluated"),
    asOf,
    forecastP85: forecast.p85,
    probabilityBy: (date: string) => milestoneProbability(completion.simulation, start, date),
  });
  const runs = replayRuns(input.runs, at);
  const titles = new Map(tasks.map((t) => [t.id, t.title] as const));
  const blockers = blockerLog({ events: taskEvents, titles, from: window.start < asOf ? window.start : asOf, at });
  const risks = riskViews({ planRisks: plan?.risks ?? [], events: events.filter((e) => e.type === RISK_EVENT), at });
  const execution = plan ? executionOf(plan) : null;
  const alerts = trackAlerts({
    events,
    from: `${window.start < asOf ? window.start : asOf}T00:00:00.000Z`,
    at,
    milestones,
    forecastP85: forecast.p85,
    tasks: tasks.filter((t) => !t.removed),
    // A P95 of a handful of cycles says little: a task is "past P95" only once the program has MIN_CYCLES_FOR_P95.
    cycleP95Hours: flowView.cycleTime.count >= MIN_CYCLES_FOR_P95 ? flowView.cycleTime.p95 : null,
    runs,
    wip: flowView.wip,
    agents: plan?.agents ?? [],
    maxParallel: execution?.maxParallel ?? null,
  });

  const scoreSeries = series.find((s) => s.metric === "score" && s.component === null);
  const scoreToday = scoreSeries?.days.at(-1) ?? null;
  const counts: Record<MilestoneStatus, number> = { met: 0, missed: 0, "at-risk": 0, "on-track": 0, unknown: 0 };
  for (const m of milestones) counts[m.status]++;
  const headline: Headline = {
    doneTasks: today?.doneTasks ?? 0,
    scopeTasks: today?.scopeTasks ?? plan?.tasks.length ?? 0,
    doneHours: today?.doneHours ?? 0,
    scopeHours: today?.scopeHours ?? 0,
    idealHours: today?.idealHours ?? null,
    behindIdealHours: today === null || today.idealHours === null ? null : round2(today.remainingHours - today.idealHours),
    score: { value: scoreToday?.value ?? null, target: scoreToday?.target ?? null, status: scoreToday?.status ?? null },
    forecastP85: forecast.p85,
    milestones: counts,
    alerts: alerts.length,
  };

  return {
    asOf,
    at,
    plan: stored ? { source: stored.source, hash: stored.hash, tasks: (stored.content as Plan).tasks.length } : null,
    window,
    branch: input.branch,
    headline,
    latest: latestOf(input.latest, facts, at),
    series,
    burndown: burn,
    flow: flowView,
    forecast,
    milestones,
    blockers,
    risks,
    alerts,
    tasks,
    runs,
    queries: input.queries,
  };
}

/** Every task any import listed: the latest plan's in its order, then the others (removed), each as last defined. */
function taskDefinitions(plans: StoredPlan[]): ReplayTask[] {
  const defined = new Map<string, ReplayTask>();
  for (const p of plans) for (const t of (p.content as Plan).tasks) defined.set(t.id, { id: t.id, title: t.title, owner: t.owner, dependsOn: t.dependsOn });
  const latest = (plans.at(-1)?.content as Plan | undefined)?.tasks ?? [];
  const out = latest.map((t) => defined.get(t.id) as ReplayTask);
  const inLatest = new Set(latest.map((t) => t.id));
  for (const [id, t] of defined) if (!inLatest.has(id)) out.push(t);
  return out;
}

/** PERT expected hours of a task, (O + 4M + P) / 6. */
export function expectedHours(task: Pick<PlanTask, "estimate">): number {
  const { optimistic, likely, pessimistic } = task.estimate;
  return (optimistic + 4 * likely + pessimistic) / 6;
}

/**
 * The program window: the plan's `targets:` (start, end, working days); else derived — from the first plan import
 * (or the first snapshot) to the plan's scheduled end, counting working days.
 */
function windowOf(plan: Plan | null, plans: StoredPlan[], facts: FactPoint[], asOf: string): TrackWindow {
  const targets = plan?.targets ?? null;
  if (targets) return { start: targets.start, end: targets.end, workingDays: targets.workingDays, source: "targets" };
  const firstImport = plans[0]?.importedAt.slice(0, 10) ?? null;
  const firstFact = facts.reduce<string | null>((min, f) => (min === null || f.takenAt < min ? f.takenAt : min), null)?.slice(0, 10) ?? null;
  const start = [firstImport, firstFact].filter((d): d is string => d !== null).sort()[0] ?? asOf;
  let end = start;
  if (plan !== null && plan.tasks.length > 0) {
    try {
      end = schedulePlan(plan, criticalPath(plan), plan.start ?? start).end;
    } catch {
      end = start; // a plan that cannot be scheduled (a cycle) has no derived end: the ideal line ends at the start
    }
  }
  return { start, end: end < start ? start : end, workingDays: true, source: "derived" };
}

/** What every tracker follows, after the plan's targets. */
const FOLLOWED = ["score", ...CATEGORIES.map((c) => `categories.${c}`), "tests.total", "tests.failed", "coverage.lines", "coverage.branches", "lint.errors", "type_errors", "security.critical", "security.high", "docs.broken_links"];

/**
 * The fact keys a tracker reads (`Store.listFactSeries({ keys })`): what every tracker follows, the latest measure's,
 * and the metrics of every plan's targets and milestone conditions. Other facts are never read.
 */
export function trackerFactKeys(plans: readonly StoredPlan[]): string[] {
  const keys = new Set([...FOLLOWED, "tests.passed", "tests.skipped"].map(factKeyOf));
  for (const p of plans) {
    const plan = p.content as Partial<Plan> | null;
    for (const t of plan?.targets?.metrics ?? []) keys.add(factKeyOf(t.metric));
    for (const m of plan?.milestones ?? []) {
      for (const text of m.criteria) {
        const c = parseCriterion(text);
        if (c.kind === "condition") keys.add(factKeyOf(c.metric));
      }
    }
  }
  return [...keys].sort();
}

/** The plan's target metrics, then the score, categories, tests, coverage and findings, then per-component score and coverage. */
function metricsOf(plan: Plan | null, facts: FactPoint[]): SeriesMetric[] {
  const metrics: SeriesMetric[] = [];
  const seen = new Set<string>();
  const add = (m: MetricTarget | { metric: string; component: string | null }) => {
    const key = `${factKeyOf(m.metric)}\u0000${m.component ?? ""}`;
    if (seen.has(key)) return;
    seen.add(key);
    metrics.push(m);
  };
  for (const t of plan?.targets?.metrics ?? []) add(t);
  for (const metric of FOLLOWED) add({ metric, component: null });
  const components = [...new Set(facts.filter((f) => f.component !== null && (f.key === "score" || f.key === "coverage.lines.pct")).map((f) => f.component as string))].sort();
  for (const component of components) {
    add({ metric: "score", component });
    add({ metric: "coverage.lines", component });
  }
  return metrics;
}

/** The day the burn-down last reached 0 remaining tasks (it stays there), or null. */
function lastDoneDay(days: readonly BurndownDay[]): string | null {
  let day: string | null = null;
  for (let i = days.length - 1; i >= 0 && (days[i] as BurndownDay).remainingTasks === 0; i--) day = (days[i] as BurndownDay).date;
  return day;
}

/** The critical path of what is left: the plan's longest expected path with done tasks taking no time. */
function remainingCriticalHours(plan: Plan, done: Set<string>): number {
  if (plan.tasks.length === 0) return 0;
  const rest: Plan = { ...plan, tasks: plan.tasks.map((t) => (done.has(t.id) ? { ...t, estimate: { optimistic: 0, likely: 0, pessimistic: 0 } } : t)) };
  try {
    return criticalPath(rest).project.expected;
  } catch {
    return 0; // a cycle: no floor (plan check reports it)
  }
}

/**
 * The forecast cone for charts: from the remaining tasks on the as-of day, a straight line to 0 at each quantile's
 * completion day, sampled per working day up to the P95 day (or the last known quantile).
 */
function cone(asOf: string, remaining: number, q: { p50: number | null; p85: number | null; p95: number | null }): ForecastView["cone"] {
  const last = q.p95 ?? q.p85 ?? q.p50;
  if (last === null || remaining <= 0) return [];
  const at = (d: number, days: number | null) => (days === null ? remaining : days <= 0 ? 0 : round2(Math.max(0, remaining * (1 - d / days))));
  const first = weekdayIndex(asOf) + 1;
  const out: ForecastView["cone"] = [];
  for (let d = 1; d <= last; d++) out.push({ date: dateOfWeekday(first + d - 1), p50: at(d, q.p50), p85: at(d, q.p85), p95: at(d, q.p95) });
  return out;
}

function latestOf(record: SnapshotRecord | null, facts: FactPoint[], at: string): LatestMeasure | null {
  if (record === null || record.takenAt > at) return null;
  const mine = facts.filter((f) => f.snapshotId === record.id);
  const value = (key: string, component: string | null = null) => mine.find((f) => f.key === key && f.component === component)?.value ?? null;
  const summary = (record.summary ?? {}) as { level?: unknown; categories?: Record<string, { score?: unknown; weight?: unknown }> };
  const categories = Object.entries(summary.categories ?? {}).map(([id, c]) => ({
    id,
    name: id.replaceAll("_", " "),
    score: typeof c.score === "number" ? c.score : null,
    weight: typeof c.weight === "number" ? c.weight : 0,
  }));
  const components = [null, ...new Set(mine.filter((f) => f.component !== null && f.key.startsWith("coverage.")).map((f) => f.component as string))];
  return {
    snapshotId: record.id,
    takenAt: record.takenAt,
    commit: record.git.commit ?? null,
    score: value("score"),
    level: typeof summary.level === "string" ? summary.level : null,
    categories,
    coverage: components.map((component) => ({ component, lines: value("coverage.lines.pct", component), branches: value("coverage.branches.pct", component) })),
    tests: { total: value("tests.total"), passed: value("tests.passed"), failed: value("tests.failed"), skipped: value("tests.skipped") },
  };
}

const round2 = (x: number) => Math.round(x * 100) / 100 + 0;

/** The end of a day as an ISO time (the moment a past day's tracker is replayed to). */
export function endOfDay(date: string): string {
  return `${date}${END_OF_DAY}`;
}

export type { MetricSeries };
