import type { Counter, Diagnostic, FileCoverage } from "../ingest/types.js";
import type { CoverageFileRecord } from "../store/types.js";
import { toRanges } from "./ranges.js";

/** Where a report's file landed in the repository (the path resolver's answer). */
export interface CoverageTarget {
  /** Repository-relative path (or the report's path when unresolved). */
  path: string;
  package: string;
  resolved: boolean;
}

/** Coverage of every file across all reports of one snapshot, merged file by file. */
export interface CoverageMerge {
  /** Adds one report's coverage of one file; `sourceIndex` is the report's position in the snapshot's sources. */
  add(fc: FileCoverage, target: CoverageTarget, sourceIndex: number): void;
  /** The merged rows, one per repository file, and what the merge has to say about them. Call once, after every `add`. */
  finish(): { files: CoverageFileRecord[]; diagnostics: Diagnostic[] };
}

/** A file's coverage while reports are merged; line sets are built only when a second report covers it. */
export interface CoverageSlot {
  record: CoverageFileRecord;
  lineHits: FileCoverage["lineHits"];
  merged: { covered: Set<number>; uncovered: Set<number> } | undefined;
}

/**
 * Starts merging coverage for one snapshot. `sourcePaths[i]` is the path of the report with
 * `sourceIndex` i, used to name reports in diagnostics.
 */
export function createCoverageMerge(_sourcePaths: readonly string[] = []): CoverageMerge {
  const coverage = new Map<string, CoverageSlot>();
  let coverageMerges = 0;
  return {
    add(fc, target, sourceIndex) {
      const existing = coverage.get(target.path);
      if (!existing) {
        coverage.set(target.path, {
          record: toCoverageRecord(fc, target.path, target.package, target.resolved, sourceIndex),
          lineHits: fc.lineHits,
          merged: undefined,
        });
      } else {
        coverageMerges++;
        mergeCoverage(existing, fc, sourceIndex);
      }
    },
    finish() {
      const diagnostics: Diagnostic[] = [];
      if (coverageMerges > 0) {
        diagnostics.push({
          level: "info",
          code: "assess.coverage-merged",
          message: `${coverageMerges} file(s) are covered by more than one report; line coverage was merged (covered in any report), other metrics taken from the report with the most detail`,
        });
      }
      const files = [...coverage.values()].map(({ record, merged }) => {
        if (merged) {
          const { covered, uncovered } = merged;
          for (const l of covered) uncovered.delete(l);
          const c = [...covered].sort((a, b) => a - b);
          const u = [...uncovered].sort((a, b) => a - b);
          record.linesCovered = c.length;
          record.linesTotal = c.length + u.length;
          record.coveredLines = toRanges(c);
          record.uncoveredLines = toRanges(u);
        }
        return record;
      });
      return { files, diagnostics };
    },
  };
}

export function toCoverageRecord(fc: FileCoverage, path: string, pkg: string, resolved: boolean, sourceIndex: number): CoverageFileRecord {
  const c = (x: Counter | undefined) => [x?.covered ?? null, x?.total ?? null] as const;
  const [linesCovered, linesTotal] = c(fc.lines);
  const [branchesCovered, branchesTotal] = c(fc.branches);
  const [functionsCovered, functionsTotal] = c(fc.functions);
  const [statementsCovered, statementsTotal] = c(fc.statements);
  return {
    path,
    package: pkg,
    resolved,
    linesCovered,
    linesTotal,
    branchesCovered,
    branchesTotal,
    functionsCovered,
    functionsTotal,
    statementsCovered,
    statementsTotal,
    coveredLines: fc.lineHits ? toRanges(fc.lineHits.covered) : null,
    uncoveredLines: fc.lineHits ? toRanges(fc.lineHits.uncovered) : null,
    sourceIndex,
  };
}

const detail = (r: CoverageFileRecord): number =>
  [r.linesTotal, r.branchesTotal, r.functionsTotal, r.statementsTotal].filter((v) => v !== null).length + (r.coveredLines !== null ? 1 : 0);

/** Counters come from the report with the most detail (its source becomes the evidence); lines are a union. */
export function mergeCoverage(slot: CoverageSlot, fc: FileCoverage, sourceIndex: number): void {
  const incoming = toCoverageRecord(fc, slot.record.path, slot.record.package, slot.record.resolved, sourceIndex);
  if (detail(incoming) > detail(slot.record)) slot.record = incoming;
  if (!fc.lineHits) return;
  if (!slot.merged) {
    slot.merged = { covered: new Set(slot.lineHits?.covered), uncovered: new Set(slot.lineHits?.uncovered) };
  }
  for (const l of fc.lineHits.covered) slot.merged.covered.add(l);
  for (const l of fc.lineHits.uncovered) slot.merged.uncovered.add(l);
}
