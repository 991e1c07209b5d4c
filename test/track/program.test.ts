/**
 * The three-week program of test/track/program.ts, tracked as of Friday 2026-11-13 and replayed as of earlier days.
 * Every figure below is worked out by hand from the story in program.ts (the working is in the comments).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trackProgram } from "../../src/app/track.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/types.js";
import type { Tracker } from "../../src/track/model.js";
import { PROGRAM, writeProgram } from "./program.js";

let store: Store;
let t: Tracker;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-program-"));
  store = await openStore(join(dir, "shipgate.db"), { at: "2026-11-02T07:00:00.000Z" });
  await writeProgram(store, dir);
  t = await trackProgram(store, { now: PROGRAM.now });
});
afterAll(async () => store.close());

const day = (date: string, tracker: Tracker = t) => tracker.burndown.find((d) => d.date === date);
const seriesDay = (metric: string, date: string, tracker: Tracker = t) => tracker.series.find((s) => s.metric === metric && s.component === null)?.days.find((d) => d.date === date);

describe("the three-week program as of 2026-11-13", () => {
  it("window from the plan's targets, the tracked branch and a constant number of queries", () => {
    expect(t.asOf).toBe("2026-11-13");
    expect(t.window).toEqual({ start: "2026-11-02", end: "2026-11-20", workingDays: true, source: "targets" });
    expect(t.branch).toBe("main");
    expect(t.queries).toBe(5);
  });

  it("burn-down: 15 tasks / 128 h in scope, 10 / 88 h done, ideal 80 × 5/14 = 28.57 h", () => {
    // 11-02 … 11-20 is 14 working-day steps; 11-13 is step 9: 5/14 of the baseline's 80 h (10 tasks) remain ideally.
    expect(t.burndown.map((d) => d.date)).toEqual([
      "2026-11-02", "2026-11-03", "2026-11-04", "2026-11-05", "2026-11-06",
      "2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13",
    ]);
    expect(day("2026-11-13")).toMatchObject({ scopeTasks: 15, scopeHours: 128, doneTasks: 10, doneHours: 88, remainingTasks: 5, remainingHours: 40, idealHours: 28.57, idealTasks: 3.57 });
    expect(day("2026-11-02")).toMatchObject({ scopeTasks: 10, scopeHours: 80, doneTasks: 1, idealHours: 80, idealTasks: 10 });
    // T01, T02 and T08 by Wednesday.
    expect(day("2026-11-04")).toMatchObject({ scopeTasks: 10, doneTasks: 3, doneHours: 24, remainingHours: 56 });
  });

  it("scope changes on 11-05: six added, T10 removed, T03 re-estimated 8 → 16 h", () => {
    expect(day("2026-11-05")).toMatchObject({
      added: ["T11", "T12", "T13", "T14", "T15", "T16"],
      removed: ["T10"],
      reestimated: [{ id: "T03", from: 8, to: 16 }],
      scopeTasks: 15,
      scopeHours: 128,
    });
    expect(day("2026-11-04")).toMatchObject({ added: [], removed: [], reestimated: [] });
  });

  it("score against its target: 72 vs 40 + 40 × 9/14 = 65.71 met; Friday 11-06 not measured, 52 shown as previous", () => {
    expect(seriesDay("score", "2026-11-13")).toMatchObject({ value: 72, target: 65.71, difference: 6.29, status: "met" });
    expect(seriesDay("score", "2026-11-06")).toMatchObject({ value: null, measured: false, previous: { date: "2026-11-05", value: 52 }, target: 51.43, status: "not-measured" });
    // The regression: 56 against 40 + 40 × 6/14 = 57.14.
    expect(seriesDay("score", "2026-11-10")).toMatchObject({ value: 56, target: 57.14, status: "behind" });
    expect(seriesDay("tests.failed", "2026-11-10")).toMatchObject({ value: 2, target: 0, status: "behind" });
    expect(seriesDay("tests.failed", "2026-11-11")).toMatchObject({ value: 0, status: "met" });
    // 67 against 50 + 30 × 9/14 = 69.29.
    expect(seriesDay("coverage.lines", "2026-11-13")).toMatchObject({ value: 67, target: 69.29, status: "behind" });
  });

  it("flow: one task a day; week 1 five tasks / 40 h, week 2 five / 48 h; claude (cli) 7, alice (human) 3", () => {
    expect(t.flow.daily.map((d) => d.tasks)).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(t.flow.weekly.map((w) => [w.start, w.tasks, w.hours])).toEqual([
      ["2026-11-02", 5, 40],
      ["2026-11-09", 5, 48],
    ]);
    const kinds = { cli: 0, human: 0 };
    const agents: Record<string, number> = {};
    for (const d of t.flow.daily) {
      kinds.cli += d.byKind.cli?.tasks ?? 0;
      kinds.human += d.byKind.human?.tasks ?? 0;
      for (const [a, v] of Object.entries(d.byAgent)) agents[a] = (agents[a] ?? 0) + v.tasks;
    }
    expect(kinds).toEqual({ cli: 7, human: 3 });
    expect(agents).toEqual({ claude: 7, alice: 3 });
  });

  it("cycle times 4, 4, 5, 6, 6, 7, 7.5, 8, 27, 29 h: P50 6, P85 27, P95 29 (nearest rank)", () => {
    expect([...t.flow.cycles.map((c) => c.hours)].sort((a, b) => a - b)).toEqual([4, 4, 5, 6, 6, 7, 7.5, 8, 27, 29]);
    expect(t.flow.cycleTime).toEqual({ p50: 6, p85: 27, p95: 29, count: 10 });
    // T02's cycle starts at its first claim (09:00), through the failed attempt, to done at 16:30.
    expect(t.flow.cycles.find((c) => c.task === "T02")?.hours).toBe(7.5);
    // T07's starts again after the reset to pending (11-09 10:00 → 11-10 15:00).
    expect(t.flow.cycles.find((c) => c.task === "T07")?.hours).toBe(29);
  });

  it("WIP 2 (T14 alice, T13 claude); estimates 59 h taken for 64 h expected", () => {
    expect(t.flow.wip).toEqual({ total: 2, byAgent: { alice: 1, claude: 1 } });
    expect(t.flow.estimateRatio).toBe(0.922);
    expect(t.flow.estimates.find((e) => e.task === "T02")).toMatchObject({ expectedHours: 8, actualHours: 7, ratio: 0.875 });
    expect(t.flow.estimates.find((e) => e.task === "T03")).toMatchObject({ expectedHours: 16, actualHours: 27, ratio: 1.688 });
  });

  it("forecast: one task every measured day, five left, so every trial needs five days: 2026-11-20 at P50, P85 and P95", () => {
    expect(t.forecast).toMatchObject({ p50: "2026-11-20", p85: "2026-11-20", p95: "2026-11-20", reason: null, remainingTasks: 5, historyDays: 10, floorDays: 1 });
    expect(t.forecast.cone).toEqual([
      { date: "2026-11-16", p50: 4, p85: 4, p95: 4 },
      { date: "2026-11-17", p50: 3, p85: 3, p95: 3 },
      { date: "2026-11-18", p50: 2, p85: 2, p95: 2 },
      { date: "2026-11-19", p50: 1, p85: 1, p95: 1 },
      { date: "2026-11-20", p50: 0, p85: 0, p95: 0 },
    ]);
  });

  it("milestones: beta met on 11-11's 63 % coverage; ga on track but score 72 < 80 and the release gate NO-GO", () => {
    const [beta, ga] = t.milestones;
    expect(beta).toMatchObject({ id: "beta", status: "met" });
    expect(beta?.criteria[0]).toMatchObject({ text: "coverage.lines >= 60", status: "met", value: 63 });
    expect(ga).toMatchObject({ id: "ga", status: "on-track", probability: 1, daysLeft: 5 });
    expect(ga?.criteria.map((c) => [c.text, c.status, c.value])).toEqual([
      ["score >= 80", "not-met", 72],
      ["gate:release", "not-met", null],
    ]);
  });

  it("blockers: T07 blocked 118 h (resolved), T12 still blocked since 14:00", () => {
    expect(t.blockers.log.map((b) => [b.task, b.by, b.reason, b.since, b.resolvedAt, b.hours, b.open])).toEqual([
      ["T07", "alice", "waiting on staging credentials", "2026-11-04T11:00:00.000Z", "2026-11-09T09:00:00.000Z", 118, false],
      ["T12", "claude", "flaky CI on the integration job", "2026-11-13T14:00:00.000Z", null, 6, true],
    ]);
    expect(t.blockers.open.map((b) => b.task)).toEqual(["T12"]);
    expect(t.blockers.medianHoursToResolve).toBe(118);
  });

  it("risks: R1 (high × medium = 6) mitigated on 11-05, R2 (4) open as the plan says", () => {
    expect(t.risks.map((r) => [r.id, r.exposure, r.status, r.updates.length])).toEqual([
      ["R1", 6, "mitigated", 1],
      ["R2", 4, "open", 0],
    ]);
  });

  it("alerts: the score decline of 11-10, the release gate's NO-GO and T13's stale lease", () => {
    expect(t.alerts.map((a) => a.kind).sort()).toEqual(["gate-no-go", "score-decline", "stale-lease"]);
    expect(t.alerts.find((a) => a.kind === "stale-lease")?.stored).toBe(false);
  });

  it("headline", () => {
    expect(t.headline).toEqual({
      doneTasks: 10,
      scopeTasks: 15,
      doneHours: 88,
      scopeHours: 128,
      idealHours: 28.57,
      behindIdealHours: 11.43,
      score: { value: 72, target: 65.71, status: "met" },
      forecastP85: "2026-11-20",
      milestones: { met: 1, missed: 0, "at-risk": 0, "on-track": 1, unknown: 0 },
      alerts: 3,
    });
  });
});

describe("the same program replayed as of Friday 2026-11-06 (--as-of)", () => {
  let past: Tracker;
  beforeAll(async () => {
    past = await trackProgram(store, { now: PROGRAM.now, asOf: "2026-11-06" });
  });

  it("sees the past, not today: 5 of 15 done, T07 blocked, nothing after the day", () => {
    expect(past.at).toBe("2026-11-06T23:59:59.999Z");
    expect(past.burndown.at(-1)).toMatchObject({ date: "2026-11-06", scopeTasks: 15, doneTasks: 5, doneHours: 40, remainingHours: 88 });
    expect(past.tasks.find((x) => x.id === "T07")?.state).toBe("blocked");
    expect(past.tasks.find((x) => x.id === "T03")?.state).toBe("pending");
    expect(past.blockers.open.map((b) => b.task)).toEqual(["T07"]);
    expect(past.runs.every((r) => r.startedAt <= past.at)).toBe(true);
    expect(past.risks[0]).toMatchObject({ id: "R1", status: "mitigated" });
  });

  it("forecast from the five days measured then: ten left at one a day, done 2026-11-20", () => {
    expect(past.forecast).toMatchObject({ p50: "2026-11-20", p85: "2026-11-20", historyDays: 5, remainingTasks: 10 });
  });

  it("the score of 11-06 was not measured; the headline says so instead of carrying 52 over", () => {
    expect(past.headline.score).toEqual({ value: null, target: 51.43, status: "not-measured" });
  });
});

describe("a program with every task done", () => {
  it("regression: the forecast said '85 % of trials finish by' the as-of day; now the day the last task was done", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-program-done-"));
    const done = await openStore(join(dir, "shipgate.db"), { at: "2026-11-02T07:00:00.000Z" });
    await writeProgram(done, dir);
    for (const [id, hour] of [["T12", 14], ["T13", 10], ["T14", 11], ["T15", 12], ["T16", 13]] as const) {
      await done.transitionTask(id, "done", { agent: "alice", force: true }, `2026-11-16T${hour}:00:00.000Z`);
    }
    const later = await trackProgram(done, { now: "2026-11-18T12:00:00.000Z" });
    await done.close();
    expect(later.headline).toMatchObject({ doneTasks: 15, scopeTasks: 15 });
    expect(later.forecast).toMatchObject({ p50: "2026-11-16", p85: "2026-11-16", p95: "2026-11-16", remainingTasks: 0, cone: [] });
  });
});

describe("alerts on a young program", () => {
  it("regression: T07, 14 h in progress at the end of 11-03, was 'past the P95 cycle time' of the only two cycles (7.5 h); no alert before 10 cycles", async () => {
    const early = await trackProgram(store, { now: PROGRAM.now, asOf: "2026-11-03" });
    expect(early.flow.cycleTime).toMatchObject({ p95: 7.5, count: 2 });
    expect(early.tasks.find((x) => x.id === "T07")?.state).toBe("in_progress");
    expect(early.alerts.filter((a) => a.kind === "task-past-p95")).toEqual([]);
  });
});
