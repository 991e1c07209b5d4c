import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { copyOfDemo, repoRoot, shipgate } from "../cli/run-cli.js";
import { git, runsOf } from "./project.js";

// The demo folder holds two plans and one store: every command names the run plan, or it imports shipgate.plan.yaml.
const states = (dir: string) => Object.fromEntries((JSON.parse(shipgate(["task", "list", "--json", "--plan", "shipgate.run.yaml", "--cwd", dir]).stdout) as { id: string; state: string }[]).map((t) => [t.id, t.state]));
const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

const TASKS = ["FIX-MONEY", "TEST-MONEY", "TEST-WORKER", "SEC-POLICY", "SEC-JITTER", "OPS-HEALTH", "OPS-VERSION", "CI-API", "CI-WORKER"];

describe("npm run demo:run (scripts/demo-run.mjs): shipgate run on the bundled example with the stand-in agents", () => {
  it("takes every task of shipgate.run.yaml to done, merged into main, the money bug really fixed, the runs recorded", { timeout: 240_000 }, () => {
    const script = spawnSync(process.execPath, [join(repoRoot, "scripts/demo-run.mjs")], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", CI: "", GITHUB_ACTIONS: "" },
      timeout: 220_000,
    });
    const dir = /^project: (.+)$/m.exec(script.stdout)?.[1];
    expect(dir, script.stdout + script.stderr).toBeDefined();
    copies.push(dir!);
    expect(script.status, script.stdout + script.stderr).toBe(0);
    // What the script prints after the run: the runs, the branch, the runs section of plan status.
    expect(script.stdout).toContain("9 done, 0 failed, 0 blocked, 0 pending (10 runs;");
    expect(script.stdout).toMatch(/== shipgate task runs\nRUN +TASK/);
    expect(script.stdout).toContain("shipgate: merge FIX-MONEY");
    expect(script.stdout).toContain("## Runs");
    expect(script.stdout).toMatch(/on the regenerated reports \(the example as bundled says NO-GO: its money test fails\)\nGO: /);

    expect(states(dir!)).toEqual(Object.fromEntries(TASKS.map((t) => [t, "done"])));
    // One merge commit per task on main, and nothing left over: no task branch, a clean checkout.
    const merges = git(dir!, "log", "--merges", "--format=%s", "main").trim().split("\n");
    expect(merges.map((m) => /^shipgate: merge (\S+) /.exec(m)?.[1]).sort()).toEqual([...TASKS].sort());
    expect(git(dir!, "branch", "--list", "shipgate/*").trim()).toBe("");
    expect(git(dir!, "status", "--porcelain")).toBe("");

    // The fixes are really there: the money test that failed on purpose passes now, run by vitest in the project.
    expect(readFileSync(join(dir!, "packages/api/src/money.ts"), "utf8")).toContain('const sign = major < 0 ? "-" : "";');
    const vitest = spawnSync(process.execPath, ["../../agents/vitest.mjs", "run", "test/money.test.ts", "--coverage.enabled=false", "--reporter=default"], { cwd: join(dir!, "packages/api"), encoding: "utf8", env: { ...process.env, NO_COLOR: "1" } });
    expect(vitest.status, vitest.stdout + vitest.stderr).toBe(0);
    expect(vitest.stdout).toMatch(/Tests\s+11 passed \(11\)/);
    expect(readFileSync(join(dir!, "packages/api/reports/junit.xml"), "utf8")).toMatch(/<testsuites [^>]*failures="0"/);
    expect(readFileSync(join(dir!, "services/worker/src/worker/backoff.py"), "utf8")).toContain("_random = secrets.SystemRandom()");
    expect(readFileSync(join(dir!, "packages/api/src/index.ts"), "utf8")).toContain('export { health, type Health } from "./health.js";\nexport { VERSION } from "./version.js";\n');

    // Every task ran once, but TEST-WORKER: its first attempt's tests could not import the function (pytest exits 2),
    // and the retry, told so by its brief, fixed it. The agents' own output gave the usage: tokens, and Claude Code's cost.
    const runs = runsOf(dir!);
    expect(runs.map((r) => r.task).sort()).toEqual([...TASKS, "TEST-WORKER"].sort());
    const worker = runs.filter((r) => r.task === "TEST-WORKER");
    expect(worker.map((r) => [r.attempt, r.outcome])).toEqual([[1, "failed"], [2, "done"]]);
    expect(worker[0]!.note).toMatch(/^acceptance exited 2: /);
    expect(readFileSync(join(dir!, ".shipgate/runs", `${worker[1]!.run}.brief.md`), "utf8")).toContain("ImportError: cannot import name 'is_retryable_status' from 'worker'");
    expect(git(dir!, "log", "-1", "--format=%s", "--no-merges", "main", "--", "services/worker/src/worker/__init__.py").trim()).toBe(
      "[TEST-WORKER] Exported is_retryable_status from the worker package: the last attempt's tests could not import it.",
    );
    const others = runs.filter((r) => r.task !== "TEST-WORKER");
    expect(others.every((r) => r.outcome === "done" && r.attempt === 1), JSON.stringify(others)).toBe(true);
    const byTask = new Map(runs.filter((r) => r.outcome === "done").map((r) => [r.task, r]));
    expect(byTask.get("FIX-MONEY")?.usage).toEqual({ inputTokens: 18_400, outputTokens: 640 });
    expect(byTask.get("TEST-MONEY")?.usage).toMatchObject({ inputTokens: 15_200, outputTokens: 410, costUsd: expect.closeTo(0.02583, 6) as number });
    for (const r of runs) {
      if (r.agent === "ci") expect(r.usage).toBeNull();
      else expect(r.usage?.inputTokens).toBeGreaterThan(0);
    }
    // OPS-HEALTH and OPS-VERSION both write packages/api/src/index.ts: their runs never overlapped.
    const [health, version] = [byTask.get("OPS-HEALTH")!, byTask.get("OPS-VERSION")!];
    expect(health.endedAt! <= version.startedAt || version.endedAt! <= health.startedAt, JSON.stringify([health, version])).toBe(true);

    const status = shipgate(["plan", "status", "--plan", "shipgate.run.yaml", "--cwd", dir!]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain("## Runs");
    expect(status.stdout).toContain("| ✅ | FIX-MONEY Put the minus sign before the currency symbol in formatMoney | attempt 1 of 3 | run 1 by codex: done |");
    expect(status.stdout).toContain(`| ✅ | TEST-WORKER Test is\\_retryable\\_status in the worker | attempt 2 of 3 | run ${worker[1]!.run} by claude: done |`);
    const handoff = shipgate(["plan", "handoff", "claude", "--plan", "shipgate.run.yaml", "--cwd", dir!]);
    expect(handoff.code).toBe(0);
    expect(handoff.stdout).toContain("### TEST-MONEY — Cover negative amounts in every currency");
    expect(handoff.stdout).toContain("state **done**");
  });

  it("fails the attempt of a stand-in that changes a file its task does not own, naming the file; main keeps neither change", { timeout: 120_000 }, () => {
    const dir = copyOfDemo();
    copies.push(dir);
    // The run plan's codex and SECURITY.md task alone, without retries.
    writeFileSync(
      join(dir, "stray.plan.yaml"),
      [
        "version: 1",
        "agents:",
        "  - id: codex",
        "    kind: cli",
        "    command: node agents/stand-in-agent.mjs --as codex --task {task} --brief {prompt_file}",
        "phases: [{ id: harden, name: harden }]",
        "tasks:",
        "  - { id: SEC-POLICY, title: Add a SECURITY.md, phase: harden, owner: codex, estimate: 1, retries: 0, files: [SECURITY.md] }",
        "",
      ].join("\n"),
    );
    writeFileSync(join(dir, ".gitignore"), ".shipgate/\n");
    git(dir, "checkout", "-q", "-b", "main");
    git(dir, "add", "-A");
    git(dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "demo");
    const result = shipgate(["run", "--plan", "stray.plan.yaml", "--cwd", dir], { env: { STAND_IN_STRAY: "SEC-POLICY:package.json" } });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const [run] = runsOf(dir);
    expect(run).toMatchObject({ task: "SEC-POLICY", outcome: "failed", note: "changed 1 file outside its files (SECURITY.md): package.json" });
    expect(run!.usage).toEqual({ inputTokens: 9_800, outputTokens: 520 });
    expect(git(dir, "ls-files", "SECURITY.md").trim()).toBe("");
    expect(git(dir, "status", "--porcelain")).toBe("");
    // The handoff tells the agent how its last attempt failed.
    const handoff = shipgate(["plan", "handoff", "codex", "--plan", "stray.plan.yaml", "--cwd", dir]);
    expect(handoff.stdout).toContain(
      "- Last failed attempt: attempt 1 of 1, run 1 failed (exit 0): changed 1 file outside its files (SECURITY.md): package.json (`shipgate task log 1` prints its output)",
    );
    // The attempt's log: the brief reached the agent (it prints the brief's first line), then its own output.
    const log = shipgate(["task", "log", "1", "--cwd", dir]);
    expect(log.stdout).toContain("stand-in-agent (codex): # SEC-POLICY — Add a SECURITY.md");
    expect(log.stdout).toContain('{"type":"turn.completed","usage":{"input_tokens":9800,');
  });
});
