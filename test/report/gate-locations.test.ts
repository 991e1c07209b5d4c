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
});
