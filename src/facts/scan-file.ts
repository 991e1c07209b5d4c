import { closeSync, openSync, readSync } from "node:fs";
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
    content = readText(fileAbs);
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

/** Bytes read at a time; a docs file usually fits in one read. */
const READ_SIZE = 1 << 16;
/** The read buffer, reused from file to file (grown for a bigger file, shrunk back after it). */
let buffer = Buffer.allocUnsafe(READ_SIZE);

/**
 * The file's text, as `readFileSync(path, "utf8")` gives it (the same decoding, the same errors: EISDIR from the
 * read of a folder, ENOENT from the open), with fewer system calls and no buffer per file: open, read until a
 * read comes back short, close — readFileSync also stats the file and reads once more to see the end. Most
 * of the time of reading 10 000 small files went to those calls. Memory: the buffer, as big as the biggest file.
 */
function readText(path: string): string {
  const fd = openSync(path, "r");
  try {
    let length = 0;
    for (;;) {
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      length += read;
      // A regular file's read comes back short only at its end; anything else ends with a read of 0.
      if (read === 0 || length < buffer.length) break;
    }
    const text = buffer.toString("utf8", 0, length);
    if (buffer.length > READ_SIZE) buffer = Buffer.allocUnsafe(READ_SIZE);
    return text;
  } finally {
    closeSync(fd);
  }
}
