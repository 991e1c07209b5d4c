import { describe, expect, it } from "vitest";
import { ruffParser } from "../../../src/ingest/parsers/ruff.js";
import { parseFailure } from "./json-coverage-fixtures.js";
import { countFindings, findingFixtures, fixtureHead, fixtureText, otherClaimants, parseFixture, parseText } from "./finding-fixtures.js";

const parser = ruffParser;

const mixed = () => JSON.parse(fixtureText("ruff", "ruff-0.16-mixed")) as Record<string, unknown>[];

describe("ruffParser", () => {
  describe.each(findingFixtures("ruff"))("%s", (name, expected) => {
    it("counts what ruff's own summary says", async () => {
      const result = await parseFixture(parser, "ruff", name);
      expect(countFindings(result.findings)).toEqual(expected.counts);
      // "Found 14 errors." counts every diagnostic; "All checks passed!" none.
      const found = /^Found (\d+) errors?\./.exec(expected.toolSummary);
      expect(result.findings).toHaveLength(found === null ? 0 : Number(found[1]));
      expect(result.findings?.filter((finding) => finding.kind === "security")).toHaveLength(expected.security ?? 0);
      expect(result.diagnostics).toEqual([]);
      expect(result).toMatchObject({ format: "ruff", tool: { name: "ruff" }, tests: [], coverage: [] });
    });

    it("is detected as ruff, under a name that says ruff, and by no other parser", () => {
      const head = fixtureHead("ruff", name);
      expect(parser.detect(head, `${name}.json`)).toBe(true);
      expect(otherClaimants(parser, head, `${name}.json`)).toEqual([]);
    });
  });

  it("reads code, message, file, row and column", async () => {
    const { findings = [] } = await parseFixture(parser, "ruff", "ruff-0.16-mixed");
    expect(findings[0]).toEqual({
      tool: "ruff",
      kind: "lint",
      ruleId: "F401",
      level: "error",
      message: "`os` imported but unused",
      file: "/tmp/fx-sa/ruff-proj/nb.ipynb",
      line: 1,
      column: 8,
      reportLine: 2,
    });
    expect(findings.map((finding) => `${finding.file?.split("/").pop()}:${finding.line}:${finding.column} ${finding.ruleId}`)).toEqual([
      "nb.ipynb:1:8 F401",
      "nb.ipynb:2:5 F841",
      "app.py:1:8 F401",
      "app.py:3:1 UP035",
      "app.py:6:26 UP006",
      "app.py:6:38 B006",
      "app.py:7:5 F841",
      "app.py:7:16 S105",
      "app.py:8:14 S602",
      "app.py:9:5 F841",
      "app.py:10:21 F821",
      "app.py:14:5 S101",
      "app.py:18:1 invalid-syntax",
      "app.py:18:7 F821",
    ]);
  });

  it("takes flake8-bandit (S) rules as security findings, the rest as lint", async () => {
    const { findings = [] } = await parseFixture(parser, "ruff", "ruff-0.16-mixed");
    expect(findings.filter((finding) => finding.kind === "security").map((finding) => finding.ruleId)).toEqual(["S105", "S602", "S101"]);
  });

  it("reads a syntax error without a code (ruff before 0.12) with a null rule", async () => {
    // The shape of ruff's own CLI snapshot crates/ruff/tests/snapshots/lint__output_format_json.snap (astral-sh/ruff).
    const old = [
      {
        cell: null,
        code: null,
        end_location: { column: 6, row: 3 },
        filename: "/tmp/input.py",
        fix: null,
        location: { column: 1, row: 3 },
        message: "SyntaxError: Cannot use `match` statement on Python 3.9 (syntax was added in Python 3.10)",
        noqa_row: null,
        url: null,
      },
    ];
    const { findings } = await parseText(parser, JSON.stringify(old, null, 2));
    expect(findings).toMatchObject([{ ruleId: null, level: "error", kind: "lint", line: 3, column: 1, reportLine: 2 }]);
  });

  it.each([
    ["error", "error"],
    ["warning", "warning"],
    ["info", "note"],
    [undefined, "error"],
  ])("maps severity %s to level %s", async (severity, level) => {
    const [first] = mixed();
    const { findings } = await parseText(parser, JSON.stringify([{ ...first, severity }]));
    expect(findings?.[0]?.level).toBe(level);
  });

  it("skips an entry without filename or message, with a warning naming it", async () => {
    const report = mixed().slice(0, 3);
    delete report[1]?.filename;
    const result = await parseText(parser, JSON.stringify(report));
    expect(result.findings).toHaveLength(2);
    expect(result.diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual(['ruff.bad-entry: skipped element 1: it has no "filename" and "message"']);
  });

  it("is not detected in `[]` unless the file name says ruff", () => {
    expect(parser.detect(Buffer.from("[]\n"), "out/ruff.json")).toBe(true);
    expect(parser.detect(Buffer.from("[]\n"), "out/lint.json")).toBe(false);
    expect(parser.detect(Buffer.from("[]\n"), "out/eslint.json")).toBe(false);
  });

  describe("rejects what it cannot read", () => {
    it("an empty file", async () => {
      expect(await parseFailure(parseText(parser, ""))).toMatchInlineSnapshot(`
        "[ingest] report.json: the file is empty
        expected ruff's JSON output (\`ruff check --output-format json\`); check the report path, or name its format explicitly"
      `);
    });
    it("a report cut in its first diagnostic", async () => {
      expect(await parseFailure(parseText(parser, fixtureText("ruff", "ruff-0.16-mixed").slice(0, 300)))).toMatchInlineSnapshot(`
        "[ingest] report.json:16: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("ESLint's JSON output", async () => {
      expect(await parseFailure(parseFixture(parser, "eslint", "eslint-10.15-mixed"))).toMatchInlineSnapshot(`
        "[ingest] eslint/eslint-10.15-mixed.json:1: this looks like ESLint JSON output, not ruff JSON output
        name its format: eslint"
      `);
    });
    it("ruff's SARIF output", async () => {
      expect(await parseFailure(parseFixture(parser, "sarif", "ruff-0.16-mixed"))).toMatchInlineSnapshot(`
        "[ingest] sarif/ruff-0.16-mixed.sarif:1: this looks like a SARIF log, not ruff JSON output
        name its format: sarif"
      `);
    });
    it("an array of something else", async () => {
      expect(await parseFailure(parseText(parser, '[{"rule": "E501"}]'))).toMatchInlineSnapshot(`
        "[ingest] report.json:1: no element is a ruff diagnostic; the first: it has no "filename" and "message"
        expected ruff's JSON output (\`ruff check --output-format json\`); check the report path, or name its format explicitly"
      `);
    });
  });
});
