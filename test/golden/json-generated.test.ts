// The JSON parsers' whole output on generated reports (test/support/gen-json-reports.mjs), well-formed and
// malformed, fed in chunks of several sizes: recorded on the streaming reader before the byte splitter of
// issue 14 replaced it, so the splitter must give the same coverage, findings, diagnostics and errors,
// whatever bytes a chunk boundary falls between.
import { Readable } from "node:stream";
import { describe, it } from "vitest";
import { parserFor } from "../../src/ingest/registry.js";
import { malformedReports, validReports } from "../support/gen-json-reports.mjs";
import type { GeneratedReport } from "../support/gen-json-reports.mjs";
import { expectGolden } from "../support/golden.js";

const GOLDEN = new URL("json-generated.json", import.meta.url);

/** The bytes in chunks of `size` (the last one shorter), as a file stream hands them over. */
const chunked = (bytes: Buffer, size: number): Readable => {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) chunks.push(bytes.subarray(at, at + size));
  return Readable.from(chunks, { objectMode: false });
};

/** The parser's result, or the message it rejected the report with: both are output a user sees. */
async function outputOf(report: GeneratedReport, size: number): Promise<unknown> {
  try {
    return await parserFor(report.format).parse(chunked(report.bytes, size), { file: `${report.name}.json` });
  } catch (error) {
    return { rejected: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

describe("JSON parsers give byte-identical output on generated reports", () => {
  const valid = validReports();
  it.each(valid.map((report) => [report.name, report] as const))("%s", async (name, report) => {
    // One chunk size that splits nearly every token, one typical of a file stream.
    for (const size of [7, 65536]) expectGolden(GOLDEN, `${name}@${size}`, await outputOf(report, size));
  });

  const malformed = malformedReports();
  it.each(malformed.map((report) => [report.name, report] as const))("%s", async (name, report) => {
    for (const size of [1, 5, 4096]) expectGolden(GOLDEN, `${name}@${size}`, await outputOf(report, size));
  });
});
