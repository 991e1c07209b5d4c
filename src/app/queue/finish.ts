import { throwIfInterrupted } from "../../errors.js";
import type { TaskRecord } from "../../store/types.js";
import { runTaskCheck, syncedPlanContent } from "./checks.js";
import { QueueError } from "./errors.js";
import type { CheckingQueueContext, QueueContext } from "./types.js";

export interface FinishRequest {
  id: string;
  /** Who records it; null for a caller that names no agent (then only a task nobody claimed, or forced). */
  agent: string | null;
  /** Record it done without its acceptance, from any state, whoever holds it; needs `reason`. */
  force?: boolean | undefined;
  reason?: string | undefined;
}

export interface FinishResult {
  task: TaskRecord;
  /** `passed`: its acceptance ran and passed; `none`: the plan gives it none; `forced`: not run. */
  acceptance: "passed" | "none" | "forced";
}

/** The request alone is refused (a forced done without a reason), before any store is opened. */
export function checkFinishRequest(request: FinishRequest): void {
  if (request.force && !request.reason) {
    throw new QueueError("USAGE", "[task] forcing done needs a reason: say why it is done without its acceptance passing", { kind: "reason-required", id: request.id, for: "force" });
  }
}

/**
 * `done`: only the agent that started the task records it done, only once its acceptance passes; `force` with a
 * reason overrides both. The claimer seen before the acceptance ran must still hold the task when it is written
 * (compare-and-set: `expectHolder`), so a task re-taken meanwhile is not recorded done by the old holder.
 */
export async function finishTask(ctx: CheckingQueueContext, request: FinishRequest): Promise<FinishResult> {
  checkFinishRequest(request);
  const { id, agent, force = false, reason } = request;
  const plan = await syncedPlanContent(ctx);
  const record = await ctx.store.getTask(id);
  if (!record) throw new QueueError("NOT_FOUND", `[task] no task ${id} in the plan`, { kind: "unknown-task", id });
  if (record.removed && !force) throw new QueueError("INVALID_TRANSITION", `[task] ${id} was removed from the plan; its acceptance is unknown`, { kind: "removed", id });
  if (record.state !== "in_progress" && !force) {
    throw new QueueError("INVALID_TRANSITION", `[task] ${id} is ${record.state}; only a started task can be done`, { kind: "not-started", id, state: record.state });
  }
  // Like fail, block and reset: the claimer records it, and a caller who names no agent is not the claimer.
  if (record.claimedBy && record.claimedBy !== agent && !force) {
    throw new QueueError("USAGE", `[task] ${id} was started by ${record.claimedBy}${agent ? `, not ${agent}` : ""}`, { kind: "not-claimer", id, claimer: record.claimedBy, agent });
  }
  const definition = plan.tasks.find((t) => t.id === id);
  const acceptance = force ? null : (definition?.acceptance ?? null);
  if (acceptance) await runTaskCheck(ctx, { kind: "acceptance", id, command: acceptance, timeoutSeconds: definition?.acceptanceTimeout ?? null });
  throwIfInterrupted(ctx.signal, "task", `${id} was not recorded done`);
  const task = await ctx.store.transitionTask(id, "done", { agent, ...(reason ? { note: reason } : {}), ...(force ? { force: true } : { expectHolder: record.claimedBy }) }, ctx.now());
  return { task, acceptance: force ? "forced" : acceptance ? "passed" : "none" };
}

export type MoveTarget = "failed" | "blocked" | "pending";

export interface MoveRequest {
  id: string;
  /** fail (a failed attempt: it can be claimed again), block, or reset (back to pending). */
  to: MoveTarget;
  agent: string | null;
  /** Move it even though another agent holds it; needs `reason`. */
  any?: boolean | undefined;
  /** Required to fail or block. */
  reason?: string | undefined;
}

/** The request alone is refused (fail or block without a reason, `any` without one), before any store is opened. */
export function checkMoveRequest(request: MoveRequest): void {
  const { id, to, reason } = request;
  if ((to === "blocked" || to === "failed") && !reason) throw new QueueError("USAGE", `[task] a reason is required: say why ${id} is ${to}`, { kind: "reason-required", id, for: to });
  if (request.any && !reason) throw new QueueError("USAGE", `[task] moving ${id} while another agent may hold it needs a reason`, { kind: "reason-required", id, for: "any" });
}

/**
 * fail / block / reset. A task in progress or blocked is held by its claimer: only they move it, unless `any`
 * (with a reason). The holder seen here must still hold it when the move is written (`expectHolder`).
 */
export async function moveTask(ctx: QueueContext, request: MoveRequest): Promise<TaskRecord> {
  checkMoveRequest(request);
  const { id, to, agent, any = false, reason } = request;
  const record = await ctx.store.getTask(id);
  // Started (in progress) or parked by its claimer (blocked): the claimer holds it. A failed task is free to retry.
  const holder = record && (record.state === "in_progress" || record.state === "blocked") ? record.claimedBy : null;
  if (record && holder && holder !== agent && !any) {
    throw new QueueError("USAGE", `[task] ${id} is ${record.state.replace("_", " ")}, held by ${holder}${agent ? `, not ${agent}` : ""}`, { kind: "held", id, state: record.state, holder, agent });
  }
  return ctx.store.transitionTask(id, to, { agent, ...(reason ? { note: reason } : {}), ...(record ? { expectHolder: record.claimedBy } : {}) }, ctx.now());
}
