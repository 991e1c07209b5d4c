import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { buildSnapshotRows, type ReadReport } from "../../src/snapshot/rows.js";
import { findNewlyFailing, findRegressions } from "../../src/gate/regressions.js";
import { createPathResolver } from "../../src/ingest/paths.js";
import { readReport } from "../../src/ingest/read-report.js";
import type { TestResultRecord } from "../../src/store/types.js";

const dir = new URL("../fixtures/ingest/junit/", import.meta.url);
type Counts = { total: number; passed: number; failed: number; errored: number; skipped: number };
const expected = JSON.parse(readFileSync(new URL("EXPECTED.json", dir), "utf8")) as Record<string, { tests: Counts; asWrittenInReport?: Counts }>;
/** Reports that lack what the tool knew (jest-junit todo as a pass, mocha-junit-reporter without pending tests): see junit.test.ts. */
const reportLacksInformation = new Set([
  "jest-29.7-jest-junit-17.0-mixed.xml",
  "jest-30.5-jest-junit-17.0-mixed.xml",
  "mocha-11.8-mocha-junit-reporter-2.2-default.xml",
]);
/** jest-junit todos told apart only where they are the one pass with time="0" of their suite (see junit.test.ts). */
const partlyKnown: Record<string, Counts> = {
  "jest-30.5-jest-junit-17.0-todo.xml": { total: 12, passed: 10, failed: 0, errored: 0, skipped: 2 },
  "jest-30.5-jest-junit-17.0-init-options.xml": { total: 7, passed: 4, failed: 1, errored: 1, skipped: 1 },
};

async function read(name: string): Promise<ReadReport> {
  const report = await readReport(fileURLToPath(new URL(name, dir)));
  return { ...report, reportDir: ".", collector: null };
}

/** The snapshot's test rows for these reports, in a repository holding `files`. */
async function rows(names: string[], files: string[] = []) {
  const resolver = createPathResolver({ root: "/work/project", files: new Set(files), source: "git" });
  return buildSnapshotRows(await Promise.all(names.map(read)), resolver);
}

const count = (tests: TestResultRecord[]): Counts => ({
  total: tests.length,
  passed: tests.filter((t) => t.status === "passed").length,
  failed: tests.filter((t) => t.status === "failed").length,
  errored: tests.filter((t) => t.status === "errored").length,
  skipped: tests.filter((t) => t.status === "skipped").length,
});
const outcome = (t: TestResultRecord) => ({ testId: t.testId, name: t.name, file: t.file, status: t.status, message: t.message, flaky: t.flaky });

describe("snapshot test rows on real tool output", () => {
  const fixtures = Object.keys(expected).filter((k) => !k.startsWith("_"));

  it.each(fixtures)("count %s as the tool did, every identity once", async (name) => {
    const e = expected[name]!;
    const { tests } = await rows([name]);
    expect(count(tests)).toEqual(partlyKnown[name] ?? (reportLacksInformation.has(name) ? e.asWrittenInReport : e.tests));
    expect(new Set(tests.map((t) => t.testId)).size).toBe(tests.length);
  });

  it("regression: 1 failing case of 17 same-named parametrized cases is a failed test, not a flaky retry (vitest, jest, node:test)", async () => {
    for (const [name, failing] of [
      ["vitest-4.1-each-one-failing.xml", "test/each.test.ts › parse > handles a case #12"],
      ["jest-30.5-jest-junit-17.0-each-one-failing.xml", "parse › parse handles a case › parse handles a case #12"],
      ["node-test-20.20-same-name.xml", "parse › test › handles a case #12"],
      ["node-test-24.22-same-name.xml", "test/each.test.mjs › parse › handles a case #12"],
    ] as const) {
      const { tests, diagnostics } = await rows([name], ["test/each.test.ts", "test/each.test.mjs"]);
      expect(tests.filter((t) => t.status === "failed").map((t) => t.testId), name).toEqual([failing]);
      expect(tests.filter((t) => t.flaky), name).toEqual([]);
      expect(tests.filter((t) => t.name === tests.find((f) => f.status === "failed")?.name)).toHaveLength(17);
      expect(diagnostics.find((d) => d.code === "tests.same-name")?.message, name).toMatch(/^\d test name\(s\) are shared by several test cases/);
    }
  });

  it("regression: jest test ids repeated the describe title three times and named no file; with the jest-junit options init sets they read file › describes › title", async () => {
    const before = await rows(["jest-30.5-jest-junit-17.0-each-one-failing.xml"]);
    expect(before.tests[0]?.testId).toBe("parse › parse handles a case › parse handles a case");
    const { tests } = await rows(["jest-30.5-jest-junit-17.0-init-options.xml"], ["__tests__/math.test.js", "__tests__/broken.test.js"]);
    expect(tests.map((t) => [t.testId, t.file, t.suite, t.status])).toEqual([
      ["__tests__/math.test.js › math › adds", "__tests__/math.test.js", "math", "passed"],
      ["__tests__/math.test.js › math › fails on purpose", "__tests__/math.test.js", "math", "failed"],
      ["__tests__/math.test.js › math › is skipped", "__tests__/math.test.js", "math", "skipped"],
      ["__tests__/math.test.js › math › multiplies", "__tests__/math.test.js", "math", "passed"],
      ["__tests__/math.test.js › math › nested › passes one level down", "__tests__/math.test.js", "math › nested", "passed"],
      ["__tests__/math.test.js › outside any describe", "__tests__/math.test.js", "", "passed"],
      ["__tests__/broken.test.js › Test suite failed to run › __tests__/broken.test.js", "__tests__/broken.test.js", "Test suite failed to run", "errored"],
    ]);
  });

  it("gives a same-named case the same identity on every run, so the gate names the one that regressed", async () => {
    const before = await rows(["vitest-4.1-each-all-pass.xml"], ["test/each.test.ts"]);
    const after = await rows(["vitest-4.1-each-one-failing.xml"], ["test/each.test.ts"]);
    expect(after.tests.map((t) => t.testId)).toEqual(before.tests.map((t) => t.testId));
    const baseline = new Map(before.tests.map((t) => [t.testId, t.status]));
    const current = after.tests.map(outcome);
    const want = ["test/each.test.ts › parse > handles a case #12"];
    expect(findRegressions(baseline, current, new Set()).map((r) => r.id)).toEqual(want);
    expect(findNewlyFailing(baseline, current, new Set()).map((r) => r.id)).toEqual(want);
  });

  it("node:test 24's absolute file= becomes repository-relative, and is left out when it is no repository file", async () => {
    const inRepo = await rows(["node-test-24.22-same-name.xml"], ["test/each.test.mjs"]);
    expect(inRepo.tests.slice(0, 2).map((t) => [t.testId, t.file])).toEqual([
      ["test/each.test.mjs › parse › handles a case", "test/each.test.mjs"],
      ["test/each.test.mjs › parse › handles a case #2", "test/each.test.mjs"],
    ]);
    const outside = await rows(["node-test-24.22-same-name.xml"], []);
    expect(outside.tests.filter((t) => t.testId.includes("/tmp") || t.file !== null)).toEqual([]);
    expect(outside.tests.map((t) => t.testId).slice(-2)).toEqual(["test › top-level repeated", "test › top-level repeated #2"]);
    expect(outside.diagnostics.filter((d) => d.code === "assess.test-files-outside").map((d) => d.message)).toEqual([expect.stringMatching(/^19 test\(s\) name a file outside the repository/)]);
  });

  it("derives a pytest test's file from its module path, giving the same identity with and without junit_family=xunit1", async () => {
    const files = ["tests/__init__.py", "tests/test_each.py"];
    const xunit2 = await rows(["pytest-9.0-parametrized-teardown.xml"], files);
    const xunit1 = await rows(["pytest-9.0-parametrized-teardown-xunit1.xml"], files);
    expect(xunit2.tests.map((t) => t.testId)).toEqual(xunit1.tests.map((t) => t.testId));
    expect(xunit2.tests.map((t) => t.testId)).toEqual(
      expect.arrayContaining([
        "tests/test_each.py › test_handles_a_case[0]",
        "tests/test_each.py › test_fails_in_call_and_errors_in_teardown",
        "tests/test_each.py › TestInAClass › test_method[2]",
      ]),
    );
    expect(xunit2.tests.every((t) => t.file === "tests/test_each.py")).toBe(true);
    // Without the file in the repository, the module path stays in the identity as pytest wrote it.
    const elsewhere = await rows(["pytest-9.0-parametrized-teardown.xml"], ["src/app.py"]);
    expect(elsewhere.tests[0]).toMatchObject({ testId: "pytest › tests.test_each › test_handles_a_case[0]", file: null });
  });

  it("finds a pytest module in a sub-directory of a monorepo, and leaves Java class names alone", async () => {
    const mono = await rows(["pytest-7.2-mixed-default-family.xml"], ["services/api/tests/test_mixed.py"]);
    expect(mono.tests.find((t) => t.name === "test_method_passes")).toMatchObject({ testId: "services/api/tests/test_mixed.py › TestInAClass › test_method_passes", file: "services/api/tests/test_mixed.py" });
    const java = await rows(["surefire-2.22-junit4-normal.xml"], ["src/test/java/demo/CalcTest.java", "demo.py"]);
    expect(java.tests.every((t) => t.file === null && t.testId.includes("demo.CalcTest"))).toBe(true);
  });

  it("counts a test found in two reports once, and the failing outcome is never made a flaky pass", async () => {
    const twice = await rows(["vitest-4.1-each-one-failing.xml", "vitest-4.1-each-one-failing.xml"], ["test/each.test.ts"]);
    expect(count(twice.tests)).toEqual(expected["vitest-4.1-each-one-failing.xml"]!.tests);
    expect(twice.diagnostics.find((d) => d.code === "assess.test-in-several-reports")?.message).toMatch(/^20 test\(s\) appear in more than one report/);
    for (const order of [
      ["vitest-4.1-each-all-pass.xml", "vitest-4.1-each-one-failing.xml"],
      ["vitest-4.1-each-one-failing.xml", "vitest-4.1-each-all-pass.xml"],
    ]) {
      const { tests } = await rows(order, ["test/each.test.ts"]);
      expect(count(tests)).toEqual({ total: 20, passed: 19, failed: 1, errored: 0, skipped: 0 });
      expect(tests.filter((t) => t.flaky)).toEqual([]);
    }
  });
});
