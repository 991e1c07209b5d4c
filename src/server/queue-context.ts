import { existsSync } from "node:fs";
import type { CheckingQueueContext, RunCheck } from "../app/queue.js";
import type { SyncedPlan } from "../app/sync-plan.js";
import { ShipgateError } from "../errors.js";
import type { Plan } from "../plan/types.js";
import type { Store } from "../store/types.js";

export interface ServerQueueOptions {
  store: Store;
  /** The plan file: synced into the store (re-imported when it changed) before a task moves, as the CLI does. */
  planFile: string;
  cwd: string;
  now: () => string;
}

/**
 * The plan the queue works with: the plan file when the server's checkout has one (synced first), else the plan
 * already in the store (a server watching a shared store it does not plan for). NOT_FOUND before any import.
 */
export async function serverPlan(options: ServerQueueOptions): Promise<SyncedPlan> {
  if (existsSync(options.planFile)) {
    const { syncPlan } = await import("../app/sync-plan.js");
    return syncPlan(options.store, options.planFile, { cwd: options.cwd, at: options.now() });
  }
  const stored = await options.store.getPlan({ content: false });
  if (!stored) throw new ShipgateError("NOT_FOUND", "[server] the store holds no plan yet", { hint: "import one: run a task command in the project, or start the server where its plan file is" });
  return { stored, imported: false };
}

/** The plan's content, for risks: the same plan `serverPlan` settles on. */
export async function serverPlanContent(options: ServerQueueOptions): Promise<{ plan: Plan; planFile: string }> {
  const synced = await serverPlan(options);
  const stored = await options.store.getPlan();
  if (!stored || stored.hash !== synced.stored.hash) throw new ShipgateError("USAGE", "[server] another plan was imported while the request ran", { hint: "try again" });
  return { plan: stored.content as Plan, planFile: stored.source };
}

/** Acceptance and ready_when run as the CLI runs them: the plan's own commands, at the server's checkout. */
export async function commandRunner(cwd: string): Promise<RunCheck> {
  const { runPlanCommand, DEFAULT_PLAN_COMMAND_TIMEOUT_SECONDS } = await import("../exec/run-command.js");
  return async (request, signal) => {
    const run = await runPlanCommand(request.command, { root: request.cwd ?? cwd, name: `${request.kind}:${request.id}`, timeoutSeconds: request.timeoutSeconds, ...(signal ? { signal } : {}), ...(request.env ? { env: request.env } : {}) });
    return { ...run, timeoutSeconds: request.timeoutSeconds ?? DEFAULT_PLAN_COMMAND_TIMEOUT_SECONDS };
  };
}

/** The context of a task move for one request: the request's abort signal ends a running check. */
export async function queueContext(options: ServerQueueOptions & { runCheck?: RunCheck }, signal: AbortSignal | undefined): Promise<CheckingQueueContext> {
  const plan = await serverPlan(options);
  return { store: options.store, plan, now: options.now, runCheck: options.runCheck ?? (await commandRunner(options.cwd)), signal };
}
