import { ParseError, REMEDY } from "../../errors.js";
import { classifyJsonReport, isCount, isJsonObject, readJsonStream, refuseOtherJsonReport } from "../json-stream.js";
import type { JsonObject, JsonValue } from "../json-stream.js";
import type { Counter, Diagnostic, FileCoverage, ProducingTool, ReportParser } from "../types.js";

const HINT = "expected the JSON report of coverage.py (`coverage json`); check the report path, or " + REMEDY.nameFormat;

function readLineNumbers(value: JsonValue | undefined): number[] | undefined {
  if (!Array.isArray(value)) return undefined;
  for (const line of value) if (!isCount(line)) return undefined;
  return value as number[];
}

/**
 * The executed lines that are statements: without line 0 and the excluded lines. Most files have none of those
 * among them, and then the report's own list is kept rather than copied.
 */
function coveredLines(executed: number[], excluded: number[]): number[] {
  const skip = excluded.length === 0 ? undefined : new Set(excluded);
  const isStatement = (line: number): boolean => line > 0 && skip?.has(line) !== true;
  for (const line of executed) if (!isStatement(line)) return executed.filter(isStatement);
  return executed;
}

/** Lines and, when branch coverage was measured, branches of a `summary` or `totals` object. */
function readCounters(summary: JsonObject): { lines: Counter; branches?: Counter } | undefined {
  const { covered_lines, num_statements, covered_branches, num_branches } = summary;
  if (!isCount(covered_lines) || !isCount(num_statements) || covered_lines > num_statements) return undefined;
  const lines = { covered: covered_lines, total: num_statements };
  if (!isCount(covered_branches) || !isCount(num_branches) || covered_branches > num_branches) return { lines };
  return { lines, branches: { covered: covered_branches, total: num_branches } };
}

/** The coverage of one `files` entry, or what is wrong with it. */
function readFileCoverage(path: string, value: JsonValue): FileCoverage | string {
  if (!isJsonObject(value)) return "it is not an object";
  const counters = isJsonObject(value.summary) ? readCounters(value.summary) : undefined;
  if (counters === undefined) return "its summary has no whole-number covered_lines and num_statements";
  const executed = readLineNumbers(value.executed_lines);
  const missing = readLineNumbers(value.missing_lines);
  const excluded = readLineNumbers(value.excluded_lines ?? []);
  if (executed === undefined || missing === undefined || excluded === undefined) {
    return "executed_lines, missing_lines and excluded_lines are not lists of line numbers";
  }
  // executed_lines holds every line that ran, statement or not: an excluded `def` that was executed,
  // line 0 of an empty module. covered_lines counts statements only, so drop those here too.
  const covered = coveredLines(executed, excluded);
  // coverage.py's "statements" are its line counts, so they go to `lines` and `statements` stays unknown.
  return { path, ...counters, lineHits: { covered, uncovered: missing } };
}

export const coveragepyParser: ReportParser = {
  format: "coveragepy",
  description: "coverage.py JSON report (coverage json)",

  detect: (head, path) => classifyJsonReport(head, path) === "coveragepy",

  async parse(stream, ctx) {
    const coverage: FileCoverage[] = [];
    const diagnostics: Diagnostic[] = [];
    const sums = { lines: { covered: 0, total: 0 }, branches: { covered: 0, total: 0 } };
    let tool: ProducingTool | undefined;
    let totals: ReturnType<typeof readCounters>;
    let firstBad: { line: number; key: string; reason: string } | undefined;

    const bad = (line: number, key: string, reason: string): void => {
      firstBad ??= { line, key, reason };
      diagnostics.push({ level: "warning", code: "coveragepy.bad-entry", file: ctx.file, line, message: `skipped ${key}: ${reason}` });
    };

    const documentDiagnostics = await readJsonStream(stream, ctx, {
      paths: ["$.meta", "$.files.*", "$.totals"],
      hint: HINT,
      onHead: (head) => refuseOtherJsonReport(head, ctx, "coveragepy", HINT),
      onEntry: ({ path, value, line }) => {
        const [section, key] = path;
        if (section === "meta") {
          tool = { name: "coverage.py" };
          if (isJsonObject(value) && typeof value.version === "string") tool.version = value.version;
          return;
        }
        if (section === "totals") {
          totals = isJsonObject(value) ? readCounters(value) : undefined;
          if (totals === undefined) bad(line, "totals", "it has no whole-number covered_lines and num_statements");
          return;
        }
        const file = readFileCoverage(String(key), value);
        if (typeof file === "string") {
          bad(line, `file ${JSON.stringify(key)}`, file);
          return;
        }
        sums.lines.covered += file.lines?.covered ?? 0;
        sums.lines.total += file.lines?.total ?? 0;
        sums.branches.covered += file.branches?.covered ?? 0;
        sums.branches.total += file.branches?.total ?? 0;
        coverage.push(file);
      },
    });
    diagnostics.push(...documentDiagnostics);

    if (coverage.length === 0 && firstBad !== undefined) {
      throw new ParseError(ctx.file, firstBad.line, `no entry is a coverage.py file entry; the first, ${firstBad.key}: ${firstBad.reason}`, { hint: HINT });
    }
    if (tool === undefined && totals === undefined && coverage.length === 0) {
      throw new ParseError(ctx.file, undefined, 'the object has no "meta", "files" or "totals", which every coverage.py JSON report has', {
        hint: HINT,
      });
    }
    if (coverage.length === 0) {
      diagnostics.push({ level: "info", code: "coveragepy.no-files", file: ctx.file, message: "the report lists no files: coverage is empty" });
    }
    if (totals !== undefined) {
      const stated: [string, Counter | undefined, Counter][] = [
        ["lines", totals.lines, sums.lines],
        ["branches", totals.branches, sums.branches],
      ];
      const mismatches = stated.flatMap(([metric, total, sum]) =>
        total === undefined || (total.covered === sum.covered && total.total === sum.total)
          ? []
          : [`${metric} ${sum.covered}/${sum.total} vs totals ${total.covered}/${total.total}`],
      );
      if (mismatches.length > 0) {
        diagnostics.push({
          level: "info",
          code: "coveragepy.total-mismatch",
          file: ctx.file,
          message: `the files do not add up to "totals" (${mismatches.join("; ")}); shipgate uses the files`,
        });
      }
    }
    return { format: "coveragepy", tool: tool ?? { name: "coverage.py" }, tests: [], coverage, diagnostics };
  },
};
