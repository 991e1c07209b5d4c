import { createReadStream, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { coberturaParser } from "../../../src/ingest/parsers/cobertura.js";
import type { FileCoverage } from "../../../src/ingest/types.js";

const dir = new URL("../../fixtures/ingest/cobertura/", import.meta.url);
type ValidCovered = { valid: number; covered: number };
const expected = JSON.parse(readFileSync(new URL("EXPECTED.json", dir), "utf8")) as Record<
  string,
  { rootAttributes: Record<string, number | string>; lineElements?: { branches?: ValidCovered }; functions?: ValidCovered }
>;
const parse = (name: string) => coberturaParser.parse(createReadStream(new URL(name, dir)), { file: name });
const sum = (files: FileCoverage[], m: "lines" | "branches" | "functions") =>
  files.reduce((acc, f) => ({ valid: acc.valid + (f[m]?.total ?? 0), covered: acc.covered + (f[m]?.covered ?? 0) }), { valid: 0, covered: 0 });

describe("cobertura parser on real tool output", () => {
  const fixtures = Object.keys(expected).filter((k) => !k.startsWith("_"));

  it.each(fixtures)("totals of %s equal the tool's lines-valid/covered and branches-valid/covered", async (name) => {
    const { rootAttributes: root, lineElements, functions } = expected[name]!;
    const result = await parse(name);
    const want = { lines: { valid: root["lines-valid"], covered: root["lines-covered"] }, branches: { valid: root["branches-valid"], covered: root["branches-covered"] } };
    // Cobertura itself lists a line shared by two classes twice (lines-valid 31); each line counts once here.
    if (name === "cobertura-2.1-java-shared-file-classes.xml") want.lines.valid = 30;
    // istanbul's writer drops the branch of a default parameter on a non-statement line (text.ts:9) from <lines>
    // but counts it in the root totals; the <line> elements are what a per-file reading can see.
    if (lineElements?.branches) want.branches = lineElements.branches;
    if (name.startsWith("vitest-") && name.endsWith("-basic.xml")) want.branches = { valid: 15, covered: 6 };
    expect(sum(result.coverage, "lines")).toEqual(want.lines);
    if (functions) expect(sum(result.coverage, "functions")).toEqual(functions);
    expect(sum(result.coverage, "branches")).toEqual(want.branches);
    const differs = want.lines.valid !== root["lines-valid"] || want.branches.valid !== root["branches-valid"];
    expect(result.diagnostics.some((d) => d.code === "cobertura.totals-differ")).toBe(differs);
    expect(coberturaParser.detect(readFileSync(new URL(name, dir)).subarray(0, 4096), name)).toBe(true);
  });

  it("merges classes that share a file", async () => {
    const result = await parse("cobertura-2.1-java-shared-file-classes.xml");
    const paths = result.coverage.map((f) => f.path);
    expect(new Set(paths).size).toBe(paths.length);
  });

  it("keeps every <source> root for path resolution", async () => {
    const result = await parse("coverage-py-6.5-two-sources.xml");
    expect(result.coverage.every((f) => (f.roots ?? []).length === 2)).toBe(true);
  });

  it("never fetches the Cobertura DTD the JS tools declare", async () => {
    const result = await parse("vitest-v8-4.1-basic.xml");
    expect(result.diagnostics.map((d) => d.code)).toContain("xml.doctype-ignored");
  });

  it("counts methods as functions when the report lists them, and leaves functions unknown when it does not", async () => {
    const vitest = await parse("vitest-v8-4.1-basic.xml");
    expect(sum(vitest.coverage, "functions")).toEqual({ valid: 8, covered: 6 });
    const gcovr = await parse("gcovr-5.2-cpp-templates.xml");
    expect(gcovr.coverage.every((f) => f.functions === undefined)).toBe(true);
  });

  it("counts two methods with one name, signature and line-rate as two (c8's two `write` arrows were one: 4/5 functions instead of 6/7)", async () => {
    const result = await parse("c8-10.1-same-name-arrows.xml");
    expect(sum(result.coverage, "functions")).toEqual({ valid: 7, covered: 6 });
  });

  it("ignores negative hits and impossible condition coverage with a warning", async () => {
    const xml =
      '<?xml version="1.0" ?>\n<coverage lines-valid="3" lines-covered="1"><packages><package name="p"><classes><class name="a" filename="a.js"><lines>' +
      '<line number="1" hits="-4"/><line number="2" hits="Infinity"/><line number="3" hits="2" branch="true" condition-coverage="150% (3/2)"/><line number="4" hits="0"/>' +
      "</lines></class></classes></package></packages></coverage>\n";
    const result = await coberturaParser.parse(Readable.from([Buffer.from(xml)]), { file: "c.xml" });
    expect(result.coverage[0]!.lines).toEqual({ covered: 1, total: 2 });
    expect(result.coverage[0]!.branches).toBeUndefined();
    expect(result.diagnostics.map((d) => d.code).sort()).toEqual(["cobertura.bad-line", "cobertura.bad-line", "cobertura.negative-count", "cobertura.totals-differ"]);
  });
});
