/**
 * Reads what a coding agent prints, line by line, for what it reports about itself: tokens and cost, and an error
 * result that its exit code does not show (Claude Code exits 0 with `"is_error": false, "subtype":
 * "error_max_budget_usd"`). Knows Claude Code's `--output-format json` (one result object) and `stream-json` (one
 * event per line, the result last), and Codex's `exec --json` events (JSON Lines). Output in no known format
 * reports nothing. Memory is bounded: a line longer than MAX_LINE is skipped, never buffered whole.
 */
import type { RunUsage } from "../store/types.js";

/** What an agent's own output said about its run. */
export interface AgentReport {
  /** The format recognised; null when the output was none of them (plain text). */
  format: "claude-json" | "claude-stream-json" | "codex-jsonl" | null;
  /** Tokens and cost, summed over the run's turns; null when the agent reported none. */
  usage: RunUsage | null;
  /** The agent's own words when it reported failure (an error result, a failed turn); null otherwise. */
  error: string | null;
}

/** The longest line parsed (bytes of UTF-16 text); longer ones are skipped. */
export const MAX_LINE = 4 * 1024 * 1024;

/** An incremental reader: `push` each chunk of stdout as it arrives, `end` once the process has exited. */
export interface AgentOutputReader {
  push(chunk: string): void;
  end(): AgentReport;
}

export function createAgentOutputReader(): AgentOutputReader {
  // Placeholder until the parser lands: reports nothing.
  return {
    push: () => undefined,
    end: () => ({ format: null, usage: null, error: null }),
  };
}
