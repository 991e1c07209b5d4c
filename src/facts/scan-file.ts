import type { Diagnostic } from "../ingest/types.js";
import { scanLinks } from "./link-scanner.js";
import type { MarkdownScan } from "./markdown-links.js";
import { readText, unreadableFile } from "./read-files.js";

/**
 * Reads and scans one markdown file. A file that cannot be read or parsed yields undefined and a
 * diagnostic, never an exception: one bad file must not stop the check of the others.
 */
export function scanFile(fileAbs: string, file: string, diagnostics: Diagnostic[]): MarkdownScan | undefined {
  let content: string;
  try {
    content = readText(fileAbs);
  } catch (error) {
    diagnostics.push(unreadableFile(file, error));
    return undefined;
  }
  return scanText(content, file, diagnostics);
}

/** Scans a file's text already read; undefined and a diagnostic when it cannot be parsed. */
export function scanText(content: string, file: string, diagnostics: Diagnostic[]): MarkdownScan | undefined {
  try {
    return scanLinks(content);
  } catch (error) {
    diagnostics.push({ level: "warning", code: "docs.parse-failed", message: `${file}: could not be parsed as markdown (${error instanceof Error ? error.message : String(error)}); its links were not checked`, file });
    return undefined;
  }
}
