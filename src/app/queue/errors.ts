import { ShipgateError, type ErrorCode, type ShipgateErrorOptions } from "../../errors.js";

/**
 * Why the queue refused, as data: an entry point branches on `kind` to word its own hint (the CLI names its flags,
 * an HTTP or MCP caller its fields). The error's message says what is wrong in words no entry point owns.
 */
export type QueueRefusal =
  /** The plan file could not be read. */
  | { kind: "plan-missing"; file: string }
  /** Another plan was imported into the store between this call's import and its read of the plan. */
  | { kind: "plan-changed" }
  /** `agent` is not one of the plan's agents, and the caller did not ask for any agent's task. */
  | { kind: "unknown-agent"; agent: string; agents: string[] }
  /** `id` belongs to `owner`; taking it needs `any` (or `force`). */
  | { kind: "not-owner"; id: string; owner: string; agent: string }
  /** A task's acceptance or ready_when command did not pass. */
  | { kind: "check-failed"; id: string; check: CheckKind; command: string; timedOut: boolean; exitCode: number | null; signal: string | null; spawnError: string | null; output: string }
  /** No task with this id was ever imported. */
  | { kind: "unknown-task"; id: string }
  /** `done` of a task the latest plan no longer lists (its acceptance is unknown): only forced. */
  | { kind: "removed"; id: string }
  /** `done` of a task that is not in progress: only forced. */
  | { kind: "not-started"; id: string; state: string }
  /** `done` by someone other than the agent that started the task (`agent` null: the caller named none). */
  | { kind: "not-claimer"; id: string; claimer: string; agent: string | null }
  /** fail / block / reset of a task another agent holds, without `any`. */
  | { kind: "held"; id: string; state: string; holder: string; agent: string | null }
  /** A reason is required: to force `done` (`for: "force"`), to move with `any`, to fail or block a task. */
  | { kind: "reason-required"; id: string; for: "force" | "any" | "failed" | "blocked" };

export type CheckKind = "acceptance" | "ready_when";

/** A refusal of the queue's use cases; `refusal` is the same story as data. */
export class QueueError extends ShipgateError {
  readonly refusal: QueueRefusal;

  constructor(code: ErrorCode, message: string, refusal: QueueRefusal, options: ShipgateErrorOptions = {}) {
    super(code, message, options);
    this.name = "QueueError";
    this.refusal = refusal;
  }
}

export const isQueueError = (error: unknown): error is QueueError => error instanceof QueueError;
