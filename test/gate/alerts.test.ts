import { describe, expect, it } from "vitest";
import { computeAlerts, DEFAULT_ALERT_METRICS } from "../../src/gate/alerts.js";
import { formatBaselineSpec, parseBaselineSpec } from "../../src/gate/baseline-spec.js";

const settings = { scoreDecline: true, worseByPct: 10, metrics: DEFAULT_ALERT_METRICS };

describe("computeAlerts", () => {
  it("alerts on any score decline", () => {
    expect(computeAlerts({ score: 81 }, { score: 80.9 }, settings)).toEqual([
      { type: "score-decline", metric: "score", before: 81, after: 80.9, changePct: -0.1, message: "score fell from 81 to 80.9" },
    ]);
    expect(computeAlerts({ score: 81 }, { score: 80 }, { ...settings, scoreDecline: false })).toEqual([]);
  });

  it.each([
    ["coverage.lines", 80, 71, true, "11.3 % worse"],
    ["coverage.lines", 80, 72, false, ""],
    ["coverage.lines", 72, 80, false, ""],
    ["lint.errors", 10, 12, true, "20 % worse"],
    ["lint.errors", 10, 11, false, ""],
    ["tests.failed", 0, 1, true, "went from 0 to 1"],
    ["tests.failed", 1, 0, false, ""],
  ])("%s %d → %d alerts: %s", (metric, before, after, alerts, text) => {
    const out = computeAlerts({ [metric]: before }, { [metric]: after }, settings);
    expect(out.length > 0).toBe(alerts);
    if (alerts) expect(out[0]?.message).toContain(text);
  });

  it("raises nothing when either side is unknown", () => {
    expect(computeAlerts({ "coverage.lines": null, "lint.errors": 3 }, { "coverage.lines": 10, "lint.errors": null }, settings)).toEqual([]);
  });

  it("honours a custom limit and metric list", () => {
    expect(computeAlerts({ "lint.warnings": 100 }, { "lint.warnings": 103 }, { scoreDecline: true, worseByPct: 2, metrics: ["lint.warnings"] })).toHaveLength(1);
    expect(computeAlerts({ "lint.warnings": 100 }, { "lint.warnings": 150 }, settings)).toEqual([]);
  });
});

describe("baseline specs", () => {
  it.each([
    ["previous", { kind: "previous" }],
    ["release-1.0", { kind: "named", name: "release-1.0" }],
    ["branch:main", { kind: "branch", branch: "main" }],
    ["ref:origin/main", { kind: "ref", ref: "origin/main" }],
    ["snapshot:12", { kind: "snapshot", id: 12 }],
  ])("%s", (text, spec) => {
    expect(parseBaselineSpec(text)).toEqual(spec);
    expect(formatBaselineSpec(spec as never)).toBe(text);
  });

  it.each([
    ["snapshot:abc", "a snapshot id is a number"],
    ["tag:v1", "use previous, a baseline name"],
    ["branch:", "names no branch"],
    ["has space", "is not a baseline name"],
  ])("rejects %s", (text, message) => {
    expect(parseBaselineSpec(text)).toEqual({ error: expect.stringContaining(message) as string });
  });
});
