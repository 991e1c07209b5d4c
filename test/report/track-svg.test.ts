import { SaxesParser } from "saxes";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { inflateSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { trackProgram } from "../../src/app/track.js";
import { burndownSvg, burnupSvg, trendSvg } from "../../src/report/track-svg.js";
import { openStore } from "../../src/store/open-store.js";
import { burndown, type BurndownDay, type BurndownImport, type BurndownMove } from "../../src/track/burndown.js";
import type { ForecastView, MilestoneView, Tracker } from "../../src/track/model.js";
import { dailySeries, type MetricSeries } from "../../src/track/series.js";
import type { FactPoint } from "../../src/store/types.js";
import { PROGRAM, writeProgram } from "../track/program.js";

// ── the sample program: three working weeks, 2026-11-30 (Mon) → 2026-12-18 (Fri), as of 2026-12-11 ──────────────
// 16 tasks imported on the first day; on 12-03 four are added and t05 is re-estimated 4 h → 8 h; on 12-08 t16 is
// removed and t12 re-estimated 6 h → 3 h. t07, done on 12-08, is reopened on 12-09 and done again on 12-10.
// Snapshots every working day but 12-07 (not measured); the score regresses on 12-09; coverage is unknown on 12-02.

const HOURS = [4, 6, 8, 4, 4, 6, 8, 4, 6, 8, 4, 6, 8, 4, 6, 8];
const first = HOURS.map((h, i) => ({ id: `t${String(i + 1).padStart(2, "0")}`, expectedHours: h }));
const second = [...first.map((t) => (t.id === "t05" ? { ...t, expectedHours: 8 } : t)), ...[6, 4, 8, 6].map((h, i) => ({ id: `t${17 + i}`, expectedHours: h }))];
const third = second.filter((t) => t.id !== "t16").map((t) => (t.id === "t12" ? { ...t, expectedHours: 3 } : t));
const IMPORTS: BurndownImport[] = [
  { at: "2026-11-30T08:00:00Z", tasks: first },
  { at: "2026-12-03T10:00:00Z", tasks: second },
  { at: "2026-12-08T09:00:00Z", tasks: third },
];
const DONE: [string, string[]][] = [
  ["2026-12-01", ["t01"]],
  ["2026-12-02", ["t02", "t03"]],
  ["2026-12-03", ["t04"]],
  ["2026-12-04", ["t05", "t06"]],
  ["2026-12-08", ["t07"]],
  ["2026-12-09", ["t08"]],
  ["2026-12-10", ["t07", "t09"]],
  ["2026-12-11", ["t10", "t17"]],
];
const MOVES: BurndownMove[] = [
  ...DONE.flatMap(([day, ids]) => ids.map((task) => ({ at: `${day}T15:00:00Z`, task, to: "done" as const }))),
  { at: "2026-12-09T11:00:00Z", task: "t07", to: "pending" as const },
].sort((a, b) => a.at.localeCompare(b.at));
const BURNDOWN: BurndownDay[] = burndown({ imports: IMPORTS, moves: MOVES, from: "2026-11-30", to: "2026-12-11", end: "2026-12-18", workingDays: true });

const WORKING_DAYS = ["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04", "2026-12-07", "2026-12-08", "2026-12-09", "2026-12-10", "2026-12-11"];
const SCORES = [62, 64, 66, 67, 70, null, 72, 65, 71, 75];
const COVERAGE = [70, 71, "unknown", 72, 73, null, 74, 74, 75, 77];
const API = [60, 62, 63, 65, 66, null, 68, 69, 71, 72];
function facts(): FactPoint[] {
  const out: FactPoint[] = [];
  WORKING_DAYS.forEach((date, i) => {
    if (SCORES[i] === null) return; // 12-07: no snapshot at all
    const base = { snapshotId: i + 1, takenAt: `${date}T18:00:00Z`, branch: "main" };
    out.push({ ...base, key: "score", value: SCORES[i] as number, component: null });
    out.push({ ...base, key: "coverage.lines.pct", value: COVERAGE[i] === "unknown" ? null : (COVERAGE[i] as number), component: null });
    out.push({ ...base, key: "coverage.lines.pct", value: API[i] as number, component: "api" });
  });
  return out;
}
const SERIES: MetricSeries[] = dailySeries({
  facts: facts(),
  metrics: [
    { metric: "score", component: null, better: "higher", points: [{ date: "2026-11-30", value: 60 }, { date: "2026-12-18", value: 85 }] },
    { metric: "coverage.lines", component: null, better: "higher", points: [{ date: "2026-11-30", value: 70 }, { date: "2026-12-18", value: 80 }] },
    { metric: "coverage.lines", component: "api", better: "higher", points: [{ date: "2026-11-30", value: 60 }, { date: "2026-12-18", value: 75 }] },
  ],
  from: "2026-11-30",
  to: "2026-12-11",
  workingDays: true,
});
const [SCORE, COVERAGE_ALL, COVERAGE_API] = SERIES as [MetricSeries, MetricSeries, MetricSeries];

/** 8 tasks remain on 12-11; the cone burns them down by 12-24 at the latest (hand-made, as app/track would give it). */
const FORECAST: ForecastView = {
  p50: "2026-12-22",
  p85: "2026-12-23",
  p95: "2026-12-24",
  reason: null,
  remainingTasks: 8,
  historyDays: 10,
  trials: 10_000,
  seed: 1,
  floorDays: 2,
  cone: [
    { date: "2026-12-14", p50: 7, p85: 7, p95: 8 },
    { date: "2026-12-15", p50: 6, p85: 6, p95: 7 },
    { date: "2026-12-16", p50: 4, p85: 5, p95: 6 },
    { date: "2026-12-17", p50: 3, p85: 4, p95: 5 },
    { date: "2026-12-18", p50: 2, p85: 3, p95: 4 },
    { date: "2026-12-21", p50: 1, p85: 2, p95: 3 },
    { date: "2026-12-22", p50: 0, p85: 1, p95: 2 },
    { date: "2026-12-23", p50: 0, p85: 0, p95: 1 },
    { date: "2026-12-24", p50: 0, p85: 0, p95: 0 },
  ],
};

const MILESTONES: MilestoneView[] = [
  { id: "beta", date: "2026-12-04", status: "met", criteria: [{ text: "score >= 65", kind: "condition", status: "met", value: 70, evidence: "snapshot 5 (2026-12-04)", reason: null }], probability: null, daysLeft: -5 },
  { id: "release", date: "2026-12-18", status: "at-risk", criteria: [{ text: "release", kind: "gate", status: "not-met", value: null, evidence: null, reason: null }], probability: 0.04, daysLeft: 5 },
];

function tracker(over: Partial<Tracker> = {}): Tracker {
  const last = BURNDOWN.at(-1) as BurndownDay;
  return {
    asOf: "2026-12-11",
    at: "2026-12-11T23:59:59.999Z",
    plan: { source: "shipgate.plan.yaml", hash: "h", tasks: last.scopeTasks },
    window: { start: "2026-11-30", end: "2026-12-18", workingDays: true, source: "targets" },
    branch: "main",
    headline: {
      doneTasks: last.doneTasks,
      scopeTasks: last.scopeTasks,
      doneHours: last.doneHours,
      scopeHours: last.scopeHours,
      idealHours: last.idealHours,
      behindIdealHours: last.idealHours === null ? null : last.remainingHours - last.idealHours,
      score: { value: 75, target: 77.86, status: "behind" },
      forecastP85: FORECAST.p85,
      milestones: { met: 1, missed: 0, "at-risk": 1, "on-track": 0, unknown: 0 },
      alerts: 0,
    },
    latest: null,
    series: SERIES,
    burndown: BURNDOWN,
    flow: { daily: [], weekly: [], cycles: [], cycleTime: { p50: null, p85: null, p95: null, count: 0 }, wip: { total: 0, byAgent: {} }, estimates: [], estimateRatio: null },
    forecast: FORECAST,
    milestones: MILESTONES,
    blockers: { open: [], log: [], medianHoursToResolve: null },
    risks: [],
    alerts: [],
    tasks: [],
    runs: [],
    queries: 0,
    ...over,
  };
}

const NO_FORECAST: ForecastView = { ...FORECAST, p50: null, p85: null, p95: null, reason: "no task was done in the last 5 working days", cone: [] };
const EMPTY = tracker({ burndown: [], series: [], milestones: [], forecast: NO_FORECAST, window: null, plan: null });

// ── reading the SVG back ──────────────────────────────────────────────────────────────────────────────────────

interface Element {
  name: string;
  attributes: Record<string, string>;
  /** The element's own text and its descendants'. */
  text: string;
  /** The text of its <title> child (the tooltip), if any. */
  tip: string | null;
  parent: Element | null;
}

/** Every element of an XML document (a parse error fails the test). */
function elements(svg: string): Element[] {
  const parser = new SaxesParser();
  const all: Element[] = [];
  const open: Element[] = [];
  parser.on("error", (error) => {
    throw error;
  });
  parser.on("opentag", (tag) => {
    const element: Element = { name: tag.name, attributes: tag.attributes, text: "", tip: null, parent: open.at(-1) ?? null };
    all.push(element);
    open.push(element);
  });
  parser.on("text", (text) => {
    // A tooltip's words belong to its <title> (read as the parent's `tip`), not to the text around it.
    if (open.at(-1)?.name === "title") (open.at(-1) as Element).text += text;
    else for (const e of open) e.text += text;
  });
  parser.on("closetag", () => {
    const done = open.pop();
    if (done?.name === "title" && done.parent !== null) done.parent.tip = done.text;
  });
  parser.write(svg).close();
  return all;
}

const byClass = (all: Element[], cls: string) => all.filter((e) => (e.attributes.class ?? "").split(" ").includes(cls));
const pointsOf = (e: Element) => (e.attributes.points ?? "").split(" ").map((p) => p.split(",").map(Number) as [number, number]);
const allCharts = (t: Tracker) => [burndownSvg(t), burndownSvg(t, { unit: "hours" }), burnupSvg(t), burnupSvg(t, { unit: "hours" }), trendSvg([SCORE], { title: "Score" }), trendSvg([COVERAGE_ALL, COVERAGE_API], { title: "Coverage (lines)" })];

describe("the sample program (what the charts draw)", () => {
  it("is the program the comments describe", () => {
    const last = BURNDOWN.at(-1) as BurndownDay;
    expect([last.date, last.scopeTasks, last.doneTasks, last.remainingTasks]).toEqual(["2026-12-11", 19, 11, 8]);
    expect(BURNDOWN.find((d) => d.date === "2026-12-03")).toMatchObject({ added: ["t17", "t18", "t19", "t20"], reestimated: [{ id: "t05", from: 4, to: 8 }] });
    expect(BURNDOWN.find((d) => d.date === "2026-12-08")).toMatchObject({ removed: ["t16"], reestimated: [{ id: "t12", from: 6, to: 3 }] });
    expect(SCORE.days.find((d) => d.date === "2026-12-07")).toMatchObject({ measured: false, previous: { date: "2026-12-04", value: 70 } });
    expect(SCORE.days.find((d) => d.date === "2026-12-09")).toMatchObject({ value: 65, status: "behind" });
    expect(COVERAGE_ALL.days.find((d) => d.date === "2026-12-02")).toMatchObject({ unknown: true, previous: { date: "2026-12-01", value: 71 } });
  });
});

describe("every chart", () => {
  it("is well-formed XML with a title, width and height, a legend and tooltips", () => {
    for (const svg of allCharts(tracker())) {
      const all = elements(svg);
      const root = all[0] as Element;
      expect(root.name).toBe("svg");
      expect(Number(root.attributes.width)).toBe(960);
      expect(Number(root.attributes.height)).toBeGreaterThan(300);
      expect(root.attributes.viewBox).toBe(`0 0 ${root.attributes.width} ${root.attributes.height}`);
      expect(root.tip).not.toBeNull();
      expect(byClass(all, "legend")).toHaveLength(1);
      expect(byClass(all, "day").every((e) => e.tip !== null)).toBe(true);
      expect(byClass(all, "day").length).toBeGreaterThan(5);
      // Dates on the x axis.
      expect(all.some((e) => e.name === "text" && /^(\w{3} )?\d\d-\d\d$/.test(e.text))).toBe(true);
    }
  });

  it("gives the same bytes for the same input", () => {
    expect(allCharts(tracker())).toEqual(allCharts(tracker()));
  });

  it("escapes markup and drops characters XML does not allow in task ids, milestone ids and metric names", () => {
    const nasty = 'x<y>&"\'\u0001z';
    const days = BURNDOWN.map((d) => (d.date === "2026-12-03" ? { ...d, added: [nasty, ...d.added] } : d));
    const milestones = [{ ...(MILESTONES[1] as MilestoneView), id: nasty }];
    const series = [{ ...SCORE, metric: nasty, component: "</svg>" }];
    for (const svg of [burndownSvg(tracker({ burndown: days, milestones })), burnupSvg(tracker({ burndown: days })), trendSvg(series, { title: nasty })]) {
      const all = elements(svg);
      expect(svg).not.toContain("\u0001");
      expect(all.some((e) => (e.tip ?? "").includes('x<y>&"\'z') || e.text.includes('x<y>&"\'z'))).toBe(true);
    }
  });
});

describe("burndownSvg", () => {
  it("draws remaining tasks, one point per day, starting at the first import's scope", () => {
    const all = elements(burndownSvg(tracker()));
    const line = byClass(all, "remaining")[0] as Element;
    const ys = pointsOf(line).map(([, y]) => y);
    expect(ys).toHaveLength(BURNDOWN.length);
    // 16 remaining on the first day, 8 on the last: the last point sits half as high above the axis.
    const axis = Number(all.find((e) => e.name === "line" && e.attributes.stroke === "#333" && e.attributes.y1 === e.attributes.y2)?.attributes.y1);
    expect((axis - (ys.at(-1) as number)) / (axis - (ys[0] as number))).toBeCloseTo(8 / 16, 1);
    // The tooltip of a day says its numbers in both units.
    const day = byClass(all, "day").find((e) => e.attributes["data-date"] === "2026-12-03");
    expect(day?.tip).toBe("2026-12-03: 16 of 20 tasks remaining, 4 done; 100 of 122 h remaining, 22 h done; ideal remaining 12.57 tasks");
  });

  it("badges the days whose scope changed, the ids and hours in the tooltip", () => {
    const marks = byClass(elements(burndownSvg(tracker())), "scope-change");
    expect(marks.map((m) => [m.attributes["data-date"], m.text])).toEqual([
      ["2026-12-03", "+4 ~1"],
      ["2026-12-08", "−1 ~1"],
    ]);
    expect(marks[0]?.tip).toBe("2026-12-03: scope added t17, t18, t19, t20; re-estimated t05 4 h → 8 h (scope 20 tasks, 122 h)");
    expect(marks[1]?.tip).toContain("removed t16; re-estimated t12 6 h → 3 h");
  });

  it("draws the scope as steps: up on the day work was added, down when removed", () => {
    const scope = pointsOf(byClass(elements(burndownSvg(tracker())), "scope")[0] as Element);
    // One point per day plus one per change (the step's corner): 10 days, 2 changes.
    expect(scope).toHaveLength(12);
    const heights = [...new Set(scope.map(([, y]) => y))];
    expect(heights).toHaveLength(3);
  });

  it("draws the ideal line dashed, frozen at the baseline, on to 0 at the program's end", () => {
    const all = elements(burndownSvg(tracker()));
    const ideal = byClass(all, "ideal")[0] as Element;
    expect(ideal.attributes["stroke-dasharray"]).toBeDefined();
    const pts = pointsOf(ideal);
    expect(pts).toHaveLength(BURNDOWN.length + 1);
    // Starts at the first day's scope (16), not the later scope (19 or 20): frozen at the baseline.
    const remaining = pointsOf(byClass(all, "remaining")[0] as Element);
    expect(pts[0]).toEqual(remaining[0]);
    const axis = (byClass(all, "day")[0] as Element).attributes;
    expect((pts.at(-1) as [number, number])[1]).toBeCloseTo(Number(axis.y) + Number(axis.height), 0);
    expect(byClass(all, "legend")[0]?.text).toContain("ideal (frozen at 2026-11-30)");
  });

  it("marks the as-of day and the milestones (coloured by status)", () => {
    const all = elements(burndownSvg(tracker()));
    expect(byClass(all, "as-of")[0]?.attributes["data-date"]).toBe("2026-12-11");
    expect(byClass(all, "milestone").map((m) => [m.attributes["data-milestone"], m.attributes["data-status"]])).toEqual([
      ["beta", "met"],
      ["release", "at-risk"],
    ]);
    expect(byClass(all, "milestone")[1]?.tip).toContain("4 % of forecast trials finish by then");
  });

  it("draws the forecast cone after the as-of day in tasks: the P50 line and the P85–P95 band from the last remaining point", () => {
    const all = elements(burndownSvg(tracker()));
    const cone = byClass(all, "forecast-cone")[0] as Element;
    const p50 = pointsOf(all.find((e) => e.parent === cone && e.name === "polyline") as Element);
    const band = pointsOf(all.find((e) => e.parent === cone && e.name === "polygon") as Element);
    const remaining = pointsOf(byClass(all, "remaining")[0] as Element);
    expect(p50[0]).toEqual(remaining.at(-1));
    expect(p50).toHaveLength(FORECAST.cone.length + 1);
    expect(band).toHaveLength(2 * (FORECAST.cone.length + 1));
    expect(byClass(all, "forecast-date").map((e) => [e.attributes["data-date"], e.attributes["data-percentiles"]])).toEqual([
      ["2026-12-22", "P50"],
      ["2026-12-23", "P85"],
      ["2026-12-24", "P95"],
    ]);
    // The date marks lie over the tooltips' transparent columns, so their own tooltips show.
    expect(all.indexOf(byClass(all, "forecast-date")[0] as Element)).toBeGreaterThan(all.indexOf(byClass(all, "day").at(-1) as Element));
    // Forecast days have tooltips too.
    expect(byClass(all, "day").find((e) => e.attributes["data-date"] === "2026-12-16")?.tip).toBe("2026-12-16 (forecast): remaining P50 4 tasks, P85 5 tasks, P95 6 tasks");
  });

  it("in hours draws no cone (the forecast is in tasks) but marks the completion dates", () => {
    const all = elements(burndownSvg(tracker(), { unit: "hours" }));
    expect(byClass(all, "forecast-cone")).toHaveLength(0);
    expect(byClass(all, "forecast-date")).toHaveLength(3);
    expect(byClass(all, "legend")[0]?.text).toContain("the cone is on the tasks chart");
    expect(all.find((e) => e.name === "text" && e.text.startsWith("43 of 111 h remaining at the end of 2026-12-11 (ideal 33.57 h)"))).toBeDefined();
  });

  it("says why there is no forecast, and draws no cone or dates", () => {
    const svg = burndownSvg(tracker({ forecast: NO_FORECAST }));
    const all = elements(svg);
    expect(byClass(all, "forecast-cone")).toHaveLength(0);
    expect(byClass(all, "forecast-date")).toHaveLength(0);
    expect(svg).toContain("no forecast: no task was done in the last 5 working days");
  });

  it("stops a far forecast at the chart's edge, with the date and an arrow", () => {
    const far = { ...FORECAST, p95: "2028-06-30", cone: [...FORECAST.cone.slice(0, -1), { date: "2028-06-30", p50: 0, p85: 0, p95: 0 }] };
    const all = elements(burndownSvg(tracker({ forecast: far })));
    expect(Number(all[0]?.attributes.width)).toBe(960);
    const beyond = byClass(all, "forecast-date").find((e) => e.attributes["data-date"] === "2028-06-30");
    expect(beyond?.text).toBe("P95 2028-06-30 →");
    expect(byClass(all, "forecast-cone")[0]?.attributes["clip-path"]).toBe("url(#sg-plot)");
  });

  it("renders a 'no data yet' chart for an empty history", () => {
    for (const svg of [burndownSvg(EMPTY), burnupSvg(EMPTY, { unit: "hours" })]) {
      const all = elements(svg);
      expect(byClass(all, "no-data")[0]?.text).toContain("No data yet");
      expect(all[0]?.attributes.height).toMatch(/^\d+$/);
    }
  });

  it("works without a window (the axis is the history) and on calendar days (no weekend columns narrowed)", () => {
    const all = elements(burndownSvg(tracker({ window: null, milestones: [], forecast: NO_FORECAST })));
    const weekends = byClass(all, "weekend").map((e) => Number(e.attributes.width));
    const days = byClass(all, "day").map((e) => Number(e.attributes.width));
    expect(weekends).toHaveLength(2);
    expect(weekends.every((w) => w === days[0])).toBe(true);
    const narrow = elements(burndownSvg(tracker()));
    expect(Number(byClass(narrow, "weekend")[0]?.attributes.width)).toBeLessThan(Number(byClass(narrow, "day")[0]?.attributes.width));
  });
});

describe("burnupSvg", () => {
  it("draws done rising to the scope, the cone as done against the as-of scope, the scope dotted on", () => {
    const all = elements(burnupSvg(tracker()));
    const done = pointsOf(byClass(all, "done")[0] as Element).map(([, y]) => y);
    expect(done[0]).toBeGreaterThan(done.at(-1) as number);
    const ahead = byClass(all, "scope-ahead")[0] as Element;
    const scope = pointsOf(byClass(all, "scope")[0] as Element);
    expect(Number(ahead.attributes.y1)).toBe((scope.at(-1) as [number, number])[1]);
    const cone = byClass(all, "forecast-cone")[0] as Element;
    const p50 = pointsOf(all.find((e) => e.parent === cone && e.name === "polyline") as Element);
    // The P50 line ends on the scope line (all done).
    expect((p50.at(-1) as [number, number])[1]).toBe(Number(ahead.attributes.y1));
    expect(all.find((e) => e.name === "text" && e.text.startsWith("11 of 19 tasks done at the end of 2026-12-11 (ideal 10.29 tasks)"))).toBeDefined();
  });

  it("draws the ideal done line from 0 up to the baseline's scope at the program's end", () => {
    const all = elements(burnupSvg(tracker()));
    const ideal = pointsOf(byClass(all, "ideal")[0] as Element);
    const done = pointsOf(byClass(all, "done")[0] as Element);
    // Day 1: ideal done 0 (16 − 16) — on the axis; done that day is 0 too.
    expect(ideal[0]).toEqual(done[0]);
    expect((ideal.at(-1) as [number, number])[1]).toBeLessThan((ideal[0] as [number, number])[1]);
  });
});

describe("trendSvg", () => {
  it("leaves a gap on a day not measured: no point, no line across it, never a 0", () => {
    const all = elements(trendSvg([SCORE], { title: "Score" }));
    const points = byClass(all, "point");
    expect(points.map((p) => p.attributes["data-date"])).not.toContain("2026-12-07");
    expect(points).toHaveLength(9);
    expect(points.every((p) => p.attributes["data-value"] !== "0")).toBe(true);
    // Two value lines: 11-30 → 12-04 and 12-08 → 12-11.
    const lines = byClass(all, "value").map(pointsOf);
    expect(lines.map((l) => l.length)).toEqual([5, 4]);
    // The previous reading as a hollow marker at its value, the same height as 12-04's point.
    const previous = byClass(all, "previous");
    expect(previous.map((p) => [p.attributes["data-date"], p.attributes["data-previous"]])).toEqual([["2026-12-07", "70"]]);
    expect(previous[0]?.attributes.cy).toBe(points.find((p) => p.attributes["data-date"] === "2026-12-04")?.attributes.cy);
    expect(byClass(all, "day").find((e) => e.attributes["data-date"] === "2026-12-07")?.tip).toBe("2026-12-07\nscore: not measured; previous 70 on 2026-12-04, target 68.93");
  });

  it("colours each value by its status: met green, behind red (the regression day)", () => {
    const points = byClass(elements(trendSvg([SCORE])), "point");
    const status = (date: string) => points.find((p) => p.attributes["data-date"] === date)?.attributes;
    expect(status("2026-12-04")).toMatchObject({ "data-status": "met", fill: "#2e7d32" });
    expect(status("2026-12-09")).toMatchObject({ "data-status": "behind", fill: "#c62828" });
  });

  it("draws the target dashed, one series per colour, an unknown reading as not measured", () => {
    const all = elements(trendSvg([COVERAGE_ALL, COVERAGE_API], { title: "Coverage (lines)" }));
    const series = byClass(all, "series");
    expect(series.map((s) => s.attributes["data-component"])).toEqual(["", "api"]);
    const targets = byClass(all, "target");
    expect(targets).toHaveLength(2);
    expect(targets.every((e) => e.attributes["stroke-dasharray"] !== undefined && pointsOf(e).length === 10)).toBe(true);
    const day = byClass(all, "day").find((e) => e.attributes["data-date"] === "2026-12-02");
    expect(day?.tip).toBe("2026-12-02\ncoverage.lines: unknown (snapshot 3 could not measure it); previous 71 on 2026-12-01, target 71.43\ncoverage.lines (api): 63, target 62.14 — met (snapshot 3)");
    expect(byClass(all, "legend")[0]?.text).toContain("coverage.lines (api)");
  });

  it("says '(lower is better)' for a metric where lower is better", () => {
    const failed: MetricSeries = { ...SCORE, metric: "tests.failed", factKey: "tests.failed", better: "lower" };
    expect(byClass(elements(trendSvg([failed])), "legend")[0]?.text).toContain("tests.failed (lower is better)");
  });

  it("renders a 'no data yet' chart without series, and when nothing was measured", () => {
    const unmeasured = { ...SCORE, days: SCORE.days.map((d) => ({ ...d, value: null, measured: false, previous: null, status: "not-measured" as const })) };
    expect(byClass(elements(trendSvg([])), "no-data")[0]?.text).toContain("No data yet");
    expect(byClass(elements(trendSvg([unmeasured], { title: "Score" })), "no-data")[0]?.text).toContain("No snapshot measured score from 2026-11-30 to 2026-12-11.");
  });
});

// ── the real tracker: test/track/program.ts's three-week program in a SQLite store, tracked by app/track.ts ──────

describe("the charts of a real tracker (the three-week program, a SQLite store, trackProgram)", () => {
  let real: Tracker;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-track-svg-program-"));
    const store = await openStore(join(dir, "shipgate.db"), { at: "2026-11-02T07:00:00.000Z" });
    try {
      await writeProgram(store, dir);
      real = await trackProgram(store, { now: PROGRAM.now });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
  const trend = (metric: string) => real.series.filter((s) => s.metric === metric);

  it("writes labels at the chart's right edge leftwards (the last day's milestone and completion dates ran off the chart)", () => {
    for (const svg of [burndownSvg(real), burnupSvg(real)]) {
      const all = elements(svg);
      const labelOf = (g: Element) => all.find((e) => e.parent === g && e.name === "text") as Element;
      const ga = labelOf(byClass(all, "milestone").find((m) => m.attributes["data-milestone"] === "ga") as Element);
      const dates = labelOf(byClass(all, "forecast-date")[0] as Element);
      for (const label of [ga, dates]) {
        expect(label.attributes["text-anchor"]).toBe("end");
        expect(Number(label.attributes.x)).toBeLessThan(960);
      }
    }
  });

  it("gives a count whole ticks (tests.failed showed 0.5 failed tests)", () => {
    const all = elements(trendSvg(trend("tests.failed")));
    const ticks = all.filter((e) => e.name === "text" && e.attributes["text-anchor"] === "end" && e.attributes.x === "66").map((e) => e.text);
    expect(ticks).toEqual(["0", "1", "2"]);
  });

  it("draw its figures: 5 of 15 tasks left (ideal 3.57), the 11-05 scope change, the cone to 11-20, 11-06 not measured", () => {
    const down = elements(burndownSvg(real));
    expect(down.some((e) => e.name === "text" && e.text.startsWith("5 of 15 tasks remaining at the end of 2026-11-13 (ideal 3.57 tasks) · forecast P50 2026-11-20"))).toBe(true);
    expect(byClass(down, "scope-change").map((m) => [m.attributes["data-date"], m.text])).toEqual([["2026-11-05", "+6 −1 ~1"]]);
    expect(byClass(down, "forecast-date").map((e) => [e.attributes["data-date"], e.attributes["data-percentiles"]])).toEqual([["2026-11-20", "P50 P85 P95"]]);
    expect(byClass(down, "milestone").map((m) => [m.attributes["data-milestone"], m.attributes["data-status"]])).toEqual([
      ["beta", "met"],
      ["ga", "on-track"],
    ]);
    const hours = elements(burndownSvg(real, { unit: "hours" }));
    expect(hours.some((e) => e.name === "text" && e.text.startsWith("40 of 128 h remaining at the end of 2026-11-13 (ideal 28.57 h)"))).toBe(true);
    const score = elements(trendSvg(trend("score"), { title: "Score" }));
    expect(byClass(score, "previous").map((p) => [p.attributes["data-date"], p.attributes["data-previous"]])).toEqual([["2026-11-06", "52"]]);
    expect(byClass(score, "point").find((p) => p.attributes["data-date"] === "2026-11-10")?.attributes["data-status"]).toBe("behind");
    for (const svg of [burnupSvg(real), burnupSvg(real, { unit: "hours" }), trendSvg(trend("coverage.lines")), trendSvg(trend("tests.failed"))]) expect(elements(svg)[0]?.name).toBe("svg");
    if (process.env.SHIPGATE_SVG_OUT) {
      const out = process.env.SHIPGATE_SVG_OUT;
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, "program-burndown.svg"), burndownSvg(real));
      writeFileSync(join(out, "program-burndown-hours.svg"), burndownSvg(real, { unit: "hours" }));
      writeFileSync(join(out, "program-burnup.svg"), burnupSvg(real));
      writeFileSync(join(out, "program-score.svg"), trendSvg(trend("score"), { title: "Score" }));
      writeFileSync(join(out, "program-coverage.svg"), trendSvg(trend("coverage.lines"), { title: "Coverage (lines)" }));
      writeFileSync(join(out, "program-tests-failed.svg"), trendSvg(trend("tests.failed"), { title: "Failed tests" }));
    }
  });
});

// ── looking at them ───────────────────────────────────────────────────────────────────────────────────────────

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const SCRIPT = fileURLToPath(new URL("../../scripts/render-svg-png.mjs", import.meta.url));

/** The sample's charts by file name (what `track report` writes, and the PNGs a person looks at). */
const CHARTS = () => ({
  "burndown.svg": burndownSvg(tracker()),
  "burndown-hours.svg": burndownSvg(tracker(), { unit: "hours" }),
  "burnup.svg": burnupSvg(tracker()),
  "score.svg": trendSvg([SCORE], { title: "Score" }),
  "coverage.svg": trendSvg([COVERAGE_ALL, COVERAGE_API], { title: "Coverage (lines)" }),
  "burndown-empty.svg": burndownSvg(EMPTY),
});

describe("in a real browser", () => {
  it.runIf(process.env.SHIPGATE_SVG_OUT)("writes the sample's charts to $SHIPGATE_SVG_OUT for a look", () => {
    const dir = process.env.SHIPGATE_SVG_OUT as string;
    mkdirSync(dir, { recursive: true });
    for (const [name, svg] of Object.entries(CHARTS())) writeFileSync(join(dir, name), svg);
  });

  it.skipIf(!existsSync(CHROMIUM))("renders in headless Chromium at the chart's size, with the lines' colours on it", () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-track-svg-"));
    try {
      const file = join(dir, "burndown.svg");
      writeFileSync(file, burndownSvg(tracker()));
      execFileSync(process.execPath, [SCRIPT, file], { stdio: "pipe" });
      const png = decodePng(readFileSync(join(dir, "burndown.png")));
      const svg = elements(readFileSync(file, "utf8"))[0] as Element;
      expect([png.width, png.height]).toEqual([Number(svg.attributes.width), Number(svg.attributes.height)]);
      const count = (rgb: [number, number, number]) => png.count((r, g, b) => Math.abs(r - rgb[0]) + Math.abs(g - rgb[1]) + Math.abs(b - rgb[2]) < 24);
      // The remaining line (#4e79a7), the forecast P50 (#f28e2b) and the as-of line (#1565c0) are painted.
      expect(count([0x4e, 0x79, 0xa7])).toBeGreaterThan(200);
      expect(count([0xf2, 0x8e, 0x2b])).toBeGreaterThan(50);
      expect(count([0x15, 0x65, 0xc0])).toBeGreaterThan(200);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A minimal PNG reader (8-bit RGB or RGBA, not interlaced: what Chromium writes) to count pixels of a colour. */
function decodePng(data: Buffer): { width: number; height: number; count: (match: (r: number, g: number, b: number) => boolean) => number } {
  const width = data.readUInt32BE(16);
  const height = data.readUInt32BE(20);
  const [depth, colourType, , , interlace] = data.subarray(24, 29);
  expect([depth, interlace]).toEqual([8, 0]);
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
  expect(channels).toBeGreaterThan(0);
  const chunks: Buffer[] = [];
  for (let at = 8; at < data.length; ) {
    const length = data.readUInt32BE(at);
    if (data.toString("latin1", at + 4, at + 8) === "IDAT") chunks.push(data.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const stride = width * channels;
  const pixels = Buffer.alloc(height * stride);
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)] as number;
    for (let i = 0; i < stride; i++) {
      const x = raw[row * (stride + 1) + 1 + i] as number;
      const a = i >= channels ? (pixels[row * stride + i - channels] as number) : 0;
      const b = row > 0 ? (pixels[(row - 1) * stride + i] as number) : 0;
      const c = row > 0 && i >= channels ? (pixels[(row - 1) * stride + i - channels] as number) : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predicted = filter === 0 ? 0 : filter === 1 ? a : filter === 2 ? b : filter === 3 ? (a + b) >> 1 : paeth;
      pixels[row * stride + i] = (x + predicted) & 0xff;
    }
  }
  return {
    width,
    height,
    count(match) {
      let n = 0;
      for (let i = 0; i < pixels.length; i += channels) if (match(pixels[i] as number, pixels[i + 1] as number, pixels[i + 2] as number)) n++;
      return n;
    },
  };
}
