import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coveragepyParser } from "../../../src/ingest/parsers/coveragepy.js";
import { istanbulFinalParser } from "../../../src/ingest/parsers/istanbul-final.js";
import { istanbulSummaryParser } from "../../../src/ingest/parsers/istanbul-summary.js";
import {
  fixturePath,
  parseFailure,
  parseFixture,
  parseText,
  sumMetric,
  toolFixtures,
  formatUncovered,
  uncoveredCells,
} from "./json-coverage-fixtures.js";
import type { CoverageFolder } from "./json-coverage-fixtures.js";

const parser = istanbulFinalParser;
const text = (name: string) => readFileSync(fixturePath("istanbul-final", name), "utf8");

describe("istanbulFinalParser", () => {
  describe.each(toolFixtures("istanbul-final"))("%s", (name, expected) => {
    it(`computes the totals ${expected.tool ?? ""} printed, lines included`, async () => {
      const result = await parseFixture(parser, "istanbul-final", name);
      expect(result.format).toBe("istanbul-final");
      for (const metric of ["lines", "statements", "functions", "branches"] as const) {
        expect(sumMetric(result.coverage, metric) ?? { covered: 0, total: 0 }, metric).toEqual(expected.totals[metric]);
      }
    });

    it("finds the uncovered lines the tool's text table shows", async () => {
      const { coverage } = await parseFixture(parser, "istanbul-final", name);
      const cells = uncoveredCells(expected.toolTable ?? "");
      expect(coverage).toHaveLength(cells.size);
      for (const file of coverage) {
        const basename = file.path.split("/").pop() ?? "";
        expect(file.lineHits?.covered.length, basename).toBe(file.lines?.covered);
        // At 100 % lines the text reporter lists lines with partly covered branches instead.
        if (file.lines?.covered === file.lines?.total && file.lines?.total !== 0) continue;
        expect(formatUncovered(file.lineHits ?? { covered: [], uncovered: [] }), basename).toBe(cells.get(basename));
      }
    });

    it("is detected as istanbul-final and by no other JSON parser", () => {
      const head = readFileSync(fixturePath("istanbul-final", name)).subarray(0, 4096);
      const path = `coverage/coverage-final.json`;
      // c8 and vitest write {} when they covered nothing: only the file name can tell.
      expect(parser.detect(head, path)).toBe(true);
      expect(istanbulSummaryParser.detect(head, path)).toBe(false);
      expect(coveragepyParser.detect(head, path)).toBe(false);
    });
  });

  it("counts a line with a hit and a missed statement as covered (istanbul takes the highest count)", async () => {
    // math.js line 5 is `if (value > max) return max;`: the `if` ran, `return max` never did.
    const entry = (JSON.parse(text("nyc-18.0-basic")) as Record<string, { statementMap: Record<string, { start: { line: number } }>; s: Record<string, number> }>)[
      "/tmp/fx-cov/js/src/math.js"
    ];
    const onLine5 = Object.entries(entry?.statementMap ?? {}).filter(([, loc]) => loc.start.line === 5).map(([id]) => entry?.s[id]);
    expect(onLine5).toEqual([1, 0]);

    const { coverage } = await parseFixture(parser, "istanbul-final", "nyc-18.0-basic");
    expect(coverage.find((file) => file.path.endsWith("/math.js"))).toEqual({
      path: "/tmp/fx-cov/js/src/math.js",
      lines: { covered: 8, total: 10 },
      statements: { covered: 10, total: 13 },
      functions: { covered: 4, total: 5 },
      branches: { covered: 5, total: 12 },
      lineHits: { covered: [4, 5, 6, 10, 13, 17, 18, 25], uncovered: [11, 22] },
    });
  });

  it("gives 0/0, never 0 % or 100 %, for a file with nothing to cover", async () => {
    const { coverage } = await parseFixture(parser, "istanbul-final", "vitest-v8-4.1-no-functions");
    expect(coverage.find((file) => file.path.endsWith("/types.ts"))).toEqual({
      path: "/tmp/fx-cov/vt/src/types.ts",
      lines: { covered: 0, total: 0 },
      statements: { covered: 0, total: 0 },
      functions: { covered: 0, total: 0 },
      branches: { covered: 0, total: 0 },
      lineHits: { covered: [], uncovered: [] },
    });
  });

  it("reads {} (no files covered) as empty coverage", async () => {
    const result = await parseFixture(parser, "istanbul-final", "vitest-v8-4.1-empty");
    expect(result.coverage).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["istanbul.no-files"]);
  });

  it("skips an entry of unexpected shape with a warning that names its line", async () => {
    const lines = text("nyc-18.0-basic").split("\n");
    lines[1] = lines[1]?.replace(/"s":\{[^}]*\}/, '"s":[1,2]') ?? "";
    const result = await parseText(parser, lines.join("\n"));
    expect(result.coverage.map((file) => file.path.split("/").pop())).toEqual(["constants.js", "strings.js", "unused.js"]);
    expect(result.diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "istanbul.bad-entry",
          "file": "report.json",
          "level": "warning",
          "line": 2,
          "message": "skipped entry "/tmp/fx-cov/js/src/math.js": it has no statementMap and s",
        },
      ]
    `);
  });

  it("skips an entry whose hit count is not a count", async () => {
    const result = await parseText(parser, text("nyc-18.0-basic").replace('"s":{"0":1}', '"s":{"0":"1"}'));
    expect(result.coverage).toHaveLength(3);
    expect(result.diagnostics.map((d) => [d.code, d.line, d.message])).toMatchInlineSnapshot(`
      [
        [
          "istanbul.bad-entry",
          1,
          "skipped entry "/tmp/fx-cov/js/src/constants.js": a statement hit count in s is not a count",
        ],
      ]
    `);
  });

  it("rejects a report truncated after some files, naming the line (partial coverage is never stored)", async () => {
    expect(await parseFailure(parseFixture(parser, "istanbul-final", "nyc-18.0-truncated"))).toMatchInlineSnapshot(`
      "[ingest] istanbul-final/nyc-18.0-truncated.json:2: the file ends before the JSON document does (truncated?)
      the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
    `);
  });

  describe("rejects what it cannot read", () => {
    const fails = (folder: CoverageFolder, name: string) => parseFailure(parseFixture(parser, folder, name));

    it("a report cut inside its first file", async () => {
      expect(await fails("istanbul-final", "nyc-18.0-truncated-in-first-file")).toMatchInlineSnapshot(`
        "[ingest] istanbul-final/nyc-18.0-truncated-in-first-file.json:1: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("coverage-summary.json", async () => {
      expect(await fails("istanbul-summary", "c8-12.0-basic")).toMatchInlineSnapshot(`
        "[ingest] istanbul-summary/c8-12.0-basic.json:1: this looks like istanbul coverage-summary.json, not istanbul coverage-final.json
        name its format: istanbul-summary"
      `);
    });
    it("coverage.py JSON", async () => {
      expect(await fails("coveragepy", "coveragepy-6.5-basic")).toMatchInlineSnapshot(`
        "[ingest] coveragepy/coveragepy-6.5-basic.json:1: this looks like coverage.py JSON (coverage json), not istanbul coverage-final.json
        name its format: coveragepy"
      `);
    });
    it("ESLint JSON", async () => {
      expect(await fails("istanbul-summary", "eslint-10.15-not-coverage")).toMatchInlineSnapshot(`
        "[ingest] istanbul-summary/eslint-10.15-not-coverage.json:1: this looks like ESLint JSON output, not istanbul coverage-final.json
        expected the coverage-final.json written by istanbul's json reporter (nyc, c8, jest, vitest); check the report path, or name its format explicitly"
      `);
    });
    it("an object of something else", async () => {
      expect(await parseFailure(parseText(parser, '{"compilerOptions": {"strict": true}}'))).toMatchInlineSnapshot(`
        "[ingest] report.json:1: no entry is a coverage-final.json entry; the first, "compilerOptions": it has no statementMap and s
        expected the coverage-final.json written by istanbul's json reporter (nyc, c8, jest, vitest); check the report path, or name its format explicitly"
      `);
    });
  });
});
