import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { expect } from "vitest";
import { HEAD_BYTES } from "../../../src/ingest/json-stream.js";
import { coberturaParser } from "../../../src/ingest/parsers/cobertura.js";
import { coveragepyParser } from "../../../src/ingest/parsers/coveragepy.js";
import { eslintParser } from "../../../src/ingest/parsers/eslint.js";
import { istanbulFinalParser } from "../../../src/ingest/parsers/istanbul-final.js";
import { istanbulSummaryParser } from "../../../src/ingest/parsers/istanbul-summary.js";
import { junitParser } from "../../../src/ingest/parsers/junit.js";
import { lcovParser } from "../../../src/ingest/parsers/lcov.js";
import { mypyParser } from "../../../src/ingest/parsers/mypy.js";
import { ruffParser } from "../../../src/ingest/parsers/ruff.js";
import { sarifParser } from "../../../src/ingest/parsers/sarif.js";
import { tscParser } from "../../../src/ingest/parsers/tsc.js";
import type { Finding, FindingLevel, IngestResult, ReportParser } from "../../../src/ingest/types.js";

export type FindingFolder = "eslint" | "sarif" | "tsc" | "mypy" | "ruff";

/** Unsuppressed findings by level, and suppressed ones whatever their level. */
export type Counts = Record<FindingLevel | "suppressed", number>;

/** One entry of a findings fixture folder's EXPECTED.json: how the tool was run and what it said. */
export interface Expected {
  tool: string;
  version: string;
  command: string;
  /** What the tool itself printed about the run (its summary line), or "" when it prints nothing. */
  toolSummary: string;
  counts: Counts;
  /** Findings of kind "security", suppressed ones included, when the fixture has any. */
  security?: number;
  /** SARIF: error and warning notifications of the tool, which are diagnostics, not findings. */
  notifications?: number;
  /** For a copy of a public file: where it comes from. */
  provenance?: { repo: string; path: string; commit: string };
}

/** Every parser shipgate has, to check that no other one claims a fixture. */
export const allParsers: readonly ReportParser[] = [
  junitParser,
  coberturaParser,
  coveragepyParser,
  istanbulFinalParser,
  istanbulSummaryParser,
  lcovParser,
  eslintParser,
  sarifParser,
  ruffParser,
  tscParser,
  mypyParser,
];

const folderUrl = (folder: FindingFolder) => new URL(`../../fixtures/ingest/${folder}/`, import.meta.url);

/** The fixture files of a folder, by name without extension. */
export function fixtureFiles(folder: FindingFolder): Map<string, string> {
  const files = readdirSync(folderUrl(folder)).filter((file) => file !== "EXPECTED.json");
  return new Map(files.map((file) => [file.replace(/\.(json|sarif|txt)$/, ""), file]));
}

export const fixturePath = (folder: FindingFolder, name: string): string => {
  const file = fixtureFiles(folder).get(name);
  if (file === undefined) throw new Error(`no fixture ${folder}/${name}`);
  return new URL(file, folderUrl(folder)).pathname;
};

export const readExpected = (folder: FindingFolder): Record<string, Expected> =>
  JSON.parse(readFileSync(new URL("EXPECTED.json", folderUrl(folder)), "utf8")) as Record<string, Expected>;

/** [name, expected] for every fixture of a folder, after checking that EXPECTED.json lists exactly the folder's files. */
export function findingFixtures(folder: FindingFolder): [string, Expected][] {
  const expected = readExpected(folder);
  expect(Object.keys(expected).sort(), `${folder}/EXPECTED.json lists every fixture`).toEqual([...fixtureFiles(folder).keys()].sort());
  return Object.entries(expected);
}

export const fixtureText = (folder: FindingFolder, name: string): string => readFileSync(fixturePath(folder, name), "utf8");
export const fixtureHead = (folder: FindingFolder, name: string): Buffer => readFileSync(fixturePath(folder, name)).subarray(0, HEAD_BYTES);

/** Parses a fixture as `shipgate` would: a file stream, the file named relative to the fixtures folder. */
export const parseFixture = (parser: ReportParser, folder: FindingFolder, name: string): Promise<IngestResult> =>
  parser.parse(createReadStream(fixturePath(folder, name)), { file: `${folder}/${fixtureFiles(folder).get(name) ?? name}` });

/** Parses `text` delivered in chunks of `chunkSize` bytes (all at once by default). */
export function parseText(parser: ReportParser, text: string | Buffer, file = "report.json", chunkSize = Infinity): Promise<IngestResult> {
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += Math.min(chunkSize, bytes.length)) chunks.push(bytes.subarray(i, i + chunkSize));
  return parser.parse(Readable.from(chunks), { file });
}

export function countFindings(findings: readonly Finding[] | undefined): Counts {
  const counts: Counts = { error: 0, warning: 0, note: 0, suppressed: 0 };
  for (const finding of findings ?? []) counts[finding.suppressed === true ? "suppressed" : finding.level]++;
  return counts;
}

/** The parsers other than `parser` that claim `head`. */
export const otherClaimants = (parser: ReportParser, head: Buffer, path: string): string[] =>
  allParsers.filter((other) => other !== parser && other.detect(head, path)).map((other) => other.format);
