import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { coveragepyParser } from "../../../src/ingest/parsers/coveragepy.js";
import { istanbulFinalParser } from "../../../src/ingest/parsers/istanbul-final.js";
import { istanbulSummaryParser } from "../../../src/ingest/parsers/istanbul-summary.js";
import { fixturePath, parseFailure, parseFixture, parseText, sumMetric, toolFixtures } from "./json-coverage-fixtures.js";
import type { CoverageFolder } from "./json-coverage-fixtures.js";

const parser = istanbulSummaryParser;
const head = (folder: CoverageFolder, name: string) => readFileSync(fixturePath(folder, name)).subarray(0, 4096);
const text = (name: string) => readFileSync(fixturePath("istanbul-summary", name), "utf8");

describe("istanbulSummaryParser", () => {
  describe.each(toolFixtures("istanbul-summary"))("%s", (name, expected) => {
    it(`adds up to the totals ${expected.tool ?? ""} printed`, async () => {
      const result = await parseFixture(parser, "istanbul-summary", name);
      expect(result.format).toBe("istanbul-summary");
      for (const metric of ["lines", "statements", "functions", "branches"] as const) {
        expect(sumMetric(result.coverage, metric) ?? { covered: 0, total: 0 }, metric).toEqual(expected.totals[metric]);
      }
      expect(result.diagnostics.filter((d) => d.code !== "istanbul.no-files")).toEqual([]);
    });

    it("reads one coverage entry per file key, in report order", async () => {
      const result = await parseFixture(parser, "istanbul-summary", name);
      const keys = Object.keys(JSON.parse(text(name)) as object).filter((key) => key !== "total");
      expect(result.coverage.map((file) => file.path)).toEqual(keys);
    });

    it("is detected as istanbul-summary and by no other JSON parser", () => {
      const bytes = head("istanbul-summary", name);
      expect(parser.detect(bytes, `${name}.json`)).toBe(true);
      expect(istanbulFinalParser.detect(bytes, `${name}.json`)).toBe(false);
      expect(coveragepyParser.detect(bytes, `${name}.json`)).toBe(false);
    });
  });

  it("reads the counters of each file as the tool wrote them", async () => {
    const { coverage } = await parseFixture(parser, "istanbul-summary", "c8-12.0-basic");
    expect(coverage.find((file) => file.path.endsWith("/math.js"))).toEqual({
      path: "/tmp/fx-cov/js/src/math.js",
      lines: { covered: 20, total: 25 },
      statements: { covered: 20, total: 25 },
      functions: { covered: 3, total: 4 },
      branches: { covered: 7, total: 10 },
    });
  });

  it("gives 0/0, not the 100 % istanbul writes, for metrics with nothing to cover", async () => {
    const { coverage } = await parseFixture(parser, "istanbul-summary", "vitest-v8-4.1-no-functions");
    expect(text("vitest-v8-4.1-no-functions")).toContain('"functions":{"total":0,"covered":0,"skipped":0,"pct":100}');
    expect(coverage).toEqual([
      {
        path: "/tmp/fx-cov/vt/src/constants.ts",
        lines: { covered: 3, total: 3 },
        statements: { covered: 3, total: 3 },
        functions: { covered: 0, total: 0 },
        branches: { covered: 0, total: 0 },
      },
      {
        path: "/tmp/fx-cov/vt/src/types.ts",
        lines: { covered: 0, total: 0 },
        statements: { covered: 0, total: 0 },
        functions: { covered: 0, total: 0 },
        branches: { covered: 0, total: 0 },
      },
    ]);
  });

  it.each(["vitest-v8-4.1-unknown-pct", "c8-12.0-empty"])('reads %s (no files, every pct "Unknown") as empty coverage', async (name) => {
    expect(text(name)).toContain('"pct":"Unknown"');
    const result = await parseFixture(parser, "istanbul-summary", name);
    expect(result.coverage).toEqual([]);
    expect(result.diagnostics).toEqual([
      { level: "info", code: "istanbul.no-files", file: `istanbul-summary/${name}.json`, message: "the report lists no files: coverage is empty" },
    ]);
  });

  it('says so when the files do not add up to "total"', async () => {
    const withoutUnused = text("nyc-18.0-basic").replace(/^,"[^"]*unused\.js".*\n/m, "");
    const result = await parseText(parser, withoutUnused);
    expect(result.coverage).toHaveLength(3);
    expect(result.diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "istanbul.total-mismatch",
          "file": "report.json",
          "level": "info",
          "message": "the files do not add up to "total" (lines 14/18 vs total 14/22; statements 18/23 vs total 18/27; functions 6/9 vs total 6/10; branches 5/15 vs total 5/17); shipgate uses the files",
        },
      ]
    `);
  });

  it("skips an entry with a malformed counter, with a warning that names its line", async () => {
    const broken = text("nyc-18.0-basic").replace('"lines":{"total":10,"covered":8,"skipped":0,"pct":80}', '"lines":"80%"');
    const result = await parseText(parser, broken);
    expect(result.coverage.map((file) => file.path.split("/").pop())).toEqual(["constants.js", "strings.js", "unused.js"]);
    expect(result.diagnostics.find((d) => d.code === "istanbul.bad-entry")).toMatchInlineSnapshot(`
      {
        "code": "istanbul.bad-entry",
        "file": "report.json",
        "level": "warning",
        "line": 3,
        "message": "skipped entry "/tmp/fx-cov/js/src/math.js": lines has no whole-number total and covered",
      }
    `);
  });

  it("rejects a report truncated after some files, naming the line (partial coverage is never stored)", async () => {
    expect(await parseFailure(parseFixture(parser, "istanbul-summary", "nyc-18.0-truncated"))).toMatchInlineSnapshot(`
      "[ingest] istanbul-summary/nyc-18.0-truncated.json:3: the file ends before the JSON document does (truncated?)
      the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
    `);
  });

  describe("rejects what it cannot read", () => {
    const fails = (folder: CoverageFolder, name: string) => parseFailure(parseFixture(parser, folder, name));
    const failsOn = (input: string | Buffer) => parseFailure(parseText(parser, input));

    it("a report cut inside total", async () => {
      expect(await fails("istanbul-summary", "nyc-18.0-truncated-in-total")).toMatchInlineSnapshot(`
        "[ingest] istanbul-summary/nyc-18.0-truncated-in-total.json:1: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("ESLint JSON", async () => {
      expect(await fails("istanbul-summary", "eslint-10.15-not-coverage")).toMatchInlineSnapshot(`
        "[ingest] istanbul-summary/eslint-10.15-not-coverage.json:1: this looks like ESLint JSON output, not istanbul coverage-summary.json
        expected the coverage-summary.json written by istanbul's json-summary reporter (nyc, c8, jest, vitest); check the report path, or name its format explicitly"
      `);
    });
    it("a SARIF log", async () => {
      expect(await fails("istanbul-summary", "eslint-sarif-3.1-not-coverage")).toMatchInlineSnapshot(`
        "[ingest] istanbul-summary/eslint-sarif-3.1-not-coverage.json:1: this looks like a SARIF log, not istanbul coverage-summary.json
        expected the coverage-summary.json written by istanbul's json-summary reporter (nyc, c8, jest, vitest); check the report path, or name its format explicitly"
      `);
    });
    it("coverage-final.json", async () => {
      expect(await fails("istanbul-final", "nyc-18.0-basic")).toMatchInlineSnapshot(`
        "[ingest] istanbul-final/nyc-18.0-basic.json:1: this looks like istanbul coverage-final.json, not istanbul coverage-summary.json
        name its format: istanbul-final"
      `);
    });
    it("coverage.py JSON", async () => {
      expect(await fails("coveragepy", "coveragepy-6.5-branch")).toMatchInlineSnapshot(`
        "[ingest] coveragepy/coveragepy-6.5-branch.json:1: this looks like coverage.py JSON (coverage json), not istanbul coverage-summary.json
        name its format: coveragepy"
      `);
    });
    it("an empty file", async () => {
      expect(await failsOn("")).toMatchInlineSnapshot(`
        "[ingest] report.json: the file is empty
        expected the coverage-summary.json written by istanbul's json-summary reporter (nyc, c8, jest, vitest); check the report path, or name its format explicitly"
      `);
    });
    it("garbage bytes", async () => {
      expect(await failsOn(Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00]))).toMatchInlineSnapshot(`
        "[ingest] report.json:1: not valid JSON: unexpected byte 0x1f at column 1
        expected the coverage-summary.json written by istanbul's json-summary reporter (nyc, c8, jest, vitest); check the report path, or name its format explicitly"
      `);
    });
    it("an object of something else", async () => {
      expect(await failsOn('{\n  "name": "shipgate",\n  "version": "0.1.0"\n}\n')).toMatchInlineSnapshot(`
        "[ingest] report.json:2: no entry is a coverage-summary.json entry; the first, "name": it is a string, not an object of counters
        expected the coverage-summary.json written by istanbul's json-summary reporter (nyc, c8, jest, vitest); check the report path, or name its format explicitly"
      `);
    });
    it("an empty object, which is what coverage-final.json holds when nothing was covered", async () => {
      expect(await failsOn("{}\n")).toMatchInlineSnapshot(`
        "[ingest] report.json: the report is an empty object, without the "total" every coverage-summary.json has
        istanbul's json reporter writes {} when it covered no file: if this is coverage-final.json, name its format: istanbul-final"
      `);
    });
  });
});
