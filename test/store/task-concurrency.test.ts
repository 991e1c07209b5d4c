import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import type { TaskRecord } from "../../src/store/types.js";
import { freshDatabase, postgresAvailable } from "../support/postgres.js";
import { AT, planImport, planTask } from "./conformance.js";
import { releaseTogether, startReleasedWorker } from "./released-worker.js";

// Real processes on one store (a SQLite file, a PostgreSQL database): the worker runs the built driver (the
// global setup builds dist/).
const workerPath = fileURLToPath(new URL("./task-worker.mjs", import.meta.url));

interface WorkerResult {
  agent: string;
  claimed: string[];
  won: string[];
  lost: { id: string; code: string; message: string }[];
}

/** Starts the workers, waits until every one has opened the store, then releases them together. */
async function race(db: string, specs: { agent: string; command: string; ids?: string[] }[]): Promise<WorkerResult[]> {
  return releaseTogether(specs.map((s) => startReleasedWorker<WorkerResult>([workerPath, db, s.agent, s.command, ...(s.ids ?? [])], `worker ${s.agent}`)));
}

/** A new, empty store of each driver: its path or URL. */
const DRIVERS: { name: string; skip: string | null; create: () => Promise<string> }[] = [
  { name: "sqlite", skip: null, create: () => Promise.resolve(join(mkdtempSync(join(tmpdir(), "shipgate-tasks-")), "shipgate.db")) },
  { name: "postgres", skip: postgresAvailable().skip, create: () => freshDatabase("tasks") },
];

async function seed(create: () => Promise<string>, count: number, prefix: string): Promise<{ db: string; ids: string[] }> {
  const db = await create();
  const ids = Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(3, "0")}`);
  const store = await openStore(db);
  await store.importPlan(planImport("h1", ids.map((id, i) => planTask(id, { owner: "owner", priority: (["P0", "P1", "P2", "P3"] as const)[i % 4]!, slack: i % 7 }))), AT);
  await store.close();
  return { db, ids };
}

async function readBack(db: string): Promise<{ tasks: TaskRecord[]; taskEvents: { type: string; subject: string | null }[] }> {
  const store = await openStore(db);
  const tasks = await store.listTasks();
  const taskEvents = (await store.listEvents()).filter((e) => e.type.startsWith("task."));
  await store.close();
  return { tasks, taskEvents };
}

const agents = (n: number) => Array.from({ length: n }, (_, i) => `agent-${String(i).padStart(2, "0")}`);

for (const { name, skip, create } of DRIVERS) describe.skipIf(skip)(`tasks under concurrent processes (${name}${skip ? `, skipped: ${skip}` : ""})`, () => {
  it("16 processes claiming at once from 200 ready tasks get each task exactly once", async () => {
    const { db, ids } = await seed(create, 200, "C");
    const results = await race(db, agents(16).map((agent) => ({ agent, command: "claim" })));
    const claimed = results.flatMap((r) => r.claimed);
    const doubleClaims = claimed.length - new Set(claimed).size;
    expect(doubleClaims).toBe(0);
    expect(claimed).toHaveLength(200);
    expect([...new Set(claimed)].sort()).toEqual(ids);
    const { tasks, taskEvents } = await readBack(db);
    const claimer = new Map(results.flatMap((r) => r.claimed.map((id) => [id, r.agent] as const)));
    for (const t of tasks) expect(t, t.id).toMatchObject({ state: "in_progress", attempts: 1, claimedBy: claimer.get(t.id) });
    expect(taskEvents).toHaveLength(200);
    expect(new Set(taskEvents.map((e) => e.subject)).size).toBe(200);
    expect(new Set(taskEvents.map((e) => e.type))).toEqual(new Set(["task.started"]));
  });

  it("16 processes moving their own 25 tasks through start and done lose no update (400 done, 800 events)", async () => {
    const { db, ids } = await seed(create, 400, "R");
    const names = agents(16);
    // Interleaved sets, so that neighbouring rows (same pages) are written by different processes.
    const results = await race(db, names.map((agent, w) => ({ agent, command: "run", ids: ids.filter((_, i) => i % 16 === w) })));
    expect(results.map((r) => r.won.length)).toEqual(names.map(() => 25));
    const { tasks, taskEvents } = await readBack(db);
    expect(tasks.filter((t) => t.state === "done")).toHaveLength(400);
    for (const [i, t] of tasks.entries()) expect(t, t.id).toMatchObject({ attempts: 1, claimedBy: names[i % 16] });
    expect(taskEvents).toHaveLength(800);
    expect(taskEvents.filter((e) => e.type === "task.started")).toHaveLength(400);
    expect(taskEvents.filter((e) => e.type === "task.done")).toHaveLength(400);
  });

  it("two processes starting the same task at once: exactly one wins each of 150 rounds, the other is told who holds it", async () => {
    const { db, ids } = await seed(create, 150, "S");
    const results = await race(db, ["alice", "bob"].map((agent) => ({ agent, command: "start", ids })));
    const { tasks, taskEvents } = await readBack(db);
    for (const t of tasks) {
      const winners = results.filter((r) => r.won.includes(t.id));
      const losers = results.flatMap((r) => r.lost.filter((l) => l.id === t.id));
      expect(winners.map((r) => r.agent), t.id).toEqual([t.claimedBy]);
      expect(losers, t.id).toEqual([
        { id: t.id, code: "INVALID_TRANSITION", message: `[task] ${t.id} is in_progress (held by ${t.claimedBy}); it cannot become in_progress` },
      ]);
      expect(t, t.id).toMatchObject({ state: "in_progress", attempts: 1 });
    }
    expect(taskEvents).toHaveLength(150);
  });
});
