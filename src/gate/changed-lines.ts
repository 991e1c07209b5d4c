import { fromRanges, toRanges } from "../snapshot/ranges.js";
import type { ChangedLinesCoverage } from "./types.js";

/** A coverage row as `changedLineCoverage` reads it (a subset of `StoredCoverageFile`). */
export interface ChangedLinesCoverageRow {
  path: string;
  resolved: boolean;
  coveredLines: string | null;
  uncoveredLines: string | null;
}

/**
 * Coverage of the changed lines. A changed line is coverable when the coverage row of its file (a
 * resolved one; rows whose path could not be resolved to the repository are ignored) lists it as covered
 * or uncovered; when several rows share a path (two reports), a line any of them covers is covered.
 * Files without a row with per-line detail (docs, config) have no coverable lines and do not count.
 */
export function changedLineCoverage(changed: Map<string, number[]>, files: ChangedLinesCoverageRow[], base: string): ChangedLinesCoverage {
  const rows = new Map<string, ChangedLinesCoverageRow[]>();
  let lineDetail = false;
  for (const row of files) {
    if (row.resolved && (row.coveredLines !== null || row.uncoveredLines !== null)) lineDetail = true;
    if (!row.resolved || !changed.has(row.path)) continue;
    const list = rows.get(row.path);
    if (list === undefined) rows.set(row.path, [row]);
    else list.push(row);
  }

  const result: ChangedLinesCoverage = { base, files: 0, coverable: 0, covered: 0, uncovered: [], lineDetail, notInReport: [] };
  for (const [path, lines] of changed) if (lines.length > 0 && !rows.has(path)) result.notInReport.push(path);
  result.notInReport.sort();
  for (const [path, list] of rows) {
    const covered = new Set<number>();
    const uncovered = new Set<number>();
    for (const row of list) {
      if (row.coveredLines !== null) for (const n of fromRanges(row.coveredLines)) covered.add(n);
      if (row.uncoveredLines !== null) for (const n of fromRanges(row.uncoveredLines)) uncovered.add(n);
    }
    let coverable = 0;
    const missed: number[] = [];
    for (const n of changed.get(path) ?? []) {
      if (covered.has(n)) {
        coverable++;
        result.covered++;
      } else if (uncovered.has(n)) {
        coverable++;
        missed.push(n);
      }
    }
    if (coverable === 0) continue;
    result.files++;
    result.coverable += coverable;
    if (missed.length > 0) result.uncovered.push({ file: path, lines: toRanges(missed.sort((a, b) => a - b)) });
  }
  result.uncovered.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return result;
}
