// The docs link check run by the built code with worker threads (dist/, as `shipgate docs check` runs it):
// the same result, byte for byte, whatever the number of workers and however the files are shared among
// them and this thread. Digests recorded on the code before issue 14's work on how files are shared.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, it } from "vitest";
import type { checkDocsLinks as CheckDocsLinks } from "../../src/facts/docs-links.js";
import { writeRandomDocsTree, writeTrickyDocsTree } from "../support/docs-corpus.js";
import { expectGolden } from "../support/golden.js";

const GOLDEN = new URL("docs-workers.json", import.meta.url);
const GEN = new URL("../support/generate.mjs", import.meta.url).pathname;
const dirs: string[] = [];
let checkDocsLinks: typeof CheckDocsLinks;

beforeAll(async () => {
  // Workers run dist/facts/scan-worker.js, so this uses the build made by the global setup.
  ({ checkDocsLinks } = (await import(new URL("../../dist/facts/docs-links.js", import.meta.url).href)) as { checkDocsLinks: typeof CheckDocsLinks });
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory outside any git work tree (so every markdown file under it is read). */
function scratch(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `shipgate-golden-workers-${name}-`));
  dirs.push(dir);
  return dir;
}

describe("checkDocsLinks with worker threads gives byte-identical results", () => {
  it.each([1, 2, 3])("on the tricky documents, %i worker(s)", async (workers) => {
    const root = scratch("tricky");
    writeTrickyDocsTree(root);
    expectGolden(GOLDEN, `tricky/workers-${workers}`, await checkDocsLinks({ root, workers }));
  });

  it.each([1, 2])("on a tree from test/support/generate.mjs markdown (400 files), %i worker(s)", async (workers) => {
    const root = scratch("generated");
    execFileSync(process.execPath, [GEN, "markdown", root, "400"]);
    expectGolden(GOLDEN, `generated-400/workers-${workers}`, await checkDocsLinks({ root, workers }));
  });

  it.each([1, 2])("on a random tree from test/support/docs-corpus.ts (300 files), %i worker(s)", async (workers) => {
    const root = scratch("random");
    writeRandomDocsTree(root, 300);
    expectGolden(GOLDEN, `random-300/workers-${workers}`, await checkDocsLinks({ root, workers }));
  });

  it("on a generated tree of 2 600 files with the default number of workers", async () => {
    const root = scratch("generated-2600");
    execFileSync(process.execPath, [GEN, "markdown", root, "2600"]);
    expectGolden(GOLDEN, "generated-2600/default-workers", await checkDocsLinks({ root }));
  });

  it("on a random tree of 2 400 files with the default number of workers", async () => {
    const root = scratch("random-2400");
    writeRandomDocsTree(root, 2400);
    expectGolden(GOLDEN, "random-2400/default-workers", await checkDocsLinks({ root }));
  });
});
