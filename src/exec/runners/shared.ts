/** What every runner that runs a command shares: the log file, the agent-output reader, the result. */
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { createAgentOutputReader, type AgentOutputReader, type AgentReport } from "../agent-output.js";
import { runProcess } from "../process.js";
import type { RunRequest, RunnerResult } from "./types.js";

/** What a run reports when nothing read the agent's output (a script, a run that never started). */
export const NO_REPORT: AgentReport = { format: null, usage: null, error: null };

const TAIL = 4096;

/** The result of an attempt that never started (no command to run, a template that cannot be filled). */
export function notStarted(command: string, spawnError: string): RunnerResult {
  return { command, exitCode: null, signal: null, timedOut: false, aborted: false, spawnError, durationMs: 0, report: NO_REPORT, stdoutTail: "", stderrTail: "" };
}

export interface LoggedRunOptions {
  /** What runs (`sh -c`). */
  command: string;
  /** The command as the result shows it (default: `command`). */
  display?: string;
  /** Feed stdout to the agent-output reader (cli agents); a script's report stays all null. */
  readAgentOutput: boolean;
}

/**
 * Runs `command` for the attempt through exec/process (its own process group, the request's cwd, env, timeout and
 * signal), appending stdout and stderr to the log file as they arrive. A log that cannot be written does not stop
 * the run: the result's stderrTail says so. Resolves once the log is flushed and closed; never rejects.
 */
export async function runLogged(request: RunRequest, options: LoggedRunOptions): Promise<RunnerResult> {
  const notes: string[] = [];
  // Changed by the stream's and the reader's callbacks.
  const state: { logError: string | null; reader: AgentOutputReader | null } = {
    logError: null,
    reader: options.readAgentOutput ? createAgentOutputReader() : null,
  };
  const log = createWriteStream(request.logFile, { flags: "a" });
  log.on("error", (error) => {
    state.logError ??= error.message;
  });
  const readerFailed = (error: unknown) => {
    state.reader = null;
    notes.push(`[shipgate] reading the agent's output failed: ${(error as Error).message}`);
  };

  const run = await runProcess(options.command, {
    cwd: request.cwd,
    env: request.env,
    timeoutMs: request.timeoutMs,
    signal: request.signal,
    onOutput: (stream, text) => {
      if (state.logError === null) log.write(text);
      if (stream === "stdout" && state.reader !== null) {
        try {
          state.reader.push(text);
        } catch (error) {
          readerFailed(error);
        }
      }
      request.onOutput?.(stream, text);
    },
  });

  let report = NO_REPORT;
  if (state.reader !== null) {
    try {
      report = state.reader.end();
    } catch (error) {
      readerFailed(error);
    }
  }
  log.end();
  await finished(log).catch((error: Error) => {
    state.logError ??= error.message;
  });
  if (state.logError !== null) notes.unshift(`[shipgate] the log file ${request.logFile} could not be written: ${state.logError}`);

  // The notes go last and stay whole; the tail keeps its bound.
  const note = notes.join("\n");
  const stderrTail = note === "" ? run.stderrTail : `${run.stderrTail}${run.stderrTail === "" || run.stderrTail.endsWith("\n") ? "" : "\n"}${note}\n`.slice(-TAIL);
  return {
    command: options.display ?? options.command,
    exitCode: run.exitCode,
    signal: run.signal,
    timedOut: run.timedOut,
    aborted: run.aborted,
    spawnError: run.spawnError,
    durationMs: run.durationMs,
    report,
    stdoutTail: run.stdoutTail,
    stderrTail,
  };
}
