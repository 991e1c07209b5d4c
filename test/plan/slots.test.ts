import { describe, expect, it } from "vitest";
import { collides, createOverlapCheck, planWaves, retryDelayMs, selectStartable, unitHash, type WaveTask } from "../../src/plan/slots.js";

const overlap = createOverlapCheck();
const t = (id: string, owner: string, files: string[] = [], reads: string[] = [], extra: Partial<WaveTask> = {}): WaveTask => ({ id, owner, files, reads, phase: "p", dependsOn: [], ...extra });
const limits = (perAgent: Record<string, number> = {}, total: number | null = null) => ({ perAgent: new Map(Object.entries(perAgent)), total });

describe("collides", () => {
  it.each([
    ["files overlap (a glob and a path)", t("a", "x", ["src/**"]), t("b", "y", ["src/app.ts"]), true],
    ["a reader of a writer's files", t("a", "x", [], ["docs/*.md"]), t("b", "y", ["docs/api.md"]), true],
    ["a writer of a reader's files", t("a", "x", ["docs/api.md"]), t("b", "y", [], ["docs/**"]), true],
    ["two readers of one file", t("a", "x", [], ["README.md"]), t("b", "y", [], ["README.md"]), false],
    ["disjoint files", t("a", "x", ["src/a/**"]), t("b", "y", ["src/b/**"]), false],
    ["tasks that declare no files", t("a", "x"), t("b", "y"), false],
  ])("%s", (_name, a, b, expected) => {
    expect(collides(a, b, overlap)).toBe(expected);
    expect(collides(b, a, overlap)).toBe(expected);
  });
});

describe("selectStartable", () => {
  it("takes ready tasks in order, skipping those that collide with running or already taken ones", () => {
    const ready = [t("a", "x", ["src/**"]), t("b", "y", ["src/b.ts"]), t("c", "y", ["docs/**"]), t("d", "z", [], ["docs/x.md"])];
    const { start, held } = selectStartable(ready, [], limits({ x: 1, y: 2, z: 1 }), overlap);
    expect(start.map((s) => s.id)).toEqual(["a", "c"]);
    expect(held).toEqual([
      { id: "b", reason: { kind: "collides", with: "a" } },
      { id: "d", reason: { kind: "collides", with: "c" } },
    ]);
  });

  it("respects each agent's max_parallel (default 1) and the overall limit, counting running tasks", () => {
    const ready = [t("a", "x"), t("b", "x"), t("c", "y"), t("d", "z")];
    expect(selectStartable(ready, [t("r", "y")], limits({ x: 2 }), overlap).start.map((s) => s.id)).toEqual(["a", "b", "d"]);
    const { start, held } = selectStartable(ready, [t("r", "w")], limits({ x: 2 }, 3), overlap);
    expect(start.map((s) => s.id)).toEqual(["a", "b"]);
    expect(held.map((h) => h.reason.kind)).toEqual(["total-limit", "total-limit"]);
  });
});

describe("selectStartable with tasks other processes run", () => {
  it("holds back a task that collides with another worker's, without counting that one against any limit", () => {
    const { start, held } = selectStartable([t("a", "x", ["src/**"]), t("b", "x", ["docs/**"])], [], limits({ x: 1 }), overlap, [t("w", "y", ["src/app.ts"])]);
    expect(start.map((s) => s.id)).toEqual(["b"]);
    expect(held).toEqual([{ id: "a", reason: { kind: "collides", with: "w" } }]);
  });
});

describe("retryDelayMs", () => {
  it("doubles from 2 s, is capped at 60 s, and is jittered into [half, full)", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 10].map((n) => retryDelayMs(n, 0.999999))).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000]);
    expect([1, 2, 6].map((n) => retryDelayMs(n, 0))).toEqual([1000, 2000, 30000]);
  });

  it("derives the same jitter in every process from the task and attempt", () => {
    expect(unitHash("T1#2")).toBe(unitHash("T1#2"));
    expect(unitHash("T1#2")).not.toBe(unitHash("T1#3"));
    for (const s of ["", "a", "T-99#1", "ü"]) {
      expect(unitHash(s)).toBeGreaterThanOrEqual(0);
      expect(unitHash(s)).toBeLessThan(1);
    }
  });
});

describe("planWaves", () => {
  it("groups tasks into waves by dependencies, phases, collisions and limits; says why the rest never runs", () => {
    const tasks = [
      t("a", "x", ["src/a.ts"]),
      t("b", "y", ["src/**"]),
      t("c", "x", ["src/c.ts"], [], { dependsOn: ["a"] }),
      t("h", "ann", ["CHANGELOG.md"]),
      t("d", "y", [], [], { dependsOn: ["h"] }),
      t("e", "x", [], [], { phase: "ship" }),
      t("f", "y", [], [], { dependsOn: ["done-before"] }),
    ];
    const state = (id: string) => (id === "done-before" ? "done" : "pending");
    const waves = planWaves([...tasks, t("done-before", "x")], state, { ship: ["p"] }, (o) => o !== "ann", limits({ x: 1, y: 1 }), overlap);
    expect(waves).toEqual({
      waves: [["a", "f"], ["b"], ["c"]],
      left: [
        { id: "h", reason: "ann's task: not run by shipgate here" },
        { id: "d", reason: "waits for h" },
        { id: "e", reason: "waits for phase p" },
      ],
    });
  });
});
