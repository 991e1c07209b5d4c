#!/usr/bin/env node
// A stand-in for a coding agent, so that `shipgate run --plan shipgate.run.yaml` can run here without Claude Code
// or Codex (they need a network and an account). It does what a real agent would be asked to do for each task of
// the run plan — real edits from the table below — and prints what the real CLI prints, token usage included:
//
//   node agents/stand-in-agent.mjs --as claude --task FIX-MONEY --brief {prompt_file}
//
//   --as claude   one result object, as `claude -p … --output-format json` (Claude Code 2.1) prints it
//   --as codex    JSONL events, as `codex exec --json …` (Codex 0.171) prints them
//
// It runs in the task's git worktree (shipgate starts it there; $SHIPGATE_WORKTREE says where). Some tasks commit
// their change, others leave it for shipgate to commit, as agents do. Deterministic, no network, plain Node 20.
//
// For the demo of ownership: STAND_IN_STRAY=<task>:<path> makes that task also write <path>, a file it does not own.
import { execFileSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";

const { values: args } = parseArgs({ options: { as: { type: "string" }, task: { type: "string" }, brief: { type: "string" } } });
const as = args.as ?? "claude";
const task = args.task ?? process.env.SHIPGATE_TASK ?? "";
const root = process.env.SHIPGATE_WORKTREE ?? process.cwd();
const at = (path) => join(root, path);

/** Replaces `from` by `to` in a file; an agent that cannot find what it was told to change gives up. */
function edit(path, from, to) {
  const text = readFileSync(at(path), "utf8");
  if (!text.includes(from)) fail(`${path} does not contain the code this task changes (already done?)`);
  writeFileSync(at(path), text.replace(from, to));
}
function write(path, text) {
  mkdirSync(dirname(at(path)), { recursive: true });
  writeFileSync(at(path), text);
}
function fail(message) {
  console.error(`stand-in-agent: ${task}: ${message}`);
  process.exit(1);
}

/**
 * What each task of shipgate.run.yaml does: its edits, whether the agent commits them itself, what it answers, and
 * the tokens it reports (made up, but fixed per task, so every run of the demo reports the same figures).
 */
const WORK = {
  "FIX-MONEY": {
    summary: "Moved the minus sign before the currency symbol in formatMoney.",
    tokens: { input: 18_400, cached: 12_800, output: 640 },
    apply() {
      edit(
        "packages/api/src/money.ts",
        `  // Known bug, kept on purpose for the demo: the sign ends up after the symbol ("€-5.00").
  const digits = major.toLocaleString("en-US", {`,
        `  // The sign goes before the symbol: "-€5.00", not "€-5.00".
  const sign = major < 0 ? "-" : "";
  const digits = Math.abs(major).toLocaleString("en-US", {`,
      );
      edit("packages/api/src/money.ts", "return `${SYMBOLS[currency]}${digits}`;", "return `${sign}${SYMBOLS[currency]}${digits}`;");
    },
  },
  "TEST-MONEY": {
    commit: true,
    summary: "Added negative-amount cases for USD and JPY.",
    tokens: { input: 15_200, cached: 9_600, output: 410 },
    apply() {
      edit(
        "packages/api/test/money.test.ts",
        `  it("rejects fractional minor units", () => {`,
        `  it("puts the minus sign first for every currency", () => {
    expect(formatMoney(-123450, "USD")).toBe("-$1,234.50");
    expect(formatMoney(-1500, "JPY")).toBe("-¥1,500");
    expect(formatMoney(-1, "EUR")).toBe("-€0.01");
  });

  it("rejects fractional minor units", () => {`,
      );
    },
  },
  // Its first attempt forgets to export the function, so the acceptance (pytest) fails; shipgate retries with a brief
  // that quotes the failure, and only from that brief does the stand-in learn what to fix, as an agent would.
  "TEST-WORKER": {
    commit: true,
    summary: "Tested 429, 5xx and 501 in is_retryable_status.",
    tokens: { input: 12_900, cached: 8_200, output: 380 },
    apply(brief) {
      if (brief.includes("cannot import name 'is_retryable_status'")) {
        this.summary = "Exported is_retryable_status from the worker package: the last attempt's tests could not import it.";
        edit("services/worker/src/worker/__init__.py", "from .backoff import RetryError, backoff_delays, retry", "from .backoff import RetryError, backoff_delays, is_retryable_status, retry");
        edit("services/worker/src/worker/__init__.py", `__all__ = ["RetryError", "backoff_delays", "retry"]`, `__all__ = ["RetryError", "backoff_delays", "is_retryable_status", "retry"]`);
      }
      write(
        "services/worker/tests/test_status.py",
        `import pytest

from worker import is_retryable_status


@pytest.mark.parametrize("status", [429, 500, 502, 503, 599])
def test_retries_rate_limits_and_server_errors(status):
    assert is_retryable_status(status)


@pytest.mark.parametrize("status", [200, 400, 404, 501, 600])
def test_does_not_retry_the_rest(status):
    assert not is_retryable_status(status)
`,
      );
    },
  },
  "SEC-POLICY": {
    summary: "Wrote SECURITY.md: supported versions and how to report a vulnerability.",
    tokens: { input: 9_800, cached: 6_400, output: 520 },
    apply() {
      write(
        "SECURITY.md",
        `# Security policy

## Supported versions

Only the latest release of each package receives security fixes.

## Reporting a vulnerability

Email security@example.com with the steps to reproduce. We answer within two working days and publish
a fix and an advisory within 30 days. Please do not open a public issue for a vulnerability.
`,
      );
    },
  },
  "SEC-JITTER": {
    commit: true,
    summary: "Jitter now draws from secrets.SystemRandom (ruff S311).",
    tokens: { input: 11_300, cached: 7_700, output: 290 },
    apply() {
      edit("services/worker/src/worker/backoff.py", "import random\nimport time\n", "import secrets\nimport time\n\n# Jitter from the OS's generator: random's Mersenne Twister is predictable (ruff S311).\n_random = secrets.SystemRandom()\n");
      edit("services/worker/src/worker/backoff.py", "delay = random.uniform(0, delay)", "delay = _random.uniform(0, delay)");
      edit("services/worker/src/worker/backoff.py", "delay = delay / 2 + random.uniform(0, delay / 2)", "delay = delay / 2 + _random.uniform(0, delay / 2)");
    },
  },
  "OPS-HEALTH": {
    summary: "Added health() with its test, exported from the package.",
    tokens: { input: 21_700, cached: 15_100, output: 880 },
    apply() {
      write(
        "packages/api/src/health.ts",
        `export interface Health {
  status: "ok";
  uptimeSeconds: number;
}

/** What GET /healthz answers: the process is up, and for how long. */
export function health(now: () => number = () => performance.now()): Health {
  return { status: "ok", uptimeSeconds: Math.floor(now() / 1000) };
}
`,
      );
      write(
        "packages/api/test/health.test.ts",
        `import { describe, expect, it } from "vitest";
import { health } from "../src/index.js";

describe("health", () => {
  it("reports ok and the uptime in whole seconds", () => {
    expect(health(() => 61_500)).toEqual({ status: "ok", uptimeSeconds: 61 });
  });
});
`,
      );
      appendFileSync(at("packages/api/src/index.ts"), `export { health, type Health } from "./health.js";\n`);
    },
  },
  "OPS-VERSION": {
    commit: true,
    summary: "Exported the package version for the health route and logs.",
    tokens: { input: 8_600, cached: 5_900, output: 240 },
    apply() {
      write("packages/api/src/version.ts", `/** The package's version, as released. */\nexport const VERSION = "0.1.0";\n`);
      write(
        "packages/api/test/version.test.ts",
        `import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/index.js";

describe("VERSION", () => {
  it("is the version of package.json", () => {
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
    expect(VERSION).toBe(manifest.version);
  });
});
`,
      );
      appendFileSync(at("packages/api/src/index.ts"), `export { VERSION } from "./version.js";\n`);
    },
  },
};

const work = WORK[task];
if (!work) fail(`this stand-in knows no work for task "${task}" (it knows ${Object.keys(WORK).join(", ")})`);

// Show that the brief arrived: its first line (shipgate writes it to {prompt_file}).
const brief = args.brief && existsSync(args.brief) ? readFileSync(args.brief, "utf8") : "";
console.error(`stand-in-agent (${as}): ${brief.split("\n")[0] || "(no brief)"}`);

work.apply(brief);
const stray = process.env.STAND_IN_STRAY ?? "";
if (stray.startsWith(`${task}:`)) appendFileSync(at(stray.slice(task.length + 1)), "\n");
if (work.commit) {
  execFileSync("git", ["add", "-A"], { cwd: root });
  execFileSync("git", ["-c", `user.name=${as}`, "-c", `user.email=${as}@example.com`, "commit", "-q", "-m", `[${task}] ${work.summary}`], { cwd: root });
}

const { input, cached, output } = work.tokens;
if (as === "codex") {
  // The events of `codex exec --json` (test/fixtures/agents/codex-0.171-exec-json-success.jsonl), one per line.
  const events = [
    { type: "thread.started", thread_id: `0199a213-81c0-7800-8aa1-${task.toLowerCase().replace(/[^a-z0-9]/g, "").padEnd(12, "0").slice(0, 12)}` },
    { type: "turn.started" },
    { type: "item.completed", item: { id: "item_0", type: "agent_message", text: work.summary } },
    { type: "turn.completed", usage: { input_tokens: input, cached_input_tokens: cached, cache_write_input_tokens: 0, output_tokens: output, reasoning_output_tokens: Math.round(output / 3) } },
  ];
  for (const event of events) console.log(JSON.stringify(event));
} else {
  // The result object of `claude -p … --output-format json` (test/fixtures/agents/claude-2.1.332-json-success.json),
  // its cost at Claude Sonnet 4.5's list prices: $3 / M input, $3.75 / M cache writes, $0.30 / M cache reads, $15 / M output.
  const fresh = input - cached;
  const cost = Math.round((fresh * 3 + cached * 0.3 + output * 15) / 1e6 * 1e6) / 1e6;
  const usage = { input_tokens: fresh, cache_creation_input_tokens: 0, cache_read_input_tokens: cached, output_tokens: output, service_tier: "standard" };
  const modelUsage = { "claude-sonnet-4-5": { inputTokens: fresh, outputTokens: output, cacheReadInputTokens: cached, cacheCreationInputTokens: 0, webSearchRequests: 0, costUSD: cost, contextWindow: 200000 } };
  console.log(
    JSON.stringify({ type: "result", subtype: "success", is_error: false, duration_ms: 1000, duration_api_ms: 900, num_turns: 4, result: work.summary, stop_reason: "end_turn", session_id: "acffcade-485a-46fe-af9f-81a9daf6ad80", total_cost_usd: cost, usage, modelUsage, permission_denials: [], terminal_reason: "completed" }),
  );
}
