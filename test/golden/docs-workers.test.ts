// The docs link check run by the built code with worker threads (dist/, as `shipgate docs check` runs it):
// the same result, byte for byte, whatever the number of workers and however the files are shared among
// them and this thread. Digests recorded on the code before issue 14's work on how files are shared.
import { execFileSync } from "node:child_process";
import { describe, it } from "vitest";
import { builtDocsCheck, GENERATE as GEN, scratchDirs } from "../support/docs-check-setup.js";
import { writeRandomDocsTree, writeTrickyDocsTree } from "../support/docs-corpus.js";
import { expectGolden } from "../support/golden.js";

const GOLDEN = new URL("docs-workers.json", import.meta.url);
const checkDocsLinks = builtDocsCheck();
const scratch = scratchDirs("shipgate-golden-workers");

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
