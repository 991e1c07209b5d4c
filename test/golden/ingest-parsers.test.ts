// Every parser's whole output on every report fixture, compared with the digest recorded before the
// speed work of issue 14: an optimisation that changes one byte of what a parser reads fails here.
import { createReadStream, readdirSync } from "node:fs";
import { describe, it } from "vitest";
import { isReportFormat, parserFor } from "../../src/ingest/registry.js";
import { expectGolden } from "../support/golden.js";

const FIXTURES = new URL("../fixtures/ingest/", import.meta.url);
const GOLDEN = new URL("ingest-parsers.json", import.meta.url);

const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory() && isReportFormat(d.name))
  .flatMap((d) =>
    readdirSync(new URL(`${d.name}/`, FIXTURES))
      .filter((f) => f !== "EXPECTED.json" && !f.endsWith(".md"))
      .sort()
      .map((f) => [d.name, f] as const),
  );

/** The parser's result, or the message it rejected the report with: both are output a user sees. */
async function outputOf(format: string, name: string): Promise<unknown> {
  if (!isReportFormat(format)) throw new Error(`not a format: ${format}`);
  try {
    return await parserFor(format).parse(createReadStream(new URL(`${format}/${name}`, FIXTURES)), { file: name });
  } catch (error) {
    return { rejected: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

describe("parsers give byte-identical output on every fixture", () => {
  it.each(cases)("%s %s", async (format, name) => {
    expectGolden(GOLDEN, `${format}/${name}`, await outputOf(format, name));
  });
});
