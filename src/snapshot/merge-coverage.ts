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

/** One report's coverage of one file. */
interface Part {
  fc: FileCoverage;
  sourceIndex: number;
}

/** A file's coverage while reports are added: what each report said, merged at `finish`. */
export interface CoverageSlot {
  target: CoverageTarget;
  parts: Part[];
}

type Metric = "lines" | "branches" | "functions" | "statements";
const COUNTED: readonly Exclude<Metric, "lines">[] = ["branches", "functions", "statements"];

/** How a disagreement was settled, in the words of the diagnostic. */
const RULES = {
  larger: "the report that counted more items (larger total, then more covered) is used",
  union: "lines are merged line by line: a line is covered if any report covers it",
} as const;

/** Reports that disagree about one metric of some files, and how it was settled. */
interface Disagreement {
  metric: Metric;
  rule: keyof typeof RULES;
  /** Source indexes; for `larger`, the report used comes first. */
  sources: number[];
  files: number;
  /** The first file, each report's figure for it (in `sources` order), and the merged figure of a union. */
  first: { path: string; figures: string[]; merged: string | undefined };
}

type Note = (metric: Metric, rule: Disagreement["rule"], figures: readonly (readonly [Part, Counter])[], merged?: Counter) => void;

/**
 * Starts merging coverage for one snapshot. `sourcePaths[i]` is the path of the report with
 * `sourceIndex` i, used to name reports in diagnostics.
 *
 * The merge does not depend on the order of the reports: lines with per-line detail are a union
 * (covered in any report); every other figure comes from the report that counted more. A metric one
 * report measured is never erased by a report that did not measure it.
 */
export function createCoverageMerge(sourcePaths: readonly string[] = []): CoverageMerge {
  const slots = new Map<string, CoverageSlot>();
  let repeated = 0;
  const badCounts: { source: number; path: string; what: string }[] = [];
  return {
    add(reported, target, sourceIndex) {
      const fc = checkCounts(reported, (what) => badCounts.push({ source: sourceIndex, path: target.path, what }));
      const slot = slots.get(target.path);
      if (!slot) {
        slots.set(target.path, { target, parts: [{ fc, sourceIndex }] });
      } else {
        repeated++;
        slot.parts.push({ fc, sourceIndex });
      }
    },
    finish() {
      const disagreements = new Map<string, Disagreement>();
      const files = [...slots.values()].map((slot) => mergeCoverage(slot, disagreements));
      const diagnostics: Diagnostic[] = [];
      if (repeated > 0) {
        diagnostics.push({
          level: "info",
          code: "assess.coverage-merged",
          message: `${repeated} file(s) are covered by more than one report; line coverage was merged (covered in any report), each other metric taken from the report that counted more`,
        });
      }
      const name = (i: number) => sourcePaths[i] ?? `report #${i}`;
      const firstBad = badCounts[0];
      if (firstBad) {
        diagnostics.push({
          level: "warning",
          code: "assess.coverage-bad-count",
          message: `${badCounts.length} coverage figure(s) are not whole numbers with 0 ≤ covered ≤ total and were left out (unknown), the first ${firstBad.what} for ${firstBad.path}`,
          file: name(firstBad.source),
        });
      }
      for (const d of disagreements.values()) {
        const names = d.sources.map(name);
        diagnostics.push({
          level: "warning",
          code: "assess.coverage-reports-disagree",
          message:
            `${names.join(" and ")} disagree on ${d.metric} for ${d.files} file(s) (first ${d.first.path}: ${d.first.figures.join(" vs ")}); ` +
            (d.rule === "union" ? `${RULES.union} (${d.first.path}: ${d.first.merged ?? "?"})` : `${names[0] ?? ""}'s figures were used: ${RULES.larger}`),
        });
      }
      return { files, diagnostics };
    },
  };
}

export function toCoverageRecord(fc: FileCoverage, path: string, pkg: string, resolved: boolean, sourceIndex: number): CoverageFileRecord {
  // Field by field, once per covered file: no pair per metric.
  const { lines, branches, functions, statements, lineHits } = fc;
  return {
    path,
    package: pkg,
    resolved,
    linesCovered: lines?.covered ?? null,
    linesTotal: lines?.total ?? null,
    branchesCovered: branches?.covered ?? null,
    branchesTotal: branches?.total ?? null,
    functionsCovered: functions?.covered ?? null,
    functionsTotal: functions?.total ?? null,
    statementsCovered: statements?.covered ?? null,
    statementsTotal: statements?.total ?? null,
    coveredLines: lineHits ? toRanges(lineHits.covered) : null,
    uncoveredLines: lineHits ? toRanges(lineHits.uncovered) : null,
    sourceIndex,
  };
}

const show = (c: Counter): string => `${c.covered}/${c.total}`;

const METRICS: readonly Metric[] = ["lines", "branches", "functions", "statements"];
const isCount = (n: number): boolean => Number.isSafeInteger(n) && n >= 0;

/** The file's coverage without figures no tool can mean (negative, fractional, infinite, covered > total); each one reported. */
function checkCounts(fc: FileCoverage, bad: (what: string) => void): FileCoverage {
  let out = fc;
  for (const metric of METRICS) {
    const c = fc[metric];
    if (c === undefined || (isCount(c.covered) && isCount(c.total) && c.covered <= c.total)) continue;
    bad(`${metric} ${show(c)}`);
    if (out === fc) out = { ...fc };
    delete out[metric];
    if (metric === "lines") delete out.lineHits;
  }
  return out;
}

/** The better of two counts of one metric: more items counted, then more covered. Order-independent. */
const better = (a: Counter, b: Counter): boolean => a.total > b.total || (a.total === b.total && a.covered > b.covered);

/** One row for a file from every report that covers it; disagreements between reports are recorded. */
function mergeCoverage(slot: CoverageSlot, disagreements: Map<string, Disagreement>): CoverageFileRecord {
  const { target, parts } = slot;
  const only = parts.length === 1 ? parts[0] : undefined;
  if (only) return toCoverageRecord(only.fc, target.path, target.package, target.resolved, only.sourceIndex);

  const note: Note = (metric, rule, figures, merged) => {
    const sources = figures.map(([p]) => p.sourceIndex);
    const key = `${metric}\u0000${sources.join(",")}`;
    const seen = disagreements.get(key);
    if (seen) seen.files++;
    else disagreements.set(key, { metric, rule, sources, files: 1, first: { path: target.path, figures: figures.map(([, c]) => show(c)), merged: merged && show(merged) } });
  };
  /** Reports that supplied a figure of the row, for its evidence. */
  const supplied = new Map<Part, number>();
  const credit = (p: Part) => supplied.set(p, (supplied.get(p) ?? 0) + 1);

  const record = toCoverageRecord({ path: target.path }, target.path, target.package, target.resolved, 0);

  // Lines: a union of the reports with per-line detail; a bare count only when no report has lines.
  const detailed = parts.filter((p) => p.fc.lineHits);
  if (detailed.length > 0) {
    const covered = new Set<number>();
    const all = new Set<number>();
    for (const p of detailed) {
      const hits = p.fc.lineHits as NonNullable<FileCoverage["lineHits"]>;
      for (const l of hits.covered) {
        covered.add(l);
        all.add(l);
      }
      for (const l of hits.uncovered) all.add(l);
      credit(p);
    }
    const c = [...covered].sort((a, b) => a - b);
    const u = [...all].filter((l) => !covered.has(l)).sort((a, b) => a - b);
    const merged = { covered: c.length, total: all.size };
    record.linesCovered = merged.covered;
    record.linesTotal = merged.total;
    record.coveredLines = toRanges(c);
    record.uncoveredLines = toRanges(u);
    const counted = parts.flatMap((p) => (p.fc.lines ? [[p, p.fc.lines] as const] : []));
    if (counted.some(([, c]) => c.covered !== merged.covered || c.total !== merged.total)) note("lines", "union", counted, merged);
  } else {
    const chosen = pick(parts, "lines", note);
    if (chosen) {
      record.linesCovered = chosen.figure.covered;
      record.linesTotal = chosen.figure.total;
      credit(chosen.part);
    }
  }
  for (const metric of COUNTED) {
    const chosen = pick(parts, metric, note);
    if (!chosen) continue;
    record[`${metric}Covered`] = chosen.figure.covered;
    record[`${metric}Total`] = chosen.figure.total;
    credit(chosen.part);
  }
  // Evidence: the report that supplied most of the row (the first of them in report order).
  let best: Part | undefined;
  for (const p of parts) if (best === undefined || (supplied.get(p) ?? 0) > (supplied.get(best) ?? 0)) best = p;
  record.sourceIndex = (best as Part).sourceIndex;
  return record;
}

/** The figure of one metric among the reports that measured it (more items counted wins); disagreements noted. */
function pick(parts: readonly Part[], metric: Metric, note: Note): { part: Part; figure: Counter } | undefined {
  let chosen: { part: Part; figure: Counter } | undefined;
  for (const part of parts) {
    const figure = part.fc[metric];
    if (figure && (!chosen || better(figure, chosen.figure))) chosen = { part, figure };
  }
  if (!chosen) return undefined;
  for (const part of parts) {
    const figure = part.fc[metric];
    if (figure && (figure.covered !== chosen.figure.covered || figure.total !== chosen.figure.total)) {
      note(metric, "larger", [
        [chosen.part, chosen.figure],
        [part, figure],
      ]);
    }
  }
  return chosen;
}
