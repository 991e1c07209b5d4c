/**
 * The shipped Grafana dashboard (monitoring/grafana/shipgate.json), written as code: `npm run monitoring:build`
 * regenerates the file, test/monitoring/grafana-dashboard.test.ts checks the committed file equals it, and
 * test/monitoring/prometheus-queries.test.ts sends every query to a real Prometheus scraping /metrics.
 * Metric names and labels: src/server/metrics.ts (docs/monitoring.md, "Prometheus").
 */
import { DATASOURCE, layout, type Dashboard, type RowSpec, type Variable } from "./grafana.js";

/** The dashboard's stable uid: links and provisioning keep working across versions. */
export const DASHBOARD_UID = "shipgate-program";

/** One store is one `instance` of one `job`: every selector names both (single-valued variables, nothing summed twice). */
const sel = (matchers = ""): string => `{job="$job", instance="$instance"${matchers === "" ? "" : `, ${matchers}`}}`;
const m = (name: string, matchers = ""): string => `${name}${sel(matchers)}`;
/** Label matching across two metrics of the same store. */
const SAME = "on(job, instance)";

const SCORE_STEPS = [
  { color: "red", value: null },
  { color: "orange", value: 50 },
  { color: "yellow", value: 70 },
  { color: "green", value: 85 },
];

const quantile = (q: number): string =>
  `histogram_quantile(${q}, sum by (le, agent_kind) (${m("shipgate_run_duration_seconds_bucket")})) and on(agent_kind) sum by (agent_kind) (${m("shipgate_run_duration_seconds_count")}) > 0`;

export const ROWS: readonly RowSpec[] = [
  {
    title: "Readiness",
    panels: [
      { type: "stat", title: "Readiness score", description: "Score of the latest snapshot of the tracked branch (0–100; levels need 50, 70, 85 by default).", unit: "none", min: 0, max: 100, thresholds: SCORE_STEPS, w: 4, h: 5, queries: [{ expr: m("shipgate_readiness_score"), legend: "score" }], mayBeEmpty: "no snapshot has been taken yet, or the latest has no score" },
      { type: "stat", title: "Level", description: "Readiness level of the latest snapshot.", unit: "none", showName: true, w: 5, h: 5, queries: [{ expr: `${m("shipgate_readiness_level")} == 1`, legend: "{{level}}" }], mayBeEmpty: "no snapshot has been taken yet" },
      { type: "stat", title: "Snapshot age", description: "Time since the latest snapshot was taken.", unit: "s", thresholds: [{ color: "green", value: null }, { color: "orange", value: 86_400 }, { color: "red", value: 259_200 }], w: 4, h: 5, queries: [{ expr: `time() - ${m("shipgate_snapshot_timestamp_seconds")}`, legend: "age" }], mayBeEmpty: "no snapshot has been taken yet" },
      { type: "bargauge", title: "Categories without evidence (weight)", description: "Categories of the score with a weight but no measurement in the latest snapshot: the share of the total that is not measured.", unit: "none", w: 11, h: 5, queries: [{ expr: `${m("shipgate_readiness_category_weight")} unless on(job, instance, category) ${m("shipgate_readiness_category_score")}`, legend: "{{category}}" }], mayBeEmpty: "every category is measured" },
      { type: "timeseries", title: "Readiness score and categories", description: "The score and each measured category's score (0–100) of the latest snapshot, over time.", unit: "none", min: 0, max: 100, w: 24, h: 8, queries: [{ expr: m("shipgate_readiness_score"), legend: "score" }, { expr: m("shipgate_readiness_category_score"), legend: "{{category}}" }] },
    ],
  },
  {
    title: "Tests and coverage",
    panels: [
      { type: "timeseries", title: "Tests by status", description: "Tests of the latest snapshot by status.", unit: "none", stacked: true, w: 12, h: 8, queries: [{ expr: `sum by (status) (${m("shipgate_tests")})`, legend: "{{status}}" }] },
      { type: "timeseries", title: "Coverage (whole project)", description: "Line and branch coverage of the latest snapshot.", unit: "percentunit", min: 0, max: 1, w: 6, h: 8, queries: [{ expr: m("shipgate_coverage_ratio", 'component=""'), legend: "{{kind}}" }] },
      { type: "timeseries", title: "Coverage by component", description: "Line and branch coverage of each component of the latest snapshot.", unit: "percentunit", min: 0, max: 1, w: 6, h: 8, queries: [{ expr: m("shipgate_coverage_ratio", 'component!=""'), legend: "{{component}} {{kind}}" }], mayBeEmpty: "shipgate.yaml defines no components" },
    ],
  },
  {
    title: "Tasks",
    panels: [
      { type: "timeseries", title: "Tasks by state", description: "The plan's tasks by queue state (removed tasks left out).", unit: "none", stacked: true, w: 8, h: 8, queries: [{ expr: `sum by (state) (${m("shipgate_tasks")})`, legend: "{{state}}" }] },
      { type: "bargauge", title: "Tasks by owner kind and state", description: "Tasks now, by the kind of agent that owns them (cli, script, human; unknown: an agent the plan no longer lists) and state.", unit: "none", w: 8, h: 8, queries: [{ expr: `sum by (agent_kind, state) (${m("shipgate_tasks")}) > 0`, legend: "{{agent_kind}} · {{state}}" }], mayBeEmpty: "no plan has been imported" },
      { type: "timeseries", title: "Burn-down", description: "The plan's scope and the tasks done today (the tracker's burn-down), and the tasks the forecast still has to finish.", unit: "none", w: 8, h: 8, queries: [{ expr: m("shipgate_plan_scope_tasks"), legend: "scope" }, { expr: m("shipgate_plan_done_tasks"), legend: "done" }, { expr: m("shipgate_forecast_remaining_tasks"), legend: "remaining" }] },
    ],
  },
  {
    title: "Runs and leases",
    panels: [
      { type: "timeseries", title: "Runs ended by kind and outcome", description: "Task runs that ended per hour, by agent kind and outcome (lost: the lease expired).", unit: "none", bars: true, stacked: true, w: 8, h: 8, queries: [{ expr: `sum by (agent_kind, outcome) (increase(${m("shipgate_runs_total")}[1h]))`, legend: "{{agent_kind}} {{outcome}}" }] },
      { type: "timeseries", title: "Run outcome rate", description: "Share of the ended runs by outcome, over the store's whole history.", unit: "percentunit", min: 0, max: 1, w: 8, h: 8, queries: [{ expr: `sum by (job, instance, outcome) (${m("shipgate_runs_total")}) / ${SAME} group_left() sum by (job, instance) (${m("shipgate_runs_total")})`, legend: "{{outcome}}" }], mayBeEmpty: "no run has ended yet" },
      { type: "timeseries", title: "Run duration p50 / p95", description: "Median and 95th percentile of the duration of the ended runs (start to end), by agent kind, over the store's whole history (histogram buckets 10 s … 1 day).", unit: "s", w: 8, h: 8, queries: [{ expr: quantile(0.5), legend: "p50 {{agent_kind}}" }, { expr: quantile(0.95), legend: "p95 {{agent_kind}}" }], mayBeEmpty: "no run has ended yet" },
      { type: "timeseries", title: "Runs in progress", description: "Runs holding their task with a live lease, by agent kind.", unit: "none", stacked: true, w: 5, h: 8, queries: [{ expr: `sum by (agent_kind) (${m("shipgate_runs_in_progress")})`, legend: "{{agent_kind}}" }] },
      { type: "stat", title: "Stale leases", description: "Runs still holding their task although their lease expired without a heartbeat (alert ShipgateStaleLease).", unit: "none", thresholds: [{ color: "green", value: null }, { color: "red", value: 1 }], w: 4, h: 8, queries: [{ expr: `sum by (agent_kind) (${m("shipgate_leases_stale")})`, legend: "{{agent_kind}}" }] },
      { type: "timeseries", title: "Lease expirations", description: "Runs lost because their lease expired, per hour, by agent kind.", unit: "none", bars: true, w: 5, h: 8, queries: [{ expr: `sum by (agent_kind) (increase(${m("shipgate_lease_expirations_total")}[1h]))`, legend: "{{agent_kind}}" }] },
      { type: "timeseries", title: "Claim conflicts", description: "Claims refused per hour because another agent held the task first (lost races between workers), by the refused agent's kind: harmless, the worker takes the next task; many mean more workers than ready tasks.", unit: "none", bars: true, w: 5, h: 8, queries: [{ expr: `sum by (agent_kind) (increase(${m("shipgate_task_claim_conflicts_total")}[1h]))`, legend: "{{agent_kind}}" }] },
      { type: "stat", title: "Since the last heartbeat", description: "Time since the latest heartbeat (or end) of any run, by agent kind.", unit: "s", w: 5, h: 8, queries: [{ expr: `time() - max by (agent_kind) (${m("shipgate_run_last_heartbeat_timestamp_seconds")})`, legend: "{{agent_kind}}" }], mayBeEmpty: "no run has started yet" },
    ],
  },
  {
    title: "Gates and alerts",
    panels: [
      { type: "stat", title: "Gate verdicts", description: "The latest verdict of each gate.", unit: "none", mappings: { "0": { text: "NO-GO", color: "red", index: 0 }, "1": { text: "GO", color: "green", index: 1 } }, thresholds: [{ color: "red", value: null }, { color: "green", value: 1 }], w: 8, h: 6, queries: [{ expr: m("shipgate_gate_passing"), legend: "{{gate}}" }], mayBeEmpty: "no gate has been evaluated yet" },
      { type: "timeseries", title: "Gate evaluations", description: "Gate evaluations recorded per day, by gate and verdict.", unit: "none", bars: true, stacked: true, w: 8, h: 6, queries: [{ expr: `sum by (gate, verdict) (increase(${m("shipgate_gate_evaluations_total")}[1d]))`, legend: "{{gate}} {{verdict}}" }], mayBeEmpty: "no gate has been evaluated yet" },
      { type: "timeseries", title: "Tracker alerts by kind", description: "Alerts the tracker lists today (shipgate track), by kind.", unit: "none", stacked: true, w: 8, h: 6, queries: [{ expr: `sum by (kind) (${m("shipgate_alerts")})`, legend: "{{kind}}" }] },
      { type: "bargauge", title: "Prometheus alerts (firing and pending)", description: "The alert rules of monitoring/prometheus/alerts.yml that fire or wait their `for`, for every store this Prometheus scrapes (each rule takes the max over the instances of one job: one job per store, docs/monitoring.md).", unit: "none", w: 24, h: 5, queries: [{ expr: `sum by (alertname, alertstate) (ALERTS{alertname=~"Shipgate.*"})`, legend: "{{alertname}} ({{alertstate}})" }], mayBeEmpty: "no alert fires (the healthy state), or alerts.yml is not loaded" },
    ],
  },
  {
    title: "Forecast and milestones",
    panels: [
      { type: "timeseries", title: "Forecast completion vs milestones", description: "Forecast end of the remaining tasks per percentile of the Monte Carlo trials, and each milestone's due moment (end of its day, UTC).", unit: "dateTimeAsIso", w: 12, h: 8, queries: [{ expr: `${m("shipgate_forecast_completion_timestamp_seconds")} * 1000`, legend: "forecast {{percentile}}" }, { expr: `${m("shipgate_milestone_due_timestamp_seconds")} * 1000`, legend: "due {{milestone}}" }], mayBeEmpty: "the plan has no milestones and nothing is left to forecast" },
      { type: "bargauge", title: "Milestone slack vs the P85 forecast", description: "Days from the P85 forecast completion to each milestone's due moment: negative means the forecast is late (alert ShipgateForecastPastMilestone).", unit: "d", decimals: 1, thresholds: [{ color: "red", value: null }, { color: "green", value: 0 }], w: 6, h: 8, queries: [{ expr: `(${m("shipgate_milestone_due_timestamp_seconds")} - ${SAME} group_left() ${m("shipgate_forecast_completion_timestamp_seconds", 'percentile="p85"')}) / 86400`, legend: "{{milestone}}" }], mayBeEmpty: "the plan has no milestones or the forecast is unknown" },
      { type: "stat", title: "Milestones", description: "Each milestone's status (met, missed, at-risk, on-track, unknown) and the share of forecast trials finishing by it.", unit: "percentunit", decimals: 0, w: 6, h: 8, queries: [{ expr: `${m("shipgate_milestone_status")} == 1`, legend: "{{milestone}}: {{status}}" }, { expr: m("shipgate_milestone_probability_ratio"), legend: "{{milestone}} chance" }], mayBeEmpty: "the plan has no milestones" },
    ],
  },
  {
    title: "Agents: tokens and cost",
    panels: [
      { type: "timeseries", title: "Tokens per hour", description: "Tokens the agents reported for their runs, by agent kind and direction.", unit: "short", bars: true, stacked: true, w: 12, h: 8, queries: [{ expr: `sum by (agent_kind, direction) (increase(${m("shipgate_agent_tokens_total")}[1h]))`, legend: "{{agent_kind}} {{direction}}" }] },
      { type: "timeseries", title: "Cost per day", description: "Cost the agents reported for their runs, US dollars per day, by agent kind.", unit: "currencyUSD", bars: true, stacked: true, w: 6, h: 8, queries: [{ expr: `sum by (agent_kind) (increase(${m("shipgate_agent_cost_usd_total")}[1d]))`, legend: "{{agent_kind}}" }] },
      { type: "stat", title: "Cost so far", description: "Cost the agents reported over the store's whole history, US dollars.", unit: "currencyUSD", decimals: 2, w: 6, h: 8, queries: [{ expr: `sum(${m("shipgate_agent_cost_usd_total")})`, legend: "cost" }] },
    ],
  },
];

function variables(): Variable[] {
  const common = { current: {}, hide: 0, includeAll: false, multi: false, options: [] as [], regex: "" } as const;
  const query = (name: string, label: string, q: string): Variable => ({
    ...common,
    name,
    label,
    type: "query",
    datasource: DATASOURCE,
    definition: q,
    query: { query: q, refId: "PrometheusVariableQueryEditor-VariableQuery" },
    refresh: 2,
    sort: 1,
  });
  return [
    { ...common, name: "DS_PROMETHEUS", label: "Prometheus", type: "datasource", query: "prometheus", refresh: 1 },
    query("job", "Job", "label_values(shipgate_tasks, job)"),
    query("instance", "Store", 'label_values(shipgate_tasks{job="$job"}, instance)'),
  ];
}

export function buildDashboard(): Dashboard {
  const panels = layout(ROWS);
  const types = [...new Set(panels.map((p) => p.type).filter((t) => t !== "row"))].sort();
  const names: Record<string, string> = { bargauge: "Bar gauge", stat: "Stat", timeseries: "Time series" };
  return {
    __inputs: [{ name: "DS_PROMETHEUS", label: "Prometheus", description: "The Prometheus that scrapes shipgate serve's /metrics.", type: "datasource", pluginId: "prometheus", pluginName: "Prometheus" }],
    __requires: [
      { type: "grafana", id: "grafana", name: "Grafana", version: "10.4.0" },
      { type: "datasource", id: "prometheus", name: "Prometheus", version: "1.0.0" },
      ...types.map((t) => ({ type: "panel" as const, id: t, name: names[t] ?? t, version: "" })),
    ],
    annotations: { list: [] },
    description: "shipgate: readiness, tests and coverage, the task queue, runs and leases, gates, alerts, forecast and milestones, agent usage — from shipgate serve's /metrics.",
    editable: true,
    graphTooltip: 1,
    id: null,
    links: [],
    panels,
    refresh: "1m",
    schemaVersion: 39,
    tags: ["shipgate"],
    templating: { list: variables() },
    time: { from: "now-7d", to: "now" },
    timepicker: {},
    timezone: "utc",
    title: "shipgate",
    uid: DASHBOARD_UID,
    version: 1,
  };
}

/** The file's text: two-space JSON and a final newline, the same bytes for the same spec. */
export function renderDashboard(): string {
  return `${JSON.stringify(buildDashboard(), null, 2)}\n`;
}
