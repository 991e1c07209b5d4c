import { describe, expect, it } from "vitest";
import { tscParser } from "../../../src/ingest/parsers/tsc.js";
import type { Finding } from "../../../src/ingest/types.js";
import { parseFailure } from "./json-coverage-fixtures.js";
import { countFindings, findingFixtures, fixtureHead, fixtureText, otherClaimants, parseFixture, parseText } from "./finding-fixtures.js";

const parser = tscParser;

/** "Found 9 errors in 3 files.", "Found 2 errors in the same file, starting at: …", "Found 1 error in a.ts:3". */
function summaryCounts(summary: string): { errors: number; files: number } {
  if (summary === "") return { errors: 0, files: 0 };
  const match = /^Found (\d+) errors? in (?:(\d+) files|the same file|\S+:\d+)/.exec(summary);
  if (match === null) throw new Error(`not a tsc summary: ${summary}`);
  return { errors: Number(match[1]), files: match[2] === undefined ? 1 : Number(match[2]) };
}

/** What both styles carry: everything but the snippet (pretty only) and the report line. */
const essentials = (findings: Finding[] = []) => findings.map(({ snippet: _snippet, reportLine: _reportLine, ...rest }) => rest);

describe("tscParser", () => {
  describe.each(findingFixtures("tsc"))("%s", (name, expected) => {
    it('counts the errors and files of tsc\'s "Found N errors in M files"', async () => {
      const result = await parseFixture(parser, "tsc", name);
      const counts = countFindings(result.findings);
      expect(counts).toEqual(expected.counts);
      const files = new Set(result.findings?.filter((finding) => finding.level === "error" && finding.file !== null).map((finding) => finding.file));
      expect({ errors: counts.error, files: files.size }).toEqual(summaryCounts(expected.toolSummary));
      expect(result.findings?.every((finding) => finding.tool === "tsc" && finding.kind === "type" && /^TS\d+$/.test(finding.ruleId ?? ""))).toBe(true);
      expect(result).toMatchObject({ format: "tsc", tool: { name: "tsc" }, tests: [], coverage: [] });
      expect(result.diagnostics.map((d) => d.code)).toEqual(expected.toolSummary === "" ? ["tsc.empty"] : []);
    });

    it.skipIf(expected.toolSummary === "")("is detected as tsc and by no other parser", () => {
      const head = fixtureHead("tsc", name);
      expect(parser.detect(head, "tsc.txt")).toBe(true);
      expect(otherClaimants(parser, head, "tsc.txt")).toEqual([]);
    });
  });

  it("joins a chained message's indented lines to its first line", async () => {
    const { findings = [] } = await parseFixture(parser, "tsc", "tsc-5.9-mixed");
    expect(findings[1]).toEqual({
      tool: "tsc",
      kind: "type",
      ruleId: "TS2322",
      level: "error",
      message: [
        `Type '(event: { type: "key"; code: string; }) => undefined' is not assignable to type '(event: { type: "click"; x: number; }) => void'.`,
        "  Types of parameters 'event' and 'event' are incompatible.",
        `    Property 'code' is missing in type '{ type: "click"; x: number; }' but required in type '{ type: "key"; code: string; }'.`,
      ].join("\n"),
      file: "src/chain.ts",
      line: 16,
      column: 3,
      reportLine: 4,
    });
  });

  it("reads a diagnostic without a location (TS18003) with no file, line or column", async () => {
    const { findings = [] } = await parseFixture(parser, "tsc", "tsc-5.9-config-errors");
    expect(findings.map(({ ruleId, file, line, column }) => ({ ruleId, file, line, column }))).toEqual([
      { ruleId: "TS18003", file: null, line: null, column: null },
      { ruleId: "TS5023", file: "tsconfig.json", line: 2, column: 56 },
    ]);
  });

  it.each([
    ["tsc-5.9-mixed-pretty", "tsc-5.9-mixed"],
    ["tsc-7.0-mixed-pretty", "tsc-5.9-mixed"],
    ["tsc-5.9-config-errors-pretty", "tsc-5.9-config-errors"],
  ])("reads %s (--pretty, colours, code frames, related information) as its plain twin", async (pretty, plain) => {
    const [a, b] = await Promise.all([parseFixture(parser, "tsc", pretty), parseFixture(parser, "tsc", plain)]);
    expect(essentials(a.findings)).toEqual(essentials(b.findings));
  });

  it("takes the flagged line from --pretty's code frame, not from a related-information frame", async () => {
    for (const name of ["tsc-5.9-mixed-pretty", "tsc-7.0-mixed-pretty"]) {
      const { findings = [] } = await parseFixture(parser, "tsc", name);
      expect(findings.map((finding) => finding.snippet)).toEqual([
        "save(draft);",
        '  (event: { type: "key"; code: string }) => void event,',
        '  id: "1",',
        '  address: { street: "Main", city: { name: "Springfield", zip: "12345" } },',
        'import { missing } from "./nowhere.js";',
        "  const greeting: number = `hello ${user.name}`;",
        "  return greeting;",
        "  return values.reduce((sum, v) => sum + v.lenght, 0);",
        'cafés["é"].name.toUpperCase(1);',
      ]);
    }
  });

  it.each([1, 2, 3, 5, 64])("gives the same findings whatever the chunk size (%i bytes), CRLF line ends included", async (size) => {
    const text = fixtureText("tsc", "tsc-5.9-mixed-pretty");
    const whole = await parseText(parser, text, "tsc.txt");
    expect(await parseText(parser, text, "tsc.txt", size)).toEqual(whole);
    const crlf = await parseText(parser, text.replace(/\n/g, "\r\n"), "tsc.txt", size);
    expect(crlf).toEqual(whole);
  });

  it("warns about lines that are no tsc output (an npm run banner) and reads the rest", async () => {
    const text = `\n> demo@1.0.0 typecheck\n> tsc --noEmit --pretty false\n\n${fixtureText("tsc", "tsc-5.9-config-errors")}`;
    const result = await parseText(parser, text, "tsc.txt");
    expect(countFindings(result.findings)).toEqual({ error: 2, warning: 0, note: 0, suppressed: 0 });
    expect(result.diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "tsc.unknown-line",
          "file": "tsc.txt",
          "level": "warning",
          "line": 2,
          "message": "ignored 2 line(s) that are not tsc diagnostics, the first: "> demo@1.0.0 typecheck"",
        },
      ]
    `);
  });

  it('says so when the pretty summary does not match the errors listed (a cut "Found" table)', async () => {
    const text = fixtureText("tsc", "tsc-5.9-mixed-pretty").replace("Found 9 errors", "Found 10 errors");
    expect((await parseText(parser, text, "tsc.txt")).diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "tsc.count-mismatch",
          "file": "tsc.txt",
          "level": "warning",
          "line": 66,
          "message": "tsc says it found 10 error(s) but the report lists 9; shipgate uses the list",
        },
      ]
    `);
  });

  describe("rejects what it cannot read", () => {
    it("lines that are not tsc output", async () => {
      expect(await parseFailure(parseText(parser, "\nall good\nsee you\n", "tsc.txt"))).toMatchInlineSnapshot(`
        "[ingest] tsc.txt:2: no line is a tsc diagnostic; the first is "all good"
        expected the output of \`tsc --noEmit --pretty false\` (or of plain \`tsc --noEmit\`); check the report path, or name its format explicitly"
      `);
    });
    it("mypy's output", async () => {
      expect(await parseFailure(parseFixture(parser, "mypy", "mypy-1.0-mixed"))).toMatchInlineSnapshot(`
        "[ingest] mypy/mypy-1.0-mixed.txt:1: no line is a tsc diagnostic; the first is "pkg/models.py:11: error: Argument \\"id\\" to \\"User\\" has incompatible type \\"str\\"; expected \\"int\\"  [arg-type]"
        expected the output of \`tsc --noEmit --pretty false\` (or of plain \`tsc --noEmit\`); check the report path, or name its format explicitly"
      `);
    });
    it("binary data", async () => {
      expect(await parseFailure(parseText(parser, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), "tsc.txt"))).toMatchInlineSnapshot(`
        "[ingest] tsc.txt:1: no line is a tsc diagnostic; the first is binary data, not text
        expected the output of \`tsc --noEmit --pretty false\` (or of plain \`tsc --noEmit\`); check the report path, or name its format explicitly"
      `);
    });
  });

  it("is not fooled by other compilers' `file:line:col: error:` lines", () => {
    expect(parser.detect(Buffer.from("app.c:7:3: error: expected ';' after expression\n"), "build.log")).toBe(false);
    expect(parser.detect(Buffer.from("pkg/a.py:3: error: Name \"x\" is not defined  [name-defined]\n"), "mypy.txt")).toBe(false);
  });
});
