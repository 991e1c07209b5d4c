import { describe, expect, it } from "vitest";
import { computeScore, DEFAULT_SCORE_SETTINGS, evaluateCondition, type ScoreFacts } from "../../src/score/score.js";

const base = (): ScoreFacts => ({
  tests: { total: 100, passed: 95, failed: 5, errored: 0, skipped: 0 },
  coverage: { lines: 80, branches: 70, trusted: true, reason: null },
  lint: { errors: 0, warnings: 4 },
  typeErrors: 0,
  security: { critical: 0, high: 0, moderate: 1, low: 2 },
  sast: null,
  docs: { readme: true, license: true, contributing: true, docsIndex: true, brokenLinks: 0 },
  operability: { ci: true, lockfile: true, securityPolicy: true, metrics: true, tracing: true, structuredLogging: true, healthEndpoint: true },
});

describe("computeScore", () => {
  it("scores each category by its documented rule and weights the total", () => {
    const result = computeScore(base());
    expect(Object.fromEntries(result.categories.map((c) => [c.id, c.score]))).toEqual({
      tests: 95,
      coverage: 100,
      static_analysis: 98,
      security: 93,
      documentation: 100,
      operability: 100,
    });
    // (25×95 + 20×100 + 15×98 + 20×93 + 10×100 + 10×100) / 100
    expect(result.score).toBe(97.1);
    expect(result.measuredWeight).toBe(1);
  });

  it("shows an unmeasured category as unknown and says how much weight was measured — never 0 or 100", () => {
    const facts = { ...base(), security: null, coverage: null };
    const result = computeScore(facts);
    const security = result.categories.find((c) => c.id === "security");
    expect(security).toMatchObject({ score: null, explanation: "no dependency audit or security scan report" });
    expect(result.measuredWeight).toBe(0.6);
    // Mean over the measured 60 %: (25×95 + 15×98 + 10×100 + 10×100) / 60
    expect(result.score).toBe(97.4);
  });

  it("gives degraded coverage no credit and says why", () => {
    const facts = { ...base(), coverage: { lines: 90, branches: null, trusted: false, reason: "only 3 of 40 paths resolved" } };
    const coverage = computeScore(facts).categories.find((c) => c.id === "coverage");
    expect(coverage).toMatchObject({ score: null, explanation: "coverage is degraded and earns no credit: only 3 of 40 paths resolved" });
  });

  it("reaches PRODUCTION_READY only when every rule of every level holds", () => {
    const allPass = { ...base(), tests: { total: 100, passed: 100, failed: 0, errored: 0, skipped: 0 } };
    expect(computeScore(allPass).level).toEqual({ name: "PRODUCTION_READY", blockedBy: [], next: null });
    expect(computeScore(base()).level.next).toEqual({ name: "CONDITIONAL_READY", needs: ["tests.failed == 0 (now 5)"] });
  });

  it("lists exactly what the next level needs, and counts unmeasured conditions as unmet", () => {
    const facts = { ...base(), typeErrors: null, docs: { ...base().docs, brokenLinks: 3 }, tests: { total: 100, passed: 99, failed: 1, errored: 0, skipped: 0 } };
    const result = computeScore(facts);
    expect(result.level.name).toBe("NEEDS_IMPROVEMENT");
    expect(result.level.next).toEqual({ name: "CONDITIONAL_READY", needs: ["tests.failed == 0 (now 1)"] });
    const fixed = computeScore({ ...facts, tests: base().tests && { ...base().tests!, passed: 100, failed: 0 } });
    expect(fixed.level.name).toBe("CONDITIONAL_READY");
    expect(fixed.level.next).toEqual({ name: "PRODUCTION_READY", needs: ["type_errors == 0 (now no data)", "docs.broken_links == 0 (now 3)"] });
  });

  it("is BLOCKED when a critical check fails, whatever the score", () => {
    const result = computeScore({ ...base(), security: { critical: 1, high: 0, moderate: 0, low: 0 } });
    expect(result.score).toBeGreaterThan(85);
    expect(result.level.name).toBe("BLOCKED");
    expect(result.level.blockedBy).toEqual([{ condition: "security.critical == 0", value: 1, met: false }]);
  });

  it("gives no score at all when nothing is measured", () => {
    const settings = { ...DEFAULT_SCORE_SETTINGS, weights: { ...DEFAULT_SCORE_SETTINGS.weights, documentation: 0, operability: 0 } };
    const result = computeScore({ ...base(), tests: null, coverage: null, lint: null, typeErrors: null, security: null }, settings);
    expect(result.score).toBeNull();
    expect(result.level.name).toBe("NOT_READY");
  });

  it.each([
    ["coverage.lines >= 80", { "coverage.lines": 80 }, true],
    ["coverage.lines > 80", { "coverage.lines": 80 }, false],
    ["tests.failed == 0", { "tests.failed": null }, false],
    ["type_errors != 0", { type_errors: 2 }, true],
  ])("evaluates %s", (condition, values, met) => {
    expect(evaluateCondition(condition, values).met).toBe(met);
  });

  it("rejects malformed conditions and unknown metrics", () => {
    expect(() => evaluateCondition("coverage.lines => 80", { "coverage.lines": 1 })).toThrow(/is not a condition/);
    expect(() => evaluateCondition("coverage.lynes >= 80", { "coverage.lines": 1 })).toThrow(/unknown metric "coverage.lynes"/);
  });
});
