import { describe, expect, it } from "vitest";
import { eslintParser } from "../../../src/ingest/parsers/eslint.js";
import { parseFailure } from "./json-coverage-fixtures.js";
import { countFindings, findingFixtures, fixtureHead, fixtureText, otherClaimants, parseFixture, parseText } from "./finding-fixtures.js";

const parser = eslintParser;

/** ESLint's stylish summary: "✖ 10 problems (5 errors, 5 warnings)"; nothing at all for a clean run. */
const stylishCounts = (summary: string) => {
  const match = /✖ (\d+) problems? \((\d+) errors?, (\d+) warnings?\)/.exec(summary);
  return match === null ? { problems: 0, error: 0, warning: 0 } : { problems: Number(match[1]), error: Number(match[2]), warning: Number(match[3]) };
};

const mixed = () => JSON.parse(fixtureText("eslint", "eslint-10.15-mixed")) as Record<string, unknown>[];

describe("eslintParser", () => {
  describe.each(findingFixtures("eslint"))("%s", (name, expected) => {
    it("counts what ESLint's stylish summary says, suppressed messages apart", async () => {
      const result = await parseFixture(parser, "eslint", name);
      const counts = countFindings(result.findings);
      expect(counts).toEqual(expected.counts);
      const stylish = stylishCounts(expected.toolSummary);
      expect({ problems: counts.error + counts.warning, error: counts.error, warning: counts.warning }).toEqual(stylish);
      expect(result.diagnostics).toEqual([]);
      expect(result.findings?.every((finding) => finding.tool === "eslint" && finding.kind === "lint")).toBe(true);
      expect(result).toMatchObject({ format: "eslint", tool: { name: "eslint" }, tests: [], coverage: [] });
    });

    it("is detected as eslint and by no other parser", () => {
      const head = fixtureHead("eslint", name);
      expect(parser.detect(head, `${name}.json`)).toBe(true);
      expect(otherClaimants(parser, head, `${name}.json`)).toEqual([]);
    });
  });

  it("reads rule, level, place and the flagged line from `source`", async () => {
    const { findings = [] } = await parseFixture(parser, "eslint", "eslint-10.15-mixed");
    expect(findings[3]).toEqual({
      tool: "eslint",
      kind: "lint",
      ruleId: "prefer-const",
      level: "warning",
      message: "'unused' is never reassigned. Use 'const' instead.",
      file: "/tmp/fx-sa/eslint-proj/src/app.js",
      line: 5,
      column: 5,
      snippet: 'let unused = "été";',
      reportLine: 1,
    });
  });

  it("takes a parse error (fatal, no rule) as an error, with its line's text", async () => {
    const { findings = [] } = await parseFixture(parser, "eslint", "eslint-10.15-mixed");
    expect(findings.find((finding) => finding.file?.endsWith("broken.js"))).toMatchObject({
      ruleId: null,
      level: "error",
      message: "Parsing error: Unexpected token ;",
      line: 2,
      column: 13,
      snippet: "  return a +;",
    });
  });

  it("reports an unused disable directive at the severity ESLint gave it", async () => {
    const unused = (findings: { message: string; level: string }[] = []) => findings.find((finding) => finding.message.startsWith("Unused eslint-disable"))?.level;
    expect(unused((await parseFixture(parser, "eslint", "eslint-10.15-mixed")).findings)).toBe("warning");
    expect(unused((await parseFixture(parser, "eslint", "eslint-10.15-unused-directives-error")).findings)).toBe("error");
  });

  it("marks suppressedMessages suppressed: comment directives and bulk suppressions alike", async () => {
    const suppressed = async (name: string) =>
      ((await parseFixture(parser, "eslint", name)).findings ?? []).filter((finding) => finding.suppressed === true).map((f) => `${f.file?.split("/").pop()}:${f.line} ${f.ruleId} ${f.level}`);
    expect(await suppressed("eslint-10.15-mixed")).toEqual(["disabled.js:4 no-console warning", "disabled.js:5 no-unused-vars error", "disabled.js:6 no-debugger error"]);
    expect(await suppressed("eslint-10.15-bulk-suppressed")).toEqual([
      "app.js:2 no-unused-vars error",
      "app.js:5 no-unused-vars error",
      "disabled.js:4 no-console warning",
      "disabled.js:5 no-unused-vars error",
      "disabled.js:6 no-debugger error",
    ]);
  });

  it("gives the line of a file with \\r\\n line ends as the snippet, without the \\r", async () => {
    const report = mixed();
    const app = report[0] as { source: string };
    app.source = app.source.replace(/\n/g, "\r\n");
    const { findings = [] } = await parseText(parser, JSON.stringify(report));
    expect(findings.filter((finding) => finding.file?.endsWith("app.js")).map((finding) => finding.snippet)).toContain("  if (quantity == 0) return total;");
  });

  it("gives no line, column or snippet to a message about the whole file", async () => {
    // What ESLint writes for a file passed explicitly but ignored by the config.
    const ignored = [{ filePath: "/p/dist/a.js", messages: [{ ruleId: null, fatal: false, severity: 1, message: "File ignored because of a matching ignore pattern." }], suppressedMessages: [], errorCount: 0, warningCount: 1 }];
    const { findings } = await parseText(parser, JSON.stringify(ignored));
    expect(findings).toEqual([
      { tool: "eslint", kind: "lint", ruleId: null, level: "warning", message: "File ignored because of a matching ignore pattern.", file: "/p/dist/a.js", line: null, column: null, reportLine: 1 },
    ]);
  });

  it("streams elements one at a time, each with the report line where it starts", async () => {
    const pretty = JSON.stringify(mixed(), null, 2);
    const { findings = [] } = await parseText(parser, pretty, "report.json", 7);
    const lines = pretty.split("\n");
    const starts = [...new Set(findings.map((finding) => finding.reportLine))];
    expect(starts.map((line) => lines[(line ?? 0) - 1])).toEqual(["  {", "  {", "  {"]);
    expect(countFindings(findings)).toEqual({ error: 5, warning: 5, note: 0, suppressed: 3 });
  });

  it("says so when a file's errorCount and warningCount disagree with its messages", async () => {
    const report = mixed();
    (report[0] as { errorCount: number }).errorCount = 7;
    const { diagnostics } = await parseText(parser, JSON.stringify(report));
    expect(diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "eslint.count-mismatch",
          "file": "report.json",
          "level": "info",
          "line": 1,
          "message": ""/tmp/fx-sa/eslint-proj/src/app.js" states 7 error(s) and 4 warning(s) but lists 4 and 4; shipgate uses the list",
        },
      ]
    `);
  });

  it("skips an element that is not a file result, with a warning naming it", async () => {
    const report = [42, ...mixed().slice(3)];
    const result = await parseText(parser, JSON.stringify(report));
    expect(countFindings(result.findings)).toEqual({ error: 0, warning: 1, note: 0, suppressed: 3 });
    expect(result.diagnostics.map((d) => `${d.level} ${d.code}: ${d.message}`)).toEqual(["warning eslint.bad-entry: skipped element 0: it is not an object"]);
  });

  it("reads `[]` (no file linted) as no findings, and says so", async () => {
    const result = await parseText(parser, "[]\n");
    expect(result.findings).toEqual([]);
    expect(result.diagnostics.map((d) => d.code)).toEqual(["eslint.no-files"]);
  });

  describe("rejects what it cannot read", () => {
    it("an empty file", async () => {
      expect(await parseFailure(parseText(parser, ""))).toMatchInlineSnapshot(`
        "[ingest] report.json: the file is empty
        expected ESLint's JSON output (\`eslint --format json\`); check the report path, or name its format explicitly"
      `);
    });
    it("a report cut in the middle of a file result, naming its last line", async () => {
      const cut = JSON.stringify(mixed(), null, 2).slice(0, 4000);
      expect(await parseFailure(parseText(parser, cut))).toBe(
        `[ingest] report.json:${cut.split("\n").length}: the file ends before the JSON document does (truncated?)\n` +
          "the file looks truncated or corrupt: regenerate it (nothing from this run was stored)",
      );
    });
    it("a SARIF log", async () => {
      expect(await parseFailure(parseFixture(parser, "sarif", "eslint-10.15-formatter-sarif-3.1-mixed"))).toMatchInlineSnapshot(`
        "[ingest] sarif/eslint-10.15-formatter-sarif-3.1-mixed.sarif:1: this looks like a SARIF log, not ESLint JSON output
        name its format: sarif"
      `);
    });
    it("ruff's JSON output", async () => {
      expect(await parseFailure(parseFixture(parser, "ruff", "ruff-0.16-mixed"))).toMatchInlineSnapshot(`
        "[ingest] ruff/ruff-0.16-mixed.json:1: this looks like ruff JSON output, not ESLint JSON output
        name its format: ruff"
      `);
    });
    it("an object (ESLint's json-with-metadata formatter)", async () => {
      expect(await parseFailure(parseText(parser, '{"results": [], "metadata": {}}'))).toMatchInlineSnapshot(`
        "[ingest] report.json:1: the top-level JSON value is an object, not an array
        expected ESLint's JSON output (\`eslint --format json\`); check the report path, or name its format explicitly"
      `);
    });
    it("an array of something else", async () => {
      expect(await parseFailure(parseText(parser, '[\n  {"file": "a.js", "problems": []}\n]'))).toMatchInlineSnapshot(`
        "[ingest] report.json:2: no element is an ESLint file result; the first: it has no "filePath" and "messages"
        expected ESLint's JSON output (\`eslint --format json\`); check the report path, or name its format explicitly"
      `);
    });
    it("text", async () => {
      expect(await parseFailure(parseFixture(parser, "tsc", "tsc-5.9-mixed"))).toMatchInlineSnapshot(`
        "[ingest] tsc/tsc-5.9-mixed.txt:1: not valid JSON: unexpected "s" at column 1
        expected ESLint's JSON output (\`eslint --format json\`); check the report path, or name its format explicitly"
      `);
    });
  });
});
