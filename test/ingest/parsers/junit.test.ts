import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { junitParser } from "../../../src/ingest/parsers/junit.js";
import type { TestCase } from "../../../src/ingest/types.js";

const dir = new URL("../../fixtures/ingest/junit/", import.meta.url);
type Counts = { total: number; passed: number; failed: number; errored: number; skipped: number };
const expected = JSON.parse(readFileSync(new URL("EXPECTED.json", dir), "utf8")) as Record<string, { tests: Counts; asWrittenInReport?: Counts }>;

/**
 * Where the tool knew something its XML does not say, the parser can only see the XML:
 * jest-junit writes test.todo as a passing case, told apart only when it is the one case of its suite
 * with time="0" (see the todo fixture); mocha-junit-reporter omits pending tests by default.
 */
const reportLacksInformation = new Set([
  "jest-29.7-jest-junit-17.0-mixed.xml",
  "jest-30.5-jest-junit-17.0-mixed.xml",
  "mocha-11.8-mocha-junit-reporter-2.2-default.xml",
]);
/** jest-junit todos are told apart only where they are the one pass with time="0" of their suite. */
const partlyKnown: Record<string, Counts> = {
  "jest-30.5-jest-junit-17.0-todo.xml": { total: 12, passed: 10, failed: 0, errored: 0, skipped: 2 },
  "jest-30.5-jest-junit-17.0-init-options.xml": { total: 7, passed: 4, failed: 1, errored: 1, skipped: 1 },
};

const parse = (name: string) => junitParser.parse(createReadStream(new URL(name, dir)), { file: name });
const parseText = (xml: string) => junitParser.parse(Readable.from([xml]), { file: "inline.xml" });
const count = (tests: TestCase[]): Counts => ({
  total: tests.length,
  passed: tests.filter((t) => t.status === "passed").length,
  failed: tests.filter((t) => t.status === "failed").length,
  errored: tests.filter((t) => t.status === "errored").length,
  skipped: tests.filter((t) => t.status === "skipped").length,
});

describe("failures declared without a failing test case", () => {
  it("regression: a Go package that failed to build left gotestsum's report looking green (only <testsuites errors=\"1\"> said so)", async () => {
    const result = await parse("gotestsum-debian-go-1.19-build-failed.xml");
    expect(result.tests.map((t) => [t.name, t.status])).toEqual([["TestOK", "passed"], ["report declares failures without a failing test case", "errored"]]);
    expect(result.diagnostics.map((d) => d.code)).toContain("junit.suite-failed");
  });

  it("counts a suite with its own <error>, or declaring errors it holds no case for, as one errored test", async () => {
    const own = await parseText('<testsuite name="S" tests="1" errors="1"><error message="setup failed"/><testcase name="a"/></testsuite>');
    expect(own.tests.map((t) => [t.name, t.status, t.message])).toEqual([["a", "passed", undefined], ["suite failed without a failing test case", "errored", "setup failed"]]);
    const declared = await parseText('<testsuites><testsuite name="S" tests="0" errors="1"></testsuite></testsuites>');
    expect(declared.tests.map((t) => t.status)).toEqual(["errored"]);
    // pytest counts a test failing in call and erroring in teardown under both failures= and errors=: no extra test.
    const pytest = await parse("pytest-7.2-mixed-default-family.xml");
    expect(pytest.tests.some((t) => t.name.includes("without a failing test case"))).toBe(false);
  });
});

describe("a test file that failed to load", () => {
  it("is counted as a failed case and said so (vitest's own count leaves it out: 2 tests here where vitest says 1, with no note)", async () => {
    const result = await parse("vitest-4.1-file-load-error.xml");
    expect(result.tests.filter((t) => t.status === "failed").map((t) => t.name)).toEqual(["test/broken.test.ts"]);
    expect(result.diagnostics.filter((d) => d.code === "junit.file-failed-to-load").map((d) => d.message)).toEqual([
      "1 failing test case(s) stand for a test file that failed to load (test/broken.test.ts): counted as failed tests, which the runner's own test count leaves out",
    ]);
    const mixed = await parse("vitest-4.1-mixed.xml");
    expect(mixed.diagnostics.map((d) => d.code)).not.toContain("junit.file-failed-to-load");
  });
});

describe("junit parser on real tool output", () => {
  const fixtures = Object.keys(expected).filter((k) => !k.startsWith("_"));

  it("has a fixture for every tool named in the issue", () => {
    for (const tool of ["vitest", "jest", "pytest", "mocha", "node-test", "surefire"]) expect(fixtures.some((f) => f.startsWith(tool))).toBe(true);
  });

  it.each(fixtures)("counts %s as the tool did", async (name) => {
    const e = expected[name]!;
    const want = partlyKnown[name] ?? (reportLacksInformation.has(name) ? e.asWrittenInReport! : e.tests);
    const result = await parse(name);
    expect(count(result.tests)).toEqual(want);
    expect(result.format).toBe("junit");
  });

  it("detects every fixture as junit", () => {
    for (const name of fixtures) expect(junitParser.detect(readFileSync(new URL(name, dir)).subarray(0, 4096), name)).toBe(true);
  });
});

describe("junit parser details", () => {
  it("regression: a jest it.todo counted as passed (jest-junit writes it as a childless <testcase> left out of tests=)", async () => {
    const result = await parse("jest-30.5-jest-junit-17.0-todo.xml");
    const todo = result.tests.find((t) => t.name === "parse reads a date");
    expect([todo?.status, todo?.message]).toEqual(["skipped", "todo"]);
    // The other cases of that suite keep their outcome: the passes jest timed, and the test.skip.
    expect(result.tests.filter((t) => t.suite[0] === "parse").map((t) => t.status)).toEqual(["passed", "skipped", "passed", "skipped", "passed"]);
    expect(result.diagnostics.find((d) => d.code === "junit.todo-inferred")?.message).toMatch(/^1 <testcase> element\(s\) with no outcome and time="0" are left out/);
  });

  it("regression: a jest it.todo counted as passed where the report cannot tell it from a pass; the property init's jest-junit hook writes marks it", async () => {
    const result = await parse("jest-30.5-jest-junit-17.0-todo-property.xml");
    expect(result.tests.filter((t) => t.status === "skipped").map((t) => [t.name, t.message])).toEqual([["is skipped", undefined], ["multiplies", "todo"]]);
    // The same tests without the hook: the todo and a pass both have time="0".
    const without = await parse("jest-30.5-jest-junit-17.0-init-options.xml");
    expect(without.tests.find((t) => t.name === "multiplies")?.status).toBe("passed");
    expect(result.diagnostics.filter((d) => d.code === "junit.suite-count-mismatch" || d.code === "junit.todo-inferred")).toEqual([]);
  });

  it("warns when a jest-junit suite holds a todo it cannot tell from the passes timed at 0 ms, and counts them as passed", async () => {
    const result = await parse("jest-30.5-jest-junit-17.0-todo.xml");
    expect(result.tests.filter((t) => t.suite[0] === "quick").map((t) => t.status)).toEqual(Array(7).fill("passed"));
    const warning = result.diagnostics.find((d) => d.code === "junit.suite-count-mismatch");
    expect(warning).toMatchObject({ level: "warning", line: 16 });
    expect(warning?.message).toMatchInlineSnapshot(`"1 passing <testcase>(s) in 1 <testsuite>(s) are not counted by their tests= attribute (first: "quick", 1 of its 3 passes with time="0"): jest-junit writes it.todo this way, and nothing in the report says which of those passes are todos, so they count as passed"`);
  });

  it("infers no todo where the attributes disagree for another reason (pytest counts a teardown error under failures= and errors=; jest-junit's suite error says tests=0)", async () => {
    for (const name of ["pytest-9.0-parametrized-teardown.xml", "pytest-9.0-parametrized-teardown-xunit1.xml", "jest-30.5-jest-junit-17.0-suite-load-error-report-suite-errors.xml", "surefire-2.22-junit5-nested-disabled.xml"]) {
      const result = await parse(name);
      expect(result.diagnostics.filter((d) => d.code === "junit.todo-inferred" || d.code === "junit.suite-count-mismatch"), name).toEqual([]);
    }
  });

  it.each(["pytest-7.2-mixed-default-family.xml", "pytest-9.0-parametrized-teardown.xml"])("counts a pytest test that failed in call and errored in teardown once, as failed (%s)", async (name) => {
    const result = await parse(name);
    const [teardown, ...more] = result.tests.filter((t) => t.name === "test_fails_in_call_and_errors_in_teardown");
    expect(more).toEqual([]);
    expect(teardown?.status).toBe("failed");
    expect(teardown?.message).not.toMatch(/teardown/);
    expect(result.diagnostics.filter((d) => d.code === "junit.test-continued").map((d) => d.message)).toEqual([expect.stringMatching(/^1 <testcase> element\(s\) report more of the test just before them/)]);
  });

  it("folds a pytest teardown report into its test when another worker's test came between (pytest-xdist)", async () => {
    const xml = `<testsuites><testsuite name="pytest">
      <testcase classname="tests.test_a" name="test_x" time="0.5"><failure message="assert 1 == 2">x</failure></testcase>
      <testcase classname="tests.test_b" name="test_y" time="0.1"/>
      <testcase classname="tests.test_a" name="test_x" time="0.25"><error message="failed on teardown with &quot;RuntimeError&quot;">y</error></testcase>
    </testsuite></testsuites>`;
    const result = await parseText(xml);
    expect(result.tests.map((t) => [t.name, t.status, t.durationMs])).toEqual([["test_x", "failed", 750], ["test_y", "passed", 100]]);
  });

  it("regression: same-named test cases are separate tests, not retries (17 parametrized cases, 1 failing)", async () => {
    for (const [name, title] of [
      ["vitest-4.1-each-one-failing.xml", "parse > handles a case"],
      ["jest-30.5-jest-junit-17.0-each-one-failing.xml", "parse handles a case"],
      ["node-test-20.20-same-name.xml", "handles a case"],
      ["node-test-24.22-same-name.xml", "handles a case"],
    ] as const) {
      const result = await parse(name);
      const same = result.tests.filter((t) => t.name === title);
      expect(same.map((t) => t.status), name).toEqual(Array.from({ length: 17 }, (_, i) => (i === 11 ? "failed" : "passed")));
      expect(same.every((t) => t.flaky === undefined), name).toBe(true);
    }
  });

  it("keeps jest-junit's suite error and its <failure> copy as one errored test", async () => {
    const result = await parse("jest-30.5-jest-junit-17.0-suite-load-error-report-suite-errors.xml");
    expect(result.tests.map((t) => [t.classname, t.status])).toEqual([["Test suite failed to run", "errored"], [" passes in a healthy file", "passed"]]);
  });

  it("does not fold a passing pytest-looking case, nor a teardown error whose earlier case passed", async () => {
    const xml = `<testsuites><testsuite name="pytest">
      <testcase classname="tests.test_a" name="test_x" time="0.1"/>
      <testcase classname="tests.test_a" name="test_x" time="0.1"><error message="failed on teardown with &quot;E&quot;">y</error></testcase>
    </testsuite></testsuites>`;
    expect((await parseText(xml)).tests.map((t) => t.status)).toEqual(["passed", "errored"]);
  });

  it.each(["-1", "NaN", "Infinity", "-Infinity", "1e400", "abc"])('regression: time="%s" is no duration: left unknown with a warning, never stored', async (time) => {
    const xml = `<testsuites><testsuite name="s">\n<testcase name="a" time="1.5"/>\n<testcase name="b" time="${time}"/>\n<testcase name="c" time="${time}"/>\n<testcase name="d"/></testsuite></testsuites>`;
    const result = await parseText(xml);
    expect(result.tests.map((t) => t.durationMs)).toEqual([1500, null, null, null]);
    expect(result.diagnostics).toEqual([
      { level: "warning", code: "junit.bad-duration", message: `2 <testcase> time value(s) are not a finite number of seconds >= 0 (first: time="${time}"): their durations are left unknown`, file: "inline.xml", line: 3 },
    ]);
  });

  it('reads time="0", a thousands separator and an exponent as durations without a warning', async () => {
    const result = await parseText(`<testsuite name="s"><testcase name="a" time="0"/><testcase name="b" time="1,234.5"/><testcase name="c" time="2e-3"/></testsuite>`);
    expect(result.tests.map((t) => t.durationMs)).toEqual([0, 1234500, 2]);
    expect(result.diagnostics).toEqual([]);
  });

  it("treats pytest xfail as skipped and a strict XPASS as failed", async () => {
    const result = await parse("pytest-7.2-mixed-default-family.xml");
    const byName = Object.fromEntries(result.tests.map((t) => [t.name, t.status]));
    const xfails = Object.entries(byName).filter(([n]) => n.includes("xfail"));
    expect(xfails.length).toBeGreaterThan(0);
    expect(xfails.some(([, s]) => s === "skipped")).toBe(true);
  });

  it("marks a Surefire flakyFailure as a flaky pass and rerunFailure as a failure", async () => {
    const result = await parse("surefire-2.22-junit4-rerun-flaky.xml");
    const flaky = result.tests.filter((t) => t.flaky);
    expect(flaky.map((t) => [t.name, t.status])).toEqual([["flakyFailsFirstThenPasses", "passed"]]);
    expect(result.tests.find((t) => t.name === "alwaysFails")?.status).toBe("failed");
    expect(result.tests.find((t) => t.name === "alwaysErrors")?.status).toBe("errored");
  });

  it("keeps nested suites as the suite path (node:test)", async () => {
    const result = await parse("node-test-20.20-mixed.xml");
    expect(result.tests.some((t) => t.suite.length >= 2)).toBe(true);
  });

  it("reads the file attribute (jest-junit addFileAttribute, pytest xunit1)", async () => {
    const jest = await parse("jest-30.5-jest-junit-17.0-file-attribute.xml");
    expect(new Set(jest.tests.map((t) => t.file))).toEqual(new Set(["__tests__/math.test.js", "__tests__/strings.test.js"]));
    const pytest = await parse("pytest-7.2-mixed-xunit1.xml");
    expect(pytest.tests.every((t) => t.file === "tests/test_mixed.py")).toBe(true);
  });

  it("keeps the failure message and the report line of each case", async () => {
    const result = await parse("vitest-4.1-mixed.xml");
    const failed = result.tests.filter((t) => t.status === "failed");
    expect(failed.every((t) => typeof t.message === "string" && t.message.length > 0)).toBe(true);
    expect(result.tests.every((t) => (t.reportLine ?? 0) > 1)).toBe(true);
  });

  it("warns about a report with no test case instead of failing", async () => {
    for (const name of ["vitest-4.1-empty.xml", "pytest-7.2-empty.xml"]) {
      const result = await parse(name);
      expect(result.tests).toEqual([]);
      expect(result.diagnostics.map((d) => d.code)).toEqual(["junit.no-tests"]);
    }
  });

  it.each(["disabled", "notrun", "skipped"])('treats status="%s" on a testcase as skipped (GoogleTest, JUnit 5 legacy XML)', async (status) => {
    const xml = `<testsuites><testsuite name="s"><testcase name="a" status="${status}" time="0"/><testcase name="b" status="run"/></testsuite></testsuites>`;
    const result = await parseText(xml);
    expect(result.tests.map((t) => [t.name, t.status])).toEqual([["a", "skipped"], ["b", "passed"]]);
  });

  it("rejects an XML file that is not JUnit", async () => {
    const cobertura = new URL("../../fixtures/ingest/cobertura/vitest-v8-4.1-basic.xml", import.meta.url);
    await expect(junitParser.parse(createReadStream(cobertura), { file: "cov.xml" })).rejects.toThrowError(/cov\.xml:\d+: the root element is <coverage>, not <testsuites> or <testsuite>/);
  });
});

describe("junit parser input forms", () => {
  // Byte chunks go through the byte scanner, string chunks straight to the XML reader: one result either way.
  it.each(readdirSync(dir).filter((f) => f.endsWith(".xml")))("%s reads the same from strings, bytes, and bytes then strings", async (name) => {
    const bytes = readFileSync(new URL(name, dir));
    const text = bytes.toString("utf8");
    const half = Math.floor(bytes.length / 2);
    const fromBytes = await junitParser.parse(Readable.from([bytes]), { file: name });
    expect(await junitParser.parse(Readable.from([text]), { file: name })).toEqual(fromBytes);
    // A switch to strings mid-document hands the rest to the reader (the half may cut a character: a string that
    // follows bytes is read as readXml reads it, so cut at a newline to keep the text the same).
    const cut = bytes.lastIndexOf(10, half) + 1;
    expect(await junitParser.parse(Readable.from([bytes.subarray(0, cut), bytes.subarray(cut).toString("utf8")]), { file: name })).toEqual(fromBytes);
  });
});
