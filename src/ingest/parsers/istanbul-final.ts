import { ParseError, REMEDY } from "../../errors.js";
import { classifyJsonReport, isCount, isJsonObject, readJsonStream, refuseOtherJsonReport } from "../json-stream.js";
import type { JsonObject, JsonValue } from "../json-stream.js";
import type { Counter, Diagnostic, FileCoverage, ReportParser } from "../types.js";

const HINT =
  "expected the coverage-final.json written by istanbul's json reporter (nyc, c8, jest, vitest); check the report path, or " + REMEDY.nameFormat;

/** Covered and total of a hit map (`s` or `f`), as istanbul's `computeSimpleTotals`; undefined when a hit is not a count. */
function countHits(hits: JsonObject): Counter | undefined {
  const counts = Object.values(hits);
  let covered = 0;
  for (const count of counts) {
    if (!isCount(count)) return undefined;
    if (count > 0) covered++;
  }
  return { covered, total: counts.length };
}

/** Covered and total arms of a branch map (`b`); undefined when an entry is not an array of counts. */
function countBranches(b: JsonObject): Counter | undefined {
  let covered = 0;
  let total = 0;
  for (const hits of Object.values(b)) {
    if (!Array.isArray(hits)) return undefined;
    for (const count of hits) {
      if (!isCount(count)) return undefined;
      if (count > 0) covered++;
    }
    total += hits.length;
  }
  return { covered, total };
}

/** Lines with a statement starting on them, ascending, split by whether any of those statements ran. */
interface LineHits {
  covered: number[];
  uncovered: number[];
}

const badLine = (id: string | number): string => `statementMap[${JSON.stringify(String(id))}].start.line is not a line number`;

/** The start line of a statement's location: undefined when there is no location, null when its line is not a line number. */
function startLine(location: JsonValue | undefined): number | undefined | null {
  if (!isJsonObject(location)) return undefined;
  const start = location.start;
  const line = isJsonObject(start) ? start.line : undefined;
  return isCount(line) && line !== 0 ? line : null;
}

/**
 * Line hits the way istanbul's instrumenter writes them: statement ids 0, 1, 2, … and statements in source order,
 * so each start line is the last one seen or a later one. Then the highest count per line is kept while reading,
 * with no map and no sort; undefined when the entry is not so (the general reading takes over and gives the same
 * result). `s` holds counts only (countHits checked it).
 */
function lineHitsInOrder(statementMap: JsonObject, s: JsonObject, statements: number): LineHits | string | undefined {
  const lines: number[] = [];
  const counts: number[] = [];
  let last = 0;
  for (let id = 0; id < statements; id++) {
    // A missing id means other keys than 0 … statements-1 (s has `statements` keys).
    const count = s[id] as number | undefined;
    if (count === undefined) return undefined;
    const line = startLine(statementMap[id]);
    if (line === undefined) continue;
    if (line === null) return badLine(id);
    if (line > last) {
      lines.push(line);
      counts.push(count);
      last = line;
    } else if (line === last) {
      const at = counts.length - 1;
      if ((counts[at] as number) < count) counts[at] = count;
    } else {
      return undefined;
    }
  }
  const covered: number[] = [];
  const uncovered: number[] = [];
  for (let k = 0; k < lines.length; k++) ((counts[k] as number) > 0 ? covered : uncovered).push(lines[k] as number);
  return { covered, uncovered };
}

/** Line hits of statements with any ids in any order: the highest count per line in a map, then sorted. */
function lineHitsAnyOrder(statementMap: JsonObject, s: JsonObject): LineHits | string {
  const lineCounts = new Map<number, number>();
  for (const [id, count] of Object.entries(s)) {
    const line = startLine(statementMap[id]);
    if (line === undefined) continue;
    if (line === null) return badLine(id);
    const previous = lineCounts.get(line);
    if (previous === undefined || previous < (count as number)) lineCounts.set(line, count as number);
  }
  const covered: number[] = [];
  const uncovered: number[] = [];
  for (const [line, count] of lineCounts) (count > 0 ? covered : uncovered).push(line);
  covered.sort((x, y) => x - y);
  uncovered.sort((x, y) => x - y);
  return { covered, uncovered };
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

  const branches = countBranches(b);
  if (branches === undefined) return "a branch entry in b is not an array of counts";

  // istanbul's getLineCoverage: a line's count is the highest count of the statements that start on it;
  // statements missing from statementMap count for `statements` but not for lines.
  const lineHits = lineHitsInOrder(statementMap, s, statements.total) ?? lineHitsAnyOrder(statementMap, s);
  if (typeof lineHits === "string") return lineHits;
  const { covered, uncovered } = lineHits;

  return {
    path: typeof value.path === "string" ? value.path : key,
    lines: { covered: covered.length, total: covered.length + uncovered.length },
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
