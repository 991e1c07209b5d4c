import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AssessSummary } from "../../src/snapshot/summary.js";
import type { GateResult } from "../../src/gate/types.js";
import { writeFiles } from "../init/samples.js";
import { fixture, repoRoot, shipgate } from "./run-cli.js";

/**
 * A test collector that exits non-zero while its JUnit report lists no failing test: the runner saw a
 * failure the report does not show. With jest + jest-junit's defaults, a test file that throws while it
 * loads is left out of the report (jest printed "Test Suites: 1 failed, 1 passed, 2 total / Tests: 1 todo,
 * 1 passed, 2 total" and exited 1 for this sample): the release gate said GO.
 */
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A project under the repository's .test-tmp/, so `npx --no` finds the jest this repository installs. */
function project(files: Record<string, string>): string {
  mkdirSync(join(repoRoot, ".test-tmp"), { recursive: true });
  const dir = mkdtempSync(join(repoRoot, ".test-tmp", "collector-exit-"));
  dirs.push(dir);
  writeFiles(dir, files);
  // Its own repository, as a user's project would be (the parent repository ignores .test-tmp/).
  execFileSync("git", ["init", "-q"], { cwd: dir });
  return dir;
}

const JEST_PROJECT = {
  "package.json": `${JSON.stringify({ name: "sample", private: true, scripts: { test: "jest" }, devDependencies: { jest: "^30", "jest-junit": "^17" }, jest: { testEnvironment: "node" } }, null, 2)}\n`,
  "src/add.js": "module.exports = (a, b) => a + b;\n",
  "__tests__/ok.test.js": 'const add = require("../src/add.js");\n\ndescribe("math", () => {\n  test("adds", () => expect(add(1, 1)).toBe(2));\n  test.todo("multiplies");\n});\n',
  "__tests__/broken.test.js": '// Thrown while jest loads the file: no test in it can run.\nconst config = JSON.parse("{ not valid json");\n\ntest("never runs", () => expect(config).toBeDefined());\n',
};

const config = (collector: string) => `version: 1\ndocs:\n  check: false\ncollectors:\n${collector}`;

function assess(dir: string) {
  const result = shipgate(["assess", "--gate", "release", "--json"], { cwd: dir });
  expect(result.stderr).not.toMatch(/internal error/);
  return { code: result.code, out: JSON.parse(result.stdout) as AssessSummary & { gate: GateResult } };
}
const errored = (out: AssessSummary & { gate: GateResult }) => out.gate.conditions.find((c) => c.id === "tests.errored");
const exitWarnings = (out: AssessSummary) => out.diagnostics.filter((d) => d.code === "assess.exit-without-failing-test");

describe("a test collector that exits non-zero with no failing test in its report", () => {
  it("regression: a jest test file that crashed at load vanished from jest-junit's report and tests.errored == 0 passed", () => {
    const dir = project({
      ...JEST_PROJECT,
      // jest-junit's defaults, as configs written before `shipgate init` set JEST_JUNIT_REPORT_TEST_SUITE_ERRORS.
      "shipgate.yaml": config('  - name: jest\n    command: "npx --no -- jest --ci --reporters=default --reporters=jest-junit"\n    env:\n      JEST_JUNIT_OUTPUT_DIR: "reports"\n    reports: ["reports/junit.xml"]\n'),
    });
    const { code, out } = assess(dir);
    expect(out.collectors.map((c) => [c.name, c.exitCode])).toEqual([["jest", 1]]);
    // (Whether the todo is told from the pass here depends on the time jest measured for the pass: not asserted.)
    expect(out.tests).toMatchObject({ total: 3, failed: 0, errored: 1 });
    expect(out.tests.failing.map((t) => [t.id, t.message])).toEqual([
      [
        "collector jest › exited non-zero with no failing test in its report",
        "`npx --no -- jest --ci --reporters=default --reporters=jest-junit` exited with 1 but its report lists no failing test: a test file may have failed to load, a hook may have failed, or a coverage threshold was not met; see the command's output",
      ],
    ]);
    expect(exitWarnings(out).map((d) => [d.level, d.file])).toEqual([["warning", "reports/junit.xml"]]);
    expect(errored(out)).toMatchObject({ verdict: "fail", value: 1 });
    expect(out.gate.verdict).toBe("NO-GO");
    expect(code).toBe(1);
  }, 120_000);

  it("regression: the jest collector `shipgate init` writes reports a test file that fails to load as an errored test, an it.todo as skipped, and names tests file › describes › title", () => {
    const dir = project(JEST_PROJECT);
    const init = shipgate(["init"], { cwd: dir });
    expect(init.code).toBe(0);
    const { out } = assess(dir);
    // jest printed: Test Suites: 1 failed, 1 passed, 2 total / Tests: 1 todo, 1 passed, 2 total.
    expect(out.tests).toMatchObject({ total: 3, passed: 1, failed: 0, errored: 1, skipped: 1 });
    expect(out.tests.failing.map((t) => t.id)).toEqual(["__tests__/broken.test.js › Test suite failed to run › __tests__/broken.test.js"]);
    expect(out.tests.failing[0]?.message).toMatch(/Test suite failed to run[\s\S]*SyntaxError/);
    // The report shows the failure itself: no synthetic test, no warning.
    expect(exitWarnings(out)).toEqual([]);
    expect(errored(out)).toMatchObject({ verdict: "fail", value: 1 });
  }, 120_000);

  it("regression: shipgate's jest hook file in reports/ broke the project's own typed ESLint (not found by the project service)", () => {
    const dir = project(JEST_PROJECT);
    expect(shipgate(["init"], { cwd: dir }).code).toBe(0);
    const { out } = assess(dir);
    // The hook lives where ESLint and tsc never look, and still marks the it.todo.
    expect(existsSync(join(dir, "node_modules/.cache/shipgate/jest-junit-todo.cjs"))).toBe(true);
    expect(readdirSync(join(dir, "reports")).filter((f) => f.endsWith(".cjs"))).toEqual([]);
    expect(out.tests).toMatchObject({ skipped: 1 });
  }, 120_000);

  it.each([
    ["exits non-zero", 3, { total: 4, passed: 3, errored: 1 }, 1],
    ["exits 0", 0, { total: 3, passed: 3, errored: 0 }, 0],
  ] as const)("a passing report from a command that %s (exit %i)", (_what, exit, counts, warnings) => {
    const dir = project({});
    copyFileSync(fixture("ingest/junit/vitest-4.1-all-pass.xml"), join(dir, "all-pass.xml"));
    writeFileSync(
      join(dir, "shipgate.yaml"),
      config(`  - name: tests\n    command: "mkdir -p reports && cp all-pass.xml reports/junit.xml && exit ${exit}"\n    reports: ["reports/junit.xml"]\n`),
    );
    const { out } = assess(dir);
    expect(out.tests).toMatchObject(counts);
    expect(exitWarnings(out)).toHaveLength(warnings);
  });

  it("only warns with exit_without_failing_test: warn (a runner that also exits 1 on a coverage threshold)", () => {
    const dir = project({});
    copyFileSync(fixture("ingest/junit/vitest-4.1-all-pass.xml"), join(dir, "all-pass.xml"));
    writeFileSync(
      join(dir, "shipgate.yaml"),
      config('  - name: tests\n    command: "mkdir -p reports && cp all-pass.xml reports/junit.xml && exit 1"\n    exit_without_failing_test: warn\n    reports: ["reports/junit.xml"]\n'),
    );
    const { out } = assess(dir);
    expect(out.tests).toMatchObject({ total: 3, passed: 3, errored: 0 });
    expect(exitWarnings(out).map((d) => d.message)).toEqual([expect.stringContaining("(exit_without_failing_test: warn, so no test is counted for it)")]);
  });

  it("leaves a run whose report lists the failing test alone (the runner exits 1 because of it)", () => {
    const dir = project({});
    copyFileSync(fixture("ingest/junit/vitest-4.1-each-one-failing.xml"), join(dir, "one-failing.xml"));
    writeFileSync(join(dir, "shipgate.yaml"), config('  - name: tests\n    command: "mkdir -p reports && cp one-failing.xml reports/junit.xml && exit 1"\n    reports: ["reports/junit.xml"]\n'));
    const { out } = assess(dir);
    expect(out.tests).toMatchObject({ total: 20, failed: 1, errored: 0 });
    expect(exitWarnings(out)).toEqual([]);
  });
});
