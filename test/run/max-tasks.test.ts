import { writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { shipgate } from "../cli/run-cli.js";
import { events, makeProject, runsOf } from "./project.js";

const states = (dir: string) => Object.fromEntries((JSON.parse(shipgate(["task", "list", "--json", "--cwd", dir]).stdout) as { id: string; state: string }[]).map((t) => [t.id, t.state]));

describe("shipgate run --max-tasks", () => {
  it("claims at most N tasks, finishes them (a retry included) and exits 0; the tasks it did not claim wait for the next run", { timeout: 90_000 }, () => {
    const { dir, recipes } = makeProject({
      agents: [{ id: "bot", kind: "cli", maxParallel: 2 }],
      tasks: [
        { id: "A", owner: "bot", files: ["a.txt"], acceptance: "grep -q good a.txt" },
        { id: "B", owner: "bot", files: ["b.txt"] },
        { id: "C", owner: "bot", files: ["c.txt"] },
      ],
    });
    // A's first attempt fails its acceptance; its retry is not a new task.
    writeFileSync(recipes, JSON.stringify({ A: [{ write: { "a.txt": "bad\n" } }, { write: { "a.txt": "good\n" } }], B: [{ write: { "b.txt": "B\n" } }], C: [{ write: { "c.txt": "C\n" } }] }));
    const first = shipgate(["run", "--max-tasks", "2", "--json", "--cwd", dir]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(states(dir)).toEqual({ A: "done", B: "done", C: "pending" });
    expect(runsOf(dir).map((r) => [r.task, r.attempt, r.outcome])).toEqual([["A", 1, "failed"], ["B", 1, "done"], ["A", 2, "done"]]);
    expect(events(first.stdout).at(-1)).toMatchObject({ type: "finished", summary: { done: 2, pending: 1, claimedNotDone: 0, runs: 3 } });

    const second = shipgate(["run", "--max-tasks", "2", "--cwd", dir]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(states(dir)).toEqual({ A: "done", B: "done", C: "done" });
    expect(second.stdout).toContain("3 done, 0 failed, 0 blocked, 0 pending (1 run;");
  });

  it("exits 1 when a task it claimed ends blocked, and 2 for a count that is not a whole number from 1", { timeout: 60_000 }, () => {
    const { dir, recipes } = makeProject({ agents: [{ id: "bot", kind: "cli" }], tasks: [{ id: "A", owner: "bot", files: ["a.txt"], retries: 0 }, { id: "B", owner: "bot", files: ["b.txt"] }] });
    writeFileSync(recipes, JSON.stringify({ A: [{ exit: 3, print: "cannot do it" }] }));
    for (const bad of ["0", "1.5", "x"]) {
      const refused = shipgate(["run", "--max-tasks", bad, "--cwd", dir]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain(`--max-tasks must be a whole number from 1 to 1000000 (got "${bad}")`);
    }
    expect(runsOf(dir)).toEqual([]);
    const result = shipgate(["run", "--max-tasks", "1", "--cwd", dir]);
    expect(result.code).toBe(1);
    expect(states(dir)).toEqual({ A: "blocked", B: "pending" });
  });
});
