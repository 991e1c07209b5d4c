import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { syncPlan } from "../../src/app/sync-plan.js";
import { withStore } from "../../src/store/open-store.js";
import type { RunFinish, Store } from "../../src/store/types.js";
import { postgresAvailable, freshDatabase } from "../support/postgres.js";
import { bin, shipgate, tempDir } from "./run-cli.js";

const PLAN =
  "version: 1\nagents:\n  - { id: a, kind: human }\n  - { id: b, kind: human }\nphases:\n  - { id: p, name: P }\ntasks:\n" +
  "  - { id: T1, title: one, phase: p, owner: a, estimate: 1, retries: 2 }\n  - { id: T2, title: two, phase: p, owner: b, estimate: 1 }\n  - { id: T3, title: three, phase: p, owner: a, estimate: 1 }\n";

const MINUTE = 60_000;
const t = (hhmmss: string) => `2026-12-01T${hhmmss}.000Z`;

/** A run of `task` by `agent` claimed at `start`, finished as `finish` says (left running without it). */
async function run(store: Store, task: string, agent: string, start: string, finish?: Omit<RunFinish, "at"> & { at: string }): Promise<number> {
  const claim = await store.claimTask({ agent, at: start, leaseMs: MINUTE, taskId: task });
  if (!claim) throw new Error(`${task} is not ready`);
  if (finish) await store.finishRun(claim.run.id, claim.run.epoch, finish);
  return claim.run.id;
}

/**
 * A project whose store holds four runs, made through the Store contract as a dispatcher makes them: T1 failed once
 * (with usage and a log), then done; T2 failed without a log; T3 is running (claimed at 10:00, lease 1 min).
 */
async function projectWithRuns(db?: string): Promise<{ dir: string; db: string }> {
  const dir = tempDir();
  writeFileSync(join(dir, "shipgate.plan.yaml"), PLAN);
  const url = db ?? join(dir, ".shipgate/shipgate.db");
  mkdirSync(join(dir, ".shipgate/runs"), { recursive: true });
  writeFileSync(join(dir, ".shipgate/runs/1.log"), "cloning\nediting src/a.ts\nacceptance: 1 failed\n");
  writeFileSync(join(dir, ".shipgate/runs/2.log"), "all good\n");
  await withStore(url, { at: t("08:00:00") }, async (store) => {
    await syncPlan(store, join(dir, "shipgate.plan.yaml"), { cwd: dir, at: t("08:00:00") });
    await run(store, "T1", "a", t("09:00:00"), { at: t("09:03:05"), outcome: "failed", exitCode: 1, note: "acceptance exited 1", log: ".shipgate/runs/1.log", usage: { inputTokens: 12_345, outputTokens: 804, costUsd: 0.4217 } });
    await run(store, "T1", "a", t("09:10:00"), { at: t("09:10:42"), outcome: "done", exitCode: 0, log: ".shipgate/runs/2.log" });
    await run(store, "T2", "b", t("09:20:00"), { at: t("09:20:00"), outcome: "error", exitCode: null, note: "could not start: sh: claude: not found" });
    await run(store, "T3", "a", t("10:00:00"));
  });
  return { dir, db: url };
}

/** Exit code and the start of stderr's first line. */
const failure = (result: { code: number | null; stdout: string; stderr: string }) => ({ code: result.code, stdout: result.stdout, error: result.stderr.split("\n")[0] });

const at = (time: string) => ({ SHIPGATE_NOW: t(time) });

/** Points the running run 4's log at `log`, as its worker's heartbeat would. */
const setLog = (db: string, log: string) =>
  withStore(db, {}, async (store) => {
    const running = (await store.getRun(4)) as { epoch: number };
    return store.heartbeat(4, running.epoch, MINUTE, { at: t("10:00:30"), log });
  });

describe("shipgate task runs", () => {
  it("lists every run oldest first: outcome, exit code, start, duration, usage, log, the note under it; a running one with its lease", async () => {
    const { dir } = await projectWithRuns();
    const result = shipgate(["task", "runs"], { cwd: dir, env: at("10:00:20") });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      [
        "RUN  TASK  AGENT  ATTEMPT  OUTCOME                         EXIT  STARTED (UTC)        DURATION     USAGE                   LOG",
        "1    T1    a      1        failed                          1     2026-12-01 09:00:00  3m 05s       12k in, 804 out, $0.42  .shipgate/runs/1.log",
        "    ↳ acceptance exited 1",
        "2    T1    a      2        done                            0     2026-12-01 09:10:00  42 s                                 .shipgate/runs/2.log",
        "3    T2    b      1        error                                 2026-12-01 09:20:00  0 ms",
        "    ↳ could not start: sh: claude: not found",
        "4    T3    a      1        running, lease expires in 40 s        2026-12-01 10:00:00  20 s so far",
        "",
      ].join("\n"),
    );
    // Two minutes later nobody renewed T3's lease: its worker stopped heartbeating.
    expect(shipgate(["task", "runs", "T3"], { cwd: dir, env: at("10:03:00") }).stdout).toContain("running, lease expired 2m 00s ago");
  });

  it("prints --json as documented, narrows by task, agent and --open, and --limit keeps the newest", async () => {
    const { dir } = await projectWithRuns();
    const json = (args: string[]) => {
      const result = shipgate(["task", "runs", ...args, "--json"], { cwd: dir, env: at("10:00:20") });
      expect(result.code, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as Record<string, unknown>[];
    };
    expect(json(["T1"])).toEqual([
      {
        run: 1, task: "T1", agent: "a", attempt: 1, outcome: "failed", exitCode: 1, startedAt: t("09:00:00"), endedAt: t("09:03:05"), durationMs: 185_000,
        log: ".shipgate/runs/1.log", usage: { inputTokens: 12_345, outputTokens: 804, costUsd: 0.4217 }, note: "acceptance exited 1", leaseExpiresAt: t("09:01:00"),
      },
      { run: 2, task: "T1", agent: "a", attempt: 2, outcome: "done", exitCode: 0, startedAt: t("09:10:00"), endedAt: t("09:10:42"), durationMs: 42_000, log: ".shipgate/runs/2.log", usage: null, note: null, leaseExpiresAt: t("09:11:00") },
    ]);
    expect(json(["--open"])).toEqual([expect.objectContaining({ run: 4, task: "T3", outcome: null, endedAt: null, durationMs: null, exitCode: null })]);
    expect(json(["--agent", "b"]).map((r) => r.run)).toEqual([3]);
    expect(json(["--limit", "2"]).map((r) => r.run)).toEqual([3, 4]);
    expect(json([]).map((r) => r.run)).toEqual([1, 2, 3, 4]);
  });

  it("refuses an unknown task (NOT_FOUND, exit 2) and a bad --limit; without a store there are no runs and none is created", async () => {
    const { dir } = await projectWithRuns();
    expect(failure(shipgate(["task", "runs", "NOPE"], { cwd: dir }))).toEqual({ code: 2, stdout: "", error: `error: [task] no task "NOPE" in ${join(dir, ".shipgate/shipgate.db")}` });
    expect(failure(shipgate(["task", "runs", "--limit", "0"], { cwd: dir }))).toEqual({ code: 2, stdout: "", error: 'error: [cli] --limit must be a whole number ≥ 1 (got "0")' });
    const empty = tempDir();
    expect(shipgate(["task", "runs"], { cwd: empty })).toEqual({ code: 0, stdout: "no runs\n", stderr: "" });
    expect(shipgate(["task", "runs", "--json"], { cwd: empty }).stdout).toBe("[]\n");
    expect(existsSync(join(empty, ".shipgate"))).toBe(false);
  });
});

describe("runs in plan status and plan handoff", () => {
  it("shows the runs of the store: running now with the lease, attempts and why; the handoff names the last failed attempt", async () => {
    const { dir } = await projectWithRuns();
    const status = shipgate(["plan", "status", "--date", "2026-12-01"], { cwd: dir, env: at("10:00:20") });
    expect(status.code, status.stderr).toBe(0);
    // A person's task has no maximum of attempts: "attempt N" alone.
    expect(status.stdout).toContain("| T3 three | a | attempt 1 (run 4) | 20 s ago | 20 s ago | lease expires in 40 s |");
    expect(status.stdout).toContain("| ✅ | T1 one | attempt 2 | run 2 by a: done |  |");
    expect(status.stdout).toContain("| ❌ | T2 two | attempt 1 | run 3 by b: error | could not start: sh: claude: not found |");
    const handoff = shipgate(["plan", "handoff", "b", "--date", "2026-12-01"], { cwd: dir, env: at("10:00:20") });
    expect(handoff.stdout).toContain("- Last failed attempt: attempt 1, run 3 error: could not start: sh: claude: not found (`shipgate task log 3` prints its output)");
    // T1 failed once, then was done: its handoff does not dwell on the old failure.
    expect(shipgate(["plan", "handoff", "a", "--date", "2026-12-01"], { cwd: dir, env: at("10:00:20") }).stdout).not.toContain("Last failed attempt");
  });
});

describe("shipgate task log", () => {
  it("prints a run's log, and with --tail N only its last N lines", async () => {
    const { dir } = await projectWithRuns();
    expect(shipgate(["task", "log", "1"], { cwd: dir })).toEqual({ code: 0, stdout: "cloning\nediting src/a.ts\nacceptance: 1 failed\n", stderr: "" });
    expect(shipgate(["task", "log", "#1", "--tail", "2"], { cwd: dir }).stdout).toBe("editing src/a.ts\nacceptance: 1 failed\n");
    expect(shipgate(["task", "log", "1", "--tail", "50"], { cwd: dir }).stdout).toBe("cloning\nediting src/a.ts\nacceptance: 1 failed\n");
  });

  it("reads only the end of a big log for --tail, across its 64 KB read blocks, with or without a final line break", async () => {
    const { dir, db } = await projectWithRuns();
    // 300 000 numbered lines (about 3.3 MB): the lines asked for straddle several blocks read from the end.
    const lines = Array.from({ length: 300_000 }, (_, i) => `line ${i + 1}`);
    writeFileSync(join(dir, ".shipgate/runs/big.log"), `${lines.join("\n")}\n`);
    writeFileSync(join(dir, ".shipgate/runs/open.log"), lines.slice(0, 10).join("\n"));
    expect((await setLog(db, ".shipgate/runs/big.log")).log).toBe(".shipgate/runs/big.log");
    const tail = shipgate(["task", "log", "4", "--tail", "12000"], { cwd: dir }).stdout;
    expect(tail).toBe(`${lines.slice(-12_000).join("\n")}\n`);
    // The whole log, past spawnSync's default 1 MB output buffer.
    const whole = execFileSync(process.execPath, [bin, "task", "log", "4"], { cwd: dir, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    expect(whole).toBe(`${lines.join("\n")}\n`);
    await setLog(db, ".shipgate/runs/open.log");
    expect(shipgate(["task", "log", "4", "--tail", "3"], { cwd: dir }).stdout).toBe("line 8\nline 9\nline 10");
  });

  it("refuses a log path that leaves .shipgate/runs/ (.., an absolute path elsewhere, a symlink out of it) and reads nothing", async () => {
    const { dir, db } = await projectWithRuns();
    writeFileSync(join(dir, "secret.txt"), "do not print me\n");
    symlinkSync(join(dir, "secret.txt"), join(dir, ".shipgate/runs/link.log"));
    mkdirSync(join(dir, ".shipgate/runs/sub"));
    symlinkSync(dir, join(dir, ".shipgate/runs/sub/up"));
    const paths = [".shipgate/runs/../../secret.txt", join(dir, "secret.txt"), "/etc/passwd", ".shipgate/runs/link.log", ".shipgate/runs/sub/up/secret.txt", ".shipgate/runs"];
    for (const log of paths) {
      await setLog(db, log);
      const result = shipgate(["task", "log", "4"], { cwd: dir });
      expect(result.code, log).toBe(2);
      expect(result.stdout, log).toBe("");
      expect(result.stderr, log).toMatch(/^error: \[task\] run 4 \(T3, attempt 1 by a\): its log path ".*" is refused: (it is not under \.shipgate\/runs\/|a symlink on the way points out of \.shipgate\/runs\/)/);
    }
    // An absolute path inside the folder is the folder's file.
    await setLog(db, join(dir, ".shipgate/runs/2.log"));
    expect(shipgate(["task", "log", "4"], { cwd: dir }).stdout).toBe("all good\n");
  });

  it("says when a run kept no log, when its log is gone, when the run does not exist (NOT_FOUND, exit 2) and when the id is not one", async () => {
    const { dir } = await projectWithRuns();
    expect(shipgate(["task", "log", "3"], { cwd: dir })).toEqual({
      code: 2,
      stdout: "",
      stderr: "error: [task] run 3 (T2, attempt 1 by b) kept no log; it ended with: could not start: sh: claude: not found\n  → a task started by hand (`shipgate task start`) or a person's task has none; `shipgate task runs T2` shows how it ended\n",
    });
    execFileSync("rm", [join(dir, ".shipgate/runs/2.log")]);
    const gone = shipgate(["task", "log", "2"], { cwd: dir });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toContain("error: [task] run 2 (T1, attempt 2 by a): its log .shipgate/runs/2.log is not on this machine");
    expect(gone.stderr).toContain("it was deleted, or --cwd is not the project that ran it");
    expect(failure(shipgate(["task", "log", "99"], { cwd: dir }))).toEqual({ code: 2, stdout: "", error: `error: [task] no run 99 in ${join(dir, ".shipgate/shipgate.db")}` });
    expect(failure(shipgate(["task", "log", "T1"], { cwd: dir }))).toEqual({ code: 2, stdout: "", error: 'error: [task] "T1" is not a run id: use the number `shipgate task runs` shows (e.g. 17)' });
  });

  it("removes escape sequences when stdout is a terminal, and keeps the bytes as they are in a pipe", async () => {
    const { dir, db } = await projectWithRuns();
    const raw = "plain \x1b[31mred\x1b[0m\n\x1b]0;owned title\x07title\n\x1b]8;;https://evil.example\x07link\x1b]8;;\x07\n";
    writeFileSync(join(dir, ".shipgate/runs/esc.log"), raw);
    await setLog(db, ".shipgate/runs/esc.log");
    expect(shipgate(["task", "log", "4"], { cwd: dir }).stdout).toBe(raw);
    // A real terminal: script(1) gives the bin a pseudo-terminal and writes what reached it to a file.
    const typescript = join(dir, "typescript.txt");
    execFileSync("script", ["-q", "-e", "-c", `${process.execPath} ${bin} task log 4 --cwd ${dir}`, typescript], { env: { ...process.env, NO_COLOR: "1" }, stdio: "ignore" });
    const seen = execFileSync("cat", [typescript], { encoding: "utf8" });
    expect(seen).toContain("plain red\r\ntitle\r\nlink\r\n");
    expect(seen).not.toContain("\x1b]");
    expect(seen).not.toContain("\x1b[31m");
  });

  it.skipIf(postgresAvailable().skip !== null)("with a shared PostgreSQL store, says the log is on the machine whose worker ran the run", async () => {
    const url = await freshDatabase("runs");
    const { dir } = await projectWithRuns(url);
    execFileSync("rm", ["-r", join(dir, ".shipgate/runs")]);
    const result = shipgate(["task", "log", "1", "--db", url], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: [task] run 1 (T1, attempt 1 by a): its log .shipgate/runs/1.log is not on this machine");
    expect(result.stderr).toContain("in a shared store each worker keeps its runs' logs on its own machine: run `shipgate task log 1` in the project folder of the machine whose a worker ran it");
    expect(shipgate(["task", "runs", "T1", "--db", url, "--json"], { cwd: dir }).stdout).toContain('"log": ".shipgate/runs/1.log"');
  });
});
