// The link scanner's reading (scanLinks, the reading every docs-check worker makes, and the form a worker
// posts it in) on documents whose inline syntax sits at paragraph and heading edges, compared with digests
// recorded on the code before issue 14's work on the worker's per-file cost (the scanner reading offsets
// into the document instead of a copy of each paragraph).
import { describe, it } from "vitest";
import { scanLinks } from "../../src/facts/link-scanner.js";
import { toWireScan } from "../../src/facts/wire-scan.js";
import { randomDocuments } from "../support/docs-corpus.js";
import { inlineEdgeDocuments } from "../support/inline-edge-docs.js";
import { expectGolden } from "../support/golden.js";

const GOLDEN = new URL("docs-scanner.json", import.meta.url);

describe("scanLinks gives byte-identical links and anchors", () => {
  it("on 4 000 documents with inline syntax at paragraph and heading edges", () => {
    expectGolden(GOLDEN, "scan/inline-edges-4000", inlineEdgeDocuments(4000).map((doc) => scanLinks(doc)));
  });

  it("on 4 000 documents with inline syntax at paragraph and heading edges, as a worker posts them", () => {
    expectGolden(GOLDEN, "wire/inline-edges-4000", inlineEdgeDocuments(4000).map((doc) => toWireScan(scanLinks(doc))));
  });

  it("on 3 000 random documents (test/support/docs-corpus.ts), as a worker posts them", () => {
    expectGolden(GOLDEN, "wire/random-3000", randomDocuments(3000, 0x5eed0e0a).map((doc) => toWireScan(scanLinks(doc))));
  });
});
