import { describe, expect, it } from "vitest";
import { changedLineCoverage, type ChangedLinesCoverageRow } from "../../src/gate/changed-lines.js";

describe("changedLineCoverage", () => {
  const row = (path: string, coveredLines: string | null, uncoveredLines: string | null, resolved = true): ChangedLinesCoverageRow => ({
    path,
    resolved,
    coveredLines,
    uncoveredLines,
  });

  it.each<{ title: string; changed: Record<string, number[]>; rows: ChangedLinesCoverageRow[]; expected: object }>([
    {
      title: "covered, uncovered and not coverable lines of one file",
      changed: { "src/a.ts": [1, 2, 3, 4, 5, 9] },
      rows: [row("src/a.ts", "1-2", "3-4,10")],
      expected: { files: 1, coverable: 4, covered: 2, uncovered: [{ file: "src/a.ts", lines: "3-4" }] },
    },
    {
      title: "a changed file without a coverage row (docs) does not count",
      changed: { "README.md": [1, 2], "src/a.ts": [1] },
      rows: [row("src/a.ts", "1", null)],
      expected: { files: 1, coverable: 1, covered: 1, uncovered: [] },
    },
    {
      title: "an unresolved row is ignored even when its path matches",
      changed: { "src/a.ts": [1, 2] },
      rows: [row("src/a.ts", "1", "2", false)],
      expected: { files: 0, coverable: 0, covered: 0, uncovered: [] },
    },
    {
      title: "two rows for one path (two reports): covered by either is covered",
      changed: { "src/a.ts": [1, 2, 3, 4] },
      rows: [row("src/a.ts", "1", "2-3"), row("src/a.ts", "2", "1,3")],
      expected: { files: 1, coverable: 3, covered: 2, uncovered: [{ file: "src/a.ts", lines: "3" }] },
    },
    {
      title: "a row without per-line detail makes nothing coverable",
      changed: { "src/a.ts": [1] },
      rows: [row("src/a.ts", null, null)],
      expected: { files: 0, coverable: 0, covered: 0, uncovered: [] },
    },
    {
      title: "a file whose changed lines are all outside the report does not count",
      changed: { "src/a.ts": [20, 21], "src/b.ts": [1] },
      rows: [row("src/a.ts", "1-5", "6"), row("src/b.ts", null, "1")],
      expected: { files: 1, coverable: 1, covered: 0, uncovered: [{ file: "src/b.ts", lines: "1" }] },
    },
    {
      title: "uncovered files come sorted by path, lines as ranges",
      changed: { "z.ts": [1, 2, 3, 7], "a/b.ts": [4], "a.ts": [5, 6] },
      rows: [row("z.ts", null, "1-10"), row("a/b.ts", null, "4"), row("a.ts", "5", "6")],
      expected: {
        files: 3,
        coverable: 7,
        covered: 1,
        uncovered: [
          { file: "a.ts", lines: "6" },
          { file: "a/b.ts", lines: "4" },
          { file: "z.ts", lines: "1-3,7" },
        ],
      },
    },
    {
      title: "no changed lines",
      changed: {},
      rows: [row("src/a.ts", "1", "2")],
      expected: { files: 0, coverable: 0, covered: 0, uncovered: [] },
    },
  ])("$title", ({ changed, rows, expected }) => {
    expect(changedLineCoverage(new Map(Object.entries(changed)), rows, "abc123")).toMatchObject({ base: "abc123", ...expected });
  });
});

describe("changedLineCoverage: what the report could not see", () => {
  it("says whether any row has per-line data, and lists changed files the report does not know", () => {
    const changed = new Map([["src/a.ts", [1, 2]], ["README.md", [3]], ["deleted-lines-only.ts", []]]);
    const rows: ChangedLinesCoverageRow[] = [{ path: "src/a.ts", resolved: true, coveredLines: "1", uncoveredLines: "2" }];
    expect(changedLineCoverage(changed, rows, "b")).toMatchObject({ lineDetail: true, notInReport: ["README.md"], coverable: 2 });
    const summaryOnly: ChangedLinesCoverageRow[] = [{ path: "src/a.ts", resolved: true, coveredLines: null, uncoveredLines: null }];
    expect(changedLineCoverage(changed, summaryOnly, "b")).toMatchObject({ lineDetail: false, coverable: 0 });
  });
});
