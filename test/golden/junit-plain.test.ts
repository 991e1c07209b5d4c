// The JUnit parser's whole output on generated reports with no `&` (the usual report: names without
// entities) and with `&` only near the end, fed in chunks of several sizes (issue 14: the fast path's search
// for an entity must stay within the tag and must not carry over to the next chunk). Digests recorded on
// the code before that change.
import { describe, expect, it } from "vitest";
import { junitParser } from "../../src/ingest/parsers/junit.js";
import { expectGolden } from "../support/golden.js";
import { parseOutput } from "../support/parse-output.js";
// @ts-expect-error: a plain .mjs generator, without type declarations
import { lateEntityJunitXml, plainJunitXml } from "../support/gen-junit-plain.mjs";

const GOLDEN = new URL("junit-plain.json", import.meta.url);
const plain = plainJunitXml as (seed: number, cases: number, options?: { crlf?: boolean }) => string;
const late = lateEntityJunitXml as (seed: number, cases: number, count: number) => string;

const inputs: [string, string][] = [
  ["plain-seed-11", plain(11, 400)],
  ["plain-seed-12-crlf", plain(12, 300, { crlf: true })],
  ["plain-seed-13-large", plain(13, 3000)],
  ["late-entities-seed-14", late(14, 1500, 6)],
];

const parsed = (text: string, size: number): Promise<unknown> => parseOutput(junitParser, text, size, "plain.xml");

describe("the JUnit parser gives byte-identical output on reports with few or no entities", () => {
  it("the plain inputs hold no '&', the late one only near its end", () => {
    for (const [label, text] of inputs.slice(0, 3)) expect(text.includes("&"), label).toBe(false);
    const [, lateText] = inputs[3] as [string, string];
    expect(lateText.indexOf("&")).toBeGreaterThan(lateText.length * 0.9);
  });

  it.each(inputs)("%s", async (label, text) => {
    const whole = await parsed(text, 1 << 30);
    expect((whole as { tests?: unknown[] }).tests?.length ?? 0).toBeGreaterThan(0);
    expectGolden(GOLDEN, `${label}@whole`, whole);
    for (const size of [65536, 4096, 61]) expectGolden(GOLDEN, `${label}@${size}`, await parsed(text, size));
  });
});
