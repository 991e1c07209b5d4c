import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/parse-config.js";
import { errorOf } from "./error-of.js";
import { gateSpecs } from "../../src/config/gates.js";


const GATES = `version: 1
gates:
  ship:
    baseline: branch:main
    conditions:
      - tests.failed == 0
      - metric: coverage.lines
        op: ">="
        threshold: 80
        scope: new
      - { metric: coverage.lines, op: ">=", threshold: -0.5, scope: delta, severity: warn }
    waivers:
      - condition: new:coverage.lines
        reason: generated code
        owner: "@alice"
        expires: 2026-12-31
  release:
    waivers:
      - condition: security.high
        reason: no fix upstream yet, not reachable
        owner: "@bob"
        expires: 2026-12-01
`;

describe("gates in shipgate.yaml", () => {
  it("reads conditions in both forms, fills defaults, and keeps the built-in gates", () => {
    const specs = gateSpecs(parseConfig(GATES, "shipgate.yaml").config);
    expect(specs.map((g) => g.name)).toEqual(["release", "new-code", "ship"]);
    const ship = specs.find((g) => g.name === "ship");
    expect(ship?.baseline).toEqual({ kind: "branch", branch: "main" });
    expect(ship?.conditions.map((c) => [c.id, c.scope, c.severity, c.whenMissing])).toEqual([
      ["tests.failed", "overall", "block", "fail"],
      ["new:coverage.lines", "new", "block", "fail"],
      ["delta:coverage.lines", "delta", "warn", "fail"],
    ]);
    const release = specs.find((g) => g.name === "release");
    expect(release?.conditions.length).toBe(9);
    expect(release?.waivers).toEqual([{ condition: "security.high", reason: "no fix upstream yet, not reachable", owner: "@bob", expires: "2026-12-01" }]);
  });

  it.each([
    ["an unknown metric", "version: 1\ngates:\n  g:\n    conditions:\n      - tests.failed == 0\n      - coverage.lynes >= 80\n", 'shipgate.yaml:6: gates.g.conditions[1]: unknown metric "coverage.lynes" for scope overall'],
    ["a metric of another scope", "version: 1\ngates:\n  g:\n    conditions:\n      - metric: tests.regressed\n        op: ==\n        threshold: 0\n", 'shipgate.yaml:5: gates.g.conditions[0].metric: unknown metric "tests.regressed" for scope overall'],
    ["an unknown op", "version: 1\ngates:\n  g:\n    conditions:\n      - metric: score\n        op: =>\n        threshold: 70\n", "shipgate.yaml:6: gates.g.conditions[0].op: Invalid option"],
    ["an unknown scope", "version: 1\ngates:\n  g:\n    conditions:\n      - metric: score\n        op: '>='\n        threshold: 70\n        scope: since-monday\n", "shipgate.yaml:8: gates.g.conditions[0].scope: Invalid option"],
    ["a waiver without an expiry", "version: 1\ngates:\n  g:\n    conditions: [score >= 70]\n    waivers:\n      - condition: score\n        reason: x\n        owner: me\n", "shipgate.yaml:6: gates.g.waivers[0].expires:"],
    ["a waiver with an impossible date", "version: 1\ngates:\n  g:\n    conditions: [score >= 70]\n    waivers:\n      - condition: score\n        reason: x\n        owner: me\n        expires: 2026-02-30\n", "shipgate.yaml:9: gates.g.waivers[0].expires: a real calendar date like 2026-12-31"],
    ["a waiver naming no condition", "version: 1\ngates:\n  g:\n    conditions: [score >= 70]\n    waivers:\n      - condition: coverage.lines\n        reason: x\n        owner: me\n        expires: 2026-12-01\n", 'shipgate.yaml:6: gates.g.waivers[0].condition: waiver names no condition of gate "g": "coverage.lines"; its conditions: score'],
    ["a malformed baseline", "version: 1\ngates:\n  g:\n    baseline: tag:v1\n    conditions: [score >= 70]\n", 'shipgate.yaml:4: gates.g.baseline: baseline "tag:v1": use previous'],
    ["a new gate without conditions", "version: 1\ngates:\n  nightly:\n    baseline: previous\n", 'shipgate.yaml:3: gates.nightly: gate "nightly" has no conditions'],
    ["an unknown alert metric", "version: 1\nalerts:\n  metrics:\n    - coverage.lines\n    - coverage.line\n", 'shipgate.yaml:5: alerts.metrics[1]: unknown metric "coverage.line"'],
    ["two conditions with one id", "version: 1\ngates:\n  g:\n    conditions: [score >= 70, score <= 100]\n", 'shipgate.yaml:4: gates.g.conditions[1]: two conditions have the id "score"'],
  ])("rejects %s with file:line", (_what, text, message) => {
    expect(errorOf(text)).toContain(`[config] ${message}`);
  });
});
