import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AssessSummary } from "../../src/snapshot/summary.js";
import { copyOfDemo, fixture, repoRoot, shipgate, tempDir } from "./run-cli.js";

type Counts = { total: number; passed: number; failed: number; errored: number; skipped: number };
const demoExpected = JSON.parse(readFileSync(join(repoRoot, "examples/demo/EXPECTED.json"), "utf8")) as Record<
  string,
  { tests: Counts; coverage: Record<string, { covered: number; total: number }> }
>;

const assessJson = (args: string[], cwd: string) => {
  const result = shipgate(["assess", "--json", ...args], { cwd });
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as AssessSummary;
};

describe("shipgate assess on the bundled example", () => {
  it("prints the counts the tools themselves reported", () => {
    const dir = copyOfDemo();
    const summary = assessJson(["--no-run"], dir);
    const api = demoExpected["packages/api"]!;
    const worker = demoExpected["services/worker"]!;
    const sum = (k: keyof Counts) => api.tests[k] + worker.tests[k];
    expect(summary.tests).toMatchObject({ total: sum("total"), passed: sum("passed"), failed: sum("failed"), errored: sum("errored"), skipped: sum("skipped") });
    expect(summary.tests.failing.map((t) => t.id)).toEqual([
      "packages/api/test/money.test.ts › formatMoney > puts the minus sign before the currency symbol",
    ]);
    // Lines: vitest's 54/66 plus coverage.py's statements 35/42; branches 39/56 plus 14/20.
    // Percentages are truncated as istanbul does (89/108 = 82.407…: 82.4, not 82.41).
    expect(summary.coverage.counts.lines).toEqual({ covered: 54 + 35, total: 66 + 42, pct: 82.4 });
    expect(summary.coverage.counts.branches).toEqual({ covered: 39 + 14, total: 56 + 20, pct: 69.73 });
    expect(summary.coverage.counts.functions).toEqual({ covered: 6, total: 8, pct: 75 });
    expect(summary.coverage.statements).toBeNull();
    expect(summary.coverage.packages.map((p) => [p.name, p.lines])).toEqual([
      ["packages/api", 81.81],
      ["services/worker", 83.33],
    ]);
    expect(summary.coverage.status).toBe("ok");
    expect(summary.coverage.paths).toEqual({ total: 6, resolved: 6, share: 1, threshold: 0.8 });
    expect(summary.sources.map((s) => [s.path, s.format, s.collector])).toEqual([
      ["packages/api/reports/junit.xml", "junit", "api-vitest"],
      ["packages/api/reports/coverage/lcov.info", "lcov", "api-vitest"],
      ["packages/api/reports/eslint.json", "eslint", "api-static"],
      ["packages/api/reports/tsc.txt", "tsc", "api-static"],
      ["services/worker/reports/ruff.json", "ruff", "worker-ruff"],
      ["services/worker/reports/mypy.txt", "mypy", "worker-mypy"],
      ["services/worker/reports/junit.xml", "junit", "worker-pytest"],
      ["services/worker/reports/coverage.json", "coveragepy", "worker-pytest"],
      ["reports/npm-audit.json", "npm-audit", "deps-audit"],
    ]);
    expect(summary.sources.filter((s) => s.format === "junit").map((s) => s.tool?.name)).toEqual(["vitest", "pytest"]);
    // ESLint, tsc and mypy found nothing; ruff's bandit rules found 2 × S311 (SAST); npm audit found 0 vulnerabilities.
    expect(summary).toMatchObject({
      lint: { errors: 0, warnings: 0 },
      typeErrors: 0,
      security: { critical: 0, high: 0, moderate: 0, low: 0, sast: { errors: 2, warnings: 0 } },
      docs: { brokenLinks: 0 },
    });
    expect(summary.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([
      ["S311", "services/worker/src/worker/backoff.py", 30],
      ["S311", "services/worker/src/worker/backoff.py", 32],
    ]);
    expect(summary.categories.security.score).toBe(80);
    // 0.25 × 96.2 + 0.2 × 99.9 + 0.15 × 100 + 0.2 × 80 + 0.1 × 60 + 0.1 × 15 (the lockfile is the one operability fact).
    expect(summary.score).toBe(82.5);
    expect(summary.measuredWeight).toBe(1);
    expect(summary.level).toBe("NEEDS_IMPROVEMENT");
    expect(summary.nextLevel).toEqual({ name: "CONDITIONAL_READY", needs: ["tests.failed == 0 (now 1)"] });
    expect(summary.facts.readme).toEqual({ present: true, evidence: "README.md" });
    expect(summary.sources.every((s) => /^[0-9a-f]{64}$/.test(s.sha256))).toBe(true);
    expect(summary.snapshot.id).toBe(1);
  });

  it("reads the same numbers from istanbul JSON and Cobertura reports with absolute paths of another machine", () => {
    const dir = copyOfDemo();
    const summary = assessJson(["-r", "packages/api/reports/coverage/coverage-final.json", "-r", "packages/api/reports/coverage/cobertura-coverage.xml"], dir);
    expect(summary.coverage.paths.resolved).toBe(summary.coverage.paths.total);
    expect(summary.coverage.counts.lines).toMatchObject({ covered: 54, total: 66 });
    expect(summary.coverage.counts.statements).toMatchObject({ covered: 56, total: 71 });
    expect(summary.tests.status).toBe("unknown");
  });

  it("writes a markdown report for a pull-request comment", () => {
    const dir = copyOfDemo();
    const result = shipgate(["assess", "--no-run", "--markdown"], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("| Tests | 25/29 passed · 1 failed · 0 errored · 3 skipped | ❌ ok |");
    expect(result.stdout).toContain("| Coverage: lines | 82.40 % (89/108) | ok |");
    // A metric that was not measured has no status of its own (it read "unknown | ok").
    expect(result.stdout).toContain("| Coverage: statements | unknown | unknown |");
  });

  it("appends to GITHUB_STEP_SUMMARY inside GitHub Actions", () => {
    const dir = copyOfDemo();
    const summaryFile = join(dir, "step-summary.md");
    const result = shipgate(["assess", "--no-run"], { cwd: dir, env: { GITHUB_ACTIONS: "true", GITHUB_STEP_SUMMARY: summaryFile } });
    expect(result.code).toBe(0);
    expect(readFileSync(summaryFile, "utf8")).toContain("## shipgate snapshot #1");
  });
});

describe("shipgate assess --report without a config", () => {
  it("reads reports given on the command line and stores a snapshot in .shipgate/shipgate.db", () => {
    const dir = tempDir();
    const summary = assessJson(["-r", fixture("ingest/junit/pytest-7.2-mixed-default-family.xml"), "-r", fixture("ingest/lcov/nyc-18.0-all.info")], dir);
    expect(summary.tests).toMatchObject({ total: 17, passed: 5, failed: 5, errored: 2, skipped: 5 });
    expect(summary.coverage.counts.lines).toMatchObject({ covered: 7, total: 14 });
    // No repository here: the covered files do not resolve, so coverage is degraded, not silently trusted.
    expect(summary.coverage.status).toBe("degraded");
    expect(summary.coverage.reasons[0]).toMatch(/only 0 of 2 covered paths/);
    expect(readFileSync(join(dir, ".shipgate/shipgate.db")).length).toBeGreaterThan(0);
  });

  it("honours --format when detection is not wanted", () => {
    const dir = tempDir();
    const summary = assessJson(["-r", fixture("ingest/lcov/c8-12.0-all.info"), "--format", "lcov"], dir);
    expect(summary.sources[0]).toMatchObject({ format: "lcov" });
  });
});

describe("shipgate assess on bad input", () => {
  const history = (dir: string) => {
    const r = shipgate(["history", "--json"], { cwd: dir });
    return (JSON.parse(r.stdout) as unknown[]).length;
  };

  it.each([
    ["a missing report", ["-r", "nope.xml"], /error: \[ingest\] .*nope\.xml: no such file\n {2}→ check the path/],
    ["an empty file", ["-r", "EMPTY"], /error: \[ingest\] .*empty\.xml: the file is empty/],
    ["truncated XML", ["-r", fixture("ingest/xml/truncated.xml")], /truncated\.xml:\d+: the file ends .*truncated/],
    ["garbage", ["-r", fixture("ingest/xml/garbage.txt")], /garbage\.txt: unrecognised report format\n {2}→ shipgate reads junit, cobertura, coveragepy/],
    ["JSON that is not the announced format", ["-r", fixture("ingest/istanbul-summary/eslint-10.15-not-coverage.json"), "--format", "coveragepy"], /eslint-10\.15-not-coverage\.json:1: this looks like ESLint JSON output, not coverage\.py JSON/],
    ["JSON that is no report", ["-r", "package.json"], /package\.json: unrecognised report format/],
    ["a forced format that does not fit", ["-r", fixture("ingest/lcov/nyc-18.0-all.info"), "--format", "junit"], /nyc-18\.0-all\.info:1: this is not XML/],
    ["an unknown --format", ["-r", "x", "--format", "xml"], /--format must be one of junit, cobertura, coveragepy, istanbul-final, istanbul-summary, npm-audit, osv, pip-audit, cargo-audit, govulncheck, sarif, eslint, ruff, lcov, tsc, mypy \(got "xml"\)/],
    ["a directory", ["-r", "."], /is a directory, not a report file/],
  ])("rejects %s with exit 2, a clear message and nothing stored", (_title, args, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, "empty.xml"), "");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "x", version: "1.0.0" }));
    const first = shipgate(["assess", "-r", fixture("ingest/junit/vitest-4.1-all-pass.xml")], { cwd: dir });
    expect(first.code).toBe(0);
    const before = history(dir);
    // A good report first, then the bad one: nothing of the run may be stored.
    // --format applies to every report, so those cases name only the bad one.
    const good = args.includes("--format") ? [] : ["-r", fixture("ingest/junit/vitest-4.1-mixed.xml")];
    const result = shipgate(["assess", ...good, ...args.map((a) => (a === "EMPTY" ? "empty.xml" : a))], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(history(dir)).toBe(before);
  });

  it("says clearly that a report holds 0 tests instead of reporting a green run", () => {
    const dir = tempDir();
    const result = shipgate(["assess", "-r", fixture("ingest/junit/pytest-7.2-empty.xml")], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Tests  unknown: the test reports contain no test case");
    expect(result.stdout).toMatch(/! .*pytest-7\.2-empty\.xml: the report contains no <testcase>: did the test command run any test\?/);
    const json = JSON.parse(shipgate(["assess", "--json", "-r", fixture("ingest/junit/pytest-7.2-empty.xml")], { cwd: dir }).stdout) as AssessSummary;
    expect(json.tests).toMatchObject({ status: "unknown", total: 0 });
  });

  it("explains what to do when there is nothing to assess", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "shipgate.yaml"), "version: 1\n");
    const result = shipgate(["assess"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatchInlineSnapshot(`
      "error: [assess] nothing to assess: shipgate.yaml has no collectors and no report was named
        → run \`shipgate init\` to write a config for this repository, or pass --report <file> (JUnit, lcov, Cobertura, istanbul, coverage.py)
      "
    `);
  });

  it("names the config file and line of a config error, exit 2", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "shipgate.yaml"), "version: 1\ncollectors:\n  - name: t\n    timeout: soon\n    reports: [a.xml]\n");
    const result = shipgate(["assess"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('error: [config] shipgate.yaml:4: collectors[0].timeout: a duration like 90, "90s", "10m" or "1h"');
  });

  it("rejects an unknown flag with exit 2", () => {
    const result = shipgate(["assess", "--frobnicate"], { cwd: tempDir() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown option '--frobnicate'/);
  });
});

describe("collectors", () => {
  const project = (collector: string) => {
    const dir = tempDir();
    mkdirSync(join(dir, "reports"));
    writeFileSync(join(dir, "shipgate.yaml"), `version: 1\ncollectors:\n${collector}`);
    return dir;
  };

  it("kills a collector that hangs and says which one and how long it had", () => {
    const dir = project("  - name: hangs\n    command: echo starting; sleep 30\n    timeout: 1s\n    reports: [reports/junit.xml]\n");
    const started = Date.now();
    const result = shipgate(["assess"], { cwd: dir });
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\[collect\] hangs: `echo starting; sleep 30` did not finish within 1s and was killed; its last output:\nstarting/);
  });

  it("fails a collector that exits non-zero without writing its report", () => {
    const dir = project("  - name: broken\n    command: echo 'no such test runner' >&2; exit 3\n    reports: [reports/junit.xml]\n");
    const result = shipgate(["assess"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\[collect\] broken: `echo 'no such test runner' >&2; exit 3` exited with 3 but reports\/junit\.xml does not exist/);
    expect(result.stderr).toMatch(/no such test runner/);
  });

  it("refuses a stale report the collector did not rewrite", () => {
    const dir = project("  - name: stale\n    command: exit 1\n    reports: [reports/junit.xml]\n");
    writeFileSync(join(dir, "reports/junit.xml"), readFileSync(fixture("ingest/junit/vitest-4.1-all-pass.xml")));
    // Even a report written a moment ago is stale if the run did not touch it.
    const recent = new Date(Date.now() - 200);
    utimesSync(join(dir, "reports/junit.xml"), recent, recent);
    const result = shipgate(["assess"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/reports\/junit\.xml was not rewritten by this run/);
  });

  it("accepts a non-zero exit with fresh reports (failing tests), unless fail_on_exit is set", () => {
    const copy = `cp ${fixture("ingest/junit/vitest-4.1-mixed.xml")} reports/junit.xml; exit 1`;
    const dir = project(`  - name: tests\n    command: ${JSON.stringify(copy)}\n    reports: [reports/junit.xml]\n`);
    const ok = shipgate(["assess", "--json"], { cwd: dir });
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as AssessSummary).collectors).toEqual([expect.objectContaining({ name: "tests", exitCode: 1, timedOut: false })]);
    expect(ok.stderr).toContain("[collect] tests: exit 1 after");

    const strict = project(`  - name: tests\n    command: ${JSON.stringify(copy)}\n    fail_on_exit: true\n    reports: [reports/junit.xml]\n`);
    const result = shipgate(["assess"], { cwd: strict });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/exited with 1/);
  });

  it("runs the example's real vitest collector and reads what it wrote", () => {
    const dir = copyOfDemo();
    const vitest = join(repoRoot, "node_modules/.bin/vitest");
    const config = readFileSync(join(dir, "shipgate.yaml"), "utf8").replace("../../../../node_modules/.bin/vitest", vitest);
    // Only the vitest collector: the machine may have no pytest.
    writeFileSync(join(dir, "shipgate.yaml"), config.slice(0, config.indexOf("  # ESLint's JSON")));
    // The collector must write its own reports: remove the committed ones.
    rmSync(join(dir, "packages/api/reports"), { recursive: true });
    const result = shipgate(["assess", "--json"], { cwd: dir, env: { CI: "true" } });
    expect(result.stderr).toMatch(/\[collect\] api-vitest: running `.*vitest run`\n\[collect\] api-vitest: exit 1 after/);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as AssessSummary;
    expect(summary.tests).toMatchObject(demoExpected["packages/api"]!.tests);
    expect(summary.coverage.counts.lines).toMatchObject({ covered: 54, total: 66 });
  });
});
