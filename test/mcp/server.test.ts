import { spawnSync } from "node:child_process";
import { renameSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { withStore } from "../../src/store/open-store.js";
import { bin, fixture } from "../cli/run-cli.js";
import { call, connect, leaseOf, planProject, type Connected } from "./mcp-client.js";

const TOOLS = ["next_task", "claim_task", "heartbeat", "complete_task", "fail_task", "release_task", "status", "handoff"];
/** tools/list goes into the agent's context every session: 2 000 tokens at most (about 4 bytes a token). */
const MAX_TOOLS_LIST_BYTES = 8000;

const open: Connected[] = [];
async function server(cwd: string, args: string[] = []): Promise<Connected> {
  const connected = await connect(cwd, args);
  open.push(connected);
  return connected;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

const dbOf = (dir: string) => join(dir, ".shipgate/shipgate.db");
const stored = (dir: string) =>
  withStore(dbOf(dir), { mustExist: true }, async (store) => ({ tasks: new Map((await store.listTasks()).map((t) => [t.id, t])), runs: await store.listRuns() }));

describe("shipgate mcp: tools/list", () => {
  for (const args of [[], ["--agent", "a"]]) {
    it(`lists the 8 tools with explicit annotations, input and output schemas, under ${MAX_TOOLS_LIST_BYTES} bytes (${args.length ? "--agent a" : "no --agent, SHIPGATE_AGENT set empty: no agent fixed"})`, async () => {
      const dir = planProject(["id: T1, title: one, owner: a"]);
      const { client } = await server(dir, args);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(TOOLS);
      for (const tool of tools) {
        expect(Object.keys(tool.annotations ?? {}).sort(), tool.name).toEqual(["destructiveHint", "idempotentHint", "openWorldHint", "readOnlyHint"]);
        expect(tool.annotations?.openWorldHint).toBe(false);
        expect(tool.inputSchema.type).toBe("object");
        expect(tool.outputSchema?.type, tool.name).toBe("object");
        expect(tool.description?.length).toBeGreaterThan(20);
      }
      const readOnly = tools.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name);
      expect(readOnly).toEqual(["next_task", "status", "handoff"]);
      expect(tools.filter((t) => t.annotations?.destructiveHint).map((t) => t.name)).toEqual(["fail_task"]);
      // With --agent the agent is fixed: no tool asks for it.
      const asksAgent = tools.filter((t) => "agent" in ((t.inputSchema.properties ?? {}) as object)).map((t) => t.name);
      expect(asksAgent).toEqual(args.length ? [] : ["next_task", "claim_task", "status", "handoff"]);
      const bytes = Buffer.byteLength(JSON.stringify({ tools }));
      console.log(`[mcp] tools/list ${args.length ? "with --agent" : "without --agent"}: ${bytes} bytes JSON, ~${Math.round(bytes / 4)} tokens (bytes / 4)`);
      expect(bytes).toBeLessThanOrEqual(MAX_TOOLS_LIST_BYTES);
    });
  }
});

describe("shipgate mcp: a task's lifecycle", () => {
  it("next → claim → heartbeat → complete with acceptance passing: the task and its run are done", async () => {
    const dir = planProject(["id: T1, title: write ok, owner: a, acceptance: 'test -f ok.txt', files: ['ok.txt']", "id: T2, title: two, owner: a, depends_on: [T1]"]);
    const { client } = await server(dir, ["--agent", "a"]);

    const next = await call(client, "next_task");
    expect(next.structured).toEqual({ task: { id: "T1", title: "write ok", state: "pending", attempts: 0 } });

    const claim = await call(client, "claim_task");
    const lease = leaseOf(claim);
    expect(lease).toMatchObject({ run: 1, epoch: 1, heartbeatSeconds: 15 });
    expect(claim.structured?.task).toEqual({ id: "T1", title: "write ok", state: "in_progress", attempts: 1 });
    const brief = claim.structured?.brief as string;
    expect(brief).toContain("# T1 — write ok");
    expect(brief).toContain("`test -f ok.txt` passes (complete_task runs it)");
    expect(brief).toContain("Change only: `ok.txt`");
    expect(brief).not.toMatch(/--\w/); // the MCP tools' words, never the command line's flags

    const beat = await call(client, "heartbeat", { run: lease.run, epoch: lease.epoch });
    expect(beat.isError).toBe(false);
    expect(Date.parse(beat.structured?.leaseExpiresAt as string)).toBeGreaterThanOrEqual(Date.parse(lease.leaseExpiresAt));

    writeFileSync(join(dir, "ok.txt"), "ok\n");
    const done = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(done.structured).toMatchObject({ verdict: "done", task: "T1", state: "done", acceptance: { command: "test -f ok.txt", exitCode: 0, timedOut: false } });
    // The temporary directory is in no git repository: the result says ownership was not checked.
    expect(done.structured?.ownership).toBe("not-checked");
    expect(done.text).toBe("T1 done (acceptance passed); ownership not checked: the server's directory is not in a git repository");

    const { tasks, runs } = await stored(dir);
    expect(tasks.get("T1")).toMatchObject({ state: "done", claimedBy: "a" });
    expect(runs).toMatchObject([{ id: 1, taskId: "T1", agent: "a", outcome: "done", exitCode: 0 }]);
    // T2 was waiting for T1: now it is next.
    expect((await call(client, "next_task")).structured?.task).toMatchObject({ id: "T2" });
  });

  it("complete with failing acceptance keeps the lease and returns the output's tail; then fail_task fails the run", async () => {
    const dir = planProject(["id: T1, title: one, owner: a, acceptance: 'echo checking; echo \"boom: 2 tests failed\" >&2; exit 3'"]);
    const { client } = await server(dir, ["--agent", "a"]);
    const lease = leaseOf(await call(client, "claim_task"));

    const failed = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(failed.isError).toBe(false);
    expect(failed.structured).toMatchObject({ verdict: "failed", task: "T1", state: "in_progress", acceptance: { exitCode: 3, timedOut: false, tail: "checking\nboom: 2 tests failed" } });
    expect(failed.text).toContain("exited with 3; the task stays yours (run 1, epoch 1)");
    let { tasks, runs } = await stored(dir);
    expect(tasks.get("T1")?.state).toBe("in_progress");
    expect(runs[0]?.endedAt).toBeNull();

    // Still the holder: the lease can be renewed, and a second try runs the acceptance again.
    expect((await call(client, "heartbeat", { run: lease.run, epoch: lease.epoch })).isError).toBe(false);
    expect((await call(client, "complete_task", { run: lease.run, epoch: lease.epoch })).structured?.verdict).toBe("failed");

    const gaveUp = await call(client, "fail_task", { run: lease.run, epoch: lease.epoch, reason: "the tests need a database" });
    expect(gaveUp.structured).toEqual({ task: "T1", state: "failed", run: 1, outcome: "failed" });
    ({ tasks, runs } = await stored(dir));
    expect(tasks.get("T1")).toMatchObject({ state: "failed", note: "the tests need a database" });
    expect(runs[0]).toMatchObject({ outcome: "failed", note: "the tests need a database" });
  });

  it("the acceptance output's tail is bounded and stripped of control characters", async () => {
    const dir = planProject(["id: T1, title: one, owner: a, acceptance: 'for i in $(seq 1 100); do printf \"line %s \\033[31mred\\033[0m\\n\" $i; done; exit 1'"]);
    const { client } = await server(dir, ["--agent", "a"]);
    const lease = leaseOf(await call(client, "claim_task"));
    const failed = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    const tail = (failed.structured?.acceptance as { tail: string }).tail;
    expect(tail.split("\n")).toHaveLength(41);
    expect(tail.split("\n")[0]).toBe("… 60 more lines");
    expect(tail.split("\n").at(-1)).toBe("line 100 red");
    expect(tail).not.toContain("\u001b");
  });

  it("release_task gives the task back: the run ends cancelled and the task is pending again", async () => {
    const dir = planProject(["id: T1, title: one, owner: a"]);
    const { client } = await server(dir, ["--agent", "a"]);
    const lease = leaseOf(await call(client, "claim_task"));
    const released = await call(client, "release_task", { run: lease.run, epoch: lease.epoch });
    expect(released.structured).toEqual({ task: "T1", state: "pending", run: 1, outcome: "cancelled" });
    const { tasks, runs } = await stored(dir);
    expect(tasks.get("T1")).toMatchObject({ state: "pending", claimedBy: null });
    expect(runs[0]?.outcome).toBe("cancelled");
    // Claimed again: a new run with the next epoch.
    expect(leaseOf(await call(client, "claim_task"))).toMatchObject({ run: 2, epoch: 2 });
  });

  it("complete_task judges the plan's execution.gate here: NO-GO keeps the task the agent's, GO makes it done", async () => {
    const dir = planProject(["id: T1, title: one, owner: a"], "gate: task");
    const fixtures = fixture("ingest/junit/");
    writeFileSync(
      join(dir, "shipgate.yaml"),
      `version: 1\ndocs:\n  check: false\ncollectors:\n  - name: tests\n    command: 'mkdir -p reports && cp "${fixtures}$(cat REPORT)" reports/junit.xml'\n    reports: [reports/junit.xml]\ngates:\n  task:\n    conditions:\n      - tests.failed == 0\n`,
    );
    writeFileSync(join(dir, "REPORT"), "vitest-4.1-each-one-failing.xml");
    const { client } = await server(dir, ["--agent", "a"]);
    const lease = leaseOf(await call(client, "claim_task"));
    const noGo = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(noGo.structured).toEqual({ verdict: "failed", task: "T1", state: "in_progress", gate: { name: "task", verdict: "failed" }, ownership: "not-checked" });
    expect(noGo.text).toMatch(/^T1: gate task said NO-GO \(tests\.failed == 0 .*\); the task stays yours/);
    writeFileSync(join(dir, "REPORT"), "vitest-4.1-each-all-pass.xml");
    const done = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(done.structured).toEqual({ verdict: "done", task: "T1", state: "done", gate: { name: "task", verdict: "passed" }, ownership: "not-checked" });
    expect(done.text).toContain("gate task GO");
  });
});

describe("shipgate mcp: leases and refusals", () => {
  it("a stale epoch gets LEASE_LOST as a tool error, and the run's holder keeps it", async () => {
    const dir = planProject(["id: T1, title: one, owner: a"]);
    const { client } = await server(dir, ["--agent", "a"]);
    const lease = leaseOf(await call(client, "claim_task"));
    for (const tool of ["heartbeat", "complete_task", "release_task"]) {
      const stale = await call(client, tool, { run: lease.run, epoch: lease.epoch + 1 });
      expect(stale.isError, tool).toBe(true);
      expect(stale.text, tool).toBe("LEASE_LOST: [task] run 1 of T1 holds epoch 1, not 2; its result is not recorded\n→ a newer claim took the task: stop working on it");
    }
    expect((await stored(dir)).tasks.get("T1")?.state).toBe("in_progress");
    // A run that ended: LEASE_LOST too, with the MCP's way to look instead of a command line.
    await call(client, "release_task", { run: lease.run, epoch: lease.epoch });
    const ended = await call(client, "heartbeat", { run: lease.run, epoch: lease.epoch });
    expect(ended.isError).toBe(true);
    expect(ended.text).toMatch(/^LEASE_LOST: \[task\] run 1 of T1 has ended \(cancelled at .*\); its result is not recorded\n→ the task was moved meanwhile; the status tool shows its state$/);
  });

  it("refusals are tool errors in the domain's words, never a flag, and the server keeps serving", async () => {
    const dir = planProject(["id: T1, title: one, owner: a", "id: T2, title: two, owner: b"]);
    const { client } = await server(dir);
    const unknown = await call(client, "claim_task", { agent: "zed" });
    expect(unknown).toMatchObject({ isError: true, text: 'USAGE: [task] "zed" is not an agent of the plan (a, b)\n→ name one of them as `agent`' });
    const notOwner = await call(client, "claim_task", { agent: "a", id: "T2" });
    expect(notOwner.text).toBe("USAGE: [task] T2 is b's task, not a's\n→ claim your own tasks: next_task shows the next one (the handoff tool says who owns what)");
    const noAgent = await call(client, "next_task", {});
    expect(noAgent.isError).toBe(true);
    const noRun = await call(client, "heartbeat", { run: 99, epoch: 1 });
    expect(noRun.text).toBe("NOT_FOUND: [mcp] no run 99\n→ use the run id claim_task returned");
    // The plan file disappears: an error result, not a crash; back in place, the server serves again.
    renameSync(join(dir, "shipgate.plan.yaml"), join(dir, "plan.bak"));
    const missing = await call(client, "status", { agent: "a" });
    expect(missing.isError).toBe(true);
    expect(missing.text).toContain("NOT_FOUND: [plan]");
    expect(missing.text).toContain("→ the server reads the plan file it was started with");
    renameSync(join(dir, "plan.bak"), join(dir, "shipgate.plan.yaml"));
    expect((await call(client, "status", { agent: "a" })).structured).toMatchObject({ counts: { pending: 2 }, tasks: [{ id: "T1" }] });
    for (const text of [unknown.text, notOwner.text, noRun.text, missing.text]) expect(text).not.toMatch(/ --[a-z]/);
  });

  it("a server for agent a refuses another agent's run", async () => {
    const dir = planProject(["id: T1, title: one, owner: b"]);
    const b = await server(dir, ["--agent", "b"]);
    const a = await server(dir, ["--agent", "a"]);
    const lease = leaseOf(await call(b.client, "claim_task"));
    const refused = await call(a.client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(refused.text).toBe("USAGE: [mcp] run 1 is b's, not a's\n→ use the run id your own claim_task returned");
    expect((await stored(dir)).tasks.get("T1")?.state).toBe("in_progress");
  });

  it("two clients claiming at once never get the same task", async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `T${String(i + 1).padStart(2, "0")}`);
    const dir = planProject(ids.map((id) => `id: ${id}, title: task ${id}, owner: a`));
    const clients = [await server(dir, ["--agent", "a"]), await server(dir, ["--agent", "a"])];
    const claimAll = async ({ client }: Connected): Promise<string[]> => {
      const mine: string[] = [];
      for (;;) {
        const result = await call(client, "claim_task");
        expect(result.isError, result.text).toBe(false);
        const task = result.structured?.task as { id: string } | undefined;
        if (!task) return mine;
        mine.push(task.id);
      }
    };
    const [first, second] = await Promise.all(clients.map(claimAll));
    const all = [...(first ?? []), ...(second ?? [])];
    expect(all.sort()).toEqual(ids);
    const { runs } = await stored(dir);
    expect(new Set(runs.map((r) => r.taskId)).size).toBe(runs.length);
  });

  it("an acceptance that runs longer than the lease keeps the task: the server renews the lease while it runs", async () => {
    // A lease of 2 s, renewed every 0.5 s: a busy machine has 1.5 s of slack before a renewal comes too late.
    const dir = planProject(["id: T1, title: one, owner: a, acceptance: 'sleep 3'", "id: T2, title: two, owner: a"], "lease: 2s");
    const holder = await server(dir, ["--agent", "a"]);
    const other = await server(dir, ["--agent", "a"]);
    const lease = leaseOf(await call(holder.client, "claim_task", { id: "T1" }));
    const completing = call(holder.client, "complete_task", { run: lease.run, epoch: lease.epoch });
    // Meanwhile another agent lists and claims (which expires ended leases): it must get T2, never T1.
    await sleep(2500);
    expect((await call(other.client, "claim_task")).structured?.task).toMatchObject({ id: "T2" });
    expect((await completing).structured).toMatchObject({ verdict: "done", task: "T1", state: "done" });
    expect((await stored(dir)).runs.map((r) => [r.taskId, r.outcome])).toEqual([
      ["T1", "done"],
      ["T2", null],
    ]);
  });

  it("an expired lease is offered again: the stopped agent's run is lost and its late heartbeat refused", async () => {
    const dir = planProject(["id: T1, title: one, owner: a"], "lease: 1s");
    const crashed = await server(dir, ["--agent", "a"]);
    const first = leaseOf(await call(crashed.client, "claim_task"));
    expect(first.heartbeatSeconds).toBe(0.25);
    const other = await server(dir, ["--agent", "a"]);
    expect((await call(other.client, "next_task")).structured?.task).toBeUndefined();
    // No heartbeat for longer than the lease (a real wait: a live server reads the real clock).
    await sleep(1500);
    const next = await call(other.client, "next_task");
    expect(next.structured?.task).toMatchObject({ id: "T1", state: "pending", attempts: 1 });
    const second = leaseOf(await call(other.client, "claim_task"));
    expect(second).toMatchObject({ run: 2, epoch: 2 });
    expect((await call(other.client, "claim_task")).structured?.brief).toBeUndefined();
    const late = await call(crashed.client, "heartbeat", { run: first.run, epoch: first.epoch });
    expect(late.text).toMatch(/^LEASE_LOST: \[task\] run 1 of T1 has ended \(lost at /);
    const { runs } = await stored(dir);
    expect(runs.map((r) => [r.id, r.outcome, r.note])).toEqual([
      [1, "lost", "lease expired"],
      [2, null, null],
    ]);
    expect(other.stderr()).toContain("[mcp] run 1 of T1 (a) lost its lease; the task is offered again");
  });
});

describe("shipgate mcp: status, handoff and the process", () => {
  it("status counts tasks by state, lists the agent's tasks and the runs holding a lease; handoff is the agent's markdown", async () => {
    const dir = planProject(["id: T1, title: one, owner: a", "id: T2, title: two, owner: b", "id: T3, title: three, owner: a, depends_on: [T1]"]);
    const { client } = await server(dir);
    const lease = leaseOf(await call(client, "claim_task", { agent: "a" }));
    const status = await call(client, "status", { agent: "a" });
    expect(status.structured).toMatchObject({
      counts: { pending: 2, in_progress: 1, done: 0, failed: 0, blocked: 0 },
      tasks: [{ id: "T1", state: "in_progress" }, { id: "T3", state: "pending" }],
      running: [{ run: lease.run, task: "T1", agent: "a", leaseExpiresAt: lease.leaseExpiresAt }],
    });
    expect(status.text).toBe("2 pending, 1 in progress, 0 done, 0 failed, 0 blocked; 1 run(s) holding a lease");
    const handoff = await call(client, "handoff", { agent: "a" });
    expect(handoff.structured?.agent).toBe("a");
    expect(handoff.structured?.markdown).toMatch(/^# Handoff: a — plan\n/);
    expect(handoff.structured?.markdown).toContain("### T1 — one");
    expect(handoff.structured?.markdown).toContain("state **in_progress**");
  });

  it("writes nothing but the protocol to stdout, and answers every request received before stdin closed", () => {
    const dir = planProject(["id: T1, title: one, owner: a"]);
    const requests = [
      { jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } } },
      { jsonrpc: "2.0", method: "notifications/initialized" },
      { jsonrpc: "2.0", id: 2, method: "tools/list" },
      { jsonrpc: "2.0", id: 3, method: "tools/call", params: { name: "claim_task", arguments: {} } },
    ];
    const result = spawnSync(process.execPath, [bin, "mcp", "--agent", "a"], { cwd: dir, input: requests.map((r) => JSON.stringify(r)).join("\n") + "\n", encoding: "utf8", timeout: 60_000 });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split("\n");
    const replies = lines.map((line) => JSON.parse(line) as { id: number; result?: { structuredContent?: { task?: { id: string } } } });
    expect(replies.map((r) => r.id).sort()).toEqual([1, 2, 3]);
    expect(replies.find((r) => r.id === 3)?.result?.structuredContent?.task?.id).toBe("T1");
    expect(result.stderr).toContain("[mcp] shipgate ");
  });

  it("refuses to start without a plan, before serving (exit 2, on stderr)", () => {
    const dir = planProject(["id: T1, title: one, owner: a"]);
    const result = spawnSync(process.execPath, [bin, "mcp", "--plan", "nope.yaml"], { cwd: dir, input: "", encoding: "utf8" });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("nope.yaml: no such file");
  });
});
