import { readFileSync } from "node:fs";
import type { Diagnostic } from "../ingest/types.js";
import { scanLinks } from "./link-scanner.js";
import type { MarkdownScan } from "./markdown-links.js";

const asError = (error: unknown): Error => (error instanceof Error ? error : new Error(String(error)));

/**
 * Reads and scans one markdown file. A file that cannot be read or parsed yields undefined and a
 * diagnostic, never an exception: one bad file must not stop the check of the others.
 */
export function scanFile(fileAbs: string, file: string, diagnostics: Diagnostic[]): MarkdownScan | undefined {
  let content: string;
  try {
    content = readFileSync(fileAbs, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    diagnostics.push({ level: "warning", code: "docs.unreadable", message: `${file}: cannot be read (${code ?? asError(error).message}); its links and anchors were not checked`, file });
    return undefined;
  }
  try {
    return scanLinks(content);
  } catch (error) {
    diagnostics.push({ level: "warning", code: "docs.parse-failed", message: `${file}: could not be parsed as markdown (${asError(error).message}); its links were not checked`, file });
    return undefined;
  }
}
