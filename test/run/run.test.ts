import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, shipgate } from "../cli/run-cli.js";
import { isRunning, waitForFile } from "../exec/processes.js";
import { events, fakeAgent, git, makeProject, runsOf, start } from "./project.js";

const states = (dir: string) => Object.fromEntries((JSON.parse(shipgate(["task", "list", "--json", "--cwd", dir]).stdout) as { id: string; state: string }[]).map((t) => [t.id, t.state]));
const tracked = (dir: string) => git(dir, "ls-files").trim().split("\n").sort();

describe("shipgate run", () => {
  it("runs a plan of 12 tasks to done in worktrees, merged into main, never two overlapping tasks at once", { timeout: 120_000 }, () => {
    const tasks = [
      ...Array.from({ length: 10 }, (_, i) => ({ id: `T${i + 1}`, owner: i % 2 === 0 ? "claude" : "codex", files: [`src/t${i + 1}.txt`], dependsOn: i >= 2 ? [`T${i}`] : undefined })),
      // Two tasks of different agents on one file: they may never run at the same time.
      { id: "S1", owner: "claude", files: ["src/shared/**"] },
      { id: "S2", owner: "codex", files: ["src/shared/config.txt"], acceptance: "test -f src/shared/config.txt" },
    ];
    const { dir, recipes, marks } = makeProject({ agents: [{ id: "claude", kind: "cli", maxParallel: 2 }, { id: "codex", kind: "cli", maxParallel: 2 }], tasks });
    const recipe: Record<string, unknown[]> = {};
    for (const t of tasks) recipe[t.id] = [{ write: { [t.files[0]!.replace("**", "a.txt")]: `${t.id}\n` }, sleepMs: t.id.startsWith("S") ? 400 : 20, mark: marks, print: t.owner === "claude" ? "claude-json" : "codex" }];
    (recipe.S2 as { write: Record<string, string> }[])[0]!.write = { "src/shared/config.txt": "S2\n" };
    // S1 commits by itself; the others leave their change for shipgate to commit.
    (recipe.S1 as { commit?: string }[])[0]!.commit = "[S1] shared";
    writeFileSync(recipes, JSON.stringify(recipe));
    const result = shipgate(["run", "--json", "--cwd", dir]);
    expect(result.code).toBe(0);
    expect(Object.values(states(dir)).every((s) => s === "done")).toBe(true);
    // Everything merged into main, from the project's own checkout.
    expect(tracked(dir)).toEqual([".gitignore", "README.md", "shipgate.plan.yaml", "src/shared/a.txt", "src/shared/config.txt", ...Array.from({ length: 10 }, (_, i) => `src/t${i + 1}.txt`)].sort());
    expect(git(dir, "status", "--porcelain")).toBe("");
    expect(git(dir, "branch", "--list", "shipgate/*").trim()).toBe("");
    // One run per task, each done, with usage from the agents' own JSON.
    const runs = runsOf(dir);
    expect(runs).toHaveLength(12);
    expect(runs.every((r) => r.outcome === "done" && r.attempt === 1)).toBe(true);
    expect(runs.find((r) => r.task === "T1")?.usage).toMatchObject({ inputTokens: expect.any(Number) as number, costUsd: 0.0123 });
    // The overlapping pair never ran at once (the agents' own start and end times), and neither did their runs.
    const spans: Record<string, [number, number]> = Object.fromEntries(
      readFileSync(marks, "utf8").trim().split("\n").map((l) => l.split(" ")).map(([t, , s, e]) => [t as string, [Number(s), Number(e)] as [number, number]]),
    );
    const [a, b] = [spans.S1!, spans.S2!];
    expect(a[1] <= b[0] || b[1] <= a[0]).toBe(true);
    const [r1, r2] = [runs.find((r) => r.task === "S1")!, runs.find((r) => r.task === "S2")!];
    expect(r1.endedAt! <= r2.startedAt || r2.endedAt! <= r1.startedAt).toBe(true);
    // Dependencies held: T3 started after T2 ended.
    expect(runs.find((r) => r.task === "T3")!.startedAt >= runs.find((r) => r.task === "T2")!.endedAt!, JSON.stringify(runs.filter((r) => r.task === "T2" || r.task === "T3"))).toBe(true);
    const types = events(result.stdout).map((e) => e.type);
    expect(types[0]).toBe("started");
    expect(types.filter((t) => t === "run-finished")).toHaveLength(12);
  });

  it("retries a failed attempt, then the task is done; the brief of the retry names the failure", { timeout: 60_000 }, () => {
    const { dir, recipes } = makeProject({ agents: [{ id: "bot", kind: "cli" }], tasks: [{ id: "R1", owner: "bot", files: ["a.txt"], acceptance: "grep -q good a.txt" }] });
    writeFileSync(recipes, JSON.stringify({ R1: [{ write: { "a.txt": "bad\n" } }, { write: { "a.txt": "good\n" } }] }));
    const result = shipgate(["run", "--cwd", dir]);
    expect(result.code).toBe(0);
    const runs = runsOf(dir);
    expect(runs.map((r) => [r.attempt, r.outcome])).toEqual([[1, "failed"], [2, "done"]]);
    expect(runs[0]!.note).toMatch(/^acceptance exited 1/);
    expect(result.stderr).toMatch(/R1 failed .*acceptance exited 1.* retry in/);
    const brief = readFileSync(join(dir, ".shipgate/runs", `${runs[1]!.run}.brief.md`), "utf8");
    expect(brief).toContain("acceptance exited 1");
    expect(readFileSync(join(dir, "a.txt"), "utf8")).toBe("good\n");
    // The failed attempt's work is kept (under refs/shipgate/attempts or its branch), not lost.
    expect(git(dir, "for-each-ref", "--format=%(refname)").split("\n").some((r) => r.startsWith("refs/shipgate/attempts/") || r.startsWith("refs/heads/shipgate/"))).toBe(true);
  });

  it("blocks a task whose retries are exhausted, with the reason, and exits 1", { timeout: 60_000 }, () => {
    const { dir, recipes } = makeProject({ agents: [{ id: "bot", kind: "cli" }], tasks: [{ id: "B1", owner: "bot", files: ["b.txt"], retries: 1 }, { id: "B2", owner: "bot", dependsOn: ["B1"] }] });
    writeFileSync(recipes, JSON.stringify({ B1: [{ exit: 3, print: "cannot do it" }] }));
    const result = shipgate(["run", "--cwd", dir]);
    expect(result.code).toBe(1);
    expect(runsOf(dir).map((r) => [r.task, r.attempt, r.outcome])).toEqual([["B1", 1, "failed"], ["B1", 2, "failed"]]);
    const list = JSON.parse(shipgate(["task", "list", "--json", "--cwd", dir]).stdout) as { id: string; state: string; note: string | null }[];
    expect(list.find((t) => t.id === "B1")).toMatchObject({ state: "blocked", note: "2 attempts failed: the agent exited with 3: cannot do it" });
    expect(list.find((t) => t.id === "B2")?.state).toBe("pending");
    expect(result.stdout).toMatch(/0 done, 0 failed, 1 blocked, 1 pending/);
  });

  it("kills an attempt that runs past its timeout (its process group too) and records timeout", { timeout: 60_000 }, () => {
    const { dir, recipes } = makeProject({ agents: [{ id: "bot", kind: "cli" }], tasks: [{ id: "H1", owner: "bot", timeout: "1s", retries: 0 }] });
    writeFileSync(recipes, JSON.stringify({ H1: [{ hang: true }] }));
    const result = shipgate(["run", "--cwd", dir]);
    expect(result.code).toBe(1);
    expect(runsOf(dir)[0]).toMatchObject({ outcome: "timeout", note: "ran longer than its timeout (1 s) and was killed" });
  });

  it("fails an attempt that changes a file outside the task's files, naming it; warn only reports it", { timeout: 60_000 }, () => {
    const spec = {
      agents: [{ id: "bot", kind: "cli" as const }],
      tasks: [{ id: "O1", owner: "bot", files: ["src/**"], retries: 0 }],
      recipes: { O1: [{ write: { "src/ok.ts": "x\n", "package.json": "{}\n" } }] },
    };
    const enforce = makeProject(spec);
    const result = shipgate(["run", "--cwd", enforce.dir]);
    expect(result.code).toBe(1);
    expect(runsOf(enforce.dir)[0]).toMatchObject({ outcome: "failed", note: "changed 1 file outside its files (src/**): package.json" });
    expect(tracked(enforce.dir)).not.toContain("package.json");
    const warn = makeProject({ ...spec, execution: "execution: { ownership: warn }" });
    const warned = shipgate(["run", "--cwd", warn.dir]);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toContain("O1: changed 1 file outside its files (src/**): package.json");
    expect(tracked(warn.dir)).toContain("package.json");
  });

  it("fails an attempt whose branch conflicts with the integration branch, names the files and keeps the branch", { timeout: 60_000 }, () => {
    const { dir } = makeProject({
      agents: [{ id: "bot", kind: "cli" }],
      tasks: [{ id: "M1", owner: "bot", files: ["shared.txt"], retries: 0, acceptance: "sh -c 'cd \"$(git rev-parse --show-toplevel)\" && true'" }],
      files: { "shared.txt": "base\n" },
      recipes: { M1: [{ write: { "shared.txt": "from the task\n" }, sleepMs: 1500 }] },
    });
    const run = start(["run", "--cwd", dir], dir);
    // While the agent works, someone commits a different change to the same line on main.
    return (async () => {
      // Once the brief is written, the worktree exists: its base is the main of before the commit below.
      await waitForFile(join(dir, ".shipgate/runs/1.brief.md"));
      writeFileSync(join(dir, "shared.txt"), "from main\n");
      git(dir, "commit", "-qam", "meanwhile on main");
      const result = await run.done;
      expect(result.code).toBe(1);
      expect(runsOf(dir)[0]).toMatchObject({ outcome: "failed", note: "merge into main conflicts in shared.txt; branch shipgate/M1 is kept" });
      expect(git(dir, "branch", "--list", "shipgate/M1").trim()).toBe("shipgate/M1");
      expect(readFileSync(join(dir, "shared.txt"), "utf8")).toBe("from main\n");
    })();
  });

  it("treats an agent's error result as a failure even when it exits 0 (Claude Code's error_max_budget_usd), with its usage", { timeout: 60_000 }, () => {
    const { dir } = makeProject({ agents: [{ id: "claude", kind: "cli" }], tasks: [{ id: "C1", owner: "claude", retries: 0 }], recipes: { C1: [{ print: "claude-budget" }] } });
    const result = shipgate(["run", "--cwd", dir]);
    expect(result.code).toBe(1);
    const [run] = runsOf(dir);
    expect(run).toMatchObject({ outcome: "failed", exitCode: 0 });
    expect(run!.note).toMatch(/^the agent reported an error: .*error_max_budget_usd/);
    expect(run!.usage).toMatchObject({ costUsd: 5.01 });
  });

  it("runs script tasks in place and prints the waves first with --dry-run", { timeout: 60_000 }, () => {
    const { dir } = makeProject({
      git: false,
      agents: [{ id: "ci", kind: "script", maxParallel: 2 }, { id: "ann", kind: "human" }],
      tasks: [
        { id: "A", owner: "ci", run: "echo a > a.out", files: ["a.out"] },
        { id: "B", owner: "ci", run: "echo b > b.out", files: ["b.out"] },
        { id: "C", owner: "ci", run: "cat a.out b.out > c.out", files: ["c.out"], reads: ["*.out"], dependsOn: ["A", "B"], acceptance: "test -s c.out" },
        { id: "P", owner: "ann", dependsOn: ["C"] },
      ],
    });
    const dry = shipgate(["run", "--dry-run", "--cwd", dir]);
    expect(dry.stdout).toBe("wave 1: A (ci), B (ci)\nwave 2: C (ci)\nnot run: P — ann's task: not run by shipgate here\n");
    expect(existsSync(join(dir, "a.out"))).toBe(false);
    const result = shipgate(["run", "--cwd", dir]);
    expect(result.code).toBe(1);
    expect(readFileSync(join(dir, "c.out"), "utf8")).toBe("a\nb\n");
    expect(result.stdout).toMatch(/^3 done, 0 failed, 0 blocked, 0 pending, 1 waiting on people \(3 runs;/);
  });

  it("refuses to start when the integration checkout has uncommitted changes to tracked files: nothing is claimed", () => {
    const { dir } = makeProject({ agents: [{ id: "bot", kind: "cli" }], tasks: [{ id: "D1", owner: "bot" }], recipes: { D1: [{}] } });
    writeFileSync(join(dir, "README.md"), "# edited, not committed\n");
    const result = shipgate(["run", "--cwd", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("has uncommitted changes to tracked files");
    expect(result.stderr).toContain("commit or stash");
    expect(shipgate(["task", "runs", "--json", "--cwd", dir]).stdout.trim()).toBe("[]");
    expect(git(dir, "status", "--porcelain")).toBe(" M README.md\n");
  });

  it("judges the plan's execution.gate in each task's worktree: GO merges, NO-GO fails the attempt with the failing condition", { timeout: 90_000 }, () => {
    const junit = fixture("ingest/junit/");
    const { dir } = makeProject({
      agents: [{ id: "bot", kind: "cli" }],
      tasks: [
        { id: "G1", owner: "bot", files: ["REPORT"], retries: 0 },
        { id: "G2", owner: "bot", files: ["REPORT"], retries: 0, dependsOn: ["G1"] },
      ],
      execution: "execution: { gate: task }",
      files: {
        "REPORT": "vitest-4.1-each-all-pass.xml\n",
        "shipgate.yaml": `version: 1\ndocs:\n  check: false\ncollectors:\n  - name: tests\n    command: 'mkdir -p reports && cp "${junit}$(cat REPORT)" reports/junit.xml'\n    reports: [reports/junit.xml]\ngates:\n  task:\n    conditions:\n      - tests.failed == 0\n`,
        ".gitignore": ".shipgate/\nreports/\n",
      },
      // G1 leaves the passing report in place; G2 switches to the one with a failing test.
      recipes: { G1: [{}], G2: [{ write: { REPORT: "vitest-4.1-each-one-failing.xml\n" } }] },
    });
    const result = shipgate(["run", "--cwd", dir]);
    expect(result.code).toBe(1);
    const runs = runsOf(dir);
    expect(runs.map((r) => [r.task, r.outcome])).toEqual([["G1", "done"], ["G2", "failed"]]);
    expect(runs[1]!.note).toMatch(/^gate task said NO-GO: tests\.failed == 0/);
    expect(readFileSync(join(dir, "REPORT"), "utf8")).toBe("vitest-4.1-each-all-pass.xml\n");
    // `shipgate gate` afterwards judges the project, not a task's worktree.
    expect(shipgate(["history", "--json", "--cwd", dir]).stdout).toContain("shipgate/G2");
  });

  it("regression: run from a subfolder would make a second, empty store and run every task again; it refuses", () => {
    const { dir } = makeProject({ agents: [{ id: "bot", kind: "cli" }], tasks: [{ id: "S1", owner: "bot" }], recipes: { S1: [{}] }, files: { "sub/x.txt": "x\n" } });
    expect(shipgate(["run", "--cwd", dir]).code).toBe(0);
    const again = shipgate(["run", "--cwd", join(dir, "sub"), "--plan", "../shipgate.plan.yaml"]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain("has no store, but the repository's top level has one");
    expect(existsSync(join(dir, "sub", ".shipgate"))).toBe(false);
  });

  it("Ctrl-C cancels running attempts: their processes end, runs are cancelled, tasks back to pending, exit 130", { timeout: 60_000 }, async () => {
    const { dir, marks } = makeProject({ agents: [{ id: "bot", kind: "cli" }], tasks: [{ id: "K1", owner: "bot" }] });
    const pidFile = `${marks}.pid`;
    const { recipes } = { recipes: join(marks, "..", "recipes.json") };
    writeFileSync(recipes, JSON.stringify({ K1: [{ hang: true }] }));
    const agentCommand = `sh -c 'echo $$ > ${pidFile}; exec node ${fakeAgent} "$0"' {task}`;
    writeFileSync(join(dir, "shipgate.plan.yaml"), readFileSync(join(dir, "shipgate.plan.yaml"), "utf8").replace(/command: .*/, `command: ${JSON.stringify(agentCommand)}`));
    git(dir, "commit", "-qam", "the agent records its pid");
    const run = start(["run", "--cwd", dir], dir);
    const pid = Number(await waitForFile(pidFile));
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(isRunning(pid)).toBe(false);
    expect(runsOf(dir)[0]).toMatchObject({ outcome: "cancelled" });
    expect(states(dir)).toEqual({ K1: "pending" });
    expect(git(dir, "worktree", "list").trim().split("\n")).toHaveLength(1);
    // The attempt committed nothing: its branch is gone too.
    expect(git(dir, "branch", "--list", "shipgate/*").trim()).toBe("");
  });
});
