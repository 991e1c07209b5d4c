import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runGate } from "../../src/app/run-gate.js";
import { parseConfig } from "../../src/config/parse-config.js";
import { ShipgateError } from "../../src/errors.js";
import type { PlanMilestone } from "../../src/plan/types.js";
import { openStore } from "../../src/store/open-store.js";
import type { FactPoint, StoreEvent } from "../../src/store/types.js";
import { milestones, parseCriterion, type MilestonesInput } from "../../src/track/milestones.js";

// Calendar (checked with `date -ud 2026-12-09 +%a`): 12-09 Wednesday, 12-10 Thursday, 12-11 Friday, 12-12 Saturday,
// 12-14 Monday, 12-18 Friday.

const fact = (snapshotId: number, takenAt: string, key: string, value: number | null, component: string | null = null): FactPoint => ({
  snapshotId,
  takenAt,
  branch: "main",
  key,
  value,
  component,
});

/** The history every case reads: four snapshots and three `shipgate gate --gate release` runs. */
const facts: FactPoint[] = [
  // snapshot 10, Wednesday: coverage 78, 2 failing tests
  fact(10, "2026-12-09T10:00:00Z", "coverage.lines.pct", 78),
  fact(10, "2026-12-09T10:00:00Z", "tests.failed", 2),
  fact(10, "2026-12-09T10:00:00Z", "lint.errors", 4),
  // snapshot 11, Thursday: coverage 81, no failing test, lint not measured (stored as unknown)
  fact(11, "2026-12-10T17:00:00Z", "coverage.lines.pct", 81),
  fact(11, "2026-12-10T17:00:00Z", "tests.failed", 0),
  fact(11, "2026-12-10T17:00:00Z", "lint.errors", null),
  // snapshot 12, Saturday after the Friday milestone: coverage back to 79; a component's 99 never counts
  fact(12, "2026-12-11T23:30:00-02:00", "coverage.lines.pct", 79), // 2026-12-12T01:30Z: Saturday in UTC
  fact(12, "2026-12-11T23:30:00-02:00", "coverage.lines.pct", 99, "api"),
  // snapshot 13, Monday: coverage 85
  fact(13, "2026-12-14T09:00:00Z", "coverage.lines.pct", 85),
];

const gateEvent = (id: number, at: string, snapshot: number, verdict: "GO" | "NO-GO", failed: string[] = [], gate = "release"): StoreEvent => ({
  id,
  at,
  type: "gate.evaluated",
  subject: `snapshot:${snapshot}`,
  data: { gate, verdict, baseline: snapshot - 1, failed },
});
const gateEvents: StoreEvent[] = [
  gateEvent(3, "2026-12-10T18:00:00Z", 11, "NO-GO", ["coverage.lines", "new:tests.regressed"]),
  gateEvent(1, "2026-12-09T12:00:00Z", 10, "GO"), // out of order on purpose: ordered by time here
  gateEvent(7, "2026-12-14T10:00:00Z", 13, "GO"),
  { id: 2, at: "2026-12-09T13:00:00Z", type: "snapshot.created", subject: "snapshot:10", data: null },
];

const m = (id: string, date: string, ...criteria: string[]): PlanMilestone => ({ id, date, criteria });

function run(asOf: string, list: PlanMilestone[], forecast: { p85?: string | null; probability?: Record<string, number> } = {}) {
  const calls: string[] = [];
  const input: MilestonesInput = {
    milestones: list,
    asOf,
    facts,
    gateEvents,
    probabilityBy: (date) => {
      calls.push(date);
      return forecast.probability?.[date] ?? null;
    },
    forecastP85: forecast.p85 ?? null,
  };
  return { views: milestones(input), calls };
}

describe("parseCriterion", () => {
  it.each([
    ["coverage.lines >= 80", { kind: "condition", metric: "coverage.lines", op: ">=", threshold: 80 }],
    ["coverage.lines>=80", { kind: "condition", metric: "coverage.lines", op: ">=", threshold: 80 }],
    ["  tests.failed == 0 ", { kind: "condition", metric: "tests.failed", op: "==", threshold: 0 }],
    ["score > 70.5", { kind: "condition", metric: "score", op: ">", threshold: 70.5 }],
    ["lint.warnings < 10", { kind: "condition", metric: "lint.warnings", op: "<", threshold: 10 }],
    ["security.high <= 0", { kind: "condition", metric: "security.high", op: "<=", threshold: 0 }],
    ["type_errors != -1", { kind: "condition", metric: "type_errors", op: "!=", threshold: -1 }],
    ["release", { kind: "gate", gate: "release" }],
    ["new-code", { kind: "gate", gate: "new-code" }],
    ["gate:release", { kind: "gate", gate: "release" }], // as docs/plan.md and examples/demo write it
    ["gate: new-code", { kind: "gate", gate: "new-code" }],
  ] as const)("%j reads as %j", (text, expected) => {
    expect(parseCriterion(text)).toEqual(expected);
  });

  it.each([
    ["coverage.lines => 80", "no comparison shipgate knows"],
    ["coverage.lines = 80", "no comparison shipgate knows"],
    ["coverage.lines >= lots", 'must end with a number after >=, like 80, -1 or 0.5 (got "lots")'],
    ["coverage.lines >=", 'must end with a number after >=, like 80, -1 or 0.5 (got "")'],
    ["score >= 1e3", 'must end with a number after >=, like 80, -1 or 0.5 (got "1e3")'],
    ["Score >= 80", "must start with one metric name: lowercase letters"],
    [">= 80", "must start with one metric name"],
    ["line coverage >= 80", "must start with one metric name"],
    ["release gate", "is neither a condition"],
    ["gate:", 'must name a gate after "gate:"'],
    ["gate:rel ease", 'must name a gate after "gate:"'],
    ["", "is neither a condition"],
  ])("%j is invalid: %s", (text, reason) => {
    const parsed = parseCriterion(text);
    expect(parsed.kind).toBe("invalid");
    expect(parsed.kind === "invalid" && parsed.reason).toContain(reason);
  });

  it("reads a long criterion in linear time (no backtracking on a run of operator characters)", () => {
    const parsed = parseCriterion(`coverage.lines ${"=".repeat(200_000)} 1`);
    expect(parsed.kind).toBe("invalid");
  });
});

describe("milestones: criteria", () => {
  /** [as-of, criterion, milestone date, status, value, evidence, reason] */
  it.each([
    // met on Thursday's snapshot (81), the day before the Friday milestone; Saturday's 79 comes after the date
    ["2026-12-14", "coverage.lines >= 80", "2026-12-11", "met", 81, "snapshot 11 (2026-12-10)", null],
    // the same milestone seen on Wednesday: judged on the as-of day, Wednesday's 78
    ["2026-12-09", "coverage.lines >= 80", "2026-12-11", "not-met", 78, "snapshot 10 (2026-12-09)", null],
    // a milestone on Saturday: snapshot 12 (23:30 at -02:00 is Saturday 01:30 UTC) counts, the component's 99 does not
    ["2026-12-14", "coverage.lines >= 80", "2026-12-12", "not-met", 79, "snapshot 12 (2026-12-12)", null],
    // the stored fact key may be named directly
    ["2026-12-14", "coverage.lines.pct > 84", "2026-12-18", "met", 85, "snapshot 13 (2026-12-14)", null],
    ["2026-12-14", "tests.failed == 0", "2026-12-11", "met", 0, "snapshot 11 (2026-12-10)", null],
    // the last snapshot with lint.errors stored it as unknown: unknown, even though Wednesday measured 4
    ["2026-12-14", "lint.errors == 0", "2026-12-11", "unknown", null, "snapshot 11 (2026-12-10)", "snapshot 11 (2026-12-10) stored lint.errors as unknown (not measured)"],
    ["2026-12-14", "docs.broken_links == 0", "2026-12-11", "unknown", null, null, "no snapshot on or before 2026-12-11 has docs.broken_links"],
    // before the first snapshot
    ["2026-12-08", "coverage.lines >= 80", "2026-12-11", "unknown", null, null, "no snapshot on or before 2026-12-08 has coverage.lines"],
    // gate: GO on Wednesday, then NO-GO on Thursday before the Friday date → not met (Monday's GO comes after)
    ["2026-12-14", "release", "2026-12-11", "not-met", null, "gate release: NO-GO on 2026-12-10 (snapshot 11): failed coverage.lines, new:tests.regressed", null],
    ["2026-12-09", "release", "2026-12-11", "met", null, "gate release: GO on 2026-12-09 (snapshot 10)", null],
    ["2026-12-14", "release", "2026-12-18", "met", null, "gate release: GO on 2026-12-14 (snapshot 13)", null],
    ["2026-12-14", "new-code", "2026-12-11", "unknown", null, null, "no `shipgate gate --gate new-code` recorded on or before 2026-12-11"],
    ["2026-12-14", "gate:release", "2026-12-18", "met", null, "gate release: GO on 2026-12-14 (snapshot 13)", null],
    ["2026-12-14", "coverage.lines => 80", "2026-12-11", "unknown", null, null, '"coverage.lines => 80" has no comparison shipgate knows: write one of < <= > >= == !='],
  ] as const)("as of %s, %j due %s is %s (value %s, %s, %s)", (asOf, text, date, status, value, evidence, reason) => {
    const [view] = run(asOf, [m("x", date, text)]).views;
    expect(view?.criteria).toEqual([{ text, kind: text.includes(" ") ? "condition" : "gate", status, value, evidence, reason }]);
  });

  it("takes the later snapshot of two taken at the same moment (by snapshot id)", () => {
    const same = [fact(21, "2026-12-10T08:00:00Z", "score", 90), fact(20, "2026-12-10T08:00:00Z", "score", 50)];
    const [view] = milestones({ milestones: [m("x", "2026-12-10", "score >= 80")], asOf: "2026-12-10", facts: same, gateEvents: [], probabilityBy: () => null, forecastP85: null });
    expect(view?.criteria[0]).toMatchObject({ status: "met", value: 90, evidence: "snapshot 21 (2026-12-10)" });
  });

  it("does not count a snapshot taken at midnight after the date", () => {
    const midnight = [fact(30, "2026-12-09T23:59:59.999Z", "score", 60), fact(31, "2026-12-10T00:00:00Z", "score", 90)];
    const [view] = milestones({ milestones: [m("x", "2026-12-09", "score >= 80")], asOf: "2026-12-14", facts: midnight, gateEvents: [], probabilityBy: () => null, forecastP85: null });
    expect(view?.criteria[0]).toMatchObject({ status: "not-met", value: 60 });
    expect(view?.status).toBe("missed");
  });
});

describe("milestones: status", () => {
  // Friday 12-11 milestone; forecast P85 and probability chosen per row. [as-of, criteria, p85, probability, status]
  it.each([
    ["all met at the date, seen after it", "2026-12-14", ["coverage.lines >= 80", "tests.failed == 0"], null, undefined, "met"],
    ["all met already, before the date", "2026-12-10", ["coverage.lines >= 80"], null, undefined, "met"],
    ["a gate GO then NO-GO before the date, past", "2026-12-14", ["release"], null, undefined, "missed"],
    ["not met and past, even with an unknown beside it", "2026-12-14", ["release", "new-code"], null, undefined, "missed"],
    ["past with only unknowns", "2026-12-14", ["new-code", "lint.errors == 0"], null, undefined, "unknown"],
    ["not due, only unknowns", "2026-12-09", ["new-code", "docs.broken_links == 0"], "2026-12-10", 0.99, "unknown"],
    ["not met yet, probability 0.90, P85 before the date", "2026-12-09", ["coverage.lines >= 80"], "2026-12-10", 0.9, "on-track"],
    ["not met yet, probability exactly 0.85", "2026-12-09", ["coverage.lines >= 80"], "2026-12-11", 0.85, "on-track"],
    ["not met yet, probability 0.60", "2026-12-09", ["coverage.lines >= 80"], "2026-12-10", 0.6, "at-risk"],
    ["not met yet, P85 after the date", "2026-12-09", ["coverage.lines >= 80"], "2026-12-14", 0.9, "at-risk"],
    ["not met yet, no forecast", "2026-12-09", ["coverage.lines >= 80"], null, undefined, "at-risk"],
    ["not met yet, an unknown beside it, probability 0.90", "2026-12-09", ["coverage.lines >= 80", "new-code"], "2026-12-10", 0.9, "on-track"],
    ["due today (not past) and not met", "2026-12-11", ["lint.errors < 3", "release"], "2026-12-10", 0.95, "on-track"],
    ["no criteria, not due, probability 0.90", "2026-12-09", [], "2026-12-10", 0.9, "on-track"],
    ["no criteria, past", "2026-12-14", [], null, undefined, "unknown"],
  ] as const)("%s → %s", (_what, asOf, criteria, p85, probability, status) => {
    const { views } = run(asOf, [m("beta", "2026-12-11", ...criteria)], { p85, probability: probability === undefined ? {} : { "2026-12-11": probability } });
    expect(views[0]?.status).toBe(status);
  });

  it("gives probability and working days left; asks the forecast only for milestones not yet due", () => {
    const list = [m("alpha", "2026-12-09", "tests.failed == 0"), m("beta", "2026-12-11", "coverage.lines >= 80"), m("ga", "2026-12-18", "release", "coverage.lines >= 80")];
    const { views, calls } = run("2026-12-14", list, { p85: "2026-12-17", probability: { "2026-12-18": 0.91 } });
    expect(views.map((v) => [v.id, v.status, v.probability, v.daysLeft])).toEqual([
      ["alpha", "missed", null, -3], // Wed → Mon: Thu, Fri, Mon
      ["beta", "met", null, -1],
      ["ga", "met", 0.91, 4], // Mon → Fri
    ]);
    expect(calls).toEqual(["2026-12-18"]);
  });

  it("rejects a date that is not YYYY-MM-DD with USAGE naming the milestone", () => {
    const bad = () => run("2026-12-14", [m("beta", "2026-12-32", "release")]);
    expect(bad).toThrow(ShipgateError);
    expect(bad).toThrow(/date of milestone beta must be a date YYYY-MM-DD \(got "2026-12-32"\)/);
    expect(() => run("14.12.2026", [])).toThrow(/as-of day must be a date/);
  });
});

describe("milestones on a real store", () => {
  it("reads the facts and the gate.evaluated events that a SQLite store holds after runGate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-milestones-"));
    // The release gate replaced by one condition and the regressed tests, so the stored summary need hold only tests.
    const config = parseConfig("version: 1\ngates:\n  release:\n    conditions: [\"tests.failed == 0\", { metric: tests.regressed, op: \"==\", threshold: 0, scope: new, when_missing: pass }]\n", "shipgate.yaml");
    const store = await openStore(join(dir, "shipgate.db"));
    try {
      // Monday: one failing test (gate NO-GO); Wednesday: it passes (gate GO).
      for (const [day, status] of [["2026-11-23", "failed"], ["2026-11-25", "passed"]] as const) {
        const failed = status === "failed" ? 1 : 0;
        const { id } = await store.saveSnapshot({
          takenAt: `${day}T10:00:00.000Z`,
          git: { commit: `c-${day}`, branch: "main", dirty: false, tree: null },
          configHash: null,
          summary: { schemaVersion: 1, tests: { status: "ok", total: 1, passed: 1 - failed, failed, errored: 0, skipped: 0, flaky: 0 }, coverage: { status: "unknown" } },
          sources: [{ path: "junit.xml", sha256: "a".repeat(64), bytes: 1, format: "junit", tool: null, collector: null }],
          facts: [{ key: "tests.failed", value: failed, component: null, sourceIndex: 0 }],
          tests: [{ testId: "t.test.ts › t", file: "t.test.ts", suite: "", name: "t", status, durationMs: null, message: null, flaky: false, sourceIndex: 0 }],
          coverageFiles: [],
        });
        await runGate({ root: dir, store, config, gate: "release", snapshotId: id, today: day, at: `${day}T11:00:00.000Z` });
      }
      const list = [m("M1", "2026-11-24", "tests.failed == 0", "gate:release"), m("M2", "2026-11-27", "tests.failed == 0", "release")];
      const views = milestones({ milestones: list, asOf: "2026-11-26", facts: await store.listFactSeries({}), gateEvents: await store.listEvents({ type: "gate.evaluated" }), probabilityBy: () => 0.5, forecastP85: null });
      expect(views.map((v) => [v.id, v.status, v.criteria.map((c) => `${c.status}: ${c.evidence}`)])).toEqual([
        ["M1", "missed", ["not-met: snapshot 1 (2026-11-23)", "not-met: gate release: NO-GO on 2026-11-23 (snapshot 1): failed tests.failed"]],
        ["M2", "met", ["met: snapshot 2 (2026-11-25)", "met: gate release: GO on 2026-11-25 (snapshot 2)"]],
      ]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
