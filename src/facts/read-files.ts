import { closeSync, openSync, readSync } from "node:fs";
import type { Diagnostic } from "../ingest/types.js";

// Reading docs files without the scanner (markdown-it): the docs check reads files on its own thread for its workers.

/** The diagnostic for a file that could not be read (`file` from root). */
export function unreadableFile(file: string, error: unknown): Diagnostic {
  const code = (error as NodeJS.ErrnoException).code;
  return { level: "warning", code: "docs.unreadable", message: `${file}: cannot be read (${code ?? (error instanceof Error ? error.message : String(error))}); its links and anchors were not checked`, file };
}

/**
 * Appends the bytes of the file at `path` to `buffer` from `at`, growing the buffer (by doubling) as needed;
 * returns the buffer (a new one when it grew) and where the file's bytes end. Open, read until a read comes
 * back short, close: `readFileSync` also stats the file and reads once more to see the end, and on 10 000
 * small files most of the read's time went to those calls. Throws as `readFileSync` does (ENOENT from the
 * open, EISDIR from the read of a folder); the bytes of a failed read are then past the returned end anyway.
 */
export function appendFile(path: string, buffer: Buffer, at: number): { buffer: Buffer; end: number } {
  const fd = openSync(path, "r");
  try {
    let end = at;
    for (;;) {
      if (end === buffer.length) {
        const bigger = Buffer.allocUnsafeSlow(buffer.length * 2);
        buffer.copy(bigger, 0, 0, end);
        buffer = bigger;
      }
      const read = readSync(fd, buffer, end, buffer.length - end, null);
      end += read;
      // A regular file's read comes back short only at its end; anything else ends with a read of 0.
      if (read === 0 || end < buffer.length) return { buffer, end };
    }
  } finally {
    closeSync(fd);
  }
}

/** Bytes read at a time by readText; a docs file usually fits in one read. */
const READ_SIZE = 1 << 16;
/** readText's buffer, reused from file to file (grown for a bigger file, shrunk back after it). */
let textBuffer: Buffer = Buffer.allocUnsafeSlow(READ_SIZE);

/**
 * The file's text, as `readFileSync(path, "utf8")` gives it (the same decoding, the same errors), with fewer
 * system calls and no buffer per file (see appendFile). Memory: one buffer, as big as the biggest file.
 */
export function readText(path: string): string {
  const { buffer, end } = appendFile(path, textBuffer, 0);
  const text = buffer.toString("utf8", 0, end);
  textBuffer = buffer.length > READ_SIZE ? Buffer.allocUnsafeSlow(READ_SIZE) : buffer;
  return text;
}

/**
 * Files [start, start + rels.length) as the docs check posts them to a worker: read into one buffer (file
 * `start + i`'s bytes are `bytes[ends[i - 1] ?? 0, ends[i])`; a file that could not be read has no bytes and
 * its diagnostic in `unreadable`), or, with `bytes` null, only named (`paths`, absolute) for the worker to read.
 */
export interface FileBatch {
  start: number;
  rels: string[];
  bytes: ArrayBuffer | null;
  ends: Int32Array;
  unreadable: { index: number; diagnostic: Diagnostic }[];
  paths: string[] | null;
}

/** Bytes a batch's buffer starts with (grown by doubling: a batch of docs files is usually ~100 KB). */
const BATCH_BYTES = 1 << 17;

/** Reads files [start, end) of `files` (absolute; `rels` the same from root) into one FileBatch. */
export function readBatch(files: readonly string[], rels: readonly string[], start: number, end: number): FileBatch {
  let buffer: Buffer = Buffer.allocUnsafeSlow(BATCH_BYTES);
  let used = 0;
  const ends = new Int32Array(end - start);
  const unreadable: FileBatch["unreadable"] = [];
  for (let i = start; i < end; i++) {
    try {
      ({ buffer, end: used } = appendFile(files[i] as string, buffer, used));
    } catch (error) {
      unreadable.push({ index: i, diagnostic: unreadableFile(rels[i] as string, error) });
    }
    ends[i - start] = used;
  }
  // allocUnsafeSlow's buffer is a whole ArrayBuffer of its own, so it can be transferred, not copied.
  return { start, rels: rels.slice(start, end), bytes: buffer.buffer as ArrayBuffer, ends, unreadable, paths: null };
}

/** Files [start, end) of `files` as a FileBatch for the worker to read. */
export const unreadBatch = (files: readonly string[], rels: readonly string[], start: number, end: number): FileBatch => ({
  start,
  rels: rels.slice(start, end),
  bytes: null,
  ends: new Int32Array(0),
  unreadable: [],
  paths: files.slice(start, end),
});
