import { join } from "node:path";
import type { CollectorConfig } from "../config/schema.js";
import { toSeconds } from "../config/schema.js";
import { runProcess, type ProcessRun } from "../exec/process.js";

export interface CollectorRun extends ProcessRun {
  name: string;
}

export interface RunCollectorOptions {
  /** Repository root; the collector's cwd is relative to it. */
  root: string;
  /** Called with each chunk of output, for progress displays. */
  onOutput?: (stream: "stdout" | "stderr", text: string) => void;
  /** Stops the collector (its whole process group); the run then says `aborted`. */
  signal?: AbortSignal;
  /** Grace period between SIGTERM and SIGKILL on timeout (ms). */
  killGraceMs?: number;
}

/**
 * Runs a collector's command (src/exec/process.ts: its own process group, finished when the command
 * exits, leftovers ended, timeout). Never throws: the result says what happened.
 */
export async function runCollector(collector: CollectorConfig & { command: string }, options: RunCollectorOptions): Promise<CollectorRun> {
  const run = await runProcess(collector.command, {
    cwd: collector.cwd ? join(options.root, collector.cwd) : options.root,
    env: { ...process.env, ...collector.env, SHIPGATE_COLLECTOR: collector.name },
    timeoutMs: toSeconds(collector.timeout) * 1000,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    ...(options.killGraceMs === undefined ? {} : { killGraceMs: options.killGraceMs }),
  });
  return { name: collector.name, ...run };
}
