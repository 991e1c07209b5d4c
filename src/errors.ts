/**
 * Stable error codes. A code never changes meaning once released; scripts may branch on it.
 * - USAGE: a flag or argument is wrong (exit 2).
 * - CONFIG_INVALID: shipgate.yaml (or another config file) does not validate (exit 2).
 * - REPORT_NOT_FOUND: a report path does not exist or cannot be read (exit 2).
 * - PARSE_FAILED: a report could not be read at all (exit 2); partial problems are diagnostics instead.
 * - COLLECT_FAILED: a collector command timed out, could not start, or left no report (exit 2).
 * - STORE_UNAVAILABLE: the store cannot be opened or written (exit 2).
 * - NOT_FOUND: a snapshot or other stored object named by the user does not exist (exit 2).
 * - PLAN_INVALID: the plan file does not validate; the message lists every problem with file:line (exit 2).
 * - INVALID_TRANSITION: a task cannot move to the asked state from the one it is in (exit 2).
 * - NOT_READY: a task's dependencies are not done yet, or its acceptance command failed (exit 2).
 * - LEASE_LOST: a worker heartbeat or finished a run it no longer holds (its lease expired, or a newer claim took
 *   the task); nothing was recorded (exit 2).
 * - SCHEMA_TOO_NEW: the store was written by a newer shipgate; nothing was changed (exit 2).
 * - GIT_FAILED: git is missing, cannot start, or fails on the repository (not a git checkout, a broken
 *   revision); a revision that does not exist is NOT_FOUND instead (exit 2).
 * - WRITE_FAILED: a file shipgate was asked to write (a report output, `init`'s config) cannot be written (exit 2).
 * - COPY_FAILED: `shipgate db copy` stopped after it began writing the target, or its verification found the target
 *   different from the source; the target holds part of the copy and must be dropped or emptied (exit 2).
 * - INTERRUPTED: the work was stopped by SIGINT / SIGTERM (or a caller's AbortSignal) before it stored
 *   anything (exit 130 for SIGINT, 143 for SIGTERM).
 */
export type ErrorCode =
  | "USAGE"
  | "CONFIG_INVALID"
  | "REPORT_NOT_FOUND"
  | "PARSE_FAILED"
  | "COLLECT_FAILED"
  | "STORE_UNAVAILABLE"
  | "NOT_FOUND"
  | "PLAN_INVALID"
  | "INVALID_TRANSITION"
  | "NOT_READY"
  | "LEASE_LOST"
  | "SCHEMA_TOO_NEW"
  | "GIT_FAILED"
  | "WRITE_FAILED"
  | "COPY_FAILED"
  | "INTERRUPTED";

/**
 * What a caller can do, in the words of the domain rather than of one entry point: core and use-case hints use
 * these phrases where a command-line flag would be the fix, and each entry point words them for its own callers
 * (the CLI puts its flag in their place, see cli/hints.ts; an HTTP or MCP caller reads them as they are).
 */
export const REMEDY = {
  /** The report's format should be named instead of detected (the CLI: --format). */
  nameFormat: "name its format explicitly",
  /** The report is one shipgate reads, as `format` (the CLI: --format FORMAT). */
  formatIs: (format: string) => `name its format: ${format}`,
  /** Reports were asked for by name and none was named (the CLI: --report FILE). */
  nameReport: "name a report file",
  /** Existing reports were read instead of running the collectors (the CLI: leave out --no-run). */
  runCollectors: "let the collectors run",
  /** No snapshot is stored yet (the CLI: shipgate assess, or assess --gate to judge it too). */
  assessFirst: "assess the project first, which stores a snapshot (and can judge it with the gate in one step)",
} as const;

export interface ShipgateErrorOptions {
  /** What the user should do about it; printed after the message. */
  hint?: string;
  cause?: unknown;
}

/** Every error shipgate means to show a user. The message says what is wrong; `hint` says what to do. */
export class ShipgateError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, options: ShipgateErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ShipgateError";
    this.code = code;
    this.hint = options.hint;
  }
}

/** A report that yields nothing usable. `line` is 1-based when known. */
export class ParseError extends ShipgateError {
  readonly file: string;
  readonly line: number | undefined;

  constructor(file: string, line: number | undefined, message: string, options: ShipgateErrorOptions = {}) {
    super("PARSE_FAILED", `[ingest] ${file}${line === undefined ? "" : `:${line}`}: ${message}`, options);
    this.name = "ParseError";
    this.file = file;
    this.line = line;
  }
}

/** A collector whose command failed or left no report; `collector` names it, so a caller can offer to leave it out. */
export class CollectorError extends ShipgateError {
  readonly collector: string;

  constructor(code: ErrorCode, collector: string, message: string, options: ShipgateErrorOptions = {}) {
    super(code, message, options);
    this.name = "CollectorError";
    this.collector = collector;
  }
}

/**
 * Work stopped on request. As an AbortSignal's reason it names the process signal that asked (null when
 * a caller aborted); a use case that stops throws one saying what was not done.
 */
export class InterruptedError extends ShipgateError {
  readonly signal: string | null;

  constructor(message: string, signal: string | null, options: ShipgateErrorOptions = {}) {
    super("INTERRUPTED", message, options);
    this.name = "InterruptedError";
    this.signal = signal;
  }
}

/**
 * When `signal` has fired, throws `[module] interrupted by SIGINT: detail` (the process signal comes from
 * the abort reason, when it is an InterruptedError).
 */
export function throwIfInterrupted(signal: AbortSignal | undefined, module: string, detail: string): void {
  if (!signal?.aborted) return;
  const by = signal.reason instanceof InterruptedError ? signal.reason.signal : null;
  throw new InterruptedError(`[${module}] interrupted${by ? ` by ${by}` : ""}: ${detail}`, by);
}

export const isShipgateError = (error: unknown): error is ShipgateError => error instanceof ShipgateError;
