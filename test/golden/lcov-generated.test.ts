// The lcov parser's whole output on generated tracefiles (test/support/gen-lcov.mjs), fed in chunks
// of many sizes, compared with digests recorded on the parser before the speed work of issue 14: a
// fast path that reads one record, one chunk boundary or one odd line differently fails here.
import { describe, it } from "vitest";
import { lcovParser } from "../../src/ingest/parsers/lcov.js";
import { expectGolden } from "../support/golden.js";
import { parseOutput } from "../support/parse-output.js";
import { lcovCases } from "../support/gen-lcov.mjs";

const GOLDEN = new URL("lcov-generated.json", import.meta.url);
const inputs = lcovCases();

/** Chunk sizes: the whole file at once, tiny ones (every boundary inside every record), and stream-like ones. */
const SIZES = [0, 1, 3, 7, 64, 4093, 1 << 16];
const cases = Object.keys(inputs).flatMap((name) => SIZES.filter((size) => size === 0 || size < inputs[name]!.length).map((size) => [name, size] as const));

const outputOf = (bytes: Buffer, size: number): Promise<unknown> => parseOutput(lcovParser, bytes, size, "generated.info");

describe("lcov parser gives byte-identical output on generated tracefiles", () => {
  it.each(cases)("%s in chunks of %i bytes (0: whole)", async (name, size) => {
    expectGolden(GOLDEN, `${name}@${size}`, await outputOf(inputs[name]!, size));
  });
});
