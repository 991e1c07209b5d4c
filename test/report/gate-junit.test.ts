import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { SaxesParser } from "saxes";
import { describe, expect, it } from "vitest";
import { readReport } from "../../src/ingest/read-report.js";
import type { TestCase } from "../../src/ingest/types.js";
import { renderGateJunit } from "../../src/report/gate-junit.js";
import { oneLine } from "../../src/report/text.js";
import type { GateResult } from "../../src/gate/types.js";
import { condition, goResult, item, noGoNames, noGoResult, resultWith } from "./gate-result-fixture.js";

const tmpRoot = fileURLToPath(new URL("../../.test-tmp/", import.meta.url));

/** Renders, writes the report to a file and reads it back with shipgate's own JUnit parser. */
async function roundTrip(result: GateResult): Promise<{ xml: string; tests: TestCase[] }> {
  mkdirSync(tmpRoot, { recursive: true });
  const path = join(mkdtempSync(join(tmpRoot, "gate-junit-")), "gate.xml");
  const xml = renderGateJunit(result);
  writeFileSync(path, xml);
  const { source, result: ingested } = await readReport(path);
  expect(source.format).toBe("junit");
  expect(ingested.diagnostics).toEqual([]);
  return { xml, tests: ingested.tests };
}

/** Throws on anything a conforming XML 1.0 parser rejects (our reader is lenient by design). */
function assertWellFormed(xml: string): void {
  const parser = new SaxesParser({ xmlns: false });
  parser.on("error", (error) => {
    throw error;
  });
  parser.write(xml).close();
}

/** A conforming parser's view of every attribute and text, for comparing escaped content. */
function parseStrict(xml: string): { attributes: Record<string, string>[]; texts: string[] } {
  const parser = new SaxesParser({ xmlns: false });
  const attributes: Record<string, string>[] = [];
  const texts: string[] = [];
  parser.on("error", (error) => {
    throw error;
  });
  parser.on("opentag", (tag) => attributes.push({ "#name": tag.name, ...(tag.attributes as Record<string, string>) }));
  parser.on("text", (text) => {
    if (text.trim() !== "") texts.push(text);
  });
  parser.write(xml).close();
  return { attributes, texts };
}

describe("renderGateJunit", () => {
  it("writes one test case per condition, failed exactly where the condition failed", async () => {
    const { xml, tests } = await roundTrip(noGoResult);
    assertWellFormed(xml);
    expect(tests).toHaveLength(noGoResult.conditions.length);
    expect(tests.map((t) => t.name)).toEqual(noGoNames);
    expect(tests.map((t) => t.status)).toEqual(noGoResult.conditions.map((c) => (c.verdict === "fail" ? "failed" : "passed")));
    expect(tests.filter((t) => t.status === "failed").map((t) => t.name)).toEqual([
      "tests.failed <= 0",
      "new:findings.error <= 0 [no-new-lint-errors]",
      "new:coverage.lines >= 80",
      "score >= 70",
    ]);
    for (const test of tests) {
      expect(test.suite).toEqual(["shipgate gate release"]);
      expect(test.classname).toBe("shipgate.gate.release");
    }
    expect(tests[2]?.message).toBe("new:coverage.lines >= 80: 57.14, needs >= 80; coverage of 14 changed lines");
    expect(tests[7]?.message).toBe("score >= 70: 62, needs >= 70; readiness score");
  });

  it("counts tests and failures and stamps the snapshot's time on the suite", () => {
    const { attributes } = parseStrict(renderGateJunit(noGoResult));
    const suites = attributes.filter((a) => a["#name"] === "testsuites" || a["#name"] === "testsuite");
    expect(suites).toEqual([
      { "#name": "testsuites", name: "shipgate", tests: "8", failures: "4", errors: "0", skipped: "0" },
      { "#name": "testsuite", name: "shipgate gate release", tests: "8", failures: "4", errors: "0", skipped: "0", timestamp: "2026-03-14T09:26:53.000Z" },
    ]);
    expect(attributes.filter((a) => a["#name"] === "failure").every((a) => a.type === "gate")).toBe(true);
    expect(attributes.some((a) => a["#name"] === "skipped")).toBe(false);
  });

  it("lists value, threshold, reason and items in the failure body", () => {
    const { texts } = parseStrict(renderGateJunit(noGoResult));
    expect(texts[0]).toMatchInlineSnapshot(`
      "value: 2
      threshold: <= 0
      explanation: 2 failing tests

      items (2):
        test/cart.test.ts cart > applies the discount failed: expected 90, got 100 (test-failure)
        smoke::checkout smoke errored: timed out after 5000 ms (test-failure)"
    `);
    const noData = renderGateJunit(
      resultWith([condition({ metric: "coverage.lines", scope: "new", threshold: 80, verdict: "fail", value: null, met: null, missing: "no coverage report", explanation: "coverage of changed lines" })]),
    );
    expect(parseStrict(noData).texts[0]).toContain("missing: no coverage report");
    expect(parseStrict(noData).attributes.find((a) => a["#name"] === "failure")?.message).toBe(
      "new:coverage.lines >= 80: no data (no coverage report), needs >= 80; coverage of changed lines",
    );
  });

  it("caps the items of a failure body and says how many more there were", () => {
    const items = Array.from({ length: 60 }, (_, i) => item({ kind: "finding", ruleId: "r", message: `m${i}`, file: "src/a.ts", line: i + 1, key: `k${i}` }));
    const xml = renderGateJunit(resultWith([condition({ metric: "findings.error", verdict: "fail", value: 120, items, itemsTotal: 120 })]));
    const body = parseStrict(xml).texts[0] ?? "";
    expect(body).toContain("items (50 of 120):");
    expect(body).toContain("src/a.ts:50 m49 (r)");
    expect(body).not.toContain("m50 ");
    expect(body).toContain("… and 70 more");
  });

  it("writes warnings and waivers as passing cases that say so in system-out", () => {
    const { texts } = parseStrict(renderGateJunit(resultWith([noGoResult.conditions[3]!, noGoResult.conditions[4]!])));
    expect(texts).toMatchInlineSnapshot(`
      [
        "warning: 1, needs <= 0 (severity warn: does not block the gate)
      explanation: 1 broken link in the docs
        README.md:14 link to ./docs/setup.md: no such file (broken-link)",
        "waived: 1, needs <= 0
      waiver: no fix released yet; not reachable from our code (owner alice, expires 2026-04-30)
      explanation: 1 high advisory
        lodash: prototype pollution (npm-audit/GHSA-xxxx-yyyy-zzzz)",
      ]
    `);
  });

  it("renders a GO gate with no failures", async () => {
    const { xml, tests } = await roundTrip(goResult);
    expect(tests.map((t) => [t.name, t.status])).toEqual([
      ["tests.failed <= 0", "passed"],
      ["coverage.lines >= 60", "passed"],
    ]);
    expect(xml).toContain('<testsuite name="shipgate gate pr" tests="2" failures="0" errors="0" skipped="0"');
  });

  it("is deterministic", () => {
    expect(renderGateJunit(noGoResult)).toBe(renderGateJunit(structuredClone(noGoResult)));
  });

  it("regression: hostile text (]]>, <, &, quotes, control characters) still reads back as written, minus controls and what XML cannot hold", async () => {
    const hostile = `a ]]> b <x/> & "double" 'single' \u0000\u0008\u000b\u001b\uFFFE\uD800 tab\there\r\nnext line`;
    // Controls go (CRLF becomes LF), a lone surrogate becomes U+FFFD, U+FFFE (not an XML character) goes.
    const readable = `a ]]> b <x/> & "double" 'single' \uFFFD tab\there\nnext line`;
    const result = resultWith(
      [
        condition({
          id: `weird & <id> "q" 'a'`,
          metric: "findings.error",
          op: "<=",
          threshold: 0,
          verdict: "fail",
          value: 1,
          explanation: hostile,
          items: [item({ kind: "finding", ruleId: "r<1>", message: hostile, file: "src/<a>&b.ts", line: 3, key: "k" })],
        }),
        condition({ metric: "docs.brokenLinks", severity: "warn", verdict: "warn", value: 1, explanation: hostile }),
      ],
      `rel"ease<&>`,
    );
    const { xml, tests } = await roundTrip(result);
    assertWellFormed(xml);
    const notXml = [...xml].filter((c) => {
      const code = c.codePointAt(0) ?? 0;
      return (code < 0x20 && c !== "\t" && c !== "\n" && c !== "\r") || code === 0xfffe || (code >= 0xd800 && code <= 0xdfff);
    });
    expect(notXml).toEqual([]);
    expect(tests.map((t) => [t.name, t.status, t.classname])).toEqual([
      [`findings.error <= 0 [weird & <id> "q" 'a']`, "failed", `shipgate.gate.rel"ease<&>`],
      ["docs.brokenLinks >= 0", "passed", `shipgate.gate.rel"ease<&>`],
    ]);
    expect(tests[0]?.message).toBe(`findings.error <= 0 [weird & <id> "q" 'a']: 1, needs <= 0; ${readable}`);
    const { texts } = parseStrict(xml);
    expect(texts[0]).toContain(`explanation: ${readable}`);
    // Items are one line each (a report must not be able to start a line of its own).
    const itemLine = texts[0]?.split("\n").find((l) => l.includes("src/<a>&b.ts:3")) ?? "";
    expect(itemLine.replace(/\s+/g, " ")).toBe(` src/<a>&b.ts:3 ${oneLine(readable)} (r<1>)`.replace(/\s+/g, " "));
    expect(texts[1]).toContain(`explanation: ${readable}`);
  });
});
