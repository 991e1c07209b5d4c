import { describe, expect, it } from "vitest";
import { dailySeries, factKeyOf, targetOn, type MetricSeries } from "../../src/track/series.js";
import { ShipgateError } from "../../src/errors.js";
import type { MetricTarget } from "../../src/plan/types.js";
import type { FactPoint } from "../../src/store/types.js";

// Calendar (checked with `date -ud 2026-03-02 +%a`): 2026-03-02 is a Monday, 03-06 a Friday, 03-07 a Saturday,
// 03-08 a Sunday, 03-09 the next Monday.

const fact = (snapshotId: number, takenAt: string, key: string, value: number | null, component: string | null = null, branch: string | null = "main"): FactPoint => ({
  snapshotId,
  takenAt,
  branch,
  key,
  value,
  component,
});
const target = (metric: string, better: "higher" | "lower", points: [string, number][], component: string | null = null): MetricTarget => ({
  metric,
  component,
  better,
  points: points.map(([date, value]) => ({ date, value })),
});

/** A day as [date, value, status, target, difference, previous "date=value" or "", snapshotId]. */
type Row = [string, number | null, string, number | null, number | null, string, number | null];
const rows = (s: MetricSeries): Row[] =>
  s.days.map((d) => [d.date, d.value, d.status, d.target, d.difference, d.previous ? `${d.previous.date}=${d.previous.value}` : "", d.snapshotId]);

function usageError(run: () => unknown): ShipgateError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ShipgateError);
    expect((error as ShipgateError).code).toBe("USAGE");
    return error as ShipgateError;
  }
  throw new Error("expected a USAGE error");
}

describe("targetOn", () => {
  // 45 on Mon 03-02 to 85 on Thu 03-12: 10 calendar days → +4 a day; 8 working days → +5 a working day.
  const score = target("score", "higher", [
    ["2026-03-02", 45],
    ["2026-03-12", 85],
  ]);
  it.each([
    ["2026-03-01", false, null], // before the first point: no target
    ["2026-03-02", false, 45],
    ["2026-03-03", false, 49],
    ["2026-03-07", false, 65], // 5 days in: 45 + 20
    ["2026-03-12", false, 85],
    ["2026-04-30", false, 85], // after the last point: the last value
    ["2026-03-06", true, 65], // Friday: 4 working days in, 45 + 20
    ["2026-03-07", true, 70], // Saturday counts as the Monday after it: 5 working days in
    ["2026-03-09", true, 70],
    ["2026-03-11", true, 80],
  ] as const)("score on %s (working days %s) is %s", (date, workingDays, expected) => {
    expect(targetOn(score, date, { workingDays })).toBe(expected);
  });

  it.each([
    ["2026-03-04", null],
    ["2026-03-05", 0],
    ["2027-01-01", 0],
  ] as const)("a single point (tests.failed 0 from 03-05): %s → %s", (date, expected) => {
    expect(targetOn(target("tests.failed", "lower", [["2026-03-05", 0]]), date)).toBe(expected);
  });

  it.each([
    ["2026-03-02", 0.33], // 1/3
    ["2026-03-03", 0.67], // 2/3
  ] as const)("rounds to 0.01: 0 on 03-01 to 1 on 03-04, %s → %s", (date, expected) => {
    const t = target("x", "higher", [
      ["2026-03-01", 0],
      ["2026-03-04", 1],
    ]);
    expect(targetOn(t, date)).toBe(expected);
  });

  it.each([
    ["2026-03-04", 16.67], // 10 → 20 over 03-02..03-05: 10 + 10 × 2/3
    ["2026-03-05", 50], // two points on one date: the later one holds from that date
    ["2026-03-06", 50],
  ] as const)("a step (two points on 03-05): %s → %s", (date, expected) => {
    const t = target("x", "higher", [
      ["2026-03-02", 10],
      ["2026-03-05", 20],
      ["2026-03-05", 50],
    ]);
    expect(targetOn(t, date)).toBe(expected);
  });

  it("rejects bad points and dates with USAGE", () => {
    expect(usageError(() => targetOn(target("score", "higher", []), "2026-03-02")).message).toMatch(/no dated points/);
    const unordered = target("score", "higher", [
      ["2026-03-05", 1],
      ["2026-03-02", 2],
    ]);
    expect(usageError(() => targetOn(unordered, "2026-03-02")).message).toMatch(/point 2 \(2026-03-02\) comes before point 1/);
    expect(usageError(() => targetOn(target("score", "higher", [["2026-02-30", 1]]), "2026-03-02")).message).toMatch(/YYYY-MM-DD/);
    expect(usageError(() => targetOn(target("score", "higher", [["2026-03-02", Number.NaN]]), "2026-03-02")).message).toMatch(/finite/);
    expect(usageError(() => targetOn(target("score", "higher", [["2026-03-02", 1]]), "03/02/2026")).message).toMatch(/YYYY-MM-DD/);
  });
});

describe("factKeyOf: target names to the fact keys a snapshot stores", () => {
  it.each([
    ["coverage.lines", "coverage.lines.pct"],
    ["coverage.branches", "coverage.branches.pct"],
    ["coverage.functions", "coverage.functions.pct"],
    ["coverage.statements", "coverage.statements.pct"],
    ["categories.testing", "category.testing"],
    ["measured_weight", "score.measured_weight"],
    ["score", "score"],
    ["tests.failed", "tests.failed"],
    ["security.high", "security.high"],
    ["coverage.lines.pct", "coverage.lines.pct"], // a stored key names itself
    ["categories.", "categories."],
  ])("%s → %s", (metric, key) => {
    expect(factKeyOf(metric)).toBe(key);
  });
});

describe("dailySeries", () => {
  // coverage.lines from 80 on Mon 03-02 to 84 on Fri 03-06: +1 a day.
  const coverage = target("coverage.lines", "higher", [
    ["2026-03-02", 80],
    ["2026-03-06", 84],
  ]);
  const K = "coverage.lines.pct";
  const facts = [
    fact(1, "2026-02-27T10:00:00Z", K, 78), // before `from`: only a previous value
    fact(2, "2026-03-02T09:00:00Z", K, 79),
    fact(3, "2026-03-02T17:00:00Z", K, 80.5), // the last of 03-02 wins
    // 03-03: no snapshot
    fact(5, "2026-03-04T12:00:00Z", K, 82.2), // same time as 4: the higher snapshot id wins, whatever the order given
    fact(4, "2026-03-04T12:00:00Z", K, 81),
    fact(6, "2026-03-05T23:59:59.999Z", K, 82.9), // the last instant of 03-05 is still 03-05 (UTC)
    fact(7, "2026-03-06T08:00:00Z", K, 84.5),
    fact(8, "2026-03-06T10:00:00Z", K, null), // the day's last snapshot says unknown
    fact(9, "2026-03-07T01:00:00+02:00", K, 90), // 2026-03-06T23:00Z: still 03-06 in UTC, and the last of it
    fact(10, "2026-03-07T08:00:00Z", K, 99), // after `to`: ignored
    fact(11, "2026-03-02T20:00:00Z", "coverage.branches.pct", 10), // another key: ignored
  ];

  it("one row per day: last snapshot of the day wins, a day without snapshot is not measured with the previous value shown", () => {
    const [s] = dailySeries({ facts, metrics: [coverage], from: "2026-03-02", to: "2026-03-06", workingDays: false });
    expect(s?.factKey).toBe(K);
    expect(rows(s as MetricSeries)).toEqual<Row[]>([
      ["2026-03-02", 80.5, "met", 80, 0.5, "", 3],
      ["2026-03-03", null, "not-measured", 81, null, "2026-03-02=80.5", null],
      ["2026-03-04", 82.2, "met", 82, 0.2, "", 5],
      ["2026-03-05", 82.9, "behind", 83, -0.1, "", 6],
      ["2026-03-06", 90, "met", 84, 6, "", 9],
    ]);
    expect(s?.days[1]).toMatchObject({ measured: false, unknown: false });
  });

  it("a day whose last snapshot stores the metric as unknown is not measured, and the earlier number of that day is its previous", () => {
    const [s] = dailySeries({ facts: facts.slice(0, 8), metrics: [coverage], from: "2026-03-06", to: "2026-03-06", workingDays: false });
    expect(s?.days).toEqual([
      { date: "2026-03-06", value: null, measured: false, unknown: true, snapshotId: 8, previous: { date: "2026-03-06", value: 84.5 }, target: 84, difference: null, status: "not-measured" },
    ]);
  });

  it("a first day without snapshot shows the last value before `from`; none at all gives previous null", () => {
    const [s] = dailySeries({ facts, metrics: [coverage], from: "2026-03-01", to: "2026-03-01", workingDays: false });
    expect(rows(s as MetricSeries)).toEqual<Row[]>([["2026-03-01", null, "not-measured", null, null, "2026-02-27=78", null]]);
    const [empty] = dailySeries({ facts: [], metrics: [coverage], from: "2026-03-02", to: "2026-03-02", workingDays: false });
    expect(rows(empty as MetricSeries)).toEqual<Row[]>([["2026-03-02", null, "not-measured", 80, null, "", null]]);
  });

  it("with working days, weekends have no row, a weekend snapshot is only the Monday's previous, and targets move on working days", () => {
    // 50 on Fri 03-06 to 60 on Tue 03-10: 2 working days → +5 a working day (Mon 03-09: 55).
    const t = target("score", "higher", [
      ["2026-03-06", 50],
      ["2026-03-10", 60],
    ]);
    const f = [fact(1, "2026-03-06T12:00:00Z", "score", 52), fact(2, "2026-03-07T12:00:00Z", "score", 57)];
    const [s] = dailySeries({ facts: f, metrics: [t], from: "2026-03-06", to: "2026-03-10", workingDays: true });
    expect(rows(s as MetricSeries)).toEqual<Row[]>([
      ["2026-03-06", 52, "met", 50, 2, "", 1],
      ["2026-03-09", null, "not-measured", 55, null, "2026-03-07=57", null],
      ["2026-03-10", null, "not-measured", 60, null, "2026-03-07=57", null],
    ]);
    // The same facts over calendar days: the weekend has rows, the Saturday is measured.
    const [c] = dailySeries({ facts: f, metrics: [t], from: "2026-03-06", to: "2026-03-08", workingDays: false });
    expect(rows(c as MetricSeries).map((r) => [r[0], r[1], r[2]])).toEqual([
      ["2026-03-06", 52, "met"],
      ["2026-03-07", 57, "met"],
      ["2026-03-08", null, "not-measured"],
    ]);
  });

  it("per-component series read only their component's facts; a plain name is the whole project", () => {
    const f = [
      fact(1, "2026-03-02T10:00:00Z", "score", 70),
      fact(1, "2026-03-02T10:00:00Z", "score", 40, "api"),
      fact(1, "2026-03-02T10:00:00Z", "score", 90, "web"),
      fact(2, "2026-03-03T10:00:00Z", "score", 72),
      fact(2, "2026-03-03T10:00:00Z", "score", 55, "api"),
    ];
    const series = dailySeries({
      facts: f,
      metrics: [target("score", "higher", [["2026-03-02", 50]], "api"), "score", { metric: "score", component: "web" }],
      from: "2026-03-02",
      to: "2026-03-03",
      workingDays: true,
    });
    expect(series.map((s) => [s.metric, s.component, s.better])).toEqual([
      ["score", "api", "higher"],
      ["score", null, "higher"],
      ["score", "web", "higher"],
    ]);
    expect(series.map((s) => s.days.map((d) => `${d.value}:${d.status}`))).toEqual([
      ["40:behind", "55:met"],
      ["70:no-target", "72:no-target"],
      ["90:no-target", "null:not-measured"],
    ]);
  });

  it("a lower-is-better metric (tests.failed, target 0 from 03-03) is met at or below the target; tolerance widens it", () => {
    const t = target("tests.failed", "lower", [["2026-03-03", 0]]);
    const f = [fact(1, "2026-03-02T10:00:00Z", "tests.failed", 3), fact(2, "2026-03-03T10:00:00Z", "tests.failed", 2), fact(3, "2026-03-04T10:00:00Z", "tests.failed", 0)];
    const [s] = dailySeries({ facts: f, metrics: [t], from: "2026-03-02", to: "2026-03-04", workingDays: true });
    expect(rows(s as MetricSeries)).toEqual<Row[]>([
      ["2026-03-02", 3, "no-target", null, null, "", 1], // before the first point
      ["2026-03-03", 2, "behind", 0, 2, "", 2], // difference is value − target: +2 failures over
      ["2026-03-04", 0, "met", 0, 0, "", 3],
    ]);
    const [tolerant] = dailySeries({ facts: f, metrics: [t], from: "2026-03-03", to: "2026-03-03", workingDays: true, tolerance: 2 });
    expect(tolerant?.days[0]?.status).toBe("met");
  });

  it("a plain metric without target has status no-target, its direction from the gate, its fact key mapped", () => {
    const f = [fact(1, "2026-03-02T10:00:00Z", "lint.errors", 4), fact(1, "2026-03-02T10:00:00Z", "coverage.lines.pct", 61)];
    const series = dailySeries({ facts: f, metrics: ["lint.errors", "coverage.lines"], from: "2026-03-02", to: "2026-03-02", workingDays: false });
    expect(series.map((s) => [s.metric, s.factKey, s.better, s.days[0]?.value, s.days[0]?.status])).toEqual([
      ["lint.errors", "lint.errors", "lower", 4, "no-target"],
      ["coverage.lines", "coverage.lines.pct", "higher", 61, "no-target"],
    ]);
  });

  it("does not filter branches: the caller passes one branch's facts, or the last snapshot of any branch wins", () => {
    const f = [fact(1, "2026-03-02T10:00:00Z", "score", 70, null, "main"), fact(2, "2026-03-02T11:00:00Z", "score", 20, null, "feature/x")];
    const [all] = dailySeries({ facts: f, metrics: ["score"], from: "2026-03-02", to: "2026-03-02", workingDays: false });
    expect(all?.days[0]?.value).toBe(20);
    const [main] = dailySeries({ facts: f.filter((x) => x.branch === "main"), metrics: ["score"], from: "2026-03-02", to: "2026-03-02", workingDays: false });
    expect(main?.days[0]?.value).toBe(70);
  });

  it("rejects a bad window, tolerance or takenAt with USAGE", () => {
    const base = { facts: [], metrics: ["score"], workingDays: false };
    expect(usageError(() => dailySeries({ ...base, from: "2026-03-05", to: "2026-03-02" })).message).toMatch(/after its to/);
    expect(usageError(() => dailySeries({ ...base, from: "2026-3-5", to: "2026-03-06" })).message).toMatch(/YYYY-MM-DD/);
    expect(usageError(() => dailySeries({ ...base, from: "2026-03-02", to: "2026-03-02", tolerance: -1 })).message).toMatch(/tolerance/);
    const bad = [fact(7, "yesterday", "score", 1)];
    expect(usageError(() => dailySeries({ ...base, facts: bad, from: "2026-03-02", to: "2026-03-02" })).message).toMatch(/snapshot 7's takenAt "yesterday"/);
  });
});
