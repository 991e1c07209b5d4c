/**
 * The execution settings of a plan with every default applied, for the dispatcher, the workers and the MCP server.
 * Plans stored by earlier versions lack these fields: every reader goes through these functions.
 */
import type { AgentKind, Plan, PlanAgent, PlanExecution, PlanTask } from "./types.js";

/** Seconds a claim lasts without a heartbeat when the plan does not say. */
export const DEFAULT_LEASE_SECONDS = 60;
/** Seconds one attempt may run when its task does not say (an hour: coding agents take minutes, not seconds). */
export const DEFAULT_RUN_TIMEOUT = 3600;
/** Attempts after the first when a task does not say. */
export const DEFAULT_RETRIES = 2;

/** The plan's `execution:` settings, defaults filled. */
export function executionOf(plan: Pick<Plan, "execution">): PlanExecution {
  return (
    plan.execution ?? {
      workspace: null,
      leaseSeconds: DEFAULT_LEASE_SECONDS,
      heartbeatSeconds: DEFAULT_LEASE_SECONDS / 4,
      maxParallel: null,
      ownership: "enforce",
      gate: null,
    }
  );
}

/** How many of the agent's tasks may run at once. */
export const agentMaxParallel = (agent: Pick<PlanAgent, "maxParallel">): number => agent.maxParallel ?? 1;

/** The environment the agent's runs get on top of shipgate's own. */
export const agentEnv = (agent: Pick<PlanAgent, "env">): Record<string, string> => agent.env ?? {};

/** Seconds one attempt of the task may run. */
export const taskTimeout = (task: Pick<PlanTask, "timeout">): number => task.timeout ?? DEFAULT_RUN_TIMEOUT;

/** Attempts after the first. */
export const taskRetries = (task: Pick<PlanTask, "retries">): number => task.retries ?? DEFAULT_RETRIES;

/**
 * How many attempts the queue gives the task (the store's `maxAttempts`): 1 + retries for tasks shipgate runs; null
 * (no limit) for a person's tasks, which are started and failed by hand.
 */
export function taskMaxAttempts(task: Pick<PlanTask, "retries">, ownerKind: AgentKind | undefined): number | null {
  return ownerKind === undefined || ownerKind === "human" ? null : 1 + taskRetries(task);
}
