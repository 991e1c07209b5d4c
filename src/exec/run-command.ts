import { runCollector, type CollectorRun } from "../collect/run-collector.js";

/**
 * Runs a command that came from the plan (a task's `acceptance` or `ready_when`) through the shell at the
 * repository root, with a timeout; never throws. Only commands written in the project's own plan get here.
 */
export function runPlanCommand(command: string, options: { root: string; name: string; timeoutSeconds?: number; onOutput?: (text: string) => void }): Promise<CollectorRun> {
  return runCollector(
    { name: options.name, command, timeout: options.timeoutSeconds ?? 600, fail_on_exit: true, reports: [] },
    { root: options.root, ...(options.onOutput ? { onOutput: (_stream, text) => options.onOutput?.(text) } : {}) },
  );
}
