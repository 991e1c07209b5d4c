import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { isQueueError, type QueueRefusal } from "../app/queue.js";
import { isShipgateError } from "../errors.js";
import { boundLines } from "../report/sanitize.js";

/** A queue refusal's hint in the MCP tools' words (their names and fields; an MCP caller has no flags). */
function refusalHint(refusal: QueueRefusal): string | undefined {
  switch (refusal.kind) {
    case "plan-missing":
      return "the server reads the plan file it was started with; write it, or restart the server naming the right one";
    case "plan-changed":
      return "agents sharing a store must share one plan file; call again";
    case "unknown-agent":
      return "name one of them as `agent`";
    case "not-owner":
      return "claim your own tasks: next_task shows the next one (the handoff tool says who owns what)";
    case "check-failed":
      return refusal.check === "ready_when" ? "its prerequisites are not in place yet: claim another task, or try again later" : "fix it and call complete_task again";
    case "unknown-task":
      return "status lists your tasks";
    default:
      return undefined;
  }
}

/**
 * Store hints name the command line's ways to look (`shipgate task list`); an MCP caller looks with `status`.
 * Anything else in a hint is already in the domain's words.
 */
const MCP_WORDS: [RegExp, string][] = [
  [/`shipgate task (list|runs)`/g, "the status tool"],
  [/`shipgate [^`]*`/g, "shipgate's command line"],
];

const reworded = (hint: string) => MCP_WORDS.reduce((text, [pattern, words]) => text.replace(pattern, words), hint);

/**
 * Any failure of a tool call as an MCP tool error (`isError: true`): the stable code first, then what is wrong and
 * what to do — never a crash of the server. Errors that are not shipgate's (a bug, a driver's surprise) keep their
 * message under INTERNAL. The text is bounded and stripped of control characters: it may quote a command's output.
 */
export function toolError(error: unknown): CallToolResult {
  const code = isShipgateError(error) ? error.code : "INTERNAL";
  const message = error instanceof Error ? error.message : String(error);
  const rawHint = isQueueError(error) ? (refusalHint(error.refusal) ?? error.hint) : isShipgateError(error) ? error.hint : "this is a bug in shipgate; the server's stderr has more";
  const hint = rawHint === undefined ? undefined : reworded(rawHint);
  const text = `${code}: ${boundLines(message, { maxLines: 40, maxLineLength: 500, keep: "tail" })}${hint ? `\n→ ${boundLines(hint, { maxLines: 5 })}` : ""}`;
  return { isError: true, content: [{ type: "text", text }] };
}
