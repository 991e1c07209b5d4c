import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { loadPlan } from "../../src/config/load-plan.js";
import { criticalPath } from "../../src/plan/critical-path.js";
import { compareIds, dateOfWeekday, schedulePlan, weekdayIndex } from "../../src/plan/schedule.js";
import type { Plan, PlanAgent, PlanPhase, PlanTask, Schedule } from "../../src/plan/types.js";

const GEN = fileURLToPath(new URL("../support/generate.mjs", import.meta.url));
const TMP = fileURLToPath(new URL("../../.test-tmp/plan-schedule/", import.meta.url));

/** A generated plan of n tasks, loaded as the CLI would. */
async function generatedPlan(n: number) {
  mkdirSync(TMP, { recursive: true });
  execFileSync(process.execPath, [GEN, "plan", `${TMP}gen-${n}.yaml`, String(n)]);
  return loadPlan(`gen-${n}.yaml`, { cwd: TMP });
}

function task(id: string, hours: number, dependsOn: string[] = [], extra: Partial<PlanTask> = {}): PlanTask {
  return { id, title: id, phase: "p", priority: "P2", owner: "a", estimate: { optimistic: hours, likely: hours, pessimistic: hours }, dependsOn, files: [], reads: [], deliverables: [], acceptance: null, readyWhen: null, tags: [], ...extra };
}
function agent(id: string, capacity = 8): PlanAgent {
  return { id, kind: "cli", command: null, ratePerHour: null, capacity, emails: [], branch: null };
}
function planOf(tasks: PlanTask[], options: { phases?: PlanPhase[]; agents?: PlanAgent[] } = {}): Plan {
  return {
    version: 1, project: null, start: null, commitConvention: "[{task}] {summary}",
    agents: options.agents ?? [agent("a"), agent("b")],
    phases: options.phases ?? [{ id: "p", name: "P", start: null, dependsOn: [] }],
    tasks, risks: [], milestones: [],
  };
}
const schedule = (plan: Plan, start = "2026-03-02") => schedulePlan(plan, criticalPath(plan), start);
const rows = (s: Schedule) => s.tasks.map((t) => [t.id, t.startHour, t.endHour, t.startDate, t.endDate]);

/** Each agent's tasks, in time order, never overlap; each task starts after its dependencies end. */
function expectConsistent(plan: Plan, s: Schedule): void {
  const byId = new Map(s.tasks.map((t) => [t.id, t]));
  const byOwner = new Map<string, Schedule["tasks"]>();
  for (const t of s.tasks) byOwner.set(t.owner, [...(byOwner.get(t.owner) ?? []), t]);
  for (const list of byOwner.values()) {
    list.sort((x, y) => x.startHour - y.startHour || x.endHour - y.endHour);
    for (let i = 1; i < list.length; i++) expect(list[i]!.startHour, `${list[i - 1]!.id} and ${list[i]!.id}`).toBeGreaterThanOrEqual(list[i - 1]!.endHour - 0.011);
  }
  for (const t of plan.tasks) for (const d of t.dependsOn) expect(byId.get(t.id)!.startHour).toBeGreaterThanOrEqual(byId.get(d)!.endHour - 0.011);
}

describe("schedulePlan", () => {
  it("stretches a task over more days for an agent with fewer hours a day", () => {
    // 8 h at 8 h/day is one day; at 4 h/day two.
    const plan = planOf([task("FULL", 8), task("HALF", 8, [], { owner: "h" })], { agents: [agent("a", 8), agent("h", 4)] });
    expect(rows(schedule(plan))).toEqual([
      ["FULL", 0, 8, "2026-03-02", "2026-03-02"],
      ["HALF", 0, 16, "2026-03-02", "2026-03-03"],
    ]);
  });

  it("gives one agent one task at a time, the one with the least slack first", () => {
    // LONG has slack (nothing waits for it); FIRST is on the critical path to b's NEXT.
    const plan = planOf([task("LONG", 4), task("FIRST", 4), task("NEXT", 8, ["FIRST"], { owner: "b" })]);
    const s = schedule(plan);
    expect(rows(s)).toEqual([
      ["LONG", 4, 8, "2026-03-02", "2026-03-02"],
      ["FIRST", 0, 4, "2026-03-02", "2026-03-02"],
      ["NEXT", 4, 12, "2026-03-02", "2026-03-03"],
    ]);
    expect(s.end).toBe("2026-03-03");
  });

  it("breaks ties by priority, then by id as people read it", () => {
    const plan = planOf([task("T10", 8), task("T9", 8), task("T2", 8, [], { priority: "P0" })], { agents: [agent("a")] });
    expect(schedule(plan).tasks.map((t) => [t.id, t.startHour])).toEqual([["T10", 16], ["T9", 8], ["T2", 0]]);
  });

  it.each([
    ["a Friday start runs into Monday", "2026-03-06", "2026-03-06", "2026-03-09"],
    ["a Saturday start moves to Monday", "2026-03-07", "2026-03-09", "2026-03-10"],
    ["a Sunday start moves to Monday", "2026-03-08", "2026-03-09", "2026-03-10"],
  ])("skips weekends: %s", (_name, start, startDate, endDate) => {
    const s = schedule(planOf([task("TWO-DAYS", 16)]), start);
    expect(s.tasks[0]).toMatchObject({ startDate, endDate });
    expect(s.start).toBe(startDate);
  });

  it("skips every weekend of a long task", () => {
    // 12 working days from Monday 2026-03-02: two weekends later, Tuesday 2026-03-17.
    expect(schedule(planOf([task("LONG", 96)])).tasks[0]).toMatchObject({ startHour: 0, endHour: 96, endDate: "2026-03-17" });
  });

  it("waits for the phase order and a phase's start date", () => {
    const phases: PlanPhase[] = [
      { id: "p", name: "P", start: null, dependsOn: [] },
      { id: "q", name: "Q", start: null, dependsOn: ["p"] },
      { id: "later", name: "Later", start: "2026-03-16", dependsOn: [] },
    ];
    const plan = planOf([task("P1", 12), task("Q1", 4, [], { phase: "q", owner: "b" }), task("L1", 4, [], { phase: "later", owner: "b" })], { phases });
    expect(rows(schedule(plan))).toEqual([
      ["P1", 0, 12, "2026-03-02", "2026-03-03"],
      ["Q1", 12, 16, "2026-03-03", "2026-03-03"],
      ["L1", 80, 84, "2026-03-16", "2026-03-16"],
    ]);
  });

  it("keeps agents serial and dependencies in order on a generated 2 000-task plan", async () => {
    const { plan } = await generatedPlan(2000);
    const s = schedule(plan);
    expect(s.tasks).toHaveLength(2000);
    expectConsistent(plan, s);
    expect(s.end >= s.start).toBe(true);
  });
});

describe("calendar helpers", () => {
  it.each([
    ["2026-03-02", "2026-03-02"],
    ["2026-03-07", "2026-03-09"],
    ["2026-03-08", "2026-03-09"],
    ["1970-01-01", "1970-01-01"],
  ])("weekdayIndex(%s) names the working day %s", (date, workday) => {
    expect(dateOfWeekday(weekdayIndex(date))).toBe(workday);
  });

  it("counts five working days a week", () => {
    expect(weekdayIndex("2026-03-09") - weekdayIndex("2026-03-02")).toBe(5);
    expect(weekdayIndex("2026-03-06") - weekdayIndex("2026-03-02")).toBe(4);
  });

  it("compares ids by their numbers", () => {
    expect(["T10", "T9", "T1", "MEAS-002", "MEAS-001", "T01"].sort(compareIds)).toEqual(["MEAS-001", "MEAS-002", "T01", "T1", "T9", "T10"]);
  });
});
