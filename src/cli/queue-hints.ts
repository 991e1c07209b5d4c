import { ShipgateError } from "../errors.js";
import { isQueueError, type QueueError, type QueueRefusal } from "../app/queue/errors.js";

/** A word as a POSIX shell reads it back unchanged (ids and agent names are free text in the plan). */
export const shellWord = (word: string) => (/^[\w.:/@%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`);

/** The CLI's wording of a refusal: its message where the rule is a flag's (`--reason`), and a hint naming the flags that override it. */
function worded(refusal: QueueRefusal, error: QueueError): { message?: string; hint?: string } {
  switch (refusal.kind) {
    case "plan-missing":
      return { hint: "pass --plan FILE, or write shipgate.plan.yaml (docs/plan.md)" };
    case "plan-changed":
      return { hint: "agents sharing a store must share one plan file; run the command again" };
    case "unknown-agent":
      return { hint: "pass --agent with one of them, or --any to work on any agent's task" };
    case "not-owner":
      return { hint: "pass --any to take another agent's task (the handoffs say who owns what)" };
    case "check-failed":
      if (refusal.timedOut) return {};
      return { hint: refusal.check === "acceptance" ? 'fix it and try again, or record it anyway with --force --reason "…"' : "its prerequisites are not in place yet; --force starts it anyway" };
    case "unknown-task":
      return { hint: "`shipgate task list` lists them" };
    case "removed":
      return { hint: 'record it anyway with --force --reason "…"' };
    case "not-started":
      return { hint: `start it first (shipgate task start ${shellWord(refusal.id)}), or --force --reason "…"` };
    case "not-claimer":
      return { hint: `${refusal.agent ? "the agent that started it records it done" : `pass --agent ${shellWord(refusal.claimer)} if you are ${refusal.claimer}`}; --force --reason overrides` };
    case "held":
      return { hint: `${refusal.agent ? `${refusal.holder} moves it` : `pass --agent ${shellWord(refusal.holder)} if you are ${refusal.holder}`}; to move another agent's task anyway: --any --reason "…"` };
    case "reason-required":
      return {
        message:
          refusal.for === "force"
            ? "[task] --force needs --reason: say why it is done without its acceptance passing"
            : refusal.for === "any"
              ? "[task] --any needs --reason: say why you move a task another agent may hold"
              : `[task] --reason is required: say why ${refusal.id} is ${refusal.for}`,
        ...(error.hint ? { hint: error.hint } : {}),
      };
  }
}

/** Rewords a queue refusal for the command line (same code); any other error passes through. */
export function withCliWording(error: unknown): unknown {
  if (!isQueueError(error)) return error;
  const { message, hint } = worded(error.refusal, error);
  const shownHint = hint ?? error.hint;
  return new ShipgateError(error.code, message ?? error.message, { ...(shownHint ? { hint: shownHint } : {}), cause: error });
}
