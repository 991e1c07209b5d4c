import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readReport } from "../../src/ingest/read-report.js";
import type { Finding } from "../../src/ingest/types.js";
import { gateItemRuleId, renderGateSarif } from "../../src/report/gate-sarif.js";
import type { SarifLog } from "../../src/report/gate-sarif.js";
import type { GateResult } from "../../src/gate/types.js";
import { sarifValidator } from "./sarif-schema.js";
import { condition, goResult, item, noGoResult, resultWith } from "./gate-result-fixture.js";

const root = fileURLToPath(new URL("../../", import.meta.url));
const tmpRoot = join(root, ".test-tmp");

const validate = sarifValidator();

function expectValid(log: unknown): void {
  const valid = validate(log);
  expect(validate.errors ?? [], "schema errors").toEqual([]);
  expect(valid).toBe(true);
}

/** Writes the log and reads it back with shipgate's own SARIF parser. */
async function roundTrip(log: SarifLog): Promise<Finding[]> {
  mkdirSync(tmpRoot, { recursive: true });
  const path = join(mkdtempSync(join(tmpRoot, "gate-sarif-")), "gate.sarif");
  writeFileSync(path, `${JSON.stringify(log, null, 2)}\n`);
  const { source, result } = await readReport(path);
  expect(source.format).toBe("sarif");
  expect(result.diagnostics).toEqual([]);
  return result.findings ?? [];
}

const render = (result: GateResult, configFile?: string): SarifLog =>
  renderGateSarif(result, configFile === undefined ? { toolVersion: "0.1.0" } : { toolVersion: "0.1.0", configFile });

describe("renderGateSarif", () => {
  it("writes a log the official SARIF 2.1.0 schema accepts", () => {
    expectValid(render(noGoResult, "shipgate.yaml"));
    expectValid(render(noGoResult));
    expectValid(render(goResult));
  });

  it("the schema check can fail: a broken log is rejected", () => {
    const broken = structuredClone(render(noGoResult, "shipgate.yaml")) as unknown as { runs: { results: Record<string, unknown>[] }[] };
    const result = broken.runs[0]!.results[0]!;
    delete result.message;
    result.level = "fatal";
    expect(validate(broken)).toBe(false);
    expect(validate.errors?.map((e) => e.message)).toEqual(expect.arrayContaining(["must have required property 'message'", "must be equal to one of the allowed values"]));
    const badUri = structuredClone(render(noGoResult)) as unknown as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    badUri.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation.uri = "src/has space.ts";
    expect(validate(badUri)).toBe(false);
  });

  it("reads back through shipgate's SARIF parser: one finding per item of a failing or warning condition", async () => {
    const findings = await roundTrip(render(noGoResult, "shipgate.yaml"));
    expect(findings.map((f) => [f.tool, f.ruleId, f.level, f.file, f.line])).toEqual([
      ["shipgate", "shipgate/test-failure", "error", "test/cart.test.ts", null],
      // No file: on the config file.
      ["shipgate", "shipgate/test-failure", "error", "shipgate.yaml", null],
      ["shipgate", "eslint/no-unused-vars", "error", "src/cart.ts", 12],
      ["shipgate", "semgrep/python.lang.security.audit.eval-detected", "error", "scripts/price rules.py", 7],
      ["shipgate", "shipgate/uncovered-changed-lines", "warning", "src/cart.ts", 30],
      ["shipgate", "shipgate/uncovered-changed-lines", "warning", "src/checkout/pay.ts", 8],
      // A failing condition without items: one result on the config file.
      ["shipgate", "shipgate/gate/score", "error", "shipgate.yaml", null],
      // Warning conditions come after the failing ones, and report at most warnings, whatever the item's own level.
      ["shipgate", "shipgate/broken-link", "warning", "README.md", 14],
    ]);
    expect(findings[2]?.message).toBe(`'total' is assigned a value but never used. (fails gate "release" condition new:findings.error <= 0 [no-new-lint-errors])`);
    expect(findings[7]?.message).toContain(`warns in gate "release" condition docs.brokenLinks <= 0`);
  });

  it("omits locations where there is no file and no config file", async () => {
    const log = render(noGoResult);
    const [run] = log.runs;
    expect(run.results.filter((r) => r.locations === undefined).map((r) => r.ruleId)).toEqual(["shipgate/test-failure", "shipgate/gate/score"]);
    const findings = await roundTrip(log);
    expect(findings.filter((f) => f.file === null)).toHaveLength(2);
  });

  it("writes regions, fingerprints and properties", () => {
    const [run] = render(noGoResult, "shipgate.yaml").runs;
    const semgrep = run.results[3];
    expect(semgrep).toEqual({
      ruleId: "semgrep/python.lang.security.audit.eval-detected",
      ruleIndex: 2,
      level: "error",
      message: { text: `Detected the use of eval(). (fails gate "release" condition new:findings.error <= 0 [no-new-lint-errors])` },
      locations: [{ physicalLocation: { artifactLocation: { uri: "scripts/price%20rules.py", uriBaseId: "%SRCROOT%" }, region: { startLine: 7, endLine: 9 } } }],
      partialFingerprints: { "shipgateKey/v1": "fp:semgrep:eval:scripts/price rules.py:77c0" },
      properties: { gate: "release", condition: "no-new-lint-errors" },
    });
    expect(run.originalUriBaseIds).toHaveProperty("%SRCROOT%");
    expect(run.properties).toEqual({ gate: "release", verdict: "NO-GO", truncated: [] });
    expect(run.tool.driver).toMatchObject({ name: "shipgate", version: "0.1.0", informationUri: "https://github.com/shipgate/shipgate" });
  });

  it("lists every rule it uses exactly once, at the index results point to", () => {
    const [run] = render(noGoResult, "shipgate.yaml").runs;
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(run.results.map((r) => r.ruleId))).toEqual(new Set(ids));
    for (const result of run.results) expect(run.tool.driver.rules[result.ruleIndex]?.id).toBe(result.ruleId);
    expect(run.tool.driver.rules.map((r) => r.shortDescription.text)).toEqual([
      "Test: test-failure",
      "Finding: no-unused-vars (eslint)",
      "Finding: python.lang.security.audit.eval-detected (semgrep)",
      "Changed lines no test ran: uncovered-changed-lines (shipgate)",
      "Gate condition score >= 70",
      "Broken link: broken-link (shipgate)",
    ]);
  });

  it.each([
    [{ kind: "finding", ruleId: "no-unused-vars", tool: "eslint" }, "eslint/no-unused-vars"],
    [{ kind: "finding", ruleId: "eslint/no-unused-vars", tool: "eslint" }, "eslint/no-unused-vars"],
    [{ kind: "finding", ruleId: "E501", tool: null }, "E501"],
    [{ kind: "finding", ruleId: "", tool: "tsc" }, "tsc/finding"],
    [{ kind: "test", ruleId: "test-regression", tool: null }, "shipgate/test-regression"],
    [{ kind: "advisory", ruleId: "GHSA-xxxx-yyyy-zzzz", tool: null }, "GHSA-xxxx-yyyy-zzzz"],
    [{ kind: "advisory", ruleId: "GHSA-xxxx-yyyy-zzzz", tool: "osv-scanner" }, "osv-scanner/GHSA-xxxx-yyyy-zzzz"],
  ] as const)("names the rule of %j %j", (fields, expected) => {
    expect(gateItemRuleId(item({ ...fields, message: "m", key: "k" }))).toBe(expected);
  });

  it("reports an item once when two conditions share it, under the first condition", () => {
    const shared = item({ kind: "finding", ruleId: "no-eval", message: "eval is evil", file: "src\\legacy\\run.js", line: 3, key: "fp:shared", tool: "eslint" });
    const [run] = render(
      resultWith([
        condition({ id: "new:findings.error", metric: "findings.error", scope: "new", verdict: "fail", items: [shared] }),
        condition({ metric: "findings.error", verdict: "warn", severity: "warn", items: [shared, { ...shared, key: "fp:other", line: 9 }] }),
      ]),
    ).runs;
    expect(run.results.map((r) => [r.properties.condition, r.partialFingerprints["shipgateKey/v1"], r.level])).toEqual([
      ["new:findings.error", "fp:shared", "error"],
      ["findings.error", "fp:other", "warning"],
    ]);
    // Windows separators become URI slashes.
    expect(run.results[0]?.locations?.[0]?.physicalLocation.artifactLocation.uri).toBe("src/legacy/run.js");
  });

  it("writes no results for a GO gate, and nothing for passing or waived conditions", () => {
    expect(render(goResult).runs[0].results).toEqual([]);
    const waivedOnly = render(resultWith([noGoResult.conditions[4]!, noGoResult.conditions[5]!]));
    expect(waivedOnly.runs[0].results).toEqual([]);
    expect(waivedOnly.runs[0].tool.driver.rules).toEqual([]);
  });

  it("is deterministic", () => {
    expect(JSON.stringify(render(noGoResult, "shipgate.yaml"))).toBe(JSON.stringify(render(structuredClone(noGoResult), "shipgate.yaml")));
  });
});
