/**
 * `shipgate track backtest` (issue 12): is the forecast worth trusting on this program? Replays every past working
 * day of the program as a cut point, forecasts from the days before it (forecast.ts `backtest`, the same trials as
 * the tracker's forecast), and counts how often the work done so far was actually reached on or before that
 * forecast's P85 date. A calibrated forecast lands near 85 %; far below, it is optimistic; far above, pessimistic.
 *
 * A program still under way has no completion date yet, so the target of each cut is the work done by the as-of
 * day (the last day of the history): "when will we have done what we have done by now?" — known for every cut. That
 * target is reached by the as-of day at the latest, so a cut whose P85 date is on or after the as-of day holds whatever
 * happened: it could not fail, and it is left out of the figure (`bound`), which counts only the cuts that could.
 */
import { dateOfWeekday, weekdayIndex } from "../plan/schedule.js";
import { backtest, DEFAULT_SEED, DEFAULT_TRIALS } from "./forecast.js";
import type { ThroughputPeriod, Tracker } from "./model.js";

export interface TrackerBacktest {
  asOf: string;
  /** The first working day of the history. */
  from: string | null;
  /** Working days of history, and the tasks done over them (each cut's target). */
  days: number;
  total: number;
  trials: number;
  seed: number;
  /** Cut points with a forecast that could fail (P85 before the as-of day). */
  cuts: number;
  /** Of those, how many reached the target on or before their P85 date. */
  withinP85: number;
  /** withinP85 / cuts; null without a cut that could fail. */
  rate: number | null;
  /** Cut points whose P85 is on or after the as-of day: they hold whatever happened, so they are not counted. */
  bound: number;
  /** Cut points without a forecast (too little history before them). */
  skipped: number;
  /** Why there is no figure, when `rate` is null. */
  reason: string | null;
  points: { date: string; remaining: number; p85: string | null; actual: string; withinP85: boolean; couldFail: boolean }[];
}

/**
 * Work done per working day, oldest first, from the flow's daily rows: a weekend day's work counts on the Monday
 * after it (as the forecast counts only working days), so a calendar-day window gives the same series.
 */
export function workingDayThroughput(daily: readonly ThroughputPeriod[]): number[] {
  const out: number[] = [];
  let carry = 0;
  for (const row of daily) {
    const index = weekdayIndex(row.start);
    if (dateOfWeekday(index) !== row.start) {
      carry += row.tasks; // a weekend: weekdayIndex gives the Monday after
      continue;
    }
    out.push(row.tasks + carry);
    carry = 0;
  }
  if (carry > 0) out.push(carry); // a window ending on a weekend: its work is the next Monday's
  return out;
}

export function backtestTracker(t: Tracker): TrackerBacktest {
  const history = workingDayThroughput(t.flow.daily);
  const total = history.reduce((a, b) => a + b, 0);
  const first = t.flow.daily.find((row) => dateOfWeekday(weekdayIndex(row.start)) === row.start)?.start ?? null;
  const trials = t.forecast.trials || DEFAULT_TRIALS;
  const seed = t.forecast.seed ?? DEFAULT_SEED;
  const base = { asOf: t.asOf, from: first, days: history.length, total, trials, seed };
  if (total === 0 || first === null) {
    return { ...base, cuts: 0, withinP85: 0, rate: null, bound: 0, skipped: 0, reason: total === 0 ? "no task was done in the program's window yet" : "the window has no working day yet", points: [] };
  }
  const result = backtest(history, total, { trials, seed });
  const start = weekdayIndex(first);
  const date = (day: number) => dateOfWeekday(start + day);
  const last = date(history.length - 1);
  const points = result.points.map((p) => {
    const p85 = p.p85Days === null ? null : date(p.day + p.p85Days - 1);
    return { date: date(p.day), remaining: p.remaining, p85, actual: date(p.day + p.actualDays - 1), withinP85: p.isWithinP85, couldFail: p85 === null || p85 < last };
  });
  const open = points.filter((p) => p.p85 !== null && p.couldFail);
  const withinP85 = open.filter((p) => p.withinP85).length;
  const bound = points.filter((p) => p.p85 !== null && !p.couldFail).length;
  const reason =
    open.length > 0
      ? null
      : result.cuts === 0
        ? `no cut point had enough history to forecast (${history.length} working days)`
        : `every cut point's P85 falls on or after ${last}, the day whose work they are judged on: none could fail yet`;
  return { ...base, cuts: open.length, withinP85, rate: open.length === 0 ? null : withinP85 / open.length, bound, skipped: result.skipped, reason, points };
}
