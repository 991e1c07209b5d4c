import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { detectParser, formats, MAX_HEAD_BYTES } from "../../src/ingest/detect.js";
import { detectFormat, parsers } from "../../src/ingest/registry.js";

// detect.ts skips a parser when a cheap condition on the head fails; that condition must never be false where the
// parser's own detect is true. So the lazy detection must name the same parser as the registry's, on every head.

const fixtures = join(import.meta.dirname, "..", "fixtures", "ingest");
const files = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));

const heads: [string, Buffer][] = [
  ...files(fixtures).map((file): [string, Buffer] => [file, readFileSync(file).subarray(0, MAX_HEAD_BYTES)]),
  // Heads that probe the conditions' edges: byte-order marks and white space before JSON, a scalar before an
  // object (the JSON tokenizer reads on after one value), XML behind a prolog, nothing at all.
  ["bom.json", Buffer.from('\ufeff {"auditReportVersion": 2, "vulnerabilities": {}}')],
  ["space-bom.json", Buffer.from(' \ufeff{"runs": [], "version": "2.1.0"}')],
  ["scalar-first.json", Buffer.from('5{"auditReportVersion": 2}')],
  ["true-first.json", Buffer.from('true {"runs": [], "version": "2.1.0"}')],
  ["string-first.json", Buffer.from('"x" [{"filePath": "a.js", "messages": []}]')],
  ["eslint.json", Buffer.from("[]")],
  ["ruff.json", Buffer.from("\r\n\t[]")],
  ["coverage-final.json", Buffer.from("{}")],
  ["prolog.xml", Buffer.from(`<?xml version="1.0"?>\n<!--${"x".repeat(5000)}-->\n<testsuites name="vitest tests"><testsuite name="a">`)],
  ["coverage.xml", Buffer.from('<?xml version="1.0"?>\n<coverage line-rate="1">')],
  ["lcov.info", Buffer.from("TN:\nSF:a.ts\nDA:1,1\nend_of_record\n")],
  ["x.info", Buffer.from("VER:2\n")],
  ["tsc.txt", Buffer.from("src/a.ts(1,2): error TS2322: Type 'x' is not assignable.\n")],
  ["node_modules.txt", Buffer.from("node_modules/a.ts(1,2): error TS2322: Type 'x'.\n")],
  ["mypy.txt", Buffer.from("Success: no issues found in 3 source files\n")],
  ["empty", Buffer.alloc(0)],
  ["garbage", Buffer.from([0xef, 0xbb, 0x00, 0x7b, 0x7d])],
];

describe("detect.ts: lazy detection", () => {
  it("lists every parser once, and the registry holds them in that order", () => {
    const modules = readdirSync(join(import.meta.dirname, "..", "..", "src", "ingest", "parsers")).filter((f) => f.endsWith(".ts"));
    expect(new Set(formats).size).toBe(modules.length);
    expect(parsers.map((p) => p.format)).toEqual(formats);
  });

  it.each(heads.map(([file, head]) => [file.replace(fixtures, "fixtures"), head] as const))("names the registry's parser for %s", async (file, head) => {
    expect((await detectParser(head, file))?.format).toBe(detectFormat(head, file)?.format);
  });

  it("names the registry's parser for every one-byte prefix of a JSON object", async () => {
    for (let byte = 0; byte < 256; byte++) {
      const head = Buffer.from([byte, ...Buffer.from('{"auditReportVersion": 2}')]);
      expect((await detectParser(head, "r.json"))?.format, `byte ${byte}`).toBe(detectFormat(head, "r.json")?.format);
    }
  });
});
