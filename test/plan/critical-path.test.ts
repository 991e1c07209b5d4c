import { describe, expect, it } from "vitest";
import { planCost } from "../../src/plan/cost.js";
import { criticalPath } from "../../src/plan/critical-path.js";
import { createReachability, findCycles, topoOrder } from "../../src/plan/graph.js";
import type { Plan, PlanAgent, PlanPhase, PlanTask } from "../../src/plan/types.js";

type Points = number | [number, number, number];

function task(id: string, estimate: Points, dependsOn: string[] = [], extra: Partial<PlanTask> = {}): PlanTask {
  const [o, m, p] = typeof estimate === "number" ? [estimate, estimate, estimate] : estimate;
  return { id, title: id, phase: "p", priority: "P2", owner: "a", estimate: { optimistic: o, likely: m, pessimistic: p }, dependsOn, files: [], reads: [], deliverables: [], acceptance: null, readyWhen: null, tags: [], ...extra };
}
function agent(id: string, ratePerHour: number | null, capacity = 8): PlanAgent {
  return { id, kind: "cli", command: null, ratePerHour, capacity, emails: [], branch: null };
}
function planOf(tasks: PlanTask[], options: { phases?: PlanPhase[]; agents?: PlanAgent[] } = {}): Plan {
  return {
    version: 1, project: null, start: null, commitConvention: "[{task}] {summary}",
    agents: options.agents ?? [agent("a", 10)],
    phases: options.phases ?? [{ id: "p", name: "P", start: null, dependsOn: [] }],
    tasks, risks: [], milestones: [],
  };
}

describe("criticalPath", () => {
  it("computes CPM on a textbook network with single-point estimates", () => {
    // A(3) → C(2), D(5); B(4), C → E(1); D, E → F(4). By hand: A–D–F = 12 is critical; B has 3 h of slack, C and E 2 h.
    const plan = planOf([task("A", 3), task("B", 4), task("C", 2, ["A"]), task("D", 5, ["A"]), task("E", 1, ["B", "C"]), task("F", 4, ["D", "E"])]);
    const result = criticalPath(plan);
    const table = Object.fromEntries(result.tasks.map((t) => [t.id, [t.earliestStart, t.earliestFinish, t.latestStart, t.latestFinish, t.slack, t.critical]]));
    expect(table).toEqual({
      A: [0, 3, 0, 3, 0, true],
      B: [0, 4, 3, 7, 3, false],
      C: [3, 5, 5, 7, 2, false],
      D: [3, 8, 3, 8, 0, true],
      E: [5, 6, 7, 8, 2, false],
      F: [8, 12, 8, 12, 0, true],
    });
    expect(result.critical).toEqual(["A", "D", "F"]);
    expect(result.project).toEqual({ expected: 12, sigma: 0, p80: 12, p95: 12 });
  });

  it("computes PERT figures and the project's confidence from the critical path", () => {
    // Expected (O+4M+P)/6: A 4, B 5.33, C 2, D 7, E 4, F 4; A–D–F = 15 is critical.
    // σ along it: √((4/6)² + 1² + 1²) = 1.5635; p80 = 15 + 0.8416σ, p95 = 15 + 1.6449σ.
    const plan = planOf([
      task("A", [2, 4, 6]),
      task("B", [3, 5, 9]),
      task("C", [1, 2, 3], ["A"]),
      task("D", [4, 7, 10], ["A"]),
      task("E", [2, 3, 10], ["B", "C"]),
      task("F", [1, 4, 7], ["D", "E"]),
    ]);
    const result = criticalPath(plan);
    expect(result.tasks.map((t) => [t.id, t.expected, t.sigma, t.slack])).toEqual([
      ["A", 4, 0.67, 0],
      ["B", 5.33, 1, 1.67],
      ["C", 2, 0.33, 1],
      ["D", 7, 1, 0],
      ["E", 4, 1.33, 1],
      ["F", 4, 1, 0],
    ]);
    expect(result.critical).toEqual(["A", "D", "F"]);
    expect(result.project).toEqual({ expected: 15, sigma: 1.56, p80: 16.32, p95: 17.57 });
  });

  it("honours the phase order: a task of a later phase starts after every task of the earlier one", () => {
    const phases: PlanPhase[] = [
      { id: "build", name: "Build", start: null, dependsOn: [] },
      { id: "ship", name: "Ship", start: null, dependsOn: ["build"] },
    ];
    const plan = planOf([task("B1", 2, [], { phase: "build" }), task("B2", 6, [], { phase: "build" }), task("S1", 1, [], { phase: "ship" })], { phases });
    const result = criticalPath(plan);
    expect(result.tasks.find((t) => t.id === "S1")).toMatchObject({ earliestStart: 6, critical: true });
    expect(result.tasks.find((t) => t.id === "B1")).toMatchObject({ slack: 4, critical: false });
    expect(result.critical).toEqual(["B2", "S1"]);
    expect(result.phases).toEqual({ build: { expected: 6, sigma: 0, p80: 6, p95: 6 }, ship: { expected: 1, sigma: 0, p80: 1, p95: 1 } });
  });

  it("passes the phase order through an empty phase", () => {
    const phases: PlanPhase[] = [
      { id: "a", name: "A", start: null, dependsOn: [] },
      { id: "empty", name: "E", start: null, dependsOn: ["a"] },
      { id: "c", name: "C", start: null, dependsOn: ["empty"] },
    ];
    const result = criticalPath(planOf([task("A1", 5, [], { phase: "a" }), task("C1", 1, [], { phase: "c" })], { phases }));
    expect(result.tasks[1]).toMatchObject({ id: "C1", earliestStart: 5 });
    expect(result.phases.empty).toEqual({ expected: 0, sigma: 0, p80: 0, p95: 0 });
  });

  it("returns zeros for a plan without tasks", () => {
    expect(criticalPath(planOf([]))).toEqual({ tasks: [], critical: [], project: { expected: 0, sigma: 0, p80: 0, p95: 0 }, phases: { p: { expected: 0, sigma: 0, p80: 0, p95: 0 } } });
  });

  it("handles a 100 000-task chain without recursion", () => {
    const tasks = Array.from({ length: 100_000 }, (_, i) => task(`T${i}`, 1, i === 0 ? [] : [`T${i - 1}`]));
    const result = criticalPath(planOf(tasks));
    expect(result.project.expected).toBe(100_000);
    expect(result.critical).toHaveLength(100_000);
  });
});

describe("planCost", () => {
  it("prices expected hours by the owner's rate; unknown rates make the sums null", () => {
    const plan = planOf([task("A", [2, 4, 6]), task("B", [3, 5, 9], [], { owner: "h" }), task("C", 2, [], { owner: "x", phase: "q" })], {
      agents: [agent("a", 10), agent("h", 6), agent("x", null)],
      phases: [{ id: "p", name: "P", start: null, dependsOn: [] }, { id: "q", name: "Q", start: null, dependsOn: [] }],
    });
    const cost = planCost(plan, criticalPath(plan));
    expect(cost.tasks).toEqual({ A: { hours: 4, cost: 40 }, B: { hours: 5.33, cost: 32 }, C: { hours: 2, cost: null } });
    expect(cost.agents).toEqual({ a: { hours: 4, cost: 40 }, h: { hours: 5.33, cost: 32 }, x: { hours: 2, cost: null } });
    expect(cost.phases).toEqual({ p: { hours: 9.33, cost: 72 }, q: { hours: 2, cost: null } });
    expect(cost.project).toEqual({ hours: 11.33, cost: null });
  });
});

describe("graph", () => {
  const deps = (map: Record<string, string[]>) => (id: string) => map[id] ?? [];

  it.each([
    ["no cycle", { a: ["b"], b: ["c"], c: [] }, []],
    ["a self-dependency", { a: ["a"] }, [["a"]]],
    ["a three-cycle, from its first id", { x: [], b: ["c"], c: ["d"], d: ["b"] }, [["b", "c", "d"]]],
    ["two separate cycles", { a: ["b"], b: ["a"], c: ["d"], d: ["c"] }, [["a", "b"], ["c", "d"]]],
    ["the shortest way round a tangle", { a: ["b", "c"], b: ["c"], c: ["a"] }, [["a", "c"]]],
    ["unknown ids ignored", { a: ["zzz"] }, []],
  ])("findCycles: %s", (_name, map, expected) => {
    expect(findCycles(Object.keys(map), deps(map))).toEqual(expected);
  });

  it("finds a cycle through 100 000 nodes without recursion", () => {
    const ids = Array.from({ length: 100_000 }, (_, i) => `T${i}`);
    const cycles = findCycles(ids, (id) => [`T${(Number(id.slice(1)) + 1) % 100_000}`]);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(100_000);
  });

  it("orders ids after their dependencies and reports what a cycle keeps out", () => {
    expect(topoOrder(["c", "b", "a"], deps({ c: ["b"], b: ["a"] }))).toEqual({ order: ["a", "b", "c"], cycles: [] });
    expect(topoOrder(["a", "b", "c", "d"], deps({ b: ["c"], c: ["b"], d: ["c"] }))).toEqual({ order: ["a"], cycles: [["b", "c"]] });
  });

  it("answers dependsOn like a plain search, on a random plan-shaped DAG", () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x80000000);
    const n = 1500;
    const phases: PlanPhase[] = [
      { id: "p", name: "P", start: null, dependsOn: [] },
      { id: "q", name: "Q", start: null, dependsOn: ["p"] },
      { id: "r", name: "R", start: null, dependsOn: [] },
    ];
    const tasks = Array.from({ length: n }, (_, i) => {
      const d = i === 0 ? [] : Array.from({ length: Math.floor(random() * 3) }, () => `T${Math.max(0, i - 1 - Math.floor(random() * 200))}`);
      return task(`T${i}`, 1, [...new Set(d)], { phase: i < 500 ? "p" : i < 1000 ? "q" : "r" });
    });
    const plan = planOf(tasks, { phases });
    // Reference: a plain search over depends_on and the phase order (q's tasks depend on all of p's).
    const byId = new Map(tasks.map((t) => [t.id, t]));
    const slow = (a: string, b: string): boolean => {
      const seen = new Set<string>([a]);
      const stack = [a];
      while (stack.length > 0) {
        const t = byId.get(stack.pop() as string) as PlanTask;
        const next = [...t.dependsOn, ...(t.phase === "q" ? tasks.filter((x) => x.phase === "p").map((x) => x.id) : [])];
        for (const w of next) {
          if (w === b) return true;
          if (!seen.has(w)) {
            seen.add(w);
            stack.push(w);
          }
        }
      }
      return false;
    };
    const reach = createReachability(plan);
    let yes = 0;
    for (let q = 0; q < 3000; q++) {
      const a = `T${Math.floor(random() * n)}`;
      const b = `T${Math.floor(random() * n)}`;
      const expected = a !== b && slow(a, b);
      if (expected) yes++;
      expect(reach.dependsOn(a, b), `${a} depends on ${b}`).toBe(expected);
    }
    expect(yes).toBeGreaterThan(300);
    expect(reach.dependsOn("T600", "T10")).toBe(true);
    expect(reach.dependsOn("T10", "T600")).toBe(false);
    expect(reach.dependsOn("T1", "nope")).toBe(false);
  });
});
