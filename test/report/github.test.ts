import { describe, expect, it } from "vitest";
import { renderGithubAnnotations } from "../../src/report/github.js";
import { condition, goResult, item, noGoResult, resultWith } from "./gate-result-fixture.js";

const lines = (text: string): string[] => text.split("\n").filter((line) => line !== "");

/** One failing condition with one item carrying `message` in `file`. */
const oneItem = (message: string, file: string | null = "src/a.ts", gate = "release") =>
  resultWith([condition({ metric: "findings.error", op: "<=", verdict: "fail", value: 1, items: [item({ kind: "finding", ruleId: "r", message, file, line: 3, key: "k" })] })], gate);

describe("renderGithubAnnotations", () => {
  it.each([
    ["plain text", "plain text"],
    ["100% done", "100%25 done"],
    ["%0A is not a newline", "%250A is not a newline"],
    ["line one\nline two", "line one%0Aline two"],
    ["windows\r\nending", "windows%0Aending"],
    ["a: b, c", "a: b, c"],
    ["::error::injected", "::error::injected"],
    ["\u001b[31mred\u001b[0m \u202egnp.exe", "red gnp.exe"],
  ])("escapes the message %j as %j", (message, escaped) => {
    expect(lines(renderGithubAnnotations(oneItem(message)))).toEqual([
      `::error file=src/a.ts,line=3,title=shipgate gate release%3A findings.error <= 0::${escaped} (r)`,
    ]);
  });

  it.each([
    ["src/a.ts", "src/a.ts"],
    ["src/a,b.ts", "src/a%2Cb.ts"],
    ["src/c:d.ts", "src/c%3Ad.ts"],
    ["src/50%.ts", "src/50%25.ts"],
    ["src\\win\\path.ts", "src/win/path.ts"],
  ])("escapes the property %j as %j", (file, escaped) => {
    expect(lines(renderGithubAnnotations(oneItem("m", file, "a,b:c%")))).toEqual([
      `::error file=${escaped},line=3,title=shipgate gate a%2Cb%3Ac%25%3A findings.error <= 0::m (r)`,
    ]);
  });

  it.each([
    ["../../etc/passwd", "../../etc/passwd"],
    ["/etc/passwd", "/etc/passwd"],
    ["file:///etc/passwd", "file:///etc/passwd"],
    ["src/new\nline.ts", "src/new line.ts"],
  ])("regression: the report path %j, which is not in the repository, is no annotation location", (file, shown) => {
    expect(lines(renderGithubAnnotations(oneItem("m", file)))).toEqual([
      `::error title=shipgate gate release%3A findings.error <= 0::m (r) [reported at ${shown}: not a path in the repository, no location]`,
    ]);
  });

  it("bounds a long message and keeps it on the command's line", () => {
    const [line, ...rest] = lines(renderGithubAnnotations(oneItem(`${"x".repeat(10_000)}\n`.repeat(50))));
    expect(rest).toEqual([]);
    expect(line?.length).toBeLessThan(4200);
  });

  it("annotates failing conditions as errors, warning ones as warnings, waived ones as notices", () => {
    expect(lines(renderGithubAnnotations(noGoResult))).toMatchInlineSnapshot(`
      [
        "::error file=test/cart.test.ts,title=shipgate gate release%3A tests.failed <= 0::cart > applies the discount failed: expected 90, got 100 (shipgate/test-failure)",
        "::error file=src/cart.ts,line=12,endLine=12,title=shipgate gate release%3A new%3Afindings.error <= 0 [no-new-lint-errors]::'total' is assigned a value but never used. (eslint/no-unused-vars)",
        "::error file=src/cart.ts,line=30,endLine=34,title=shipgate gate release%3A new%3Acoverage.lines >= 80::changed lines 30-34 are not covered by any test (shipgate/uncovered-changed-lines)",
        "::error title=shipgate gate release%3A score >= 70::62, needs >= 70: readiness score",
        "::error title=shipgate gate release%3A tests.failed <= 0::smoke::checkout smoke errored: timed out after 5000 ms (shipgate/test-failure)",
        "::error file=scripts/price rules.py,line=7,endLine=9,title=shipgate gate release%3A new%3Afindings.error <= 0 [no-new-lint-errors]::Detected the use of eval(). (semgrep/python.lang.security.audit.eval-detected)",
        "::error file=src/checkout/pay.ts,line=8,endLine=8,title=shipgate gate release%3A new%3Acoverage.lines >= 80::changed line 8 is not covered by any test (shipgate/uncovered-changed-lines)",
        "::warning file=README.md,line=14,title=shipgate gate release%3A docs.brokenLinks <= 0::link to ./docs/setup.md: no such file (shipgate/broken-link)",
        "::notice title=shipgate gate release%3A advisories.high <= 0::Waived by alice until 2026-04-30: no fix released yet; not reachable from our code. Measured 1, needs <= 0.",
      ]
    `);
  });

  it("says why a condition without items fails, also without data", () => {
    const text = renderGithubAnnotations(
      resultWith([
        condition({ metric: "coverage.lines", scope: "new", threshold: 80, verdict: "fail", value: null, missing: "no coverage report", explanation: "coverage of changed lines" }),
        condition({ metric: "score", threshold: 80, severity: "warn", verdict: "warn", value: 75.456, explanation: "readiness score" }),
      ]),
    );
    expect(lines(text)).toEqual([
      "::error title=shipgate gate release%3A new%3Acoverage.lines >= 80::no data (no coverage report), needs >= 80: coverage of changed lines",
      "::warning title=shipgate gate release%3A score >= 80::75.46, needs >= 80: readiness score",
    ]);
  });

  it("writes nothing for a GO gate", () => {
    expect(renderGithubAnnotations(goResult)).toBe("");
  });

  it("stops at the limit, errors first and every condition's first item before any second one, then says how many it left out", () => {
    const many = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, i) => item({ kind: "finding", ruleId: "r", message: `${prefix}${i}`, file: "src/a.ts", line: i + 1, key: `${prefix}${i}` }));
    const result = resultWith([
      condition({ metric: "docs.brokenLinks", severity: "warn", verdict: "warn", items: many("w", 3) }),
      condition({ metric: "findings.error", verdict: "fail", items: many("a", 60) }),
      condition({ metric: "findings.security", verdict: "fail", items: many("b", 2) }),
    ]);
    const all = lines(renderGithubAnnotations(result));
    expect(all).toHaveLength(51);
    expect(all.slice(0, 3).map((l) => /::([a-z0-9]+) \(r\)$/.exec(l)?.[1])).toEqual(["a0", "b0", "a1"]);
    expect(all.slice(0, 50).every((l) => l.startsWith("::error "))).toBe(true);
    expect(all[50]).toBe("::notice title=shipgate gate release::15 more annotations not shown (limit 50); run `shipgate gate` for the full list.");

    const three = lines(renderGithubAnnotations(result, { limit: 3 }));
    expect(three.map((l) => /::([a-z0-9]+) \(r\)$/.exec(l)?.[1] ?? l)).toEqual([
      "a0",
      "b0",
      "a1",
      "::notice title=shipgate gate release::62 more annotations not shown (limit 3); run `shipgate gate` for the full list.",
    ]);
    expect(lines(renderGithubAnnotations(result, { limit: 1000 }))).toHaveLength(65);
  });

  it("annotates an item two conditions share once", () => {
    const shared = item({ kind: "finding", ruleId: "r", message: "m", file: "src/a.ts", line: 1, key: "same" });
    const text = renderGithubAnnotations(resultWith([condition({ metric: "x", verdict: "fail", items: [shared] }), condition({ metric: "y", verdict: "warn", items: [shared] })]));
    expect(lines(text)).toHaveLength(1);
  });
});
