import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parsePlan } from "../../src/config/load-plan.js";
import { analyzePlan } from "../../src/plan/analyze.js";
import { ganttChart } from "../../src/plan/gantt.js";
import { phaseOrder, planOrder } from "../../src/plan/order.js";
import type { Plan, PlanTask } from "../../src/plan/types.js";
import type { TaskRecord } from "../../src/store/types.js";
import { renderHandoff, renderStatus } from "../../src/report/plan-docs.js";
import { renderGanttMermaid } from "../../src/report/plan-gantt-mermaid.js";
import { renderGanttSvg } from "../../src/report/plan-gantt-svg.js";
import { renderPlanShow } from "../../src/report/plan-text.js";

const DEMO = fileURLToPath(new URL("../../examples/demo/shipgate.plan.yaml", import.meta.url));
const demoText = readFileSync(DEMO, "utf8");
const demo = () => parsePlan(demoText, "shipgate.plan.yaml", "yaml");

function task(id: string, extra: Partial<PlanTask> = {}): PlanTask {
  return { id, title: `Task ${id}`, phase: "p", priority: "P2", owner: "a", estimate: { optimistic: 1, likely: 1, pessimistic: 1 }, dependsOn: [], files: [], reads: [], deliverables: [], acceptance: null, readyWhen: null, tags: [], ...extra };
}
function planOf(tasks: PlanTask[], phases: Plan["phases"] = [{ id: "p", name: "P", start: null, dependsOn: [] }]): Plan {
  const owners = [...new Set(tasks.map((t) => t.owner))];
  return {
    version: 1, project: "order", start: "2026-03-02", commitConvention: "[{task}] {summary}",
    agents: owners.map((id) => ({ id, kind: "cli", command: null, ratePerHour: null, capacity: 8, emails: [], branch: null })),
    phases, tasks, risks: [], milestones: [],
  };
}
const ids = (plan: Plan) => planOrder(plan).map((t) => t.id);

/** The demo plan with its tasks listed backwards: file order opposite to dependency order. */
function reversedDemo(): Plan {
  const plan = demo();
  return { ...plan, tasks: [...plan.tasks].reverse() };
}

/** Every task after every task it waits for (depends_on, and every task of the phases its phase waits for). */
function expectDependenciesFirst(plan: Plan, sequence: string[], view: string): void {
  const at = new Map(sequence.map((id, i) => [id, i]));
  const phaseDeps = new Map(plan.phases.map((p) => [p.id, p.dependsOn]));
  const phaseClosure = (phase: string): Set<string> => {
    const seen = new Set<string>();
    const stack = [...(phaseDeps.get(phase) ?? [])];
    while (stack.length > 0) {
      const p = stack.pop() as string;
      if (!seen.has(p)) {
        seen.add(p);
        stack.push(...(phaseDeps.get(p) ?? []));
      }
    }
    return seen;
  };
  for (const t of plan.tasks) {
    if (!at.has(t.id)) continue;
    const before = [...t.dependsOn, ...plan.tasks.filter((o) => phaseClosure(t.phase).has(o.phase)).map((o) => o.id)];
    for (const d of before) if (at.has(d)) expect(at.get(d), `${view}: ${d} must come before ${t.id}`).toBeLessThan(at.get(t.id) as number);
  }
}

/** The sequence each view lists, read back from what it renders. */
function views(plan: Plan) {
  const analysis = analyzePlan(plan, { today: "2026-03-02" });
  const states = new Map<string, TaskRecord>();
  const input = { plan, analysis, states, planFile: "shipgate.plan.yaml", today: "2026-03-02" };
  const show = renderPlanShow(plan, analysis, states, { color: false }).split("\n").slice(1).map((l) => l.split(/\s+/)[0] as string);
  const chart = ganttChart({ plan, schedule: analysis.schedule, critical: new Set(analysis.timing.critical), order: analysis.order });
  const mermaid = [...renderGanttMermaid(chart).matchAll(/^ {2}\S.* :(?:crit, )?(?:done, |active, )?([\w-]+), \d{4}-/gm)].map((m) => m[1] as string).filter((id) => id !== "milestone");
  const svg = [...renderGanttSvg(chart).matchAll(/data-task="([^"]+)"/g)].map((m) => m[1] as string);
  const handoff = Object.fromEntries(plan.agents.map((a) => [a.id, [...renderHandoff(a.id, input).matchAll(/^### (\S+) — /gm)].map((m) => m[1] as string)]));
  const status = renderStatus(input);
  const tracks = status.slice(status.indexOf("## Tracks"), status.indexOf("## File ownership"));
  const byTrack = Object.fromEntries(
    tracks.split("\n### ").slice(1).map((block) => [block.split(" ")[0] as string, [...block.matchAll(/^\| [^|]* \| (\S+) /gm)].map((m) => m[1] as string).filter((id) => id !== "Task" && id !== "---")]),
  );
  return { order: analysis.order, show, mermaid, svg, handoff, status: byTrack };
}

describe("planOrder", () => {
  it("puts every task after the tasks it depends on, whatever the file order", () => {
    const plan = planOf([task("T3", { dependsOn: ["T2"] }), task("T2", { dependsOn: ["T1"] }), task("T1")]);
    expect(ids(plan)).toEqual(["T1", "T2", "T3"]);
  });

  it("takes phases in their order, then priority, then least slack, then ids as people read them", () => {
    const phases = [
      { id: "late", name: "Late", start: null, dependsOn: ["early"] },
      { id: "early", name: "Early", start: null, dependsOn: [] },
    ];
    const plan = planOf(
      [
        task("L1", { phase: "late", priority: "P0" }),
        task("T10", { phase: "early" }),
        task("T9", { phase: "early" }),
        task("URGENT", { phase: "early", priority: "P0" }),
        // Same priority: LONG makes the chain from T2, so T2 has no slack and goes before T10.
        task("T2", { phase: "early", owner: "b" }),
        task("LONG", { phase: "early", owner: "b", dependsOn: ["T2"], estimate: { optimistic: 9, likely: 9, pessimistic: 9 } }),
      ],
      phases,
    );
    expect([...phaseOrder(plan)]).toEqual([["early", 0], ["late", 1]]);
    expect(ids(plan)).toEqual(["URGENT", "T2", "LONG", "T9", "T10", "L1"]);
  });

  it("lets a dependency pull a task of a later phase forward, and keeps the rest phase by phase", () => {
    const phases = [
      { id: "one", name: "One", start: null, dependsOn: [] },
      { id: "two", name: "Two", start: null, dependsOn: [] },
    ];
    const plan = planOf([task("A", { phase: "one", dependsOn: ["Z"] }), task("B", { phase: "one" }), task("Z", { phase: "two" }), task("Y", { phase: "two" })], phases);
    expect(ids(plan)).toEqual(["B", "Z", "A", "Y"]);
  });

  it("is the same sequence for the demo plan whether its tasks are listed forwards or backwards", () => {
    expect(ids(reversedDemo())).toEqual(ids(demo()));
    expect(ids(demo())).toMatchInlineSnapshot(`
      [
        "MEAS-001",
        "MEAS-002",
        "TEST-001",
        "TEST-002",
        "TEST-003",
        "TEST-004",
        "SEC-001",
        "SEC-002",
        "SEC-003",
        "OPS-002",
        "OPS-001",
        "REL-001",
      ]
    `);
  });
});

describe("every view lists tasks in the plan order", () => {
  it.each([
    ["the demo plan", demo],
    ["the demo plan listed backwards (file order against dependency order)", reversedDemo],
  ])("%s: plan show, the Gantt chart (Mermaid and SVG), each handoff and each status track agree", (_name, make) => {
    const plan = make();
    const v = views(plan);
    expect(v.order).toEqual(ids(demo()));
    expect(v.show).toEqual(v.order);
    expect(v.mermaid).toEqual(v.order);
    expect(v.svg).toEqual(v.order);
    for (const agent of plan.agents) {
      const mine = v.order.filter((id) => plan.tasks.find((t) => t.id === id)?.owner === agent.id);
      expect(v.handoff[agent.id], `handoff ${agent.id}`).toEqual(mine);
      expect(v.status[agent.id], `status track ${agent.id}`).toEqual(mine);
    }
  });

  it.each([
    ["plan show", "show"],
    ["the Mermaid Gantt", "mermaid"],
    ["the SVG Gantt", "svg"],
  ] as const)("regression: %s never lists a task before one it depends on", (_name, key) => {
    for (const plan of [demo(), reversedDemo()]) expectDependenciesFirst(plan, views(plan)[key], key);
  });

  it("regression: a handoff never lists a task before one it waits for (it sorted by priority: OPS-002 (P0) came before SEC-001 it waits for through the phase order)", () => {
    for (const plan of [demo(), reversedDemo()]) {
      const v = views(plan);
      for (const agent of plan.agents) expectDependenciesFirst(plan, v.handoff[agent.id] as string[], `handoff ${agent.id}`);
      expect(v.handoff.claude).toEqual(["MEAS-001", "TEST-004", "SEC-001", "OPS-002"]);
    }
  });

  it("regression: a status track never lists a task before one it waits for", () => {
    for (const plan of [demo(), reversedDemo()]) {
      const v = views(plan);
      for (const agent of plan.agents) expectDependenciesFirst(plan, v.status[agent.id] as string[], `status ${agent.id}`);
    }
  });
});
