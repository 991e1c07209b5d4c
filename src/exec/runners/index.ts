import type { AgentKind } from "../../plan/types.js";
import { createCliRunner } from "./cli.js";
import { createHumanRunner } from "./human.js";
import { createScriptRunner } from "./script.js";
import type { Runner } from "./types.js";

export type { Runner, RunnerResult, RunRequest } from "./types.js";
export { createCliRunner, createHumanRunner, createScriptRunner };

/** The runner of an agent kind. */
export function runnerFor(kind: AgentKind): Runner {
  switch (kind) {
    case "cli":
      return createCliRunner();
    case "script":
      return createScriptRunner();
    case "human":
      return createHumanRunner();
  }
}
