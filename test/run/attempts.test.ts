import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shipgate } from "../cli/run-cli.js";
import { waitForFile } from "../exec/processes.js";
import { fakeAgent, git, makeProject, runsOf, start } from "./project.js";

/*
 * The retry budget through the built bin: cancelled runs (Ctrl-C) give their attempt back, and `task reset` gives a
 * fresh budget. Found trying `shipgate run` on a real project: after two Ctrl-C the next run printed "attempt 3 of 3"
 * (4 of 3 after a SIGTERM too), and `task reset` of a blocked task led to "attempt 2 of 1".
 */

const attemptLines = (stderr: string) => stderr.split("\n").filter((l) => l.startsWith("▶ ")).map((l) => /\(attempt [^,]*/.exec(l)?.[0]);

describe("shipgate run: the retry budget", () => {
  it("regression: two Ctrl-C used up attempts (the next run printed attempt 3 of 3); the next run is attempt 1 of 3 again and one failure does not block the task", { timeout: 90_000 }, async () => {
    const { dir, recipes, marks } = makeProject({ agents: [{ id: "bot", kind: "cli" }], tasks: [{ id: "K1", owner: "bot", files: ["k.txt"] }] });
    writeFileSync(recipes, JSON.stringify({ K1: [{ hang: true }] }));
    // The agent writes its pid first: Ctrl-C once it runs.
    const agentCommand = `sh -c 'echo $$ > ${marks}.$SHIPGATE_RUN.pid; exec node ${fakeAgent} "$0"' {task}`;
    writeFileSync(join(dir, "shipgate.plan.yaml"), readFileSync(join(dir, "shipgate.plan.yaml"), "utf8").replace(/command: .*/, `command: ${JSON.stringify(agentCommand)}`));
    git(dir, "commit", "-qam", "agent writes its pid");
    for (let i = 0; i < 2; i++) {
      const run = start(["run", "--cwd", dir], dir);
      // Should the run end without starting K1, its output says why.
      const early = await Promise.race([waitForFile(`${marks}.${i + 1}.pid`).then(() => undefined), run.done]);
      expect(early?.stderr).toBeUndefined();
      run.child.kill("SIGINT");
      const result = await run.done;
      expect(result.code).toBe(130);
      expect(attemptLines(result.stderr)).toEqual(["(attempt 1 of 3"]);
    }
    // Now attempt 1 fails for real and attempt 2 is done.
    writeFileSync(recipes, JSON.stringify({ K1: [{ exit: 1, print: "not yet" }, { write: { "k.txt": "k\n" } }] }));
    const result = shipgate(["run", "--cwd", dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(attemptLines(result.stderr)).toEqual(["(attempt 1 of 3", "(attempt 2 of 3"]);
    expect(runsOf(dir).map((r) => `${r.attempt}:${r.outcome}`)).toEqual(["1:cancelled", "1:cancelled", "1:failed", "2:done"]);
  });

  it("regression: task reset of a task blocked out of attempts led to attempt 2 of 1; the next run is attempt 1 of 1", { timeout: 60_000 }, () => {
    const { dir, recipes } = makeProject({ agents: [{ id: "bot", kind: "cli" }], tasks: [{ id: "R1", owner: "bot", files: ["r.txt"], retries: 0 }] });
    writeFileSync(recipes, JSON.stringify({ R1: [{ exit: 3, print: "cannot do it" }] }));
    const failed = shipgate(["run", "--cwd", dir]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("⛔ R1 blocked: 1 attempt failed: the agent exited with 3: cannot do it");
    const reset = shipgate(["task", "reset", "R1", "--agent", "bot", "--reason", "fixed the fixture", "--cwd", dir]);
    expect(reset.code, reset.stderr).toBe(0);
    writeFileSync(recipes, JSON.stringify({ R1: [{ write: { "r.txt": "r\n" } }] }));
    const result = shipgate(["run", "--cwd", dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(attemptLines(result.stderr)).toEqual(["(attempt 1 of 1"]);
    expect(runsOf(dir).map((r) => `${r.attempt}:${r.outcome}`)).toEqual(["1:failed", "1:done"]);
  });
});
