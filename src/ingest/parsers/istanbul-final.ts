import { ParseError, REMEDY } from "../../errors.js";
import { classifyJsonReport, isCount, isJsonObject, readJsonStream, refuseOtherJsonReport } from "../json-stream.js";
import type { JsonObject, JsonValue } from "../json-stream.js";
import type { Counter, Diagnostic, FileCoverage, ReportParser } from "../types.js";

const HINT =
  "expected the coverage-final.json written by istanbul's json reporter (nyc, c8, jest, vitest); check the report path, or " + REMEDY.nameFormat;

/** Covered and total of a hit map (`s` or `f`), as istanbul's `computeSimpleTotals`; undefined when a hit is not a count. */
function countHits(hits: JsonObject): Counter | undefined {
  const counter = { covered: 0, total: 0 };
  for (const count of Object.values(hits)) {
    if (!isCount(count)) return undefined;
    counter.total++;
    if (count > 0) counter.covered++;
  }
  return counter;
}

/** The coverage of one entry, or what is wrong with it. Counts follow istanbul-lib-coverage's `FileCoverage.toSummary`. */
function readFileCoverage(key: string, value: JsonValue): FileCoverage | string {
  if (!isJsonObject(value)) return "it is not an object";
  const { statementMap, s, f, b } = value;
  if (!isJsonObject(statementMap) || !isJsonObject(s)) return "it has no statementMap and s";
  if (!isJsonObject(f) || !isJsonObject(b)) return "it has no f and b";
  const statements = countHits(s);
  if (statements === undefined) return "a statement hit count in s is not a count";
  const functions = countHits(f);
  if (functions === undefined) return "a function hit count in f is not a count";

  const branches = { covered: 0, total: 0 };
  for (const hits of Object.values(b)) {
    if (!Array.isArray(hits) || !hits.every(isCount)) return "a branch entry in b is not an array of counts";
    branches.total += hits.length;
    branches.covered += hits.filter((count) => count > 0).length;
  }

  // istanbul's getLineCoverage: a line's count is the highest count of the statements that start on it;
  // statements missing from statementMap count for `statements` but not for lines.
  const lineCounts = new Map<number, number>();
  for (const [id, count] of Object.entries(s)) {
    const location = statementMap[id];
    if (!isJsonObject(location) || !isCount(count)) continue;
    const start = location.start;
    const line = isJsonObject(start) ? start.line : undefined;
    if (!isCount(line) || line === 0) return `statementMap[${JSON.stringify(id)}].start.line is not a line number`;
    const previous = lineCounts.get(line);
    if (previous === undefined || previous < count) lineCounts.set(line, count);
  }
  const covered: number[] = [];
  const uncovered: number[] = [];
  for (const [line, count] of lineCounts) (count > 0 ? covered : uncovered).push(line);
  covered.sort((x, y) => x - y);
  uncovered.sort((x, y) => x - y);

  return {
    path: typeof value.path === "string" ? value.path : key,
    lines: { covered: covered.length, total: lineCounts.size },
    statements,
    functions,
    branches,
    lineHits: { covered, uncovered },
  };
}

export const istanbulFinalParser: ReportParser = {
  format: "istanbul-final",
  description: "istanbul coverage-final.json (json reporter of nyc, c8, jest, vitest)",

  detect: (head, path) => classifyJsonReport(head, path) === "istanbul-final",

  async parse(stream, ctx) {
    const coverage: FileCoverage[] = [];
    const diagnostics: Diagnostic[] = [];
    let firstBad: { line: number; key: string; reason: string } | undefined;

    const documentDiagnostics = await readJsonStream(stream, ctx, {
      paths: ["$.*"],
      hint: HINT,
      onHead: (head) => refuseOtherJsonReport(head, ctx, "istanbul-final", HINT),
      onEntry: ({ path: [key], value, line }) => {
        const file = readFileCoverage(String(key), value);
        if (typeof file !== "string") {
          coverage.push(file);
          return;
        }
        firstBad ??= { line, key: JSON.stringify(key), reason: file };
        diagnostics.push({ level: "warning", code: "istanbul.bad-entry", file: ctx.file, line, message: `skipped entry ${JSON.stringify(key)}: ${file}` });
      },
    });
    diagnostics.push(...documentDiagnostics);

    if (coverage.length === 0 && firstBad !== undefined) {
      throw new ParseError(ctx.file, firstBad.line, `no entry is a coverage-final.json entry; the first, ${firstBad.key}: ${firstBad.reason}`, { hint: HINT });
    }
    if (coverage.length === 0) {
      diagnostics.push({ level: "info", code: "istanbul.no-files", file: ctx.file, message: "the report lists no files: coverage is empty" });
    }
    return { format: "istanbul-final", tests: [], coverage, diagnostics };
  },
};
