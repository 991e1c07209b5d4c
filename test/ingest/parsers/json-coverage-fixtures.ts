import type { LineList } from "../../../src/ingest/types.js";
import { createReadStream, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { expect } from "vitest";
import { ParseError } from "../../../src/errors.js";
import type { Counter, FileCoverage, IngestResult, ReportParser } from "../../../src/ingest/types.js";

export type CoverageFolder = "istanbul-summary" | "istanbul-final" | "coveragepy";
export type Metric = "lines" | "statements" | "functions" | "branches";

/** One entry of a fixture folder's EXPECTED.json: what the tool printed, or how a bad input was made. */
export interface Expected {
  tool?: string;
  version?: string;
  command: string;
  toolSummary?: string;
  /** The text reporter's table (istanbul tools). */
  toolTable?: string;
  totals?: Partial<Record<Metric, Counter>>;
  madeFrom?: string;
  expect?: string;
}

export const fixturePath = (folder: CoverageFolder, name: string): string =>
  new URL(`../../fixtures/ingest/${folder}/${name}.json`, import.meta.url).pathname;

export const readExpected = (folder: CoverageFolder): Record<string, Expected> =>
  JSON.parse(readFileSync(new URL(`../../fixtures/ingest/${folder}/EXPECTED.json`, import.meta.url), "utf8")) as Record<string, Expected>;

/** The fixtures of a folder that a tool wrote as is (not cut or copied from another), with their totals. */
export const toolFixtures = (folder: CoverageFolder): [string, Expected & { totals: Partial<Record<Metric, Counter>> }][] =>
  Object.entries(readExpected(folder)).flatMap(([name, expected]) =>
    expected.totals === undefined || expected.madeFrom !== undefined ? [] : [[name, { ...expected, totals: expected.totals }]],
  );

/** Parses a fixture as `shipgate` would: a file stream, the file named relative to the fixtures folder. */
export const parseFixture = (parser: ReportParser, folder: CoverageFolder, name: string): Promise<IngestResult> =>
  parser.parse(createReadStream(fixturePath(folder, name)), { file: `${folder}/${name}.json` });

export const parseText = (parser: ReportParser, text: string | Buffer, file = "report.json"): Promise<IngestResult> =>
  parser.parse(Readable.from([typeof text === "string" ? Buffer.from(text) : text]), { file });

/** Sum of one metric over the files that have it; undefined when no file has it. */
export function sumMetric(coverage: FileCoverage[], metric: Metric): Counter | undefined {
  let sum: Counter | undefined;
  for (const file of coverage) {
    const counter = file[metric];
    if (counter === undefined) continue;
    sum = { covered: (sum?.covered ?? 0) + counter.covered, total: (sum?.total ?? 0) + counter.total };
  }
  return sum;
}

/** The ParseError a parse rejects with, as `message` + newline + `hint`, for inline snapshots. */
export async function parseFailure(result: Promise<unknown>): Promise<string> {
  const error: unknown = await result.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(ParseError);
  const { message, hint } = error as ParseError;
  return hint === undefined ? message : `${message}\n${hint}`;
}

/** The "Uncovered Line #s" cell of each file row of an istanbul text table, by file name. */
export function uncoveredCells(table: string): Map<string, string> {
  const rows = new Map<string, string>();
  for (const row of table.split("\n")) {
    const cells = row.split("|").map((cell) => cell.trim());
    const [name, , , , , uncovered] = cells;
    if (cells.length !== 6 || name === undefined || uncovered === undefined) continue;
    if (name === "File" || name === "All files" || name.startsWith("-")) continue;
    rows.set(name, uncovered);
  }
  return rows;
}

/**
 * That cell as istanbul-reports' text reporter builds it from line hits (lib/text/index.js `nodeMissing`):
 * runs of uncovered lines, with the non-statement lines between them folded in ("12-14" for 12 and 14).
 */
export function formatUncovered(lineHits: { covered: LineList; uncovered: LineList }): string {
  const lines = [...Array.from(lineHits.covered, (line) => [line, true] as const), ...Array.from(lineHits.uncovered, (line) => [line, false] as const)];
  lines.sort(([a], [b]) => a - b);
  const ranges: [number, number][] = [];
  let open = false;
  for (const [line, hit] of lines) {
    const last = ranges[ranges.length - 1];
    if (hit) open = false;
    else if (open && last !== undefined) last[1] = line;
    else {
      ranges.push([line, line]);
      open = true;
    }
  }
  return ranges.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(",");
}
