import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { Diagnostic } from "./types.js";
import { createXmlReader, MAX_XML_DEPTH, type XmlHandler, type XmlTextReader } from "./xml.js";

/** The JUnit parser's handler, with one event more for the scanner's most frequent tag. */
export interface JunitScanHandler extends XmlHandler {
  /**
   * A `<testcase>` opens inside the root while no other `<testcase>` is open: exactly what
   * `onOpen("testcase", attrs, line)` (then `onClose("testcase")` when `selfClosing`) does with these attributes.
   * `file` is `attrs.file ?? attrs.filepath`, `declared` is `attrs.status ?? attrs.result`; `seconds` is the time
   * attribute's value when it is a plain decimal (see plainDecimalAt), NaN otherwise, and then `time` is the
   * attribute (undefined without one). Strings are fresh flat copies, safe to keep.
   */
  onCase(classname: string | undefined, name: string | undefined, file: string | undefined, seconds: number, time: string | undefined, declared: string | undefined, line: number, selfClosing: boolean): void;
}

/** Buffer's own slicers, which toString calls after checking its arguments (not declared by @types/node). */
interface Slicing {
  latin1Slice(from: number, to: number): string;
  utf8Slice(from: number, to: number): string;
}

/**
 * Longest unfinished tag carried over to the next chunk (a longer one is handed over). Carrying is what the
 * reader does too: it re-reads a short remainder with the next chunk, and joins the chunks a longer one spans
 * (see MarkupEnd in xml.ts) before reading it, so either way it reads the tag from the same text. Bounded,
 * because each chunk the tag spans copies it again.
 */
const CARRY_LIMIT = 1 << 16;
/** The XML reader's SHORT_REMAINDER: the longest unfinished markup it re-reads with each new chunk, in characters. */
const SHORT_REMAINDER = 64;
const NO_ATTRS: Record<string, string> = Object.freeze({});
const EMPTY = Buffer.alloc(0);
/** How many element and attribute names the scanner remembers for reuse, as the XML reader does. */
const MAX_NAMES = 1024;

/** What readAttributes returns besides a position. */
const INCOMPLETE = -1;
const IRREGULAR = -2;

/** What scan returns when it read the whole buffer, and (minus a position) where it stopped at a construct it leaves to the reader. */
const ALL_READ = -1;
const IRREGULAR_AT = -2;

/** Kinds of tag readAttributes reads. */
const SKIP = 0;
const GENERIC = 1;
const CASE = 2;

/**
 * Reads a JUnit report with a byte-level scanner while it has the regular shape test tools write, and hands the
 * rest of the document to the general XML reader (readXml's) at the first thing it does not read itself.
 *
 * Why: the general reader decodes every chunk into a string, then builds names, attribute objects and values
 * before anyone asks for them, through many small polymorphic functions that V8 compiled twice on a large
 * report. This reads the bytes of whole tags in one loop and makes a string only for a value the parser keeps
 * (latin1 when its bytes are ASCII), decoding entities only when the value holds an `&`.
 *
 * What it reads itself: the XML declaration and other processing instructions, comments, start and end tags
 * with double- or single-quoted attributes (name, `=`, quote, no white space around `=`), values with the five
 * predefined entities, CDATA and text inside the root, ASCII white space outside it. At anything else (a DOCTYPE,
 * a character reference, an unknown entity, a BOM, a malformed or mismatched tag, text outside the root, a
 * comment or CDATA section a chunk cuts short, a tag cut short and longer than the reader would hold back), it
 * hands over from the start of that construct with the open elements and the line it reached: the reader then
 * sees the text it would have seen at that point, so every output and every error stays the reader's.
 * A tag a chunk cuts short (at most CARRY_LIMIT bytes) is carried into the next chunk, as the reader does.
 * Memory: one chunk plus the carried bytes (CARRY_LIMIT), the open elements, and one copy of the last classname.
 */
export async function scanJunitXml(stream: Readable, file: string, handler: JunitScanHandler, diagnostics: Diagnostic[]): Promise<void> {
  const scanner = new JunitScanner(file, handler, diagnostics);
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    if (typeof chunk === "string") scanner.feedText(chunk);
    else scanner.feed(chunk);
  }
  scanner.end();
}

class JunitScanner {
  private readonly stack: string[] = [];
  private readonly stackLines: number[] = [];
  /** How many <testcase> elements are open. */
  private openCases = 0;
  /** Line of the first byte not read yet. */
  private line = 1;
  private started = false;
  private sawRoot = false;
  private rootClosed = false;
  private carry: Buffer | undefined;
  /** Bytes the carried tag had when it grew longer than the reader's SHORT_REMAINDER (see handOver); -1: it did not. */
  private waitBytes = -1;
  /** Set once the rest of the document goes to the XML reader. */
  private reader: XmlTextReader | undefined;
  private readonly decoder = new StringDecoder("utf8");
  private readonly names = new Map<number, string>();

  // What readAttributes found in the last tag.
  private selfClosing = false;
  private tagLines = 0;
  private attrs: Record<string, string> = NO_ATTRS;
  private classname: string | undefined;
  private name: string | undefined;
  private file: string | undefined;
  private filepath: string | undefined;
  private time: string | undefined;
  private seconds = Number.NaN;
  private status: string | undefined;
  private result: string | undefined;
  /** The bytes of the last classname read (no `&` in them) and its string, to reuse for the next case of its suite. */
  private lastClassBytes: Buffer = EMPTY;
  private lastClassname: string | undefined;

  constructor(
    private readonly fileName: string,
    private readonly handler: JunitScanHandler,
    private readonly diagnostics: Diagnostic[],
  ) {}

  feed(chunk: Buffer): void {
    if (this.reader !== undefined) {
      this.reader.feed(this.decoder.write(chunk));
      return;
    }
    if (chunk.length === 0) return;
    let buf = chunk;
    const waited = this.waitBytes;
    this.waitBytes = -1;
    if (this.carry !== undefined) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    if (!this.started) {
      // A BOM or leading white space: the reader's start-of-document checks apply.
      if (buf[0] !== 60 /* < */) {
        this.handOver(buf, 0, -1);
        return;
      }
      this.started = true;
    }
    const stop = this.scan(buf);
    if (stop >= 0) {
      if (stop === 0 && waited !== -1) this.waitBytes = waited;
      else if (buf.length - stop > SHORT_REMAINDER && decodedLength(buf.subarray(stop)) > SHORT_REMAINDER) this.waitBytes = buf.length - stop;
      // Copied: a view would keep the whole chunk alive.
      if (buf.length - stop <= CARRY_LIMIT) this.carry = Buffer.from(buf.subarray(stop));
      else this.handOver(buf, stop, this.waitBytes);
    } else if (stop !== ALL_READ) {
      // Only the construct at 0 can be the carried one.
      const at = IRREGULAR_AT - stop;
      this.handOver(buf, at, at === 0 ? waited : -1);
    }
  }

  /** A stream of strings (not what a file gives): read as readXml reads it, from here on. */
  feedText(text: string): void {
    if (this.reader === undefined) this.handOver(this.carry ?? EMPTY, 0, this.waitBytes);
    this.reader?.feed(text);
  }

  end(): void {
    if (this.reader === undefined && (this.carry !== undefined || this.stack.length > 0 || !this.sawRoot)) this.handOver(this.carry ?? EMPTY, 0, this.waitBytes);
    if (this.reader !== undefined) {
      this.reader.feed(this.decoder.end());
      this.reader.end();
    }
  }

  /**
   * The rest of the document, from `buf[from]`, goes to the reader. `waited` (-1: none) is how many bytes of an
   * unfinished tag at `from` the earlier chunks held when the reader would have started waiting for its end
   * (it was longer than SHORT_REMAINDER): the reader is fed those first, so that it waits from the same point
   * and reads the tag as often as it would have (it counts unknown entity references each time it reads one).
   */
  private handOver(buf: Buffer, from: number, waited: number): void {
    this.carry = undefined;
    this.waitBytes = -1;
    const resume = this.started ? { stack: this.stack, stackLines: this.stackLines, line: this.line, sawRoot: this.sawRoot, rootClosed: this.rootClosed } : undefined;
    const reader = createXmlReader(this.fileName, this.handler, this.diagnostics, resume);
    this.reader = reader;
    if (waited > 0) {
      reader.feed(this.decoder.write(buf.subarray(from, from + waited)));
      from += waited;
    }
    reader.feed(this.decoder.write(buf.subarray(from)));
  }

  /**
   * Reads `buf` from its start. Returns where an unfinished construct starts (to carry or hand over), or
   * `-(p + 1)` for a construct at `p` that the scanner leaves to the reader (`-(buf.length + 1)`: all read).
   */
  private scan(buf: Buffer): number {
    const len = buf.length;
    const stack = this.stack;
    const handler = this.handler;
    let line = this.line;
    let pos = 0;
    /** What scan returns (see above): set where the loop ends, so that nothing after the loop needs type feedback. */
    let result = ALL_READ;
    // `this.line` is kept current inside the loop, not stored after it: V8 optimizes this loop while it runs
    // (on-stack replacement), and a store after it that never ran has no type feedback, so it deoptimized the
    // loop at the end of the first chunk.
    for (;;) {
      this.line = line;
      if (pos >= len) break;
      // Text up to the next `<`.
      let i = pos;
      let newlines = 0;
      if (stack.length === 0) {
        for (; i < len; i++) {
          const c = buf[i] as number;
          if (c === 60 /* < */) break;
          if (c === 10) newlines++;
          else if (c !== 32 && c !== 9 && c !== 13) break;
        }
        if (i < len && buf[i] !== 60) {
          result = IRREGULAR_AT - pos;
          break;
        }
      } else {
        for (; i < len; i++) {
          const c = buf[i] as number;
          if (c === 60 /* < */) break;
          if (c === 10) newlines++;
        }
        if (i > pos && handler.wantsText?.() === true) {
          // A failure's text without a message: only when the chunk holds all of it, with no entity but the five.
          const text = i < len ? valueOf(buf, pos, i, textFlags(buf, pos, i)) : undefined;
          if (text === undefined) {
            result = IRREGULAR_AT - pos;
            break;
          }
          handler.onText?.(text);
        }
      }
      line += newlines;
      pos = i;
      this.line = line;
      if (pos >= len) break;
      // At a `<`.
      const lt = pos;
      if (lt + 1 >= len) {
        result = lt;
        break;
      }
      const c1 = buf[lt + 1] as number;
      if (c1 === 47 /* / */) {
        const top = stack[stack.length - 1];
        if (top === undefined) {
          result = IRREGULAR_AT - pos;
          break;
        }
        let at = lt + 2;
        let k = 0;
        for (; k < top.length && at < len; k++, at++) if (buf[at] !== top.charCodeAt(k)) break;
        if (at >= len) {
          result = lt;
          break;
        }
        if (k < top.length) {
          result = IRREGULAR_AT - pos;
          break;
        }
        let tagLines = 0;
        let c = buf[at] as number;
        while (c === 32 || c === 10 || c === 9 || c === 13) {
          if (c === 10) tagLines++;
          if (++at >= len) break;
          c = buf[at] as number;
        }
        if (at >= len) {
          result = lt;
          break;
        }
        if (c !== 62 /* > */) {
          result = IRREGULAR_AT - pos;
          break;
        }
        this.close();
        line += tagLines;
        pos = at + 1;
        continue;
      }
      if (c1 === 63 /* ? */) {
        const end = indexOfPair(buf, 63 /* ? */, 62 /* > */, lt + 2);
        if (end === -1) {
          result = lt;
          break;
        }
        line += countNewlines(buf, lt, end);
        pos = end + 2;
        continue;
      }
      if (c1 === 33 /* ! */) {
        // Whether the chunk may end inside a `<![CDATA[` (or `<!DOCTYPE`): decided here, on every `<!`, not only at
        // the chunk's end, so that V8 has type feedback for it when it optimizes this loop. Decided at the end only,
        // the first CDATA section a chunk's end cut short threw the optimized loop away in the middle of a parse,
        // and the rest of that chunk ran in slow code until scan was compiled again (2.28 -> 2.09 G instructions
        // for the 100k-case benchmark report, whose chunks end so).
        const cutShort = len - lt < 9;
        if (startsWith(buf, lt, "<!--")) {
          const end = indexOfTriple(buf, 45 /* - */, 45, 62 /* > */, lt + 4);
          if (end === -1) {
            result = IRREGULAR_AT - pos;
            break;
          }
          line += countNewlines(buf, lt, end);
          pos = end + 3;
          continue;
        }
        if (stack.length > 0 && startsWith(buf, lt, "<![CDATA[")) {
          const end = indexOfTriple(buf, 93 /* ] */, 93, 62 /* > */, lt + 9);
          if (end === -1) {
            result = IRREGULAR_AT - pos;
            break;
          }
          if (end > lt + 9 && handler.wantsText?.() === true) handler.onText?.(buf.toString("utf8", lt + 9, end));
          line += countNewlines(buf, lt, end);
          pos = end + 3;
          continue;
        }
        result = cutShort ? lt : IRREGULAR_AT - pos;
        break;
      }
      // A start tag: its name, then its attributes.
      let at = lt + 1;
      while (at < len && isNameByte(buf[at] as number)) at++;
      if (at >= len) {
        result = lt;
        break;
      }
      const delimiter = buf[at] as number;
      if (at === lt + 1 || !(delimiter === 32 || delimiter === 62 || delimiter === 47 || delimiter === 10 || delimiter === 9 || delimiter === 13)) {
        result = IRREGULAR_AT - pos;
        break;
      }
      // The reader refuses these (a second root, too deep): let it say so.
      if (this.rootClosed || stack.length >= MAX_XML_DEPTH) {
        result = IRREGULAR_AT - pos;
        break;
      }
      const name = this.nameAt(buf, lt + 1, at);
      const kind = name === "testcase" && stack.length > 0 && this.openCases === 0 ? CASE : handler.wantsAttributes?.(name) === false ? SKIP : GENERIC;
      const end = this.readAttributes(buf, at, kind);
      if (end === INCOMPLETE) {
        result = lt;
        break;
      }
      if (end === IRREGULAR) {
        result = IRREGULAR_AT - pos;
        break;
      }
      this.sawRoot = true;
      if (kind === CASE) {
        if (!this.selfClosing) {
          stack.push(name);
          this.stackLines.push(line);
          this.openCases++;
        }
        handler.onCase(this.classname, this.name, this.file ?? this.filepath, this.seconds, this.time, this.status ?? this.result, line, this.selfClosing);
      } else {
        stack.push(name);
        this.stackLines.push(line);
        if (name === "testcase") this.openCases++;
        handler.onOpen(name, kind === GENERIC ? this.attrs : NO_ATTRS, line);
        if (this.selfClosing) this.close();
      }
      line += this.tagLines;
      pos = end;
    }
    return result;
  }

  private close(): void {
    const name = this.stack.pop() as string;
    this.stackLines.pop();
    if (name === "testcase") this.openCases--;
    if (this.stack.length === 0) this.rootClosed = true;
    this.handler.onClose(name);
  }

  /**
   * Reads the attributes of a start tag from `at` (after its name) to its `>`: returns the position after it,
   * INCOMPLETE when the buffer ends first, IRREGULAR at anything the scanner leaves to the reader. Sets
   * selfClosing and tagLines, and the attribute fields (CASE) or `attrs` (GENERIC); SKIP only checks the shape.
   */
  private readAttributes(buf: Buffer, at: number, kind: number): number {
    const len = buf.length;
    let newlines = 0;
    if (kind === GENERIC) this.attrs = {};
    else if (kind === CASE) {
      this.classname = this.name = this.file = this.filepath = this.time = this.status = this.result = undefined;
      this.seconds = Number.NaN;
    }
    for (;;) {
      let c = 0;
      for (; at < len; at++) {
        c = buf[at] as number;
        if (c === 10) newlines++;
        else if (c !== 32 && c !== 9 && c !== 13) break;
      }
      if (at >= len) return INCOMPLETE;
      if (c === 62 /* > */ || c === 47 /* / */) {
        if (c === 47) {
          if (at + 1 >= len) return INCOMPLETE;
          if (buf[at + 1] !== 62) return IRREGULAR;
          at++;
        }
        this.selfClosing = c === 47;
        this.tagLines = newlines;
        return at + 1;
      }
      const nameFrom = at;
      while (at < len && isNameByte(buf[at] as number)) at++;
      if (at >= len) return INCOMPLETE;
      if (at === nameFrom || buf[at] !== 61 /* = */) return IRREGULAR;
      if (at + 1 >= len) return INCOMPLETE;
      const nameTo = at;
      const quote = buf[at + 1] as number;
      if (quote !== 34 && quote !== 39) return IRREGULAR;
      const valueFrom = at + 2;
      // 1: an `&`; 2: a byte outside ASCII.
      let flags = 0;
      for (at = valueFrom; at < len; at++) {
        c = buf[at] as number;
        if (c === quote) break;
        if (c === 10) newlines++;
        else if (c === 38) flags |= 1;
        else if (c > 127) flags |= 2;
      }
      if (at >= len) return INCOMPLETE;
      // Read before looking further: the reader decodes each value it finishes, also in a tag that turns out cut
      // short, and counts the entities it cannot expand each time, so such a value is the reader's at once.
      // (For SKIP, the reader reads a cut-short tag's values that way too.)
      if (kind === SKIP ? (flags & 1) !== 0 && valueOf(buf, valueFrom, at, flags) === undefined : !this.attribute(buf, nameFrom, nameTo, valueFrom, at, flags, kind)) return IRREGULAR;
      if (at + 1 >= len) return INCOMPLETE;
      c = buf[++at] as number;
      if (!(c === 32 || c === 62 || c === 47 || c === 10 || c === 9 || c === 13)) return IRREGULAR;
    }
  }

  /** Keeps one attribute's value; false when it holds an entity the scanner does not decode. */
  private attribute(buf: Buffer, nameFrom: number, nameTo: number, from: number, to: number, flags: number, kind: number): boolean {
    if (kind === GENERIC) {
      const value = valueOf(buf, from, to, flags);
      if (value === undefined) return false;
      this.attrs[this.nameAt(buf, nameFrom, nameTo)] = value;
      return true;
    }
    const length = nameTo - nameFrom;
    const first = buf[nameFrom] as number;
    if (length === 9 && first === 99 /* c */ && startsWith(buf, nameFrom, "classname")) {
      // The cases of a suite repeat one classname: the same bytes (without entities) give the same string.
      const last = this.lastClassBytes;
      if (flags === 0 && last.length === to - from && last.length > 0 && equalBytes(buf, from, last)) {
        this.classname = this.lastClassname;
        return true;
      }
      const value = valueOf(buf, from, to, flags);
      if (value === undefined) return false;
      if (flags === 0) {
        this.lastClassBytes = Buffer.from(buf.subarray(from, to));
        this.lastClassname = value;
      }
      this.classname = value;
      return true;
    }
    if (length === 4 && first === 116 /* t */ && startsWith(buf, nameFrom, "time")) {
      const seconds = flags === 0 ? plainDecimalAt(buf, from, to) : Number.NaN;
      if (seconds === seconds) {
        this.seconds = seconds;
        this.time = undefined;
        return true;
      }
      const value = valueOf(buf, from, to, flags);
      if (value === undefined) return false;
      this.seconds = Number.NaN;
      this.time = value;
      return true;
    }
    const value = valueOf(buf, from, to, flags);
    if (value === undefined) return false;
    if (length === 4 && first === 110 /* n */ && startsWith(buf, nameFrom, "name")) this.name = value;
    else if (length === 4 && first === 102 /* f */ && startsWith(buf, nameFrom, "file")) this.file = value;
    else if (length === 8 && first === 102 && startsWith(buf, nameFrom, "filepath")) this.filepath = value;
    else if (length === 6 && first === 115 /* s */ && startsWith(buf, nameFrom, "status")) this.status = value;
    else if (length === 6 && first === 114 /* r */ && startsWith(buf, nameFrom, "result")) this.result = value;
    return true;
  }

  /** The ASCII name from `from` to `to`, as the one string used for it last time (names repeat). */
  private nameAt(buf: Buffer, from: number, to: number): string {
    const length = to - from;
    const key = ((buf[from] as number) << 10) | length;
    const known = length < 1024 ? this.names.get(key) : undefined;
    if (known !== undefined) {
      let k = 0;
      while (k < length && buf[from + k] === known.charCodeAt(k)) k++;
      if (k === length) return known;
    }
    const name = (buf as unknown as Slicing).latin1Slice(from, to);
    if (length < 1024 && this.names.size < MAX_NAMES) this.names.set(key, name);
    return name;
  }
}

/** How many UTF-16 characters the reader would hold for these bytes (the decoder keeps an unfinished character back). */
function decodedLength(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; i++) if ((bytes[i] as number) > 127) return new StringDecoder("utf8").write(bytes).length;
  return bytes.length;
}

/** A character of an element or attribute name the scanner reads: ASCII letters, digits, `_ . : -`. */
function isNameByte(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 58) || c === 95 || c === 46 || c === 45;
}

/** The flags readAttributes computes, for text. */
function textFlags(buf: Buffer, from: number, to: number): number {
  let flags = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i] as number;
    if (c === 38) flags |= 1;
    else if (c > 127) flags |= 2;
  }
  return flags;
}

/**
 * The value between `from` and `to` as the reader gives it: latin1 when its bytes are ASCII (the same string,
 * made faster), UTF-8 otherwise; undefined when it holds an `&` that is not one of the five XML entities.
 */
function valueOf(buf: Buffer, from: number, to: number, flags: number): string | undefined {
  if ((flags & 1) === 0) return (flags & 2) === 0 ? (buf as unknown as Slicing).latin1Slice(from, to) : (buf as unknown as Slicing).utf8Slice(from, to);
  // Entities decoded byte by byte into a scratch buffer, then sliced once: each of the five stands for one ASCII byte.
  if (decoded.length < to - from) decoded = Buffer.allocUnsafe(Math.max(2 * decoded.length, to - from));
  const out = decoded;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = buf[i] as number;
    if (c !== 38 /* & */) {
      out[n++] = c;
      continue;
    }
    const c1 = buf[i + 1];
    const c2 = buf[i + 2];
    const c3 = buf[i + 3];
    if (c2 === 116 /* t */ && c3 === 59 /* ; */ && (c1 === 108 /* l */ || c1 === 103 /* g */)) {
      out[n++] = c1 === 108 ? 60 /* < */ : 62 /* > */;
      i += 3;
    } else if (c1 === 97 /* a */ && c2 === 109 /* m */ && c3 === 112 /* p */ && buf[i + 4] === 59) {
      out[n++] = 38;
      i += 4;
    } else if (c1 === 113 /* q */ && c2 === 117 /* u */ && c3 === 111 /* o */ && buf[i + 4] === 116 /* t */ && buf[i + 5] === 59) {
      out[n++] = 34 /* " */;
      i += 5;
    } else if (c1 === 97 /* a */ && c2 === 112 /* p */ && c3 === 111 /* o */ && buf[i + 4] === 115 /* s */ && buf[i + 5] === 59) {
      out[n++] = 39 /* ' */;
      i += 5;
    } else {
      return undefined;
    }
    // An entity's `;` past the value's end is another value's: not this one's entity.
    if (i >= to) return undefined;
  }
  return (flags & 2) === 0 ? (out as unknown as Slicing).latin1Slice(0, n) : (out as unknown as Slicing).utf8Slice(0, n);
}

/** The scratch buffer valueOf decodes into (grown as needed; one for all parses). */
let decoded = Buffer.allocUnsafe(1024);

function startsWith(buf: Buffer, at: number, text: string): boolean {
  if (at + text.length > buf.length) return false;
  for (let k = 0; k < text.length; k++) if (buf[at + k] !== text.charCodeAt(k)) return false;
  return true;
}

function equalBytes(buf: Buffer, at: number, bytes: Buffer): boolean {
  for (let k = 0; k < bytes.length; k++) if (buf[at + k] !== bytes[k]) return false;
  return true;
}

function countNewlines(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (buf[i] === 10) n++;
  return n;
}

/** Where the bytes `a b` first occur at or after `from`, or -1. */
function indexOfPair(buf: Buffer, a: number, b: number, from: number): number {
  for (let i = from; i + 1 < buf.length; i++) if (buf[i] === a && buf[i + 1] === b) return i;
  return -1;
}

/** Where the bytes `a b c` first occur at or after `from`, or -1. */
function indexOfTriple(buf: Buffer, a: number, b: number, c: number, from: number): number {
  for (let i = from; i + 2 < buf.length; i++) if (buf[i] === a && buf[i + 1] === b && buf[i + 2] === c) return i;
  return -1;
}

const POWERS_OF_TEN = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `Number(value)` for a time as tools write it ("1.454", "0", ".5"): digits with at most one dot and at most
 * 15 digits; NaN for anything else. Exact, as junit.ts's plainDecimal explains (the same rule, over bytes).
 */
function plainDecimalAt(buf: Buffer, from: number, to: number): number {
  const len = to - from;
  if (len === 0 || len > 16) return Number.NaN;
  let digits = 0;
  let mantissa = 0;
  let dot = -1;
  for (let i = from; i < to; i++) {
    const c = buf[i] as number;
    if (c >= 48 && c <= 57) {
      mantissa = mantissa * 10 + (c - 48);
      digits++;
    } else if (c === 46 /* . */ && dot === -1) {
      dot = i;
    } else {
      return Number.NaN;
    }
  }
  if (digits === 0 || digits > 15) return Number.NaN;
  return dot === -1 ? mantissa : mantissa / (POWERS_OF_TEN[to - dot - 1] as number);
}
