import { notStarted, runLogged } from "./shared.js";
import type { Runner } from "./types.js";

/** Runs a `script` agent's task: the task's own `run` command, in the attempt's workspace. */
export function createScriptRunner(): Runner {
  return {
    kind: "script",
    run: async (request) => {
      const command = request.task.run ?? "";
      if (command.trim() === "") {
        return notStarted(
          "",
          `task ${request.task.id} has no run command: agent ${request.agent.id} is a script agent, which runs each task's own \`run\`; give the task one in the plan, or give the task to another agent`,
        );
      }
      return runLogged(request, { command, readAgentOutput: false });
    },
  };
}
