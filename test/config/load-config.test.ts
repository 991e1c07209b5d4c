import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { parseConfig } from "../../src/config/parse-config.js";
import { errorOf } from "./error-of.js";
import { configJsonSchema } from "../../src/config/schema.js";
import { scoreSettings } from "../../src/config/score-settings.js";


describe("shipgate.yaml", () => {
  it("fills defaults", () => {
    const { config } = parseConfig("version: 1\ncollectors:\n  - name: t\n    reports: [a.xml]\n", "shipgate.yaml");
    expect(config.collectors[0]).toEqual({ name: "t", reports: ["a.xml"], timeout: "10m", fail_on_exit: false, exit_without_failing_test: "error" });
    expect(config.paths.resolve_threshold).toBe(0.8);
  });

  it.each([
    ["0s", "must be longer than 0"],
    ["700h", "must be at most 2147483 seconds (about 24 days)"],
  ])("refuses timeout %s (it killed the command at once: 0, or a timer overflow)", (timeout, message) => {
    expect(errorOf(`version: 1\ncollectors:\n  - name: t\n    timeout: ${timeout}\n    reports: [a.xml]\n`)).toContain(`collectors[0].timeout: ${message}`);
  });

  it("names the file and line of a YAML syntax error", () => {
    expect(errorOf("version: 1\ncollectors:\n  - name: [oops\n")).toMatch(/^\[config\] shipgate\.yaml:4: not valid YAML: /);
  });

  it("names the file, line and key of a schema error", () => {
    const text = "version: 1\ncollectors:\n  - name: api\n    reports: [a.xml]\n  - name: web\n    timeout: forever\n    reports: [b.xml]\n";
    expect(errorOf(text)).toMatchInlineSnapshot(`"[config] shipgate.yaml:6: collectors[1].timeout: a duration like 90, "90s", "10m" or "1h""`);
  });

  it("rejects unknown keys instead of ignoring a typo", () => {
    expect(errorOf("version: 1\ncolectors: []\n")).toMatchInlineSnapshot(`"[config] shipgate.yaml: (top level): unknown key "colectors""`);
    expect(errorOf("version: 1\ncollectors:\n  - name: a\n    reports: [x]\n    comand: make\n")).toMatch(/shipgate\.yaml:3: collectors\[0\]: unknown key "comand"/);
  });

  it("names the line of a level condition with an unknown metric or a bad operator", () => {
    const text = "version: 1\nscore:\n  critical:\n    - security.critical == 0\n    - coverage.lynes >= 80\n";
    expect(errorOf(text)).toBe('[config] shipgate.yaml:5: score.critical[1]: unknown metric "coverage.lynes"');
    expect(errorOf("version: 1\nscore:\n  critical:\n    - coverage.lines => 80\n")).toMatch(/shipgate\.yaml:4: score\.critical\[0\]: a condition like "coverage\.lines >= 80"/);
  });

  it("reads score weights and levels over the defaults", () => {
    const { config } = parseConfig("version: 1\nscore:\n  weights: { tests: 30, operability: 0 }\n  levels:\n    - { name: GA, min_score: 85 }\n", "shipgate.yaml");
    const settings = scoreSettings(config);
    expect(settings.weights).toMatchObject({ tests: 30, operability: 0, coverage: 20 });
    expect(settings.levels).toEqual([{ name: "GA", minScore: 85, minMeasured: 0, require: [] }]);
    const withRules = scoreSettings(parseConfig("version: 1\nscore:\n  rules:\n    security: { high: 25, sast_error: 4 }\n", "shipgate.yaml").config);
    expect(withRules.rules.security).toEqual({ critical: 40, high: 25, moderate: 5, low: 1, sastError: 4, sastWarning: 2 });
  });

  it("requires version 1", () => {
    expect(errorOf("collectors: []\n")).toMatch(/version/);
  });

  it("publishes a JSON Schema that matches the code", () => {
    const published = JSON.parse(readFileSync(new URL("../../schema/shipgate.schema.json", import.meta.url), "utf8")) as unknown;
    expect(published).toEqual(configJsonSchema());
  });
});
