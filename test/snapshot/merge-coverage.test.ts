import { describe, expect, it } from "vitest";
import { buildSnapshotRows, type ReadReport } from "../../src/snapshot/rows.js";
import { createCoverageMerge } from "../../src/snapshot/merge-coverage.js";
import { createPathResolver } from "../../src/ingest/paths.js";
import { readReport } from "../../src/ingest/read-report.js";
import type { FileCoverage } from "../../src/ingest/types.js";

const fixtures = new URL("../fixtures/ingest/", import.meta.url).pathname;

/** One real run written in four formats, and the project it ran in (the reports name its absolute root). */
const RUNS = {
  "vitest-v8-4.1-commander-option": { root: "/tmp/cov-h/cmd", files: ["lib/option.js", "lib/error.js"] },
  "c8-10.1-same-name-arrows": { root: "/tmp/cov-h/same", files: ["lib/writer.js"] },
} as const;
const FORMATS = [
  ["lcov", "info"],
  ["istanbul-summary", "json"],
  ["istanbul-final", "json"],
  ["cobertura", "xml"],
] as const;

function permutations<T>(items: readonly T[]): T[][] {
  if (items.length <= 1) return [[...items]];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

async function readRun(run: keyof typeof RUNS): Promise<ReadReport[]> {
  return Promise.all(
    FORMATS.map(async ([folder, ext]) => ({ ...(await readReport(`${folder}/${run}.${ext}`, { cwd: fixtures })), reportDir: "coverage", collector: null })),
  );
}

const figures = (rows: ReturnType<typeof buildSnapshotRows>["coverageFiles"]) =>
  rows.map(({ sourceIndex: _sourceIndex, ...figure }) => figure).sort((a, b) => a.path.localeCompare(b.path));

describe("merging coverage reports of one run", () => {
  it.each(Object.keys(RUNS) as (keyof typeof RUNS)[])("gives %s the same figures in every order of any two or more of lcov, json-summary, json and cobertura", async (run) => {
    const { root, files } = RUNS[run];
    const resolver = createPathResolver({ root, files: new Set(files), source: "git" });
    const reports = await readRun(run);
    const subsets = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15].map((mask) => reports.filter((_, i) => mask & (1 << i))).filter((s) => s.length >= 2);
    for (const subset of subsets) {
      const all = permutations(subset).map((order) => buildSnapshotRows(order, resolver));
      const first = figures(all[0]!.coverageFiles);
      expect(first.every((f) => f.resolved)).toBe(true);
      for (const rows of all) expect(figures(rows.coverageFiles)).toEqual(first);
      // Every metric one of the reports measured is there (statements come from the JSON reports only).
      const measured = (m: "lines" | "branches" | "functions" | "statements") => subset.some((r) => r.result.coverage.some((f) => f[m] !== undefined));
      for (const f of first) {
        expect(f.statementsTotal !== null).toBe(measured("statements"));
        expect([f.linesTotal, f.branchesTotal, f.functionsTotal].every((v) => v !== null)).toBe(true);
      }
    }
  });

  it("keeps statements when lcov comes before coverage-summary.json (the summary's statements were dropped: 'statements unknown')", async () => {
    const resolver = createPathResolver({ root: "/tmp/cov-h/cmd", files: new Set(["lib/option.js", "lib/error.js"]), source: "git" });
    const [lcov, summary] = await readRun("vitest-v8-4.1-commander-option");
    for (const order of [[lcov!, summary!], [summary!, lcov!]]) {
      const option = buildSnapshotRows(order, resolver).coverageFiles.find((f) => f.path === "lib/option.js")!;
      expect([option.statementsCovered, option.statementsTotal, option.linesCovered, option.linesTotal]).toEqual([47, 107, 45, 104]);
    }
  });

  it("names both reports and the rule when they disagree (cobertura leaves out 2 of vitest's 59 branches)", async () => {
    const resolver = createPathResolver({ root: "/tmp/cov-h/cmd", files: new Set(["lib/option.js", "lib/error.js"]), source: "git" });
    const [lcov, , , cobertura] = await readRun("vitest-v8-4.1-commander-option");
    for (const order of [[lcov!, cobertura!], [cobertura!, lcov!]]) {
      const rows = buildSnapshotRows(order, resolver);
      const option = rows.coverageFiles.find((f) => f.path === "lib/option.js")!;
      expect([option.branchesCovered, option.branchesTotal]).toEqual([19, 59]);
      expect(rows.diagnostics.filter((d) => d.code === "assess.coverage-reports-disagree").map((d) => d.message)).toEqual([
        "lcov/vitest-v8-4.1-commander-option.info and cobertura/vitest-v8-4.1-commander-option.xml disagree on branches for 1 file(s) (first lib/option.js: 19/59 vs 19/57); " +
          "lcov/vitest-v8-4.1-commander-option.info's figures were used: the report that counted more items (larger total, then more covered) is used",
      ]);
    }
  });
});

describe("createCoverageMerge", () => {
  const target = { path: "a.ts", package: ".", resolved: true };
  const merge = (...parts: FileCoverage[]) => {
    const m = createCoverageMerge(parts.map((_, i) => `r${i}`));
    parts.forEach((fc, i) => m.add(fc, target, i));
    return m.finish();
  };

  it("merges lines line by line and says so when reports differ (two shards)", () => {
    const { files, diagnostics } = merge(
      { path: "a.ts", lines: { covered: 1, total: 3 }, lineHits: { covered: [1], uncovered: [2, 3] } },
      { path: "a.ts", lines: { covered: 1, total: 3 }, lineHits: { covered: [2], uncovered: [1, 3] } },
    );
    expect(files[0]).toMatchObject({ linesCovered: 2, linesTotal: 3, coveredLines: "1-2", uncoveredLines: "3" });
    expect(diagnostics.map((d) => d.message)).toEqual([
      "1 file(s) are covered by more than one report; line coverage was merged (covered in any report), each other metric taken from the report that counted more",
      "r0 and r1 disagree on lines for 1 file(s) (first a.ts: 1/3 vs 1/3); lines are merged line by line: a line is covered if any report covers it (a.ts: 2/3)",
    ]);
  });

  it("never erases a metric with a report that did not measure it, whatever the order", () => {
    const withStatements: FileCoverage = { path: "a.ts", lines: { covered: 2, total: 4 }, statements: { covered: 3, total: 5 } };
    const withBranches: FileCoverage = { path: "a.ts", lines: { covered: 2, total: 4 }, branches: { covered: 1, total: 2 }, lineHits: { covered: [1, 2], uncovered: [3, 4] } };
    for (const parts of [[withStatements, withBranches], [withBranches, withStatements]]) {
      const { files, diagnostics } = merge(...parts);
      expect(files[0]).toMatchObject({ linesCovered: 2, linesTotal: 4, statementsCovered: 3, statementsTotal: 5, branchesCovered: 1, branchesTotal: 2, functionsTotal: null });
      expect(diagnostics.filter((d) => d.level === "warning")).toEqual([]);
    }
  });
});
