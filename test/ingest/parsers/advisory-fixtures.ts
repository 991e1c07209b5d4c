import { createReadStream, readdirSync, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import type { Advisory, AdvisorySeverity, IngestResult, ReportParser } from "../../../src/ingest/types.js";

export const FIXTURES = new URL("../../fixtures/ingest/", import.meta.url).pathname;

/** What the npm-audit and OSV tests share: an EXPECTED.json per folder, and the ways to feed the parser. */
export function advisoryFixtures<E extends { advisories?: { total: number } & Partial<Record<AdvisorySeverity, number>>; madeFrom?: string }>(
  parser: ReportParser,
  folder: string,
  defaultFile: string,
) {
  const expected = JSON.parse(readFileSync(`${FIXTURES}${folder}/EXPECTED.json`, "utf8")) as Record<string, E>;
  const path = (name: string, from = folder) => `${FIXTURES}${from}/${name}.json`;
  return {
    expected,
    /** The fixtures that are real reports (not bad inputs made from one), with their advisory counts. */
    reports: Object.entries(expected).flatMap(([name, entry]) =>
      entry.advisories === undefined || entry.madeFrom !== undefined ? [] : [[name, { ...entry, advisories: entry.advisories }] as const],
    ),
    path,
    text: (name: string) => readFileSync(path(name), "utf8"),
    parseFixture: (name: string, from = folder): Promise<IngestResult> => parser.parse(createReadStream(path(name, from)), { file: `${from}/${name}.json` }),
    parseText: (input: string | Buffer[], file = defaultFile): Promise<IngestResult> =>
      parser.parse(Readable.from(typeof input === "string" ? [Buffer.from(input)] : input), { file }),
    /** The fixture parsed as it arrives in 7-byte chunks (every token split somewhere). */
    parseInChunks: (name: string): Promise<IngestResult> => {
      const bytes = readFileSync(path(name));
      const chunks: Buffer[] = [];
      for (let at = 0; at < bytes.length; at += 7) chunks.push(bytes.subarray(at, at + 7));
      return parser.parse(Readable.from(chunks), { file: `${folder}/${name}.json` });
    },
    /** Every fixture of the other formats, as `folder/file`: none of them may be claimed by this parser. */
    otherFixtures: (): string[] => readdirSync(FIXTURES).flatMap((other) => (other === folder ? [] : readdirSync(`${FIXTURES}${other}`).map((file) => `${other}/${file}`))),
  };
}

export function countBySeverity(advisories: Advisory[]): { total: number } & Partial<Record<AdvisorySeverity, number>> {
  const counts: { total: number } & Partial<Record<AdvisorySeverity, number>> = { total: advisories.length };
  for (const { severity } of advisories) counts[severity] = (counts[severity] ?? 0) + 1;
  return counts;
}
