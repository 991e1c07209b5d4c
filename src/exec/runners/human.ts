import { notStarted } from "./shared.js";
import type { Runner } from "./types.js";

/** A person's tasks are never run by shipgate; this runner exists so that every agent kind has one. */
export function createHumanRunner(): Runner {
  return {
    kind: "human",
    run: (request) =>
      Promise.resolve(
        notStarted("", `task ${request.task.id} is a person's task (${request.agent.id}): it waits for \`shipgate task done ${request.task.id}\``),
      ),
  };
}
