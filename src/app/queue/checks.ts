import { throwIfInterrupted } from "../../errors.js";
import type { Plan } from "../../plan/types.js";
import { QueueError } from "./errors.js";
import type { CheckingQueueContext, CheckRequest, QueueContext } from "./types.js";

/**
 * The last plan content read, by store and hash: a plan's content never changes under its hash, and parsing a
 * 1 000-task plan's JSON on every claim cost a dispatcher or an MCP server milliseconds per task.
 */
let lastRead: { key: string; plan: Plan } | null = null;

/** The plan this caller synced (never another file imported meanwhile by someone else), with its content. */
export async function syncedPlanContent(ctx: QueueContext): Promise<Plan> {
  const key = `${ctx.store.location}\0${ctx.plan.stored.hash}`;
  const cached = lastRead?.key === key ? lastRead.plan : null;
  const stored = await ctx.store.getPlan(cached ? { content: false } : {});
  if (stored && cached && stored.hash === ctx.plan.stored.hash) return cached;
  if (!stored || stored.hash !== ctx.plan.stored.hash) {
    throw new QueueError("USAGE", "[task] another plan file was imported into this store while the command ran", { kind: "plan-changed" }, {
      hint: "agents sharing a store must share one plan file; try again",
    });
  }
  lastRead = { key, plan: stored.content as Plan };
  return lastRead.plan;
}

/**
 * Runs a task's acceptance or ready_when; resolves when it passes. A failure is NOT_READY (refusal `check-failed`,
 * with the command's last output); an interruption (ctx.signal) is INTERRUPTED saying the task was left as it was.
 */
export async function runTaskCheck(ctx: CheckingQueueContext, request: CheckRequest): Promise<void> {
  const { id, kind, command } = request;
  ctx.onProgress?.({ type: "check-started", id, check: kind, command });
  const run = await ctx.runCheck(request, ctx.signal);
  throwIfInterrupted(ctx.signal, "task", `${id}'s ${kind} \`${command}\` was stopped; ${kind === "acceptance" ? `${id} was not recorded done` : `${id} was not started`}`);
  if (run.exitCode === 0) return;
  const output = (run.stderrTail.trim() || run.stdoutTail.trim()).split("\n").slice(-10).join("\n");
  const how = run.timedOut ? `did not finish within ${run.timeoutSeconds} s and was killed` : run.spawnError ? `could not start (${run.spawnError})` : `exited with ${run.exitCode ?? run.signal}`;
  throw new QueueError(
    "NOT_READY",
    `[task] ${id}: ${kind} \`${command}\` ${how}${output ? `; its last output:\n${output}` : ""}`,
    { kind: "check-failed", id, check: kind, command, timedOut: run.timedOut, exitCode: run.exitCode, signal: run.signal, spawnError: run.spawnError ?? null, output },
    run.timedOut ? { hint: `if it is just slow, give ${id}'s ${kind} a longer timeout in the plan: ${kind}: { command: …, timeout: 30m } (docs/plan.md)` } : {},
  );
}
