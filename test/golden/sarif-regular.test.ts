// The SARIF parser's whole output on logs of plain results in every spelling JSON allows for them, and on the same
// logs with one byte changed (test/support/gen-sarif-regular.mjs): recorded before results of the plain shape were
// read straight from their bytes, so that such a reader gives what JSON.parse gave — findings, diagnostics, and
// the same error where the bytes are not JSON — whatever bytes a chunk boundary falls between.
import { describe, it } from "vitest";
import { sarifParser } from "../../src/ingest/parsers/sarif.js";
import { sarifMutatedLogs, sarifRegularLogs } from "../support/gen-sarif-regular.mjs";
import { expectGolden } from "../support/golden.js";
import { parseOutput } from "../support/parse-output.js";

const GOLDEN = new URL("sarif-regular.json", import.meta.url);

const outputOf = (bytes: Buffer, size: number): Promise<unknown> => parseOutput(sarifParser, bytes, size, "log.sarif");

describe("the SARIF parser gives byte-identical output on plain results however they are spelled", () => {
  it.each(sarifRegularLogs().map((log) => [log.name, log.bytes] as const))("%s", async (name, bytes) => {
    // A size that splits nearly every token, one that splits runs of results, one typical of a file stream.
    for (const size of [5, 700, 65536]) expectGolden(GOLDEN, `${name}@${size}`, await outputOf(bytes, size));
  });

  it("and on the same logs with one byte changed, inserted, removed or cut short", async () => {
    for (const log of sarifMutatedLogs(600)) {
      for (const size of [300, 65536]) expectGolden(GOLDEN, `${log.name}@${size}`, await outputOf(log.bytes, size));
    }
  });
});
