import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runProcess } from "../../src/exec/process.js";
import { isRunning, waitForFile } from "./processes.js";

const scratch = () => mkdtempSync(join(tmpdir(), "shipgate-exec-"));
/** Hang guards only: generous, never what a test measures. */
const LONG = 120_000;

describe("runProcess", () => {
  it("returns the exit code and the tail of each stream", async () => {
    const run = await runProcess("echo out; echo err >&2; exit 3", { cwd: scratch(), timeoutMs: LONG });
    expect(run).toMatchObject({ exitCode: 3, signal: null, timedOut: false, aborted: false, spawnError: null, leftovers: false, stdoutTail: "out\n", stderrTail: "err\n" });
  });

  it("is finished when the command exits, though a background child still holds its output pipes (it used to wait for them until the timeout)", async () => {
    const dir = scratch();
    const run = await runProcess("sleep 1000 & echo $! > bg.pid; echo done", { cwd: dir, timeoutMs: LONG });
    expect(run).toMatchObject({ exitCode: 0, timedOut: false, aborted: false, leftovers: true, stdoutTail: "done\n" });
    expect(isRunning(Number(readFileSync(join(dir, "bg.pid"), "utf8")))).toBe(false);
  });

  it("ends a background child that does not hold the pipes too", async () => {
    const dir = scratch();
    const run = await runProcess("sleep 1000 >/dev/null 2>&1 & echo $! > bg.pid", { cwd: dir, timeoutMs: LONG });
    expect(run).toMatchObject({ exitCode: 0, timedOut: false, leftovers: true });
    expect(isRunning(Number(readFileSync(join(dir, "bg.pid"), "utf8")))).toBe(false);
  });

  it("kills the whole process group on timeout", async () => {
    const dir = scratch();
    const run = await runProcess("sleep 1000 & echo $! > bg.pid; wait", { cwd: dir, timeoutMs: 200 });
    expect(run).toMatchObject({ timedOut: true, aborted: false, exitCode: null });
    expect(isRunning(Number(readFileSync(join(dir, "bg.pid"), "utf8")))).toBe(false);
  });

  it("kills with SIGKILL a group that ignores SIGTERM, after the grace period", async () => {
    const dir = scratch();
    const run = await runProcess("trap '' TERM; sleep 1000 & echo $! > bg.pid; wait", { cwd: dir, timeoutMs: 200, killGraceMs: 200 });
    expect(run.timedOut).toBe(true);
    expect(run.signal).toBe("SIGKILL");
    expect(isRunning(Number(readFileSync(join(dir, "bg.pid"), "utf8")))).toBe(false);
  });

  it("ends the whole process group when its AbortSignal fires", async () => {
    const dir = scratch();
    const controller = new AbortController();
    const running = runProcess("sleep 1000 & echo $! > bg.pid; wait", { cwd: dir, timeoutMs: LONG, signal: controller.signal });
    const pid = Number(await waitForFile(join(dir, "bg.pid")));
    expect(isRunning(pid)).toBe(true);
    controller.abort();
    expect(await running).toMatchObject({ aborted: true, timedOut: false, exitCode: null, signal: "SIGTERM" });
    expect(isRunning(pid)).toBe(false);
  });

  it("starts nothing when the signal has fired already", async () => {
    const dir = scratch();
    const run = await runProcess("touch started", { cwd: dir, timeoutMs: LONG, signal: AbortSignal.abort() });
    expect(run.aborted).toBe(true);
    expect(existsSync(join(dir, "started"))).toBe(false);
  });

  it("says which working directory is missing (it said 'spawn /bin/sh ENOENT', like a missing shell)", async () => {
    const missing = join(scratch(), "missing");
    const run = await runProcess("true", { cwd: missing, timeoutMs: LONG });
    expect(run.spawnError).toBe(`the working directory ${missing} does not exist`);
    expect(run.exitCode).toBeNull();
  });

  it("never throws for what spawn refuses at once (a NUL byte in the environment was an internal error)", async () => {
    const run = await runProcess("true", { cwd: scratch(), timeoutMs: LONG, env: { ...process.env, BAD: "a\u0000b" } });
    expect(run.spawnError).toMatch(/null bytes/);
  });

  it("is not timed out when it exited in time and only the clean-up of what it left ran past the timeout", async () => {
    // The shell exits at once; the background sleep is ended after the drain, well after 100 ms.
    const run = await runProcess("sleep 5 & exit 0", { cwd: scratch(), timeoutMs: 100, drainMs: 300 });
    expect(run).toMatchObject({ exitCode: 0, timedOut: false, leftovers: true });
  });
});
