import { describe, expect, it } from "vitest";
import { syncPlan } from "../../src/app/sync-plan.js";
import { parsePlan } from "../../src/config/load-plan.js";
import { analyzePlan } from "../../src/plan/analyze.js";
import { renderHandoff, renderStatus, runsByTask, type PlanDocInput } from "../../src/report/plan-docs.js";
import { openStore } from "../../src/store/open-store.js";
import type { RunFinish, Store } from "../../src/store/types.js";

const PLAN = `version: 1
project: runs
agents:
  - { id: claude, kind: cli, command: "claude -p {prompt}" }
  - { id: alice, kind: human }
phases:
  - { id: p, name: Build }
tasks:
  - { id: T1, title: Parser, phase: p, owner: claude, estimate: 2, acceptance: "npm test", retries: 2 }
  - { id: T2, title: Writer, phase: p, owner: claude, estimate: 2, retries: 2 }
  - { id: T3, title: Review, phase: p, owner: alice, estimate: 1 }
  - { id: T4, title: Docs, phase: p, owner: claude, estimate: 1, retries: 2 }
  - { id: T5, title: Lint, phase: p, owner: claude, estimate: 1, retries: 0 }
`;

const t = (hhmmss: string) => `2026-12-01T${hhmmss}.000Z`;
const LEASE = 60_000;

async function attempt(store: Store, task: string, start: string, finish?: Omit<RunFinish, "at"> & { at: string }): Promise<void> {
  const claim = await store.claimTask({ agent: "claude", at: start, leaseMs: LEASE, taskId: task });
  if (!claim) throw new Error(`${task} not claimable`);
  if (finish) await store.finishRun(claim.run.id, claim.run.epoch, finish);
}

/** The plan, its analysis, and a store in which the runs are made through the Store contract with explicit times. */
async function setup(makeRuns: (store: Store) => Promise<void>): Promise<{ input: PlanDocInput; bare: PlanDocInput }> {
  const plan = parsePlan(PLAN, "shipgate.plan.yaml", "yaml");
  const analysis = analyzePlan(plan, { today: "2026-12-01" });
  const store = await openStore(":memory:");
  try {
    await syncPlan(store, "shipgate.plan.yaml", { cwd: ".", at: t("08:00:00"), loaded: { plan, hash: "h1" } });
    await makeRuns(store);
    const states = new Map((await store.listTasks()).map((task) => [task.id, task]));
    const bare = { plan, analysis, states, planFile: "shipgate.plan.yaml", today: "2026-12-01" };
    return { bare, input: { ...bare, runs: runsByTask(await store.listRuns()), now: t("10:00:20") } };
  } finally {
    await store.close();
  }
}

/** T1 failed once (retried later), T2 runs now, T4 failed three times and was blocked with the reason, T5 done. */
const fourTasksWithRuns = async (store: Store) => {
  await attempt(store, "T1", t("09:00:00"), { at: t("09:05:00"), outcome: "failed", exitCode: 1, note: "acceptance exited 1" });
  await attempt(store, "T4", t("09:10:00"), { at: t("09:15:00"), outcome: "failed", exitCode: 1, note: "acceptance exited 1" });
  await attempt(store, "T4", t("09:20:00"), { at: t("09:25:00"), outcome: "timeout", exitCode: null, note: "timed out after 300 s" });
  await attempt(store, "T4", t("09:30:00"), { at: t("09:35:00"), outcome: "failed", exitCode: 1, note: "acceptance exited 1" });
  await store.transitionTask("T4", "blocked", { agent: null, note: "3 attempts failed: acceptance exited 1" }, t("09:36:00"));
  await attempt(store, "T5", t("09:40:00"), { at: t("09:41:00"), outcome: "done", exitCode: 0 });
  await attempt(store, "T2", t("10:00:00"));
};

/** The document without its `## Runs` section. */
const withoutRuns = (doc: string) => doc.replace(/## Runs\n[\s\S]*?\n(?=## Phases)/, "");

describe("plan status and handoff with runs", () => {
  it("status: tasks running now with agent, attempt, heartbeat and lease ages; other tasks' attempt N of M, last outcome and why", async () => {
    const { input } = await setup(fourTasksWithRuns);
    const doc = renderStatus(input);
    const section = doc.slice(doc.indexOf("## Runs"), doc.indexOf("## Phases"));
    expect(section).toBe(
      [
        "## Runs",
        "",
        "Running now:",
        "",
        "| Task | Agent | Attempt | Started | Heartbeat | Lease |",
        "| --- | --- | --- | --- | --- | --- |",
        "| T2 Writer | claude | attempt 1 of 3 (run 6) | 20 s ago | 20 s ago | lease expires in 40 s |",
        "",
        "Attempts:",
        "",
        "| | Task | Attempt | Last run | Why |",
        "| --- | --- | --- | --- | --- |",
        "| ❌ | T1 Parser | attempt 1 of 3 | run 1 by claude: failed (exit 1) | acceptance exited 1 |",
        "| ⛔ | T4 Docs | attempt 3 of 3 | run 4 by claude: failed (exit 1) | 3 attempts failed: acceptance exited 1 |",
        "| ✅ | T5 Lint | attempt 1 of 1 | run 5 by claude: done |  |",
        "",
        "",
      ].join("\n"),
    );
  });

  it("status: a lease nobody renewed reads as expired, with how long ago", async () => {
    const { input } = await setup(fourTasksWithRuns);
    const doc = renderStatus({ ...input, now: t("10:04:00") });
    expect(doc).toContain("| T2 Writer | claude | attempt 1 of 3 (run 6) | 4m 00s ago | 4m 00s ago | lease expired 3m 00s ago |");
  });

  it("handoff: each of the agent's tasks with runs counts them; unfinished ones name their last failed attempt and its note", async () => {
    const { input } = await setup(fourTasksWithRuns);
    const doc = renderHandoff("claude", input);
    const lines = doc.split("\n").filter((l) => l.startsWith("- Last failed attempt"));
    expect(lines).toEqual([
      "- Last failed attempt: attempt 1 of 3, run 1 failed (exit 1): acceptance exited 1 (`shipgate task log 1` prints its output)",
      "- Last failed attempt: attempt 3 of 3, run 4 failed (exit 1): acceptance exited 1 (`shipgate task log 4` prints its output)",
    ]);
    // Under its own task's heading.
    expect(doc.slice(doc.indexOf("### T1 —"), doc.indexOf("### T2 —"))).toContain("run 1 failed (exit 1)");
    expect(renderHandoff("alice", input)).not.toContain("Last failed attempt");
    // Every task with runs, done ones too, says how many and how the latest ended.
    expect(doc.split("\n").filter((l) => l.startsWith("- Runs: "))).toEqual([
      "- Runs: 1; the latest is run 1, attempt 1 of 3, failed (exit 1) (`shipgate task runs T1`)",
      "- Runs: 1; the latest is run 6, attempt 1 of 3, running (`shipgate task runs T2`)",
      "- Runs: 3; the latest is run 4, attempt 3 of 3, failed (exit 1) (`shipgate task runs T4`)",
      "- Runs: 1; the latest is run 5, attempt 1 of 1, done (`shipgate task runs T5`)",
    ]);
  });

  it("a timeout or a lost run is a failed attempt too; a cancelled one is not", async () => {
    const { input } = await setup(async (store) => {
      await attempt(store, "T1", t("09:00:00"), { at: t("09:10:00"), outcome: "timeout", exitCode: null, note: "timed out after 600 s" });
      await attempt(store, "T1", t("09:20:00"), { at: t("09:21:00"), outcome: "cancelled", note: "interrupted" });
      await attempt(store, "T2", t("09:30:00"));
      await store.expireLeases(t("09:40:00"));
    });
    const doc = renderHandoff("claude", input);
    expect(doc).toContain("- Last failed attempt: attempt 1 of 3, run 1 timeout: timed out after 600 s");
    expect(doc).toContain("- Last failed attempt: attempt 1 of 3, run 3 lost: lease expired");
    expect(renderStatus(input)).toContain("| ⬜ | T2 Writer | attempt 1 of 3 | run 3 by claude: lost | lease expired |");
  });

  it("keeps both documents as they were for a plan without runs, and adds nothing else when there are runs", async () => {
    const { input, bare } = await setup(async () => {});
    expect(renderStatus(input)).toBe(renderStatus(bare));
    expect(renderHandoff("claude", input)).toBe(renderHandoff("claude", bare));
    expect(renderStatus(input)).not.toContain("## Runs");

    const ran = await setup(fourTasksWithRuns);
    expect(withoutRuns(renderStatus(ran.input))).toBe(renderStatus(ran.bare));
    expect(renderHandoff("claude", ran.input).split("\n").filter((l) => !l.startsWith("- Last failed attempt") && !l.startsWith("- Runs: ")).join("\n")).toBe(renderHandoff("claude", ran.bare));
  });

  it("puts an agent's note that holds markdown or a pipe into a table cell as text", async () => {
    const { input } = await setup(async (store) => {
      await attempt(store, "T1", t("09:00:00"), { at: t("09:01:00"), outcome: "failed", exitCode: 2, note: "| ## boom [x](http://e.test) `code`" });
    });
    const row = renderStatus(input).split("\n").find((l) => l.includes("T1 Parser")) as string;
    expect(row).toBe("| ❌ | T1 Parser | attempt 1 of 3 | run 1 by claude: failed (exit 2) | \\| \\#\\# boom \\[x\\](http\\://e.test) \\`code\\` |");
  });
});
