// The lcov parser's whole output on generated tracefiles (test/support/gen-lcov.mjs), fed in chunks
// of many sizes, compared with digests recorded on the parser before the speed work of issue 14: a
// fast path that reads one record, one chunk boundary or one odd line differently fails here.
import { Readable } from "node:stream";
import { describe, it } from "vitest";
import { lcovParser } from "../../src/ingest/parsers/lcov.js";
import { expectGolden } from "../support/golden.js";
import { lcovCases } from "../support/gen-lcov.mjs";

const GOLDEN = new URL("lcov-generated.json", import.meta.url);
const inputs = lcovCases();

/** Chunk sizes: the whole file at once, tiny ones (every boundary inside every record), and stream-like ones. */
const SIZES = [0, 1, 3, 7, 64, 4093, 1 << 16];
const cases = Object.keys(inputs).flatMap((name) => SIZES.filter((size) => size === 0 || size < inputs[name]!.length).map((size) => [name, size] as const));

function chunks(bytes: Buffer, size: number): Buffer[] {
  if (size === 0) return [bytes];
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out;
}

/** The parser's result, or the message it rejected the input with: both are output a user sees. */
async function outputOf(bytes: Buffer, size: number): Promise<unknown> {
  try {
    return await lcovParser.parse(Readable.from(chunks(bytes, size)), { file: "generated.info" });
  } catch (error) {
    return { rejected: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

describe("lcov parser gives byte-identical output on generated tracefiles", () => {
  it.each(cases)("%s in chunks of %i bytes (0: whole)", async (name, size) => {
    expectGolden(GOLDEN, `${name}@${size}`, await outputOf(inputs[name]!, size));
  });
});
