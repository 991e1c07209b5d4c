// The docs link check's whole output — checkDocsLinks' result, and scanMarkdown's links and anchors per
// document — on hand-written tricky documents, on a generated docs tree and on seeded random documents,
// compared with the digests recorded before the speed work of issue 14. An optimisation that changes one
// finding, line, column, reason, hint or anchor fails here.
import { execFileSync } from "node:child_process";
import { describe, it } from "vitest";
import { checkDocsLinks } from "../../src/facts/docs-links.js";
import { scanMarkdown } from "../../src/facts/markdown-links.js";
import { GENERATE as GEN, scratchDirs } from "../support/docs-check-setup.js";
import { randomDocuments, TRICKY_DOCS, writeRandomDocsTree, writeTrickyDocsTree } from "../support/docs-corpus.js";
import { expectGolden } from "../support/golden.js";

const GOLDEN = new URL("docs.json", import.meta.url);
const scratch = scratchDirs("shipgate-golden");

describe("checkDocsLinks gives byte-identical results", () => {
  it("on the tricky documents", async () => {
    const root = scratch("tricky");
    writeTrickyDocsTree(root);
    expectGolden(GOLDEN, "check/tricky", await checkDocsLinks({ root, workers: 0 }));
  });

  it("on the tricky documents with ignore patterns and paths", async () => {
    const root = scratch("tricky-ignore");
    writeTrickyDocsTree(root);
    const result = await checkDocsLinks({ root, workers: 0, paths: ["README.md", "inline.md", "sub"], ignore: ["guide.md", "**/*.png", "nope/**", "http://auto.link/**"] });
    expectGolden(GOLDEN, "check/tricky-ignore-paths", result);
  });

  it("on a tree from test/support/generate.mjs markdown (400 files)", async () => {
    const root = scratch("generated");
    execFileSync(process.execPath, [GEN, "markdown", root, "400"]);
    expectGolden(GOLDEN, "check/generated-400", await checkDocsLinks({ root, workers: 0 }));
  });

  it("on a random tree from test/support/docs-corpus.ts (300 files)", async () => {
    const root = scratch("random");
    writeRandomDocsTree(root, 300);
    expectGolden(GOLDEN, "check/random-300", await checkDocsLinks({ root, workers: 0 }));
  });
});

describe("scanMarkdown gives byte-identical links and anchors", () => {
  it.each(Object.keys(TRICKY_DOCS).filter((path) => path.endsWith(".md")))("on tricky %s", (path) => {
    expectGolden(GOLDEN, `scan/tricky/${path}`, scanMarkdown(TRICKY_DOCS[path] as string));
  });

  it("on 3 000 random documents", () => {
    expectGolden(GOLDEN, "scan/random-3000", randomDocuments(3000).map((doc) => scanMarkdown(doc)));
  });
});
