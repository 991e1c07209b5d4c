/**
 * The tracker's alerts at a moment (issue 12): those already stored as events — `alert` (assess: score decline, a
 * metric worse than the limit), `gate.evaluated` with NO-GO (and the regressed tests it names), `track.alert` (what an
 * earlier tracker computed and stored) — and those computed now from the tracker's state: the forecast past a
 * milestone, a task in progress longer than the P95 cycle time, a stale lease, work in progress over a limit.
 *
 * One alert per key and UTC day: a computed alert whose key was already stored that day is not listed again. The
 * caller stores the computed ones (`stored: false`) as `track.alert` events with `alertEventData` when it tracks now.
 * Pure and linear in events + tasks + runs + milestones (+ sorting the result).
 */
import { ShipgateError } from "../errors.js";
import { NEW_METRICS } from "../gate/metrics.js";
import { agentMaxParallel } from "../plan/execution.js";
import type { PlanAgent } from "../plan/types.js";
import type { StoreEvent } from "../store/types.js";
import { GATE_EVALUATED_EVENT, gateRunOf, snapshotIdOf } from "./milestones.js";
import type { AlertKind, Flow, MilestoneView, RunAt, TaskAt, TrackAlert } from "./model.js";

/** The event a tracker stores each computed alert as (data: `alertEventData`). */
export const TRACK_ALERT_EVENT = "track.alert";
/** The event assess stores each of its alerts as (data: snapshot/types.ts `Alert` + `previousSnapshotId`). */
export const ASSESS_ALERT_EVENT = "alert";

const ALERT_KINDS: ReadonlySet<string> = new Set<AlertKind>([
  "score-decline",
  "metric-worse",
  "test-regressed",
  "gate-no-go",
  "forecast-past-milestone",
  "task-past-p95",
  "stale-lease",
  "wip-over-limit",
]);

export interface AlertsInput {
  /** The moment the alerts are for (ISO 8601): computed alerts carry it; events after it are ignored. */
  at: string;
  /** The start of the listed window (ISO 8601, inclusive): stored alerts before it are not listed. */
  from: string;
  /** The store's events, in any order; only `alert`, `gate.evaluated` and `track.alert` ones are read. */
  events: readonly StoreEvent[];
  /** The milestones evaluated for the as-of day (`milestones()`). */
  milestones: readonly Pick<MilestoneView, "id" | "date" | "status" | "probability">[];
  /** The completion forecast's P85 date (YYYY-MM-DD), or null without a forecast. */
  forecastP85: string | null;
  /** The tasks replayed to `at`; only those in progress with a `since` are read. */
  tasks: readonly Pick<TaskAt, "id" | "state" | "since" | "by">[];
  /** The P95 cycle time in hours (`Flow.cycleTime.p95`); null: no task-past-p95 alert. */
  cycleP95Hours: number | null;
  /** The runs as they stood at `at`; only open ones (endedAt null) are read. */
  runs: readonly Pick<RunAt, "id" | "task" | "agent" | "endedAt" | "leaseExpiresAt">[];
  /** Work in progress at `at` by agent (`Flow.wip`). */
  wip: Flow["wip"];
  /** The plan's agents: each one's `max_parallel` (default 1) limits its own work in progress. */
  agents: readonly Pick<PlanAgent, "id" | "maxParallel">[];
  /** The plan's `execution.max_parallel` over all agents; null: no overall limit. */
  maxParallel: number | null;
}

/** The data of the `track.alert` event that stores `alert`: the alert without `stored`. */
export function alertEventData(alert: TrackAlert): Omit<TrackAlert, "stored"> {
  return { kind: alert.kind, at: alert.at, subject: alert.subject, message: alert.message, key: alert.key };
}

/** The alerts of the window [from, at], newest first (then by key). Throws USAGE for a bad moment or from after at. */
export function alerts(input: AlertsInput): TrackAlert[] {
  const at = moment("alert moment", input.at);
  const from = moment("window start", input.from);
  if (from > at) throw new ShipgateError("USAGE", `[track] the alerts' window starts (${input.from}) after its end (${input.at})`, { hint: "pass a start on or before the end" });
  const today = dayOf(at);

  const stored: { alert: TrackAlert; ms: number; id: number }[] = [];
  for (const e of input.events) {
    const ms = Date.parse(e.at);
    if (!Number.isFinite(ms) || ms > at) continue;
    for (const alert of storedAlerts(e)) stored.push({ alert, ms, id: e.id });
  }
  // One stored alert per key and day: the first recorded.
  stored.sort((a, b) => a.ms - b.ms || a.id - b.id);
  const seen = new Set<string>();
  const storedToday = new Set<string>();
  const out: { alert: TrackAlert; ms: number }[] = [];
  for (const s of stored) {
    const day = dayOf(s.ms);
    const dayKey = `${day}\u0000${s.alert.key}`;
    if (seen.has(dayKey)) continue;
    seen.add(dayKey);
    if (day === today) storedToday.add(s.alert.key);
    if (s.ms >= from) out.push({ alert: s.alert, ms: s.ms });
  }
  for (const alert of computedAlerts(input, at)) {
    if (storedToday.has(alert.key)) continue;
    storedToday.add(alert.key);
    out.push({ alert, ms: at });
  }
  out.sort((a, b) => b.ms - a.ms || (a.alert.key < b.alert.key ? -1 : a.alert.key > b.alert.key ? 1 : 0));
  return out.map((o) => o.alert);
}

/** The alerts an event holds: none, one, or two (a NO-GO that names regressed tests). */
function storedAlerts(e: StoreEvent): TrackAlert[] {
  if (e.type === ASSESS_ALERT_EVENT) {
    const data = e.data as { type?: unknown; metric?: unknown; message?: unknown; previousSnapshotId?: unknown } | null;
    if (data === null || typeof data !== "object" || (data.type !== "score-decline" && data.type !== "metric-worse") || typeof data.metric !== "string" || typeof data.message !== "string") return [];
    const snapshot = snapshotIdOf(e.subject);
    const previous = typeof data.previousSnapshotId === "number" ? data.previousSnapshotId : null;
    const where = snapshot === null ? "" : ` (snapshot ${snapshot}${previous === null ? "" : ` against snapshot ${previous}`})`;
    return [{ kind: data.type, at: e.at, subject: data.metric, message: `${data.message}${where}`, key: `${data.type}:${data.metric}:${eventPlace(e)}`, stored: true }];
  }
  if (e.type === GATE_EVALUATED_EVENT) {
    const read = gateRunOf(e);
    if (!read || read.run.verdict !== "NO-GO") return [];
    const { gate, run } = read;
    const on = run.snapshotId === null ? "" : ` on snapshot ${run.snapshotId}`;
    const failed = run.failed.length > 0 ? `: failed ${run.failed.join(", ")}` : " (no failed condition recorded)";
    // One alert per gate and day (the day's first NO-GO): a gate run on every commit must not flood the list.
    const out: TrackAlert[] = [{ kind: "gate-no-go", at: e.at, subject: gate, message: `gate ${gate} said NO-GO${on}${failed}`, key: `gate-no-go:${gate}`, stored: true }];
    const tests = run.failed.filter(isTestRegression);
    if (tests.length > 0) {
      const what = tests.map((id) => `${id} failed: ${testConditionWords(id)}`).join("; ");
      out.push({ kind: "test-regressed", at: e.at, subject: gate, message: `gate ${gate}${on}: ${what}`, key: `test-regressed:${gate}`, stored: true });
    }
    return out;
  }
  if (e.type === TRACK_ALERT_EVENT) {
    const data = e.data as Partial<Record<keyof TrackAlert, unknown>> | null;
    if (data === null || typeof data !== "object" || typeof data.kind !== "string" || !ALERT_KINDS.has(data.kind)) return [];
    if (typeof data.subject !== "string" || typeof data.message !== "string" || typeof data.key !== "string") return [];
    return [{ kind: data.kind as AlertKind, at: e.at, subject: data.subject, message: data.message, key: data.key, stored: true }];
  }
  return [];
}

/**
 * A failed gate condition about tests that fail now and did not in the baseline: its id mentions "regress"
 * (`new:tests.regressed`, the release gate's), or it is `new:tests.failed` (newly failing tests, gate/evaluate.ts).
 */
export function isTestRegression(conditionId: string): boolean {
  return conditionId.toLowerCase().includes("regress") || conditionId === "new:tests.failed";
}

function testConditionWords(id: string): string {
  return id === "new:tests.failed" ? (NEW_METRICS["tests.failed"] as string) : (NEW_METRICS["tests.regressed"] as string);
}

function eventPlace(e: StoreEvent): string {
  const snapshot = snapshotIdOf(e.subject);
  return snapshot === null ? `event:${e.id}` : `snapshot:${snapshot}`;
}

function computedAlerts(input: AlertsInput, at: number): TrackAlert[] {
  const when = new Date(at).toISOString();
  const today = dayOf(at);
  const out: TrackAlert[] = [];
  const alert = (kind: AlertKind, subject: string, key: string, message: string) => out.push({ kind, at: when, subject, message, key, stored: false });

  const p85 = input.forecastP85;
  if (p85 !== null) {
    for (const m of input.milestones) {
      // A milestone already past its date is `missed` or `met`: the forecast adds nothing to that.
      if (m.status === "met" || m.date < today || !(p85 > m.date)) continue;
      const chance = m.probability === null ? "" : `; ${Math.round(m.probability * 100)} % of forecast trials finish by then`;
      alert("forecast-past-milestone", m.id, `forecast-past-milestone:${m.id}`, `the forecast's P85 completion ${p85} is after milestone ${m.id} (${m.date})${chance}`);
    }
  }

  const p95 = input.cycleP95Hours;
  if (p95 !== null && Number.isFinite(p95)) {
    for (const t of input.tasks) {
      if (t.state !== "in_progress" || t.since === null) continue;
      const since = Date.parse(t.since);
      if (!Number.isFinite(since)) continue;
      const hours = (at - since) / 3_600_000;
      if (!(hours > p95)) continue;
      const who = t.by === null ? "" : ` by ${t.by}`;
      alert("task-past-p95", t.id, `task-past-p95:${t.id}`, `task ${t.id} has been in progress${who} for ${round2(hours)} hours (since ${t.since}), longer than the P95 cycle time of ${round2(p95)} hours`);
    }
  }

  for (const r of input.runs) {
    if (r.endedAt !== null) continue;
    const expires = Date.parse(r.leaseExpiresAt);
    if (!Number.isFinite(expires) || !(expires < at)) continue;
    const minutes = Math.round((at - expires) / 60_000);
    alert("stale-lease", r.task, `stale-lease:run:${r.id}`, `run ${r.id} of task ${r.task} (agent ${r.agent}): its lease expired at ${r.leaseExpiresAt}, ${minutes} minutes ago, without a heartbeat`);
  }

  for (const a of input.agents) {
    const count = input.wip.byAgent[a.id] ?? 0;
    const limit = agentMaxParallel(a);
    if (count > limit) alert("wip-over-limit", a.id, `wip-over-limit:${a.id}`, `agent ${a.id} has ${count} tasks in progress, over its max_parallel of ${limit}`);
  }
  if (input.maxParallel !== null && input.wip.total > input.maxParallel) {
    alert("wip-over-limit", "*", "wip-over-limit:*", `${input.wip.total} tasks are in progress, over the plan's execution max_parallel of ${input.maxParallel}`);
  }
  return out;
}

const round2 = (x: number) => Math.round(x * 100) / 100;

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function moment(name: string, value: string): number {
  const ms = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new ShipgateError("USAGE", `[track] the ${name} must be an ISO 8601 date-time (got "${String(value)}")`, { hint: "write it as 2026-12-03T18:00:00Z" });
  return ms;
}
