import { describe, expect, it } from "vitest";
import { boundResult, FIELD_LIMITS } from "../../src/ingest/bound-result.js";
import type { IngestResult } from "../../src/ingest/types.js";

describe("boundResult", () => {
  it("cuts each field to its limit, says so once per kind of field, and shares one copy of a repeated path", () => {
    const longPath = `/repo/${"d/".repeat(5000)}a.ts`;
    const suite = ["outer", "s".repeat(5000)];
    const result: IngestResult = {
      format: "sarif",
      tests: [
        { suite, name: "n".repeat(2000), status: "failed", durationMs: 1, message: "m".repeat(5000) },
        { suite, name: "short", status: "passed", durationMs: 1 },
      ],
      coverage: [{ path: longPath }],
      findings: [1, 2, 3].map((line) => ({ tool: "t".repeat(300), kind: "lint", ruleId: "r", level: "error", message: "x", file: (" " + longPath).slice(1), line, column: null })),
      advisories: [{ id: "GHSA-1", aliases: Array.from({ length: 150 }, (_, i) => `CVE-${i}`), package: "p", versions: ["1.0.0"], severity: "high", title: "t", url: null, fixAvailable: null, ecosystem: "npm" }],
      diagnostics: [{ level: "info", code: "x", message: "q".repeat(2000) }],
    };
    boundResult(result, "r.sarif");

    expect(result.tests[0]?.name).toHaveLength(FIELD_LIMITS.name);
    expect(result.tests[0]?.message).toHaveLength(FIELD_LIMITS.message);
    expect(result.tests[0]?.suite.map((s) => s.length)).toEqual(["outer".length, FIELD_LIMITS.name]);
    expect(result.tests[0]?.suite).toBe(result.tests[1]?.suite);
    expect(result.tests[1]).toEqual({ suite: result.tests[0]?.suite, name: "short", status: "passed", durationMs: 1 });
    const files = result.findings?.map((f) => f.file) ?? [];
    expect(files[0]).toHaveLength(FIELD_LIMITS.path);
    expect(result.coverage[0]?.path).toBe(files[0]);
    expect(result.findings?.[0]?.tool).toHaveLength(FIELD_LIMITS.id);
    expect(result.advisories?.[0]?.aliases).toHaveLength(FIELD_LIMITS.list);
    expect(result.diagnostics[0]?.message).toHaveLength(FIELD_LIMITS.diagnostic);
    expect(result.diagnostics.slice(1).map((d) => [d.code, d.message.split(" longer")[0]])).toEqual([
      ["ingest.field-truncated", "2 test, suite, class or package name(s)"],
      ["ingest.field-truncated", "1 message(s) or title(s)"],
      ["ingest.field-truncated", "1 path(s) or URL(s)"],
      ["ingest.field-truncated", "3 rule id(s), tool name(s) or advisory id(s)"],
      ["ingest.field-truncated", "1 advisory alias or version list(s)"],
      ["ingest.field-truncated", "1 diagnostic message(s)"],
    ]);
  });

  it("leaves a result within the limits as it is", () => {
    const result: IngestResult = { format: "junit", tests: [{ suite: ["s"], name: "t", status: "passed", durationMs: null }], coverage: [], diagnostics: [] };
    const before = JSON.stringify(result);
    boundResult(result, "r.xml");
    expect(JSON.stringify(result)).toBe(before);
  });
});
