// The JUnit parser's whole output, and the XML reader's events, on generated reports (valid ones in every
// lexical variation and broken copies), compared with digests recorded on the code before the speed work
// of issue 14. Each input is fed in byte chunks of several sizes (splitting tags, entities, CDATA
// terminators and multibyte characters): on a valid report every chunking gives the output of the whole
// file. On a broken one the old reader's message may quote less of the text around the fault (the text the
// chunk held) and may even name a later fault, so each chunking's output has its own digest.
import { describe, expect, it } from "vitest";
import { junitParser } from "../../src/ingest/parsers/junit.js";
import type { Diagnostic } from "../../src/ingest/types.js";
import { readXml } from "../../src/ingest/xml.js";
import { expectGolden } from "../support/golden.js";
import { byteChunks, parseOutput } from "../support/parse-output.js";
// @ts-expect-error: a plain .mjs generator (also run by hand), without type declarations
import { brokenCopies, junitXml } from "../support/gen-junit.mjs";

const GOLDEN = new URL("junit-generated.json", import.meta.url);

type Generate = (seed: number, cases?: number, options?: { crlf?: boolean; prolog?: number; root?: string }) => string;
const generate = junitXml as Generate;
const broken = brokenCopies as (doc: string, seed: number) => [string, string][];

const valid: [string, string][] = [
  ["seed-1", generate(1, 300)],
  ["seed-2-crlf", generate(2, 250, { crlf: true })],
  ["seed-3-no-prolog", generate(3, 200, { prolog: 0 })],
  ["seed-4-bom-comment-pi", generate(4, 200, { prolog: 2 })],
  ["seed-5-doctype", generate(5, 150, { prolog: 3 })],
  ["seed-6-testsuite-root", generate(6, 150, { root: "testsuite" })],
  ["seed-7-crlf-doctype", generate(7, 300, { crlf: true, prolog: 3 })],
  ["seed-8-large", generate(8, 3000)],
];
const brokenInputs = broken(generate(101, 60, { prolog: 2 }), 102);

const parsed = (text: string, size: number): Promise<unknown> => parseOutput(junitParser, text, size, "generated.xml");

/** Every event of the XML reader with every element's attributes and all text (joined per element). */
async function events(text: string, size: number): Promise<unknown> {
  const out: string[] = [];
  const diagnostics: Diagnostic[] = [];
  let pending = "";
  const flush = () => {
    if (pending !== "") out.push(`text:${pending}`);
    pending = "";
  };
  try {
    await readXml(byteChunks(text, size), "events.xml", {
      onOpen(name, attrs, line) {
        flush();
        out.push(`<${name} ${JSON.stringify(attrs)} @${line}`);
      },
      onClose(name) {
        flush();
        out.push(`</${name}`);
      },
      wantsText: () => true,
      wantsAttributes: (name) => name !== "system-out",
      onText(t) {
        pending += t;
      },
    }, diagnostics);
    flush();
    return { out, diagnostics };
  } catch (error) {
    return { out, rejected: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

const SIZES = [1 << 20, 65536, 4096, 61, 7];

/**
 * `output` with the count of unexpanded entity references blanked. The old reader decoded the attributes
 * of a tag the chunk cut short and decoded them again once the tag was whole, so it counted some references
 * twice: that count depends on where chunks end, everything else must not.
 */
function withoutEntityCount(output: unknown): unknown {
  return JSON.parse(JSON.stringify(output).replace(/\d+ (reference\(s\) to entities the report does not define)/g, "N $1"));
}

describe("the JUnit parser gives byte-identical output on generated reports", () => {
  it.each(valid)("%s", async (label, text) => {
    const whole = await parsed(text, 1 << 30);
    for (const size of label === "seed-8-large" ? SIZES.slice(0, 4) : SIZES) {
      expect(withoutEntityCount(await parsed(text, size)), `chunks of ${size} bytes`).toEqual(withoutEntityCount(whole));
    }
    expect((whole as { tests?: unknown[] }).tests?.length ?? 0).toBeGreaterThan(0);
    expectGolden(GOLDEN, `junit/${label}`, whole);
  });

  it.each(brokenInputs)("broken copy %s", async (label, text) => {
    for (const size of [1 << 30, 4096, 61, 7, 1]) expectGolden(GOLDEN, `junit-broken/${label}@${size}`, await parsed(text, size));
  });
});

describe("the XML reader gives the same events on generated reports", () => {
  // Text may arrive in other pieces; the test joins them per element, so the events compare whole.
  it.each(valid.slice(0, 7))("%s", async (label, text) => {
    const whole = await events(text, 1 << 30);
    for (const size of [4096, 61, 7]) expect(withoutEntityCount(await events(text, size)), `chunks of ${size} bytes`).toEqual(withoutEntityCount(whole));
    expectGolden(GOLDEN, `events/${label}`, whole);
  });

  it.each(brokenInputs)("broken copy %s", async (label, text) => {
    for (const size of [1 << 30, 4096, 61, 7]) expectGolden(GOLDEN, `events-broken/${label}@${size}`, await events(text, size));
  });
});
