import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AssessSummary } from "../../src/snapshot/summary.js";
import { ended, isRunning, waitForFile } from "../exec/processes.js";
import { bin, shipgate, tempDir, type CliResult } from "./run-cli.js";

/** Starts the built bin without waiting for it, so that a test can signal it. */
function start(args: string[], cwd: string) {
  const child = spawn(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", CI: "", GITHUB_ACTIONS: "" }, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  const done = new Promise<CliResult & { signal: string | null }>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  /** Resolves once stderr holds `text` (polls; the test's timeout is the hang guard). */
  const stderrShows = async (text: string) => {
    while (!stderr.includes(text)) await new Promise((wake) => setTimeout(wake, 20));
  };
  return { child, done, stderrShows };
}

const JUNIT = `<testsuite name="s" tests="1"><testcase name="a"/></testsuite>`;

/** A project whose only collector is a long sleep that writes its pid to sleep.pid. */
function slowProject(): string {
  const dir = tempDir();
  writeFileSync(join(dir, "shipgate.yaml"), `version: 1\ncollectors:\n  - name: slow\n    command: sleep 1000 & echo $! > sleep.pid; wait\n    reports: [junit.xml]\n`);
  return dir;
}

/** A plan with one task of agent "a"; `task` adds keys to it. */
function planProject(task: string): string {
  const dir = tempDir();
  writeFileSync(
    join(dir, "shipgate.plan.yaml"),
    `version: 1\nagents:\n  - { id: a, kind: human }\nphases:\n  - { id: p, name: P }\ntasks:\n  - id: T1\n    title: one\n    phase: p\n    owner: a\n    estimate: 1\n${task}`,
  );
  return dir;
}
const stateOf = (dir: string, id: string) => (JSON.parse(shipgate(["task", "list", "--json"], { cwd: dir }).stdout) as { id: string; state: string }[]).find((t) => t.id === id)?.state;
const SLOW = `"sleep 1000 & echo $! > sleep.pid; wait"`;

describe("interrupting shipgate", () => {
  for (const [signal, code] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
    it(`assess on ${signal} ends the running collector's processes, stores no snapshot and exits ${code} (the collector used to keep running)`, async () => {
      const dir = slowProject();
      const run = start(["assess"], dir);
      const pid = Number(await waitForFile(join(dir, "sleep.pid")));
      expect(isRunning(pid)).toBe(true);
      run.child.kill(signal);
      const result = await run.done;
      expect(result.code).toBe(code);
      expect(result.stderr).toContain(`[assess] interrupted by ${signal}: collector slow was stopped; nothing was stored`);
      expect(result.stderr).toContain("[collect] slow: stopped after");
      expect(isRunning(pid)).toBe(false);
      const history = shipgate(["history", "--json"], { cwd: dir });
      expect(history.code).toBe(0);
      expect(JSON.parse(history.stdout)).toEqual([]);
    });
  }

  it("task done on SIGINT ends a slow acceptance and leaves the task in progress", async () => {
    const dir = planProject(`    acceptance: ${SLOW}\n`);
    expect(shipgate(["task", "start", "T1", "--agent", "a"], { cwd: dir }).code).toBe(0);
    const run = start(["task", "done", "T1", "--agent", "a"], dir);
    const pid = Number(await waitForFile(join(dir, "sleep.pid")));
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain("[task] interrupted by SIGINT: T1's acceptance `sleep 1000 & echo $! > sleep.pid; wait` was stopped; T1 was not recorded done");
    expect(isRunning(pid)).toBe(false);
    expect(stateOf(dir, "T1")).toBe("in_progress");
  });

  it("a second SIGINT does not wait for a command that ignores SIGTERM: its group is killed and shipgate exits 130", async () => {
    const dir = planProject(`    acceptance: "trap '' TERM; sleep 1000 & echo $! > sleep.pid; wait"\n`);
    expect(shipgate(["task", "start", "T1", "--agent", "a"], { cwd: dir }).code).toBe(0);
    const run = start(["task", "done", "T1", "--agent", "a"], dir);
    const pid = Number(await waitForFile(join(dir, "sleep.pid")));
    run.child.kill("SIGINT");
    await run.stderrShows("again to force");
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code).toBe(130);
    // Forced: the task command did not get to say what it stopped.
    expect(result.stderr).not.toContain("[task] interrupted");
    // Killed with SIGKILL as shipgate exited, without waiting for it.
    expect(await ended(pid)).toBe(true);
    expect(stateOf(dir, "T1")).toBe("in_progress");
  });

  it("task start on SIGTERM ends a slow ready_when and claims nothing (an interrupted ready_when must not block the task)", async () => {
    const dir = planProject(`    ready_when: ${SLOW}\n`);
    const run = start(["task", "start", "--agent", "a"], dir);
    const pid = Number(await waitForFile(join(dir, "sleep.pid")));
    run.child.kill("SIGTERM");
    const result = await run.done;
    expect(result.code).toBe(143);
    expect(result.stderr).toContain("[task] interrupted by SIGTERM: T1's ready_when");
    expect(isRunning(pid)).toBe(false);
    expect(stateOf(dir, "T1")).toBe("pending");
  });
});

describe("collector and plan command endings", () => {
  it("a collector that leaves a background child holding its output finishes when it exits, not at its timeout", () => {
    const dir = tempDir();
    writeFileSync(
      join(dir, "shipgate.yaml"),
      `version: 1\ncollectors:\n  - name: bg\n    command: sh -c 'sleep 1000 & echo $! > sleep.pid; echo done' && echo '${JUNIT}' > junit.xml\n    timeout: 10m\n    reports: [junit.xml]\n`,
    );
    const result = shipgate(["assess", "--json"], { cwd: dir });
    expect(result.stderr).toContain("[collect] bg: exit 0 after");
    expect(result.stderr).toContain("(ended the processes it left running)");
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as AssessSummary).collectors).toEqual([expect.objectContaining({ name: "bg", exitCode: 0, timedOut: false })]);
    expect(isRunning(Number(readFileSync(join(dir, "sleep.pid"), "utf8")))).toBe(false);
  });

  it("an acceptance timeout set in the plan kills the command's group and refuses done", () => {
    const dir = planProject(`    acceptance: { command: ${SLOW}, timeout: 1s }\n`);
    expect(shipgate(["task", "start", "T1", "--agent", "a"], { cwd: dir }).code).toBe(0);
    const result = shipgate(["task", "done", "T1", "--agent", "a"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("[task] T1: acceptance `sleep 1000 & echo $! > sleep.pid; wait` did not finish within 1 s and was killed");
    expect(result.stderr).toContain("T1's acceptance a longer timeout in the plan: acceptance: { command: …, timeout: 30m }");
    expect(isRunning(Number(readFileSync(join(dir, "sleep.pid"), "utf8")))).toBe(false);
    expect(stateOf(dir, "T1")).toBe("in_progress");
  });
});
