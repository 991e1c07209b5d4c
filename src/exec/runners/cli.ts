import { ShipgateError } from "../../errors.js";
import { fillTemplate, type TemplateValues } from "../template.js";
import { notStarted, runLogged } from "./shared.js";
import type { Runner } from "./types.js";

/**
 * The longest command a cli agent's template may fill (bytes). The shell gets the command as one argument, and Linux
 * takes at most 128 KiB in one argument (MAX_ARG_STRLEN); a brief in {prompt} is the one value that can grow so far.
 */
export const MAX_COMMAND_BYTES = 100 * 1024;

/** Runs a `cli` agent's attempt: its `command` template filled in with the brief, the task, the agent and the workspace. */
export function createCliRunner(): Runner {
  return {
    kind: "cli",
    run: async (request) => {
      const { agent, task } = request;
      const template = agent.command ?? "";
      if (template.trim() === "") {
        return notStarted(
          "",
          `agent ${agent.id} has no command template, so shipgate cannot run its tasks: give it agents[].command in the plan (e.g. claude -p "{prompt}"), or let it work the queue itself through \`shipgate mcp\``,
        );
      }
      const values: TemplateValues = { prompt: request.brief, prompt_file: request.briefFile, task: task.id, agent: agent.id, worktree: request.cwd };
      const briefBytes = Buffer.byteLength(request.brief);
      let command: string;
      let display: string;
      try {
        command = fillTemplate(template, values);
        // The brief itself would drown the command in every message and log line: it is named instead.
        display = fillTemplate(template, { ...values, prompt: `<the brief: ${briefBytes} bytes, as in ${request.briefFile}>` });
      } catch (error) {
        const hint = error instanceof ShipgateError && error.hint !== undefined ? `: ${error.hint}` : "";
        return notStarted(template, `${(error as Error).message}${hint}`);
      }
      const bytes = Buffer.byteLength(command);
      if (bytes > MAX_COMMAND_BYTES) {
        const why = command !== display ? ` with the ${kib(briefBytes)} brief in {prompt}` : "";
        return notStarted(
          display,
          `agent ${agent.id}'s command is ${kib(bytes)}${why}, more than a command line carries (${kib(MAX_COMMAND_BYTES)} here; Linux takes 128 KiB in one argument): have the agent read the brief from {prompt_file} instead, e.g. \`claude -p < {prompt_file}\` or \`codex exec - < {prompt_file}\``,
        );
      }
      return runLogged(request, { command, display, readAgentOutput: true });
    },
  };
}

const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KiB`;
