/**
 * Flow of work (issue 12): throughput and velocity per day and ISO week (overall, per agent, per agent kind), cycle
 * time per task with P50 / P85 / P95, work in progress, and how long the runs of done tasks took against their PERT
 * estimate. Replayed from the store's `task.*` events and task runs, so a past day shows what was true then. Pure:
 * the caller reads the store and computes each task's expected hours.
 */
import { ShipgateError } from "../errors.js";
import type { AgentKind } from "../plan/types.js";
import { weekdayIndex } from "../plan/schedule.js";
import { isCalendarDate } from "../plan/validate-plan.js";
import type { StoreEvent, TaskRun, TaskState } from "../store/types.js";
import { TASK_STATES } from "../store/task-state.js";
import type { EstimateAccuracy, Flow, TaskCycle, ThroughputPeriod } from "./model.js";
import { isoMs } from "./time.js";

export interface FlowInput {
  /**
   * The store's events, oldest first by id (`Store.listEvents({ typePrefix: "task." })`). Read: every `task.*` event
   * whose subject is a task id and whose `data.to` names a task state (`data.agent`: who moved it); other events are
   * skipped. Replayed in the order given — the order the store wrote the moves — not re-sorted by time.
   */
  events: readonly StoreEvent[];
  /** The store's task runs, in any order; empty when nobody ran tasks through `shipgate run` (people's tasks). */
  runs: readonly TaskRun[];
  /** Task id → PERT expected hours ((optimistic + 4 × likely + pessimistic) / 6), computed by the caller. */
  expectedHours: ReadonlyMap<string, number>;
  /** Task id → its owner (the plan's agent id). */
  owners: ReadonlyMap<string, string>;
  /** Agent id → its kind (the plan's agents). */
  agentKinds: ReadonlyMap<string, AgentKind>;
  /** First and last day of the throughput rows (YYYY-MM-DD, UTC), both included. `to` is the as-of day. */
  from: string;
  to: string;
  /** The as-of moment (ISO 8601 date-time with a zone): events and runs after it are ignored. */
  at: string;
  /** true: daily rows for Monday–Friday only, a weekend's done counted on the Monday after it. */
  workingDays: boolean;
}

type Totals = { tasks: number; hours: number };
type KindKey = AgentKind | "unknown";

/** One period's running sums, unrounded. */
interface Bucket {
  tasks: number;
  hours: number;
  byAgent: Map<string, Totals>;
  byKind: Map<KindKey, Totals>;
}

/** A task's replayed history, updated per move. */
interface Replay {
  state: TaskState;
  /** The agent of the last start since the last reset (the store's claimer); null after a reset. */
  claimer: string | null;
  /** The first start since the last reset or done; null when none. */
  cycleStart: { ms: number; at: string } | null;
  /** The last move into done. */
  done: { ms: number; at: string; index: number; agent: string | null; cycleStart: { ms: number; at: string } | null } | null;
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** A date, or a date-time with a zone (Z or ±hh:mm): the times burndown.ts accepts. */
const STATES = new Set<string>(TASK_STATES);

/**
 * The flow of work as of the moment `at`. Rules:
 *
 * - **Done.** A task counts as done when its last move at or before `at` entered `done` (done then reopened is not
 *   done, as the burn-down counts). It is counted once, on the UTC day of its last move into done.
 * - **Who.** A done task is credited to the agent of that done move (`data.agent`), else to its claimer (the agent of
 *   its last `task.started` since its last reset to pending), else to its owner; the kind is that agent's from
 *   `agentKinds`, "unknown" when the agent is not listed. A task with no agent at all counts in `tasks`/`hours` and
 *   under kind "unknown", in no `byAgent` entry.
 * - **Throughput rows.** `tasks` is the number of tasks done that day; `hours` (velocity) the sum of their expected
 *   hours (0 for a task without one). One daily row per day of [from, to], zero days included. With `workingDays`
 *   the rows are Monday–Friday and a weekend's done counts on the Monday after it (as the burn-down folds weekends):
 *   a done on the Saturday before a Monday `from` is in that Monday's row, one on a Saturday `to` in no row (its
 *   Monday is after the window). Weekly rows: one per ISO week (keyed by its Monday) that holds a daily row, the
 *   sum of its daily rows — a week the window cuts counts only its days in the window, so weeks and days add up to
 *   the same totals.
 * - **Cycle.** For every task done at `at` (whether in the window or before it): from its FIRST `task.started`
 *   after its last reset to pending (or after a previous done, when it was reopened) up to its last done move, in
 *   wall-clock hours rounded to 0.01; credited as its done. A task done without such a start (forced done) has no
 *   cycle. Listed in the order of their done moves. `cycleTime` is P50 / P85 / P95 of the cycles' hours by nearest
 *   rank: the value at position ⌈p × n / 100⌉ of the n hours sorted ascending.
 * - **WIP.** Tasks whose last move at or before `at` is `task.started`, by the agent of that move (else the task's
 *   owner; a task with neither counts only in `total`).
 * - **Estimate accuracy.** For every task done at `at` that has at least one run ended at or before `at` and an
 *   expected value: actual = the sum of (endedAt − startedAt) of all those runs (failed attempts included), in
 *   hours rounded to 0.01; ratio = actual / expected rounded to 0.001 (null when expected is 0). `estimateRatio` =
 *   Σ actual / Σ expected over them (null without any, or when Σ expected is 0). Runs still open at `at` do not count.
 *
 * O(events + runs + days), plus sorting the cycles' hours for the percentiles: one pass over the moves keeping each
 * task's state, one over the runs, one over the days — never a rescan per day. Throws ShipgateError USAGE for a
 * date that is not YYYY-MM-DD, `to` before `from`, a time that is not ISO 8601 with a zone (`at`, a move's, a run's),
 * a run that ends before it starts, or expected hours that are not a finite number ≥ 0.
 */
export function flow(input: FlowInput): Flow {
  const { from, to, workingDays } = input;
  for (const [name, value] of [["from", from], ["to", to]] as const) {
    if (typeof value !== "string" || !isCalendarDate(value)) throw usage(`the flow's ${name} must be a date YYYY-MM-DD (got "${String(value)}")`, "write dates as YYYY-MM-DD");
  }
  if (to < from) throw usage(`the flow's as-of day ${to} is before its first day ${from}`, "give from ≤ to");
  const atMs = timeOf(input.at, "the flow's as-of moment");

  // One pass over the moves: each task's state, claimer, open cycle and last done.
  const tasks = new Map<string, Replay>();
  input.events.forEach((e, index) => {
    if (!e.type.startsWith("task.") || e.subject === null || typeof e.data !== "object" || e.data === null) return;
    const data = e.data as { to?: unknown; agent?: unknown };
    if (typeof data.to !== "string" || !STATES.has(data.to)) return;
    const ms = timeOf(e.at, `event ${e.id} (${e.type} of ${e.subject})`);
    if (ms > atMs) return;
    const agent = typeof data.agent === "string" && data.agent !== "" ? data.agent : null;
    let r = tasks.get(e.subject);
    if (r === undefined) {
      r = { state: "pending", claimer: null, cycleStart: null, done: null };
      tasks.set(e.subject, r);
    }
    const state = data.to as TaskState;
    if (state === "in_progress") {
      r.claimer = agent;
      r.cycleStart ??= { ms, at: e.at };
    } else if (state === "pending") {
      r.claimer = null;
      r.cycleStart = null;
    } else if (state === "done") {
      r.done = { ms, at: e.at, index, agent: agent ?? r.claimer, cycleStart: r.cycleStart };
      r.cycleStart = null;
    }
    r.state = state;
  });

  // The rows: position p of the daily rows is day index first + p (calendar days, or working days).
  const indexOf = workingDays ? (day: number) => weekdayIndex(dateOf(day)) : (day: number) => day;
  const fromDay = dayOf(from);
  const toDay = dayOf(to);
  const dates: string[] = [];
  for (let day = fromDay; day <= toDay; day++) {
    if (!workingDays || !isWeekend(day)) dates.push(dateOf(day));
  }
  const first = indexOf(fromDay);
  const daily: Bucket[] = dates.map(() => emptyBucket());

  // Tasks done at `at`, in the order of their done moves (a bucket per event index: no sort).
  const doneAt: (string | undefined)[] = new Array<string | undefined>(input.events.length);
  const wip = { total: 0, byAgent: {} as Record<string, number> };
  for (const [id, r] of tasks) {
    if (r.state === "in_progress") {
      wip.total++;
      const agent = r.claimer ?? input.owners.get(id) ?? null;
      if (agent !== null) wip.byAgent[agent] = (wip.byAgent[agent] ?? 0) + 1;
    }
    if (r.state !== "done" || r.done === null) continue;
    doneAt[r.done.index] = id;
    const bucket = daily[indexOf(Math.floor(r.done.ms / DAY_MS)) - first];
    if (bucket === undefined) continue;
    const agent = r.done.agent ?? input.owners.get(id) ?? null;
    add(bucket, agent, agent === null ? "unknown" : (input.agentKinds.get(agent) ?? "unknown"), expectedOf(input.expectedHours, id) ?? 0);
  }

  // Runs ended by `at`: hours per task.
  const actual = new Map<string, number>();
  for (const run of input.runs) {
    if (run.endedAt === null) continue;
    const what = `run ${run.id} of ${run.taskId}`;
    const end = timeOf(run.endedAt, `${what}'s end`);
    if (end > atMs) continue;
    const start = timeOf(run.startedAt, `${what}'s start`);
    if (end < start) throw usage(`${what} ends (${run.endedAt}) before it starts (${run.startedAt})`, "pass runs as the store returns them");
    actual.set(run.taskId, (actual.get(run.taskId) ?? 0) + (end - start) / HOUR_MS);
  }

  const cycles: TaskCycle[] = [];
  const estimates: EstimateAccuracy[] = [];
  let sumActual = 0;
  let sumExpected = 0;
  for (const id of doneAt) {
    if (id === undefined) continue;
    const r = tasks.get(id) as Replay;
    const done = r.done as NonNullable<Replay["done"]>;
    if (done.cycleStart !== null) {
      cycles.push({ task: id, agent: done.agent ?? input.owners.get(id) ?? null, startedAt: done.cycleStart.at, doneAt: done.at, hours: round2((done.ms - done.cycleStart.ms) / HOUR_MS) });
    }
    const hours = actual.get(id);
    const expected = expectedOf(input.expectedHours, id);
    if (hours === undefined || expected === undefined) continue;
    sumActual += hours;
    sumExpected += expected;
    estimates.push({ task: id, expectedHours: round2(expected), actualHours: round2(hours), ratio: expected > 0 ? round3(hours / expected) : null });
  }

  return {
    daily: daily.map((b, i) => period(dates[i] as string, b)),
    weekly: weeks(dates, daily),
    cycles,
    cycleTime: percentiles(cycles.map((c) => c.hours)),
    wip,
    estimates,
    estimateRatio: estimates.length > 0 && sumExpected > 0 ? round3(sumActual / sumExpected) : null,
  };
}

/**
 * The daily throughput the forecast draws from (`SimulateOptions.throughput`), oldest first: tasks, or expected
 * hours, per row of `flow.daily` — Monday–Friday only when the flow was computed with working days, every calendar
 * day otherwise. Days without a done task are 0, as the forecast needs them.
 */
export function dailyThroughput(flow: Flow, unit: "tasks" | "hours"): number[] {
  return flow.daily.map((d) => (unit === "tasks" ? d.tasks : d.hours));
}

function emptyBucket(): Bucket {
  return { tasks: 0, hours: 0, byAgent: new Map(), byKind: new Map() };
}

/** One done task into a period. */
function add(bucket: Bucket, agent: string | null, kind: KindKey, hours: number): void {
  bucket.tasks++;
  bucket.hours += hours;
  if (agent !== null) bump(bucket.byAgent, agent, 1, hours);
  bump(bucket.byKind, kind, 1, hours);
}

function bump<K>(map: Map<K, Totals>, key: K, tasks: number, hours: number): void {
  const t = map.get(key);
  if (t === undefined) map.set(key, { tasks, hours });
  else {
    t.tasks += tasks;
    t.hours += hours;
  }
}

/** One weekly bucket per ISO week holding a daily row, in date order: the sum of its days. */
function weeks(dates: readonly string[], daily: readonly Bucket[]): ThroughputPeriod[] {
  const out: ThroughputPeriod[] = [];
  let monday: string | null = null;
  let week = emptyBucket();
  daily.forEach((b, i) => {
    const day = dayOf(dates[i] as string);
    const m = dateOf(day - ((weekday(day) + 6) % 7));
    if (m !== monday) {
      if (monday !== null) out.push(period(monday, week));
      monday = m;
      week = emptyBucket();
    }
    week.tasks += b.tasks;
    week.hours += b.hours;
    for (const [agent, t] of b.byAgent) bump(week.byAgent, agent, t.tasks, t.hours);
    for (const [kind, t] of b.byKind) bump(week.byKind, kind, t.tasks, t.hours);
  });
  if (monday !== null) out.push(period(monday, week));
  return out;
}

function period(start: string, b: Bucket): ThroughputPeriod {
  const byAgent: ThroughputPeriod["byAgent"] = {};
  for (const [agent, t] of b.byAgent) byAgent[agent] = { tasks: t.tasks, hours: round2(t.hours) };
  const byKind: ThroughputPeriod["byKind"] = {};
  for (const [kind, t] of b.byKind) byKind[kind] = { tasks: t.tasks, hours: round2(t.hours) };
  return { start, tasks: b.tasks, hours: round2(b.hours), byAgent, byKind };
}

/** Nearest rank: the value at position ⌈p·n/100⌉ (1-based) of the sorted values. */
function percentiles(hours: number[]): Flow["cycleTime"] {
  const n = hours.length;
  if (n === 0) return { p50: null, p85: null, p95: null, count: 0 };
  const sorted = Float64Array.from(hours).sort();
  const rank = (p: number) => sorted[Math.max(1, Math.ceil((p * n) / 100)) - 1] as number;
  return { p50: rank(50), p85: rank(85), p95: rank(95), count: n };
}

function expectedOf(map: ReadonlyMap<string, number>, id: string): number | undefined {
  const hours = map.get(id);
  if (hours !== undefined && !(Number.isFinite(hours) && hours >= 0)) {
    throw usage(`task ${id}'s expected hours must be a finite number ≥ 0 (got ${hours})`, "compute them from the plan's estimates");
  }
  return hours;
}

function timeOf(value: string, what: string): number {
  // A time without a zone would be read in the machine's zone: the same history would give other days.
  const ms = isoMs(value);
  if (Number.isNaN(ms)) throw usage(`${what} is not an ISO 8601 date-time with a zone, such as 2026-03-01T09:00:00Z (got "${String(value)}")`, "pass times as the store returns them");
  return ms;
}

const dayOf = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);
/** 0 = Sunday … 6 = Saturday (1970-01-01, day 0, was a Thursday). */
const weekday = (day: number) => (((day + 4) % 7) + 7) % 7;
const isWeekend = (day: number) => weekday(day) === 0 || weekday(day) === 6;
const round2 = (x: number) => Math.round(x * 100) / 100 + 0;
const round3 = (x: number) => Math.round(x * 1000) / 1000 + 0;

function usage(message: string, hint: string): ShipgateError {
  return new ShipgateError("USAGE", `[track] ${message}`, { hint });
}
