import { describe, expect, it } from "vitest";
import { sarifParser } from "../../../src/ingest/parsers/sarif.js";
import type { Finding } from "../../../src/ingest/types.js";
import { parseFailure } from "./json-coverage-fixtures.js";
import { countFindings, findingFixtures, fixtureHead, fixtureText, otherClaimants, parseFixture, parseText } from "./finding-fixtures.js";
import type { Counts } from "./finding-fixtures.js";

const parser = sarifParser;

/** What each producer printed about its run, read into counts (the SARIF tutorials' samples say it in their messages). */
const SUMMARIES: Record<string, (summary: string) => Partial<Counts>> = {
  // ESLint's stylish line counts the parse error and the unused directive, which the formatter writes as notifications.
  "eslint-10.15-formatter-sarif-3.1-mixed": (s) => {
    const [, , errors, warnings] = /✖ (\d+) problems \((\d+) errors, (\d+) warnings\)/.exec(s) ?? [];
    return { error: Number(errors) - 1, warning: Number(warnings) - 1 };
  },
  "biome-2.6-lint": (s) => ({ error: Number(/Found (\d+) errors/.exec(s)?.[1]), warning: Number(/Found (\d+) warnings/.exec(s)?.[1]) }),
  "ruff-0.16-mixed": (s) => ({ error: Number(/Found (\d+) errors/.exec(s)?.[1]) }),
  "clang-14.0-analyzer": (s) => ({ warning: Number(/(\d+) warnings generated/.exec(s)?.[1]) }),
  "ansible-lint-6.13-playbook": (s) => ({ error: Number(/(\d+) failure\(s\)/.exec(s)?.[1]), warning: Number(/(\d+) warning\(s\)/.exec(s)?.[1]) }),
};

const SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
/** A SARIF log of one run of a made-up tool, for the rules no real producer here exercises. */
const log = (results: unknown[], tool: Record<string, unknown> = {}, run: Record<string, unknown> = {}) =>
  JSON.stringify({ version: "2.1.0", $schema: SCHEMA, runs: [{ tool: { driver: { name: "Demo", ...tool } }, results, ...run }] }, null, 2);
const result = (extra: Record<string, unknown> = {}) => ({ ruleId: "R1", message: { text: "a problem" }, ...extra });
const parseLog = async (text: string): Promise<Finding[]> => (await parseText(parser, text, "log.sarif")).findings ?? [];
const located = (uri: string, uriBaseId?: string) => ({
  locations: [{ physicalLocation: { artifactLocation: uriBaseId === undefined ? { uri } : { uri, uriBaseId }, region: { startLine: 3, startColumn: 7 } } }],
});

/** Findings without the report line, which moves when a log is re-serialised. */
const essentials = (findings: Finding[] = []) => findings.map(({ reportLine: _reportLine, ...rest }) => rest);

describe("sarifParser", () => {
  describe.each(findingFixtures("sarif"))("%s", (name, expected) => {
    it("counts findings by level as the producer said, suppressed ones apart", async () => {
      const { findings, diagnostics } = await parseFixture(parser, "sarif", name);
      expect(countFindings(findings)).toEqual(expected.counts);
      const summary = SUMMARIES[name];
      if (summary !== undefined) expect(countFindings(findings)).toMatchObject(summary(expected.toolSummary));
      expect(findings?.filter((finding) => finding.kind === "security")).toHaveLength(expected.security ?? 0);
      expect(diagnostics.filter((d) => d.code === "sarif.tool-notification")).toHaveLength(expected.notifications ?? 0);
      expect(diagnostics.filter((d) => d.code !== "sarif.tool-notification" && d.code !== "sarif.execution-failed")).toEqual([]);
    });

    it("is detected as sarif and by no other parser", () => {
      const head = fixtureHead("sarif", name);
      expect(parser.detect(head, `${name}.sarif`)).toBe(true);
      expect(otherClaimants(parser, head, `${name}.sarif`)).toEqual([]);
    });
  });

  it("reads ESLint's SARIF as ESLint's JSON, but for what the formatter writes as notifications", async () => {
    const sarif = await parseFixture(parser, "sarif", "eslint-10.15-formatter-sarif-3.1-mixed");
    expect(sarif.tool).toEqual({ name: "ESLint", version: "10.15.0" });
    expect(essentials(sarif.findings)[0]).toEqual({
      tool: "ESLint",
      kind: "lint",
      ruleId: "no-unused-vars",
      level: "error",
      message: "'readFileSync' is defined but never used.",
      file: "/tmp/fx-sa/eslint-proj/src/app.js",
      line: 2,
      column: 10,
    });
    expect(sarif.diagnostics).toMatchInlineSnapshot(`
      [
        {
          "code": "sarif.execution-failed",
          "file": "sarif/eslint-10.15-formatter-sarif-3.1-mixed.sarif",
          "level": "warning",
          "message": "ESLint says its run did not complete (invocations[].executionSuccessful is false): its findings may be incomplete",
        },
        {
          "code": "sarif.tool-notification",
          "file": "sarif/eslint-10.15-formatter-sarif-3.1-mixed.sarif",
          "level": "warning",
          "line": 380,
          "message": "ESLint reported an error, not a result: Parsing error: Unexpected token ; (/tmp/fx-sa/eslint-proj/src/broken.js:2)",
        },
        {
          "code": "sarif.tool-notification",
          "file": "sarif/eslint-10.15-formatter-sarif-3.1-mixed.sarif",
          "level": "warning",
          "line": 403,
          "message": "ESLint reported a warning, not a result: Unused eslint-disable directive (no problems were reported from 'no-alert'). (/tmp/fx-sa/eslint-proj/src/disabled.js:1)",
        },
      ]
    `);
  });

  it("reads a run whose results come before its tool (ruff, clang, semgrep sort their keys)", async () => {
    const { findings = [] } = await parseFixture(parser, "sarif", "ruff-0.16-mixed");
    expect(findings.map((finding) => `${finding.file?.split("/").pop()}:${finding.line} ${finding.ruleId} ${finding.kind}`).slice(0, 12)).toEqual([
      "nb.ipynb:1 F401 lint",
      // ruff's SARIF counts a notebook's rows across its code cells; its JSON gives cell 3, row 2.
      "nb.ipynb:5 F841 lint",
      "app.py:1 F401 lint",
      "app.py:3 UP035 lint",
      "app.py:6 UP006 lint",
      "app.py:6 B006 lint",
      "app.py:7 F841 lint",
      "app.py:7 S105 security",
      "app.py:8 S602 security",
      "app.py:9 F841 lint",
      "app.py:10 F821 lint",
      "app.py:14 S101 security",
    ]);
    expect(findings.every((finding) => finding.tool === "ruff")).toBe(true);
  });

  it("takes the level from the rule's default configuration even when the rules come after the results", async () => {
    // ESLint's log with every result's level removed and the tool moved after the results.
    const eslint = JSON.parse(fixtureText("sarif", "eslint-10.15-formatter-sarif-3.1-mixed")) as { runs: { tool: { driver: { rules: Record<string, unknown>[] } }; results: Record<string, unknown>[] }[] };
    const [run] = eslint.runs;
    if (run === undefined) throw new Error("no run");
    for (const rule of run.tool.driver.rules) rule.defaultConfiguration = { level: "note" };
    for (const each of run.results) delete each.level;
    const { tool, ...rest } = run;
    const reordered = JSON.stringify({ ...eslint, runs: [{ ...rest, tool }] });
    expect(countFindings(await parseLog(reordered))).toEqual({ error: 0, warning: 0, note: 8, suppressed: 3 });
  });

  it("resolves uriBaseId through originalUriBaseIds that come after the results (ansible-lint)", async () => {
    const { findings = [] } = await parseFixture(parser, "sarif", "ansible-lint-6.13-playbook");
    expect(new Set(findings.map((finding) => finding.file))).toEqual(new Set(["/tmp/fx-sa/ansible-proj/site.yml"]));
    expect(findings[0]).toMatchObject({ ruleId: "name[play]", level: "error", line: 2, column: null });
  });

  it("resolves the SARIF tutorials' chained uriBaseIds (SRCROOT relative to a REPOROOT without uri)", async () => {
    const { findings = [] } = await parseFixture(parser, "sarif", "sarif-tutorials-2.1-original-uri-base-ids");
    expect(findings.map((finding) => finding.file)).toEqual(["README.md", "src/io/kb.c", "."]);
  });

  it("takes semgrep's snippet and leaves its undefined %SRCROOT% paths relative", async () => {
    const { findings = [] } = await parseFixture(parser, "sarif", "semgrep-1.x-nosemgrep");
    expect(essentials(findings)).toEqual([
      {
        tool: "Semgrep OSS",
        kind: "security",
        ruleId: "rules.regex.detected-aws-account-id",
        level: "error",
        message: "AWS Account ID detected",
        file: "targets/basic/regex-nosemgrep.txt",
        line: 1,
        column: 1,
        snippet: "aws_account_id = 123456789012  # nosemgrep",
        suppressed: true,
      },
      {
        tool: "Semgrep OSS",
        kind: "security",
        ruleId: "rules.regex.detected-aws-account-id",
        level: "error",
        message: "AWS Account ID detected",
        file: "targets/basic/regex-nosemgrep.txt",
        line: 3,
        column: 1,
        snippet: "aws_account_id:123456789012",
      },
    ]);
  });

  it("suppresses the SARIF tutorials' results only where a suppression is accepted", async () => {
    const { findings = [] } = await parseFixture(parser, "sarif", "sarif-tutorials-2.1-suppressions");
    expect(findings.map((finding) => [finding.message, finding.suppressed === true])).toEqual([
      ["This result is visible because it is not suppressed.", false],
      ["This result is hidden because it is suppressed in source.", true],
      ["This result is hidden because it is suppressed externally.", true],
      ["This result is visible because its suppression was rejected.", false],
      ["This result is hidden because its suppression was accepted.", true],
      ["This result is visible because its suppression is still under review.", false],
      ["This result is hidden because at least one suppression was accepted.", true],
      ["This result is hidden because it has at least one unqualified suppression.", true],
      // The sample's viewer hides it; under review is not accepted, so shipgate still counts it.
      ["This result is hidden because at least one suppression has not yet been rejected (it is still under review).", false],
    ]);
  });

  it("lets ruleIndex decide over ruleId (the tutorials' default rule configuration sample)", async () => {
    const { findings = [] } = await parseFixture(parser, "sarif", "sarif-tutorials-2.1-default-rule-configuration");
    expect(findings.map(({ ruleId, level, file }) => ({ ruleId, level, file }))).toEqual([
      { ruleId: "TUT1001", level: "error", file: "C:/code/myProject/io/kb.c" },
      { ruleId: "TUT1002", level: "warning", file: "C:/code/myProject/io/file.c" },
    ]);
  });

  describe("level: result.level, then the rule's defaultConfiguration.level, then warning", () => {
    const rules = [
      { id: "R1", defaultConfiguration: { level: "error" } },
      { id: "R2", defaultConfiguration: { level: "note" } },
      { id: "OFF", defaultConfiguration: { level: "none" } },
    ];
    const extensions = [{ name: "plugin", rules: [{ id: "X1", defaultConfiguration: { level: "note" } }, { id: "R1", defaultConfiguration: { level: "warning" } }] }];
    it.each([
      ["the result's own level", result({ level: "note" }), "note"],
      ["the rule found by ruleId", result(), "error"],
      ["the rule found by ruleIndex", result({ ruleId: undefined, ruleIndex: 1 }), "note"],
      ["the rule of rule.id", result({ ruleId: undefined, rule: { id: "R2" } }), "note"],
      ["the rule of an extension named by rule.toolComponent.index", result({ rule: { id: "R1", index: 1, toolComponent: { index: 0 } } }), "warning"],
      ["the rule of an extension named by rule.toolComponent.name", result({ rule: { id: "R1", toolComponent: { name: "plugin" } } }), "warning"],
      ["a rule found only among the extensions' rules", result({ ruleId: "X1" }), "note"],
      ["the rule of a hierarchical id (R2/sub)", result({ ruleId: "R2/sub" }), "note"],
      ["no result level and no such rule", result({ ruleId: "UNKNOWN" }), "warning"],
      ["no result level and no rule at all", result({ ruleId: undefined }), "warning"],
    ])("%s", async (_, each, level) => {
      const findings = await parseLog(log([each], { rules }, { tool: { driver: { name: "Demo", rules }, extensions } }));
      expect(findings.map((finding) => finding.level)).toEqual([level]);
    });

    it('leaves out results of level "none", by the result or by the rule, and says how many', async () => {
      const text = log([result({ level: "none" }), result({ ruleId: "OFF" }), result()], { rules });
      const { findings, diagnostics } = await parseText(parser, text, "log.sarif");
      expect(findings?.map((finding) => finding.level)).toEqual(["error"]);
      expect(diagnostics.map((d) => d.message)).toEqual(['left out 2 of level "none": such results report no problem']);
    });

    it("takes an unknown level as a warning, and says so once", async () => {
      const { findings, diagnostics } = await parseText(parser, log([result({ level: "critical" }), result({ level: "critical" })]), "log.sarif");
      expect(findings?.map((finding) => finding.level)).toEqual(["warning", "warning"]);
      expect(diagnostics.map((d) => `${d.code}: ${d.message}`)).toEqual(['sarif.bad-level: results with level "critical", which SARIF does not define, were taken as warnings']);
    });
  });

  describe('kind: only "fail" (the default) is a finding', () => {
    it.each(["pass", "open", "review", "informational", "notApplicable"])("leaves out kind %s", async (kind) => {
      const { findings, diagnostics } = await parseText(parser, log([result({ kind, level: "none" }), result({ kind })]), "log.sarif");
      expect(findings).toEqual([]);
      expect(diagnostics.map((d) => d.code)).toEqual(["sarif.not-findings"]);
    });
    it.each([["fail"], [undefined]])("keeps kind %s", async (kind) => {
      expect(await parseLog(log([result({ kind, level: "error" })]))).toHaveLength(1);
    });
  });

  describe("suppressed: when any suppression's status is accepted or absent", () => {
    it.each([
      [[], false],
      [[{ kind: "inSource" }], true],
      [[{ kind: "external", status: "accepted", justification: "false positive" }], true],
      [[{ kind: "external", status: "underReview" }], false],
      [[{ kind: "external", status: "rejected" }], false],
      [[{ kind: "external", status: "underReview" }, { kind: "external", status: "rejected" }], false],
      [[{ kind: "external", status: "rejected" }, { kind: "inSource" }], true],
    ])("%j → %s", async (suppressions, suppressed) => {
      const [finding] = await parseLog(log([result({ suppressions })]));
      expect(finding?.suppressed === true).toBe(suppressed);
    });
  });

  describe("file: the artifact URI, resolved through originalUriBaseIds, as a path", () => {
    const bases = {
      REPO: { uri: "file:///work/proj/" },
      SRC: { uri: "src/", uriBaseId: "REPO" },
      NOSLASH: { uri: "file:///work/other" },
      NOURI: { description: { text: "wherever the repository was cloned" } },
      WEB: { uri: "https://example.com/base/" },
    };
    it.each([
      ["file:///tmp/a%20b/c.js", undefined, "/tmp/a b/c.js"],
      ["file:///C:/code/x.c", undefined, "C:/code/x.c"],
      ["file://server/share/x.c", undefined, "//server/share/x.c"],
      ["/abs/path.js", undefined, "/abs/path.js"],
      ["src/a%2Bb.ts", undefined, "src/a+b.ts"],
      ["a.js", "REPO", "/work/proj/a.js"],
      ["io/kb.c", "SRC", "/work/proj/src/io/kb.c"],
      ["../lib/x.js", "SRC", "/work/proj/lib/x.js"],
      ["a.js", "NOSLASH", "/work/other/a.js"],
      ["a.js", "NOURI", "a.js"],
      ["a.js", "%SRCROOT%", "a.js"],
      ["x.js", "WEB", "https://example.com/base/x.js"],
      ["file:///abs/y.js", "REPO", "/abs/y.js"],
    ])("%s with uriBaseId %s → %s", async (uri, uriBaseId, file) => {
      const [finding] = await parseLog(log([result(located(uri, uriBaseId))], {}, { originalUriBaseIds: bases }));
      expect(finding).toMatchObject({ file, line: 3, column: 7 });
    });

    it("follows an artifactLocation that gives only an index into run.artifacts", async () => {
      const artifacts = [{ location: { uri: "a.js", uriBaseId: "REPO" }, contents: { text: "const a = 1;\n" } }];
      const only = { locations: [{ physicalLocation: { artifactLocation: { index: 0 }, region: { startLine: 1 } } }] };
      const [finding] = await parseLog(log([result(only)], {}, { artifacts, originalUriBaseIds: { REPO: { uri: "file:///r/" } } }));
      expect(finding).toMatchObject({ file: "/r/a.js", line: 1, column: null });
    });

    it("leaves a path relative, and says why, when the base ids refer to each other in a cycle", async () => {
      const cycle = { A: { uri: "a/", uriBaseId: "B" }, B: { uri: "b/", uriBaseId: "A" } };
      const { findings, diagnostics } = await parseText(parser, log([result(located("x.js", "A"))], {}, { originalUriBaseIds: cycle }), "log.sarif");
      expect(findings?.[0]?.file).toBe("x.js");
      expect(diagnostics.map((d) => d.message)).toEqual(['run 0: originalUriBaseIds refer to each other in a cycle (A → B → A); "x.js" is left unresolved']);
    });

    it("gives no file, line or column to a result without a physical location", async () => {
      const logical = { locations: [{ logicalLocations: [{ fullyQualifiedName: "pkg.mod.f" }] }] };
      expect(await parseLog(log([result(logical)]))).toMatchObject([{ file: null, line: null, column: null }]);
    });
  });

  it("fills a message template of the rule's messageStrings with the result's arguments", async () => {
    const rules = [{ id: "R1", messageStrings: { default: { text: "'{0}' flows into '{1}' ({2})" } } }];
    const [finding] = await parseLog(log([result({ message: { id: "default", arguments: ["input", "eval"] } })], { rules }));
    expect(finding?.message).toBe("'input' flows into 'eval' ({2})");
  });

  describe("kind: security for security-tagged rules and results, SAST drivers and security rule families", () => {
    it.each([
      ["a rule tagged security", { rules: [{ id: "R1", properties: { tags: ["correctness", "security"] } }] }, result(), "security"],
      ["a result tagged Security", {}, result({ properties: { tags: ["Security"] } }), "security"],
      ["a CodeQL result", { name: "CodeQL" }, result(), "security"],
      ["a Semgrep OSS result", { name: "Semgrep OSS" }, result(), "security"],
      ["a ruff flake8-bandit rule", { name: "ruff" }, result({ ruleId: "S602" }), "security"],
      ["another ruff rule", { name: "ruff" }, result({ ruleId: "F401" }), "lint"],
      ["a clang security.* checker", { name: "clang" }, result({ ruleId: "security.insecureAPI.strcpy" }), "security"],
      ["an untagged lint rule", { name: "ESLint" }, result(), "lint"],
    ])("%s", async (_, tool, each, kind) => {
      expect((await parseLog(log([each], tool))).map((finding) => finding.kind)).toEqual([kind]);
    });
  });

  it("reads every run of a log with several, naming each finding's tool, and the first run's tool as the producer", async () => {
    const eslint = JSON.parse(fixtureText("sarif", "eslint-10.15-formatter-sarif-3.1-mixed")) as { runs: unknown[] };
    const biome = JSON.parse(fixtureText("sarif", "biome-2.6-lint")) as { runs: unknown[] };
    const both = await parseText(parser, JSON.stringify({ ...eslint, runs: [...eslint.runs, ...biome.runs] }), "log.sarif");
    expect(both.tool).toEqual({ name: "ESLint", version: "10.15.0" });
    expect(countFindings(both.findings?.filter((finding) => finding.tool === "ESLint"))).toEqual({ error: 4, warning: 4, note: 0, suppressed: 3 });
    expect(countFindings(both.findings?.filter((finding) => finding.tool === "Biome"))).toEqual({ error: 2, warning: 4, note: 0, suppressed: 0 });
  });

  it("gives the same findings whatever the chunk size", async () => {
    const text = fixtureText("sarif", "ansible-lint-6.13-playbook");
    expect(await parseText(parser, text, "log.sarif", 5)).toEqual(await parseText(parser, text, "log.sarif"));
  });

  describe("rejects what it cannot read", () => {
    const eslintLog = () => JSON.parse(fixtureText("sarif", "eslint-10.15-formatter-sarif-3.1-mixed")) as Record<string, unknown>;

    it("a log with zero runs, naming the line of its empty runs", async () => {
      const text = JSON.stringify({ ...eslintLog(), runs: [] }, null, 2);
      expect(await parseFailure(parseText(parser, text, "log.sarif"))).toMatchInlineSnapshot(`
        "[ingest] log.sarif:4: the SARIF log has no runs: the tool wrote no analysis at all
        check that the tool ran (an empty or null "runs" is what a tool writes when it could not start), then regenerate the report"
      `);
    });
    it('a log whose "runs" is null (a tool that failed to start)', async () => {
      expect(await parseFailure(parseText(parser, `{\n  "version": "2.1.0",\n  "$schema": "${SCHEMA}",\n  "runs": null\n}\n`, "log.sarif"))).toMatchInlineSnapshot(`
        "[ingest] log.sarif:4: the SARIF log has no runs: the tool wrote no analysis at all
        check that the tool ran (an empty or null "runs" is what a tool writes when it could not start), then regenerate the report"
      `);
    });
    it("an object without runs", async () => {
      expect(await parseFailure(parseText(parser, `{"version": "2.1.0", "$schema": "${SCHEMA}"}`, "log.sarif"))).toMatchInlineSnapshot(`
        "[ingest] log.sarif: the log has no "runs", which every SARIF log has
        expected a SARIF 2.1.0 log (\`--format sarif\` of ESLint, CodeQL, Semgrep, ruff, …); check the report path, or name its format explicitly"
      `);
    });
    it("SARIF 1.0 (BinSkim 1.5)", async () => {
      const v1 = `{\n  "$schema": "http://json.schemastore.org/sarif-1.0.0",\n  "version": "1.0.0",\n  "runs": [\n    {\n      "tool": {"name": "BinSkim"},\n      "results": []\n    }\n  ]\n}`;
      expect(await parseFailure(parseText(parser, v1, "log.sarif"))).toMatchInlineSnapshot(`
        "[ingest] log.sarif:3: this is SARIF version "1.0.0"; shipgate reads SARIF 2.1.0
        have the tool write SARIF 2.1.0 (most tools do since 2019), or convert the log with the SARIF SDK (\`sarif transform --sarif-output-version Current\`)"
      `);
    });
    it("malformed JSON, naming the line", async () => {
      const text = fixtureText("sarif", "clang-14.0-analyzer").replace('"startLine": 20', '"startLine": 20,,');
      expect(await parseFailure(parseText(parser, text, "log.sarif"))).toMatchInlineSnapshot(`
        "[ingest] log.sarif:222: not valid JSON: unexpected "," at column 45
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("a log cut after some results", async () => {
      const text = fixtureText("sarif", "ansible-lint-6.13-playbook");
      expect(await parseFailure(parseText(parser, text.slice(0, text.length - 400), "log.sarif"))).toMatchInlineSnapshot(`
        "[ingest] log.sarif:409: the file ends before the JSON document does (truncated?)
        the file looks truncated or corrupt: regenerate it (nothing from this run was stored)"
      `);
    });
    it("an empty file", async () => {
      expect(await parseFailure(parseText(parser, "", "log.sarif"))).toMatchInlineSnapshot(`
        "[ingest] log.sarif: the file is empty
        expected a SARIF 2.1.0 log (\`--format sarif\` of ESLint, CodeQL, Semgrep, ruff, …); check the report path, or name its format explicitly"
      `);
    });
    it("results that are not results", async () => {
      expect(await parseFailure(parseText(parser, log([1, "two", { ruleId: "R1" }]), "log.sarif"))).toMatchInlineSnapshot(`
        "[ingest] log.sarif:12: no result of the log can be read; the first: it is not an object
        expected a SARIF 2.1.0 log (\`--format sarif\` of ESLint, CodeQL, Semgrep, ruff, …); check the report path, or name its format explicitly"
      `);
    });
    it("ESLint's JSON output", async () => {
      expect(await parseFailure(parseFixture(parser, "eslint", "eslint-10.15-mixed"))).toMatchInlineSnapshot(`
        "[ingest] eslint/eslint-10.15-mixed.json:1: this looks like ESLint JSON output, not a SARIF log
        name its format: eslint"
      `);
    });
    it("a coverage report", async () => {
      expect(await parseFailure(parseText(parser, '{"meta": {"version": "7.6.1", "format": 3}, "files": {}}', "coverage.json"))).toMatchInlineSnapshot(`
        "[ingest] coverage.json:1: this looks like coverage.py JSON (coverage json), not a SARIF log
        name its format: coveragepy"
      `);
    });
    it("tsc's output", async () => {
      expect(await parseFailure(parseFixture(parser, "tsc", "tsc-5.9-mixed"))).toMatchInlineSnapshot(`
        "[ingest] tsc/tsc-5.9-mixed.txt:1: not valid JSON: unexpected "s" at column 1
        expected a SARIF 2.1.0 log (\`--format sarif\` of ESLint, CodeQL, Semgrep, ruff, …); check the report path, or name its format explicitly"
      `);
    });
  });
});
