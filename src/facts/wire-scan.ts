import type { Diagnostic } from "../ingest/types.js";
import type { MarkdownScan } from "./markdown-links.js";

/**
 * A file's fragments as kept until the end: one "\n"-joined string for the usual few (a Set per file
 * costs ~1 KB; with 100k files it was the largest thing in memory), a Set when there are many. Both
 * hold fresh strings: a slug can be a slice of the file's text, which would keep the whole text alive.
 */
export type Anchors = Set<string> | string;

export const compactAnchors = (anchors: Set<string>): Anchors =>
  anchors.size > 32 ? new Set(Array.from(anchors, (a) => ` ${a}`.slice(1))) : `\n${[...anchors].join("\n")}\n`;

/**
 * A scan as a worker thread posts it: the anchors already compact and the links as one flat array
 * (href, target or null when it is the href, line, column or 0), which the structured clone copies
 * and rebuilds about three times faster than one object per link.
 */
export interface WireScan {
  anchors: Anchors;
  links: (string | number | null)[];
}

export function toWireScan(scan: MarkdownScan): WireScan {
  const links: (string | number | null)[] = [];
  for (const link of scan.links) links.push(link.href, link.target === link.href ? null : link.target, link.line, link.column ?? 0);
  return { anchors: compactAnchors(scan.anchors), links };
}

/** What a docs-check worker posts for the files [start, start + scans.length): each one's scan, and the diagnostics by file index. */
export interface WorkerBatch {
  start: number;
  scans: (WireScan | undefined)[];
  diagnostics: { index: number; diagnostic: Diagnostic }[];
}
