import { describe, expect, it } from "vitest";
import { reasonLine, runnerVerdict } from "../../src/app/run/attempt.js";
import type { RunnerResult } from "../../src/exec/runners/types.js";

const result = (over: Partial<RunnerResult>): RunnerResult => ({
  command: "x",
  exitCode: 0,
  signal: null,
  timedOut: false,
  aborted: false,
  spawnError: null,
  durationMs: 1,
  report: { format: null, usage: null, error: null },
  stdoutTail: "",
  stderrTail: "",
  ...over,
});

describe("why an attempt failed, in one line", () => {
  it.each([
    ["uvu's summary ends with its duration (seen on lukeed/dequal)", "  FAIL  boxed  \"boxed primitives\"\n\n  Total:     45\n  Passed:    44\n  Duration:  5.32ms\n", 'FAIL  boxed  "boxed primitives"'],
    ["a Node crash ends with the Node version", "file:///x/a.mjs:3\nthrow new Error('no config')\n^\n\nError: no config\n    at file:///x/a.mjs:3:7\n\nNode.js v20.20.2\n", "Error: no config"],
    ["pytest's last line counts failures (seen on hukkin/tomli)", "E   AssertionError: assert 1 == 2\n======= 1 failed, 16 passed in 0.20s =======\n", "======= 1 failed, 16 passed in 0.20s ======="],
    ["nothing telling: the last line", "step 1\nstep 2\ncannot do it\n", "cannot do it"],
    ["no output", "", ""],
    ["terminal colours are removed", "\u001b[31m✗ broken\u001b[39m\ndone in 2s\n", "✗ broken"],
  ])("%s", (_name, text, expected) => {
    expect(reasonLine(text)).toBe(expected);
  });

  it("names the run command for a script, the agent for a cli agent, and the timeout", () => {
    expect(runnerVerdict(result({ exitCode: 3, stderrTail: "Error: x\n" }), 60, "script")?.note).toBe("its run command exited with 3: Error: x");
    expect(runnerVerdict(result({ exitCode: 3 }), 60, "cli")?.note).toBe("the agent exited with 3");
    expect(runnerVerdict(result({ exitCode: null, timedOut: true }), 60)).toMatchObject({ outcome: "timeout", note: "ran longer than its timeout (60 s) and was killed" });
    expect(runnerVerdict(result({ report: { format: "claude-json", usage: null, error: "Claude Code stopped: error_max_budget_usd" } }), 60)).toMatchObject({ outcome: "failed" });
    expect(runnerVerdict(result({}), 60)).toBeNull();
  });
});
