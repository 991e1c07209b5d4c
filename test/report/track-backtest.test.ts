import { describe, expect, it } from "vitest";
import { renderBacktest } from "../../src/report/track-backtest.js";
import { backtestTracker, type TrackerBacktest } from "../../src/track/backtest.js";
import type { ThroughputPeriod, Tracker } from "../../src/track/model.js";

/** unjs/pathe replayed 2024-12-30 … 2025-01-17 (docs/trials/issue-12): three of its ten cut points. */
const pathe = (): TrackerBacktest => ({
  asOf: "2025-01-17",
  from: "2024-12-30",
  days: 15,
  total: 12,
  trials: 10000,
  seed: 1,
  cuts: 1,
  withinP85: 0,
  rate: 0,
  bound: 2,
  skipped: 0,
  reason: null,
  points: [
    { date: "2025-01-06", remaining: 5, p85: "2025-01-15", actual: "2025-01-17", withinP85: false, couldFail: true },
    { date: "2025-01-07", remaining: 5, p85: "2025-01-17", actual: "2025-01-17", withinP85: true, couldFail: false },
    { date: "2025-01-14", remaining: 1, p85: "2025-01-20", actual: "2025-01-17", withinP85: true, couldFail: false },
  ],
});

/** A tracker with only what the backtest reads: the daily throughput (working days) and the forecast's trials. */
function trackerWith(asOf: string, tasks: number[]): Tracker {
  const daily: ThroughputPeriod[] = tasks.map((n, i) => ({ start: `2026-11-${String(2 + i + 2 * Math.floor(i / 5)).padStart(2, "0")}`, tasks: n, hours: n, byAgent: {}, byKind: {} }));
  return { asOf, flow: { daily }, forecast: { trials: 2000, seed: 1 } } as unknown as Tracker;
}

describe("track backtest (issue 12 trial, unjs/pathe)", () => {
  it("regression: cut points whose P85 is on or after the as-of day held by construction and read as calibration; now they are counted apart", () => {
    const text = renderBacktest(pathe());
    expect(text).toContain("P85 held in 0 of 1 cut points that could fail (0 %; a calibrated forecast is near 85 %) — too few cut points to judge.");
    expect(text).toContain("2 cut points have a P85 on or after 2025-01-17, the day whose work they are judged on: they could not fail and are not counted.");
    expect(text).toContain("cut day     to reach  P85 date    reached     within P85\n2025-01-06         5  2025-01-15  2025-01-17  no\n");
    expect(text).toContain("2025-01-07         5  2025-01-17  2025-01-17  yes (could not fail)\n");
  });

  it("one task every day: every cut's P85 is the as-of day, so none could fail and there is no figure, with the reason", () => {
    const b = backtestTracker(trackerWith("2026-11-13", [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]));
    expect(b).toMatchObject({ days: 10, total: 10, cuts: 0, rate: null, bound: 5 });
    expect(b.reason).toBe("every cut point's P85 falls on or after 2026-11-13, the day whose work they are judged on: none could fail yet");
    expect(renderBacktest(b)).toContain("No calibration figure: every cut point's P85 falls on or after 2026-11-13");
  });

  it("an uneven history: cuts whose P85 falls before the as-of day count, and the rate is over them only", () => {
    // Fast, then slow: early cuts forecast too soon, so they could fail (and most do). The previous history here gave
    // no cut that could fail, so the assertions below held whatever the code did.
    const b = backtestTracker(trackerWith("2026-11-20", [4, 4, 4, 4, 4, 4, 1, 0, 1, 0, 1, 0, 0, 1, 0]));
    expect(b.cuts).toBeGreaterThan(0);
    expect(b.cuts + b.bound + b.skipped).toBe(b.points.length + b.skipped);
    expect(b.points.filter((p) => p.couldFail).every((p) => p.p85 === null || p.p85 < "2026-11-27")).toBe(true);
    expect(b.rate).toBe(b.cuts === 0 ? null : b.withinP85 / b.cuts);
  });
});
