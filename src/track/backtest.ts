/**
 * `shipgate track backtest` (issue 12): is the forecast worth trusting on this program? Replays every past working
 * day of the program as a cut point, forecasts from the days before it (forecast.ts `backtest`, the same trials as
 * the tracker's forecast), and counts how often the work done so far was actually reached on or before that
 * forecast's P85 date. A calibrated forecast lands near 85 %; far below, it is optimistic; far above, pessimistic.
 *
 * A program still under way has no completion date yet, so the target of each cut is the work done by the as-of
 * day (the last day of the history): "when will we have done what we have done by now?" — known for every cut.
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
  cuts: number;
  withinP85: number;
  /** withinP85 / cuts; null without a cut that could forecast. */
  rate: number | null;
  skipped: number;
  /** Why there is no figure, when `rate` is null. */
  reason: string | null;
  points: { date: string; remaining: number; p85: string | null; actual: string; withinP85: boolean }[];
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
    return { ...base, cuts: 0, withinP85: 0, rate: null, skipped: 0, reason: total === 0 ? "no task was done in the program's window yet" : "the window has no working day yet", points: [] };
  }
  const result = backtest(history, total, { trials, seed });
  const start = weekdayIndex(first);
  const date = (day: number) => dateOfWeekday(start + day);
  return {
    ...base,
    cuts: result.cuts,
    withinP85: result.withinP85,
    rate: result.rate,
    skipped: result.skipped,
    reason: result.rate === null ? `no cut point had enough history to forecast (${history.length} working days)` : null,
    points: result.points.map((p) => ({
      date: date(p.day),
      remaining: p.remaining,
      p85: p.p85Days === null ? null : date(p.day + p.p85Days - 1),
      actual: date(p.day + p.actualDays - 1),
      withinP85: p.isWithinP85,
    })),
  };
}
