// The JSON parsers' whole output on generated reports (test/support/gen-json-reports.mjs), well-formed and
// malformed, fed in chunks of several sizes: recorded on the streaming reader before the byte splitter of
// issue 14 replaced it, so the splitter must give the same coverage, findings, diagnostics and errors,
// whatever bytes a chunk boundary falls between.
import { describe, it } from "vitest";
import { parserFor } from "../../src/ingest/registry.js";
import { malformedReports, validReports } from "../support/gen-json-reports.mjs";
import type { GeneratedReport } from "../support/gen-json-reports.mjs";
import { expectGolden } from "../support/golden.js";
import { parseOutput } from "../support/parse-output.js";

const GOLDEN = new URL("json-generated.json", import.meta.url);

const outputOf = (report: GeneratedReport, size: number): Promise<unknown> => parseOutput(parserFor(report.format), report.bytes, size, `${report.name}.json`);

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
