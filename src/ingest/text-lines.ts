import type { Readable } from "node:stream";
import { ShipgateError } from "../errors.js";
import { HEAD_BYTES } from "./json-stream.js";
import type { ParseContext } from "./types.js";

/** One line of a text report, without its line break. */
export interface TextLine {
  /** The line's text, decoded as UTF-8 (bad bytes become U+FFFD), cut at `MAX_LINE_CHARS`. */
  text: string;
  /** 1-based line number in the report. */
  line: number;
  /** True when the line was longer than `MAX_LINE_CHARS` and the rest was dropped. */
  cut: boolean;
}

/** Longest line kept whole: a diagnostic line of a compiler is far shorter; a longer one is binary or minified. */
export const MAX_LINE_CHARS = 64 * 1024;

/**
 * The lines of a text report, one at a time, as the stream delivers them. Breaks are `\n`, `\r\n` or
 * a lone `\r`, as in editors. Memory stays bounded by `MAX_LINE_CHARS` whatever the input: a line that
 * runs on (a binary file, a minified bundle) is cut, and the rest of it skipped. A read error becomes
 * REPORT_NOT_FOUND, as for JSON reports.
 */
export async function* readTextLines(stream: Readable, ctx: ParseContext): AsyncGenerator<TextLine> {
  const decoder = new TextDecoder("utf-8");
  let pending = "";
  let cut = false;
  let line = 1;
  // A chunk ending in "\r" may be the first half of "\r\n": the "\n" that opens the next chunk ends no line.
  let afterCR = false;

  function* split(text: string): Generator<TextLine> {
    let start = 0;
    if (afterCR && text.startsWith("\n")) start = 1;
    afterCR = false;
    // Where the next "\r" and "\n" are, each searched again only once passed: searching both on every line
    // re-read the rest of the chunk per line when it holds only one kind (quadratic in the chunk).
    let cr = -2;
    let lf = -2;
    for (;;) {
      if (cr !== -1 && cr < start) cr = text.indexOf("\r", start);
      if (lf !== -1 && lf < start) lf = text.indexOf("\n", start);
      const end = cr === -1 ? lf : lf === -1 ? cr : Math.min(cr, lf);
      if (end === -1) break;
      yield take(text.slice(start, end));
      if (text[end] === "\r") {
        if (end + 1 === text.length) afterCR = true;
        start = text[end + 1] === "\n" ? end + 2 : end + 1;
      } else {
        start = end + 1;
      }
    }
    append(text.slice(start));
  }
  const append = (text: string): void => {
    if (cut) return;
    pending += text;
    if (pending.length > MAX_LINE_CHARS) {
      pending = pending.slice(0, MAX_LINE_CHARS);
      cut = true;
    }
  };
  const take = (tail: string): TextLine => {
    append(tail);
    const result = { text: pending, line: line++, cut };
    pending = "";
    cut = false;
    return result;
  };

  try {
    for await (const data of stream as AsyncIterable<Buffer | string>) {
      yield* split(typeof data === "string" ? data : decoder.decode(data, { stream: true }));
    }
  } catch (error) {
    throw new ShipgateError("REPORT_NOT_FOUND", `[ingest] ${ctx.file}: cannot read the report: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  yield* split(decoder.decode());
  if (pending.length > 0 || cut) yield take("");
}

// CSI sequences (colours, `\x1b[0m`) and OSC 8 hyperlinks, which tsc --pretty and some CI logs write.
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/** `text` without terminal colour and hyperlink escapes. */
export const stripAnsi = (text: string): string => (text.includes("\x1b") ? text.replace(ANSI, "") : text);

/**
 * The complete lines of a report's first bytes, escapes stripped, blank ones dropped: what a text format's
 * `detect` looks at. A head of `HEAD_BYTES` may end mid-line; that piece is left out.
 */
export function headLines(head: Buffer, max = 20): string[] {
  const lines = head.toString("utf8").split(/\r\n|\r|\n/);
  if (head.length >= HEAD_BYTES) lines.pop();
  return lines
    .map(stripAnsi)
    .filter((line) => line.trim() !== "")
    .slice(0, max);
}

/** A line for a message: quoted and cut to 120 characters, or "binary data" when it is not text at all. */
export const quoteLine = (text: string): string =>
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\uFFFD]/.test(text) ? "binary data, not text" : JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text);
