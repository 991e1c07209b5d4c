import { describe, expect, it } from "vitest";
import { renderGateSarif } from "../../src/report/gate-sarif.js";
import { renderGithubAnnotations } from "../../src/report/github.js";
import { condition, item, resultWith } from "./gate-result-fixture.js";

const shared = item({ kind: "finding", ruleId: "no-eval", tool: "eslint", message: "eval is evil", file: "src/a.ts", line: 3, key: "fp-1" });

describe("gate outputs: locations and levels", () => {
  it("regression: annotation and SARIF paths are relative to the repository when the gate ran in a sub-directory", () => {
    const result = { ...resultWith([condition({ metric: "lint.errors", verdict: "fail", value: 1, items: [shared] })]), pathPrefix: "packages/api/" };
    expect(renderGithubAnnotations(result)).toContain("::error file=packages/api/src/a.ts,line=3,");
    const sarif = renderGateSarif(result, { toolVersion: "0", configFile: "shipgate.yaml" });
    expect(sarif.runs[0]?.results[0]?.locations?.[0]?.physicalLocation.artifactLocation.uri).toBe("packages/api/src/a.ts");
  });

  it("regression: a warning condition listed first does not turn a failure's shared item into a warning", () => {
    const result = resultWith([
      condition({ metric: "lint.warnings", severity: "warn", verdict: "warn", value: 1, items: [shared] }),
      condition({ metric: "findings", scope: "new", verdict: "fail", value: 1, items: [shared] }),
    ]);
    const annotations = renderGithubAnnotations(result).trim().split("\n");
    expect(annotations).toHaveLength(1);
    expect(annotations[0]).toMatch(/^::error file=src\/a\.ts/);
    const sarif = renderGateSarif(result, { toolVersion: "0" });
    expect(sarif.runs[0]?.results.map((r) => [r.level, r.properties.condition])).toEqual([["error", "new:findings"]]);
  });

  it("says in the SARIF run which conditions had more items than the result keeps", () => {
    const result = resultWith([condition({ metric: "findings", verdict: "fail", value: 500, items: [shared], itemsTotal: 500 })]);
    expect(renderGateSarif(result, { toolVersion: "0" }).runs[0]?.properties.truncated).toEqual([{ condition: "findings", shown: 1, total: 500 }]);
  });

  it.each([
    ["../../etc/passwd", ""],
    ["../../../etc/passwd", "packages/api/"],
    ["/etc/passwd", ""],
    ["C:\\Windows\\win.ini", ""],
    ["file:///etc/passwd", ""],
  ])("regression: the report path %j (under %j) leaves the repository: no SARIF location or annotation file, the result stays", (file, prefix) => {
    const outside = item({ kind: "finding", ruleId: "no-eval", tool: "eslint", message: "eval is evil", file, line: 3, key: "fp-out" });
    const result = { ...resultWith([condition({ metric: "lint.errors", verdict: "fail", value: 1, items: [outside] })]), pathPrefix: prefix };
    const sarif = renderGateSarif(result, { toolVersion: "0", configFile: "shipgate.yaml" });
    const [only] = sarif.runs[0]?.results ?? [];
    expect(only?.locations).toBeUndefined();
    expect(only?.message.text).toContain(`[reported at ${file}: not a path in the repository, no location]`);
    const annotation = renderGithubAnnotations(result);
    expect(annotation).toMatch(/^::error title=/);
    expect(annotation).not.toContain("file=");
  });

  it("keeps a path that climbs out of the judged directory but stays in the repository", () => {
    const sibling = item({ kind: "finding", ruleId: "r", tool: "eslint", message: "m", file: "../web/src/a.ts", line: 1, key: "fp-web" });
    const result = { ...resultWith([condition({ metric: "lint.errors", verdict: "fail", value: 1, items: [sibling] })]), pathPrefix: "packages/api/" };
    expect(renderGateSarif(result, { toolVersion: "0" }).runs[0]?.results[0]?.locations?.[0]?.physicalLocation.artifactLocation).toEqual({ uri: "packages/web/src/a.ts", uriBaseId: "%SRCROOT%" });
    expect(renderGithubAnnotations(result)).toContain("::error file=packages/web/src/a.ts,line=1,");
  });

  it("regression: escape sequences and bidi overrides in a finding message do not reach the SARIF log", () => {
    const hostile = item({ kind: "finding", ruleId: "r", tool: "eslint", message: "\u001b[31mred\u001b[0m \u202egnp.exe\r\n::error::x", file: "src/a.ts", line: 1, key: "fp-h" });
    const sarif = renderGateSarif(resultWith([condition({ metric: "lint.errors", verdict: "fail", value: 1, items: [hostile] })]), { toolVersion: "0" });
    expect(sarif.runs[0]?.results[0]?.message.text).toBe('red gnp.exe\n::error::x (fails gate "release" condition lint.errors >= 0)');
  });
});
