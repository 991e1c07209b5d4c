import type { Store } from "../../store/types.js";
import type { SyncedPlan } from "../sync-plan.js";
import type { CheckKind } from "./errors.js";

/** How a task's acceptance or ready_when command ended (exec/run-command's `PlanCommandRun` is one). */
export interface CheckRun {
  /** 0: it passed. Null when it was killed or never started. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  spawnError?: string | null | undefined;
  stdoutTail: string;
  stderrTail: string;
}

export interface CheckRequest {
  kind: CheckKind;
  /** The task it belongs to. */
  id: string;
  command: string;
  /** The plan's timeout for it, in seconds; null: the runner's default. */
  timeoutSeconds: number | null;
  /** Where it runs (a task's worktree); absent: the project directory the runner was made for. */
  cwd?: string | undefined;
  /** Variables added to the command's environment: `TRACEPARENT` of its span (app/tracing.ts `traceEnv`), so its own spans join the trace. */
  env?: Record<string, string> | undefined;
}

/**
 * Runs a task's acceptance or ready_when command (the CLI passes one over exec/run-command; tests a fake). Never
 * throws for a failing command: it returns how it ended. On `signal` it ends the command and resolves.
 * `timeoutSeconds` in the result is the limit it applied (for the message when it ran out).
 */
export type RunCheck = (request: CheckRequest, signal: AbortSignal | undefined) => Promise<CheckRun & { timeoutSeconds: number }>;

/** What a use case reports while it works, in the order it happens (the CLI prints them to stderr). */
export type QueueProgress =
  | { type: "check-started"; id: string; check: CheckKind; command: string }
  /** The implicit next task's ready_when failed: it was blocked with `reason` and the queue moved on. */
  | { type: "task-blocked"; id: string; reason: string };

/** What every queue use case is given. */
export interface QueueContext {
  store: Store;
  /** The plan as `syncPlan` left it in the store, by this caller. */
  plan: SyncedPlan;
  /** The time stamped on every write (ISO 8601). */
  now: () => string;
  /** Aborting it stops a running check; the use case then rejects with INTERRUPTED and writes nothing more. */
  signal?: AbortSignal | undefined;
  onProgress?: ((event: QueueProgress) => void) | undefined;
}

/** The context of the use cases that run acceptance or ready_when commands. */
export interface CheckingQueueContext extends QueueContext {
  runCheck: RunCheck;
}
