import { randomBytes } from "node:crypto";
import { boundLines, createWorkflowCommandGuard, stripControls } from "../report/sanitize.js";
import { jsonPieces } from "./json-pieces.js";

/** Where commands write. Injected so tests can capture it; only main.ts binds it to the process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /**
   * Resolves once stdout has passed on what it holds beyond its buffer (a pipe whose reader is slower
   * than shipgate): a long output written in pieces awaits it between pieces instead of queueing them
   * all. Absent: writes are never held back (a test capturing output, a file).
   */
  drain?: () => Promise<void>;
  /**
   * Writes the GitHub workflow commands shipgate issues itself (annotations, the report fence) to stdout.
   * Set by guardOutput inside GitHub Actions, where stdout and stderr no longer pass commands; absent
   * elsewhere (then stdout is used).
   */
  commands?: (text: string) => void;
  /** True when stderr is an interactive terminal (progress display, colors). */
  isTty: boolean;
  /** True when running under CI (plain progress lines). */
  isCi: boolean;
  color: boolean;
  env: NodeJS.ProcessEnv;
  /**
   * From this call on, SIGINT / SIGTERM abort the returned signal instead of ending shipgate at once (a
   * second one still ends it). Only work that stops on abort — ends the processes it started, stores
   * nothing, rejects with an InterruptedError — asks for it. Absent: interruption is not handled.
   */
  interruptible?: () => AbortSignal;
}

/** Flags every command shares. */
export interface CommonOptions {
  cwd: string;
  db?: string;
  config?: string;
  json?: boolean;
  markdown?: boolean;
}

/**
 * Inside GitHub Actions (GITHUB_ACTIONS=true) the runner reads workflow commands (`::error::`,
 * `::add-mask::`, `::stop-commands::`) from every line of stdout and stderr. The guarded io neutralizes
 * any such line, whatever wrote it (a report quoted in an error, a test name in a report), and gives
 * shipgate's own commands a separate writer, `commands`. Elsewhere the io is returned as it is.
 */
export function guardOutput(io: CliIo): CliIo {
  if (io.env.GITHUB_ACTIONS !== "true") return io;
  const out = createWorkflowCommandGuard();
  const err = createWorkflowCommandGuard();
  return {
    ...io,
    stdout: (text) => io.stdout(out(text)),
    stderr: (text) => io.stderr(err(text)),
    commands: (text) => io.stdout(out(text, true)),
  };
}

/**
 * Writes `JSON.stringify(value, null, 2)` and a newline to stdout, the same bytes, in pieces that wait
 * for stdout to drain: a 5 MB summary then never sits in memory whole, nor queued in the pipe.
 */
export async function writeJson(io: CliIo, value: unknown): Promise<void> {
  for (const piece of jsonPieces(value)) {
    io.stdout(piece);
    await io.drain?.();
  }
  io.stdout("\n");
}

/** Writes workflow commands shipgate issues itself (one per line). */
export function writeCommands(io: CliIo, text: string): void {
  (io.commands ?? io.stdout)(text.endsWith("\n") ? text : `${text}\n`);
}

/**
 * Writes a human report that quotes untrusted text (test names, finding messages). Renderers sanitize
 * that text field by field; without colors no escape sequence is left at all. Inside GitHub Actions the
 * report is also fenced with a one-time `stop-commands` token, on top of the guarded stdout.
 */
export function writeReport(io: CliIo, text: string): void {
  const body = io.color ? text : stripControls(text);
  if (io.env.GITHUB_ACTIONS !== "true") {
    io.stdout(body);
    return;
  }
  const token = `shipgate-${randomBytes(12).toString("hex")}`;
  writeCommands(io, `::stop-commands::${token}`);
  io.stdout(`${body}${body.endsWith("\n") ? "" : "\n"}`);
  writeCommands(io, `::${token}::`);
}

/**
 * An error for stderr: its message and hint may quote report bytes or a collector's output, so controls
 * and escape sequences are removed and the lines bounded (1000 lines of 2000 characters).
 */
export function errorText(message: string, hint?: string): string {
  const bound = (text: string) => boundLines(text, { maxLines: 1000, maxLineLength: 2000 });
  return `error: ${bound(message)}\n${hint ? `  → ${bound(hint)}\n` : ""}`;
}
