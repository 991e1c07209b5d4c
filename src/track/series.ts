/**
 * Daily series of a program's metrics against their dated targets (issue 12): score, per-category and
 * per-component scores, tests, coverage, findings — each day with its value, the target of that day, the
 * difference and a status. A day without a reading is "not measured", never silently carried over: the last
 * reading before it is shown beside it (`previous`), marked as such.
 *
 * Pure: the caller reads the store (`Store.listFactSeries`) and passes the facts. The function does NOT filter
 * branches: pass only the facts of the branch the program tracks (`listFactSeries({ branch })`).
 * Dates are YYYY-MM-DD; a reading's day is the UTC day of its snapshot's `takenAt`. The cost is linear in
 * facts + days × metrics (+ target points).
 */
import { ShipgateError } from "../errors.js";
import { higherIsBetter } from "../gate/metrics.js";
import { weekdayIndex } from "../plan/schedule.js";
import type { MetricTarget } from "../plan/types.js";
import { isCalendarDate } from "../plan/validate-plan.js";
import type { FactPoint } from "../store/types.js";
import { isoMs } from "./time.js";

const DAY_MS = 86_400_000;

/**
 * The metric names people write in targets and gates (`coverage.lines`) that a snapshot stores under another fact
 * key (`coverage.lines.pct`, see `factsOf` in app/assess.ts). Exact names first, then prefixes. Every other name is
 * its own fact key (`score`, `tests.failed`, `lint.errors`, `security.high`, `type_errors`, `docs.broken_links`, …),
 * so a stored fact key (`coverage.lines.pct`) may also be named directly.
 */
export const FACT_KEYS: { readonly exact: Readonly<Record<string, string>>; readonly prefix: Readonly<Record<string, string>> } = {
  exact: {
    "coverage.lines": "coverage.lines.pct",
    "coverage.branches": "coverage.branches.pct",
    "coverage.functions": "coverage.functions.pct",
    "coverage.statements": "coverage.statements.pct",
    measured_weight: "score.measured_weight",
  },
  prefix: { "categories.": "category." },
};

/** The fact key a snapshot stores `metric` under (see `FACT_KEYS`). */
export function factKeyOf(metric: string): string {
  const exact = FACT_KEYS.exact[metric];
  if (exact !== undefined) return exact;
  for (const [from, to] of Object.entries(FACT_KEYS.prefix)) {
    if (metric.startsWith(from) && metric.length > from.length) return to + metric.slice(from.length);
  }
  return metric;
}

/** Options of `targetOn`. */
export interface TargetOnOptions {
  /**
   * false (default): the target moves by the same amount every calendar day between two points. true: it moves on
   * Monday–Friday only (as `plan/schedule.ts` counts days) and holds over the weekend; a weekend date (of a point or
   * asked) counts as the Monday after it.
   */
  workingDays?: boolean;
}

/**
 * The target of `target.metric` on `date` (YYYY-MM-DD): linear between the dated points, null before the first
 * point, the last point's value from the last point on; rounded to 0.01. Two points on one date make a step: the
 * later one holds from that date. Throws USAGE for a bad date, no points, points out of date order or a value that
 * is not a finite number.
 */
export function targetOn(target: MetricTarget, date: string, options: TargetOnOptions = {}): number | null {
  checkDate("date", date);
  const line = targetLine(target, options.workingDays === true);
  return line.at(line.index(date), 0).value;
}

/** One metric to follow: a dated target, or a plain metric name / metric of a component without a target. */
export type SeriesMetric =
  | MetricTarget
  | string
  | { metric: string; component?: string | null; better?: "higher" | "lower"; points?: MetricTarget["points"] };

export interface DailySeriesOptions {
  /**
   * Facts of snapshots (`Store.listFactSeries`), in any order. Not filtered by branch here: pass only the branch you
   * track. Facts of other keys or components than the metrics asked are ignored. The score is a fact (key `score`,
   * per component too); a caller holding scores elsewhere passes them as facts with key "score".
   */
  facts: readonly FactPoint[];
  /**
   * The metrics to follow, each a series: a `MetricTarget` (plan `targets.metrics`), or a plain name (the whole
   * project, no target) or `{ metric, component }` without points. Names are target/gate names mapped to fact keys by
   * `factKeyOf`. A plain name's `better` is the gate's (`higherIsBetter`).
   */
  metrics: readonly SeriesMetric[];
  /** First and last day of the series (YYYY-MM-DD, UTC), both included. Facts before `from` only give `previous`. */
  from: string;
  to: string;
  /**
   * true: one row per Monday–Friday only, and targets move on working days only (see `TargetOnOptions`). A weekend
   * snapshot is then no day's value, but it is the `previous` reading a following unmeasured day shows.
   */
  workingDays: boolean;
  /** How far a value may be on the wrong side of its target and still count as met (default 0; finite, ≥ 0). */
  tolerance?: number;
}

/**
 * - `met`: the value is at or better than the day's target (by `better`, within `tolerance`).
 * - `behind`: the value is worse than the target.
 * - `not-measured`: no number that day (no snapshot had the fact, or the last one said it is unknown).
 * - `no-target`: a number, but no target that day (before the first point, or a metric without target).
 */
export type SeriesStatus = "met" | "behind" | "not-measured" | "no-target";

/** One day of one metric's series. */
export interface SeriesDay {
  date: string;
  /**
   * The day's reading: the fact of the LAST snapshot of that UTC day (by `takenAt`, then `snapshotId`) that has the
   * fact. Null when no snapshot that day has it, or when that last snapshot stored it as unknown (null) — a later
   * "unknown" is the latest state, so an earlier number of the same day does not win over it.
   */
  value: number | null;
  /** `value !== null`: the day has a number. */
  measured: boolean;
  /** The day had a reading, but its value is unknown (a snapshot stored the fact as null); false when measured. */
  unknown: boolean;
  /** The snapshot whose fact is the day's reading (also when unknown); null when no snapshot that day had the fact. */
  snapshotId: number | null;
  /**
   * Only when not measured: the last reading with a number before this day's reading (an earlier day, before `from`
   * or a weekend included, or earlier the same day when the day's last reading is unknown); null when measured or
   * when there is none. For display only, never used as the day's value or status.
   */
  previous: { date: string; value: number } | null;
  /** The target of the day (`targetOn`); null without target or before its first point. */
  target: number | null;
  /** value − target (negative: below the target, whichever way is better); null when either is null. */
  difference: number | null;
  status: SeriesStatus;
}

/** The series of one metric (of one component, or of the whole project). */
export interface MetricSeries {
  /** The metric as asked (`coverage.lines`). */
  metric: string;
  /** The stored fact key it was read from (`coverage.lines.pct`). */
  factKey: string;
  /** The component; null: the whole project. */
  component: string | null;
  better: "higher" | "lower";
  /** One row per day from `from` to `to` (Monday–Friday only with `workingDays`). */
  days: SeriesDay[];
}

interface Reading {
  ms: number;
  snapshotId: number;
  value: number | null;
  day: number;
}

interface DayReadings {
  /** The day's last reading (any value). */
  last: Reading;
  /** The day's last reading with a number, if any. */
  lastNumber: Reading | null;
}

/**
 * One series per metric asked (in the order asked), one row per day. See `SeriesDay` for the rules of a day's value,
 * `previous` and status. Throws USAGE for a bad date, `from` after `to`, a bad tolerance, bad target points or a
 * fact whose `takenAt` is not an ISO 8601 time.
 */
export function dailySeries(options: DailySeriesOptions): MetricSeries[] {
  const { from, to, workingDays } = options;
  checkDate("from", from);
  checkDate("to", to);
  if (from > to) throw usage(`the series' from (${from}) is after its to (${to})`, "give from ≤ to");
  const tolerance = options.tolerance ?? 0;
  if (!Number.isFinite(tolerance) || tolerance < 0) throw usage(`the tolerance must be a finite number ≥ 0 (got ${tolerance})`, "give 0 or more");
  const fromDay = Date.parse(`${from}T00:00:00Z`) / DAY_MS;
  const toDay = Date.parse(`${to}T00:00:00Z`) / DAY_MS;

  // The series asked, grouped by (fact key, component): two metrics naming one fact share its readings.
  const wanted = options.metrics.map((m) => normalize(m, workingDays));
  const groups = new Map<string, { before: Reading | null; days: Map<number, DayReadings> }>();
  for (const w of wanted) groups.set(groupKey(w.factKey, w.component), { before: null, days: new Map() });

  for (const fact of options.facts) {
    const group = groups.get(groupKey(fact.key, fact.component));
    if (group === undefined) continue;
    const ms = isoMs(fact.takenAt);
    if (Number.isNaN(ms)) throw usage(`snapshot ${fact.snapshotId}'s takenAt "${fact.takenAt}" is not an ISO 8601 time`, "pass facts as the store returns them");
    const day = Math.floor(ms / DAY_MS);
    if (day > toDay) continue;
    const reading: Reading = { ms, snapshotId: fact.snapshotId, value: fact.value, day };
    if (day < fromDay) {
      // Before the series: only the last number counts (for `previous`).
      if (reading.value !== null && (group.before === null || later(reading, group.before))) group.before = reading;
      continue;
    }
    const seen = group.days.get(day);
    if (seen === undefined) {
      group.days.set(day, { last: reading, lastNumber: reading.value === null ? null : reading });
      continue;
    }
    if (later(reading, seen.last)) seen.last = reading;
    if (reading.value !== null && (seen.lastNumber === null || later(reading, seen.lastNumber))) seen.lastNumber = reading;
  }

  return wanted.map((w) => {
    const group = groups.get(groupKey(w.factKey, w.component)) as { before: Reading | null; days: Map<number, DayReadings> };
    let carry = group.before;
    let cursor = 0;
    const days: SeriesDay[] = [];
    for (let day = fromDay; day <= toDay; day++) {
      const readings = group.days.get(day);
      const weekday = (day + 4) % 7; // 1970-01-01 (day 0) was a Thursday; 0 = Sunday
      if (!workingDays || (weekday !== 0 && weekday !== 6)) {
        const date = new Date(day * DAY_MS).toISOString().slice(0, 10);
        const t = w.line.at(w.line.index(date), cursor);
        cursor = t.cursor;
        const last = readings?.last ?? null;
        const value = last?.value ?? null;
        let previous: SeriesDay["previous"] = null;
        if (value === null) {
          // The day's last reading is unknown: an earlier number of the same day is the previous reading.
          const before = readings?.lastNumber ?? carry;
          if (before !== null) previous = { date: new Date(before.day * DAY_MS).toISOString().slice(0, 10), value: before.value as number };
        }
        const target = t.value;
        const difference = value === null || target === null ? null : clean(value - target);
        days.push({
          date,
          value,
          measured: value !== null,
          unknown: last !== null && value === null,
          snapshotId: last?.snapshotId ?? null,
          previous,
          target,
          difference,
          status: statusOf(value, target, w.better, tolerance),
        });
      }
      if (readings?.lastNumber) carry = readings.lastNumber;
    }
    return { metric: w.metric, factKey: w.factKey, component: w.component, better: w.better, days };
  });
}

function statusOf(value: number | null, target: number | null, better: "higher" | "lower", tolerance: number): SeriesStatus {
  if (value === null) return "not-measured";
  if (target === null) return "no-target";
  const met = better === "higher" ? value >= target - tolerance : value <= target + tolerance;
  return met ? "met" : "behind";
}

interface Wanted {
  metric: string;
  factKey: string;
  component: string | null;
  better: "higher" | "lower";
  line: TargetLine;
}

function normalize(m: SeriesMetric, workingDays: boolean): Wanted {
  const spec = typeof m === "string" ? { metric: m } : m;
  if (typeof spec.metric !== "string" || spec.metric === "") throw usage("a series' metric must be a non-empty name", "name a fact key or gate metric, e.g. coverage.lines");
  const better = spec.better ?? (higherIsBetter(spec.metric) ? "higher" : "lower");
  const points = spec.points ?? [];
  const target: MetricTarget = { metric: spec.metric, component: spec.component ?? null, better, points };
  return {
    metric: spec.metric,
    factKey: factKeyOf(spec.metric),
    component: spec.component ?? null,
    better,
    line: points.length === 0 ? NO_TARGET : targetLine(target, workingDays),
  };
}

interface TargetLine {
  /** The day number a date is compared on (calendar days since 1970, or working days). */
  index: (date: string) => number;
  /** The target on day `d`, searching forward from point `cursor` (days asked in increasing order reuse it). */
  at: (d: number, cursor: number) => { value: number | null; cursor: number };
}

const NO_TARGET: TargetLine = { index: () => 0, at: () => ({ value: null, cursor: 0 }) };

function targetLine(target: MetricTarget, workingDays: boolean): TargetLine {
  const what = `the target of ${target.metric}${target.component === null ? "" : ` (${target.component})`}`;
  const { points } = target;
  if (points.length === 0) throw usage(`${what} has no dated points`, "give at least one { date, value }");
  const index = workingDays ? weekdayIndex : (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
  const at = new Float64Array(points.length);
  points.forEach((p, i) => {
    if (!isCalendarDate(p.date)) throw usage(`${what}: point ${i + 1}'s date must be YYYY-MM-DD (got "${p.date}")`, "write dates as YYYY-MM-DD");
    if (!Number.isFinite(p.value)) throw usage(`${what}: point ${i + 1}'s value must be a finite number (got ${p.value})`, "give a number");
    at[i] = index(p.date);
    if (i > 0 && p.date < (points[i - 1] as { date: string }).date) {
      throw usage(`${what}: point ${i + 1} (${p.date}) comes before point ${i} (${(points[i - 1] as { date: string }).date})`, "list the points in date order");
    }
  });
  return {
    index,
    at(d, cursor) {
      if (d < (at[0] as number)) return { value: null, cursor: 0 };
      // The last point on or before d.
      let k = cursor;
      while (k + 1 < points.length && (at[k + 1] as number) <= d) k++;
      const p = points[k] as { value: number };
      if (k + 1 === points.length) return { value: round(p.value), cursor: k };
      const q = points[k + 1] as { value: number };
      const a = at[k] as number;
      const b = at[k + 1] as number;
      return { value: round(p.value + ((q.value - p.value) * (d - a)) / (b - a)), cursor: k };
    },
  };
}

/** Whether `a` was taken after `b` (by time, then snapshot id). */
function later(a: Reading, b: Reading): boolean {
  return a.ms > b.ms || (a.ms === b.ms && a.snapshotId > b.snapshotId);
}

function groupKey(key: string, component: string | null): string {
  return component === null ? `${key}\u0000` : `${key}\u0001${component}`;
}

function checkDate(name: string, value: string): void {
  if (typeof value !== "string" || !isCalendarDate(value)) throw usage(`the series' ${name} must be a date YYYY-MM-DD (got "${String(value)}")`, "write dates as YYYY-MM-DD");
}

const round = (x: number) => Math.round(x * 100) / 100 + 0;
/** Drops floating-point noise (80.1 − 80 = 0.09999999999999432 → 0.1) without rounding real digits away. */
const clean = (x: number) => Math.round(x * 1e9) / 1e9 + 0;

function usage(message: string, hint: string): ShipgateError {
  return new ShipgateError("USAGE", `[track] ${message}`, { hint });
}
