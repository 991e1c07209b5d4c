/**
 * GET /metrics (issue 13): the store's figures in the Prometheus text format, computed afresh on every scrape from
 * what the CLI shows — the tracker (`trackProgram`), the tasks, the runs and the gate verdicts — in a constant number
 * of store queries, whatever the history's size. A fresh prom-client Registry per call: no global state, so two stores
 * served by one process never mix. Names follow Prometheus' rules (docs/monitoring.md lists them): a `shipgate_`
 * prefix, base units (`_seconds`, ratios 0–1), `_total` on counters only, and labels with a bounded set of values
 * (state, outcome, agent kind, category, gate, milestone — never a task, run or agent id).
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";
import { trackProgram } from "../app/track.js";
import { AGENT_KINDS, type AgentKind, type Plan } from "../plan/types.js";
import { CLAIM_CONFLICT_EVENT } from "../store/task-state.js";
import { RUN_OUTCOMES, type Store, type TaskState } from "../store/types.js";
import type { AlertKind, MilestoneStatus, Tracker } from "../track/model.js";
import { GATE_EVALUATED_EVENT } from "../track/milestones.js";

export interface MetricsOptions {
  /** The clock (ISO 8601): SHIPGATE_NOW or the system's. */
  now: string;
}

export interface MetricsResult {
  contentType: string;
  body: string;
}

/** An agent the latest plan no longer lists. */
type KindLabel = AgentKind | "unknown";
const KINDS: readonly KindLabel[] = [...AGENT_KINDS, "unknown"];
const TASK_STATES: readonly TaskState[] = ["pending", "in_progress", "done", "failed", "blocked"];
const ALERT_KINDS = Object.keys({
  "score-decline": true,
  "metric-worse": true,
  "test-regressed": true,
  "gate-no-go": true,
  "forecast-past-milestone": true,
  "task-past-p95": true,
  "stale-lease": true,
  "wip-over-limit": true,
} satisfies Record<AlertKind, true>) as AlertKind[];
const MILESTONE_STATUSES = Object.keys({ met: true, missed: true, "at-risk": true, "on-track": true, unknown: true } satisfies Record<MilestoneStatus, true>) as MilestoneStatus[];
const GATE_VERDICTS = ["GO", "NO-GO"] as const;
/**
 * Run durations: 10 s to a day. Agent runs take minutes to hours (a run is killed after an hour unless the plan sets
 * `timeout`: DEFAULT_RUN_TIMEOUT), script runs and runs that fail to start take seconds; a run past a day counts in
 * +Inf only (its percentile reads 1 day).
 */
export const RUN_DURATION_BUCKETS = [10, 30, 60, 300, 600, 900, 1800, 3600, 7200, 14_400, 28_800, 43_200, 86_400];
const PERCENTILES = ["p50", "p85", "p95"] as const;

/** Renders the metrics of `store` at `options.now`. */
export async function renderMetrics(store: Store, options: MetricsOptions): Promise<MetricsResult> {
  const now = Date.parse(options.now);
  const [tracker, plan, tasks, runs, counted] = await Promise.all([
    trackProgram(store, { now: options.now }),
    store.getPlan(),
    store.listTasks(),
    store.listRuns(),
    store.listEvents({ types: [GATE_EVALUATED_EVENT, CLAIM_CONFLICT_EVENT] }),
  ]);
  const gateEvents = counted.filter((e) => e.type === GATE_EVALUATED_EVENT);
  const conflictEvents = counted.filter((e) => e.type === CLAIM_CONFLICT_EVENT);
  const kindOf = agentKinds(plan?.content);
  const registry = new Registry();
  const gauge = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) => new Gauge<L>({ name, help, labelNames, registers: [registry] });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[] = []) => new Counter<L>({ name, help, labelNames, registers: [registry] });

  readinessMetrics(tracker, gauge);

  // Tasks: the stored queue now (removed tasks left out), by state and by the kind of their owner.
  const tasksGauge = gauge("shipgate_tasks", "Tasks of the plan by queue state and the kind of agent that owns them (removed tasks excluded).", ["state", "agent_kind"]);
  for (const state of TASK_STATES) for (const kind of KINDS) tasksGauge.set({ state, agent_kind: kind }, 0);
  for (const t of tasks) if (!t.removed) tasksGauge.inc({ state: t.state, agent_kind: kindOf(t.owner) });

  // Runs: ended ones count (outcome, duration, usage); open ones are in progress or hold an expired lease.
  const runsTotal = counter("shipgate_runs_total", "Task runs that ended, by agent kind and outcome (lost: the lease expired).", ["agent_kind", "outcome"]);
  const leaseExpirations = counter("shipgate_lease_expirations_total", "Task runs lost because their lease expired without a heartbeat, by agent kind.", ["agent_kind"]);
  const duration = new Histogram({
    name: "shipgate_run_duration_seconds",
    help: "Duration of the task runs that ended (start to end), by agent kind.",
    labelNames: ["agent_kind"],
    buckets: RUN_DURATION_BUCKETS,
    registers: [registry],
  });
  const inProgress = gauge("shipgate_runs_in_progress", "Task runs holding their task with a live lease, by agent kind.", ["agent_kind"]);
  const stale = gauge("shipgate_leases_stale", "Task runs still holding their task whose lease expired without a heartbeat (not yet released), by agent kind.", ["agent_kind"]);
  const lastHeartbeat = gauge("shipgate_run_last_heartbeat_timestamp_seconds", "The latest heartbeat (or end) of any task run, by agent kind, in Unix seconds.", ["agent_kind"]);
  const tokens = counter("shipgate_agent_tokens_total", "Tokens the agents reported for their runs, by agent kind and direction (input, output).", ["agent_kind", "direction"]);
  const cost = counter("shipgate_agent_cost_usd_total", "Cost the agents reported for their runs in US dollars, by agent kind.", ["agent_kind"]);
  for (const kind of KINDS) {
    for (const outcome of RUN_OUTCOMES) runsTotal.inc({ agent_kind: kind, outcome }, 0);
    leaseExpirations.inc({ agent_kind: kind }, 0);
    duration.zero({ agent_kind: kind });
    inProgress.set({ agent_kind: kind }, 0);
    stale.set({ agent_kind: kind }, 0);
    tokens.inc({ agent_kind: kind, direction: "input" }, 0);
    tokens.inc({ agent_kind: kind, direction: "output" }, 0);
    cost.inc({ agent_kind: kind }, 0);
  }
  const latestBeat = new Map<KindLabel, number>();
  for (const r of runs) {
    const kind = kindOf(r.agent);
    const beat = Date.parse(r.endedAt ?? r.heartbeatAt);
    if (beat > (latestBeat.get(kind) ?? -Infinity)) latestBeat.set(kind, beat);
    if (r.usage?.inputTokens) tokens.inc({ agent_kind: kind, direction: "input" }, r.usage.inputTokens);
    if (r.usage?.outputTokens) tokens.inc({ agent_kind: kind, direction: "output" }, r.usage.outputTokens);
    if (r.usage?.costUsd) cost.inc({ agent_kind: kind }, r.usage.costUsd);
    if (r.endedAt === null || r.outcome === null) {
      (Date.parse(r.leaseExpiresAt) < now ? stale : inProgress).inc({ agent_kind: kind });
      continue;
    }
    runsTotal.inc({ agent_kind: kind, outcome: r.outcome });
    if (r.outcome === "lost") leaseExpirations.inc({ agent_kind: kind });
    duration.observe({ agent_kind: kind }, Math.max(0, (Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000));
  }
  for (const [kind, beat] of latestBeat) lastHeartbeat.set({ agent_kind: kind }, beat / 1000);

  // Claim conflicts: claims refused because another agent held the task first (app/queue records each one).
  const conflicts = counter("shipgate_task_claim_conflicts_total", "Claims or starts refused because another agent held the task first (lost races between workers), by the kind of the agent refused.", ["agent_kind"]);
  for (const kind of KINDS) conflicts.inc({ agent_kind: kind }, 0);
  for (const e of conflictEvents) {
    const agent = (e.data as { agent?: unknown } | null)?.agent;
    conflicts.inc({ agent_kind: kindOf(typeof agent === "string" ? agent : "") });
  }

  // Gates: every recorded verdict, and whether the latest one of each gate passed.
  const evaluations = counter("shipgate_gate_evaluations_total", "Gate evaluations recorded, by gate and verdict.", ["gate", "verdict"]);
  const passing = gauge("shipgate_gate_passing", "1 when the latest evaluation of the gate was GO, 0 when NO-GO.", ["gate"]);
  const lastVerdict = new Map<string, string>();
  for (const e of gateEvents) {
    const data = e.data as { gate?: unknown; verdict?: unknown } | null;
    if (typeof data?.gate !== "string" || !GATE_VERDICTS.includes(data.verdict as (typeof GATE_VERDICTS)[number])) continue;
    const verdict = data.verdict as string;
    if (!lastVerdict.has(data.gate)) for (const v of GATE_VERDICTS) evaluations.inc({ gate: data.gate, verdict: v }, 0);
    evaluations.inc({ gate: data.gate, verdict });
    lastVerdict.set(data.gate, verdict);
  }
  for (const [gate, verdict] of lastVerdict) passing.set({ gate }, verdict === "GO" ? 1 : 0);

  trackerMetrics(tracker, gauge);

  return { contentType: registry.contentType, body: await registry.metrics() };
}

type GaugeFactory = <L extends string>(name: string, help: string, labelNames?: readonly L[]) => Gauge<L>;

/**
 * The latest snapshot of the tracked branch: score, level, categories, tests, coverage. Absent without a snapshot:
 * a gauge without labels is only created once it has a value, because prom-client writes 0 for one never set.
 */
function readinessMetrics(tracker: Tracker, gauge: GaugeFactory): void {
  const latest = tracker.latest;
  const level = gauge("shipgate_readiness_level", "1 for the readiness level of the latest snapshot.", ["level"]);
  const category = gauge("shipgate_readiness_category_score", "Score of each measured category in the latest snapshot (0–100); a category without evidence (unknown) has a weight and no score.", ["category"]);
  const weight = gauge("shipgate_readiness_category_weight", "Weight of each category in the readiness score, measured or not.", ["category"]);
  const tests = gauge("shipgate_tests", "Tests of the latest snapshot by status.", ["status"]);
  const coverage = gauge("shipgate_coverage_ratio", "Coverage of the latest snapshot (0–1), by kind (lines, branches) and component (none: the whole project).", ["kind", "component"]);
  if (latest === null) return;
  gauge("shipgate_snapshot_timestamp_seconds", "When the latest snapshot of the tracked branch was taken, in Unix seconds.").set(Date.parse(latest.takenAt) / 1000);
  if (latest.score !== null) gauge("shipgate_readiness_score", "Readiness score of the latest snapshot (0–100); absent when it has none.").set(latest.score);
  if (latest.level !== null) level.set({ level: latest.level }, 1);
  for (const c of latest.categories) {
    // Unknown is left out rather than NaN: prom-client writes NaN as "Nan", and `weight unless score` finds them.
    if (c.score !== null) category.set({ category: c.id }, c.score);
    weight.set({ category: c.id }, c.weight);
  }
  for (const status of ["passed", "failed", "skipped"] as const) {
    const value = latest.tests[status];
    if (value !== null) tests.set({ status }, value);
  }
  for (const c of latest.coverage) {
    const labels = c.component === null ? {} : { component: c.component };
    if (c.lines !== null) coverage.set({ ...labels, kind: "lines" }, percentToRatio(c.lines));
    if (c.branches !== null) coverage.set({ ...labels, kind: "branches" }, percentToRatio(c.branches));
  }
}

/** The tracker's judgments at `now`: alerts, forecast, milestones, scope. */
function trackerMetrics(tracker: Tracker, gauge: GaugeFactory): void {
  const alerts = gauge("shipgate_alerts", "Alerts the tracker lists for its window (stored since the window began, and computed now), by kind.", ["kind"]);
  for (const kind of ALERT_KINDS) alerts.set({ kind }, 0);
  for (const a of tracker.alerts) alerts.inc({ kind: a.kind });

  const forecast = gauge("shipgate_forecast_completion_timestamp_seconds", "Forecast completion of the remaining tasks (end of the forecast day, UTC) per percentile of the Monte Carlo trials, in Unix seconds; absent when unknown.", ["percentile"]);
  for (const p of PERCENTILES) {
    const date = tracker.forecast[p];
    if (date !== null) forecast.set({ percentile: p }, endOfDaySeconds(date));
  }
  gauge("shipgate_forecast_remaining_tasks", "Tasks the forecast still has to finish.").set(tracker.forecast.remainingTasks);

  const status = gauge("shipgate_milestone_status", "1 for each milestone's status (met, missed, at-risk, on-track, unknown), 0 for the others.", ["milestone", "status"]);
  const due = gauge("shipgate_milestone_due_timestamp_seconds", "Due moment of each milestone (end of its day, UTC), in Unix seconds.", ["milestone"]);
  const probability = gauge("shipgate_milestone_probability_ratio", "Share of forecast trials finishing the remaining work by the milestone (0–1); absent once due or without a forecast.", ["milestone"]);
  for (const m of tracker.milestones) {
    for (const st of MILESTONE_STATUSES) status.set({ milestone: m.id, status: st }, st === m.status ? 1 : 0);
    due.set({ milestone: m.id }, endOfDaySeconds(m.date));
    if (m.probability !== null) probability.set({ milestone: m.id }, m.probability);
  }
  // Without a plan there is no scope: the series are absent, not 0 (unknown is not zero).
  if (tracker.plan) {
    gauge("shipgate_plan_scope_tasks", "Tasks in the plan's scope today (the tracker's burn-down).").set(tracker.headline.scopeTasks);
    gauge("shipgate_plan_done_tasks", "Tasks of the plan's scope done today (the tracker's burn-down).").set(tracker.headline.doneTasks);
  }
}

/** The end of a UTC day (YYYY-MM-DD) in Unix seconds: a forecast or a milestone on that day means "by then". */
function endOfDaySeconds(date: string): number {
  return Date.parse(`${date}T00:00:00.000Z`) / 1000 + 86_400;
}

/** A stored percent (2 decimals) as a ratio without float noise: 97.53 / 100 is 0.9753000000000001. */
export const percentToRatio = (percent: number): number => Math.round(percent * 100) / 10_000;

/** Agent id → its kind in the latest plan ("unknown" for an id the plan does not list, or without a plan). */
function agentKinds(content: unknown): (agent: string) => KindLabel {
  const kinds = new Map<string, AgentKind>();
  const agents = (content as Partial<Plan> | null | undefined)?.agents;
  if (Array.isArray(agents)) for (const a of agents) kinds.set(a.id, a.kind);
  return (agent) => kinds.get(agent) ?? "unknown";
}
