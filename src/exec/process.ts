import { spawn, type ChildProcessByStdio } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import type { Readable } from "node:stream";

/**
 * The one way shipgate runs a command it does not own (collectors, a task's acceptance and ready_when,
 * later runners): through the shell, in a process group of its own, so that a timeout, an interruption
 * or the end of the command can end everything it started.
 *
 * When it ends:
 * - The command is finished when the shell exits ('exit'), not when every holder of its output pipes
 *   has closed them ('close'): a background child (`sleep 1000 &`) keeps the pipes open and is not a
 *   hang. After the exit, output still in the pipes is read for up to `drainMs`; then whatever is left
 *   in the group is ended (SIGTERM, SIGKILL after `killGraceMs`) and `leftovers` says so.
 * - Timeout or abort: the whole group gets SIGTERM, and SIGKILL `killGraceMs` later if the shell has
 *   not exited by then; then as above.
 * - This process exits (a second Ctrl-C): groups still running get SIGKILL.
 * Never throws and never rejects: the result says what happened.
 */

/** What happened to one command. */
export interface ProcessRun {
  command: string;
  cwd: string;
  /** The shell's exit code; null when it was ended by a signal or never started. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** Stopped because `signal` (the AbortSignal) fired. */
  aborted: boolean;
  /** The command could not be started at all. */
  spawnError: string | null;
  /** Processes it left running in its group after it exited were ended. */
  leftovers: boolean;
  startedAt: number;
  durationMs: number;
  /** The last 4 KB of each stream, for error messages. */
  stdoutTail: string;
  stderrTail: string;
}

export interface RunProcessOptions {
  cwd: string;
  /** The whole environment of the command (default: this process's). */
  env?: NodeJS.ProcessEnv;
  /** End the group after this long (ms). */
  timeoutMs: number;
  /** Ends the group when it fires; the run then resolves with `aborted: true`. */
  signal?: AbortSignal;
  /** Called with each chunk of output, for progress displays. */
  onOutput?: (stream: "stdout" | "stderr", text: string) => void;
  /** Between SIGTERM and SIGKILL (ms, default 5000). */
  killGraceMs?: number;
  /** How long output is still read after the command exited (ms, default 500). */
  drainMs?: number;
}

const TAIL = 4096;
const POLL_MS = 50;

/** Process groups started here and not yet ended: they are killed when this process exits, however it exits. */
const running = new Set<number>();
let exitHook = false;

/** Sends `signal` to every process group still running (a second Ctrl-C, or the process exiting). Synchronous. */
export function killRunningGroups(signal: NodeJS.Signals): void {
  for (const pgid of running) signalGroup(pgid, signal);
}

/** Runs `command` through the shell in its own process group; see the contract above. */
export function runProcess(command: string, options: RunProcessOptions): Promise<ProcessRun> {
  const startedAt = Date.now();
  const result: ProcessRun = {
    command,
    cwd: options.cwd,
    exitCode: null,
    signal: null,
    timedOut: false,
    aborted: false,
    spawnError: null,
    leftovers: false,
    startedAt,
    durationMs: 0,
    stdoutTail: "",
    stderrTail: "",
  };
  const done = () => {
    result.durationMs = Date.now() - startedAt;
    return result;
  };
  if (options.signal?.aborted) {
    result.aborted = true;
    return Promise.resolve(done());
  }
  const grace = options.killGraceMs ?? 5000;
  const group = process.platform !== "win32";

  // A missing directory would surface as "spawn /bin/sh ENOENT", which reads like a missing shell.
  const cwdProblem = directoryProblem(options.cwd);
  if (cwdProblem !== null) {
    result.spawnError = cwdProblem;
    return Promise.resolve(done());
  }

  return new Promise((resolve) => {
    let child: ChildProcessByStdio<null, Readable, Readable>;
    try {
      child = spawn(command, {
        cwd: options.cwd,
        shell: true,
        detached: group,
        env: options.env ?? process.env,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (error) {
      // spawn throws at once for what it refuses to start (a NUL byte in the command, an argument or env).
      result.spawnError = (error as Error).message;
      resolve(done());
      return;
    }
    const pgid = child.pid;
    if (pgid !== undefined && group) {
      running.add(pgid);
      if (!exitHook) {
        exitHook = true;
        // process.exit() (a second Ctrl-C, an uncaught error) must not leave a group running under PID 1.
        process.on("exit", () => killRunningGroups("SIGKILL"));
      }
    }
    const keep = (key: "stdoutTail" | "stderrTail", stream: "stdout" | "stderr") => (text: string) => {
      result[key] = (result[key] + text).slice(-TAIL);
      options.onOutput?.(stream, text);
    };
    // Decoded as a stream: a character split between two reads of the pipe arrives whole, never as two U+FFFD.
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", keep("stdoutTail", "stdout"));
    child.stderr.on("data", keep("stderrTail", "stderr"));

    let closed = false;
    const closedWaiters: (() => void)[] = [];
    child.on("close", () => {
      closed = true;
      for (const wake of closedWaiters.splice(0)) wake();
    });
    /** Resolves when the pipes have closed, or after `ms`. */
    const closedWithin = (ms: number) =>
      new Promise<void>((wake) => {
        if (closed) return wake();
        const timer = setTimeout(wake, ms);
        closedWaiters.push(() => {
          clearTimeout(timer);
          wake();
        });
      });

    const kill = (signal: NodeJS.Signals) => {
      if (pgid !== undefined && group) signalGroup(pgid, signal);
      else child.kill(signal);
    };
    let exited = false;
    let killTimer: NodeJS.Timeout | undefined;
    const terminate = () => {
      if (exited || killTimer) return;
      kill("SIGTERM");
      killTimer = setTimeout(() => kill("SIGKILL"), grace);
    };
    const timer = setTimeout(() => {
      result.timedOut = true;
      terminate();
    }, options.timeoutMs);
    const onAbort = () => {
      result.aborted = true;
      terminate();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });

    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      options.signal?.removeEventListener("abort", onAbort);
      if (pgid !== undefined) running.delete(pgid);
      // A holder that escaped the group (setsid) must not keep this process alive.
      child.stdout.destroy();
      child.stderr.destroy();
      resolve(done());
    };

    child.on("error", (error) => {
      result.spawnError = error.message;
      // Without a pid nothing was started: no 'exit' will come.
      if (child.pid === undefined) finish();
    });
    child.on("exit", (code, signal) => {
      exited = true;
      // It ended in time: the timeout must not fire during the drain and the clean-up of what it left.
      clearTimeout(timer);
      result.exitCode = code;
      result.signal = signal;
      void (async () => {
        await closedWithin(options.drainMs ?? 500);
        if (pgid !== undefined && group && groupAlive(pgid)) {
          result.leftovers = true;
          signalGroup(pgid, "SIGTERM");
          if (!(await groupEnded(pgid, grace))) {
            signalGroup(pgid, "SIGKILL");
            await groupEnded(pgid, 1000);
          }
          await closedWithin(1000);
        }
        finish();
      })();
    });
  });
}

/** Polls until no process of the group runs, for at most `ms`; true when it ended. */
async function groupEnded(pgid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (groupAlive(pgid)) {
    if (Date.now() >= deadline) return false;
    await new Promise((wake) => setTimeout(wake, POLL_MS));
  }
  return true;
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // The group is gone already.
  }
}

/**
 * True while some process of the group is running. An ended process stays a zombie until its parent
 * (init, for the children of an exited shell) reaps it, which some container inits do late: on Linux
 * zombies do not count.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  if (process.platform !== "linux") return true;
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return true;
  }
  for (const entry of entries) {
    const first = entry.charCodeAt(0);
    if (first < 48 || first > 57) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue;
    }
    // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses, so read after the last ")".
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ", 3);
    if (Number(fields[2]) === pgid && fields[0] !== "Z" && fields[0] !== "X") return true;
  }
  return false;
}

/** Why `dir` cannot be a working directory, or null when it can (or is not given). */
function directoryProblem(dir: string | undefined): string | null {
  if (dir === undefined) return null;
  try {
    return statSync(dir).isDirectory() ? null : `the working directory ${dir} is not a directory`;
  } catch {
    return `the working directory ${dir} does not exist`;
  }
}
