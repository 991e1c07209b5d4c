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
  const [{ serveStdio }, { PLAN_FILE }, { runPlanCommand, DEFAULT_PLAN_COMMAND_TIMEOUT_SECONDS }] = await Promise.all([
    import("../../mcp/server.js"),
    import("../../config/load-plan.js"),
    import("../../exec/run-command.js"),
  ]);
  const cwd = options.cwd;
  await serveStdio({
    db: options.db,
    cwd,
    planFile: resolve(cwd, options.plan ?? PLAN_FILE),
    agent: options.agent || io.env.SHIPGATE_AGENT || null,
    now: () => now(io.env),
    // Acceptance and ready_when run in the server's working directory (--cwd), as `shipgate task done` runs them.
    runCheck: async (request, signal) => {
      const run = await runPlanCommand(request.command, { root: cwd, name: `${request.kind}:${request.id}`, timeoutSeconds: request.timeoutSeconds, ...(signal ? { signal } : {}) });
      return { ...run, timeoutSeconds: request.timeoutSeconds ?? DEFAULT_PLAN_COMMAND_TIMEOUT_SECONDS };
    },
    log: (line) => io.stderr(`${line}\n`),
    version: readVersion(),
  });
  return 0;
}
