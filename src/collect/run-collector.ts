import { spawn } from "node:child_process";
import { join } from "node:path";
import type { CollectorConfig } from "../config/schema.js";
import { toSeconds } from "../config/schema.js";

export interface CollectorRun {
  name: string;
  command: string;
  cwd: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  /** The command could not be started at all. */
  spawnError: string | null;
  startedAt: number;
  durationMs: number;
  /** The last 4 KB of each stream, for error messages. */
  stdoutTail: string;
  stderrTail: string;
}

export interface RunCollectorOptions {
  /** Repository root; the collector's cwd is relative to it. */
  root: string;
  /** Called with each chunk of output, for progress displays. */
  onOutput?: (stream: "stdout" | "stderr", text: string) => void;
  /** Grace period between SIGTERM and SIGKILL on timeout (ms). */
  killGraceMs?: number;
}

const TAIL = 4096;

/**
 * Runs a collector's command through the shell, in its own process group so that a timeout kills
 * the whole tree (test runners spawn workers). Never throws: the result says what happened.
 */
export function runCollector(collector: CollectorConfig & { command: string }, options: RunCollectorOptions): Promise<CollectorRun> {
  const cwd = collector.cwd ? join(options.root, collector.cwd) : options.root;
  const timeoutMs = toSeconds(collector.timeout) * 1000;
  const startedAt = Date.now();
  const result: CollectorRun = {
    name: collector.name,
    command: collector.command,
    cwd,
    exitCode: null,
    signal: null,
    timedOut: false,
    spawnError: null,
    startedAt,
    durationMs: 0,
    stdoutTail: "",
    stderrTail: "",
  };
  return new Promise((resolve) => {
    const child = spawn(collector.command, {
      cwd,
      shell: true,
      detached: process.platform !== "win32",
      env: { ...process.env, ...collector.env, SHIPGATE_COLLECTOR: collector.name },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const keep = (key: "stdoutTail" | "stderrTail", stream: "stdout" | "stderr") => (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      result[key] = (result[key] + text).slice(-TAIL);
      options.onOutput?.(stream, text);
    };
    child.stdout.on("data", keep("stdoutTail", "stdout"));
    child.stderr.on("data", keep("stderrTail", "stderr"));
    const kill = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined && process.platform !== "win32") process.kill(-child.pid, signal);
        else child.kill(signal);
      } catch {
        // Already gone.
      }
    };
    let killTimer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      result.timedOut = true;
      kill("SIGTERM");
      killTimer = setTimeout(() => kill("SIGKILL"), options.killGraceMs ?? 5000);
    }, timeoutMs);
    child.on("error", (error) => {
      result.spawnError = error.message;
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      result.exitCode = code;
      result.signal = signal;
      result.durationMs = Date.now() - startedAt;
      resolve(result);
    });
  });
}
