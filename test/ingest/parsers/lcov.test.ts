import { createReadStream, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { lcovParser } from "../../../src/ingest/parsers/lcov.js";
import type { FileCoverage } from "../../../src/ingest/types.js";

const dir = new URL("../../fixtures/ingest/lcov/", import.meta.url);
type FoundHit = { found: number; hit: number; brdaRecords?: number; brdaRecordsHit?: number };
const expected = JSON.parse(readFileSync(new URL("EXPECTED.json", dir), "utf8")) as Record<
  string,
  { totals: { lines: FoundHit; functions: FoundHit; branches: FoundHit } }
>;
const parse = (name: string) => lcovParser.parse(createReadStream(new URL(name, dir)), { file: name });
const sum = (files: FileCoverage[], m: "lines" | "functions" | "branches") =>
  files.reduce((acc, f) => ({ found: acc.found + (f[m]?.total ?? 0), hit: acc.hit + (f[m]?.covered ?? 0) }), { found: 0, hit: 0 });
const fromText = (text: string, name = "t.info") => lcovParser.parse(Readable.from([Buffer.from(text)]), { file: name });

describe("lcov parser on real tool output", () => {
  const fixtures = Object.keys(expected).filter((k) => !k.startsWith("_"));

  it.each(fixtures)("totals of %s equal the producing tool's own (and `lcov --summary` where lcov counts by record)", async (name) => {
    const { totals } = expected[name]!;
    const result = await parse(name);
    expect(sum(result.coverage, "lines")).toEqual({ found: totals.lines.found, hit: totals.lines.hit });
    expect(sum(result.coverage, "functions")).toEqual({ found: totals.functions.found, hit: totals.functions.hit });
    // lcov counts BRDA records; coverage.py's own BRF/BRH disagree with its BRDA lines, and lcov reads the records.
    const branches = totals.branches.brdaRecords === undefined ? totals.branches : { found: totals.branches.brdaRecords, hit: totals.branches.brdaRecordsHit ?? 0 };
    expect(sum(result.coverage, "branches")).toEqual({ found: branches.found, hit: branches.hit });
  });

  it("merges a file that appears in two concatenated runs (covered in either run counts)", async () => {
    const result = await parse("lcov-1.16-gcc-12-c-concatenated-two-runs.info");
    expect(result.coverage).toHaveLength(1);
    expect(result.diagnostics.map((d) => d.code)).toContain("lcov.repeated-file");
    const lines = result.coverage[0]!.lineHits!;
    expect(lines.covered.length + lines.uncovered.length).toBe(27);
    expect(new Set([...lines.covered, ...lines.uncovered]).size).toBe(27);
  });

  it("counts two functions that share a name as two, as FNF does (they were merged by name: 97.75 % instead of 97.66 %)", async () => {
    const result = await parse("c8-10.1-same-name-functions.info");
    expect(result.coverage[0]!.functions).toEqual({ covered: 54, total: 117 });
    const node = await parse("node-test-20.20-anonymous-and-same-name-functions.info");
    expect(node.coverage.find((f) => f.path === "test/unknown.js")!.functions).toEqual({ covered: 10, total: 10 });
    expect(node.diagnostics.map((d) => d.code)).not.toContain("lcov.totals-differ");
  });

  it("warns when the file's own totals differ from its records (coverage.py 6.5 writes LF 532 for 537 DA lines; nothing on screen said so)", async () => {
    const result = await parse("coverage-py-6.5-tomli-lf-differs.info");
    const differ = result.diagnostics.filter((d) => d.code === "lcov.totals-differ");
    expect(differ.map((d) => d.level)).toEqual(["warning"]);
  });

  it("refuses a line number past 2^31 − 1 as a bad line (it wrapped around in the Int32Array)", async () => {
    const result = await fromText("SF:a.js\nDA:99999999999999999999,1\nDA:3,1\nend_of_record\n");
    expect(result.coverage[0]!.lines).toEqual({ covered: 1, total: 1 });
    expect(result.diagnostics.map((d) => d.code)).toContain("lcov.bad-line");
  });

  it("gives the k-th FNDA of a name to the k-th FN of that name", async () => {
    const result = await fromText("SF:a.js\nFN:1,anonymous\nFN:5,anonymous\nFN:9,anonymous\nFNDA:0,anonymous\nFNDA:3,anonymous\nFNDA:0,anonymous\nDA:1,1\nend_of_record\n");
    expect(result.coverage[0]!.functions).toEqual({ covered: 1, total: 3 });
  });

  it("matches FNDA records by name once they leave the FN order (read in order, byte for byte, until then)", async () => {
    const result = await fromText("SF:a.js\nFN:1,a\nFN:2,b\nFN:3,a\nFNDA:1,a\nFNDA:0,a\nFNDA:1,b\nend_of_record\n");
    expect(result.coverage[0]!.functions).toEqual({ covered: 2, total: 3 });
    const before = await fromText("SF:a.js\nFNDA:1,f\nFN:1,f\nFNDA:1,f\nend_of_record\n");
    expect(before.coverage[0]!.functions).toEqual({ covered: 2, total: 2 });
  });

  it("counts two functions whose keys coincide once (NUL and SOH bytes in names are the key's separators)", async () => {
    const result = await fromText("SF:a.c\nFN:\u0001x,name\nFNA:x\u0000name\u00000,5,foo\nend_of_record\n");
    expect(result.coverage[0]!.functions).toEqual({ covered: 1, total: 1 });
  });

  it("merges a function across repeated sections of one file by line, name and occurrence", async () => {
    const section = (a: number, b: number) => `SF:a.js\nFN:1,f\nFN:5,f\nFNDA:${a},f\nFNDA:${b},f\nDA:1,1\nend_of_record\n`;
    const result = await fromText(section(1, 0) + section(0, 0));
    expect(result.coverage[0]!.functions).toEqual({ covered: 1, total: 2 });
  });

  it("counts lcov 2 FNA aliases of one index (template instantiations) once", async () => {
    const result = await fromText("SF:a.cpp\nFNL:0,3,9\nFNA:0,2,conv<int>\nFNA:0,0,conv<double>\nFNL:1,12\nFNA:1,0,helper\nDA:3,1\nend_of_record\n");
    expect(result.coverage[0]!.functions).toEqual({ covered: 1, total: 2 });
  });

  it("says when a record's FNF/LF/BRF disagree with its own detail lines", async () => {
    const result = await fromText("SF:a.js\nFN:1,f\nFNDA:1,f\nFNF:2\nFNH:1\nDA:1,1\nLF:1\nLH:1\nend_of_record\n");
    expect(result.coverage[0]!.functions).toEqual({ covered: 1, total: 1 });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: "lcov.totals-differ", message: expect.stringContaining("(SF:a.js, line 1) has functions 1/1 vs FNH/FNF 1/2") as string }),
    ]);
  });

  it("ignores negative counts with a warning instead of counting them as covered", async () => {
    const result = await fromText("SF:a.c\nDA:1,-1\nDA:2,0\nDA:3,4\nBRDA:3,0,0,-2\nBRDA:3,0,1,-\nFN:1,f\nFNDA:-3,f\nLF:-1\nend_of_record\n");
    expect(result.coverage[0]!.lines).toEqual({ covered: 1, total: 2 });
    expect(result.coverage[0]!.branches).toEqual({ covered: 0, total: 1 });
    expect(result.coverage[0]!.functions).toEqual({ covered: 0, total: 1 });
    expect(result.diagnostics).toEqual([expect.objectContaining({ level: "warning", code: "lcov.negative-count", line: 2, message: expect.stringContaining("4 record(s)") as string })]);
  });

  it("rejects non-numeric hit counts (NaN, Infinity, 1e3) as malformed", async () => {
    const result = await fromText("SF:a.c\nFN:1,f\nFNDA:NaN,f\nFNDA:Infinity,f\nDA:1,1e3\nDA:2,1\nend_of_record\n");
    expect(result.coverage[0]!.functions).toEqual({ covered: 0, total: 1 });
    expect(result.coverage[0]!.lines).toEqual({ covered: 1, total: 1 });
    expect(result.diagnostics).toEqual([expect.objectContaining({ code: "lcov.bad-line", message: "3 malformed record(s) were ignored" })]);
  });

  it("splits FN and FNDA on the first comma only (function names with commas)", async () => {
    const result = await parse("c8-12.0-comma-function-names.info");
    expect(sum(result.coverage, "functions")).toEqual({ found: 3, hit: 1 });
  });

  it("counts BRDA '-' (never evaluated) as a branch not taken", async () => {
    const result = await fromText("SF:a.c\nDA:1,1\nBRDA:1,0,0,-\nBRDA:1,0,1,-\nBRDA:2,0,0,3\nBRDA:2,0,1,0\nend_of_record\n");
    expect(result.coverage[0]!.branches).toEqual({ covered: 1, total: 4 });
  });

  it("reads lcov 2 FN:<start>,<end>,<name> and FNA records", async () => {
    const result = await fromText("SF:a.c\nFN:3,9,main\nFNDA:2,main\nFNL:0,12,20\nFNA:0,0,helper\nDA:3,1\nend_of_record\n");
    expect(result.coverage[0]!.functions).toEqual({ covered: 1, total: 2 });
  });

  it("uses LF/LH summaries only when there are no DA lines", async () => {
    const result = await fromText("SF:a.c\nLF:10\nLH:4\nend_of_record\n");
    expect(result.coverage[0]!.lines).toEqual({ covered: 4, total: 10 });
    expect(result.coverage[0]!.lineHits).toBeUndefined();
  });

  it("handles CRLF line endings and unsorted DA lines with a checksum field", async () => {
    const result = await fromText("SF:b.py\r\nDA:3,0,abc+/=\r\nDA:1,1,xyz\r\nDA:3,2,abc\r\nend_of_record\r\n");
    expect(result.coverage[0]!.lines).toEqual({ covered: 2, total: 2 });
  });

  it.each([
    ["an empty file", "", /t\.info: the file is empty/],
    ["a file without records", "hello\nworld\n", /t\.info: no lcov record \(SF: … end_of_record\) found/],
    ["a truncated record", "SF:a.c\nDA:1,1\nDA:2,0\n", /t\.info:1: the record for a\.c has no end_of_record: the file looks truncated/],
  ])("rejects %s with a clear message", async (_title, text, message) => {
    const error = await fromText(text).then(() => undefined, (e: unknown) => e as Error & { code: string });
    expect(error?.code).toBe("PARSE_FAILED");
    expect(error?.message).toMatch(message);
  });

  it("skips malformed lines with a warning naming the first one", async () => {
    const result = await fromText("SF:a.c\nDA:x,1\nWHAT:1\nDA:2,1\nend_of_record\n");
    expect(result.coverage[0]!.lines).toEqual({ covered: 1, total: 1 });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: "lcov.unknown-line", line: 3 }),
      expect.objectContaining({ code: "lcov.bad-line", line: 2 }),
    ]);
  });

  it("gives the same result whatever the chunk size", async () => {
    const text = readFileSync(new URL("lcov-1.16-gcc-12-c-concatenated-two-runs.info", dir));
    const whole = await lcovParser.parse(Readable.from([text]), { file: "x" });
    for (const size of [1, 7, 64]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < text.length; i += size) chunks.push(text.subarray(i, i + size));
      expect(await lcovParser.parse(Readable.from(chunks), { file: "x" })).toEqual(whole);
    }
  });
});
