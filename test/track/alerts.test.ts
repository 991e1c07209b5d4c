import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runGate } from "../../src/app/run-gate.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { ShipgateError } from "../../src/errors.js";
import { computeAlerts } from "../../src/gate/alerts.js";
import { openStore } from "../../src/store/open-store.js";
import type { StoreEvent } from "../../src/store/types.js";
import { alertEventData, alerts, isTestRegression, TRACK_ALERT_EVENT, type AlertsInput } from "../../src/track/alerts.js";
import type { TrackAlert } from "../../src/track/model.js";

// The tracker runs on Thursday 2026-12-10 at 18:00 UTC over the window from Monday 2026-12-07.
const AT = "2026-12-10T18:00:00.000Z";
const FROM = "2026-12-07T00:00:00.000Z";

const ev = (id: number, at: string, type: string, subject: string | null, data: unknown): StoreEvent => ({ id, at, type, subject, data });
const stored = (id: number, at: string, alert: Omit<TrackAlert, "at" | "stored">) => ev(id, at, TRACK_ALERT_EVENT, null, { ...alert, at });

const events: StoreEvent[] = [
  // before the window: not listed
  ev(1, "2026-12-06T10:00:00Z", "alert", "snapshot:3", { type: "score-decline", metric: "score", before: 90, after: 85, changePct: -5.6, message: "score fell from 90 to 85", previousSnapshotId: 2 }),
  // assess stored two alerts with snapshot 5
  ev(2, "2026-12-08T09:00:00Z", "alert", "snapshot:5", { type: "score-decline", metric: "score", before: 80, after: 72, changePct: -10, message: "score fell from 80 to 72", previousSnapshotId: 4 }),
  ev(3, "2026-12-08T09:00:00Z", "alert", "snapshot:5", { type: "metric-worse", metric: "coverage.lines", before: 80, after: 70, changePct: -12.5, message: "coverage.lines went from 80 to 70 (12.5 % worse, over the 10 % limit)", previousSnapshotId: 4 }),
  // a NO-GO naming a regressed test, then a GO (no alert)
  ev(4, "2026-12-09T12:00:00Z", "gate.evaluated", "snapshot:6", { gate: "release", verdict: "NO-GO", baseline: 5, failed: ["tests.failed", "new:tests.regressed"] }),
  ev(5, "2026-12-09T13:00:00Z", "gate.evaluated", "snapshot:7", { gate: "release", verdict: "GO", baseline: 6, failed: [] }),
  // a NO-GO recorded without a snapshot subject nor failed conditions
  ev(11, "2026-12-09T15:00:00Z", "gate.evaluated", null, { gate: "new-code", verdict: "NO-GO", baseline: null, failed: [] }),
  // what the tracker stored this morning and yesterday
  stored(6, "2026-12-10T08:00:00Z", { kind: "stale-lease", subject: "T2", message: "run 7 of task T2 (agent claude): its lease expired at 2026-12-10T07:30:00Z, 30 minutes ago, without a heartbeat", key: "stale-lease:run:7" }),
  stored(9, "2026-12-10T09:00:00Z", { kind: "stale-lease", subject: "T2", message: "the same alert stored twice the same day", key: "stale-lease:run:7" }),
  stored(7, "2026-12-09T08:00:00Z", { kind: "task-past-p95", subject: "T1", message: "task T1 has been in progress by claude for 14 hours", key: "task-past-p95:T1" }),
  // after the moment: ignored, and it does not hide today's computed alert of the same key
  stored(8, "2026-12-10T19:00:00Z", { kind: "wip-over-limit", subject: "*", message: "later", key: "wip-over-limit:*" }),
  // not an alert the tracker knows
  stored(10, "2026-12-10T10:00:00Z", { kind: "cosmic-ray" as TrackAlert["kind"], subject: "x", message: "?", key: "cosmic-ray:x" }),
  ev(12, "2026-12-10T10:00:00Z", "task.started", "task:T2", { task: "T2" }),
];

const input: AlertsInput = {
  at: AT,
  from: FROM,
  events,
  milestones: [
    { id: "alpha", date: "2026-12-04", status: "missed", probability: null }, // past: the forecast adds nothing
    { id: "beta", date: "2026-12-11", status: "at-risk", probability: 0.42 }, // P85 12-15 is after Friday 12-11
    { id: "rc", date: "2026-12-11", status: "met", probability: 0.42 }, // met: no alert
    { id: "ga", date: "2026-12-18", status: "on-track", probability: 0.9 }, // P85 before the date
  ],
  forecastP85: "2026-12-15",
  tasks: [
    { id: "T1", state: "in_progress", since: "2026-12-08T18:00:00Z", by: "claude" }, // 48 h > P95 40 h
    { id: "T2", state: "in_progress", since: "2026-12-10T10:00:00Z", by: "claude" }, // 8 h
    { id: "T3", state: "done", since: "2026-12-01T10:00:00Z", by: "codex" },
    { id: "T4", state: "in_progress", since: null, by: null },
  ],
  cycleP95Hours: 40,
  runs: [
    { id: 7, task: "T2", agent: "claude", endedAt: null, leaseExpiresAt: "2026-12-10T07:30:00Z" }, // stale, already stored today
    { id: 8, task: "T1", agent: "codex", endedAt: null, leaseExpiresAt: "2026-12-10T17:45:00Z" }, // stale for 15 minutes
    { id: 9, task: "T3", agent: "codex", endedAt: "2026-12-10T12:00:00Z", leaseExpiresAt: "2026-12-10T11:00:00Z" }, // ended
    { id: 10, task: "T4", agent: "alice", endedAt: null, leaseExpiresAt: AT }, // expires at the moment: not yet stale
  ],
  wip: { total: 3, byAgent: { claude: 2, codex: 1 } },
  agents: [{ id: "claude", maxParallel: 1 }, { id: "codex", maxParallel: 2 }, { id: "alice" }],
  maxParallel: 2,
};

describe("alerts", () => {
  it("lists stored and computed alerts of the window, newest first, one per key and day", () => {
    const list = alerts(input);
    expect(list.map((a) => [a.at, a.kind, a.subject, a.key, a.stored])).toEqual([
      // computed now (stale-lease:run:7 was stored this morning: not again)
      [AT, "forecast-past-milestone", "beta", "forecast-past-milestone:beta", false],
      [AT, "stale-lease", "T1", "stale-lease:run:8", false],
      [AT, "task-past-p95", "T1", "task-past-p95:T1", false], // stored yesterday: raised again today
      [AT, "wip-over-limit", "*", "wip-over-limit:*", false],
      [AT, "wip-over-limit", "claude", "wip-over-limit:claude", false],
      // stored
      ["2026-12-10T08:00:00Z", "stale-lease", "T2", "stale-lease:run:7", true],
      ["2026-12-09T15:00:00Z", "gate-no-go", "new-code", "gate-no-go:new-code", true],
      ["2026-12-09T12:00:00Z", "gate-no-go", "release", "gate-no-go:release", true],
      ["2026-12-09T12:00:00Z", "test-regressed", "release", "test-regressed:release", true],
      ["2026-12-09T08:00:00Z", "task-past-p95", "T1", "task-past-p95:T1", true],
      ["2026-12-08T09:00:00Z", "metric-worse", "coverage.lines", "metric-worse:coverage.lines:snapshot:5", true],
      ["2026-12-08T09:00:00Z", "score-decline", "score", "score-decline:score:snapshot:5", true],
    ]);
  });

  it("words every alert with its numbers", () => {
    const byKey = Object.fromEntries(alerts(input).map((a) => [`${a.key}${a.stored ? " (stored)" : ""}`, a.message]));
    expect(byKey).toEqual({
      "forecast-past-milestone:beta": "the forecast's P85 completion 2026-12-15 is after milestone beta (2026-12-11); 42 % of forecast trials finish by then",
      "stale-lease:run:8": "run 8 of task T1 (agent codex): its lease expired at 2026-12-10T17:45:00Z, 15 minutes ago, without a heartbeat",
      "task-past-p95:T1": "task T1 has been in progress by claude for 48 hours (since 2026-12-08T18:00:00Z), longer than the P95 cycle time of 40 hours",
      "wip-over-limit:*": "3 tasks are in progress, over the plan's execution max_parallel of 2",
      "wip-over-limit:claude": "agent claude has 2 tasks in progress, over its max_parallel of 1",
      "task-past-p95:T1 (stored)": "task T1 has been in progress by claude for 14 hours",
      "stale-lease:run:7 (stored)": "run 7 of task T2 (agent claude): its lease expired at 2026-12-10T07:30:00Z, 30 minutes ago, without a heartbeat",
      "gate-no-go:new-code (stored)": "gate new-code said NO-GO (no failed condition recorded)",
      "gate-no-go:release (stored)": "gate release said NO-GO on snapshot 6: failed tests.failed, new:tests.regressed",
      "test-regressed:release (stored)": "gate release on snapshot 6: new:tests.regressed failed: tests that passed in the baseline and fail now (flaky ones excluded)",
      "metric-worse:coverage.lines:snapshot:5 (stored)": "coverage.lines went from 80 to 70 (12.5 % worse, over the 10 % limit) (snapshot 5 against snapshot 4)",
      "score-decline:score:snapshot:5 (stored)": "score fell from 80 to 72 (snapshot 5 against snapshot 4)",
    });
  });

  it("ignores alerts after the moment: an as-of day in the past sees only what was known then", () => {
    const list = alerts({ ...input, at: "2026-12-09T12:30:00Z", runs: [], tasks: [], milestones: [], agents: [], maxParallel: null });
    expect(list.map((a) => a.key)).toEqual([
      "gate-no-go:release",
      "test-regressed:release",
      "task-past-p95:T1",
      "metric-worse:coverage.lines:snapshot:5",
      "score-decline:score:snapshot:5",
    ]);
  });

  it("stores a computed alert so that the next tracker of the same day lists it once, as stored; the next day raises it again", () => {
    const first = alerts({ ...input, events: [] }).find((a) => a.key === "wip-over-limit:claude") as TrackAlert;
    const event = ev(100, first.at, TRACK_ALERT_EVENT, null, alertEventData(first));
    expect(event.data).toEqual({ kind: "wip-over-limit", at: AT, subject: "claude", message: "agent claude has 2 tasks in progress, over its max_parallel of 1", key: "wip-over-limit:claude" });

    const later = alerts({ ...input, events: [event], at: "2026-12-10T20:00:00Z" }).filter((a) => a.key === "wip-over-limit:claude");
    expect(later).toEqual([{ ...first, stored: true }]);

    const nextDay = alerts({ ...input, events: [event], at: "2026-12-11T09:00:00Z" }).filter((a) => a.key === "wip-over-limit:claude");
    expect(nextDay.map((a) => [a.at, a.stored])).toEqual([
      ["2026-12-11T09:00:00.000Z", false],
      [AT, true],
    ]);
  });

  it("raises nothing computed without a forecast, a cycle time or limits", () => {
    const list = alerts({ ...input, events: [], forecastP85: null, cycleP95Hours: null, runs: [], maxParallel: null, wip: { total: 1, byAgent: { claude: 1 } } });
    expect(list).toEqual([]);
  });

  it.each([
    ["new:tests.regressed", true],
    ["tests.regressed", true],
    ["no-regressions", true],
    ["new:tests.failed", true],
    ["tests.failed", false],
    ["coverage.lines", false],
  ])("condition %s names tests that fail now and did not before: %s", (id, expected) => {
    expect(isTestRegression(id)).toBe(expected);
  });

  it("rejects a window that ends before it starts, or a moment that is not ISO 8601, with USAGE", () => {
    expect(() => alerts({ ...input, from: "2026-12-11T00:00:00Z" })).toThrow(ShipgateError);
    expect(() => alerts({ ...input, from: "2026-12-11T00:00:00Z" })).toThrow(/window starts \(2026-12-11T00:00:00Z\) after its end/);
    expect(() => alerts({ ...input, at: "yesterday" })).toThrow(/alert moment must be an ISO 8601 date-time \(got "yesterday"\)/);
  });
});

describe("alerts on a real store", () => {
  it("lists what assess and runGate stored in a SQLite store: score decline, NO-GO and the regressed test", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-alerts-"));
    const store = await openStore(join(dir, "shipgate.db"));
    const config = parseConfig('version: 1\ngates:\n  release:\n    conditions: ["tests.failed == 0", { metric: tests.regressed, op: "==", threshold: 0, scope: new, when_missing: pass }]\n', "shipgate.yaml");
    try {
      // Monday the test passes (score 90); Tuesday it fails (score 80): assess's alert events, then the gate.
      let previous: { id: number; score: number } | null = null;
      for (const [day, status, score] of [["2026-11-23", "passed", 90], ["2026-11-24", "failed", 80]] as const) {
        const failed = status === "failed" ? 1 : 0;
        const found = previous ? computeAlerts({ score: previous.score }, { score }, { scoreDecline: true, worseByPct: 10, metrics: [] }) : [];
        const { id } = await store.saveSnapshot({
          takenAt: `${day}T10:00:00.000Z`,
          git: { commit: `c-${day}`, branch: "main", dirty: false, tree: null },
          configHash: null,
          summary: { schemaVersion: 1, tests: { status: "ok", total: 1, passed: 1 - failed, failed, errored: 0, skipped: 0, flaky: 0 }, coverage: { status: "unknown" } },
          sources: [{ path: "junit.xml", sha256: "a".repeat(64), bytes: 1, format: "junit", tool: null, collector: null }],
          facts: [{ key: "score", value: score, component: null, sourceIndex: null }],
          tests: [{ testId: "t.test.ts › t", file: "t.test.ts", suite: "", name: "t", status, durationMs: null, message: null, flaky: false, sourceIndex: 0 }],
          coverageFiles: [],
          // as app/assess.ts stores them
          events: found.map((alert) => ({ type: "alert", data: { ...alert, previousSnapshotId: previous?.id ?? null } })),
        });
        await runGate({ root: dir, store, config, gate: "release", snapshotId: id, today: day, at: `${day}T11:00:00.000Z` });
        previous = { id, score };
      }
      const list = alerts({ ...input, events: await store.listEvents({}), at: "2026-11-24T18:00:00.000Z", from: "2026-11-23T00:00:00.000Z", milestones: [], tasks: [], runs: [], agents: [], maxParallel: null });
      expect(list.map((a) => [a.at, a.kind, a.message])).toEqual([
        ["2026-11-24T11:00:00.000Z", "gate-no-go", "gate release said NO-GO on snapshot 2: failed tests.failed, new:tests.regressed"],
        ["2026-11-24T11:00:00.000Z", "test-regressed", "gate release on snapshot 2: new:tests.regressed failed: tests that passed in the baseline and fail now (flaky ones excluded)"],
        ["2026-11-24T10:00:00.000Z", "score-decline", "score fell from 90 to 80 (snapshot 2 against snapshot 1)"],
      ]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("alerts: a gate run on every commit", () => {
  it("regression: every NO-GO of a gate was its own alert (684 on a 60-day bench store); now one per gate and day, the day's first", () => {
    const runs = [9, 11, 13, 15].map((hour, i) =>
      ev(100 + i, `2026-12-09T${String(hour).padStart(2, "0")}:00:00Z`, "gate.evaluated", `snapshot:${20 + i}`, { gate: "release", verdict: "NO-GO", baseline: null, failed: ["tests.failed"] }),
    );
    const nextDay = ev(200, "2026-12-10T09:00:00Z", "gate.evaluated", "snapshot:30", { gate: "release", verdict: "NO-GO", baseline: null, failed: ["tests.failed"] });
    const listed = alerts({ ...input, events: [...runs, nextDay], tasks: [], runs: [], milestones: [], wip: { total: 0, byAgent: {} } }).filter((a) => a.kind === "gate-no-go");
    expect(listed.map((a) => [a.at, a.message])).toEqual([
      ["2026-12-10T09:00:00Z", "gate release said NO-GO on snapshot 30: failed tests.failed"],
      ["2026-12-09T09:00:00Z", "gate release said NO-GO on snapshot 20: failed tests.failed"],
    ]);
  });
});
