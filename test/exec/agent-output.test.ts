import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createAgentOutputReader, MAX_LINE, type AgentReport } from "../../src/exec/agent-output.js";

const FIXTURES = fileURLToPath(new URL("../fixtures/agents/", import.meta.url));
const fixture = (name: string): Buffer => readFileSync(FIXTURES + name);

function read(...chunks: (string | Uint8Array)[]): AgentReport {
  const reader = createAgentOutputReader();
  for (const chunk of chunks) reader.push(chunk);
  return reader.end();
}

const GPT_FAKE = "The model `gpt-fake` does not exist or you do not have access to it.";
const HIGH_DEMAND = "We\u2019re currently experiencing high demand, which may cause temporary errors.";

// Every fixture is the real tool's output (test/fixtures/agents/SOURCES.md); the figures are the tool's own.
const CASES: [string, AgentReport][] = [
  [
    "claude-2.1.332-json-success.json",
    { format: "claude-json", usage: { inputTokens: 6201, outputTokens: 9, costUsd: 0.022488 }, error: null },
  ],
  [
    "claude-2.1.332-json-verbose-success.json",
    { format: "claude-json", usage: { inputTokens: 6207, outputTokens: 9, costUsd: 0.022505999999999998 }, error: null },
  ],
  [
    "claude-2.1.332-stream-json-tool-use.jsonl",
    { format: "claude-stream-json", usage: { inputTokens: 12405, outputTokens: 57, costUsd: 0.028319999999999998 }, error: null },
  ],
  [
    "claude-2.1.332-json-error-max-budget-usd.json",
    {
      format: "claude-json",
      usage: { inputTokens: 6204, outputTokens: 48, costUsd: 0.023082 },
      error: "Claude Code stopped: error_max_budget_usd (Reached maximum budget ($0.01))",
    },
  ],
  [
    "claude-2.1.332-stream-json-error-max-budget-usd.jsonl",
    {
      format: "claude-stream-json",
      usage: { inputTokens: 6206, outputTokens: 48, costUsd: 0.023087999999999997 },
      error: "Claude Code stopped: error_max_budget_usd (Reached maximum budget ($0.01))",
    },
  ],
  [
    "claude-2.1.332-json-error-max-turns.json",
    {
      format: "claude-json",
      usage: { inputTokens: 6205, outputTokens: 48, costUsd: 0.023084999999999998 },
      error: "Claude Code stopped: error_max_turns (Reached maximum number of turns (1))",
    },
  ],
  [
    // is_error false, exit code 0: only the subtype tells.
    "claude-2.0.76-json-error-max-budget-usd.json",
    {
      format: "claude-json",
      usage: { inputTokens: 6208, outputTokens: 48, costUsd: 0.023094 },
      error: "Claude Code stopped: error_max_budget_usd",
    },
  ],
  [
    // An API error: is_error true under subtype "success", the error's text in `result`, no tokens, cost 0.
    "claude-2.1.332-json-api-error-401.json",
    {
      format: "claude-json",
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
      error: "Claude Code stopped: API error 401 (Invalid API key · Fix external API key)",
    },
  ],
  [
    // Killed before its result: the assistant messages' usage, once per message, and no cost.
    "claude-2.1.332-stream-json-cut-before-result.jsonl",
    { format: "claude-stream-json", usage: { inputTokens: 12405, outputTokens: 2 }, error: null },
  ],
  [
    // `claude -p` then `claude -p --resume` of the same session: the second result carries the session's running
    // total (0.022521 + 0.022524), so only the latest result of a session counts.
    "claude-2.1.332-stream-json-resumed-session.jsonl",
    { format: "claude-stream-json", usage: { inputTokens: 12425, outputTokens: 18, costUsd: 0.045045 }, error: null },
  ],
  ["codex-0.171-exec-json-success.jsonl", { format: "codex-jsonl", usage: { inputTokens: 8432, outputTokens: 27 }, error: null }],
  [
    "codex-0.171-exec-json-reconnect-recovered.jsonl",
    { format: "codex-jsonl", usage: { inputTokens: 8432, outputTokens: 27 }, error: null },
  ],
  ["codex-0.171-exec-json-turn-failed.jsonl", { format: "codex-jsonl", usage: null, error: GPT_FAKE }],
  ["codex-0.171-exec-json-reconnect-failed.jsonl", { format: "codex-jsonl", usage: null, error: HIGH_DEMAND }],
  [
    // `codex exec` then `codex exec resume <thread>`: the second turn.completed holds the thread's running total
    // (16875 = 8437 + 8438), so only the latest figure of a thread counts.
    "codex-0.171-exec-json-resumed-thread.jsonl",
    { format: "codex-jsonl", usage: { inputTokens: 16875, outputTokens: 54 }, error: null },
  ],
  ["codex-0.44-exec-json-success.jsonl", { format: "codex-jsonl", usage: { inputTokens: 8436, outputTokens: 27 }, error: null }],
  [
    "codex-0.44-exec-json-turn-failed.jsonl",
    {
      format: "codex-jsonl",
      usage: null,
      error: `unexpected status 400 Bad Request: {"error":{"message":"${GPT_FAKE}","type":"invalid_request_error","code":"model_not_found"}}`,
    },
  ],
  [
    // The sample in openai/codex docs/exec.md (no real run here: the documentation's own figures).
    "codex-docs-exec-md-sample.jsonl",
    { format: "codex-jsonl", usage: { inputTokens: 24763, outputTokens: 122 }, error: null },
  ],
  ["codex-0.39-exec-json-success.jsonl", { format: "codex-jsonl", usage: { inputTokens: 8433, outputTokens: 27 }, error: null }],
  [
    "codex-0.39-exec-json-error.jsonl",
    {
      format: "codex-jsonl",
      usage: null,
      error: `unexpected status 400 Bad Request: {"error":{"message":"${GPT_FAKE}","type":"invalid_request_error","code":"model_not_found"}}`,
    },
  ],
];

describe("createAgentOutputReader", () => {
  it.each(CASES)("reads %s", (name, expected) => {
    expect(read(fixture(name))).toEqual(expected);
  });

  it.each(CASES)("reads %s pushed as one string", (name, expected) => {
    expect(read(fixture(name).toString("utf8"))).toEqual(expected);
  });

  it("gives the same report whatever byte the output is cut at, inside a UTF-8 character too", () => {
    // The reconnect fixture holds U+2019 (three bytes in UTF-8) in its messages.
    const bytes = fixture("codex-0.171-exec-json-reconnect-failed.jsonl");
    const whole = read(bytes);
    expect(whole.error).toBe(HIGH_DEMAND);
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(read(bytes.subarray(0, cut), bytes.subarray(cut))).toEqual(whole);
    }
  });

  it("gives the same report when every byte arrives alone", () => {
    const bytes = fixture("claude-2.1.332-stream-json-tool-use.jsonl");
    const reader = createAgentOutputReader();
    for (let i = 0; i < bytes.length; i += 1) reader.push(bytes.subarray(i, i + 1));
    expect(reader.end()).toEqual(read(bytes));
  });

  it("reads a last line that has no newline", () => {
    const text = fixture("claude-2.1.332-json-success.json").toString("utf8").trimEnd();
    expect(read(text).usage?.costUsd).toBe(0.022488);
  });

  it("reports nothing for plain text (a script's output)", () => {
    expect(read("running tests\n3 passed\n{not json at all\n", "done")).toEqual({ format: null, usage: null, error: null });
    expect(read("")).toEqual({ format: null, usage: null, error: null });
  });

  it("reads the JSON after an agent's text lines (mixed output), with CRLF line ends", () => {
    const result = fixture("claude-2.1.332-json-error-max-turns.json").toString("utf8").trimEnd();
    const report = read("Preparing the worktree…\r\nnpm warn deprecated x@1\r\n  " + result + "\r\n", "bye\r\n");
    expect(report.format).toBe("claude-json");
    expect(report.error).toBe("Claude Code stopped: error_max_turns (Reached maximum number of turns (1))");
  });

  it("ignores garbage and truncated JSON lines instead of throwing", () => {
    const stream = fixture("codex-0.171-exec-json-success.jsonl").toString("utf8");
    const report = read(
      '{"type":"turn.completed","usage":{"input_tokens":40\n',
      "{]\n[1,2\n{}\n[]\nnull\n{\"type\":42}\n\u0000\u00ff garbage\n",
      stream,
      '{"type":"result","subtype":"succ',
    );
    expect(report).toEqual({ format: "codex-jsonl", usage: { inputTokens: 8432, outputTokens: 27 }, error: null });
  });

  it("skips a line longer than MAX_LINE, arriving in pieces, and reads the next", () => {
    const reader = createAgentOutputReader();
    // A result hidden in the over-long line must not count: the line is dropped whole.
    reader.push('{"type":"result","subtype":"error_max_turns","is_error":true,"pad":"');
    const piece = "x".repeat(1024 * 1024);
    for (let size = 0; size <= MAX_LINE; size += piece.length) reader.push(piece);
    reader.push('"}\n');
    reader.push(fixture("claude-2.1.332-json-success.json"));
    expect(reader.end()).toEqual(CASES[0]?.[1]);
  });

  it("skips an over-long last line that never ends", () => {
    const reader = createAgentOutputReader();
    reader.push(fixture("codex-0.171-exec-json-turn-failed.jsonl"));
    reader.push('{"type":"turn.completed","usage":{"input_tokens":1,"output_tokens":1},"pad":"');
    reader.push("y".repeat(MAX_LINE));
    expect(reader.end()).toEqual({ format: "codex-jsonl", usage: null, error: GPT_FAKE });
  });

  it("does not count a Claude result twice with its assistant messages' usage", () => {
    const report = read(fixture("claude-2.1.332-stream-json-tool-use.jsonl"));
    // 12405 + 57 are the result's own figures; adding the assistant lines would give 24810 input tokens.
    expect(report.usage).toEqual({ inputTokens: 12405, outputTokens: 57, costUsd: 0.028319999999999998 });
  });

  it("sums two Claude sessions printed by one run (different session ids), and the last result decides the error", () => {
    const failed = fixture("claude-2.1.332-json-error-max-budget-usd.json");
    const ok = fixture("claude-2.1.332-json-success.json");
    expect(read(failed, ok)).toEqual({
      format: "claude-json",
      usage: { inputTokens: 6204 + 6201, outputTokens: 48 + 9, costUsd: 0.023082 + 0.022488 },
      error: null,
    });
    expect(read(ok, failed).error).toBe("Claude Code stopped: error_max_budget_usd (Reached maximum budget ($0.01))");
  });

  it("sums two Codex threads printed by one run", () => {
    const ok = fixture("codex-0.171-exec-json-success.jsonl");
    const recovered = fixture("codex-0.171-exec-json-reconnect-recovered.jsonl");
    expect(read(ok, recovered).usage).toEqual({ inputTokens: 8432 * 2, outputTokens: 27 * 2 });
  });

  it("lets the last Codex turn decide the error when a run retries codex exec", () => {
    const failed = fixture("codex-0.171-exec-json-turn-failed.jsonl");
    const ok = fixture("codex-0.171-exec-json-success.jsonl");
    expect(read(failed, ok)).toEqual({ format: "codex-jsonl", usage: { inputTokens: 8432, outputTokens: 27 }, error: null });
    expect(read(ok, failed)).toEqual({ format: "codex-jsonl", usage: { inputTokens: 8432, outputTokens: 27 }, error: GPT_FAKE });
  });

  it("reports a Codex error printed after the last turn (the process gave up before failing the turn)", () => {
    const ok = fixture("codex-0.171-exec-json-success.jsonl");
    const report = read(ok, '{"type":"error","message":"Reconnecting... 5/5 (stream disconnected)"}\n');
    expect(report.error).toBe("Reconnecting... 5/5 (stream disconnected)");
  });

  it("does not take a lone {\"type\":\"error\"} line of some other program for a Codex failure", () => {
    expect(read('{"type":"error","message":"lint failed"}\n')).toEqual({ format: null, usage: null, error: null });
  });
});
