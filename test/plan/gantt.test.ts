import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { ganttMermaid, ganttSvg } from "../../src/plan/gantt.js";
import type { Plan, PlanTask, Schedule, ScheduledTask } from "../../src/plan/types.js";

function task(id: string, title: string, phase: string, owner: string): PlanTask {
  return {
    id,
    title,
    phase,
    priority: "P1",
    owner,
    estimate: { optimistic: 8, likely: 8, pessimistic: 8 },
    dependsOn: [],
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

describe("ganttMermaid", () => {
  it("writes a section per phase and a line per task, critical ones tagged, titles escaped", () => {
    expect(ganttMermaid(plan, schedule, critical)).toMatchInlineSnapshot(`
      "gantt
        title Shop <v2> & co
        dateFormat YYYY-MM-DD
        section Build#58; the core
        Design the schema#58; tables#59; keys :crit, schema, 2026-03-02, 2026-03-04
        UI & "forms" :ui, 2026-03-02, 2026-03-05
        API #35;1 <routes> :crit, api, 2026-03-04, 2026-03-11
        section Ship
        Release :crit, release, 2026-03-11, 2026-03-14
        section Milestones
        beta :milestone, 2026-03-11, 0d
        GA :milestone, 2026-03-20, 0d
      "
    `);
  });

  it("caps the tasks of a huge plan, keeping critical ones, and says how many it left out", () => {
    const text = ganttMermaid(plan, schedule, critical, { maxTasks: 2 });
    expect(text).toContain("  %% 2 of 4 tasks left out: shown are the critical ones first, then the earliest to start\n");
    expect(text.split("\n").filter((line) => line.includes(":crit,"))).toHaveLength(2);
    expect(text).not.toContain(":ui,");
  });

  it("makes task ids Mermaid can read", () => {
    const odd = { ...plan, tasks: [task("a.b", "A", "build", "claude"), task("a_b", "B", "build", "claude")] };
    const text = ganttMermaid(odd, { ...schedule, tasks: [at("a.b", "claude", 0, 8, "2026-03-02", "2026-03-02"), at("a_b", "claude", 8, 16, "2026-03-03", "2026-03-03")] }, new Set());
    expect(text).toContain("  A :a_b, 2026-03-02, 2026-03-03\n");
    expect(text).toContain("  B :a_b_2, 2026-03-03, 2026-03-04\n");
  });
});

describe("ganttSvg", () => {
  const svg = ganttSvg(plan, schedule, critical);
  const all = elements(svg);

  it("is well-formed XML with a bar per task and the critical ones outlined in red", () => {
    expect(all[0]?.name).toBe("svg");
    const tasks = all.filter((e) => e.name === "g" && e.attributes.class?.startsWith("task"));
    expect(tasks.map((e) => e.attributes["data-task"])).toEqual(["schema", "ui", "api", "release"]);
    const bars = all.filter((e) => e.name === "rect" && e.attributes.class === "bar");
    expect(bars).toHaveLength(4);
    expect(bars.map((b) => b.attributes.stroke ?? "none")).toEqual(["#d62728", "none", "#d62728", "#d62728"]);
    // Same owner, same colour; different owners, different colours.
    expect(bars[0]?.attributes.fill).toBe(bars[2]?.attributes.fill);
    expect(bars[0]?.attributes.fill).not.toBe(bars[1]?.attributes.fill);
    // Bars are as long as their days: schema 2 days, api 5 working days over 7 calendar days.
    expect(Number(bars[2]?.attributes.width) / Number(bars[0]?.attributes.width)).toBe(3.5);
  });

  it("shows ids, titles (escaped), phase names, a date axis, milestones and a legend", () => {
    const texts = all.filter((e) => e.name === "text").map((e) => e.text);
    expect(texts).toContain("Shop <v2> & co — 2026-03-02 → 2026-03-13");
    expect(texts).toContain("Build: the core");
    expect(texts).toContain("Ship");
    expect(texts).toContain('ui UI & "forms"');
    expect(texts).toContain("api API #1 <routes>");
    expect(texts.filter((t) => /^\d{4}-\d{2}-\d{2}$/.test(t))).toEqual(["2026-03-02", "2026-03-09", "2026-03-16"]);
    expect(all.filter((e) => e.name === "g" && e.attributes.class === "milestone").map((e) => e.attributes["data-milestone"])).toEqual(["beta", "GA"]);
    expect(texts).toEqual(expect.arrayContaining(["claude", "human", "critical", "milestone"]));
  });

  it("is the same every time", () => {
    expect(ganttSvg(plan, schedule, critical)).toBe(svg);
  });

  it("caps the tasks shown and says so", () => {
    const capped = elements(ganttSvg(plan, schedule, critical, { maxTasks: 3 }));
    expect(capped.filter((e) => e.name === "rect" && e.attributes.class === "bar")).toHaveLength(3);
    expect(capped.some((e) => e.name === "text" && e.text.startsWith("… 1 more tasks not shown"))).toBe(true);
  });
});
