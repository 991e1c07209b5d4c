import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSnapshotRows, type ReadReport } from "../../src/snapshot/rows.js";
import { createCoverageMerge } from "../../src/snapshot/merge-coverage.js";
import { pct, summarizeCoverage, testFilesInCoverage } from "../../src/snapshot/summary.js";
import { createPathResolver } from "../../src/ingest/paths.js";
import { readReport } from "../../src/ingest/read-report.js";
import { showPct } from "../../src/report/assess-text.js";

const fixtures = new URL("../fixtures/ingest/", import.meta.url).pathname;

async function summaryOf(report: string, root: string, files: string[]) {
  const read: ReadReport = { ...(await readReport(report, { cwd: fixtures })), reportDir: ".", collector: null };
  const rows = buildSnapshotRows([read], createPathResolver({ root, files: new Set(files), source: "git" }));
  const sources = [{ path: report, sha256: "", bytes: 0, format: read.source.format, tool: null, collector: null }];
  return summarizeCoverage(rows.coverageFiles, 0.8, sources);
}

describe("coverage status", () => {
  it.each(["coveragepy/coveragepy-6.5-only-test-files.json", "lcov/coverage-py-6.5-only-test-files.info"])(
    "is degraded, not 'lines 100 %', when %s measured only test files (pytest --cov=tests)",
    async (report) => {
      const summary = await summaryOf(report, "/tmp/cov-h/pyt", ["greet/__init__.py", "tests/test_greet.py", "setup.cfg"]);
      expect(summary.lines).toBe(100);
      expect(summary.status).toBe("degraded");
      expect(summary.reasons).toEqual([
        "the coverage measured no source file, only 1 test file(s) (tests/test_greet.py): the coverage settings (include/exclude, --source) leave the code under test out",
      ]);
    },
  );

  it("stays ok when source files are measured along with test files (node --test covers both)", async () => {
    const report = "lcov/node-test-20.20-anonymous-and-same-name-functions.info";
    const paths = readFileSync(join(fixtures, report), "utf8").split("\n").flatMap((l) => (l.startsWith("SF:") ? [l.slice(3)] : []));
    const summary = await summaryOf(report, "/tmp/mm", paths);
    expect(summary.paths.resolved).toBe(17);
    expect(summary.status).toBe("ok");
  });

  it("names every coverage report as evidence, also one whose figures went into rows another report names", () => {
    const summary = summarizeCoverage([], 0.8, [
      { path: "lcov.info", sha256: "", bytes: 0, format: "lcov", tool: null, collector: null },
      { path: "junit.xml", sha256: "", bytes: 0, format: "junit", tool: null, collector: null },
      { path: "coverage-summary.json", sha256: "", bytes: 0, format: "istanbul-summary", tool: null, collector: null },
    ]);
    expect(summary.evidence).toEqual([0, 2]);
  });
});

describe("coverage counts", () => {
  it("leaves out negative, fractional, infinite and covered > total figures with a warning instead of storing them", () => {
    const merge = createCoverageMerge(["bad.json"]);
    const target = { path: "a.ts", package: ".", resolved: true };
    merge.add({ path: "a.ts", lines: { covered: -1, total: 4 }, lineHits: { covered: [], uncovered: [] }, branches: { covered: 1, total: 2 } }, target, 0);
    merge.add({ path: "b.ts", functions: { covered: 3, total: 2 }, statements: { covered: 1.5, total: Infinity } }, { ...target, path: "b.ts" }, 0);
    const { files, diagnostics } = merge.finish();
    expect(files.map((f) => [f.linesTotal, f.coveredLines, f.branchesTotal, f.functionsTotal, f.statementsTotal])).toEqual([
      [null, null, 2, null, null],
      [null, null, null, null, null],
    ]);
    expect(diagnostics).toEqual([
      {
        level: "warning",
        code: "assess.coverage-bad-count",
        file: "bad.json",
        message: "3 coverage figure(s) are not whole numbers with 0 ≤ covered ≤ total and were left out (unknown), the first lines -1/4 for a.ts",
      },
    ]);
  });
});

describe("percentages", () => {
  // What istanbul (nyc, c8, jest, vitest) prints for these counts: istanbul-lib-coverage percent() truncates.
  it.each([
    [1650, 2790, 59.13, "59.13 %"],
    [54, 113, 47.78, "47.78 %"],
    [45, 104, 43.26, "43.26 %"],
    [2169, 2221, 97.65, "97.65 %"],
    [89, 108, 82.4, "82.40 %"],
    [2789, 2790, 99.96, "99.96 %"],
    [99999, 100000, 99.99, "99.99 %"],
    [1, 3, 33.33, "33.33 %"],
    [2, 3, 66.66, "66.66 %"],
    [57, 100, 57, "57.00 %"],
  ])("shows %i/%i as istanbul does (%f), never rounded up past the counts (a rounded 47.79 looked like another measurement)", (covered, total, want, shown) => {
    expect(pct(covered, total)).toBe(want);
    expect(showPct(pct(covered, total))).toBe(shown);
  });
});

describe("coverage that counts the tests themselves", () => {
  it("says so with the share of lines (node 20's coverage of minimist: 16 of 17 files are tests, and nothing said it)", async () => {
    const report = "lcov/node-test-20.20-anonymous-and-same-name-functions.info";
    const read: ReadReport = { ...(await readReport(report, { cwd: fixtures })), reportDir: ".", collector: null };
    const rows = buildSnapshotRows([read], createPathResolver({ root: "/r", files: new Set(), source: "git" }));
    const [warning] = testFilesInCoverage(rows.coverageFiles);
    expect(warning).toMatchObject({ level: "warning", code: "coverage.includes-tests" });
    expect(warning?.message).toMatch(/^the coverage counts \d+ test file\(s\) too \(\d+ of \d+ lines\), e\.g\. test\//);
    expect(testFilesInCoverage(rows.coverageFiles.filter((f) => !f.path.startsWith("test/")))).toEqual([]);
  });
});
