// The JUnit parser's whole output (or its error) on every fixture, on regular generated reports and on
// byte-level mutations of them, fed in byte chunks of many sizes (1, 2, 3, 7, 64, 4096 bytes and whole):
// chunk ends split tags, entities and multibyte characters. Digests recorded on the code before the byte
// scanner of issue 14, so that the scanner, and its hand-over to the XML reader, change no output.
import { readdirSync, readFileSync } from "node:fs";
import { describe, it } from "vitest";
import { junitParser } from "../../src/ingest/parsers/junit.js";
import { expectGolden } from "../support/golden.js";
import { parseOutput } from "../support/parse-output.js";
// @ts-expect-error: plain .mjs generators, without type declarations
import { mutatedCopies, regularJunitXml } from "../support/gen-junit-mutations.mjs";
// @ts-expect-error: plain .mjs generators, without type declarations
import { junitXml } from "../support/gen-junit.mjs";
// @ts-expect-error: plain .mjs generators, without type declarations
import { plainJunitXml } from "../support/gen-junit-plain.mjs";

const GOLDEN = new URL("junit-chunking.json", import.meta.url);
const FIXTURES = new URL("../fixtures/ingest/junit/", import.meta.url);
const regular = regularJunitXml as (seed: number, cases: number) => string;
const mutated = mutatedCopies as (doc: string, seed: number, count: number) => [string, string][];

const fixtures: [string, Buffer][] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".xml"))
  .sort()
  .map((f) => [f, readFileSync(new URL(f, FIXTURES))]);
const generated: [string, string][] = [
  ["regular-21", regular(21, 60)],
  ["regular-22", regular(22, 25)],
  ["generated-31", (junitXml as (s: number, n: number) => string)(31, 40)],
  ["generated-32-testsuite-root", (junitXml as (s: number, n: number, o: object) => string)(32, 30, { root: "testsuite" })],
  ["plain-33", (plainJunitXml as (s: number, n: number) => string)(33, 40)],
];
const mutations = mutated(regular(41, 30), 42, 80);

const ALL_SIZES = [1, 2, 3, 7, 64, 4096, 0];
const parsed = (data: string | Buffer, size: number): Promise<unknown> => parseOutput(junitParser, data, size, "chunked.xml");

describe("the JUnit parser's output does not depend on where chunks end", () => {
  it.each(fixtures)("fixture %s", async (label, data) => {
    for (const size of ALL_SIZES) expectGolden(GOLDEN, `fixture:${label}@${size}`, await parsed(data, size));
  });
  it.each(generated)("generated %s", async (label, text) => {
    for (const size of ALL_SIZES) expectGolden(GOLDEN, `generated:${label}@${size}`, await parsed(text, size));
  });
  it("mutated copies of a regular report", async () => {
    for (const [label, text] of mutations) {
      for (const size of [1, 7, 64, 0]) expectGolden(GOLDEN, `mutated:${label}@${size}`, await parsed(text, size));
    }
  });
});
