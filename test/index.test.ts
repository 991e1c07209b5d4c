import { describe, expect, it } from "vitest";

describe("the library entry (package.json main)", () => {
  it("loads from the build and exposes the documented API", async () => {
    const api = (await import(new URL("../dist/index.js", import.meta.url).href)) as Record<string, unknown>;
    for (const name of ["assess", "readReport", "parsers", "openStore", "withStore", "computeScore", "checkDocsLinks", "ShipgateError", "runGate", "evaluateGate", "DEFAULT_GATES", "renderGateSarif", "renderGateJunit", "loadPlan", "analyzePlan", "criticalPath", "findConflicts", "renderHandoff", "ADVISORY_FORMATS"]) {
      expect(api[name], name).toBeDefined();
    }
    expect((api.parsers as { format: string }[]).map((p) => p.format).sort()).toEqual(
      ["cargo-audit", "cobertura", "coveragepy", "eslint", "govulncheck", "istanbul-final", "istanbul-summary", "junit", "lcov", "mypy", "npm-audit", "osv", "pip-audit", "ruff", "sarif", "tsc"],
    );
  });
});
