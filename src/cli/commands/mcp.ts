import { resolve } from "node:path";
import { now } from "../clock.js";
import type { CliIo, CommonOptions } from "../output.js";
import { readVersion } from "../version.js";

export interface McpOptions extends CommonOptions {
  plan?: string;
  agent?: string;
}

/**
 * `shipgate mcp`: serves the task queue over MCP on stdin/stdout until the client closes stdin. Nothing but the
 * protocol goes to stdout; diagnostics go to stderr (MCP clients keep it in their logs).
 */
export async function mcpCommand(options: McpOptions, io: CliIo): Promise<number> {
  const [{ serveStdio }, { openCheckout }, { PLAN_FILE }, { commandRunner }] = await Promise.all([
    import("../../mcp/server.js"),
    import("../../mcp/checkout.js"),
    import("../../config/load-plan.js"),
    import("./task.js"),
  ]);
  const cwd = options.cwd;
  await serveStdio({
    db: options.db,
    cwd,
    planFile: resolve(cwd, options.plan ?? PLAN_FILE),
    agent: options.agent || io.env.SHIPGATE_AGENT || null,
    now: () => now(io.env),
    // Acceptance and ready_when run in the server's working directory (--cwd), as `shipgate task done` runs them.
    runCheck: await commandRunner(cwd),
    // In git: `.shipgate/` is ignored from the start, and complete_task checks the files changed against the task's.
    checkout: await openCheckout(cwd),
    // The plan's gate with the project's shipgate.yaml, read when a task is completed (it may be edited meanwhile).
    checkGate: async (store, request) => {
      const [{ checkWorkspaceGate }, { loadConfig, CONFIG_FILE }] = await Promise.all([import("../../app/run/workspace-gate.js"), import("../../config/load-config.js")]);
      const config = await loadConfig(resolve(cwd, options.config ?? CONFIG_FILE), { required: true, cwd: process.cwd() });
      return checkWorkspaceGate({ ...request, config, store, at: now(io.env) });
    },
    log: (line) => io.stderr(`${line}\n`),
    version: readVersion(),
  });
  return 0;
}
