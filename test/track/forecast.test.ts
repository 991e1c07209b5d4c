import { describe, expect, it } from "vitest";
import { ShipgateError } from "../../src/errors.js";
import {
  backtest,
  criticalPathFloor,
  finishQuantile,
  forecastCompletion,
  milestoneProbability,
  simulate,
  UNFINISHED,
  workingDaysThrough,
  type ForecastOptions,
} from "../../src/track/forecast.js";
import { deriveSeed, mulberry32, type Random } from "../../src/track/random.js";

// Calendar used below (2026): Mon 03-02 … Fri 03-06, Sat 03-07, Sun 03-08, Mon 03-09 … Fri 03-13.
const THURSDAY = "2026-03-05";

const HISTORY = [3, 0, 5, 2, 4, 1, 3, 2];

/** The error a call throws, as code and message. */
function thrown(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (error instanceof ShipgateError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error("did not throw");
}

describe("mulberry32", () => {
  it("gives the same sequence for the same seed, in [0, 1)", () => {
    const a = mulberry32(12);
    const b = mulberry32(12);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(13)()).not.toBe(xs[0]);
    expect(xs.slice(0, 3)).toMatchInlineSnapshot(`
      [
        0.2881509135477245,
        0.07566750887781382,
        0.5801610664930195,
      ]
    `);
  });

  it("derives unrelated seeds from nearby inputs, deterministically", () => {
    const seeds = Array.from({ length: 100 }, (_, d) => deriveSeed(1, d));
    expect(new Set(seeds).size).toBe(100);
    expect(deriveSeed(1, 5)).toBe(seeds[5]);
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32)).toBe(true);
  });
});

describe("forecastCompletion", () => {
  it("is deterministic for a seed", () => {
    const options: ForecastOptions = { throughput: HISTORY, remaining: 40, start: THURSDAY, seed: 7 };
    const { simulation, ...forecast } = forecastCompletion(options);
    expect(forecast).toMatchInlineSnapshot(`
      {
        "daysQuantiles": {
          "p50": 16,
          "p85": 19,
          "p95": 21,
        },
        "p50": "2026-03-26",
        "p85": "2026-03-31",
        "p95": "2026-04-02",
        "reason": null,
      }
    `);
    const again = forecastCompletion(options).simulation;
    expect(simulation.ok && again.ok && simulation.days).toEqual(again.ok && again.days);
  });

  it("dates every percentile 5 working days on, skipping the weekend, at a constant 2 tasks a day for 10 tasks", () => {
    // Thu 03-05 (2 done), Fri 03-06 (4), Sat and Sun skipped, Mon 03-09 (6), Tue 03-10 (8), Wed 03-11 (10).
    const forecast = forecastCompletion({ throughput: [2, 2, 2, 2, 2], remaining: 10, start: THURSDAY, trials: 100 });
    expect([forecast.p50, forecast.p85, forecast.p95, forecast.reason]).toEqual(["2026-03-11", "2026-03-11", "2026-03-11", null]);
    expect(forecast.daysQuantiles).toEqual({ p50: 5, p85: 5, p95: 5 });
  });

  it.each([
    // [case, start, remaining, expected date]
    ["a start on Saturday begins on the Monday after", "2026-03-07", 10, "2026-03-13"],
    ["one day of work is done on the start day", THURSDAY, 2, THURSDAY],
    ["a part-day's remainder takes a whole day", THURSDAY, 3, "2026-03-06"],
    ["nothing remaining is done by the last measured day", "2026-03-09", 0, "2026-03-06"],
  ])("%s", (_, start, remaining, expected) => {
    const forecast = forecastCompletion({ throughput: [2, 2, 2, 2, 2], remaining, start, trials: 10 });
    expect(forecast.p50).toBe(expected);
    expect(forecast.p95).toBe(expected);
  });

  it.each([
    ["history shorter than minHistory", [3, 2, 4, 1], {}, "only 4 working days of throughput measured; a forecast needs at least 5"],
    ["one day of history", [3], { minHistory: 2 }, "only 1 working day of throughput measured; a forecast needs at least 2"],
    ["no history", [], {}, "only 0 working days of throughput measured; a forecast needs at least 5"],
    ["nothing done in the history", [0, 0, 0, 0, 0, 0], {}, "no task was done in the last 6 working days"],
  ])("gives no dates, with the reason, for %s", (_, throughput, extra, reason) => {
    const forecast = forecastCompletion({ throughput, remaining: 10, start: THURSDAY, ...extra });
    expect([forecast.p50, forecast.p85, forecast.p95, forecast.reason]).toEqual([null, null, null, reason]);
    expect(forecast.daysQuantiles).toEqual({ p50: null, p85: null, p95: null });
    expect(milestoneProbability(forecast.simulation, THURSDAY, "2027-01-01")).toBeNull();
  });

  it("gives no date for a percentile whose trials do not finish within the horizon, and says so", () => {
    // One task in 5 days on average, 20 to do, 100 working days at most: about 100 days are needed, so
    // roughly half the trials finish — P50 may be known, P95 is not.
    const forecast = forecastCompletion({ throughput: [1, 0, 0, 0, 0], remaining: 20, start: THURSDAY, horizon: 100, trials: 2000 });
    expect(forecast.p95).toBeNull();
    expect(forecast.reason).toMatch(/^in \d+ of 2000 trials the remaining work is not done within 100 working days at the measured throughput$/);
    const sim = forecast.simulation;
    if (!sim.ok) throw new Error("expected trials");
    expect(sim.unfinished).toBeGreaterThan(100);
    expect(sim.days.at(-1)).toBe(UNFINISHED);
    expect(finishQuantile(sim, 0.01)).toBeLessThanOrEqual(100);
  });

  it("never dates the work earlier than the remaining critical path (floorDays)", () => {
    const base = { throughput: HISTORY, remaining: 20, start: THURSDAY, seed: 3 };
    const free = forecastCompletion(base);
    expect(free.daysQuantiles.p50).toBeLessThan(12);
    const floored = forecastCompletion({ ...base, floorDays: criticalPathFloor(12 * 8) });
    // 12 working days from Thu 03-05: 03-05, 03-06, 03-09 … 03-13, 03-16 … 03-20 (the 12th).
    expect(floored.p50).toBe("2026-03-20");
    expect(floored.daysQuantiles.p50).toBe(12);
    // A floor below every trial changes nothing.
    expect(forecastCompletion({ ...base, floorDays: 1 })).toEqual(free);
    // Constant throughput: 5 days of work, 7 of critical path.
    const constant = forecastCompletion({ throughput: [2, 2, 2, 2, 2], remaining: 10, start: THURSDAY, trials: 10, floorDays: 7 });
    expect(constant.p50).toBe("2026-03-13");
  });

  it.each([
    ["a negative day", { throughput: [1, -1, 2, 3, 4] }, "USAGE: [track] throughput[1] must be a finite number ≥ 0 (got -1)"],
    ["NaN remaining", { remaining: Number.NaN }, "USAGE: [track] remaining must be a finite number (got NaN)"],
    ["zero trials", { trials: 0 }, "USAGE: [track] trials must be an integer ≥ 1 (got 0)"],
    ["a fractional floor", { floorDays: 1.5 }, "USAGE: [track] floorDays must be an integer ≥ 0 (got 1.5)"],
    ["a bad start", { start: "05/03/2026" }, `USAGE: [track] start must be a date YYYY-MM-DD (got "05/03/2026")`],
    ["a start that does not exist", { start: "2026-02-30" }, `USAGE: [track] start must be a date YYYY-MM-DD (got "2026-02-30")`],
  ])("rejects %s", (_, extra, message) => {
    expect(thrown(() => forecastCompletion({ throughput: HISTORY, remaining: 10, start: THURSDAY, ...extra }))).toBe(message);
  });
});

describe("milestoneProbability", () => {
  const start = THURSDAY;
  const sim = simulate({ throughput: HISTORY, remaining: 30, seed: 5 });

  it("is 0 before the first possible day, 1 far after, and never decreases in between", () => {
    const dates = Array.from({ length: 60 }, (_, i) => new Date(Date.parse(`${start}T00:00:00Z`) + (i - 3) * 86_400_000).toISOString().slice(0, 10));
    const shares = dates.map((date) => milestoneProbability(sim, start, date) as number);
    expect(shares[0]).toBe(0);
    expect(shares.at(-1)).toBe(1);
    for (let i = 1; i < shares.length; i++) expect(shares[i]).toBeGreaterThanOrEqual(shares[i - 1] as number);
    expect(new Set(shares).size).toBeGreaterThan(3);
  });

  it("agrees with the completion forecast read from the same trials", () => {
    const forecast = forecastCompletion({ throughput: HISTORY, remaining: 30, seed: 5, start });
    expect(forecast.simulation).toEqual(sim);
    expect(milestoneProbability(sim, start, forecast.p85 as string)).toBeGreaterThanOrEqual(0.85);
    const dayBefore = workingDaysThrough(start, forecast.p85 as string) - 1;
    expect(sim.ok && sim.days.filter((d) => d <= dayBefore).length / sim.days.length).toBeLessThan(0.85);
  });

  it("counts a milestone on a weekend as the Friday before", () => {
    expect(milestoneProbability(sim, start, "2026-03-21")).toBe(milestoneProbability(sim, start, "2026-03-20"));
    expect(milestoneProbability(sim, start, "2026-03-22")).toBe(milestoneProbability(sim, start, "2026-03-20"));
  });
});

describe("workingDaysThrough and criticalPathFloor", () => {
  it.each([
    [THURSDAY, THURSDAY, 1],
    [THURSDAY, "2026-03-06", 2],
    [THURSDAY, "2026-03-07", 2],
    [THURSDAY, "2026-03-08", 2],
    [THURSDAY, "2026-03-09", 3],
    [THURSDAY, "2026-03-04", 0],
    ["2026-03-07", "2026-03-09", 1],
    ["2026-03-07", "2026-03-08", 0],
  ])("from %s through %s: %i working days", (start, date, days) => {
    expect(workingDaysThrough(start, date)).toBe(days);
  });

  it.each([
    [0, 8, 0],
    [1, 8, 1],
    [8, 8, 1],
    [8.5, 8, 2],
    [16, 8, 2],
    [16 + 1e-12, 8, 2],
    [12, 6, 2],
    [13, 6, 3],
  ])("%d critical hours at %d hours a day take at least %i working days", (hours, perDay, days) => {
    expect(criticalPathFloor(hours, perDay)).toBe(days);
  });

  it("counts 8 hours a day unless told", () => {
    expect(criticalPathFloor(20)).toBe(3);
    expect(thrown(() => criticalPathFloor(-1))).toMatchInlineSnapshot(`"USAGE: [track] the remaining critical-path hours must be a finite number ≥ 0 (got -1)"`);
  });
});

describe("backtest", () => {
  it("finds every cut within P85 at a constant throughput", () => {
    // 2 a day for 10 days, 20 tasks: done on day 9; cuts on days 5 … 9 have 10 − d days left, exactly.
    const result = backtest(Array.from({ length: 10 }, () => 2), 20, { trials: 50 });
    expect(result).toMatchObject({ cuts: 5, withinP85: 5, rate: 1, skipped: 0 });
    expect(result.points.map((p) => [p.day, p.remaining, p.p85Days, p.actualDays])).toEqual([
      [5, 10, 5, 5],
      [6, 8, 4, 4],
      [7, 6, 3, 3],
      [8, 4, 2, 2],
      [9, 2, 1, 1],
    ]);
  });

  it("skips cuts without a forecast and ignores the days after the finish", () => {
    const result = backtest([0, 0, 0, 0, 0, 0, 5, 5, 9, 9], 10, { trials: 50 });
    // Finished on day 7; cuts 5 and 6 saw nothing done, cut 7 saw 5 a day for 5 left.
    expect(result).toMatchObject({ cuts: 1, withinP85: 1, rate: 1, skipped: 2 });
  });

  it("refuses a history that does not reach the total", () => {
    expect(thrown(() => backtest([1, 2, 3], 10))).toMatchInlineSnapshot(`"USAGE: [track] the history does not reach the total: 6 of 10 done, so the program has not finished and cannot be backtested"`);
  });

  it("is calibrated: P85 holds the actual finish in 80–90 % of cut points of simulated programs", () => {
    // 200 programs of 120 tasks whose daily throughput is Poisson(λ = 3), drawn from a seeded generator;
    // 2 000 trials per forecast (not 10 000) to keep the file fast. Every cut of every program is pooled.
    const random = mulberry32(42);
    let cuts = 0;
    let within = 0;
    for (let p = 0; p < 200; p++) {
      const history: number[] = [];
      for (let done = 0; done < 120; ) {
        const x = poisson(random, 3);
        history.push(x);
        done += x;
      }
      const result = backtest(history, 120, { trials: 2000, seed: p });
      cuts += result.cuts;
      within += result.withinP85;
    }
    const rate = within / cuts;
    console.log(`forecast calibration: P85 held the actual finish in ${within} of ${cuts} cut points (${(rate * 100).toFixed(1)} %)`);
    expect(rate).toBeGreaterThanOrEqual(0.8);
    expect(rate).toBeLessThanOrEqual(0.9);
  });
});

/** A Poisson draw (Knuth's method; fine for small λ). */
function poisson(random: Random, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}
