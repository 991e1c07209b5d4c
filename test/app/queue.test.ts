import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { claimWithLease, finishTask, isQueueError, listTasks, moveTask, nextTask, startTask, type CheckRequest, type CheckRun, type CheckingQueueContext, type QueueProgress, type QueueRefusal, type RunCheck } from "../../src/app/queue.js";
import { syncPlan } from "../../src/app/sync-plan.js";
import { InterruptedError, ShipgateError } from "../../src/errors.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/types.js";

const AT = "2026-12-01T09:00:00.000Z";

/**
 * Agents a and b. A1 → A2 (acceptance `accept-a2`); B1 (ready_when `ready-b1`), B2, B3 (ready_when `ready-b3`,
 * acceptance `accept-b3`, timeouts set). Plan order (src/plan/order.ts): A1, B1, B2, A2, B3.
 */
const PLAN = `version: 1
agents:
  - { id: a, kind: human }
  - { id: b, kind: human }
phases:
  - { id: p, name: P }
tasks:
  - { id: A1, title: first of a, phase: p, owner: a, estimate: 1, priority: P0 }
  - { id: A2, title: second of a, phase: p, owner: a, estimate: 1, depends_on: [A1], acceptance: accept-a2 }
  - { id: B1, title: first of b, phase: p, owner: b, estimate: 1, priority: P1, ready_when: ready-b1 }
  - { id: B2, title: second of b, phase: p, owner: b, estimate: 1, priority: P1 }
  - { id: B3, title: third of b, phase: p, owner: b, estimate: 1, ready_when: { command: ready-b3, timeout: 5s }, acceptance: { command: accept-b3, timeout: 7s } }
`;

/** A check that passes, one that exits 1 with output, one that ran out of time. */
const PASS: CheckRun = { exitCode: 0, signal: null, timedOut: false, stdoutTail: "", stderrTail: "" };
const FAIL: CheckRun = { exitCode: 1, signal: null, timedOut: false, stdoutTail: "", stderrTail: "no database yet\n" };
const TIMEOUT: CheckRun = { exitCode: null, signal: "SIGKILL", timedOut: true, stdoutTail: "", stderrTail: "" };

const stores: Store[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((s) => s.close()));
});

interface Fixture {
  store: Store;
  ctx: CheckingQueueContext;
  /** The checks run, in order. */
  checks: CheckRequest[];
  progress: QueueProgress[];
}

/**
 * A real SQLite store (a temp file) with the plan synced, a fixed clock and a fake runCheck: `outcomes` gives each
 * command's result (PASS when absent); `during` runs while a command "runs" (another agent acting meanwhile).
 */
async function fixture(options: { outcomes?: Record<string, CheckRun>; during?: (request: CheckRequest, store: Store) => Promise<void>; signal?: AbortSignal } = {}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-queue-"));
  writeFileSync(join(dir, "shipgate.plan.yaml"), PLAN);
  const store = await openStore(join(dir, "shipgate.db"), { at: AT });
  stores.push(store);
  const plan = await syncPlan(store, join(dir, "shipgate.plan.yaml"), { cwd: dir, at: AT });
  const checks: CheckRequest[] = [];
  const progress: QueueProgress[] = [];
  const runCheck: RunCheck = async (request) => {
    checks.push(request);
    await options.during?.(request, store);
    return { ...(options.outcomes?.[request.command] ?? PASS), timeoutSeconds: request.timeoutSeconds ?? 600 };
  };
  const ctx: CheckingQueueContext = { store, plan, now: () => AT, runCheck, onProgress: (e) => progress.push(e), ...(options.signal ? { signal: options.signal } : {}) };
  return { store, ctx, checks, progress };
}

/** The refusal a use case rejects with; its message and hint never name a CLI flag (HTTP and MCP callers have none). */
async function refusal(work: Promise<unknown>): Promise<{ code: string; message: string; refusal: QueueRefusal | undefined }> {
  const error = await work.then(
    () => expect.unreachable("expected a refusal"),
    (e: unknown) => e,
  );
  if (!(error instanceof ShipgateError)) throw error;
  expect(`${error.message}\n${error.hint ?? ""}`).not.toMatch(/--[a-z]/);
  return { code: error.code, message: error.message, refusal: isQueueError(error) ? error.refusal : undefined };
}

const stateOf = async (store: Store, id: string) => (await store.getTask(id))?.state;

describe("listTasks and nextTask", () => {
  it("lists the plan's tasks in plan order, by owner and by state", async () => {
    const { ctx } = await fixture();
    expect((await listTasks(ctx)).map((t) => t.id)).toEqual(["A1", "B1", "B2", "A2", "B3"]);
    expect((await listTasks(ctx, { owner: "b" })).map((t) => t.id)).toEqual(["B1", "B2", "B3"]);
    await startTask(ctx, { agent: "a" });
    expect((await listTasks(ctx, { state: "in_progress" })).map((t) => [t.id, t.claimedBy])).toEqual([["A1", "a"]]);
    expect(await listTasks(ctx, { owner: "b", state: "in_progress" })).toEqual([]);
  });

  it.each([
    ["a's own", { agent: "a" }, "A1"],
    ["b's own", { agent: "b" }, "B1"],
    ["any agent's", { agent: null, any: true }, "A1"],
  ])("gives %s next ready task without claiming it", async (_name, request, id) => {
    const { ctx, store } = await fixture();
    expect((await nextTask(ctx, request)).task?.id).toBe(id);
    expect(await stateOf(store, id)).toBe("pending");
  });

  it("says where the agent's tasks stand when none is ready: done, in progress, waiting, blocked", async () => {
    const { ctx } = await fixture();
    await startTask(ctx, { agent: "a" });
    expect(await nextTask(ctx, { agent: "a" })).toEqual({ task: undefined, counts: { done: 0, inProgress: 1, waiting: 1, blocked: 0 } });
    await moveTask(ctx, { id: "B1", to: "blocked", agent: "b", reason: "no database" });
    await startTask(ctx, { agent: "b" });
    await startTask(ctx, { agent: "b" });
    expect(await nextTask(ctx, { agent: "b" })).toEqual({ task: undefined, counts: { done: 0, inProgress: 2, waiting: 0, blocked: 1 } });
  });
});

describe("startTask", () => {
  it("claims the agent's next ready task and stamps its event with the caller's clock", async () => {
    const { ctx, store } = await fixture();
    const { task, blocked } = await startTask(ctx, { agent: "a", reason: "on it" });
    expect(task).toMatchObject({ id: "A1", state: "in_progress", claimedBy: "a", attempts: 1, note: "on it", updatedAt: AT });
    expect(blocked).toEqual([]);
    expect(await store.listEvents({ type: "task.started" })).toMatchObject([{ at: AT, subject: "A1", data: { from: "pending", to: "in_progress", agent: "a", note: "on it" } }]);
    // A2 waits for A1: nothing else is ready for a.
    expect((await startTask(ctx, { agent: "a" })).task).toBeUndefined();
  });

  it.each([
    ["another agent's task by id", { agent: "a", id: "B2" }, "USAGE", { kind: "not-owner", id: "B2", owner: "b", agent: "a" }, "[task] B2 is b's task, not a's"],
    ["an agent the plan does not name", { agent: "zed" }, "USAGE", { kind: "unknown-agent", agent: "zed", agents: ["a", "b"] }, '[task] "zed" is not an agent of the plan (a, b)'],
  ] as const)("refuses %s", async (_name, request, code, expected, message) => {
    const { ctx, store } = await fixture();
    expect(await refusal(startTask(ctx, request))).toEqual({ code, message, refusal: expected });
    expect(await store.listEvents({ typePrefix: "task." })).toEqual([]);
  });

  it.each([
    ["any", { any: true }],
    ["force", { force: true }],
  ])("takes another agent's task with %s", async (_name, extra) => {
    const { ctx } = await fixture();
    expect((await startTask(ctx, { agent: "a", id: "B2", ...extra })).task).toMatchObject({ id: "B2", claimedBy: "a" });
  });

  it("refuses a task whose dependencies are not done with the store's NOT_READY", async () => {
    const { ctx } = await fixture();
    expect(await refusal(startTask(ctx, { agent: "a", id: "A2" }))).toMatchObject({ code: "NOT_READY", message: expect.stringContaining("A2 waits for A1") as unknown });
  });

  it("runs ready_when before the claim, with the plan's timeout, and claims once it passes", async () => {
    const { ctx, checks, progress } = await fixture();
    expect((await startTask(ctx, { agent: "b", id: "B3" })).task?.id).toBe("B3");
    expect(checks).toEqual([{ kind: "ready_when", id: "B3", command: "ready-b3", timeoutSeconds: 5 }]);
    expect(progress).toEqual([{ type: "check-started", id: "B3", check: "ready_when", command: "ready-b3" }]);
  });

  it("leaves a task named by id pending when its ready_when fails (NOT_READY with the last output), and force skips it", async () => {
    const { ctx, store, checks } = await fixture({ outcomes: { "ready-b1": FAIL } });
    expect(await refusal(startTask(ctx, { agent: "b", id: "B1" }))).toEqual({
      code: "NOT_READY",
      message: "[task] B1: ready_when `ready-b1` exited with 1; its last output:\nno database yet",
      refusal: { kind: "check-failed", id: "B1", check: "ready_when", command: "ready-b1", timedOut: false, exitCode: 1, signal: null, spawnError: null, output: "no database yet" },
    });
    expect(await stateOf(store, "B1")).toBe("pending");
    expect((await startTask(ctx, { agent: "b", id: "B1", force: true, reason: "I set it up" })).task?.state).toBe("in_progress");
    expect(checks).toHaveLength(1);
  });

  it("says how long a ready_when that ran out of time had, and what to do about it", async () => {
    const { ctx } = await fixture({ outcomes: { "ready-b3": TIMEOUT } });
    const error = await startTask(ctx, { agent: "b", id: "B3" }).catch((e: unknown) => e as ShipgateError);
    expect(error).toMatchObject({ code: "NOT_READY", message: "[task] B3: ready_when `ready-b3` did not finish within 5 s and was killed" });
    expect((error as ShipgateError).hint).toBe("if it is just slow, give B3's ready_when a longer timeout in the plan: ready_when: { command: …, timeout: 30m } (docs/plan.md)");
  });

  it("blocks the implicit next task whose ready_when fails, with the reason, and claims the one after it", async () => {
    const { ctx, store, progress } = await fixture({ outcomes: { "ready-b1": FAIL } });
    const reason = "[task] B1: ready_when `ready-b1` exited with 1; its last output:";
    expect(await startTask(ctx, { agent: "b" })).toMatchObject({ task: { id: "B2" }, blocked: [{ id: "B1", reason }] });
    expect(await store.getTask("B1")).toMatchObject({ state: "blocked", note: reason, claimedBy: null });
    expect(progress.map((e) => e.type)).toEqual(["check-started", "task-blocked"]);
  });

  it("claims the next task when another agent claims the first one while its ready_when runs", async () => {
    const { ctx, store } = await fixture({
      during: async (request, s) => {
        if (request.id === "B1") await s.transitionTask("B1", "in_progress", { agent: "a" }, AT);
      },
    });
    expect((await startTask(ctx, { agent: "b" })).task?.id).toBe("B2");
    expect(await store.getTask("B1")).toMatchObject({ state: "in_progress", claimedBy: "a" });
  });

  it("gives one task to one of two agents starting at the same moment", async () => {
    const { ctx } = await fixture();
    const [first, second] = await Promise.all([startTask(ctx, { agent: "a", id: "A1" }).then((r) => r.task?.claimedBy, (e: ShipgateError) => e.code), startTask(ctx, { agent: "b", id: "A1", any: true }).then((r) => r.task?.claimedBy, (e: ShipgateError) => e.code)]);
    expect([first, second].sort()).toEqual(["INVALID_TRANSITION", "a"]);
  });

  it("stops when interrupted during ready_when: nothing is claimed, nothing is blocked", async () => {
    const controller = new AbortController();
    const { ctx, store } = await fixture({
      outcomes: { "ready-b1": FAIL },
      during: () => Promise.resolve(controller.abort(new InterruptedError("interrupted by SIGTERM", "SIGTERM"))),
      signal: controller.signal,
    });
    expect(await refusal(startTask(ctx, { agent: "b" }))).toEqual({ code: "INTERRUPTED", message: "[task] interrupted by SIGTERM: B1's ready_when `ready-b1` was stopped; B1 was not started", refusal: undefined });
    expect(await stateOf(store, "B1")).toBe("pending");
    expect(await store.listEvents({ typePrefix: "task." })).toEqual([]);
  });
});

describe("claimWithLease", () => {
  it("claims the next ready task with a run whose lease ends leaseMs after the clock", async () => {
    const { ctx, store } = await fixture();
    const { claimed } = await claimWithLease(ctx, { agent: "a", leaseMs: 60_000 });
    expect(claimed?.task).toMatchObject({ id: "A1", state: "in_progress", claimedBy: "a", leaseEpoch: 1 });
    expect(claimed?.run).toMatchObject({ taskId: "A1", agent: "a", attempt: 1, epoch: 1, startedAt: AT, leaseExpiresAt: "2026-12-01T09:01:00.000Z", endedAt: null });
    expect((await store.listEvents({ type: "run.started" })).map((e) => e.at)).toEqual([AT]);
    expect((await claimWithLease(ctx, { agent: "a", leaseMs: 60_000 })).claimed).toBeUndefined();
  });

  it("keeps the rules of start: owner, ready_when first, blocking a failing one, the next when another agent wins", async () => {
    const { ctx, store } = await fixture({
      outcomes: { "ready-b1": FAIL },
      during: async (request, s) => {
        if (request.id === "B3") await s.transitionTask("B3", "in_progress", { agent: "a" }, AT);
      },
    });
    expect((await refusal(claimWithLease(ctx, { agent: "a", leaseMs: 1000, id: "B2" }))).refusal).toMatchObject({ kind: "not-owner" });
    // B1's ready_when fails (blocked), B2 has none: claimed.
    expect(await claimWithLease(ctx, { agent: "b", leaseMs: 1000 })).toMatchObject({ claimed: { task: { id: "B2" } }, blocked: [{ id: "B1" }] });
    // B3 is taken by a while its ready_when runs: none is left for b.
    expect((await claimWithLease(ctx, { agent: "b", leaseMs: 1000 })).claimed).toBeUndefined();
    expect(await stateOf(store, "B1")).toBe("blocked");
    expect(await store.listRuns()).toHaveLength(1);
  });
});

describe("finishTask", () => {
  it("records the task done once its acceptance passes, holding the claimer (compare-and-set)", async () => {
    const { ctx, store, checks } = await fixture();
    await startTask(ctx, { agent: "a" });
    expect(await finishTask(ctx, { id: "A1", agent: "a" })).toMatchObject({ task: { id: "A1", state: "done" }, acceptance: "none" });
    await startTask(ctx, { agent: "a" });
    expect(await finishTask(ctx, { id: "A2", agent: "a", reason: "tests pass" })).toMatchObject({ task: { state: "done", note: "tests pass" }, acceptance: "passed" });
    expect(checks).toEqual([{ kind: "acceptance", id: "A2", command: "accept-a2", timeoutSeconds: null }]);
    expect((await store.listEvents({ type: "task.done" })).map((e) => [e.subject, e.at])).toEqual([["A1", AT], ["A2", AT]]);
  });

  it.each([
    ["an unknown task", "Z9", "a", {}, "NOT_FOUND", { kind: "unknown-task", id: "Z9" }, "[task] no task Z9 in the plan"],
    ["a task not started", "B2", "b", {}, "INVALID_TRANSITION", { kind: "not-started", id: "B2", state: "pending" }, "[task] B2 is pending; only a started task can be done"],
    ["a task another agent started", "A1", "b", {}, "USAGE", { kind: "not-claimer", id: "A1", claimer: "a", agent: "b" }, "[task] A1 was started by a, not b"],
    ["a caller who names no agent", "A1", null, {}, "USAGE", { kind: "not-claimer", id: "A1", claimer: "a", agent: null }, "[task] A1 was started by a"],
    ["force without a reason", "A1", "a", { force: true }, "USAGE", { kind: "reason-required", id: "A1", for: "force" }, "[task] forcing done needs a reason: say why it is done without its acceptance passing"],
  ] as const)("refuses %s", async (_name, id, agent, extra, code, expected, message) => {
    const { ctx, store } = await fixture();
    await startTask(ctx, { agent: "a" });
    expect(await refusal(finishTask(ctx, { id, agent, ...extra }))).toEqual({ code, message, refusal: expected });
    expect(await store.listEvents({ type: "task.done" })).toEqual([]);
  });

  it("keeps the task in progress when its acceptance fails, and records it forced without running it", async () => {
    const { ctx, store, checks } = await fixture({ outcomes: { "accept-b3": FAIL } });
    await startTask(ctx, { agent: "b", id: "B3", force: true });
    expect((await refusal(finishTask(ctx, { id: "B3", agent: "b" }))).refusal).toMatchObject({ kind: "check-failed", check: "acceptance", command: "accept-b3" });
    expect(await stateOf(store, "B3")).toBe("in_progress");
    expect(await finishTask(ctx, { id: "B3", agent: null, force: true, reason: "verified by hand" })).toMatchObject({ task: { state: "done", note: "verified by hand" }, acceptance: "forced" });
    expect(checks.map((c) => [c.kind, c.timeoutSeconds])).toEqual([["acceptance", 7]]);
  });

  it("refuses done when another agent failed and re-took the task while the acceptance ran", async () => {
    const { ctx, store } = await fixture({
      during: async (request, s) => {
        if (request.kind !== "acceptance") return;
        await s.transitionTask("B3", "failed", { agent: "b", note: "stuck" }, AT);
        await s.transitionTask("B3", "in_progress", { agent: "a" }, AT);
      },
    });
    await startTask(ctx, { agent: "b", id: "B3" });
    expect((await refusal(finishTask(ctx, { id: "B3", agent: "b" }))).code).toBe("INVALID_TRANSITION");
    expect(await store.getTask("B3")).toMatchObject({ state: "in_progress", claimedBy: "a" });
  });

  it("stops when interrupted during the acceptance: the task stays in progress", async () => {
    const controller = new AbortController();
    const { ctx, store } = await fixture({ during: (request) => Promise.resolve(request.kind === "acceptance" ? controller.abort(new InterruptedError("interrupted by SIGINT", "SIGINT")) : undefined), signal: controller.signal });
    await startTask(ctx, { agent: "a" });
    await finishTask(ctx, { id: "A1", agent: "a" });
    await startTask(ctx, { agent: "a" });
    expect(await refusal(finishTask(ctx, { id: "A2", agent: "a" }))).toMatchObject({ code: "INTERRUPTED", message: "[task] interrupted by SIGINT: A2's acceptance `accept-a2` was stopped; A2 was not recorded done" });
    expect(await stateOf(store, "A2")).toBe("in_progress");
  });
});

describe("moveTask", () => {
  it.each([
    ["block without a reason", { id: "B2", to: "blocked", agent: "b" }, { kind: "reason-required", id: "B2", for: "blocked" }],
    ["fail without a reason", { id: "A1", to: "failed", agent: "a" }, { kind: "reason-required", id: "A1", for: "failed" }],
    ["any without a reason", { id: "A1", to: "pending", agent: "b", any: true }, { kind: "reason-required", id: "A1", for: "any" }],
    ["a task another agent holds", { id: "A1", to: "failed", agent: "b", reason: "looks stuck" }, { kind: "held", id: "A1", state: "in_progress", holder: "a", agent: "b" }],
    ["a held task by a caller who names no agent", { id: "A1", to: "blocked", agent: null, reason: "x" }, { kind: "held", id: "A1", state: "in_progress", holder: "a", agent: null }],
  ] as const)("refuses %s", async (_name, request, expected) => {
    const { ctx, store } = await fixture();
    await startTask(ctx, { agent: "a" });
    expect((await refusal(moveTask(ctx, request))).refusal).toEqual(expected);
    expect(await store.getTask(request.id)).toMatchObject({ state: request.id === "A1" ? "in_progress" : "pending" });
  });

  it("lets the holder fail, block and reset its task, anyone move a free one, and any with a reason move a held one", async () => {
    const { ctx, store } = await fixture();
    await startTask(ctx, { agent: "a" });
    expect(await moveTask(ctx, { id: "A1", to: "blocked", agent: "a", reason: "waiting for CI" })).toMatchObject({ state: "blocked", claimedBy: "a", note: "waiting for CI" });
    expect(await moveTask(ctx, { id: "A1", to: "pending", agent: "b", any: true, reason: "a left the project" })).toMatchObject({ state: "pending", claimedBy: null });
    expect(await moveTask(ctx, { id: "B2", to: "blocked", agent: null, reason: "no image" })).toMatchObject({ state: "blocked" });
    expect(await moveTask(ctx, { id: "B2", to: "pending", agent: null })).toMatchObject({ state: "pending" });
    expect((await store.listEvents({ typePrefix: "task." })).map((e) => [e.type, e.subject, e.at])).toEqual([
      ["task.started", "A1", AT],
      ["task.blocked", "A1", AT],
      ["task.pending", "A1", AT],
      ["task.blocked", "B2", AT],
      ["task.pending", "B2", AT],
    ]);
  });
});

describe("claim conflicts (claim.conflict events, counted by /metrics)", () => {
  const conflicts = async (store: Store) => (await store.listEvents({ type: "claim.conflict" })).map((e) => [e.subject, e.data]);

  it("a worker that loses the race for its next task to another store handle records the conflict and takes the one after", async () => {
    let other: Store | undefined;
    const { ctx, store } = await fixture({
      during: async (request, s) => {
        if (request.id !== "B1") return;
        // Another process (its own handle on the same file) claims B1 while b's ready_when for it runs.
        other = await openStore(s.location, { at: AT });
        stores.push(other);
        await other.claimTask({ agent: "a", at: AT, leaseMs: 60_000, taskId: "B1" });
      },
    });
    const { claimed } = await claimWithLease(ctx, { agent: "b", leaseMs: 60_000 });
    expect(claimed?.task.id).toBe("B2");
    expect(other).toBeDefined();
    expect(await conflicts(store)).toEqual([["B1", { task: "B1", agent: "b", holder: "a" }]]);
  });

  it("two store handles claiming one task at once: one wins, the other is refused, and exactly one conflict is recorded", async () => {
    const { ctx, store } = await fixture();
    const second = await openStore(store.location, { at: AT });
    stores.push(second);
    const results = await Promise.allSettled([
      claimWithLease(ctx, { agent: "a", leaseMs: 60_000, id: "B2", any: true }),
      claimWithLease({ ...ctx, store: second }, { agent: "b", leaseMs: 60_000, id: "B2" }),
    ]);
    const won = results.flatMap((r) => (r.status === "fulfilled" && r.value.claimed ? [r.value.claimed.task.claimedBy] : []));
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status === "rejected").map((r) => (r.reason as ShipgateError).code)).toEqual(["INVALID_TRANSITION"]);
    const loser = won[0] === "a" ? "b" : "a";
    expect(await conflicts(store)).toEqual([["B2", { task: "B2", agent: loser, holder: won[0] }]]);
  });

  it("refusals that are no conflict record none: a blocked task, a task the agent itself holds", async () => {
    const { ctx, store } = await fixture();
    await store.transitionTask("B2", "blocked", { agent: "b" }, AT);
    await expect(claimWithLease(ctx, { agent: "b", leaseMs: 60_000, id: "B2" })).rejects.toMatchObject({ code: "INVALID_TRANSITION" });
    await claimWithLease(ctx, { agent: "a", leaseMs: 60_000, id: "A1" });
    await expect(startTask(ctx, { agent: "a", id: "A1" })).rejects.toMatchObject({ code: "INVALID_TRANSITION" });
    expect(await conflicts(store)).toEqual([]);
  });
});
