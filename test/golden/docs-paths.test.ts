// The docs check on every shape of relative path (test/support/docs-path-shapes.ts), on this thread and with a
// worker, with `paths` and `ignore`: digests recorded on the code before issue 14's work on how the main thread
// resolves and looks up a link's path (f045fce), so that a faster lookup cannot change a finding.
import { describe, it } from "vitest";
import { checkDocsLinks } from "../../src/facts/docs-links.js";
import { builtDocsCheck, scratchDirs } from "../support/docs-check-setup.js";
import { writePathShapesTree } from "../support/docs-path-shapes.js";
import { expectGolden } from "../support/golden.js";

const GOLDEN = new URL("docs-paths.json", import.meta.url);
const builtCheck = builtDocsCheck();
const scratch = scratchDirs("shipgate-golden-paths");

describe("checkDocsLinks resolves every shape of path as before", () => {
  it("on this thread", async () => {
    const root = scratch("shapes");
    writePathShapesTree(root);
    expectGolden(GOLDEN, "shapes/workers-0", await checkDocsLinks({ root, workers: 0 }));
  });

  it("with a worker thread (the built code)", async () => {
    const root = scratch("shapes-worker");
    writePathShapesTree(root);
    expectGolden(GOLDEN, "shapes/workers-1", await builtCheck({ root, workers: 1 }));
  });

  it("with paths (links into files not read) and ignore patterns on targets", async () => {
    const root = scratch("shapes-paths");
    writePathShapesTree(root);
    const result = await checkDocsLinks({ root, workers: 0, paths: ["docs", "index.md"], ignore: ["api/v1/**", "**/*.png", "../../x.md"] });
    expectGolden(GOLDEN, "shapes/paths-ignore", result);
  });
});
