import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ShipgateError } from "../../src/errors.js";
import { openStore } from "../../src/store/open-store.js";
import type { ImportedTask, RunOutcome, Store, StoreEvent, TaskRun } from "../../src/store/types.js";
import { blockers } from "../../src/track/blockers.js";
import type { TaskAt } from "../../src/track/model.js";
import { replayRuns, replayTasks, taskMoveOf, type ReplayImport } from "../../src/track/replay.js";

/** A task move as store/task-state.ts `planMove` writes it. */
const move = (id: number, at: string, type: string, task: string, agent: string | null, note: string | null = null, extra: Record<string, unknown> = {}): StoreEvent => {
  const to = type === "task.started" ? "in_progress" : type.slice("task.".length);
  return { id, at, type, subject: task, data: { from: "?", to, agent, note, force: false, ...extra } };
};
const plan = (at: string, ids: string[]): ReplayImport => ({ at, tasks: ids.map((id) => ({ id })) });

// Day N = 2026-03-0N. Plan 1 (day 2, 08:00): A B C D. Plan 2 (day 4, 08:00): A B C E — D removed, E added.
const tasks = [
  { id: "A", title: "Schema", owner: "a1" },
  { id: "B", title: "API client", owner: "a2" },
  { id: "C", title: "Importer", owner: "a2" },
  { id: "E", title: "Exporter", owner: "a1" },
  { id: "D", title: "Legacy bridge", owner: "lead" }, // removed: listTasks gives removed tasks last
];
const imports = [plan("2026-03-04T08:00:00Z", ["A", "B", "C", "E"]), plan("2026-03-02T08:00:00Z", ["A", "B", "C", "D"])]; // any order
const events: StoreEvent[] = [
  move(1, "2026-03-02T09:00:00Z", "task.started", "A", "a1"),
  move(2, "2026-03-02T10:00:00Z", "task.blocked", "B", "lead", "waits for the API key"),
  { id: 3, at: "2026-03-02T11:00:00Z", type: "run.started", subject: "1", data: { task: "A" } }, // not a task move
  move(4, "2026-03-02T15:00:00Z", "task.done", "A", "a1", null, { run: 1 }),
  move(5, "2026-03-03T10:00:00Z", "task.pending", "B", "lead", "key arrived"),
  move(6, "2026-03-03T11:00:00Z", "task.started", "C", "a2"),
  move(7, "2026-03-03T12:00:00Z", "task.failed", "C", "a2", "acceptance exited 1", { run: 2 }),
  move(8, "2026-03-03T13:00:00Z", "task.pending", "C", "lead", "reset after the fix"), // a reset: failed → pending
  move(9, "2026-03-04T09:00:00Z", "task.started", "E", "a1"),
  move(10, "2026-03-04T09:30:00Z", "task.started", "Z", "a1"), // no stored task Z: ignored
  move(11, "2026-03-04T10:00:00Z", "task.pending", "E", null, "lease expired"), // an expired lease: nobody moved it
];

/** A task as "id state since by note [removed]", since and by "-" when null. */
const line = (t: TaskAt) => [t.id, t.state, t.since?.slice(5, 16) ?? "-", t.by ?? "-", t.note ?? "-", t.removed ? "removed" : ""].join(" ").trim();

describe("replayTasks: a small history, read at several moments", () => {
  it.each([
    ["2026-03-02T07:59:59Z", []], // before the first import: no plan, no task
    ["2026-03-02T08:00:00Z", ["A pending - - -", "B pending - - -", "C pending - - -", "D pending - - -"]], // the import's own instant counts
    [
      "2026-03-02T12:00:00Z",
      ["A in_progress 03-02T09:00 a1 -", "B blocked 03-02T10:00 lead waits for the API key", "C pending - - -", "D pending - - -"],
    ],
    [
      "2026-03-03T12:30:00Z",
      ["A done 03-02T15:00 a1 -", "B pending 03-03T10:00 lead key arrived", "C failed 03-03T12:00 a2 acceptance exited 1", "D pending - - -"],
    ],
    // The reset: failed → pending, by the lead, with the lead's note.
    ["2026-03-03T13:00:00Z", ["A done 03-02T15:00 a1 -", "B pending 03-03T10:00 lead key arrived", "C pending 03-03T13:00 lead reset after the fix", "D pending - - -"]],
    // Plan 2: E is listed (plan order), D is kept as removed (last, as listTasks gives it).
    [
      "2026-03-04T09:15:00Z",
      ["A done 03-02T15:00 a1 -", "B pending 03-03T10:00 lead key arrived", "C pending 03-03T13:00 lead reset after the fix", "E in_progress 03-04T09:00 a1 -", "D pending - - - removed"],
    ],
    // The lease expired: back to pending, nobody recorded as mover.
    [
      "2026-03-05T00:00:00Z",
      ["A done 03-02T15:00 a1 -", "B pending 03-03T10:00 lead key arrived", "C pending 03-03T13:00 lead reset after the fix", "E pending 03-04T10:00 - lease expired", "D pending - - - removed"],
    ],
  ] as const)("at %s", (at, expected) => {
    expect(replayTasks({ tasks, imports, events, at }).map(line)).toEqual(expected);
  });

  it("ignores events after the moment even where the list places them before earlier ones", () => {
    // Stamped by callers, times need not grow with ids: event 21 (day 5) comes before event 22 (day 3) in the list,
    // and event 23 (day 6) after it. Neither later one counts on day 4; event 22 is not skipped for standing after 21.
    const late = [
      move(21, "2026-03-05T09:00:00Z", "task.done", "A", "a1"),
      move(22, "2026-03-03T09:00:00Z", "task.started", "A", "a1"),
      move(23, "2026-03-06T09:00:00Z", "task.failed", "A", "a1"),
    ];
    const rows = replayTasks({ tasks, imports, events: late, at: "2026-03-04T00:00:00Z" }).map(line);
    expect(rows[0]).toBe("A in_progress 03-03T09:00 a1 -");
  });

  it("lists a task removed and added back as not removed, with the state it kept", () => {
    const back = [...imports, plan("2026-03-06T08:00:00Z", ["A", "B", "C", "D", "E"])];
    const rows = replayTasks({ tasks, imports: back, events, at: "2026-03-06T09:00:00Z" }).map(line);
    expect(rows).toContain("D pending - - -");
  });

  it("reads the state from data.to and falls back to the event type when data is missing", () => {
    expect(taskMoveOf({ id: 1, at: "2026-03-02T09:00:00Z", type: "task.blocked", subject: "A", data: null })).toEqual({
      id: 1,
      at: "2026-03-02T09:00:00Z",
      task: "A",
      to: "blocked",
      agent: null,
      note: null,
    });
    expect(taskMoveOf({ id: 2, at: "2026-03-02T09:00:00Z", type: "task.started", subject: "A", data: { to: "in_progress", agent: 7 } })?.agent).toBe(null);
    expect(taskMoveOf({ id: 3, at: "2026-03-02T09:00:00Z", type: "task.reopened", subject: "A", data: { to: "pending" } })).toBe(null);
    expect(taskMoveOf({ id: 4, at: "2026-03-02T09:00:00Z", type: "task.done", subject: null, data: { to: "done" } })).toBe(null);
  });

  it("refuses a moment without a zone, naming it", () => {
    const error = (() => {
      try {
        replayTasks({ tasks, imports, events, at: "2026-03-04 12:00" });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ShipgateError);
    expect((error as ShipgateError).code).toBe("USAGE");
    expect((error as ShipgateError).message).toMatchInlineSnapshot(
      `"[track] the replay's moment is not an ISO 8601 date-time with a zone, such as 2026-03-01T09:00:00Z (got "2026-03-04 12:00")"`,
    );
  });
});

describe("replayRuns", () => {
  const run = (
    id: number,
    taskId: string,
    startedAt: string,
    heartbeatAt: string,
    leaseExpiresAt: string,
    end: [string, RunOutcome, string | null] | null,
    costUsd?: number,
  ): TaskRun => ({
    id,
    taskId,
    agent: "a1",
    attempt: 1,
    epoch: id,
    startedAt,
    heartbeatAt,
    leaseExpiresAt,
    endedAt: end?.[0] ?? null,
    outcome: end?.[1] ?? null,
    exitCode: end === null ? null : end[1] === "done" ? 0 : 1,
    log: null,
    usage: costUsd === undefined ? null : { inputTokens: 1000, costUsd },
    note: end?.[2] ?? null,
  });
  const runs = [
    run(1, "A", "2026-03-02T09:00:00Z", "2026-03-02T14:00:00Z", "2026-03-02T14:15:00Z", ["2026-03-02T15:00:00Z", "done", null], 0.42),
    run(2, "C", "2026-03-03T11:00:00Z", "2026-03-03T11:50:00Z", "2026-03-03T12:05:00Z", ["2026-03-03T12:00:00Z", "failed", "acceptance exited 1"]),
    run(3, "E", "2026-03-04T09:00:00Z", "2026-03-04T11:00:00Z", "2026-03-04T11:15:00Z", null, 0.1), // still running today
  ];
  /** A run as "id ended outcome heartbeat lease note cost", "-" for null, times as dd Thh:mm. */
  const cell = (v: string | number | null) => (v === null ? "-" : typeof v === "number" ? String(v) : v.slice(8, 16));
  const rows = (at: string) =>
    replayRuns(runs, at).map((r) => [r.id, cell(r.endedAt), r.outcome ?? "-", cell(r.heartbeatAt), cell(r.leaseExpiresAt), r.note ?? "-", cell(r.costUsd)].join(" "));

  it.each([
    ["2026-03-02T08:59:59Z", []],
    // Running at noon; its stored heartbeat (14:00) is later, so the start stands in; no cost yet.
    ["2026-03-02T12:00:00Z", ["1 - - 02T09:00 02T14:15 - -"]],
    ["2026-03-02T14:00:00Z", ["1 - - 02T14:00 02T14:15 - -"]], // the stored heartbeat at the moment itself counts
    ["2026-03-02T15:00:00Z", ["1 02T15:00 done 02T14:00 02T14:15 - 0.42"]], // ended at the moment: ended
    ["2026-03-04T10:00:00Z", ["1 02T15:00 done 02T14:00 02T14:15 - 0.42", "2 03T12:00 failed 03T11:50 03T12:05 acceptance exited 1 -", "3 - - 04T09:00 04T11:15 - -"]],
    ["2026-03-04T12:00:00Z", ["1 02T15:00 done 02T14:00 02T14:15 - 0.42", "2 03T12:00 failed 03T11:50 03T12:05 acceptance exited 1 -", "3 - - 04T11:00 04T11:15 - -"]],
  ] as const)("at %s", (at, expected) => {
    expect(rows(at)).toEqual(expected);
  });
});

describe("replay against a real SQLite store", () => {
  const t = (hours: number) => new Date(Date.parse("2026-03-02T09:00:00.000Z") + hours * 3_600_000).toISOString();
  const task = (id: string, maxAttempts: number | null = null): ImportedTask => ({
    id,
    title: `Task ${id}`,
    owner: "a1",
    priority: "P1",
    slack: 0,
    dependsOn: [],
    phase: "p",
    maxAttempts,
  });
  const importOf = (hash: string, tasks: ImportedTask[]) => ({ hash, source: "shipgate.plan.yaml", content: { version: 1 }, tasks, phaseWaits: {} });
  const LEASE = 30 * 60_000;

  it("gives, at every step of a history, the task states and runs the store itself held then", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-replay-"));
    const store: Store = await openStore(join(dir, "s.db"), { at: t(0) });
    try {
      /** After each step: its time, and the store's own view of tasks and runs then. */
      const steps: { at: string; tasks: string[]; runs: string[] }[] = [];
      const record = async (at: string) => {
        const tasks = (await store.listTasks()).map((r) => `${r.id} ${r.state} ${r.note ?? "-"}${r.removed ? " removed" : ""}`);
        const runs = (await store.listRuns()).map((r) => `${r.id} ${r.endedAt ?? "-"} ${r.outcome ?? "-"} ${r.note ?? "-"}`);
        steps.push({ at, tasks, runs });
      };
      const plan1 = [task("A"), task("B"), task("C", 2), task("D")];
      const plan2 = [task("A"), task("B"), task("C", 2), task("E")];
      const claim = async (id: string, agent: string, at: string) => (await store.claimTask({ agent, at, leaseMs: LEASE, taskId: id }))?.run as TaskRun;

      await store.importPlan(importOf("h1", plan1), t(0));
      await record(t(0));
      const run1 = await claim("A", "a1", t(1));
      await record(t(1));
      await store.heartbeat(run1.id, run1.epoch, LEASE, { at: t(1.25) });
      await record(t(1.25));
      await store.finishRun(run1.id, run1.epoch, { at: t(2), outcome: "done", exitCode: 0, usage: { costUsd: 0.5 } });
      await record(t(2));
      await store.transitionTask("B", "blocked", { agent: "lead", note: "waits for the key" }, t(3));
      await record(t(3));
      await store.transitionTask("B", "pending", { agent: "lead" }, t(4));
      await record(t(4));
      await store.transitionTask("B", "blocked", { agent: "lead", note: "key revoked" }, t(5)); // blocked again
      await record(t(5));
      const run2 = await claim("C", "a2", t(6));
      await store.finishRun(run2.id, run2.epoch, { at: t(7), outcome: "failed", exitCode: 1, note: "acceptance exited 1" });
      await record(t(7));
      await claim("C", "a2", t(8));
      await record(t(8));
      await store.expireLeases(t(9)); // attempt 2 of 2 lost: C failed for good, moved by nobody
      await record(t(9));
      // As the dispatcher does with a task out of attempts.
      await store.transitionTask("C", "blocked", { agent: "a2", note: "2 attempts failed: the last one's lease expired", expectHolder: "a2" }, t(10));
      await record(t(10));
      await store.importPlan(importOf("h2", plan2), t(11)); // D removed, E added
      await record(t(11));
      await store.transitionTask("C", "pending", { agent: "lead", note: "reset" }, t(12)); // a reset
      await record(t(12));
      await claim("E", "a1", t(13)); // still running at the end
      await record(t(13));

      const tasks = await store.listTasks();
      const events = await store.listEvents();
      const runs = await store.listRuns();
      const imports = [
        { at: t(0), tasks: plan1 },
        { at: t(11), tasks: plan2 },
      ];
      for (const step of steps) {
        const replayed = replayTasks({ tasks, imports, events, at: step.at }).map((r) => `${r.id} ${r.state} ${r.note ?? "-"}${r.removed ? " removed" : ""}`);
        expect({ at: step.at, tasks: replayed }).toEqual({ at: step.at, tasks: step.tasks });
        const replayedRuns = replayRuns(runs, step.at).map((r) => `${r.id} ${r.endedAt ?? "-"} ${r.outcome ?? "-"} ${r.note ?? "-"}`);
        expect({ at: step.at, runs: replayedRuns }).toEqual({ at: step.at, runs: step.runs });
      }
      // The lost run's move was made by nobody; the heartbeat of run 1 is known from 1.25 h on.
      expect(replayTasks({ tasks, imports, events, at: t(9) }).find((r) => r.id === "C")).toMatchObject({ state: "failed", by: null, note: "lease expired" });
      expect(replayRuns(runs, t(1.1)).map((r) => r.heartbeatAt)).toEqual([t(1)]);
      expect(replayRuns(runs, t(2))).toMatchObject([{ heartbeatAt: runs[0]?.heartbeatAt, costUsd: 0.5 }]);

      const b = blockers({ events, titles: new Map(tasks.map((r) => [r.id, r.title])), from: "2026-03-02", at: t(13) });
      expect(b.log.map((e) => `${e.task} ${e.by} ${e.reason} ${e.hours} ${e.open ? "open" : "resolved"}`)).toEqual([
        "B lead waits for the key 1 resolved",
        "B lead key revoked 8 open",
        "C a2 2 attempts failed: the last one's lease expired 2 resolved",
      ]);
      expect(b.medianHoursToResolve).toBe(1.5);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
