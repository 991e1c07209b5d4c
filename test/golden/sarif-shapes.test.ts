// The SARIF parser's whole output on generated logs of every shape a run can take (test/support/gen-sarif-shapes.mjs):
// recorded before the parser built findings as results arrive, so that a run whose rules, base ids or artifacts come
// after its results, or whose members come twice, still gives the same findings, diagnostics and errors, whatever
// bytes a chunk boundary falls between.
import { describe, it } from "vitest";
import { sarifParser } from "../../src/ingest/parsers/sarif.js";
import { sarifShapes } from "../support/gen-sarif-shapes.mjs";
import { expectGolden } from "../support/golden.js";
import { parseOutput } from "../support/parse-output.js";

const GOLDEN = new URL("sarif-shapes.json", import.meta.url);

const outputOf = (bytes: Buffer, size: number): Promise<unknown> => parseOutput(sarifParser, bytes, size, "log.sarif");

describe("the SARIF parser gives byte-identical output on logs of every shape", () => {
  it.each(sarifShapes().map((shape) => [shape.name, shape.bytes] as const))("%s", async (name, bytes) => {
    // A size that splits nearly every token (not on the 1 MB log: 200 000 chunks), one that splits runs of
    // results, one typical of a file stream.
    const sizes = bytes.length < 100_000 ? [5, 700, 65536] : [700, 65536];
    for (const size of sizes) expectGolden(GOLDEN, `${name}@${size}`, await outputOf(bytes, size));
  });
});
