import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { shipgate } from "../cli/run-cli.js";
import { freshDatabase, postgresAvailable } from "../support/postgres.js";
import { makeProject, runsOf, start } from "./project.js";


describe("shipgate worker", () => {
  it("a worker killed with -9 mid-task: its lease expires, another worker runs the task again, the lost attempt is recorded and its late completion rejected", { timeout: 90_000 }, async () => {
    const { dir, recipes } = makeProject({
      agents: [{ id: "bot", kind: "cli" }],
      tasks: [{ id: "W1", owner: "bot", files: ["w.txt"] }],
      execution: "execution: { lease: 2s, heartbeat: 0.5 }",
    });
    // The first attempt outlives its worker (an orphan that exits after a while), the second does the work.
    writeFileSync(recipes, JSON.stringify({ W1: [{ sleepMs: 4000 }, { write: { "w.txt": "done\n" } }] }));
    const first = start(["worker", "--agent", "bot", "--until-idle", "--cwd", dir], dir);
    await first.shows("▶ W1");
    first.child.kill("SIGKILL");
    await first.done;
    const second = await start(["worker", "--agent", "bot", "--until-idle", "--cwd", dir], dir).done;
    expect(second.code).toBe(0);
    expect(second.stderr).toContain("run 1 of W1 (bot) lost: its lease expired");
    const runs = runsOf(dir);
    expect(runs.map((r) => [r.attempt, r.outcome])).toEqual([[1, "lost"], [2, "done"]]);
    expect(readFileSync(join(dir, "w.txt"), "utf8")).toBe("done\n");
    // The killed worker's attempt, finishing late with its epoch, is refused.
    const store = await openStore(join(dir, ".shipgate/shipgate.db"), { cwd: dir });
    try {
      const lost = await store.getRun(1);
      await expect(store.finishRun(1, lost!.epoch, { at: new Date().toISOString(), outcome: "done" })).rejects.toMatchObject({ code: "LEASE_LOST" });
      expect((await store.getTask("W1"))?.state).toBe("done");
    } finally {
      await store.close();
    }
  });

  it("a worker does not start a task that collides with one another worker is running", { timeout: 90_000 }, async () => {
    const record = 'echo "$SHIPGATE_TASK $(date +%s%N) start" >> "$RUN_LOG"; sleep 0.6; echo "$SHIPGATE_TASK $(date +%s%N) end" >> "$RUN_LOG"';
    const tasks = [
      { id: "XA", owner: "a", run: record, files: ["shared/**"] },
      { id: "XB", owner: "b", run: record, files: ["shared/config.txt"] },
      { id: "YA", owner: "a", run: record, files: ["a/**"] },
      { id: "YB", owner: "b", run: record, files: ["b/**"] },
    ];
    const { dir, marks } = makeProject({ git: false, agents: [{ id: "a", kind: "script" }, { id: "b", kind: "script" }], tasks });
    writeFileSync(join(dir, "shipgate.plan.yaml"), readFileSync(join(dir, "shipgate.plan.yaml"), "utf8").replaceAll("env: {", `env: { RUN_LOG: ${JSON.stringify(marks)},`));
    expect(shipgate(["task", "list", "--cwd", dir]).code).toBe(0);
    const worker = (agent: string) => start(["worker", "--agent", agent, "--until-idle", "--cwd", dir], dir);
    // b takes XB first; a, started while XB runs, must leave XA (same files) until XB has ended.
    const first = worker("b");
    await first.shows("▶ XB");
    const [b, a] = await Promise.all([first.done, worker("a").done]);
    expect([a.code, b.code], a.stdout + a.stderr + b.stdout + b.stderr).toEqual([0, 0]);
    const spans = new Map<string, number[]>();
    for (const [task, ns] of readFileSync(marks, "utf8").trim().split("\n").map((l) => l.split(" "))) spans.set(task!, [...(spans.get(task!) ?? []), Number(ns)]);
    const [xa, xb] = [spans.get("XA")!, spans.get("XB")!];
    expect(xa[1]! <= xb[0]! || xb[1]! <= xa[0]!).toBe(true);
  });

  const { skip } = postgresAvailable();
  const stores = [
    { name: "SQLite", db: () => Promise.resolve([] as string[]) },
    ...(skip ? [] : [{ name: "PostgreSQL", db: async () => ["--db", await freshDatabase("worker")] }]),
  ];
  it.each(stores)("two workers on $name never run one task twice", { timeout: 120_000 }, async ({ db }) => {
    const tasks = Array.from({ length: 24 }, (_, i) => ({ id: `J${String(i + 1).padStart(2, "0")}`, owner: "ci", run: `sleep 0.05; echo "$SHIPGATE_TASK $SHIPGATE_RUN" >> "$RUN_LOG"` }));
    const { dir, marks } = makeProject({ git: false, agents: [{ id: "ci", kind: "script", maxParallel: 3 }], tasks });
    writeFileSync(join(dir, "shipgate.plan.yaml"), readFileSync(join(dir, "shipgate.plan.yaml"), "utf8").replace("env: {", `env: { RUN_LOG: ${JSON.stringify(marks)},`));
    const args = ["worker", "--agent", "ci", "--until-idle", "--cwd", dir, ...(await db())];
    // Import the plan first, so the two workers race on claims, not on the import.
    expect(shipgate(["task", "list", "--cwd", dir, ...args.slice(6)]).code).toBe(0);
    const [a, b] = await Promise.all([start(args, dir).done, start(args, dir).done]);
    expect([a.code, b.code], a.stdout + a.stderr + b.stdout + b.stderr).toEqual([0, 0]);
    const lines = readFileSync(marks, "utf8").trim().split("\n");
    expect(lines).toHaveLength(24);
    expect(new Set(lines.map((l) => l.split(" ")[0])).size).toBe(24);
    const runs = runsOf(dir, args.slice(6));
    expect(runs).toHaveLength(24);
    expect(runs.every((r) => r.outcome === "done")).toBe(true);
  });
});
