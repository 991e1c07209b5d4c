import { ShipgateError } from "../errors.js";
import { dateOfWeekday, HOURS_PER_DAY, weekdayIndex } from "../plan/schedule.js";
import { deriveSeed, mulberry32 } from "./random.js";

/**
 * The Monte Carlo forecast of a program's completion from its measured daily throughput (issue 12).
 *
 * One run of trials (`simulate`) serves every question: the completion date at P50 / P85 / P95
 * (`forecastCompletion`, `finishQuantile`), and the probability of meeting each milestone's date
 * (`milestoneProbability`). Each trial replays the future one working day at a time, drawing that day's
 * throughput from the measured days (with replacement), until the remaining work is done. Days are working
 * days, Monday to Friday, counted as `plan/schedule.ts` counts them; dates are YYYY-MM-DD (UTC).
 *
 * Pure and deterministic: the same input and seed give the same result. The cost is linear in
 * trials × working days simulated, with no allocation per sample.
 */

/** Trials of a forecast unless told otherwise (issue 12: 10 000). */
export const DEFAULT_TRIALS = 10_000;
/** The fewest measured working days a forecast is made from, unless told otherwise. */
export const DEFAULT_MIN_HISTORY = 5;
/** The most working days a trial is simulated for (about eight years) unless told otherwise. */
export const DEFAULT_HORIZON = 2_000;
/** The seed unless told otherwise, so that two runs of the same tracker print the same dates. */
export const DEFAULT_SEED = 1;
/** The value `Simulation.days` holds for a trial that did not finish within the horizon (sorts last). */
export const UNFINISHED = 0x7fff_ffff;

export interface SimulateOptions {
  /**
   * Work done per past working day, oldest first (tasks, or hours for a forecast in hours): finite and
   * not negative. Every day counts, including days on which nothing was done — leaving those out would
   * make the forecast optimistic.
   */
  throughput: readonly number[];
  /** Work left to do, in the unit of `throughput`; 0 or less means done (every trial takes 0 days). */
  remaining: number;
  /** How many trials (default `DEFAULT_TRIALS`); a positive integer. */
  trials?: number;
  /** Seed of the generator (default `DEFAULT_SEED`); taken as an unsigned 32-bit integer. */
  seed?: number;
  /** The fewest measured days to forecast from (default `DEFAULT_MIN_HISTORY`); fewer gives no forecast. */
  minHistory?: number;
  /** The most working days a trial runs for (default `DEFAULT_HORIZON`); a trial still short is unfinished. */
  horizon?: number;
  /**
   * The fewest working days the rest can take, whatever the throughput: the remaining critical path
   * (`criticalPathFloor`). Every trial that finishes sooner is moved to this day, so a critical-path task that
   * slips moves the forecast even while throughput holds. Default 0 (no floor); an integer ≥ 0.
   */
  floorDays?: number;
}

/** The trials of one forecast, or why there is none. */
export type Simulation =
  | {
      ok: true;
      /**
       * Per trial, the working days it needed, ascending: 1 = done on the first day forecast, 0 = nothing
       * remained. `UNFINISHED` for a trial still short after `horizon` days. Never below `floorDays`.
       */
      days: Int32Array;
      /** How many trials did not finish within `horizon` (the last ones of `days`). */
      unfinished: number;
      horizon: number;
    }
  | {
      ok: false;
      /** Why no forecast can be made, in the user's words, e.g. "no task was done in the last 12 working days". */
      reason: string;
    };

/** A simulation that has trials. */
export type SimulatedTrials = Extract<Simulation, { ok: true }>;

/** Runs the trials once; read them with `finishQuantile`, `forecastCompletion` and `milestoneProbability`. */
export function simulate(options: SimulateOptions): Simulation {
  const trials = integerOption("trials", options.trials ?? DEFAULT_TRIALS, 1);
  const minHistory = integerOption("minHistory", options.minHistory ?? DEFAULT_MIN_HISTORY, 1);
  const horizon = integerOption("horizon", options.horizon ?? DEFAULT_HORIZON, 1);
  const floorDays = integerOption("floorDays", options.floorDays ?? 0, 0);
  const seed = options.seed ?? DEFAULT_SEED;
  const { throughput, remaining } = options;
  if (!Number.isFinite(remaining)) throw usage(`remaining must be a finite number (got ${remaining})`);
  const n = throughput.length;
  const history = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = throughput[i] as number;
    if (!Number.isFinite(x) || x < 0) throw usage(`throughput[${i}] must be a finite number ≥ 0 (got ${x})`);
    history[i] = x;
    total += x;
  }

  const days = new Int32Array(trials);
  if (remaining <= 0) return { ok: true, days: days.fill(floorDays), unfinished: 0, horizon };
  if (n < minHistory) {
    return { ok: false, reason: `only ${n} working day${n === 1 ? "" : "s"} of throughput measured; a forecast needs at least ${minHistory}` };
  }
  if (total === 0) return { ok: false, reason: `no task was done in the last ${n} working days` };

  // Sums of fractions (hours) may stop a hair above zero: what is left below this counts as done.
  const done = 1e-9 * Math.max(1, remaining);
  const random = mulberry32(seed);
  let unfinished = 0;
  for (let t = 0; t < trials; t++) {
    let left = remaining;
    let d = 0;
    while (left > done && d < horizon) {
      left -= history[Math.floor(random() * n)] as number;
      d++;
    }
    if (left > done) {
      days[t] = UNFINISHED;
      unfinished++;
    } else {
      days[t] = d < floorDays ? floorDays : d;
    }
  }
  days.sort();
  return { ok: true, days, unfinished, horizon };
}

/**
 * The working days to finish within which a share `q` (0 < q ≤ 1) of the trials finish: the nearest-rank
 * quantile, so at least that share of trials take no longer. Null when that quantile did not finish within
 * the horizon.
 */
export function finishQuantile(simulation: SimulatedTrials, q: number): number | null {
  if (!(q > 0 && q <= 1)) throw usage(`a quantile must be in (0, 1] (got ${q})`);
  const { days } = simulation;
  const value = days[Math.ceil(q * days.length) - 1] as number;
  return value === UNFINISHED ? null : value;
}

export interface ForecastOptions extends SimulateOptions {
  /** The first working day forecast: the day after the last measured day (YYYY-MM-DD; a weekend means the Monday after). */
  start: string;
}

/** Completion dates of the remaining work at P50 / P85 / P95, or null each with the reason. */
export interface Forecast {
  /** The working day on which the remaining work is done in at least 50 % of trials; null when unknown. */
  p50: string | null;
  p85: string | null;
  p95: string | null;
  /** The same as working days from `start` (1 = done on `start`; 0 = nothing remained). */
  daysQuantiles: { p50: number | null; p85: number | null; p95: number | null };
  /** Why a date is null (too little history, nothing done, trials past the horizon); null when all are known. */
  reason: string | null;
  /** The trials, to read more from (a milestone's probability, the quantiles of a forecast cone). */
  simulation: Simulation;
}

/**
 * The completion forecast: `simulate`, then its P50 / P85 / P95 as dates counted from `start`. Work done
 * in 0 days (nothing remained) is dated the working day before `start`, the last measured day.
 */
export function forecastCompletion(options: ForecastOptions): Forecast {
  const startIndex = dayIndex("start", options.start);
  const simulation = simulate(options);
  if (!simulation.ok) {
    return { p50: null, p85: null, p95: null, daysQuantiles: { p50: null, p85: null, p95: null }, reason: simulation.reason, simulation };
  }
  const daysQuantiles = { p50: finishQuantile(simulation, 0.5), p85: finishQuantile(simulation, 0.85), p95: finishQuantile(simulation, 0.95) };
  const date = (d: number | null) => (d === null ? null : dateOfWeekday(startIndex + d - 1));
  const { unfinished, days, horizon } = simulation;
  const reason = daysQuantiles.p95 === null
    ? `in ${unfinished} of ${days.length} trials the remaining work is not done within ${horizon} working days at the measured throughput`
    : null;
  return { p50: date(daysQuantiles.p50), p85: date(daysQuantiles.p85), p95: date(daysQuantiles.p95), daysQuantiles, reason, simulation };
}

/**
 * The share of trials (0 to 1) in which the remaining work is done on or before `date`, counting working
 * days from `start` (a milestone on a weekend counts the Friday before). From the same trials as the
 * completion forecast, so one run serves every milestone. Null when the simulation has no trials (its reason
 * says why). A date before `start` gives the share that needed 0 days (nothing remained).
 */
export function milestoneProbability(simulation: Simulation, start: string, date: string): number | null {
  if (!simulation.ok) return null;
  const within = workingDaysThrough(start, date);
  const { days } = simulation;
  // The first trial taking longer than `within` days (days is ascending).
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((days[mid] as number) <= within) lo = mid + 1;
    else hi = mid;
  }
  return lo / days.length;
}

/**
 * The working days from `start` through `date`, both counted (a weekend `date` counts through the Friday
 * before; a weekend `start` begins on the Monday after); 0 or less when `date` is before `start`.
 */
export function workingDaysThrough(start: string, date: string): number {
  const last = dayIndex("date", date);
  const isWorkingDay = dateOfWeekday(last) === date;
  return (isWorkingDay ? last : last - 1) - dayIndex("start", start) + 1;
}

/**
 * The fewest working days the remaining critical path can take: its remaining hours over the hours worked
 * per day (default `HOURS_PER_DAY`, as the schedule counts them), rounded up. Pass it as `floorDays`.
 */
export function criticalPathFloor(remainingCriticalHours: number, hoursPerDay: number = HOURS_PER_DAY): number {
  if (!(Number.isFinite(remainingCriticalHours) && remainingCriticalHours >= 0)) {
    throw usage(`the remaining critical-path hours must be a finite number ≥ 0 (got ${remainingCriticalHours})`);
  }
  if (!(Number.isFinite(hoursPerDay) && hoursPerDay > 0)) throw usage(`hours per day must be a finite number > 0 (got ${hoursPerDay})`);
  // A hair of tolerance: 16.000000001 hours of sums of sixths is 2 days, not 3.
  return Math.max(0, Math.ceil(remainingCriticalHours / hoursPerDay - 1e-9));
}

export type BacktestOptions = Pick<SimulateOptions, "trials" | "seed" | "minHistory" | "horizon">;

/** One cut point of a backtest: the forecast made on a past day against what happened. */
export interface BacktestPoint {
  /** The first working day forecast, as an index into the history (the forecast saw days 0 … day − 1). */
  day: number;
  /** Work left at that point: total minus the work done on the days before it. */
  remaining: number;
  /** The P85 forecast in working days from `day`; null when no forecast could be made or it is past the horizon. */
  p85Days: number | null;
  /** The working days it actually took from `day` (1 = finished on `day`). */
  actualDays: number;
  /** The actual finish fell on or before the P85 date. */
  isWithinP85: boolean;
}

export interface BacktestResult {
  /** Cut points with a forecast. */
  cuts: number;
  /** Of those, how many finished on or before their P85 date. */
  withinP85: number;
  /** withinP85 / cuts (about 0.85 when the forecast is calibrated); null when no cut had a forecast. */
  rate: number | null;
  /** Cut points without a forecast (e.g. nothing done yet); not part of `rate`. */
  skipped: number;
  points: BacktestPoint[];
}

/**
 * Calibration: replays a finished program day by day. For each cut point d from `minHistory` to the day
 * the work was done, forecasts from the days before d with what remained then, and checks whether the
 * actual finish fell on or before that forecast's P85. `history` is the daily throughput of the whole
 * program, oldest first, and must reach `total`. Each cut draws from its own seed (derived from `seed`
 * and d), so the cuts are independent and the result is reproducible.
 */
export function backtest(history: readonly number[], total: number, options: BacktestOptions = {}): BacktestResult {
  const minHistory = integerOption("minHistory", options.minHistory ?? DEFAULT_MIN_HISTORY, 1);
  const seed = options.seed ?? DEFAULT_SEED;
  const tolerance = 1e-9 * Math.max(1, Math.abs(total));
  // The prefix sums, and the day the work was done.
  const doneBefore = new Float64Array(history.length + 1);
  let finish = -1;
  for (let i = 0; i < history.length; i++) {
    doneBefore[i + 1] = (doneBefore[i] as number) + (history[i] as number);
    if (finish === -1 && (doneBefore[i + 1] as number) >= total - tolerance) finish = i;
  }
  if (finish === -1) {
    throw usage(`the history does not reach the total: ${doneBefore[history.length]} of ${total} done, so the program has not finished and cannot be backtested`);
  }
  const points: BacktestPoint[] = [];
  let cuts = 0;
  let withinP85 = 0;
  let skipped = 0;
  for (let d = minHistory; d <= finish; d++) {
    const remaining = total - (doneBefore[d] as number);
    const simulation = simulate({ ...options, throughput: history.slice(0, d), remaining, minHistory, seed: deriveSeed(seed, d) });
    const p85Days = simulation.ok ? finishQuantile(simulation, 0.85) : null;
    const actualDays = finish - d + 1;
    // A P85 past the horizon is later than any finish within it.
    const isWithinP85 = simulation.ok && actualDays <= (p85Days ?? simulation.horizon);
    if (simulation.ok) cuts++;
    else skipped++;
    if (isWithinP85) withinP85++;
    points.push({ day: d, remaining, p85Days, actualDays, isWithinP85 });
  }
  return { cuts, withinP85, rate: cuts === 0 ? null : withinP85 / cuts, skipped, points };
}

function integerOption(name: string, value: number, min: number): number {
  if (!Number.isInteger(value) || value < min) throw usage(`${name} must be an integer ≥ ${min} (got ${value})`);
  return value;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function dayIndex(name: string, date: string): number {
  const ms = DATE.test(date) ? Date.parse(`${date}T00:00:00Z`) : Number.NaN;
  // Date.parse rolls 2026-02-30 over to March: a date must read back as itself.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) throw usage(`${name} must be a date YYYY-MM-DD (got "${date}")`);
  return weekdayIndex(date);
}

function usage(message: string): ShipgateError {
  return new ShipgateError("USAGE", `[track] ${message}`);
}
