import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { checkDocsLinks } from "../../src/facts/docs-links.js";

// Records whether the scanner (scan-file, which brings markdown-it's ~75 modules) was loaded at all.
const loaded = vi.hoisted(() => ({ scanner: false }));
vi.mock("../../src/facts/scan-file.js", async (original) => {
  loaded.scanner = true;
  return original();
});

describe("docs check start-up", () => {
  const dirs: string[] = [];
  const tree = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-docs-load-"));
    dirs.push(dir);
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  // Regression: with workers in the pool, the no-worker branch loaded the scanner before looping over zero files,
  // so every assess of a project without markdown paid for markdown-it (~180 M instructions, 1.23 → 1.41 G).
  it("a tree without markdown files does not load the scanner (markdown-it)", async () => {
    const result = await checkDocsLinks({ root: tree({ "a.ts": "export {};\n" }) });
    expect(result.files).toBe(0);
    expect(loaded.scanner).toBe(false);
  });

  it("a tree with a markdown file loads it (the check above can see a load)", async () => {
    const result = await checkDocsLinks({ root: tree({ "README.md": "# Hi\n\n[a](./missing.md)\n" }), workers: 0 });
    expect(result.files).toBe(1);
    expect(loaded.scanner).toBe(true);
  });
});
