import { runProcess, type ProcessRun } from "./process.js";

/** A task's acceptance or ready_when command gets this long when the plan does not say. */
export const DEFAULT_PLAN_COMMAND_TIMEOUT_SECONDS = 600;

export interface PlanCommandRun extends ProcessRun {
  name: string;
}

/**
 * Runs a command that came from the plan (a task's `acceptance` or `ready_when`) through the shell at the
 * repository root, in its own process group, with a timeout; never throws. Only commands written in the
 * project's own plan get here.
 */
export async function runPlanCommand(
  command: string,
  options: { root: string; name: string; timeoutSeconds?: number | null; signal?: AbortSignal; onOutput?: (text: string) => void; env?: Record<string, string> },
): Promise<PlanCommandRun> {
  const run = await runProcess(command, {
    cwd: options.root,
    env: { ...process.env, ...options.env, SHIPGATE_COLLECTOR: options.name },
    timeoutMs: (options.timeoutSeconds ?? DEFAULT_PLAN_COMMAND_TIMEOUT_SECONDS) * 1000,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onOutput ? { onOutput: (_stream, text) => options.onOutput?.(text) } : {}),
  });
  return { name: options.name, ...run };
}
