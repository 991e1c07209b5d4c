import { SaxesParser } from "saxes";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/config/load-plan.js";
import { analyzePlan } from "../../src/plan/analyze.js";
import { ganttChart, type GanttChart, type GanttInput, type GanttState } from "../../src/plan/gantt.js";
import { renderGanttMermaid, stretched } from "../../src/report/plan-gantt-mermaid.js";
import { ganttLayout, renderGanttSvg } from "../../src/report/plan-gantt-svg.js";
import type { Plan, PlanTask, Schedule, ScheduledTask } from "../../src/plan/types.js";

function task(id: string, title: string, phase: string, owner: string, hours = 8, dependsOn: string[] = []): PlanTask {
  return {
    id,
    title,
    phase,
    priority: "P1",
    owner,
    estimate: { optimistic: hours, likely: hours, pessimistic: hours },
    dependsOn,
    files: [],
    reads: [],
    deliverables: [],
    acceptance: null,
    readyWhen: null,
    tags: [],
  };
}

const plan: Plan = {
  version: 1,
  project: "Shop <v2> & co",
  start: "2026-03-02",
  commitConvention: "[{task}] {summary}",
  agents: ["claude", "human"].map((id) => ({ id, kind: "cli", command: null, ratePerHour: null, capacity: 8, emails: [], branch: null })),
  phases: [
    { id: "build", name: "Build: the core", start: null, dependsOn: [] },
    { id: "ship", name: "Ship", start: null, dependsOn: ["build"] },
  ],
  tasks: [
    task("schema", "Design the schema: tables; keys", "build", "claude"),
    task("api", "API #1 <routes>", "build", "claude"),
    task("ui", "UI & \"forms\"", "build", "human"),
    task("release", "Release", "ship", "human"),
  ],
  risks: [],
  milestones: [
    { id: "beta", date: "2026-03-11", criteria: ["coverage.lines >= 80"] },
    { id: "GA", date: "2026-03-20", criteria: [] },
  ],
};

const at = (id: string, owner: string, startHour: number, endHour: number, startDate: string, endDate: string): ScheduledTask => ({
  id,
  owner,
  startHour,
  endHour,
  startDate,
  endDate,
});

// Monday 2026-03-02 onwards; endDate is a task's last working day.
const schedule: Schedule = {
  start: "2026-03-02",
  end: "2026-03-13",
  tasks: [
    at("schema", "claude", 0, 16, "2026-03-02", "2026-03-03"),
    at("api", "claude", 16, 56, "2026-03-04", "2026-03-10"),
    at("ui", "human", 0, 24, "2026-03-02", "2026-03-04"),
    at("release", "human", 56, 80, "2026-03-11", "2026-03-13"),
  ],
};
const critical = new Set(["schema", "api", "release"]);

interface Element {
  name: string;
  attributes: Record<string, string>;
  text: string;
}

/** Every element of an XML document (a parse error fails the test), with its direct text. */
function elements(xml: string): Element[] {
  const parser = new SaxesParser();
  const all: Element[] = [];
  const open: Element[] = [];
  parser.on("error", (error) => {
    throw error;
  });
  parser.on("opentag", (tag) => {
    const element = { name: tag.name, attributes: tag.attributes as Record<string, string>, text: "" };
    all.push(element);
    open.push(element);
  });
  parser.on("text", (text) => {
    const top = open.at(-1);
    if (top) top.text += text;
  });
  parser.on("closetag", () => void open.pop());
  parser.write(xml).close();
  return all;
}

const ORDER = ["schema", "ui", "api", "release"];
const chartOf = (extra: Partial<GanttInput> = {}): GanttChart => ganttChart({ plan, schedule, critical, order: ORDER, ...extra });

/** A plan analysed as `plan gantt` does, and its chart. */
function analysed(p: Plan, extra: Partial<GanttInput> = {}) {
  const analysis = analyzePlan(p, { today: "2026-03-02" });
  return { analysis, chart: ganttChart({ plan: p, schedule: analysis.schedule, critical: new Set(analysis.timing.critical), order: analysis.order, ...extra }) };
}
const bars = (chart: GanttChart) => chart.sections.flatMap((s) => s.bars);
const DEMO = fileURLToPath(new URL("../../examples/demo/shipgate.plan.yaml", import.meta.url));
const demo = () => parsePlan(readFileSync(DEMO, "utf8"), "shipgate.plan.yaml", "yaml");

/** One agent: a 1 h task, then a 3 h one that waits for it, then a 1 h one that waits for that. */
const chain: Plan = { ...plan, milestones: [], phases: [plan.phases[0] as Plan["phases"][number]], tasks: [task("one", "One hour", "build", "claude", 1), task("three", "Three hours", "build", "claude", 3, ["one"]), task("last", "Last", "build", "claude", 1, ["three"])] };

describe("ganttChart (the bars, pure)", () => {
  it("places each task at its scheduled hours on working days 09:00–17:00", () => {
    expect(bars(chartOf()).map((b) => [b.id, b.startHour, b.endHour, b.start, b.end])).toEqual([
      ["schema", 0, 16, "2026-03-02 09:00", "2026-03-03 17:00"],
      ["ui", 0, 24, "2026-03-02 09:00", "2026-03-04 17:00"],
      ["api", 16, 56, "2026-03-04 09:00", "2026-03-10 17:00"],
      ["release", 56, 80, "2026-03-11 09:00", "2026-03-13 17:00"],
    ]);
    const { chart } = analysed(chain);
    expect(bars(chart).map((b) => [b.id, b.hours, b.start, b.end])).toEqual([
      ["one", 1, "2026-03-02 09:00", "2026-03-02 10:00"],
      ["three", 3, "2026-03-02 10:00", "2026-03-02 13:00"],
      ["last", 1, "2026-03-02 13:00", "2026-03-02 14:00"],
    ]);
  });

  it("regression: a task that waits for another no longer looks parallel to it (day granularity drew MEAS-001 and MEAS-002 on the same day)", () => {
    for (const p of [demo(), chain]) {
      const { chart } = analysed(p);
      const byId = new Map(bars(chart).map((b) => [b.id, b]));
      for (const t of p.tasks) {
        for (const d of t.dependsOn) {
          expect(byId.get(d)!.end <= byId.get(t.id)!.start, `${d} ends ${byId.get(d)!.end}, ${t.id} starts ${byId.get(t.id)!.start}`).toBe(true);
          expect(byId.get(d)!.endHour).toBeLessThanOrEqual(byId.get(t.id)!.startHour);
        }
      }
    }
    const demoBars = new Map(bars(analysed(demo()).chart).map((b) => [b.id, b]));
    expect([demoBars.get("MEAS-001")!.end, demoBars.get("MEAS-002")!.start]).toEqual(["2026-11-23 11:10", "2026-11-23 11:10"]);
  });

  it("lists bars in the plan order, with a section wherever the phase changes", () => {
    const chart = chartOf({ order: ["ui", "schema", "release", "api"] });
    expect(chart.sections.map((s) => [s.name, s.bars.map((b) => b.id)])).toEqual([
      ["Build: the core", ["ui", "schema"]],
      ["Ship", ["release"]],
      ["Build: the core", ["api"]],
    ]);
  });

  it("carries the stored states, milestones by date and the today line's date", () => {
    const states = new Map<string, GanttState>([["schema", "done"], ["ui", "in_progress"], ["api", "blocked"]]);
    const chart = chartOf({ states, today: "2026-03-04" });
    expect(bars(chart).map((b) => [b.id, b.state])).toEqual([["schema", "done"], ["ui", "in_progress"], ["api", "blocked"], ["release", null]]);
    expect(chart.milestones.map((m) => [m.id, m.date])).toEqual([["beta", "2026-03-11"], ["GA", "2026-03-20"]]);
    expect(chart.today).toBe("2026-03-04");
  });

  it("caps the tasks, keeping the critical ones, and counts the rest", () => {
    const chart = chartOf({ maxTasks: 2 });
    expect(bars(chart).map((b) => b.id)).toEqual(["schema", "api"]);
    expect([chart.omitted, chart.total]).toEqual([2, 4]);
  });
});

describe("ganttLayout (SVG geometry, pure)", () => {
  it("draws bars in proportion to their hours: a 1 h bar is a third of a 3 h one, and sequential bars do not overlap", () => {
    const layout = ganttLayout(analysed(chain).chart);
    const [one, three, last] = ["one", "three", "last"].map((id) => layout.bars.get(id)![0]!);
    // Positions are rounded to 1/100 px.
    expect(three!.width / one!.width).toBeCloseTo(3, 2);
    expect(last!.width).toBeCloseTo(one!.width, 1);
    expect(three!.x).toBeCloseTo(one!.x + one!.width, 1);
    expect(last!.x).toBeCloseTo(three!.x + three!.width, 1);
    expect(layout.dayWidth / 8).toBeCloseTo(one!.width, 1);
  });

  it("splits a bar that runs over a weekend, leaving the weekend empty, and keeps weekend columns narrow", () => {
    const layout = ganttLayout(chartOf());
    const api = layout.bars.get("api")!;
    // Wed 4 – Fri 6 (3 working days), then Mon 9 – Tue 10 (2).
    expect(api).toHaveLength(2);
    expect(api[0]!.width).toBeCloseTo(3 * layout.dayWidth, 5);
    expect(api[1]!.width).toBeCloseTo(2 * layout.dayWidth, 5);
    const saturday = layout.xDay(Date.UTC(2026, 2, 7) / 86_400_000);
    const monday = layout.xDay(Date.UTC(2026, 2, 9) / 86_400_000);
    expect(api[0]!.x + api[0]!.width).toBeCloseTo(saturday, 5);
    expect(api[1]!.x).toBeCloseTo(monday, 5);
    expect(monday - saturday).toBeCloseTo(layout.dayWidth / 2, 5);
  });

  it("puts the today line on its day, and leaves it out when today is far from the plan", () => {
    const near = ganttLayout(chartOf({ today: "2026-03-04" }));
    expect(near.today).toBeCloseTo(near.xDay(Date.UTC(2026, 2, 4) / 86_400_000), 5);
    expect(ganttLayout(chartOf({ today: "2027-01-01" })).today).toBeNull();
    expect(ganttLayout(chartOf()).today).toBeNull();
  });

  it("never cuts an id from a label: tasks with long, alike titles stay distinguishable", () => {
    const long = "Migrate the billing service's ledger tables to the new partitioned schema, step";
    const alike: Plan = { ...chain, tasks: [task("BILL-0001", `${long} one`, "build", "claude", 1), task("BILL-0002", `${long} two`, "build", "claude", 1, ["BILL-0001"])] };
    const layout = ganttLayout(analysed(alike).chart);
    const labels = [...layout.labels.values()];
    expect(labels.map((l) => l.split("  ")[0])).toEqual(["BILL-0001", "BILL-0002"]);
    expect(new Set(labels).size).toBe(2);
    expect(labels[0]).toMatch(/…$/);
  });
});

describe("renderGanttMermaid", () => {
  it("writes minute granularity with working time stretched over the day, a section per phase run, tags and states", () => {
    const states = new Map<string, GanttState>([["schema", "done"], ["ui", "in_progress"], ["api", "blocked"]]);
    expect(renderGanttMermaid(chartOf({ states }))).toMatchInlineSnapshot(`
      "gantt
        title Shop <v2> & co
        dateFormat YYYY-MM-DD HH:mm
        axisFormat %a %d %b
        excludes weekends
        tickInterval 1day
        %% times are working time stretched over the day: 00:00 is 09:00, 12:00 is 13:00, 24:00 is 17:00
        section Build#58; the core
        schema Design the schema#58; tables#59; keys :crit, done, schema, 2026-03-02 00:00, 2026-03-04 00:00
        ui UI & "forms" :active, ui, 2026-03-02 00:00, 2026-03-05 00:00
        [blocked] api API #35;1 <routes> :crit, api, 2026-03-04 00:00, 2026-03-11 00:00
        section Ship
        release Release :crit, release, 2026-03-11 00:00, 2026-03-14 00:00
        section Milestones
        beta 2026-03-11 :milestone, 2026-03-11 23:59, 0d
        GA 2026-03-20 :milestone, 2026-03-20 23:59, 0d
      "
    `);
  });

  it("stretches working time (09:00–17:00) over the whole day, so bar lengths follow hours", () => {
    expect(["2026-03-02 09:00", "2026-03-02 10:00", "2026-03-02 13:00", "2026-03-02 17:00"].map(stretched)).toEqual([
      "2026-03-02 00:00",
      "2026-03-02 03:00",
      "2026-03-02 12:00",
      "2026-03-03 00:00",
    ]);
  });

  it("renders the demo plan (dates normalised to days from the start)", () => {
    const { chart } = analysed(demo());
    const start = Date.parse(`${chart.start}T00:00:00Z`);
    const text = renderGanttMermaid(chart).replace(/\d{4}-\d{2}-\d{2}/g, (d) => `D${(Date.parse(`${d}T00:00:00Z`) - start) / 86_400_000}`);
    expect(text).toMatchInlineSnapshot(`
      "gantt
        title demo hardening
        dateFormat YYYY-MM-DD HH:mm
        axisFormat %a %d %b
        excludes weekends
        tickInterval 1day
        %% times are working time stretched over the day: 00:00 is 09:00, 12:00 is 13:00, 24:00 is 17:00
        section Baseline and measurement
        MEAS-001 Take the baseline snapshot and publish the readiness score :crit, MEAS-001, D0 00:00, D0 06:30
        MEAS-002 Agree on the release gate and its waivers :crit, MEAS-002, D0 06:30, D0 14:30
        section Test hardening
        TEST-001 Fix the negative-amount bug in formatMoney :TEST-001, D0 14:30, D0 20:30
        TEST-002 Cover the signup validator's branches :crit, TEST-002, D0 20:30, D1 09:30
        TEST-003 Test RateLimiter.retryAfterMs and reset :TEST-003, D1 09:30, D1 19:00
        TEST-004 Test is_retryable_status in the worker :TEST-004, D0 14:30, D0 21:03
        section Security and static analysis
        SEC-001 Replace random with secrets for jitter (ruff S311) :SEC-001, D0 21:03, D1 03:03
        SEC-002 Add a SECURITY.md and a dependency-audit step to CI :SEC-002, D0 14:30, D0 22:30
        SEC-003 Review the validator for injection and length limits :SEC-003, D0 22:30, D1 11:48
        section Operability and release
        OPS-002 Wire shipgate into CI with the release gate and SARIF upload :OPS-002, D1 19:00, D2 01:33
        OPS-001 Structured logging and a /healthz route :crit, OPS-001, D1 19:00, D2 08:00
        REL-001 GO / NO-GO review and release notes :crit, REL-001, D2 08:00, D2 16:00
        section Milestones
        M1 D2 :milestone, D2 23:59, 0d
        M2 D7 :milestone, D7 23:59, 0d
      "
    `);
  });

  it("caps the tasks of a huge plan and says how many it left out", () => {
    const text = renderGanttMermaid(chartOf({ maxTasks: 2 }));
    expect(text).toContain("  %% 2 of 4 tasks left out: shown are the critical ones first, then the earliest to start\n");
    expect(text).not.toContain(":ui,");
  });

  it("writes backticks in titles as entities (three of them closed the status document's mermaid fence)", () => {
    const odd = { ...plan, tasks: [task("schema", "Fix ```the``` fence", "build", "claude")] };
    const text = renderGanttMermaid(analysed(odd).chart);
    expect(text).not.toContain("`");
    expect(text).toContain("#96;#96;#96;the#96;#96;#96;");
  });

  it("makes task ids Mermaid can read", () => {
    const odd = { ...plan, tasks: [task("a.b", "A", "build", "claude"), task("a_b", "B", "build", "claude")] };
    const text = renderGanttMermaid(ganttChart({ plan: odd, schedule: { ...schedule, tasks: [at("a.b", "claude", 0, 8, "2026-03-02", "2026-03-02"), at("a_b", "claude", 8, 16, "2026-03-03", "2026-03-03")] }, critical: new Set(), order: ["a.b", "a_b"] }));
    expect(text).toContain("  a.b A :a_b, 2026-03-02 00:00, 2026-03-03 00:00\n");
    expect(text).toContain("  a_b B :a_b_2, 2026-03-03 00:00, 2026-03-04 00:00\n");
  });
});

describe("renderGanttSvg", () => {
  const states = new Map<string, GanttState>([["schema", "done"], ["ui", "in_progress"], ["api", "blocked"]]);
  const svg = renderGanttSvg(chartOf({ states, today: "2026-03-04" }));
  const all = elements(svg);
  const groups = all.filter((e) => e.name === "g" && e.attributes.class?.startsWith("task"));

  it("is well-formed XML with bars in the plan order, critical ones outlined in red, owners coloured", () => {
    expect(all[0]?.name).toBe("svg");
    expect(groups.map((e) => e.attributes["data-task"])).toEqual(ORDER);
    const bars = all.filter((e) => e.name === "rect" && e.attributes.class === "bar");
    // api runs over a weekend: two segments.
    expect(bars).toHaveLength(5);
    expect(bars.map((b) => b.attributes.stroke)).toEqual(["#c62828", "#0006", "#c62828", "#c62828", "#c62828"]);
    expect(bars[0]?.attributes.fill).not.toBe(bars[1]?.attributes.fill);
  });

  it("draws done, in-progress and blocked tasks differently and says so next to the bar", () => {
    expect(groups.map((g) => g.attributes["data-state"])).toEqual(["done", "in_progress", "blocked", "pending"]);
    const bars = all.filter((e) => e.name === "rect" && e.attributes.class === "bar");
    expect(bars[0]?.attributes["fill-opacity"]).toBe("0.35");
    expect(bars[2]?.attributes.fill).toBe("url(#sg-hatch)");
    expect(all.some((e) => e.name === "rect" && e.attributes.fill === "url(#sg-stripes)")).toBe(true);
    const texts = all.filter((e) => e.name === "text").map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining(["✓ schema  Design the schema: tables; keys", "8 h · done", "8 h · in progress", "8 h · blocked", "8 h"]));
  });

  it("shades weekends, marks today and the milestones with their dates, and explains it all in the legend", () => {
    expect(all.filter((e) => e.name === "rect" && e.attributes.class === "weekend").length).toBeGreaterThanOrEqual(4);
    expect(all.find((e) => e.name === "g" && e.attributes.class === "today")?.attributes["data-date"]).toBe("2026-03-04");
    expect(all.filter((e) => e.name === "g" && e.attributes.class === "milestone").map((e) => [e.attributes["data-milestone"], e.attributes["data-date"]])).toEqual([["beta", "2026-03-11"], ["GA", "2026-03-20"]]);
    const texts = all.filter((e) => e.name === "text").map((e) => e.text);
    expect(texts).toEqual(expect.arrayContaining(["Shop <v2> & co — 2026-03-02 → 2026-03-13", "Build: the core", "Ship", "beta · 03-11", "today 2026-03-04"]));
    expect(texts).toEqual(expect.arrayContaining(["claude", "human", "critical", "✓ done", "in progress", "blocked / failed", "weekend", "milestone", "today"]));
  });

  it("is the same every time", () => {
    expect(renderGanttSvg(chartOf({ states, today: "2026-03-04" }))).toBe(svg);
  });

  it("caps the tasks shown and says so", () => {
    const capped = elements(renderGanttSvg(chartOf({ maxTasks: 3 })));
    expect(capped.filter((e) => e.name === "g" && e.attributes.class?.startsWith("task"))).toHaveLength(3);
    expect(capped.some((e) => e.name === "text" && e.text.startsWith("… 1 more tasks not shown"))).toBe(true);
  });
});
