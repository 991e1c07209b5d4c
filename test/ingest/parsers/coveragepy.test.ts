import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coveragepyParser } from "../../../src/ingest/parsers/coveragepy.js";
import { istanbulFinalParser } from "../../../src/ingest/parsers/istanbul-final.js";
import { istanbulSummaryParser } from "../../../src/ingest/parsers/istanbul-summary.js";
import { fixturePath, parseFailure, parseFixture, parseText, sumMetric, toolFixtures } from "./json-coverage-fixtures.js";
import type { CoverageFolder } from "./json-coverage-fixtures.js";

const parser = coveragepyParser;
const text = (name: string) => readFileSync(fixturePath("coveragepy", name), "utf8");

describe("coveragepyParser", () => {
  describe.each(toolFixtures("coveragepy"))("%s", (name, expected) => {
    it("adds up to the TOTAL line of `coverage report`", async () => {
      const result = await parseFixture(parser, "coveragepy", name);
      expect(result.format).toBe("coveragepy");
      expect(result.tool).toEqual({ name: "coverage.py", version: "6.5.0" });
      expect(sumMetric(result.coverage, "lines")).toEqual(expected.totals.lines);
      expect(sumMetric(result.coverage, "branches")).toEqual(expected.totals.branches);
      expect(result.diagnostics).toEqual([]);

      // The TOTAL line's Stmts and Miss columns, and its Cover, which counts branches with lines.
      const [, stmts, miss, ...rest] = expected.toolSummary?.split(/\s+/) ?? [];
      const lines = sumMetric(result.coverage, "lines");
      expect([lines?.total, (lines?.total ?? 0) - (lines?.covered ?? 0)]).toEqual([Number(stmts), Number(miss)]);
      const branches = sumMetric(result.coverage, "branches") ?? { covered: 0, total: 0 };
      const cover = (100 * ((lines?.covered ?? 0) + branches.covered)) / ((lines?.total ?? 0) + branches.total);
      const printed = rest[rest.length - 1] ?? "";
      expect(cover.toFixed(printed.includes(".") ? 2 : 0)).toBe(printed.replace("%", ""));
    });

    it("leaves statements and functions unknown, as coverage.py has no such metrics", async () => {
      const { coverage } = await parseFixture(parser, "coveragepy", name);
      expect(coverage.every((file) => file.statements === undefined && file.functions === undefined)).toBe(true);
    });

    it("is detected as coveragepy and by no other JSON parser", () => {
      const head = readFileSync(fixturePath("coveragepy", name)).subarray(0, 4096);
      expect(parser.detect(head, `${name}.json`)).toBe(true);
      expect(istanbulSummaryParser.detect(head, `${name}.json`)).toBe(false);
      expect(istanbulFinalParser.detect(head, `${name}.json`)).toBe(false);
    });
  });

  it("reads lines, line hits and no branches when branch coverage was off", async () => {
    const { coverage } = await parseFixture(parser, "coveragepy", "coveragepy-6.5-basic");
    expect(coverage.map((file) => file.path)).toEqual(["pkg/__init__.py", "pkg/constants.py", "pkg/mathx.py", "pkg/strings.py"]);
    expect(coverage.find((file) => file.path === "pkg/strings.py")).toEqual({
      path: "pkg/strings.py",
      lines: { covered: 10, total: 11 },
      lineHits: { covered: [1, 4, 5, 6, 9, 10, 11, 12, 13, 16], uncovered: [17] },
    });
  });

  it("does not count line 0, which coverage.py 6.5 lists as executed in an empty __init__.py", async () => {
    expect(text("coveragepy-6.5-basic")).toMatch(/"pkg\/__init__.py": \{\s*"executed_lines": \[\s*0\s*\]/);
    const { coverage } = await parseFixture(parser, "coveragepy", "coveragepy-6.5-basic");
    expect(coverage[0]).toEqual({ path: "pkg/__init__.py", lines: { covered: 0, total: 0 }, lineHits: { covered: [], uncovered: [] } });
  });

  it("does not count an excluded line that ran (a `# pragma: no cover` def) as covered", async () => {
    const { coverage } = await parseFixture(parser, "coveragepy", "coveragepy-6.5-branch");
    const mathx = coverage.find((file) => file.path === "pkg/mathx.py");
    expect(mathx).toEqual({
      path: "pkg/mathx.py",
      lines: { covered: 11, total: 16 },
      branches: { covered: 4, total: 8 },
      lineHits: { covered: [1, 2, 3, 4, 6, 9, 10, 12, 15, 16, 24], uncovered: [5, 11, 25, 26, 27] },
    });
  });

  it("gives 0/0 branches, not 100 %, to a file without branches", async () => {
    const { coverage } = await parseFixture(parser, "coveragepy", "coveragepy-6.5-branch");
    expect(coverage.find((file) => file.path === "pkg/constants.py")?.branches).toEqual({ covered: 0, total: 0 });
  });

  it('says so when the files do not add up to "totals"', async () => {
    const report = JSON.parse(text("coveragepy-6.5-branch")) as { files: Record<string, unknown> };
    delete report.files["pkg/strings.py"];
    const result = await parseText(parser, JSON.stringify(report));
    expect(result.coverage).toHaveLength(3);
    expect(result.diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "coveragepy.total-mismatch",
          "file": "report.json",
          "level": "info",
          "message": "the files do not add up to "totals" (lines 13/18 vs totals 23/29; branches 4/8 vs totals 6/12); shipgate uses the files",
        },
      ]
    `);
  });

  it("skips a file entry of unexpected shape with a warning that names its line", async () => {
    const broken = text("coveragepy-6.5-basic").replace('"num_statements": 16', '"num_statements": "16"');
    const result = await parseText(parser, broken);
    expect(result.coverage.map((file) => file.path)).toEqual(["pkg/__init__.py", "pkg/constants.py", "pkg/strings.py"]);
    expect(result.diagnostics.map((d) => [d.level, d.code, d.line, d.message])).toMatchInlineSnapshot(`
      [
        [
          "warning",
          "coveragepy.bad-entry",
          40,
          "skipped file "pkg/mathx.py": its summary has no whole-number covered_lines and num_statements",
        ],
        [
          "info",
          "coveragepy.total-mismatch",
          undefined,
          "the files do not add up to "totals" (lines 12/13 vs totals 23/29); shipgate uses the files",
        ],
      ]
    `);
  });

  it("rejects a report truncated after some files, naming the line (partial coverage is never stored)", async () => {
    expect(await parseFailure(parseFixture(parser, "coveragepy", "coveragepy-6.5-truncated"))).toMatchInlineSnapshot(`
      "[ingest] coveragepy/coveragepy-6.5-truncated.json:97: the file ends before the JSON document does (truncated?)
      the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
    `);
  });

  describe("rejects what it cannot read", () => {
    const fails = (folder: CoverageFolder, name: string) => parseFailure(parseFixture(parser, folder, name));

    it("coverage-final.json", async () => {
      expect(await fails("istanbul-final", "vitest-istanbul-4.1-basic")).toMatchInlineSnapshot(`
        "[ingest] istanbul-final/vitest-istanbul-4.1-basic.json:1: this looks like istanbul coverage-final.json, not coverage.py JSON (coverage json)
        name its format: istanbul-final"
      `);
    });
    it("coverage-summary.json", async () => {
      expect(await fails("istanbul-summary", "nyc-18.0-basic")).toMatchInlineSnapshot(`
        "[ingest] istanbul-summary/nyc-18.0-basic.json:1: this looks like istanbul coverage-summary.json, not coverage.py JSON (coverage json)
        name its format: istanbul-summary"
      `);
    });
    it("a SARIF log", async () => {
      expect(await fails("istanbul-summary", "eslint-sarif-3.1-not-coverage")).toMatchInlineSnapshot(`
        "[ingest] istanbul-summary/eslint-sarif-3.1-not-coverage.json:1: this looks like a SARIF log, not coverage.py JSON (coverage json)
        expected the JSON report of coverage.py (\`coverage json\`); check the report path, or name its format explicitly"
      `);
    });
    it("a report cut before its first file", async () => {
      expect(await parseFailure(parseText(parser, text("coveragepy-6.5-basic").slice(0, 300)))).toMatchInlineSnapshot(`
        "[ingest] report.json:13: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("an empty object", async () => {
      expect(await parseFailure(parseText(parser, "{}"))).toMatchInlineSnapshot(`
        "[ingest] report.json: the object has no "meta", "files" or "totals", which every coverage.py JSON report has
        expected the JSON report of coverage.py (\`coverage json\`); check the report path, or name its format explicitly"
      `);
    });
    it("a files object of something else", async () => {
      expect(await parseFailure(parseText(parser, '{"files": {"a.py": [1, 2]}}'))).toMatchInlineSnapshot(`
        "[ingest] report.json:1: no entry is a coverage.py file entry; the first, file "a.py": it is not an object
        expected the JSON report of coverage.py (\`coverage json\`); check the report path, or name its format explicitly"
      `);
    });
  });
});
