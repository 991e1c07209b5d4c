import { describe, expect, it } from "vitest";
import { mypyParser } from "../../../src/ingest/parsers/mypy.js";
import type { Finding } from "../../../src/ingest/types.js";
import { parseFailure } from "./json-coverage-fixtures.js";
import { countFindings, findingFixtures, fixtureHead, fixtureText, otherClaimants, parseFixture, parseText } from "./finding-fixtures.js";

const parser = mypyParser;

/** mypy's last line: "Found 7 errors in 2 files (checked 3 source files)" or "Success: no issues found in 2 source files". */
function summaryCounts(summary: string): { errors: number; files: number } {
  if (summary.startsWith("Success:")) return { errors: 0, files: 0 };
  const match = /^Found (\d+) errors? in (\d+) files?/.exec(summary);
  if (match === null) throw new Error(`not a mypy summary: ${summary}`);
  return { errors: Number(match[1]), files: Number(match[2]) };
}

const essentials = (findings: Finding[] = [], withColumns = true) =>
  findings.map(({ snippet: _snippet, reportLine: _reportLine, column, ...rest }) => (withColumns ? { ...rest, column } : rest));

describe("mypyParser", () => {
  describe.each(findingFixtures("mypy"))("%s", (name, expected) => {
    it("counts the errors and files of mypy's summary line", async () => {
      const result = await parseFixture(parser, "mypy", name);
      const counts = countFindings(result.findings);
      expect(counts).toEqual(expected.counts);
      const files = new Set(result.findings?.filter((finding) => finding.level === "error").map((finding) => finding.file));
      expect({ errors: counts.error, files: files.size }).toEqual(summaryCounts(expected.toolSummary));
      expect(result.findings?.every((finding) => finding.tool === "mypy" && finding.kind === "type")).toBe(true);
      expect(result).toMatchObject({ format: "mypy", tool: { name: "mypy" }, tests: [], coverage: [] });
      expect(result.diagnostics.map((d) => d.code)).toEqual(expected.toolSummary.includes("errors prevented further checking") ? ["mypy.incomplete"] : []);
    });

    it("is detected as mypy and by no other parser", () => {
      const head = fixtureHead("mypy", name);
      expect(parser.detect(head, "mypy.txt")).toBe(true);
      expect(otherClaimants(parser, head, "mypy.txt")).toEqual([]);
    });
  });

  it("reads file, line, message and the [code] mypy appends", async () => {
    const { findings = [] } = await parseFixture(parser, "mypy", "mypy-1.0-mixed");
    expect(findings.slice(2, 4)).toEqual([
      {
        tool: "mypy",
        kind: "type",
        ruleId: "import",
        level: "error",
        message: 'Cannot find implementation or library stub for module named "requests_not_installed"',
        file: "pkg/service.py",
        line: 3,
        column: null,
        reportLine: 3,
      },
      {
        tool: "mypy",
        kind: "type",
        ruleId: null,
        level: "note",
        message: "See https://mypy.readthedocs.io/en/stable/running_mypy.html#missing-imports",
        file: "pkg/service.py",
        line: 3,
        column: null,
        reportLine: 4,
      },
    ]);
  });

  it("leaves out --show-error-context headings, which are not messages", async () => {
    const [context, plain] = await Promise.all([parseFixture(parser, "mypy", "mypy-1.0-columns-context"), parseFixture(parser, "mypy", "mypy-1.0-mixed")]);
    expect(essentials(context.findings, false)).toEqual(essentials(plain.findings, false));
    expect(context.findings?.map((finding) => finding.column)).toEqual([20, 14, 1, 1, 23, 17, 12, 12, 1]);
  });

  it("reads --pretty's wrapped messages and source lines as the plain output, with snippets", async () => {
    const [pretty, columns] = await Promise.all([parseFixture(parser, "mypy", "mypy-2.4-pretty"), parseFixture(parser, "mypy", "mypy-2.4-error-end")]);
    expect(essentials(pretty.findings)).toEqual(essentials(columns.findings));
    expect(pretty.findings?.map((finding) => finding.snippet ?? null)).toEqual([
      '    return User(id="1", name="root")',
      'count: int = "zero"',
      "import requests_not_installed",
      null,
      '    return "hello " + user.name',
      null,
      "    return result.lenght",
      "    return n * 2",
      'greet(admin, "extra")',
    ]);
  });

  it("takes no snippet from a source line --pretty cut to the terminal's width", async () => {
    const text = 'a.py:1:60: error: Name "undefined_name" is not defined  [name-defined]\n    ...ery_long_variable_name_here + undefined_name + another_long_name...\n                                      ^~~~~~~~~~~~~~\nFound 1 error in 1 file (checked 1 source file)\n';
    const { findings } = await parseText(parser, text, "mypy.txt");
    expect(findings?.[0]?.snippet).toBeUndefined();
  });

  it("warns when mypy stopped at a blocking error", async () => {
    expect((await parseFixture(parser, "mypy", "mypy-2.4-syntax-error")).diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "mypy.incomplete",
          "file": "mypy/mypy-2.4-syntax-error.txt",
          "level": "warning",
          "line": 2,
          "message": "mypy stopped early (errors prevented further checking): fix those errors, or other type errors stay unseen",
        },
      ]
    `);
  });

  it("warns when the summary line is missing (a cut report) or disagrees with the messages", async () => {
    const text = fixtureText("mypy", "mypy-2.4-mixed");
    const lines = text.split("\n");
    expect((await parseText(parser, lines.slice(0, 5).join("\n"), "mypy.txt")).diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "mypy.no-summary",
          "file": "mypy.txt",
          "level": "warning",
          "message": "the report has no closing "Found N errors" or "Success" line: it may be cut short",
        },
      ]
    `);
    expect((await parseText(parser, lines.slice(1).join("\n"), "mypy.txt")).diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "mypy.count-mismatch",
          "file": "mypy.txt",
          "level": "warning",
          "line": 9,
          "message": "mypy says 7 error(s) in 2 file(s) but the report lists 6 in 2; shipgate uses the list",
        },
      ]
    `);
  });

  it.each([1, 3, 16])("gives the same findings whatever the chunk size (%i bytes)", async (size) => {
    const text = fixtureText("mypy", "mypy-2.4-pretty");
    expect(await parseText(parser, text, "mypy.txt", size)).toEqual(await parseText(parser, text, "mypy.txt"));
  });

  describe("rejects what it cannot read", () => {
    it("an empty file", async () => {
      expect(await parseFailure(parseText(parser, "", "mypy.txt"))).toMatchInlineSnapshot(`
        "[ingest] mypy.txt: the file is empty: mypy always writes at least its summary line
        expected mypy's text output (\`mypy src > mypy.txt\`); check the report path, or name its format explicitly"
      `);
    });
    it("tsc's output", async () => {
      expect(await parseFailure(parseFixture(parser, "tsc", "tsc-5.9-mixed"))).toMatchInlineSnapshot(`
        "[ingest] tsc/tsc-5.9-mixed.txt:1: no line is a mypy message or summary; the first is "src/chain.ts(13,6): error TS2345: Argument of type '{ id: number; name: string; address: { street: string; city: { name:…"
        expected mypy's text output (\`mypy src > mypy.txt\`); check the report path, or name its format explicitly"
      `);
    });
    it("a JSON report", async () => {
      expect(await parseFailure(parseFixture(parser, "ruff", "ruff-0.16-mixed"))).toMatchInlineSnapshot(`
        "[ingest] ruff/ruff-0.16-mixed.json:1: no line is a mypy message or summary; the first is "["
        expected mypy's text output (\`mypy src > mypy.txt\`); check the report path, or name its format explicitly"
      `);
    });
  });

  it("is not fooled by a C compiler's `file:line:col: error:` lines", () => {
    expect(parser.detect(Buffer.from("app.c:7:3: error: expected ';' after expression\n"), "build.log")).toBe(false);
    expect(parser.detect(Buffer.from("Success: no issues found in 12 source files\n"), "mypy.txt")).toBe(true);
  });
});
