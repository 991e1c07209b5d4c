// The coverage parsers' whole output on generated istanbul and coverage.py reports in the shapes the tools write
// at scale and with every rule of the conversion broken once (test/support/gen-coverage-shapes.mjs): recorded on
// the conversion before the speed work of issue 14 (json6), so a faster conversion must give the same coverage,
// diagnostics and errors, whatever size the chunks are.
import { describe, it } from "vitest";
import { parserFor } from "../../src/ingest/registry.js";
import { coveragepyShapes, istanbulShapes } from "../support/gen-coverage-shapes.mjs";
import type { CoverageShape } from "../support/gen-coverage-shapes.mjs";
import { expectGolden } from "../support/golden.js";
import { parseOutput } from "../support/parse-output.js";

const GOLDEN = new URL("coverage-shapes.json", import.meta.url);

const outputOf = (report: CoverageShape, size: number): Promise<unknown> => parseOutput(parserFor(report.format), report.bytes, size, `${report.name}.json`);

describe("coverage parsers give byte-identical output on generated shapes", () => {
  const reports = [...istanbulShapes(), ...coveragepyShapes()];
  it.each(reports.map((report) => [report.name, report] as const))("%s", async (name, report) => {
    // A chunk size that cuts most entries, and one that holds a whole report.
    for (const size of [4096, 1 << 22]) expectGolden(GOLDEN, `${name}@${size}`, await outputOf(report, size));
  });
});
