import { isShipgateError, throwIfInterrupted } from "../../errors.js";
import { claimConflictEvent } from "../../store/task-state.js";
import type { TaskRecord, TaskRun } from "../../store/types.js";
import { isQueueError, QueueError } from "./errors.js";
import { runTaskCheck, syncedPlanContent } from "./checks.js";
import type { CheckingQueueContext } from "./types.js";

/** An implicit next task whose ready_when failed: blocked with `reason` (the failure's first line) so the queue moved on. */
export interface BlockedTask {
  id: string;
  reason: string;
}

export interface StartRequest {
  agent: string;
  /** This task; without it, the agent's next ready task (any agent's with `any`). */
  id?: string | undefined;
  /** Take another agent's task (by id), or any agent's next one. */
  any?: boolean | undefined;
  /** Skip ready_when and the owner check. */
  force?: boolean | undefined;
  /** Stored as the task's note. */
  reason?: string | undefined;
}

export interface StartResult {
  /** The task now in progress for the agent; undefined when no task was ready. */
  task: TaskRecord | undefined;
  blocked: BlockedTask[];
}

/** How many taken-meanwhile or blocked tasks a claim walks past before it gives up (it then finds none ready). */
const MAX_ATTEMPTS = 50;

/**
 * Claims a task for `agent`: the given one, or the next ready one. The owner check (another agent's task needs
 * `any`), then ready_when (before the claim: a task whose prerequisites are not in place stays free), then the
 * atomic claim `take` does. Without an id: when another agent claims the task first (INVALID_TRANSITION), the one
 * after it; when its ready_when fails, the task is blocked with the reason and the queue moves on.
 */
async function claimWith<T extends { task: TaskRecord }>(ctx: CheckingQueueContext, request: StartRequest, take: (id: string) => Promise<T | undefined>): Promise<{ claimed: T | undefined; blocked: BlockedTask[] }> {
  const { agent, any = false, force = false } = request;
  const plan = await syncedPlanContent(ctx);
  if (!any && !plan.agents.some((a) => a.id === agent)) {
    const agents = plan.agents.map((a) => a.id);
    throw new QueueError("USAGE", `[task] "${agent}" is not an agent of the plan (${agents.join(", ")})`, { kind: "unknown-agent", agent, agents });
  }
  const claim = async (id: string): Promise<T | undefined> => {
    throwIfInterrupted(ctx.signal, "task", "no task was started");
    const definition = plan.tasks.find((t) => t.id === id);
    if (definition && definition.owner !== agent && !any && !force) {
      throw new QueueError("USAGE", `[task] ${id} is ${definition.owner}'s task, not ${agent}'s`, { kind: "not-owner", id, owner: definition.owner, agent });
    }
    if (definition?.readyWhen && !force) {
      await runTaskCheck(ctx, { kind: "ready_when", id, command: definition.readyWhen, timeoutSeconds: definition.readyWhenTimeout ?? null });
    }
    try {
      return await take(id);
    } catch (error) {
      if (isShipgateError(error) && error.code === "INVALID_TRANSITION") await recordConflict(ctx, id, agent);
      throw error;
    }
  };
  const blocked: BlockedTask[] = [];
  if (request.id !== undefined) return { claimed: await claim(request.id), blocked };
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const next = await ctx.store.nextTask(agent, { ownedOnly: !any });
    if (!next) break;
    try {
      const claimed = await claim(next.id);
      if (claimed) return { claimed, blocked };
    } catch (error) {
      if (isQueueError(error) && error.refusal.kind === "check-failed") {
        // Its prerequisites are not in place: block it (visible, with the reason) so the queue moves on.
        const reason = error.message.split("\n")[0] ?? "ready_when failed";
        await ctx.store.transitionTask(next.id, "blocked", { agent, note: reason }, ctx.now()).catch(() => undefined);
        blocked.push({ id: next.id, reason });
        ctx.onProgress?.({ type: "task-blocked", id: next.id, reason });
        continue;
      }
      // Another agent claimed it first (or a dependency went back meanwhile): the next one.
      if (!isShipgateError(error) || (error.code !== "INVALID_TRANSITION" && error.code !== "NOT_READY")) throw error;
    }
  }
  return { claimed: undefined, blocked };
}

/**
 * After a refused claim: when another agent holds the task, appends a `claim.conflict` event (what /metrics counts as
 * `shipgate_task_claim_conflicts_total`), so that every process sharing the store sees lost races. Best effort: a
 * failure to record it never hides the refusal.
 */
async function recordConflict(ctx: CheckingQueueContext, id: string, agent: string): Promise<void> {
  try {
    const task = await ctx.store.getTask(id);
    if (task?.state !== "in_progress" || task.claimedBy === null || task.claimedBy === agent) return;
    await ctx.store.appendEvent(claimConflictEvent(id, agent, task.claimedBy, ctx.now()));
  } catch {
    // The refusal is what the caller needs; a store that cannot take the record now will say so on the next call.
  }
}

/** `task start`: moves the task to in_progress for the agent (no lease: a person or an agent that reports by hand). */
export async function startTask(ctx: CheckingQueueContext, request: StartRequest): Promise<StartResult> {
  const by = { agent: request.agent, ...(request.reason ? { note: request.reason } : {}) };
  const { claimed, blocked } = await claimWith(ctx, request, async (id) => ({ task: await ctx.store.transitionTask(id, "in_progress", by, ctx.now()) }));
  return { task: claimed?.task, blocked };
}

export interface LeaseRequest {
  agent: string;
  /** How long the lease lasts without a heartbeat. */
  leaseMs: number;
  id?: string | undefined;
  any?: boolean | undefined;
  reason?: string | undefined;
}

export interface LeaseResult {
  /** The claimed task and its run (its `epoch` is what heartbeat and finish present); undefined when none was ready. */
  claimed: { task: TaskRecord; run: TaskRun } | undefined;
  blocked: BlockedTask[];
}

/**
 * A claim with a lease, for a worker (the dispatcher, an MCP agent): the same rules as `startTask` (owner check,
 * ready_when first, the next task when another agent wins), through `store.claimTask`, which opens a run.
 */
export async function claimWithLease(ctx: CheckingQueueContext, request: LeaseRequest): Promise<LeaseResult> {
  return claimWith(ctx, request, (id) =>
    ctx.store.claimTask({ agent: request.agent, at: ctx.now(), leaseMs: request.leaseMs, taskId: id, ownedOnly: request.any !== true, ...(request.reason ? { note: request.reason } : {}) }),
  );
}
