import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { readReport } from "../../src/ingest/read-report.js";

// Records which parser modules reading a report loads: detection imports only the parsers a head may be.
const loaded = vi.hoisted(() => new Set<string>());
vi.mock("../../src/ingest/json-stream.js", async (original) => {
  loaded.add("json-stream");
  return original();
});
vi.mock("../../src/ingest/parsers/junit.js", async (original) => {
  loaded.add("junit");
  return original();
});

describe("report detection start-up", () => {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-detect-load-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // Regression guard: every parser (and the JSON tokenizer most share) was imported for every report, ~85 M
  // instructions of a one-line lcov's assess (1.25 -> 1.16 G).
  it("an lcov report loads neither the JSON reader nor the JUnit parser", async () => {
    writeFileSync(join(dir, "lcov.info"), "SF:a.ts\nDA:1,1\nend_of_record\n");
    const { source } = await readReport(join(dir, "lcov.info"));
    expect(source.format).toBe("lcov");
    expect([...loaded]).toEqual([]);
  });

  it("a JSON report loads the JSON reader (the check above can see a load)", async () => {
    writeFileSync(join(dir, "coverage-summary.json"), '{"total": {"lines": {"total": 1, "covered": 1, "skipped": 0, "pct": 100}}}\n');
    const { source } = await readReport(join(dir, "coverage-summary.json"));
    expect(source.format).toBe("istanbul-summary");
    expect(loaded.has("json-stream")).toBe(true);
  });
});
