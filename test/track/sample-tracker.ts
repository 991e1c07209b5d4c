/**
 * A complete, hand-checkable `Tracker` (issue 12) for renderer and standup tests: a program of four working weeks
 * (Mon 2026-11-16 → Fri 2026-12-11, Monday–Friday), seen on Friday 2026-12-04 at noon, after three weeks.
 *
 * - Agents: `claude` (a cli agent, with runs) and `ana` (a human, no runs).
 * - Plan imported 2026-11-13 with T1…T8 (57 h); T9 (4 h) added 2026-11-23; T6 re-estimated 9 → 12 h 2026-11-30.
 *   Ideal line frozen at 2026-11-16: 57 h → 0 at 2026-12-11 over 19 working days = 3 h a day.
 * - Done: T1 11-17, T2 11-19 (after a failed run), T3 11-20 (ana), T4 11-25, T9 12-03 (after a timed-out run).
 *   T5 blocked by ana since 12-02 10:00 (open), T7 was blocked 11-26 10:00 → 11-27 14:00 (28 h), T6 in progress
 *   (run 7, its lease expired 12-03 18:30: stale), T7 ready (its dependency T3 is done), T8 waits for T6.
 * - Snapshots 1…13, one a working day except 11-18 and 12-04 (not measured); score and coverage rise, one
 *   regression on 12-01 (score 70 → 67.4, 2 tests failing). Targets: score 60 + 1 a working day (74 on 12-04),
 *   coverage.lines 70 + 1 a working day up to 80 from 11-30, tests.failed 0 from 11-23.
 * - Milestones: beta (11-27, met), release (12-11, at risk: gate release NO-GO, score below 80, 4 % likely by the
 *   forecast: P50 2026-12-21, P85 2026-12-29, P95 2027-01-04).
 * - Alerts: the score's decline and the release gate's NO-GO (with regressed tests) stored on 12-01; the forecast past
 *   the release and run 7's stale lease computed now.
 *
 * The series and the burn-down are computed by the real `dailySeries` and `burndown` from the facts and moves below,
 * so they follow the tracker's rules; the tasks, runs, blockers, risks, flow, forecast (but its cone), milestones and
 * alerts are written out by hand and checked against `replayTasks()`, `replayRuns()`, `blockers()`, `risks()`,
 * `flow()`, `forecastCompletion()`, `milestones()` and `alerts()` in sample-tracker.test.ts.
 */
import { burndown, type BurndownImport, type BurndownMove } from "../../src/track/burndown.js";
import { dailySeries } from "../../src/track/series.js";
import type { FactPoint } from "../../src/store/types.js";
import type { RunAt, TaskAt, Tracker } from "../../src/track/model.js";

/** [snapshot id, date, score, coverage.lines, tests.failed, tests.total]; taken at 17:00 UTC. */
const SNAPSHOTS: [number, string, number, number, number, number][] = [
  [1, "2026-11-16", 58.0, 68.0, 3, 200],
  [2, "2026-11-17", 60.5, 69.0, 2, 204],
  // 11-18: no snapshot
  [3, "2026-11-19", 63.0, 71.5, 1, 210],
  [4, "2026-11-20", 64.2, 72.0, 0, 212],
  [5, "2026-11-23", 65.0, 74.0, 0, 215],
  [6, "2026-11-24", 66.1, 75.2, 0, 218],
  [7, "2026-11-25", 67.5, 76.0, 0, 220],
  [8, "2026-11-26", 68.0, 77.4, 0, 224],
  [9, "2026-11-27", 69.3, 78.1, 0, 228],
  [10, "2026-11-30", 70.0, 79.0, 0, 230],
  [11, "2026-12-01", 67.4, 78.2, 2, 232],
  [12, "2026-12-02", 70.1, 79.5, 0, 236],
  [13, "2026-12-03", 71.2, 80.3, 0, 240],
  // 12-04: no snapshot yet
];

export const SAMPLE_FACTS: FactPoint[] = SNAPSHOTS.flatMap(([snapshotId, date, score, lines, failed, total]) => {
  const takenAt = `${date}T17:00:00Z`;
  const fact = (key: string, value: number): FactPoint => ({ snapshotId, takenAt, branch: "main", key, value, component: null });
  return [fact("score", score), fact("coverage.lines.pct", lines), fact("tests.failed", failed), fact("tests.total", total)];
});

const tasks = (entries: Record<string, number>) => Object.entries(entries).map(([id, expectedHours]) => ({ id, expectedHours }));
const FIRST = { T1: 4, T2: 8, T3: 6, T4: 8, T5: 8, T6: 9, T7: 6, T8: 8 };
export const SAMPLE_IMPORTS: BurndownImport[] = [
  { at: "2026-11-13T10:00:00Z", tasks: tasks(FIRST) },
  { at: "2026-11-23T08:00:00Z", tasks: tasks({ ...FIRST, T9: 4 }) },
  { at: "2026-11-30T08:00:00Z", tasks: tasks({ ...FIRST, T6: 12, T9: 4 }) },
];
const mv = (at: string, task: string, to: BurndownMove["to"]): BurndownMove => ({ at, task, to });
export const SAMPLE_MOVES: BurndownMove[] = [
  mv("2026-11-17T08:00:00Z", "T1", "in_progress"),
  mv("2026-11-17T11:00:00Z", "T1", "done"),
  mv("2026-11-18T09:00:00Z", "T2", "in_progress"),
  mv("2026-11-19T10:00:00Z", "T3", "in_progress"),
  mv("2026-11-19T15:00:00Z", "T2", "done"),
  mv("2026-11-20T16:00:00Z", "T3", "done"),
  mv("2026-11-25T09:00:00Z", "T4", "in_progress"),
  mv("2026-11-25T14:00:00Z", "T4", "done"),
  mv("2026-11-26T10:00:00Z", "T7", "blocked"),
  mv("2026-11-27T14:00:00Z", "T7", "pending"),
  mv("2026-12-02T10:00:00Z", "T5", "blocked"),
  mv("2026-12-03T09:00:00Z", "T9", "in_progress"),
  mv("2026-12-03T15:00:00Z", "T9", "done"),
  mv("2026-12-03T16:00:00Z", "T6", "in_progress"),
];

const task = (id: string, title: string, owner: string, state: TaskAt["state"], since: string | null, by: string | null, note: string | null, dependsOn: string[] = []): TaskAt => ({
  id,
  title,
  owner,
  state,
  since,
  by,
  note,
  removed: false,
  dependsOn,
});

const run = (id: number, taskId: string, attempt: number, startedAt: string, endedAt: string | null, outcome: RunAt["outcome"], note: string | null = null): RunAt => ({
  id,
  task: taskId,
  agent: "claude",
  attempt,
  startedAt,
  endedAt,
  outcome,
  heartbeatAt: endedAt ?? "2026-12-03T18:00:00Z",
  leaseExpiresAt: endedAt ?? "2026-12-03T18:30:00Z",
  note,
  costUsd: endedAt === null ? null : 0.5 * id,
});

const period = (start: string, tasksDone: number, hoursDone: number, byAgent: Record<string, { tasks: number; hours: number }> = {}, byKind: Tracker["flow"]["daily"][number]["byKind"] = {}) => ({
  start,
  tasks: tasksDone,
  hours: hoursDone,
  byAgent,
  byKind,
});
const claude = (n: number, h: number) => ({ byAgent: { claude: { tasks: n, hours: h } }, byKind: { cli: { tasks: n, hours: h } } });
const DAYS = ["2026-11-16", "2026-11-17", "2026-11-18", "2026-11-19", "2026-11-20", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"];
const DONE_ON: Record<string, ReturnType<typeof period>> = {
  "2026-11-17": period("2026-11-17", 1, 4, claude(1, 4).byAgent, claude(1, 4).byKind),
  "2026-11-19": period("2026-11-19", 1, 8, claude(1, 8).byAgent, claude(1, 8).byKind),
  "2026-11-20": period("2026-11-20", 1, 6, { ana: { tasks: 1, hours: 6 } }, { human: { tasks: 1, hours: 6 } }),
  "2026-11-25": period("2026-11-25", 1, 8, claude(1, 8).byAgent, claude(1, 8).byKind),
  "2026-12-03": period("2026-12-03", 1, 4, claude(1, 4).byAgent, claude(1, 4).byKind),
};

const series = dailySeries({
  facts: SAMPLE_FACTS,
  metrics: [
    { metric: "score", component: null, better: "higher", points: [{ date: "2026-11-16", value: 60 }, { date: "2026-12-11", value: 79 }] },
    { metric: "coverage.lines", component: null, better: "higher", points: [{ date: "2026-11-16", value: 70 }, { date: "2026-11-30", value: 80 }] },
    { metric: "tests.failed", component: null, better: "lower", points: [{ date: "2026-11-23", value: 0 }] },
    "tests.total",
  ],
  from: "2026-11-16",
  to: "2026-12-04",
  workingDays: true,
});

const days = burndown({ imports: SAMPLE_IMPORTS, moves: SAMPLE_MOVES, from: "2026-11-16", to: "2026-12-04", end: "2026-12-11", workingDays: true });

/** The sample's runs, in start order. */
export const SAMPLE_RUNS: RunAt[] = [
  run(1, "T1", 1, "2026-11-17T08:00:00Z", "2026-11-17T11:00:00Z", "done"),
  run(2, "T2", 1, "2026-11-18T09:00:00Z", "2026-11-18T13:00:00Z", "failed", "2 tests failed"),
  run(3, "T2", 2, "2026-11-19T09:00:00Z", "2026-11-19T15:00:00Z", "done"),
  run(4, "T4", 1, "2026-11-25T09:00:00Z", "2026-11-25T14:00:00Z", "done"),
  run(5, "T9", 1, "2026-12-03T09:00:00Z", "2026-12-03T10:00:00Z", "timeout", "timed out after 1h"),
  run(6, "T9", 2, "2026-12-03T10:30:00Z", "2026-12-03T15:00:00Z", "done"),
  run(7, "T6", 1, "2026-12-03T16:00:00Z", null, null),
];

/** A fresh copy of the sample tracker (tests may change it). */
export function sampleTracker(): Tracker {
  return structuredClone(SAMPLE);
}

const SAMPLE: Tracker = {
  asOf: "2026-12-04",
  at: "2026-12-04T12:00:00Z",
  plan: { source: "shipgate.plan.yaml", hash: "3f9a1c0d5e7b", tasks: 9 },
  window: { start: "2026-11-16", end: "2026-12-11", workingDays: true, source: "targets" },
  branch: "main",
  headline: {
    doneTasks: 5,
    scopeTasks: 9,
    doneHours: 30,
    scopeHours: 64,
    idealHours: 15,
    behindIdealHours: 19,
    score: { value: null, target: 74, status: "not-measured" },
    forecastP85: "2026-12-29",
    milestones: { met: 1, missed: 0, "at-risk": 1, "on-track": 0, unknown: 0 },
    alerts: 5,
  },
  latest: {
    snapshotId: 13,
    takenAt: "2026-12-03T17:00:00Z",
    commit: "a1b2c3d4e5f60718293a4b5c6d7e8f9012345678",
    score: 71.2,
    level: "CONDITIONAL_READY",
    // (88×25 + 80.3×20 + 70×15 + 50×10 + 34×10) / 80 (security unknown: 80 of 100 measured) = 71.2
    categories: [
      { id: "tests", name: "Tests", score: 88, weight: 25 },
      { id: "coverage", name: "Coverage", score: 80.3, weight: 20 },
      { id: "static_analysis", name: "Static analysis", score: 70, weight: 15 },
      { id: "security", name: "Security", score: null, weight: 20 },
      { id: "documentation", name: "Documentation", score: 50, weight: 10 },
      { id: "operability", name: "Operability", score: 34, weight: 10 },
    ],
    coverage: [
      { component: null, lines: 80.3, branches: 71 },
      { component: "cli", lines: 85.1, branches: null },
      { component: "core", lines: 77.9, branches: 68.4 },
    ],
    tests: { total: 240, passed: 236, failed: 0, skipped: 4 },
  },
  series,
  burndown: days,
  flow: {
    daily: DAYS.map((d) => DONE_ON[d] ?? period(d, 0, 0)),
    weekly: [
      period("2026-11-16", 3, 18, { claude: { tasks: 2, hours: 12 }, ana: { tasks: 1, hours: 6 } }, { cli: { tasks: 2, hours: 12 }, human: { tasks: 1, hours: 6 } }),
      period("2026-11-23", 1, 8, claude(1, 8).byAgent, claude(1, 8).byKind),
      period("2026-11-30", 1, 4, claude(1, 4).byAgent, claude(1, 4).byKind),
    ],
    cycles: [
      { task: "T1", agent: "claude", startedAt: "2026-11-17T08:00:00Z", doneAt: "2026-11-17T11:00:00Z", hours: 3 },
      { task: "T2", agent: "claude", startedAt: "2026-11-18T09:00:00Z", doneAt: "2026-11-19T15:00:00Z", hours: 30 },
      { task: "T3", agent: "ana", startedAt: "2026-11-19T10:00:00Z", doneAt: "2026-11-20T16:00:00Z", hours: 30 },
      { task: "T4", agent: "claude", startedAt: "2026-11-25T09:00:00Z", doneAt: "2026-11-25T14:00:00Z", hours: 5 },
      { task: "T9", agent: "claude", startedAt: "2026-12-03T09:00:00Z", doneAt: "2026-12-03T15:00:00Z", hours: 6 },
    ],
    // hours sorted 3 5 6 30 30: nearest rank P50 = 3rd = 6, P85 = 5th = 30, P95 = 5th = 30
    cycleTime: { p50: 6, p85: 30, p95: 30, count: 5 },
    wip: { total: 1, byAgent: { claude: 1 } },
    estimates: [
      { task: "T1", expectedHours: 4, actualHours: 3, ratio: 0.75 },
      { task: "T2", expectedHours: 8, actualHours: 10, ratio: 1.25 },
      { task: "T4", expectedHours: 8, actualHours: 5, ratio: 0.625 },
      { task: "T9", expectedHours: 4, actualHours: 5.5, ratio: 1.375 },
    ],
    // 23.5 / 24
    estimateRatio: 0.979,
  },
  forecast: {
    p50: "2026-12-21",
    p85: "2026-12-29",
    p95: "2027-01-04",
    reason: null,
    remainingTasks: 4,
    historyDays: 15,
    trials: 10_000,
    seed: 1,
    floorDays: 3,
    cone: [
      { date: "2026-12-07", p50: 4, p85: 4, p95: 4 },
      { date: "2026-12-11", p50: 3, p85: 4, p95: 4 },
      { date: "2026-12-18", p50: 1, p85: 2, p95: 3 },
      { date: "2026-12-21", p50: 0, p85: 1, p95: 2 },
      { date: "2026-12-29", p50: 0, p85: 0, p95: 1 },
      { date: "2027-01-04", p50: 0, p85: 0, p95: 0 },
    ],
  },
  milestones: [
    {
      id: "beta",
      date: "2026-11-27",
      status: "met",
      criteria: [
        { text: "coverage.lines >= 75", kind: "condition", status: "met", value: 78.1, evidence: "snapshot 9 (2026-11-27)", reason: null },
        { text: "tests.failed == 0", kind: "condition", status: "met", value: 0, evidence: "snapshot 9 (2026-11-27)", reason: null },
      ],
      probability: null,
      daysLeft: -5,
    },
    {
      id: "release",
      date: "2026-12-11",
      status: "at-risk",
      criteria: [
        { text: "release", kind: "gate", status: "not-met", value: null, evidence: "gate release: NO-GO on 2026-12-01 (snapshot 11): failed new:tests.regressed", reason: null },
        { text: "score >= 80", kind: "condition", status: "not-met", value: 71.2, evidence: "snapshot 13 (2026-12-03)", reason: null },
        { text: "coverage.lines >= 80", kind: "condition", status: "met", value: 80.3, evidence: "snapshot 13 (2026-12-03)", reason: null },
        { text: "docs.broken_links == 0", kind: "condition", status: "unknown", value: null, evidence: null, reason: "no snapshot on or before 2026-12-04 has docs.broken_links" },
      ],
      probability: 0.0414,
      daysLeft: 5,
    },
  ],
  blockers: {
    open: [
      { task: "T5", title: "Security review", by: "ana", reason: "waiting for the vendor's answer", since: "2026-12-02T10:00:00Z", resolvedAt: null, hours: 50, open: true },
    ],
    log: [
      { task: "T7", title: "Release notes", by: "ana", reason: "needs the user guide review", since: "2026-11-26T10:00:00Z", resolvedAt: "2026-11-27T14:00:00Z", hours: 28, open: false },
      { task: "T5", title: "Security review", by: "ana", reason: "waiting for the vendor's answer", since: "2026-12-02T10:00:00Z", resolvedAt: null, hours: 50, open: true },
    ],
    medianHoursToResolve: 28,
  },
  risks: [
    {
      id: "R1",
      description: "The vendor's API changes before the release",
      impact: "high",
      probability: "medium",
      mitigation: "pin the client version",
      owner: "ana",
      status: "open",
      exposure: 6,
      updates: [{ at: "2026-12-02T11:00:00Z", status: "open", note: "vendor late", by: "ana" }],
    },
    {
      id: "R2",
      description: "Flaky CI runners",
      impact: "medium",
      probability: "low",
      mitigation: null,
      owner: null,
      status: "mitigated",
      exposure: 2,
      updates: [{ at: "2026-11-27T09:00:00Z", status: "mitigated", note: "retries on", by: "claude" }],
    },
  ],
  alerts: [
    {
      kind: "forecast-past-milestone",
      at: "2026-12-04T12:00:00.000Z",
      subject: "release",
      message: "the forecast's P85 completion 2026-12-29 is after milestone release (2026-12-11); 4 % of forecast trials finish by then",
      key: "forecast-past-milestone:release",
      stored: false,
    },
    {
      kind: "stale-lease",
      at: "2026-12-04T12:00:00.000Z",
      subject: "T6",
      message: "run 7 of task T6 (agent claude): its lease expired at 2026-12-03T18:30:00Z, 1050 minutes ago, without a heartbeat",
      key: "stale-lease:run:7",
      stored: false,
    },
    {
      kind: "gate-no-go",
      at: "2026-12-01T17:00:00Z",
      subject: "release",
      message: "gate release said NO-GO on snapshot 11: failed new:tests.regressed",
      key: "gate-no-go:release",
      stored: true,
    },
    {
      kind: "score-decline",
      at: "2026-12-01T17:00:00Z",
      subject: "score",
      message: "score fell from 70 to 67.4 (−2.6) (snapshot 11 against snapshot 10)",
      key: "score-decline:score:snapshot:11",
      stored: true,
    },
    {
      kind: "test-regressed",
      at: "2026-12-01T17:00:00Z",
      subject: "release",
      message: "gate release on snapshot 11: new:tests.regressed failed: tests that passed in the baseline and fail now (flaky ones excluded)",
      key: "test-regressed:release",
      stored: true,
    },
  ],
  tasks: [
    task("T1", "Set up CI", "claude", "done", "2026-11-17T11:00:00Z", "claude", null),
    task("T2", "Parse JUnit", "claude", "done", "2026-11-19T15:00:00Z", "claude", null),
    task("T3", "Write the user guide", "ana", "done", "2026-11-20T16:00:00Z", "ana", null),
    task("T4", "Coverage gate", "claude", "done", "2026-11-25T14:00:00Z", "claude", null, ["T2"]),
    task("T5", "Security review", "ana", "blocked", "2026-12-02T10:00:00Z", "ana", "waiting for the vendor's answer"),
    task("T6", "Dashboard", "claude", "in_progress", "2026-12-03T16:00:00Z", "claude", null, ["T4"]),
    task("T7", "Release notes", "ana", "pending", "2026-11-27T14:00:00Z", "ana", "review done", ["T3"]),
    task("T8", "Load test", "claude", "pending", null, null, null, ["T6"]),
    task("T9", "Docs links", "claude", "done", "2026-12-03T15:00:00Z", "claude", null, ["T3"]),
  ],
  runs: SAMPLE_RUNS,
  queries: 9,
};
