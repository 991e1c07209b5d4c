import { describe, expect, it } from "vitest";
import { renderBacktest } from "../../src/report/track-backtest.js";
import type { TrackerBacktest } from "../../src/track/backtest.js";

/** unjs/pathe replayed 2024-12-30 … 2025-01-17 (docs/trials/issue-12): three of its ten cut points. */
const pathe = (): TrackerBacktest => ({
  asOf: "2025-01-17",
  from: "2024-12-30",
  days: 15,
  total: 12,
  trials: 10000,
  seed: 1,
  cuts: 3,
  withinP85: 2,
  rate: 2 / 3,
  skipped: 0,
  reason: null,
  points: [
    { date: "2025-01-06", remaining: 5, p85: "2025-01-15", actual: "2025-01-17", withinP85: false },
    { date: "2025-01-07", remaining: 5, p85: "2025-01-17", actual: "2025-01-17", withinP85: true },
    { date: "2025-01-14", remaining: 1, p85: "2025-01-20", actual: "2025-01-17", withinP85: true },
  ],
});

describe("renderBacktest (issue 12 trial, unjs/pathe)", () => {
  it("regression: cut points whose P85 is on or after the as-of day held by construction and read as calibration; they are now counted apart", () => {
    const text = renderBacktest(pathe());
    expect(text).toContain(
      "2 of the 3 cut points have a P85 on or after 2025-01-17, the day whose work they are judged on: they could not fail. Over the 1 that could, P85 held in 0 (0 %).",
    );
    expect(text).toContain("cut day     to reach  P85 date    reached     within P85\n2025-01-06         5  2025-01-15  2025-01-17  no\n");
    expect(text).toContain("2025-01-07         5  2025-01-17  2025-01-17  yes (could not fail)\n");
  });

  it("says nothing more when every cut's P85 fell before the as-of day", () => {
    const b = pathe();
    b.points = b.points.slice(0, 1);
    expect(renderBacktest(b)).not.toContain("could not fail");
  });
});
