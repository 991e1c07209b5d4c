import { describe, expect, it } from "vitest";
import type { AgentKind } from "../../src/plan/types.js";
import type { StoreEvent, TaskRun } from "../../src/store/types.js";
import { dailyThroughput, flow } from "../../src/track/flow.js";
import { criticalPathFloor, forecastCompletion, milestoneProbability } from "../../src/track/forecast.js";
import { milestones } from "../../src/track/milestones.js";
import { alerts } from "../../src/track/alerts.js";
import { blockers } from "../../src/track/blockers.js";
import { replayRuns, replayTasks } from "../../src/track/replay.js";
import { RISK_EVENT, riskEventData, risks } from "../../src/track/risks.js";
import { SAMPLE_FACTS, SAMPLE_IMPORTS, SAMPLE_MOVES, SAMPLE_RUNS, sampleTracker } from "./sample-tracker.js";

/** The sample's moves as the store's `task.*` events: each task moved by its owner; the blocks and the unblock with notes. */
function storeEvents(): StoreEvent[] {
  const owners = new Map(sampleTracker().tasks.map((task) => [task.id, task.owner]));
  const notes: Record<string, string> = {
    "T7 blocked": "needs the user guide review",
    "T7 pending": "review done",
    "T5 blocked": "waiting for the vendor's answer",
  };
  return SAMPLE_MOVES.map((m, i) => ({
    id: i + 1,
    at: m.at,
    type: `task.${m.to === "in_progress" ? "started" : m.to}`,
    subject: m.task,
    data: { to: m.to, agent: owners.get(m.task), note: notes[`${m.task} ${m.to}`] ?? null },
  }));
}

/** The sample's runs as the store keeps them (the last heartbeat, usage with the cost). */
function storeRuns(): TaskRun[] {
  return SAMPLE_RUNS.map((r) => ({
    id: r.id,
    taskId: r.task,
    agent: r.agent,
    attempt: r.attempt,
    epoch: r.attempt,
    startedAt: r.startedAt,
    heartbeatAt: r.heartbeatAt,
    leaseExpiresAt: r.leaseExpiresAt,
    endedAt: r.endedAt,
    outcome: r.outcome,
    exitCode: r.outcome === "done" ? 0 : null,
    log: null,
    usage: r.costUsd === null ? null : { costUsd: r.costUsd },
    note: r.note,
  }));
}

// The sample's hand-written figures must be what the tracker's own computations make of its history.
describe("the sample tracker agrees with the tracker's computations", () => {
  it("its flow is what flow() computes from its moves and runs", () => {
    const t = sampleTracker();
    const owners = new Map(t.tasks.map((task) => [task.id, task.owner]));
    const events = storeEvents();
    const runs = storeRuns();
    const latest = SAMPLE_IMPORTS[SAMPLE_IMPORTS.length - 1];
    const computed = flow({
      events,
      runs,
      expectedHours: new Map((latest?.tasks ?? []).map((x) => [x.id, x.expectedHours])),
      owners,
      agentKinds: new Map<string, AgentKind>([["claude", "cli"], ["ana", "human"]]),
      from: "2026-11-16",
      to: "2026-12-04",
      at: t.at,
      workingDays: true,
    });
    expect(computed).toEqual(t.flow);
  });

  it("its headline matches its last burn-down day", () => {
    const t = sampleTracker();
    const last = t.burndown[t.burndown.length - 1];
    expect(last).toMatchObject({ date: t.asOf, doneTasks: t.headline.doneTasks, scopeTasks: t.headline.scopeTasks, doneHours: t.headline.doneHours, scopeHours: t.headline.scopeHours, idealHours: t.headline.idealHours });
    expect((last?.remainingHours ?? 0) - (last?.idealHours ?? 0)).toBe(t.headline.behindIdealHours);
  });
});

describe("the sample tracker's milestones", () => {
  it("are what milestones() judges from its facts and its one gate run", () => {
    const t = sampleTracker();
    const gateEvents: StoreEvent[] = [
      { id: 100, at: "2026-12-01T17:00:00Z", type: "gate.evaluated", subject: "snapshot:11", data: { gate: "release", verdict: "NO-GO", baseline: null, failed: ["new:tests.regressed"] } },
    ];
    const computed = milestones({
      milestones: t.milestones.map((m) => ({ id: m.id, date: m.date, criteria: m.criteria.map((c) => c.text) })),
      asOf: t.asOf,
      facts: SAMPLE_FACTS,
      gateEvents,
      probabilityBy: (date) => (date === "2026-12-11" ? 0.0414 : null),
      forecastP85: t.forecast.p85,
    });
    expect(computed).toEqual(t.milestones);
  });
});

describe("the sample tracker's alerts", () => {
  it("are what alerts() lists from its stored events and its state at the moment", () => {
    const t = sampleTracker();
    const events: StoreEvent[] = [
      {
        id: 101,
        at: "2026-12-01T17:00:00Z",
        type: "alert",
        subject: "snapshot:11",
        data: { type: "score-decline", metric: "score", before: 70, after: 67.4, changePct: -3.71, message: "score fell from 70 to 67.4 (−2.6)", previousSnapshotId: 10 },
      },
      { id: 102, at: "2026-12-01T17:00:00Z", type: "gate.evaluated", subject: "snapshot:11", data: { gate: "release", verdict: "NO-GO", baseline: "main", failed: ["new:tests.regressed"] } },
    ];
    const computed = alerts({
      at: t.at,
      from: "2026-11-16T00:00:00Z",
      events,
      milestones: t.milestones,
      forecastP85: t.forecast.p85,
      tasks: t.tasks,
      cycleP95Hours: t.flow.cycleTime.p95,
      runs: t.runs,
      wip: t.flow.wip,
      agents: [
        { id: "claude", maxParallel: 1 },
        { id: "ana", maxParallel: 1 },
      ],
      maxParallel: null,
    });
    expect(computed).toEqual(t.alerts);
  });
});

describe("the sample tracker's forecast", () => {
  it("is what forecastCompletion() draws from its daily throughput (seed 1, 10 000 trials, T6 + T8 = 20 h critical path)", () => {
    const t = sampleTracker();
    const throughput = dailyThroughput(t.flow, "tasks");
    // 15 working days, 5 tasks done: 11-17, 11-19, 11-20, 11-25, 12-03
    expect(throughput).toEqual([0, 1, 0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0]);
    const floorDays = criticalPathFloor(20);
    expect(floorDays).toBe(t.forecast.floorDays);
    const forecast = forecastCompletion({ throughput, remaining: t.forecast.remainingTasks, start: "2026-12-07", floorDays, seed: t.forecast.seed, trials: t.forecast.trials });
    expect({ p50: forecast.p50, p85: forecast.p85, p95: forecast.p95, reason: forecast.reason }).toEqual({ p50: t.forecast.p50, p85: t.forecast.p85, p95: t.forecast.p95, reason: null });
    expect(milestoneProbability(forecast.simulation, "2026-12-07", "2026-12-11")).toBe(t.milestones[1]?.probability);
  });
});

describe("the sample tracker's tasks, runs, blockers and risks", () => {
  it("are what replayTasks(), replayRuns(), blockers() and risks() make of its history", () => {
    const t = sampleTracker();
    const events = storeEvents();
    const dependsOn = new Map(t.tasks.map((task) => [task.id, task.dependsOn]));
    const tasks = replayTasks({
      tasks: t.tasks.map((task) => ({ id: task.id, title: task.title, owner: task.owner, dependsOn: dependsOn.get(task.id) ?? [] })),
      imports: SAMPLE_IMPORTS,
      events,
      at: t.at,
    });
    expect(tasks).toEqual(t.tasks);
    expect(replayRuns(storeRuns(), t.at)).toEqual(t.runs);
    expect(blockers({ events, titles: new Map(t.tasks.map((task) => [task.id, task.title])), from: "2026-11-16", at: t.at })).toEqual(t.blockers);
    const riskEvents: StoreEvent[] = t.risks.flatMap((r, i) => r.updates.map((u) => ({ id: 100 + i, at: u.at, type: RISK_EVENT, subject: r.id, data: riskEventData(u.status, u.note, u.by) })));
    const planRisks = t.risks.map(({ id, description, impact, probability, mitigation, owner }) => ({ id, description, impact, probability, mitigation, owner, status: "open" as const }));
    expect(risks({ planRisks, events: riskEvents, at: t.at })).toEqual(t.risks);
  });
});
