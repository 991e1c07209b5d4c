import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createAgentOutputReader } from "../../src/exec/agent-output.js";
import { createCliRunner, createHumanRunner, createScriptRunner, runnerFor } from "../../src/exec/runners/index.js";
import { MAX_COMMAND_BYTES } from "../../src/exec/runners/cli.js";
import type { RunRequest } from "../../src/exec/runners/types.js";
import { shellQuote } from "../../src/exec/template.js";
import type { PlanAgent, PlanTask } from "../../src/plan/types.js";
import { isRunning, waitForFile } from "./processes.js";

/** Hang guards only: generous, never what a test measures. */
const LONG = 120_000;
const HEADER = "=== attempt 1 (written by the dispatcher) ===\n";
const node = shellQuote(process.execPath);

const task = (over: Partial<PlanTask> = {}): PlanTask => ({
  id: "T-1", title: "Do it", phase: "p1", priority: "P1", owner: "bot", estimate: { optimistic: 1, likely: 1, pessimistic: 1 },
  dependsOn: [], files: ["src/**"], reads: [], deliverables: [], acceptance: null, readyWhen: null, tags: [], ...over,
});
const agent = (over: Partial<PlanAgent> = {}): PlanAgent => ({ id: "bot", kind: "script", command: null, ratePerHour: null, capacity: 8, emails: [], branch: null, ...over });

/** A request in a fresh workspace whose log file already holds the dispatcher's header. */
function request(over: Partial<RunRequest> = {}): RunRequest {
  const cwd = mkdtempSync(join(tmpdir(), "shipgate-runner-"));
  const logFile = join(cwd, "..", `${cwd.split("/").at(-1) ?? "run"}.log`);
  writeFileSync(logFile, HEADER);
  const briefFile = join(cwd, "..", `${cwd.split("/").at(-1) ?? "run"}.brief.md`);
  const brief = "# Task T-1\n\nDo it: it's \"quoted\", $(touch pwned) and `touch pwned`.\n";
  writeFileSync(briefFile, brief);
  return {
    task: task(), agent: agent(), runId: 7, attempt: 1, cwd, brief, briefFile, logFile,
    env: { ...process.env, SHIPGATE_TASK: "T-1" }, timeoutMs: LONG, signal: new AbortController().signal, ...over,
  };
}
const script = (run: string, over: Partial<RunRequest> = {}) => {
  const r = request(over);
  return { ...r, task: task({ run }), ...over };
};
const logOf = (r: RunRequest) => readFileSync(r.logFile, "utf8");

describe("the script runner", () => {
  it("runs the task's run in the workspace and appends its output to the log after the header", async () => {
    const r = script("echo made > made.txt; echo hello; echo $SHIPGATE_TASK");
    const result = await createScriptRunner().run(r);
    expect(result).toMatchObject({ command: "echo made > made.txt; echo hello; echo $SHIPGATE_TASK", exitCode: 0, signal: null, timedOut: false, aborted: false, spawnError: null, stdoutTail: "hello\nT-1\n", stderrTail: "" });
    expect(result.report).toEqual({ format: null, usage: null, error: null });
    expect(readFileSync(join(r.cwd, "made.txt"), "utf8")).toBe("made\n");
    expect(logOf(r)).toBe(`${HEADER}hello\nT-1\n`);
  });

  it("returns the exit code and the tail of each stream", async () => {
    const result = await createScriptRunner().run(script("echo out; echo err >&2; exit 3"));
    expect(result).toMatchObject({ exitCode: 3, timedOut: false, spawnError: null, stdoutTail: "out\n", stderrTail: "err\n" });
  });

  it("writes both streams to the log interleaved, as they arrive", async () => {
    // Each line waits until the previous one is in the log: the log is written live, in arrival order.
    const r = request();
    const wait = (text: string) => `until grep -q ${text} ${shellQuote(r.logFile)}; do sleep 0.01; done`;
    const result = await createScriptRunner().run({ ...r, task: task({ run: `echo out1; ${wait("out1")}; echo err1 >&2; ${wait("err1")}; echo out2; ${wait("out2")}; echo err2 >&2` }) });
    expect(result.exitCode).toBe(0);
    expect(logOf(r)).toBe(`${HEADER}out1\nerr1\nout2\nerr2\n`);
  });

  it("ends the whole process group on timeout: the grandchild is gone too", async () => {
    const r = script("sh -c 'sleep 1000 & echo $! > grandchild.pid; wait' & wait", { timeoutMs: 300 });
    const result = await createScriptRunner().run(r);
    expect(result).toMatchObject({ timedOut: true, aborted: false, exitCode: null, spawnError: null });
    expect(isRunning(Number(readFileSync(join(r.cwd, "grandchild.pid"), "utf8")))).toBe(false);
  });

  it("ends the whole process group when the signal fires (Ctrl-C, a lost lease)", async () => {
    const controller = new AbortController();
    const r = script("echo started; sh -c 'sleep 1000 & echo $! > grandchild.pid; wait' & wait", { signal: controller.signal });
    const running = createScriptRunner().run(r);
    const pid = Number(await waitForFile(join(r.cwd, "grandchild.pid")));
    expect(isRunning(pid)).toBe(true);
    controller.abort();
    expect(await running).toMatchObject({ aborted: true, timedOut: false, exitCode: null });
    expect(isRunning(pid)).toBe(false);
    expect(logOf(r)).toBe(`${HEADER}started\n`);
  });

  it("says so when the task has no run command", async () => {
    const result = await createScriptRunner().run(request());
    expect(result).toMatchObject({ command: "", exitCode: null, durationMs: 0 });
    expect(result.spawnError).toMatchInlineSnapshot(`"task T-1 has no run command: agent bot is a script agent, which runs each task's own \`run\`; give the task one in the plan, or give the task to another agent"`);
  });

  it("says which workspace is missing", async () => {
    const r = script("true");
    const result = await createScriptRunner().run({ ...r, cwd: join(r.cwd, "gone") });
    expect(result.spawnError).toBe(`the working directory ${join(r.cwd, "gone")} does not exist`);
  });

  it("finishes the run when the log file cannot be written, and says so in stderrTail", async () => {
    const r = script("echo made > made.txt; echo err >&2");
    const logFile = join(r.cwd, "no-such-dir", "run.log");
    const result = await createScriptRunner().run({ ...r, logFile });
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(r.cwd, "made.txt"))).toBe(true);
    expect(result.stderrTail).toBe(`err\n[shipgate] the log file ${logFile} could not be written: ENOENT: no such file or directory, open '${logFile}'\n`);
  });

  it("keeps a character split between two reads of the pipe whole in the log (each chunk was decoded alone: U+FFFD)", async () => {
    const r = script(`${node} -e 'process.stdout.write("€".repeat(100000))'`);
    const result = await createScriptRunner().run(r);
    expect(result.exitCode).toBe(0);
    expect(logOf(r)).toBe(`${HEADER}${"€".repeat(100000)}`);
  });
});

describe("the cli runner", () => {
  /** A stand-in coding agent: records what it received, edits a file, prints a result line in Claude Code's shape. */
  function agentProgram(dir: string): string {
    const path = join(dir, "..", `${dir.split("/").at(-1) ?? "x"}-agent.mjs`);
    writeFileSync(
      path,
      `import { readFileSync, writeFileSync } from "node:fs";
const [prompt, promptFile, taskId, agentId, worktree] = process.argv.slice(2);
writeFileSync("received.json", JSON.stringify({ prompt, brief: readFileSync(promptFile, "utf8"), taskId, agentId, worktree, cwd: process.cwd(), env: process.env.SHIPGATE_TASK }));
writeFileSync("src.txt", "edited\\n");
console.error("working…");
console.log(JSON.stringify({ type: "result", subtype: "success", is_error: false, duration_ms: 2100, num_turns: 3, result: "Done: edited src.txt", session_id: "3f1c2a9e", total_cost_usd: 0.0123, usage: { input_tokens: 1200, output_tokens: 340, cache_read_input_tokens: 0, cache_creation_input_tokens: 0 } }));
`,
    );
    return path;
  }

  it("fills the template ({prompt} as in the docs' example), runs the agent in the workspace and feeds its stdout to the output reader", async () => {
    const r = request();
    const program = agentProgram(r.cwd);
    const template = `${node} ${shellQuote(program)} "{prompt}" {prompt_file} {task} '{agent}' {worktree}`;
    const result = await createCliRunner().run({ ...r, agent: agent({ kind: "cli", command: template }) });
    expect(result).toMatchObject({ exitCode: 0, spawnError: null, timedOut: false, stderrTail: "working…\n" });
    expect(JSON.parse(readFileSync(join(r.cwd, "received.json"), "utf8"))).toEqual({ prompt: r.brief, brief: r.brief, taskId: "T-1", agentId: "bot", worktree: r.cwd, cwd: r.cwd, env: "T-1" });
    expect(existsSync(join(r.cwd, "pwned"))).toBe(false);
    // The brief is named, not spelled out, in the command the result shows.
    expect(result.command).toBe(`${node} ${shellQuote(program)} '<the brief: ${Buffer.byteLength(r.brief)} bytes, as in ${r.briefFile}>' '${r.briefFile}' 'T-1' 'bot' '${r.cwd}'`);
    // Whatever the reader makes of the output, it read the same stdout the log holds.
    const log = logOf(r);
    expect(log.startsWith(`${HEADER}`)).toBe(true);
    expect(log).toContain('"type":"result","subtype":"success"');
    const reader = createAgentOutputReader();
    reader.push(result.stdoutTail);
    expect(result.report).toEqual(reader.end());
  });

  it("refuses a brief too long for {prompt} on a command line, and says to use {prompt_file}", async () => {
    const r = request();
    const brief = `# Big\n\n${"x".repeat(MAX_COMMAND_BYTES)}\n`;
    const result = await createCliRunner().run({ ...r, brief, agent: agent({ kind: "cli", command: 'claude -p "{prompt}"' }) });
    expect(result).toMatchObject({ exitCode: null, durationMs: 0, command: `claude -p '<the brief: ${Buffer.byteLength(brief)} bytes, as in ${r.briefFile}>'` });
    expect(result.spawnError).toMatchInlineSnapshot(`"agent bot's command is 101 KiB with the 101 KiB brief in {prompt}, more than a command line carries (100 KiB here; Linux takes 128 KiB in one argument): have the agent read the brief from {prompt_file} instead, e.g. \`claude -p < {prompt_file}\` or \`codex exec - < {prompt_file}\`"`);
    expect(logOf(r)).toBe(HEADER);
  });

  it("passes a 100 KB brief through {prompt_file}", async () => {
    const r = request();
    const brief = `# Big\n\n${"é".repeat(60_000)}\n`;
    writeFileSync(r.briefFile, brief);
    const result = await createCliRunner().run({ ...r, brief, agent: agent({ kind: "cli", command: "wc -c < {prompt_file}" }) });
    expect(result).toMatchObject({ exitCode: 0, spawnError: null, stdoutTail: `${Buffer.byteLength(brief)}\n` });
  });

  it("says so when the agent has no command template", async () => {
    const result = await createCliRunner().run(request({ agent: agent({ kind: "cli", command: null }) }));
    expect(result.spawnError).toMatchInlineSnapshot(`"agent bot has no command template, so shipgate cannot run its tasks: give it agents[].command in the plan (e.g. claude -p "{prompt}"), or let it work the queue itself through \`shipgate mcp\`"`);
  });

  it("says why a template cannot be filled", async () => {
    const result = await createCliRunner().run(request({ agent: agent({ kind: "cli", command: "cat <<EOF\n{prompt}\nEOF" }) }));
    expect(result.spawnError).toMatchInlineSnapshot(`"[exec] agent bot's command: a placeholder inside the here-document <<EOF cannot be quoted: write the placeholder outside here-documents and \${…}, or read the brief from {prompt_file}"`);
  });
});

describe("the human runner and runnerFor", () => {
  it("never runs a person's task", async () => {
    const r = request({ agent: agent({ id: "maintainer", kind: "human" }), task: task({ run: "touch ran" }) });
    const result = await createHumanRunner().run(r);
    expect(result.spawnError).toMatchInlineSnapshot(`"task T-1 is a person's task (maintainer): it waits for \`shipgate task done T-1\`"`);
    expect(existsSync(join(r.cwd, "ran"))).toBe(false);
  });

  it("gives each agent kind its runner", () => {
    expect((["cli", "script", "human"] as const).map((kind) => runnerFor(kind).kind)).toEqual(["cli", "script", "human"]);
  });
});
