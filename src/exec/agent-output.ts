/**
 * Reads what a coding agent prints, line by line, for what it reports about itself: tokens and cost, and an error
 * result that its exit code does not show (Claude Code 2.0.76 exits 0 with `"is_error": false, "subtype":
 * "error_max_budget_usd"`; Codex 0.39 exits 0 after an `error`). Knows Claude Code's `--output-format json` (one
 * result object; with `--verbose`, one array of the session's messages) and `stream-json` (one event per line, the
 * result last), and Codex's `exec --json` events (JSON Lines; 0.44 on, and the `{"id","msg"}` events of 0.42 and
 * older). Output in no known format reports nothing. Memory is bounded: a line longer than MAX_LINE is skipped, never
 * buffered whole; only lines that start with `{` or `[` are parsed.
 *
 * The shapes, and where each one is documented, are listed in test/fixtures/agents/SOURCES.md.
 */
import type { RunUsage } from "../store/types.js";

/** What an agent's own output said about its run. */
export interface AgentReport {
  /** The format recognised; null when the output was none of them (plain text). */
  format: "claude-json" | "claude-stream-json" | "codex-jsonl" | null;
  /**
   * Tokens and cost, summed over the run's turns; null when the agent reported none. `inputTokens` counts every
   * prompt token the model read, cached or not (Claude's `input_tokens` + `cache_creation_input_tokens` +
   * `cache_read_input_tokens`; Codex's `input_tokens`, which already includes `cached_input_tokens`), so the two
   * agents' figures compare. `costUsd` only when the agent reported it (Claude Code does, Codex does not).
   */
  usage: RunUsage | null;
  /** The agent's own words when it reported failure (an error result, a failed turn); null otherwise. */
  error: string | null;
}

/** The longest line parsed (bytes of UTF-16 text); longer ones are skipped. */
export const MAX_LINE = 4 * 1024 * 1024;

/** An incremental reader: `push` each chunk of stdout as it arrives, `end` once the process has exited. */
export interface AgentOutputReader {
  /**
   * One more piece of the output, cut anywhere. Bytes are decoded as UTF-8 across chunks (a character split
   * between two chunks is kept whole); strings are taken as already decoded.
   */
  push(chunk: string | Uint8Array): void;
  /** The report on everything pushed so far, the last unterminated line included. Call once. */
  end(): AgentReport;
}

type Json = Record<string, unknown>;

interface Tokens {
  input: number;
  output: number;
}

export function createAgentOutputReader(): AgentOutputReader {
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  let skipping = false;

  // Claude Code
  let claudeStream = false;
  let claudeArray = false;
  // A session's results carry running totals (a streaming-input session prints one per turn): the latest counts.
  // Separate sessions (two `claude -p` in one script) add up.
  const claudeSessions = new Map<string, { tokens: Tokens | null; cost: number | null }>();
  let claudeError: string | null = null;
  // Assistant messages' usage, for a stream cut before its result: one entry per API message (Claude Code prints
  // one `assistant` line per content block, each repeating its message's usage).
  const assistantUsage = new Map<string, Tokens>();

  // Codex. `turn.completed` carries the thread's running total (codex-rs/exec: `usage_from_last_total`), and
  // `codex exec resume` goes on with the same thread: the latest figure of each thread counts.
  let codex = false;
  const threads = new Map<string, Tokens>();
  let thread = "";
  // The last turn's outcome decides, as for Claude; a top-level `error` after it counts unless a turn completes.
  let codexFailed: string | null = null;
  let codexLastError: string | null = null;

  function onClaudeResult(event: Json): void {
    const session = event["session_id"];
    const key = typeof session === "string" && session !== "" ? session : `#${claudeSessions.size}`;
    const cost = event["total_cost_usd"];
    claudeSessions.set(key, {
      // `modelUsage` covers every model the session called, as `total_cost_usd` does; `usage` covers the main loop
      // only (Agent SDK sdk.d.ts: "Prefer modelUsage for token/cost accounting") and is all zeros in an
      // error_max_budget_usd result (Claude Code 2.0.76 and 2.1.332 alike).
      tokens: claudeModelTokens(event["modelUsage"]) ?? claudeTokens(event["usage"]),
      cost: typeof cost === "number" && Number.isFinite(cost) && cost >= 0 ? cost : null,
    });
    // The last result decides: a wrapper that retried and then succeeded ended well.
    claudeError = claudeResultError(event);
  }

  function onCodexEvent(type: string, event: Json): void {
    codex = true;
    switch (type) {
      case "thread.started": {
        const id = event["thread_id"];
        thread = typeof id === "string" && id !== "" ? id : `#${threads.size}`;
        break;
      }
      case "turn.completed": {
        const tokens = codexTokens(event["usage"]);
        if (tokens) threads.set(thread, tokens);
        // A top-level `error` before a completed turn was a retry notice ("Reconnecting... 2/5").
        codexFailed = null;
        codexLastError = null;
        break;
      }
      case "turn.failed": {
        const error = event["error"];
        codexFailed = (isObject(error) ? text(error["message"]) : null) ?? codexLastError ?? "Codex turn failed";
        codexLastError = null;
        const tokens = codexTokens(event["usage"]);
        if (tokens) threads.set(thread, tokens);
        break;
      }
      case "error":
        codexLastError = text(event["message"]) ?? "Codex reported an error";
        break;
      default:
        break;
    }
  }

  function onLine(line: string): void {
    let start = 0;
    while (start < line.length && isBlank(line.charCodeAt(start))) start += 1;
    const first = line.charCodeAt(start);
    // `{`: one event; `[`: `claude -p --output-format json --verbose` prints the session's messages as one array.
    if (first !== 0x7b /* { */ && first !== 0x5b /* [ */) return;
    let parsed: unknown;
    try {
      parsed = JSON.parse(start === 0 ? line : line.slice(start));
    } catch {
      return;
    }
    if (Array.isArray(parsed)) {
      if (!parsed.some((item) => isObject(item) && item["type"] === "result")) return;
      claudeArray = true;
      for (const item of parsed) if (isObject(item)) onEvent(item);
      return;
    }
    if (isObject(parsed)) onEvent(parsed);
  }

  function onEvent(event: Json): void {
    const type = event["type"];
    if (typeof type !== "string") {
      // Codex before `--json` printed thread events (0.39 and older): `{"id":"0","msg":{"type":"token_count",…}}`.
      const msg = event["msg"];
      if (typeof event["id"] === "string" && isObject(msg) && typeof msg["type"] === "string") onLegacyCodex(msg["type"], msg);
      return;
    }
    if (type === "result" && (typeof event["subtype"] === "string" || typeof event["is_error"] === "boolean")) {
      onClaudeResult(event);
    } else if (type === "system" || type === "assistant" || type === "user" || type === "stream_event") {
      if (type === "system" && event["subtype"] === "init") claudeStream = true;
      if (type === "assistant") onAssistant(event);
    } else if (CODEX_EVENTS.has(type) || (type === "error" && codex)) {
      // Codex prints `thread.started` first; a lone `{"type":"error"}` from anything else is not Codex's.
      onCodexEvent(type, event);
    }
  }

  function onLegacyCodex(type: string, msg: Json): void {
    codex = true;
    if (type === "token_count") {
      const info = msg["info"];
      const tokens = isObject(info) ? codexTokens(info["total_token_usage"]) : null;
      if (tokens) threads.set(thread, tokens);
    } else if (type === "error") {
      // `stream_error` is a retry notice; `error` ends the task (and Codex 0.39 still exits 0).
      codexFailed = text(msg["message"]) ?? "Codex reported an error";
    } else if (type === "task_complete") {
      codexFailed = null;
    }
  }

  function onAssistant(event: Json): void {
    claudeStream = true;
    const message = event["message"];
    if (!isObject(message)) return;
    const tokens = claudeTokens(message["usage"]);
    const id = message["id"];
    if (tokens && typeof id === "string") assistantUsage.set(id, tokens);
  }

  function take(segment: string, complete: boolean): void {
    if (skipping) {
      if (complete) skipping = false;
      return;
    }
    if (pending.length + segment.length > MAX_LINE) {
      pending = "";
      skipping = !complete;
      return;
    }
    if (!complete) {
      pending += segment;
      return;
    }
    const line = pending + segment;
    pending = "";
    onLine(line);
  }

  function feed(text: string): void {
    let from = 0;
    for (;;) {
      const newline = text.indexOf("\n", from);
      if (newline < 0) break;
      take(text.slice(from, newline), true);
      from = newline + 1;
    }
    if (from < text.length) take(text.slice(from), false);
  }

  return {
    push(chunk) {
      feed(typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true }));
    },
    end() {
      feed(decoder.decode());
      if (pending.length > 0 && !skipping) onLine(pending);
      pending = "";
      skipping = false;

      if (claudeSessions.size > 0) {
        let usage: RunUsage | null = null;
        for (const { tokens, cost } of claudeSessions.values()) {
          if (tokens) {
            usage ??= {};
            usage.inputTokens = (usage.inputTokens ?? 0) + tokens.input;
            usage.outputTokens = (usage.outputTokens ?? 0) + tokens.output;
          }
          if (cost !== null) {
            usage ??= {};
            usage.costUsd = (usage.costUsd ?? 0) + cost;
          }
        }
        return { format: claudeStream && !claudeArray ? "claude-stream-json" : "claude-json", usage, error: claudeError };
      }
      if (claudeStream) {
        // Cut before its result (killed, timed out): what the assistant messages said, and no cost.
        let usage: RunUsage | null = null;
        for (const tokens of assistantUsage.values()) {
          usage ??= { inputTokens: 0, outputTokens: 0 };
          usage.inputTokens = (usage.inputTokens ?? 0) + tokens.input;
          usage.outputTokens = (usage.outputTokens ?? 0) + tokens.output;
        }
        return { format: "claude-stream-json", usage, error: null };
      }
      if (codex) {
        let usage: RunUsage | null = null;
        for (const tokens of threads.values()) {
          usage ??= { inputTokens: 0, outputTokens: 0 };
          usage.inputTokens = (usage.inputTokens ?? 0) + tokens.input;
          usage.outputTokens = (usage.outputTokens ?? 0) + tokens.output;
        }
        return { format: "codex-jsonl", usage, error: codexFailed ?? codexLastError };
      }
      return { format: null, usage: null, error: null };
    },
  };
}

/** Codex `exec --json` event types (codex-rs/exec/src/exec_events.rs), `error` aside: see `onLine`. */
const CODEX_EVENTS = new Set([
  "thread.started",
  "turn.started",
  "turn.completed",
  "turn.failed",
  "item.started",
  "item.updated",
  "item.completed",
]);

function claudeResultError(event: Json): string | null {
  const subtype = typeof event["subtype"] === "string" ? event["subtype"] : null;
  const isError = event["is_error"] === true;
  if (!isError && !(subtype !== null && subtype.startsWith("error"))) return null;
  const detail = claudeErrorDetail(event);
  const status = event["api_error_status"];
  const what =
    subtype !== null && subtype !== "success"
      ? subtype
      : typeof status === "number"
        ? `API error ${status}`
        : "error result";
  return detail ? `Claude Code stopped: ${what} (${detail})` : `Claude Code stopped: ${what}`;
}

/** The result's own words: `errors` (error subtypes) or `result` (an error reported as the answer's text). */
function claudeErrorDetail(event: Json): string | null {
  const errors = event["errors"];
  if (Array.isArray(errors)) {
    const words = errors.filter((e): e is string => typeof e === "string" && e.trim() !== "");
    if (words.length > 0) return clip(words.join("; "));
  }
  const result = text(event["result"]);
  return result ? clip(result) : null;
}

function claudeTokens(usage: unknown): Tokens | null {
  if (!isObject(usage)) return null;
  const input = count(usage["input_tokens"]);
  const output = count(usage["output_tokens"]);
  if (input === null && output === null) return null;
  return {
    input: (input ?? 0) + (count(usage["cache_creation_input_tokens"]) ?? 0) + (count(usage["cache_read_input_tokens"]) ?? 0),
    output: output ?? 0,
  };
}

/** Sums `modelUsage` (`{ "<model>": { inputTokens, outputTokens, cacheReadInputTokens, … } }`); null when absent or all zero. */
function claudeModelTokens(models: unknown): Tokens | null {
  if (!isObject(models)) return null;
  const total: Tokens = { input: 0, output: 0 };
  for (const model of Object.values(models)) {
    if (!isObject(model)) continue;
    total.input +=
      (count(model["inputTokens"]) ?? 0) + (count(model["cacheReadInputTokens"]) ?? 0) + (count(model["cacheCreationInputTokens"]) ?? 0);
    total.output += count(model["outputTokens"]) ?? 0;
  }
  return total.input > 0 || total.output > 0 ? total : null;
}

function codexTokens(usage: unknown): Tokens | null {
  if (!isObject(usage)) return null;
  const input = count(usage["input_tokens"]);
  const output = count(usage["output_tokens"]);
  if (input === null && output === null) return null;
  return { input: input ?? 0, output: output ?? 0 };
}

function count(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}

function text(value: unknown): string | null {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : null;
}

/** Error words end up in a run's note: one line, bounded. */
function clip(value: string): string {
  const line = value.slice(0, 2000).replace(/\s+/g, " ").trim();
  return line.length > 500 ? `${line.slice(0, 499)}…` : line;
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isBlank(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d;
}
