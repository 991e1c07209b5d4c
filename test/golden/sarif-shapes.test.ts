// The SARIF parser's whole output on generated logs of every shape a run can take (test/support/gen-sarif-shapes.mjs):
// recorded before the parser built findings as results arrive, so that a run whose rules, base ids or artifacts come
// after its results, or whose members come twice, still gives the same findings, diagnostics and errors, whatever
// bytes a chunk boundary falls between.
import { Readable } from "node:stream";
import { describe, it } from "vitest";
import { sarifParser } from "../../src/ingest/parsers/sarif.js";
import { sarifShapes } from "../support/gen-sarif-shapes.mjs";
import { expectGolden } from "../support/golden.js";

const GOLDEN = new URL("sarif-shapes.json", import.meta.url);

/** The bytes in chunks of `size` (the last one shorter), as a file stream hands them over. */
const chunked = (bytes: Buffer, size: number): Readable => {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks, { objectMode: false });
};

/** The parser's result, or the message it rejected the log with: both are output a user sees. */
async function outputOf(bytes: Buffer, size: number): Promise<unknown> {
  try {
    return await sarifParser.parse(chunked(bytes, size), { file: "log.sarif" });
  } catch (error) {
    return { rejected: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

describe("the SARIF parser gives byte-identical output on logs of every shape", () => {
  it.each(sarifShapes().map((shape) => [shape.name, shape.bytes] as const))("%s", async (name, bytes) => {
    // A size that splits nearly every token (not on the 1 MB log: 200 000 chunks), one that splits runs of
    // results, one typical of a file stream.
    const sizes = bytes.length < 100_000 ? [5, 700, 65536] : [700, 65536];
    for (const size of sizes) expectGolden(GOLDEN, `${name}@${size}`, await outputOf(bytes, size));
  });
});
