// Setup shared by the docs-check golden tests: scratch trees removed after a file's tests, and checkDocsLinks
// from the build (its worker threads run dist/facts/scan-worker.js, which TypeScript sources do not have).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll } from "vitest";
import type { checkDocsLinks as CheckDocsLinks } from "../../src/facts/docs-links.js";

/** test/support/generate.mjs, which writes the benchmark's kind of markdown tree (`generate.mjs markdown DIR N`). */
export const GENERATE = new URL("generate.mjs", import.meta.url).pathname;

/**
 * A function that makes a fresh directory `<prefix>-<name>-…` in the system's temp folder, outside any git work
 * tree (so every markdown file under it is read); all of them are removed after the calling file's tests.
 */
export function scratchDirs(prefix: string): (name: string) => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
  return (name) => {
    const dir = mkdtempSync(join(tmpdir(), `${prefix}-${name}-`));
    dirs.push(dir);
    return dir;
  };
}

/** checkDocsLinks from the build made by the global setup, loaded before the calling file's tests. */
export function builtDocsCheck(): typeof CheckDocsLinks {
  let built: typeof CheckDocsLinks | undefined;
  beforeAll(async () => {
    ({ checkDocsLinks: built } = (await import(new URL("../../dist/facts/docs-links.js", import.meta.url).href)) as { checkDocsLinks: typeof CheckDocsLinks });
  });
  return (options) => (built as typeof CheckDocsLinks)(options);
}
