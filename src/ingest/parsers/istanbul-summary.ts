import { ParseError, REMEDY } from "../../errors.js";
import { classifyJsonReport, isCount, isJsonObject, readJsonStream, refuseOtherJsonReport } from "../json-stream.js";
import type { JsonValue } from "../json-stream.js";
import type { Counter, Diagnostic, FileCoverage, ReportParser } from "../types.js";

const HINT =
  "expected the coverage-summary.json written by istanbul's json-summary reporter (nyc, c8, jest, vitest); check the report path, or " + REMEDY.nameFormat;

const METRICS = ["lines", "statements", "functions", "branches"] as const;
type Counters = Partial<Record<(typeof METRICS)[number], Counter>>;

/** The counters of one entry, or what is wrong with it. */
function readCounters(value: JsonValue): Counters | string {
  if (!isJsonObject(value)) return `it is ${Array.isArray(value) ? "an array" : typeof value === "object" ? "null" : `a ${typeof value}`}, not an object of counters`;
  const counters: Counters = {};
  for (const metric of METRICS) {
    const raw = value[metric];
    if (raw === undefined) continue;
    // `pct` is ignored on purpose: istanbul writes 100 (files) or "Unknown" (total) when total is 0,
    // and the pipeline derives the percentage from covered/total, null when there is nothing to cover.
    if (!isJsonObject(raw) || !isCount(raw.total) || !isCount(raw.covered)) return `${metric} has no whole-number total and covered`;
    if (raw.covered > raw.total) return `${metric}.covered (${raw.covered}) exceeds ${metric}.total (${raw.total})`;
    counters[metric] = { covered: raw.covered, total: raw.total };
  }
  return Object.keys(counters).length === 0 ? `it has none of ${METRICS.join(", ")}` : counters;
}

export const istanbulSummaryParser: ReportParser = {
  format: "istanbul-summary",
  description: "istanbul coverage-summary.json (json-summary reporter of nyc, c8, jest, vitest)",

  detect: (head, path) => classifyJsonReport(head, path) === "istanbul-summary",

  async parse(stream, ctx) {
    const coverage: FileCoverage[] = [];
    const diagnostics: Diagnostic[] = [];
    const sums: Record<(typeof METRICS)[number], Counter> = {
      lines: { covered: 0, total: 0 },
      statements: { covered: 0, total: 0 },
      functions: { covered: 0, total: 0 },
      branches: { covered: 0, total: 0 },
    };
    let total: Counters | undefined;
    let firstBad: { line: number; key: string; reason: string } | undefined;

    const documentDiagnostics = await readJsonStream(stream, ctx, {
      paths: ["$.*"],
      hint: HINT,
      onHead: (head) => refuseOtherJsonReport(head, ctx, "istanbul-summary", HINT),
      onEntry: ({ path: [key], value, line }) => {
        const counters = readCounters(value);
        if (typeof counters === "string") {
          firstBad ??= { line, key: JSON.stringify(key), reason: counters };
          diagnostics.push({ level: "warning", code: "istanbul.bad-entry", file: ctx.file, line, message: `skipped entry ${JSON.stringify(key)}: ${counters}` });
          return;
        }
        if (key === "total") {
          total = counters;
          return;
        }
        for (const metric of METRICS) {
          const counter = counters[metric];
          if (counter === undefined) continue;
          sums[metric].covered += counter.covered;
          sums[metric].total += counter.total;
        }
        coverage.push({ path: String(key), ...counters });
      },
    });
    diagnostics.push(...documentDiagnostics);

    if (coverage.length === 0 && firstBad !== undefined) {
      throw new ParseError(ctx.file, firstBad.line, `no entry is a coverage-summary.json entry; the first, ${firstBad.key}: ${firstBad.reason}`, { hint: HINT });
    }
    if (coverage.length === 0 && total === undefined) {
      throw new ParseError(ctx.file, undefined, 'the report is an empty object, without the "total" every coverage-summary.json has', {
        hint: `istanbul's json reporter writes {} when it covered no file: if this is coverage-final.json, ${REMEDY.formatIs("istanbul-final")}`,
      });
    }
    if (coverage.length === 0) {
      diagnostics.push({ level: "info", code: "istanbul.no-files", file: ctx.file, message: "the report lists no files: coverage is empty" });
    }
    if (total !== undefined) {
      const mismatches = METRICS.flatMap((metric) => {
        const stated = total?.[metric];
        const sum = sums[metric];
        return stated === undefined || (stated.covered === sum.covered && stated.total === sum.total)
          ? []
          : [`${metric} ${sum.covered}/${sum.total} vs total ${stated.covered}/${stated.total}`];
      });
      if (mismatches.length > 0) {
        diagnostics.push({
          level: "info",
          code: "istanbul.total-mismatch",
          file: ctx.file,
          message: `the files do not add up to "total" (${mismatches.join("; ")}); shipgate uses the files`,
        });
      }
    }
    return { format: "istanbul-summary", tests: [], coverage, diagnostics };
  },
};
