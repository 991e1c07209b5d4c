import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { withStore } from "../../src/store/open-store.js";
import { freshDatabase, postgresAvailable } from "../support/postgres.js";
import { call, connect, leaseOf, planProject, type Connected } from "./mcp-client.js";

/** The shared store: two agents' servers on one PostgreSQL database (skipped, saying why, without the test server). */
const { skip } = postgresAvailable();

const open: Connected[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

describe.skipIf(skip)("shipgate mcp --db postgres://…", () => {
  it("claims and completes through PostgreSQL: two servers share the queue, the run and the task are done", async () => {
    const db = await freshDatabase("mcp");
    const dir = planProject(["id: T1, title: one, owner: a, acceptance: 'test -f ok.txt'", "id: T2, title: two, owner: a"]);
    const first = await connect(dir, ["--agent", "a", "--db", db]);
    const second = await connect(dir, ["--agent", "a", "--db", db]);
    open.push(first, second);
    const [one, two] = await Promise.all([call(first.client, "claim_task"), call(second.client, "claim_task")]);
    const claimed = [one, two].map((r) => (r.structured?.task as { id: string }).id).sort();
    expect(claimed).toEqual(["T1", "T2"]);
    const [holder, lease] = one.structured?.task && (one.structured.task as { id: string }).id === "T1" ? [first, leaseOf(one)] : [second, leaseOf(two)];
    expect((await call(holder.client, "complete_task", { run: lease.run, epoch: lease.epoch })).structured).toMatchObject({ verdict: "failed", state: "in_progress" });
    writeFileSync(join(dir, "ok.txt"), "ok\n");
    expect((await call(holder.client, "complete_task", { run: lease.run, epoch: lease.epoch })).structured).toMatchObject({ verdict: "done", task: "T1", state: "done" });
    const { task, run } = await withStore(db, {}, async (store) => ({ task: await store.getTask("T1"), run: await store.getRun(lease.run) }));
    expect(task).toMatchObject({ state: "done", claimedBy: "a" });
    expect(run).toMatchObject({ taskId: "T1", outcome: "done", exitCode: 0, epoch: lease.epoch });
    expect((await call(first.client, "status")).structured).toMatchObject({ counts: { done: 1, in_progress: 1 } });
  });
});
