import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CORE_SCHEMA, load } from "js-yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { MAX_CONFLICTS, findConflicts, MATRIX_MAX_ROWS } from "../../src/plan/conflicts.js";
import { globsOverlap } from "../../src/plan/glob-overlap.js";
import type { FileConflict, Plan, PlanAgent, PlanTask } from "../../src/plan/types.js";
import { OVERLAP_CASES } from "./overlap-cases.js";

const GEN = fileURLToPath(new URL("../support/generate.mjs", import.meta.url));
const SCRATCH = fileURLToPath(new URL("../../.test-tmp/", import.meta.url));

const agent = (id: string): PlanAgent => ({ id, kind: "cli", command: null, ratePerHour: null, capacity: 8, emails: [], branch: null });

function task(id: string, owner: string, files: string[], extra: Partial<PlanTask> = {}): PlanTask {
  return {
    id,
    title: `Task ${id}`,
    phase: "build",
    priority: "P1",
    owner,
    estimate: { optimistic: 1, likely: 2, pessimistic: 3 },
    dependsOn: [],
    files,
    reads: [],
    deliverables: [],
    acceptance: null,
    readyWhen: null,
    tags: [],
    ...extra,
  };
}

function planOf(tasks: PlanTask[], phases = ["build"]): Plan {
  const owners = [...new Set(tasks.map((t) => t.owner))];
  return {
    version: 1,
    project: "demo",
    start: null,
    commitConvention: "[{task}] {summary}",
    agents: owners.map(agent),
    phases: phases.map((id) => ({ id, name: id, start: null, dependsOn: [] })),
    tasks,
    risks: [],
    milestones: [],
  };
}

/**
 * `a` depends on `b`, directly or transitively, as a graph module would answer it: a depth-first search
 * from `a` that skips whatever comes before `b` in a topological order (it cannot lead to `b`), memoized.
 */
function dependsOnOf(plan: Plan): (a: string, b: string) => boolean {
  const index = new Map(plan.tasks.map((t, i) => [t.id, i]));
  const deps = plan.tasks.map((t) => t.dependsOn.map((d) => index.get(d)).filter((d) => d !== undefined));
  // Kahn's algorithm: dependencies get lower positions than their dependents.
  const dependents = plan.tasks.map((): number[] => []);
  const waiting = deps.map((d) => d.length);
  deps.forEach((list, i) => list.forEach((d) => dependents[d]?.push(i)));
  const position = new Array<number>(plan.tasks.length).fill(0);
  const queue = waiting.flatMap((n, i) => (n === 0 ? [i] : []));
  for (let q = 0; q < queue.length; q++) {
    const node = queue[q] as number;
    position[node] = q;
    for (const next of dependents[node] ?? []) if (--(waiting[next] as number) === 0) queue.push(next);
  }
  const memo = new Map<string, boolean>();
  return (a, b) => {
    const key = `${a}\0${b}`;
    let answer = memo.get(key);
    if (answer !== undefined) return answer;
    const from = index.get(a);
    const to = index.get(b);
    answer = false;
    if (from !== undefined && to !== undefined) {
      const floor = position[to] as number;
      const seen = new Set([from]);
      const stack = [from];
      while (stack.length > 0 && !answer) {
        for (const d of deps[stack.pop() as number] ?? []) {
          if (d === to) answer = true;
          else if ((position[d] as number) > floor && !seen.has(d)) {
            seen.add(d);
            stack.push(d);
          }
        }
      }
    }
    memo.set(key, answer);
    return answer;
  };
}

const analyze = (plan: Plan, repoFiles?: string[]) => findConflicts(plan, { dependsOn: dependsOnOf(plan), ...(repoFiles ? { repoFiles } : {}) });
const brief = (c: FileConflict) => `${c.kind} ${c.a.task}:${c.a.pattern} × ${c.b.task}:${c.b.pattern} e.g. ${c.example}`;

describe("findConflicts: when two patterns overlap", () => {
  // Two parallel tasks of different owners: A writes `a`, B writes `b`; the index must meet every pair that overlaps.
  it.each(OVERLAP_CASES)("$name: $a × $b", ({ a, b, example }) => {
    const report = analyze(planOf([task("A", "alice", [a]), task("B", "bob", [b])]));
    expect(report.conflicts.map((c) => c.example)).toEqual(example === null ? [] : [example]);
  });

  it("prefers an existing file of the repository as the example", () => {
    const plan = planOf([task("A", "alice", ["src/**/*.ts"]), task("B", "bob", ["src/*/index.ts"])]);
    expect(analyze(plan).conflicts[0]?.example).toBe("src/x/index.ts");
    expect(analyze(plan, ["README.md", "src/a.ts", "src-old/q/index.ts", "src/b/index.ts", "src/c/index.ts"]).conflicts[0]?.example).toBe("src/b/index.ts");
  });
});

describe("findConflicts: which pairs of tasks", () => {
  it("never reports tasks that depend on each other, even transitively", () => {
    const plan = planOf([
      task("A", "alice", ["src/shared.ts"]),
      task("B", "bob", ["src/other.ts"], { dependsOn: ["A"] }),
      task("C", "carol", ["src/**"], { dependsOn: ["B"] }),
    ]);
    const calls: string[] = [];
    const dependsOn = dependsOnOf(plan);
    const report = findConflicts(plan, { dependsOn: (a, b) => (calls.push(`${a}>${b}`), dependsOn(a, b)) });
    expect(report.conflicts).toEqual([]);
    // Asked only about pairs whose files overlap: A and B share nothing.
    expect(calls.sort()).toEqual(["A>C", "B>C", "C>A", "C>B"]);
  });

  it("never reports two tasks of the same owner", () => {
    const report = analyze(planOf([task("A", "alice", ["src/a.ts"]), task("B", "alice", ["src/**"]), task("C", "bob", ["lib/x.ts"])]));
    expect(report.conflicts).toEqual([]);
  });

  it("reports a read of what a parallel task writes as read-after-write, writer first", () => {
    const report = analyze(
      planOf([
        task("R", "alice", ["docs/guide.md"], { reads: ["src/api/**"] }),
        task("W", "bob", ["src/api/routes.ts"]),
        task("Q", "carol", ["docs/faq.md"], { reads: ["src/api/routes.ts", "docs/guide.md"] }),
      ]),
    );
    expect(report.conflicts.map(brief)).toEqual([
      "read-after-write R:docs/guide.md × Q:docs/guide.md e.g. docs/guide.md",
      "read-after-write W:src/api/routes.ts × R:src/api/** e.g. src/api/routes.ts",
      "read-after-write W:src/api/routes.ts × Q:src/api/routes.ts e.g. src/api/routes.ts",
    ]);
  });

  it("ignores two reads of the same file, and a task's own reads of what it writes", () => {
    const report = analyze(
      planOf([task("A", "alice", ["a.ts"], { reads: ["shared.ts", "a.ts"] }), task("B", "bob", ["b.ts"], { reads: ["shared.ts"] })]),
    );
    expect(report.conflicts).toEqual([]);
  });
});

describe("findConflicts: matrix and summary", () => {
  it("gives the matrix and summary of a small 3-agent plan", () => {
    const plan = planOf(
      [
        task("api", "claude", ["src/api/**", "package.json"], { phase: "build" }),
        task("web", "codex", ["src/web/**", "package.json"], { phase: "build", reads: ["src/api/types.ts"] }),
        task("docs", "human", ["docs/**"], { phase: "build", reads: ["src/**"] }),
        task("release", "human", ["CHANGELOG.md", "package.json"], { phase: "ship", dependsOn: ["api", "web", "docs"] }),
        task("notes", "claude", ["docs/release-notes.md"], { phase: "ship", dependsOn: ["docs"] }),
      ],
      ["build", "ship"],
    );
    const report = analyze(plan);
    expect(report.conflicts.map(brief)).toEqual([
      "write-write api:package.json × web:package.json e.g. package.json",
      "read-after-write api:src/api/** × web:src/api/types.ts e.g. src/api/types.ts",
      "read-after-write api:src/api/** × docs:src/** e.g. src/api/x",
      "read-after-write web:src/web/** × docs:src/** e.g. src/web/x",
    ]);
    expect(report.conflicts.map((c) => c.phase)).toEqual(["build", "build", "build", "build"]);
    expect(report.matrix).toEqual({
      build: {
        files: ["src/api/**", "package.json", "src/web/**", "src/api/types.ts", "docs/**", "src/**"],
        agents: ["claude", "codex", "human"],
        cells: {
          "src/api/**": { claude: "W!" },
          "package.json": { claude: "W!", codex: "W!" },
          "src/web/**": { codex: "W!" },
          "src/api/types.ts": { codex: "R!" },
          "docs/**": { human: "W" },
          "src/**": { human: "R!" },
        },
        omitted: 0,
      },
      ship: {
        files: ["CHANGELOG.md", "package.json", "docs/release-notes.md"],
        agents: ["claude", "human"],
        cells: { "CHANGELOG.md": { human: "W" }, "package.json": { human: "W" }, "docs/release-notes.md": { claude: "W" } },
        omitted: 0,
      },
    });
    // Distinct `files` patterns: src/api/**, package.json, src/web/**, docs/**, CHANGELOG.md, docs/release-notes.md.
    expect(report.summary).toEqual({ files: 6, overlapping: 3 });
  });

  it("caps the rows of a big phase, keeping the conflicting ones and saying how many it left out", () => {
    const tasks = Array.from({ length: 300 }, (_, i) => task(`T${i}`, i % 2 ? "a" : "b", [`src/f${i}.ts`]));
    tasks.push(task("X", "c", ["src/f299.ts"]));
    const m = analyze(planOf(tasks)).matrix.build;
    expect(m?.files).toHaveLength(MATRIX_MAX_ROWS);
    expect(m?.omitted).toBe(300 - MATRIX_MAX_ROWS);
    expect(m?.files[0]).toBe("src/f0.ts");
    expect(m?.cells["src/f299.ts"]).toEqual({ a: "W!", c: "W!" });
  });
});

/** Reads a generated plan into the Plan model (snake_case keys; estimates as in the file). */
function planFromYaml(text: string): Plan {
  interface RawTask {
    id: string;
    title: string;
    phase: string;
    priority: PlanTask["priority"];
    owner: string;
    estimate: PlanTask["estimate"];
    depends_on?: string[];
    files?: string[];
    reads?: string[];
  }
  const raw = load(text, { schema: CORE_SCHEMA }) as { project: string; agents: { id: string }[]; phases: { id: string; name: string }[]; tasks: RawTask[] };
  return {
    version: 1,
    project: raw.project,
    start: null,
    commitConvention: "[{task}] {summary}",
    agents: raw.agents.map((a) => agent(a.id)),
    phases: raw.phases.map((p) => ({ id: p.id, name: p.name, start: null, dependsOn: [] })),
    tasks: raw.tasks.map((t) => ({
      id: t.id,
      title: t.title,
      phase: t.phase,
      priority: t.priority,
      owner: t.owner,
      estimate: t.estimate,
      dependsOn: t.depends_on ?? [],
      files: t.files ?? [],
      reads: t.reads ?? [],
      deliverables: [],
      acceptance: null,
      readyWhen: null,
      tags: [],
    })),
    risks: [],
    milestones: [],
  };
}

/** Every pair of tasks, compared without any index: what the index must find. */
function bruteForce(plan: Plan, dependsOn: (a: string, b: string) => boolean): string[] {
  const overlaps = new Map<string, boolean>();
  const overlap = (p: string, q: string) => {
    let answer = overlaps.get(`${p}\0${q}`);
    if (answer === undefined) overlaps.set(`${p}\0${q}`, (answer = p === q || globsOverlap(p, q) !== null));
    return answer;
  };
  const out: string[] = [];
  const { tasks } = plan;
  for (let i = 0; i < tasks.length; i++) {
    for (let j = i + 1; j < tasks.length; j++) {
      const x = tasks[i] as PlanTask;
      const y = tasks[j] as PlanTask;
      if (x.owner === y.owner) continue;
      const found: string[] = [];
      for (const [w, other] of [[x, y], [y, x]] as const) {
        for (const pw of w.files) {
          if (w === x) for (const py of y.files) if (overlap(pw, py)) found.push(`write-write ${x.id}:${pw} × ${y.id}:${py}`);
          for (const pr of other.reads) {
            if (!other.files.includes(pr) && overlap(pw, pr)) found.push(`read-after-write ${w.id}:${pw} × ${other.id}:${pr}`);
          }
        }
      }
      if (found.length > 0 && !dependsOn(x.id, y.id) && !dependsOn(y.id, x.id)) out.push(...found);
    }
  }
  return out.sort();
}

const key = (c: FileConflict) => `${c.kind} ${c.a.task}:${c.a.pattern} × ${c.b.task}:${c.b.pattern}`;

describe("findConflicts on a generated 20 000-task plan", () => {
  let plan: Plan;
  let dependsOn: (a: string, b: string) => boolean;

  beforeAll(() => {
    mkdirSync(SCRATCH, { recursive: true });
    const file = `${SCRATCH}plan-20000.yaml`;
    execFileSync(process.execPath, [GEN, "plan", file, "20000"]);
    plan = planFromYaml(readFileSync(file, "utf8"));
    dependsOn = dependsOnOf(plan);
  });

  it("finishes, and reports on a 500-task slice exactly the pairs a brute-force check finds", () => {
    const report = findConflicts(plan, { dependsOn });
    expect(report.conflicts.length).toBeGreaterThan(50);
    expect(report.summary.files).toBeGreaterThan(15_000);
    for (const c of report.conflicts) expect(c.a.pattern).toBe(c.b.pattern); // one literal file per task

    // Tasks 5000…5499 of the whole plan (their dependencies reach outside the slice: same dependsOn).
    const slice = new Set(plan.tasks.slice(5000, 5500).map((t) => t.id));
    const inSlice = report.conflicts.filter((c) => slice.has(c.a.task) && slice.has(c.b.task)).map(key).sort();
    const sliced = { ...plan, tasks: plan.tasks.filter((t) => slice.has(t.id)) };
    expect(inSlice).toEqual(bruteForce(sliced, dependsOn));
  });

  it("finds on a 500-task slice with globs and reads exactly what a brute-force check finds", () => {
    // The first 500 tasks (their dependencies stay inside), some writing directories, some reading globs.
    const globs = ["src/core/**", "src/*/core_*.ts", "src/{api,web}/**/*.ts", "src/**/auth_1*.ts", "**/*_7.ts", "src/[a-c]*/*"];
    const tasks = plan.tasks.slice(0, 500).map((t, i) => {
      if (i % 17 === 0) return { ...t, files: [globs[i % globs.length] as string] };
      if (i % 11 === 0) return { ...t, reads: [globs[(i + 3) % globs.length] as string, plan.tasks[i + 1]?.files[0] ?? "x"] };
      return t;
    });
    const small = { ...plan, tasks };
    const smallDependsOn = dependsOnOf(small);
    const report = findConflicts(small, { dependsOn: smallDependsOn });
    const expected = bruteForce(small, smallDependsOn);
    expect(expected.length).toBeGreaterThan(100);
    expect(report.conflicts.map(key).sort()).toEqual(expected);
  });
});

describe("findConflicts: many tasks on one file", () => {
  it("regression: stops listing at MAX_CONFLICTS and says the report is truncated (300 parallel tasks writing package.json)", () => {
    const plan = planOf(Array.from({ length: 300 }, (_, i) => task(`T${i}`, `agent-${i}`, ["package.json"])));
    plan.agents = Array.from({ length: 300 }, (_, i) => agent(`agent-${i}`));
    const report = findConflicts(plan, { dependsOn: () => false });
    expect(report.truncated).toBe(true);
    expect(report.conflicts).toHaveLength(MAX_CONFLICTS);
    expect(report.summary).toEqual({ files: 1, overlapping: 1 });
    const small = findConflicts(planOf([task("A", "x", ["a.ts"]), task("B", "y", ["a.ts"])]), { dependsOn: () => false });
    expect(small.truncated).toBe(false);
  });
});
