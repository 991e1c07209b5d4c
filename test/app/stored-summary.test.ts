import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadStoredSummary } from "../../src/app/stored-summary.js";
import { renderAssessMarkdown, renderAssessText } from "../../src/report/assess-text.js";
import { openStore } from "../../src/store/open-store.js";
import { sampleSnapshot } from "../store/conformance.js";

describe("loadStoredSummary", () => {
  it("reads back the per-file coverage with each file's source position, and sets the id", async () => {
    const store = await openStore(join(mkdtempSync(join(tmpdir(), "shipgate-show-")), "s.db"));
    const input = sampleSnapshot(1, { summary: { schemaVersion: 1, snapshot: { id: null, takenAt: "t", git: null, configHash: null }, coverage: { status: "ok", files: [] } } });
    const saved = await store.saveSnapshot(input);
    const { summary } = await loadStoredSummary(store, saved);
    expect(summary.snapshot.id).toBe(saved.id);
    expect(summary.coverage.files).toEqual([{ name: "src/a.ts", lines: 75, branches: null, functions: 100, statements: null, package: ".", resolved: true, source: 1 }]);
    await store.close();
  });

  it("renders a snapshot an older shipgate stored with fewer fields, instead of crashing", async () => {
    const store = await openStore(join(mkdtempSync(join(tmpdir(), "shipgate-show-")), "s.db"));
    const saved = await store.saveSnapshot(sampleSnapshot(1, { summary: { schemaVersion: 1, score: 50, level: "NOT_READY", tests: { status: "ok", total: 2, passed: 1, failed: 1 } } }));
    const { renderable } = await loadStoredSummary(store, saved);
    const text = renderAssessText(renderable, { color: false });
    expect(text).toContain(`shipgate snapshot #${saved.id}`);
    expect(text).toContain("2 total");
    expect(renderAssessMarkdown(renderable)).toContain(`## shipgate snapshot #${saved.id}`);
    await store.close();
  });
});
