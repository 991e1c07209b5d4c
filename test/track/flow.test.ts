import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dailyThroughput, flow, type FlowInput } from "../../src/track/flow.js";
import type { Flow, ThroughputPeriod } from "../../src/track/model.js";
import { ShipgateError } from "../../src/errors.js";
import type { AgentKind } from "../../src/plan/types.js";
import type { RunOutcome, StoreEvent, TaskRun, TaskState } from "../../src/store/types.js";
import { taskEventType } from "../../src/store/task-state.js";
import { openStore } from "../../src/store/open-store.js";

/** Events as the store writes them (store/task-state.ts `planMove`): `from` is the task's state before the move. */
function history(moves: [at: string, task: string, to: TaskState, agent: string | null][]): StoreEvent[] {
  const state = new Map<string, TaskState>();
  const events: StoreEvent[] = [];
  for (const [at, task, to, agent] of moves) {
    const from = state.get(task) ?? "pending";
    state.set(task, to);
    events.push({ id: events.length + 1, at, type: taskEventType(to), subject: task, data: { from, to, agent, note: null, force: to === "done" && from !== "in_progress" } });
  }
  return events;
}

function run(id: number, taskId: string, agent: string, startedAt: string, endedAt: string | null, outcome: RunOutcome | null): TaskRun {
  return { id, taskId, agent, attempt: id, epoch: id, startedAt, heartbeatAt: startedAt, leaseExpiresAt: endedAt ?? startedAt, endedAt, outcome, exitCode: null, log: null, usage: null, note: null };
}

/** A period as [start, tasks, hours, "agent tasks/hours …", "kind tasks/hours …"] (names sorted). */
type Row = [string, number, number, string, string];
const compact = (r: Record<string, { tasks: number; hours: number } | undefined>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${v?.tasks}/${v?.hours}`)
    .sort()
    .join(", ");
const rows = (periods: ThroughputPeriod[]): Row[] => periods.map((p) => [p.start, p.tasks, p.hours, compact(p.byAgent), compact(p.byKind)]);

// A fortnight of a small team: claude (an AI agent on the command line), bot (a script) and ana (a person).
// 2026-03-02 is a Monday; 03-07/08 is the weekend. Events after the as-of moment (03-10 18:00) must not count.
const events: StoreEvent[] = [
  ...history([
    ["2026-03-02T09:00:00Z", "A", "in_progress", "claude"],
    ["2026-03-02T09:00:00Z", "B", "in_progress", "ana"],
    ["2026-03-02T15:00:00Z", "A", "done", "claude"], // cycle 6 h
    ["2026-03-03T09:00:00Z", "C", "in_progress", "claude"],
    ["2026-03-03T10:00:00Z", "C", "blocked", "claude"],
    ["2026-03-03T11:00:00Z", "B", "done", "ana"], // first done of B: reopened below, so not counted as of 03-10
    ["2026-03-03T11:00:00Z", "C", "pending", "ana"], // reset: C's cycle starts again
    ["2026-03-04T09:00:00Z", "C", "in_progress", "bot"], // the restart: cycle 0.5 h
    ["2026-03-04T09:30:00Z", "C", "done", null], // no agent on the done move: credited to its claimer, bot
    ["2026-03-04T10:00:00Z", "B", "pending", "ana"], // B reopened
    ["2026-03-04T12:00:00Z", "B", "in_progress", "ana"],
    ["2026-03-05T12:00:00Z", "B", "done", "ana"], // B counted here, once; cycle 24 h from the restart
    ["2026-03-06T09:00:00Z", "D", "in_progress", "ana"],
    ["2026-03-07T10:00:00Z", "D", "done", "ana"], // Saturday; cycle 25 h
    ["2026-03-08T16:00:00Z", "E", "done", null], // Sunday, forced from pending by nobody: its owner bot; no cycle
    ["2026-03-09T10:00:00Z", "F", "in_progress", "claude"],
    ["2026-03-09T11:00:00Z", "G", "in_progress", null],
    ["2026-03-10T09:00:00Z", "H", "in_progress", "claude"],
    ["2026-03-10T12:00:00Z", "J", "in_progress", "ana"],
    ["2026-03-10T13:00:00Z", "J", "done", "claude"], // the done move's agent wins over the claimer; cycle 1 h
    ["2026-03-10T14:00:00Z", "G", "done", null], // nobody on its moves: its owner dan, not a listed agent; cycle 27 h
    ["2026-03-10T15:00:00Z", "L", "in_progress", "ana"],
    ["2026-03-10T16:00:00Z", "M", "in_progress", null], // WIP of its owner, bot
    ["2026-03-10T19:00:00Z", "H", "done", "claude"], // after the as-of moment
    ["2026-03-11T08:00:00Z", "F", "done", "claude"], // after it too
  ]),
  { id: 100, at: "2026-03-02T08:00:00Z", type: "plan.imported", subject: "1", data: { hash: "h", tasks: 11 } },
  { id: 101, at: "2026-03-02T09:00:00Z", type: "run.started", subject: "1", data: { task: "A", agent: "claude", attempt: 1 } },
];

const runs: TaskRun[] = [
  run(1, "A", "claude", "2026-03-02T09:00:00Z", "2026-03-02T11:00:00Z", "failed"), // 2 h, a failed attempt
  run(2, "A", "claude", "2026-03-02T11:00:00Z", "2026-03-02T15:00:00Z", "done"), // 4 h
  run(3, "C", "bot", "2026-03-04T09:00:00Z", "2026-03-04T09:30:00Z", "done"), // 0.5 h
  run(4, "H", "claude", "2026-03-10T09:00:00Z", null, null), // still running
];

const base: FlowInput = {
  events,
  runs,
  expectedHours: new Map(Object.entries({ A: 4, B: 8, C: 2, D: 6, E: 1, F: 3, G: 5, H: 2, J: 1.5, L: 1, M: 1 })),
  owners: new Map(Object.entries({ A: "claude", B: "ana", C: "claude", D: "ana", E: "bot", F: "claude", G: "dan", H: "claude", J: "ana", L: "ana", M: "bot" })),
  agentKinds: new Map<string, AgentKind>([
    ["claude", "cli"],
    ["bot", "script"],
    ["ana", "human"],
  ]),
  from: "2026-03-02",
  to: "2026-03-10",
  at: "2026-03-10T18:00:00Z",
  workingDays: false,
};

describe("flow: throughput and velocity per day and week", () => {
  const f = flow(base);

  it("counts each task done at the as-of moment once, on the day of its last done, by agent and by kind, zero days included", () => {
    expect(rows(f.daily)).toEqual<Row[]>([
      ["2026-03-02", 1, 4, "claude 1/4", "cli 1/4"], // A
      ["2026-03-03", 0, 0, "", ""], // B's first done was reopened: not counted here
      ["2026-03-04", 1, 2, "bot 1/2", "script 1/2"], // C, credited to its claimer
      ["2026-03-05", 1, 8, "ana 1/8", "human 1/8"], // B's last done
      ["2026-03-06", 0, 0, "", ""],
      ["2026-03-07", 1, 6, "ana 1/6", "human 1/6"], // D on a Saturday: calendar days keep it there
      ["2026-03-08", 1, 1, "bot 1/1", "script 1/1"], // E, credited to its owner
      ["2026-03-09", 0, 0, "", ""],
      ["2026-03-10", 2, 6.5, "claude 1/1.5, dan 1/5", "cli 1/1.5, unknown 1/5"], // J by claude; G by dan (no kind); H after `at`
    ]);
  });

  it("sums the days into ISO weeks keyed by their Monday", () => {
    expect(rows(f.weekly)).toEqual<Row[]>([
      ["2026-03-02", 5, 21, "ana 2/14, bot 2/3, claude 1/4", "cli 1/4, human 2/14, script 2/3"],
      ["2026-03-09", 2, 6.5, "claude 1/1.5, dan 1/5", "cli 1/1.5, unknown 1/5"],
    ]);
  });

  it("folds a weekend's done into the Monday after it with working days", () => {
    const w = flow({ ...base, workingDays: true });
    expect(rows(w.daily)).toEqual<Row[]>([
      ["2026-03-02", 1, 4, "claude 1/4", "cli 1/4"],
      ["2026-03-03", 0, 0, "", ""],
      ["2026-03-04", 1, 2, "bot 1/2", "script 1/2"],
      ["2026-03-05", 1, 8, "ana 1/8", "human 1/8"],
      ["2026-03-06", 0, 0, "", ""],
      ["2026-03-09", 2, 7, "ana 1/6, bot 1/1", "human 1/6, script 1/1"], // D (Saturday) and E (Sunday)
      ["2026-03-10", 2, 6.5, "claude 1/1.5, dan 1/5", "cli 1/1.5, unknown 1/5"],
    ]);
    expect(rows(w.weekly).map((r) => r.slice(0, 3))).toEqual([
      ["2026-03-02", 3, 14],
      ["2026-03-09", 4, 13.5],
    ]);
  });

  it.each<[string, Partial<FlowInput>, [string, number][]]>([
    ["a weekend before a Monday `from` counts on that Monday", { from: "2026-03-09", workingDays: true }, [["2026-03-09", 2], ["2026-03-10", 2]]],
    ["a weekend before a Saturday `from` counts on the Monday too", { from: "2026-03-07", workingDays: true }, [["2026-03-09", 2], ["2026-03-10", 2]]],
    ["a weekend `to` has no row for its weekend's done", { to: "2026-03-08", workingDays: true }, [["2026-03-02", 1], ["2026-03-03", 0], ["2026-03-04", 1], ["2026-03-05", 1], ["2026-03-06", 0]]],
    ["a window of one weekend has no working day", { from: "2026-03-07", to: "2026-03-08", workingDays: true }, []],
    ["done before `from` is in no row", { from: "2026-03-05", to: "2026-03-05" }, [["2026-03-05", 1]]],
  ])("window edges: %s", (_title, change, expected) => {
    const w = flow({ ...base, ...change });
    expect(w.daily.map((d) => [d.start, d.tasks])).toEqual(expected);
    expect(w.weekly.reduce((s, p) => s + p.tasks, 0)).toBe(expected.reduce((s, [, n]) => s + n, 0));
  });

  it("gives the forecast the daily series in tasks or hours, working days only when asked", () => {
    expect(dailyThroughput(f, "tasks")).toEqual([1, 0, 1, 1, 0, 1, 1, 0, 2]);
    expect(dailyThroughput(f, "hours")).toEqual([4, 0, 2, 8, 0, 6, 1, 0, 6.5]);
    expect(dailyThroughput(flow({ ...base, workingDays: true }), "tasks")).toEqual([1, 0, 1, 1, 0, 2, 2]);
  });
});

describe("flow: cycle time", () => {
  it("measures each done task from its first start after its last reset (or reopen) to its last done", () => {
    const f = flow(base);
    expect(f.cycles.map((c) => [c.task, c.agent, c.startedAt, c.doneAt, c.hours])).toEqual([
      ["A", "claude", "2026-03-02T09:00:00Z", "2026-03-02T15:00:00Z", 6],
      ["C", "bot", "2026-03-04T09:00:00Z", "2026-03-04T09:30:00Z", 0.5], // reset then restarted: from the restart
      ["B", "ana", "2026-03-04T12:00:00Z", "2026-03-05T12:00:00Z", 24], // reopened: from the start after the reopen
      ["D", "ana", "2026-03-06T09:00:00Z", "2026-03-07T10:00:00Z", 25],
      // E: forced done without a start, no cycle
      ["J", "claude", "2026-03-10T12:00:00Z", "2026-03-10T13:00:00Z", 1],
      ["G", "dan", "2026-03-09T11:00:00Z", "2026-03-10T14:00:00Z", 27],
    ]);
    // Sorted: 0.5 1 6 24 25 27; nearest rank ⌈p·6/100⌉: P50 → 3rd, P85 → 6th, P95 → 6th.
    expect(f.cycleTime).toEqual({ p50: 6, p85: 27, p95: 27, count: 6 });
  });

  it("keeps the whole first attempt in a cycle that failed and was retried without a reset", () => {
    const f = flow({
      ...base,
      events: history([
        ["2026-03-02T09:00:00Z", "A", "in_progress", "claude"],
        ["2026-03-02T10:00:00Z", "A", "failed", "claude"],
        ["2026-03-02T13:00:00Z", "A", "in_progress", "bot"],
        ["2026-03-02T14:15:00Z", "A", "done", "bot"],
      ]),
    });
    expect(f.cycles.map((c) => [c.task, c.agent, c.hours])).toEqual([["A", "bot", 5.25]]);
  });

  it.each<[number[], [number | null, number | null, number | null]]>([
    [[], [null, null, null]],
    [[7], [7, 7, 7]],
    [[3, 1, 2], [2, 3, 3]], // ranks ⌈1.5⌉=2, ⌈2.55⌉=3, ⌈2.85⌉=3
    [Array.from({ length: 20 }, (_, i) => 20 - i), [10, 17, 19]], // ranks 10, 17, 19 of 1…20
  ])("nearest-rank percentiles of %j", (hours, [p50, p85, p95]) => {
    // One task per value, each started at 00:00 and done `hours` later.
    const moves: [string, string, TaskState, string][] = hours.flatMap((h, i) => [
      ["2026-03-02T00:00:00Z", `T${i}`, "in_progress", "claude"],
      [new Date(Date.parse("2026-03-02T00:00:00Z") + h * 3_600_000).toISOString(), `T${i}`, "done", "claude"],
    ]);
    expect(flow({ ...base, events: history(moves) }).cycleTime).toEqual({ p50, p85, p95, count: hours.length });
  });
});

describe("flow: work in progress", () => {
  it("counts tasks whose last move by the as-of moment is a start, by the agent who started it (else the owner)", () => {
    // F and H by claude (H's done comes after `at`), L by ana, M started by nobody: its owner bot.
    expect(flow(base).wip).toEqual({ total: 4, byAgent: { claude: 2, ana: 1, bot: 1 } });
  });
});

describe("flow: estimate accuracy", () => {
  it("sums every run of a done task (a failed attempt and the done one) against its expected hours", () => {
    const f = flow(base);
    expect(f.estimates).toEqual([
      { task: "A", expectedHours: 4, actualHours: 6, ratio: 1.5 }, // 2 h failed + 4 h done
      { task: "C", expectedHours: 2, actualHours: 0.5, ratio: 0.25 },
    ]);
    expect(f.estimateRatio).toBe(1.083); // 6.5 / 6
  });

  it("gives a null ratio for an expected 0, and no estimate for a task without an expected value", () => {
    const f = flow({ ...base, expectedHours: new Map(Object.entries({ A: 0 })) });
    expect(f.estimates).toEqual([{ task: "A", expectedHours: 0, actualHours: 6, ratio: null }]);
    expect(f.estimateRatio).toBeNull();
  });
});

describe("flow: as of a past moment", () => {
  it.each<[string, string, string, (f: Flow) => unknown, unknown]>([
    ["B's first done counts while it is still done", "2026-03-03", "2026-03-03T12:00:00Z", (f) => f.daily.map((d) => [d.start, d.tasks]), [["2026-03-02", 1], ["2026-03-03", 1]]],
    ["work in progress then", "2026-03-03", "2026-03-03T09:30:00Z", (f) => f.wip, { total: 2, byAgent: { ana: 1, claude: 1 } }],
    ["a run that ended before its task was done gives no estimate yet", "2026-03-02", "2026-03-02T12:00:00Z", (f) => [f.estimates, f.estimateRatio, f.cycles], [[], null, []]],
    ["the done move at the very moment counts", "2026-03-02", "2026-03-02T15:00:00Z", (f) => f.cycleTime, { p50: 6, p85: 6, p95: 6, count: 1 }],
  ])("%s", (_title, to, at, pick, expected) => {
    expect(pick(flow({ ...base, to, at }))).toEqual(expected);
  });

  it("ignores runs that end after the as-of moment", () => {
    const late = run(5, "A", "claude", "2026-03-10T17:00:00Z", "2026-03-10T20:00:00Z", "done");
    expect(flow({ ...base, runs: [...runs, late] }).estimates[0]).toEqual({ task: "A", expectedHours: 4, actualHours: 6, ratio: 1.5 });
  });
});

describe("flow: from what a real store records", () => {
  it("reads the task events and runs the SQLite store writes (claims, a failed run, a lost lease, moves by hand)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-flow-"));
    const store = await openStore(join(dir, "shipgate.db"), { at: "2026-03-01T00:00:00.000Z" });
    try {
      const task = (id: string, owner: string) => ({ id, title: `Task ${id}`, owner, priority: "P1" as const, slack: 0, dependsOn: [], phase: "p1", maxAttempts: null });
      await store.importPlan({ hash: "h1", source: "shipgate.plan.yaml", content: {}, tasks: [task("A", "claude"), task("B", "ana"), task("C", "claude")], phaseWaits: {} }, "2026-03-01T00:00:00.000Z");
      const claim = async (id: string, at: string) => (await store.claimTask({ agent: "claude", at, leaseMs: 3_600_000, taskId: id })) as { run: TaskRun };
      // A: a failed attempt (1 h), then a retry without reset that is done (2 h).
      const first = await claim("A", "2026-03-02T09:00:00.000Z");
      await store.finishRun(first.run.id, first.run.epoch, { outcome: "failed", at: "2026-03-02T10:00:00.000Z" });
      const second = await claim("A", "2026-03-02T11:00:00.000Z");
      await store.finishRun(second.run.id, second.run.epoch, { outcome: "done", at: "2026-03-02T13:00:00.000Z" });
      // B: a person's task, moved by hand, no runs.
      await store.transitionTask("B", "in_progress", { agent: "ana" }, "2026-03-02T09:00:00.000Z");
      await store.transitionTask("B", "done", { agent: "ana" }, "2026-03-03T09:00:00.000Z");
      // C: its lease expires (back to pending by nobody), then claimed again: in progress.
      await claim("C", "2026-03-03T10:00:00.000Z");
      await store.expireLeases("2026-03-03T12:00:00.000Z");
      await claim("C", "2026-03-03T13:00:00.000Z");

      const f = flow({
        ...base,
        events: await store.listEvents({ typePrefix: "task." }),
        runs: await store.listRuns(),
        expectedHours: new Map(Object.entries({ A: 2, B: 8, C: 1 })),
        owners: new Map(Object.entries({ A: "claude", B: "ana", C: "claude" })),
        from: "2026-03-02",
        to: "2026-03-03",
        at: "2026-03-03T18:00:00.000Z",
      });
      expect(rows(f.daily)).toEqual<Row[]>([
        ["2026-03-02", 1, 2, "claude 1/2", "cli 1/2"],
        ["2026-03-03", 1, 8, "ana 1/8", "human 1/8"],
      ]);
      expect(f.cycles.map((c) => [c.task, c.agent, c.hours])).toEqual([
        ["A", "claude", 4], // 09:00 → 13:00, the failed attempt included
        ["B", "ana", 24],
      ]);
      expect(f.wip).toEqual({ total: 1, byAgent: { claude: 1 } });
      expect(f.estimates).toEqual([{ task: "A", expectedHours: 2, actualHours: 3, ratio: 1.5 }]); // C's lost run: C is not done
      expect(f.estimateRatio).toBe(1.5);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("flow: refuses bad input with USAGE", () => {
  const bad: [string, Partial<FlowInput>, RegExp][] = [
    ["a date that does not exist", { from: "2026-02-30" }, /flow's from must be a date YYYY-MM-DD \(got "2026-02-30"\)/],
    ["`to` before `from`", { from: "2026-03-10", to: "2026-03-02" }, /as-of day 2026-03-02 is before its first day 2026-03-10/],
    ["an as-of moment without a zone", { at: "2026-03-10T18:00:00" }, /as-of moment is not an ISO 8601 date-time with a zone/],
    ["an event time that is not a time", { events: history([["yesterday", "A", "done", null]]) }, /event 1 \(task.done of A\) is not an ISO 8601/],
    ["a run that ends before it starts", { runs: [run(9, "A", "claude", "2026-03-02T12:00:00Z", "2026-03-02T11:00:00Z", "done")] }, /run 9 of A ends \(2026-03-02T11:00:00Z\) before it starts/],
    ["expected hours that are not a number", { expectedHours: new Map([["A", Number.NaN]]) }, /task A's expected hours must be a finite number ≥ 0 \(got NaN\)/],
  ];
  it.each(bad)("%s", (_title, change, message) => {
    let error: unknown;
    try {
      flow({ ...base, ...change });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShipgateError);
    expect((error as ShipgateError).code).toBe("USAGE");
    expect((error as ShipgateError).message).toMatch(message);
  });
});
