// The docs link check on list-heavy documents (test/support/list-docs.ts): checkDocsLinks' result on a tree of
// them and scanLinks' links and anchors per document, compared with the digests recorded before scanLinks read
// bullet lists itself (when markdown-it read every document with a list).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, it } from "vitest";
import { checkDocsLinks } from "../../src/facts/docs-links.js";
import { scanLinks } from "../../src/facts/link-scanner.js";
import { expectGolden } from "../support/golden.js";
import { listDocuments, writeListDocsTree } from "../support/list-docs.js";

const GOLDEN = new URL("docs-lists.json", import.meta.url);
const dirs: string[] = [];

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("the docs check on bullet lists gives byte-identical results", () => {
  it("on a tree of 300 list documents", async () => {
    const root = mkdtempSync(join(tmpdir(), "shipgate-golden-lists-"));
    dirs.push(root);
    writeListDocsTree(root, 300, 0x11575);
    expectGolden(GOLDEN, "check/lists-300", await checkDocsLinks({ root, workers: 0 }));
  });

  it("on 3 000 list documents", () => {
    expectGolden(GOLDEN, "scan/lists-3000", listDocuments(3000, 0x11576).map((doc) => {
      const scan = scanLinks(doc);
      return { links: scan.links, anchors: [...scan.anchors] };
    }));
  });
});
