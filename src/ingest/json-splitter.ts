import { isAscii, isUtf8 } from "node:buffer";
import type { JsonEntry, JsonValue } from "./json-types.js";
import { MAX_JSON_DEPTH } from "./json-depth.js";
import type { TokenReaderStart } from "./json-token-reader.js";

/**
 * Where the splitter stopped and the token reader must go on: from `start` (a prefix standing for the
 * document so far), reading `pending` (the bytes from `start.offset` the splitter holds), then the rest of the file.
 */
export interface SplitterHandover {
  start: TokenReaderStart;
  pending: Buffer[];
}

/** The values `paths` select, as a tree of keys: `$.runs.*.results.*` is runs → * → results → * (an entry). */
interface PathNode {
  named: Map<string, PathNode>;
  star: PathNode | undefined;
  /** True when a path ends here: the value is an entry, parsed whole. */
  isEntry: boolean;
}

function pathTree(paths: string[]): PathNode {
  const root: PathNode = { named: new Map(), star: undefined, isEntry: false };
  for (const path of paths) {
    let node = root;
    for (const key of path.split(".").slice(1)) {
      let child = key === "*" ? node.star : node.named.get(key);
      if (child === undefined) {
        child = { named: new Map(), star: undefined, isEntry: false };
        if (key === "*") node.star = child;
        else node.named.set(key, child);
      }
      node = child;
    }
    node.isEntry = true;
  }
  return root;
}

// Where the splitter is in the container it is inside.
const OBJECT_OPEN = 0; // after "{": a key or "}"
const OBJECT_KEY = 1; // after ",": a key
const OBJECT_COLON = 2; // after a key
const OBJECT_VALUE = 3; // after ":"
const OBJECT_NEXT = 4; // after a member: "," or "}"
const ARRAY_OPEN = 5; // after "[": an element or "]"
const ARRAY_VALUE = 6; // after ",": an element
const ARRAY_NEXT = 7; // after an element: "," or "]"

/** A container on the way down to the entries, whose members the splitter reads one at a time. */
interface Frame {
  isObject: boolean;
  node: PathNode;
  state: number;
  /** The key of the current (or last) member; for an array, the index of the current (or next) element. */
  key: string | number;
  /** File offset of its opening bracket. */
  start: number;
}

// What the splitter is reading.
const STRUCTURE = 0; // between tokens of the containers above the entries
const KEY = 1; // a key of such a container
const VALUE = 2; // an entry, or a value no path goes into: its bytes are collected and parsed whole

// Kinds of a collected value, by its first byte.
const CONTAINER = 0;
const STRING = 1;
const SCALAR = 2;

// What the scans return when a key or value does not end in this chunk, or cannot be JSON.
const GOES_ON = -1;
const BROKEN = -2;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

// What a byte is to scanValue outside strings.
const PLAIN = 0;
const STRING_START = 1;
const OPENS = 2;
const CLOSES = 3;
const LINE_END = 4;
const BYTE_CLASS = new Uint8Array(256);
BYTE_CLASS[QUOTE] = STRING_START;
BYTE_CLASS[OPEN_BRACE] = BYTE_CLASS[OPEN_BRACKET] = OPENS;
BYTE_CLASS[CLOSE_BRACE] = BYTE_CLASS[CLOSE_BRACKET] = CLOSES;
BYTE_CLASS[NEWLINE] = LINE_END;

const isSpace = (byte: number): boolean => byte === 0x20 || byte === NEWLINE || byte === 0x0d || byte === 0x09;
/** Bytes that end a number or literal. */
const endsScalar = (byte: number): boolean => isSpace(byte) || byte === COMMA || byte === CLOSE_BRACE || byte === CLOSE_BRACKET;

export interface JsonSplitterOptions {
  root: "object" | "array";
  /** As JsonStreamOptions.paths: `$.a.*.b` — keys and `*`. A path that goes on below another's end is not read. */
  paths: string[];
  onEntry: (entry: JsonEntry) => void;
}

/**
 * Reads a JSON document by splitting its bytes: it follows the containers that `paths` go through token by
 * token, and cuts every value below them out whole — tracking only strings, escapes and bracket depth — to
 * hand it to `JSON.parse` in one call, which is several times faster than building values token by token.
 * Memory holds one such value at a time (and the chunk it ends in): an entry, or a value no path goes into,
 * which is parsed only to check it.
 *
 * The splitter checks only what it must to find where values end; `JSON.parse` checks the rest. At the first
 * thing that is not plain well-formed JSON — bad bytes, a value `JSON.parse` refuses, a bracket that does not
 * match, nesting deeper than MAX_JSON_DEPTH, bytes that are not UTF-8, the end of the file inside the
 * document, data after it — `feed`/`end` return a SplitterHandover, and the token reader (json-token-reader.ts)
 * reads on from the last point the splitter knows is sound, so that what it reports is what it always has.
 */
export class JsonSplitter {
  private readonly tree: PathNode;
  private readonly rootByte: number;
  private readonly frames: Frame[] = [];
  private documentEnded = false;
  /** Offset in the file of the current chunk's first byte. */
  private offset = 0;
  private line = 1;
  private lineStart = 0;
  /** Line of the last token read; the token reader's prefix stands in for it. */
  private lastTokenLine = 1;

  private mode = STRUCTURE;
  // The key or value being collected: where it starts, its bytes from earlier chunks.
  private pieces: Buffer[] = [];
  private startOffset = 0;
  private startLine = 1;
  private startLineStart = 0;
  private escaped = false;
  // Of a value: its kind, the node of the path it is at (undefined: no path goes there), open brackets.
  private kind = CONTAINER;
  private entryNode: PathNode | undefined;
  private inString = false;
  private depth = 0;
  private readonly brackets = new Uint8Array(MAX_JSON_DEPTH + 1);
  /** The array in which readRun found no run, and the file offset (its chunk's end) before which it is not tried again there. */
  private noRunFrame: Frame | undefined;
  private noRunBefore = 0;

  constructor(private readonly options: JsonSplitterOptions) {
    this.tree = pathTree(options.paths);
    this.rootByte = options.root === "array" ? OPEN_BRACKET : OPEN_BRACE;
  }

  /** Reads the next chunk of the file; returns where the token reader must take over, if it must. */
  feed(chunk: Buffer): SplitterHandover | undefined {
    const length = chunk.length;
    // Where in this chunk the key or value being collected starts (0 when it started in an earlier chunk).
    let from = 0;
    let i = 0;
    while (i < length) {
      if (this.mode === VALUE) {
        const end = this.scanValue(chunk, i);
        if (end === GOES_ON) break;
        if (end === BROKEN || !this.finishValue(chunk, from, end)) return this.handOver([...this.pieces, chunk.subarray(from)]);
        i = end;
        continue;
      }
      if (this.mode === KEY) {
        const end = this.scanKey(chunk, i);
        if (end === GOES_ON) break;
        if (!this.finishKey(chunk, from, end)) return this.handOver([...this.pieces, chunk.subarray(from)]);
        i = end;
        continue;
      }
      const byte = chunk[i] as number;
      if (isSpace(byte)) {
        if (byte === NEWLINE) {
          this.line++;
          this.lineStart = this.offset + i + 1;
        }
        i++;
        continue;
      }
      const frame = this.frames[this.frames.length - 1];
      if (frame === undefined) {
        // Before the top-level value, or after it.
        if (this.documentEnded || byte !== this.rootByte) return this.handOver([chunk.subarray(i)], this.offset + i);
        this.frames.push({ isObject: byte === OPEN_BRACE, node: this.tree, state: byte === OPEN_BRACE ? OBJECT_OPEN : ARRAY_OPEN, key: 0, start: this.offset + i });
        this.lastTokenLine = this.line;
        i++;
        continue;
      }
      switch (frame.state) {
        case OBJECT_OPEN:
        case OBJECT_KEY:
          if (byte === QUOTE) {
            this.startCollecting(i);
            this.mode = KEY;
            from = i;
            i++;
            continue;
          }
          if (byte === CLOSE_BRACE && frame.state === OBJECT_OPEN) {
            this.closeFrame();
            i++;
            continue;
          }
          return this.handOver([chunk.subarray(i)], this.offset + i);
        case OBJECT_COLON:
          if (byte !== COLON) return this.handOver([chunk.subarray(i)], this.offset + i);
          frame.state = OBJECT_VALUE;
          this.lastTokenLine = this.line;
          i++;
          continue;
        case OBJECT_NEXT:
        case ARRAY_NEXT:
          if (byte === COMMA) {
            if (frame.isObject) {
              frame.state = OBJECT_KEY;
            } else {
              frame.state = ARRAY_VALUE;
              frame.key = (frame.key as number) + 1;
            }
            this.lastTokenLine = this.line;
            i++;
            continue;
          }
          if (byte === (frame.isObject ? CLOSE_BRACE : CLOSE_BRACKET)) {
            this.closeFrame();
            i++;
            continue;
          }
          return this.handOver([chunk.subarray(i)], this.offset + i);
        default: {
          // OBJECT_VALUE, ARRAY_OPEN, ARRAY_VALUE: a value starts here.
          if (byte === CLOSE_BRACKET && frame.state === ARRAY_OPEN) {
            this.closeFrame();
            i++;
            continue;
          }
          if (byte === COMMA || byte === COLON || byte === CLOSE_BRACE || byte === CLOSE_BRACKET) return this.handOver([chunk.subarray(i)], this.offset + i);
          const node = frame.isObject ? (frame.node.named.get(frame.key as string) ?? frame.node.star) : frame.node.star;
          const isContainer = byte === OPEN_BRACE || byte === OPEN_BRACKET;
          if (node !== undefined && !node.isEntry && isContainer) {
            // A path goes on below this value: read its members one at a time.
            if (this.frames.length >= MAX_JSON_DEPTH) return this.handOver([chunk.subarray(i)], this.offset + i);
            this.frames.push({ isObject: byte === OPEN_BRACE, node, state: byte === OPEN_BRACE ? OBJECT_OPEN : ARRAY_OPEN, key: 0, start: this.offset + i });
            this.lastTokenLine = this.line;
            i++;
            continue;
          }
          if (node?.isEntry === true && !frame.isObject && byte === OPEN_BRACE && (frame.key as number) >= MIN_ENTRIES_BEFORE_RUN && (frame !== this.noRunFrame || this.offset + i >= this.noRunBefore)) {
            const cut = this.readRun(chunk, i, frame);
            if (cut !== undefined) {
              i = cut;
              continue;
            }
          }
          this.startCollecting(i);
          this.mode = VALUE;
          this.entryNode = node?.isEntry === true ? node : undefined;
          this.kind = isContainer ? CONTAINER : byte === QUOTE ? STRING : SCALAR;
          this.inString = false;
          this.depth = 0;
          from = i;
          // scanValue reads the first byte too.
          continue;
        }
      }
    }
    if (this.mode !== STRUCTURE) this.pieces.push(chunk.subarray(from));
    this.offset += length;
    return undefined;
  }

  /** The end of the file: where the token reader must take over, unless the document ended well. */
  end(): SplitterHandover | undefined {
    if (this.documentEnded && this.mode === STRUCTURE) return undefined;
    return this.handOver(this.mode === STRUCTURE ? [] : this.pieces);
  }

  private startCollecting(i: number): void {
    this.pieces = [];
    this.startOffset = this.offset + i;
    this.startLine = this.line;
    this.startLineStart = this.lineStart;
    this.escaped = false;
  }

  private closeFrame(): void {
    this.frames.pop();
    this.lastTokenLine = this.line;
    this.afterValue();
  }

  /** The innermost container's state once one of its values is read. */
  private afterValue(): void {
    const parent = this.frames[this.frames.length - 1];
    if (parent === undefined) this.documentEnded = true;
    else parent.state = parent.isObject ? OBJECT_NEXT : ARRAY_NEXT;
  }

  /**
   * Finds the end of the value being collected, from `i` of `chunk`: the index just past it, GOES_ON when
   * it goes on in the next chunk, or BROKEN when its brackets do not match or nest too deep. This loop sees
   * every byte of every entry, so it does no more than strings, escapes, brackets and newlines need.
   */
  private scanValue(chunk: Buffer, i: number): number {
    const length = chunk.length;
    const { brackets } = this;
    let { inString, escaped, depth, line, lineStart } = this;
    const { kind } = this;
    let end = GOES_ON;
    if (kind === SCALAR) {
      // A number or literal: it ends at the first byte that cannot be in it; JSON.parse checks the rest.
      while (i < length && !endsScalar(chunk[i] as number)) i++;
      return i === length ? GOES_ON : i;
    }
    const maxDepth = MAX_JSON_DEPTH - this.frames.length;
    while (i < length) {
      if (inString) {
        // The rest of a string: only a quote ends it; a backslash makes the next byte plain (escaped: the
        // backslash was the last byte of the previous chunk).
        if (escaped) {
          escaped = false;
          i++;
        }
        for (; i < length; i++) {
          const byte = chunk[i] as number;
          if (byte === QUOTE) break;
          if (byte === BACKSLASH && ++i === length) escaped = true;
        }
        if (i >= length) break;
        inString = false;
        i++;
        if (kind === STRING) {
          end = i;
          break;
        }
        continue;
      }
      const byte = chunk[i] as number;
      const byteClass = BYTE_CLASS[byte];
      i++;
      // Most bytes (digits, letters, ":", ",", spaces) are plain: one table look-up each.
      if (byteClass === PLAIN) continue;
      if (byteClass === STRING_START) {
        inString = true;
      } else if (byteClass === OPENS) {
        if (depth >= maxDepth) {
          end = BROKEN;
          break;
        }
        brackets[depth++] = byte;
      } else if (byteClass === CLOSES) {
        // "}" is "{" + 2, "]" is "[" + 2.
        if (depth === 0 || brackets[--depth] !== byte - 2) {
          end = BROKEN;
          break;
        }
        if (depth === 0) {
          end = i;
          break;
        }
      } else {
        line++;
        lineStart = this.offset + i;
      }
    }
    this.inString = inString;
    this.escaped = escaped;
    this.depth = depth;
    this.line = line;
    this.lineStart = lineStart;
    return end;
  }

  /** Parses the value collected up to `end` of `chunk` and hands it out if it is an entry; false when it is not sound JSON. */
  private finishValue(chunk: Buffer, from: number, end: number): boolean {
    const bytes = this.pieces.length === 0 ? chunk.subarray(from, end) : Buffer.concat([...this.pieces, chunk.subarray(from, end)]);
    const value = parse(bytes);
    if (value === undefined) return false;
    this.mode = STRUCTURE;
    this.pieces = [];
    this.lastTokenLine = this.line;
    const node = this.entryNode;
    if (node !== undefined) {
      const path = this.frames.map((frame) => frame.key);
      this.options.onEntry({ path, value, line: this.startLine });
    }
    this.afterValue();
    return true;
  }

  /**
   * Reads a run of sibling entries, objects in an array, that starts at `i` of `chunk` and ends in it, with one
   * `JSON.parse` for the run instead of a scan and a parse per entry: per-entry costs (cutting, decoding, the
   * call) were most of the time on logs of many small results. Returns the index just past the run's last
   * entry, or undefined when there is no such run; then the entry is read alone, as always, and no run is
   * tried again in this array and chunk. The run is looked for within twice the bytes the array has taken so
   * far (and only once it has a few entries), so looking costs at most a constant times the bytes read, however
   * many short arrays a chunk holds.
   *
   * The run ends where `},` is followed by the bytes that start the first entry up to its first key
   * (`{"ruleId":`): machine-written logs start every entry alike. Such bytes cannot be inside a string (their
   * `"` would end it, and a key cannot follow a string), and `JSON.parse("[" + run + "]")` succeeding proves
   * the run is a list of whole values of this array, so the guess is checked, not trusted. Only runs without a
   * newline are read this way (every entry is on the current line), whose entries nest no deeper than the
   * splitter allows; anything else is read entry by entry, which hands over or reports as before. Memory: the
   * run is within one chunk and MAX_RUN_BYTES, so it holds at most that much text and its values.
   */
  private readRun(chunk: Buffer, i: number, frame: Frame): number | undefined {
    const window = chunk.subarray(0, Math.min(chunk.length, i + Math.min(MAX_RUN_BYTES, 2 * (this.offset + i - frame.start))));
    const colon = window.indexOf(COLON, i);
    const last = colon < 0 || colon - i > MAX_RUN_KEY_BYTES ? -1 : window.lastIndexOf(separatorOf(chunk, i, colon));
    if (last <= i) {
      this.noRunFrame = frame;
      this.noRunBefore = this.offset + chunk.length;
      return undefined;
    }
    const run = chunk.subarray(i, last + 1);
    const values = run.includes(NEWLINE) ? undefined : parseRun(run, MAX_JSON_DEPTH - this.frames.length);
    if (values === undefined) {
      this.noRunFrame = frame;
      this.noRunBefore = this.offset + chunk.length;
      return undefined;
    }
    const first = frame.key as number;
    const line = this.line;
    for (let k = 0; k < values.length; k++) {
      frame.key = first + k;
      this.options.onEntry({ path: this.frames.map((open) => open.key), value: values[k] as JsonValue, line });
    }
    this.lastTokenLine = line;
    this.afterValue();
    return last + 1;
  }

  /** Finds the end of the key being collected: the index just past its closing quote, or GOES_ON. */
  private scanKey(chunk: Buffer, i: number): number {
    const length = chunk.length;
    let { escaped } = this;
    for (; i < length; i++) {
      const byte = chunk[i] as number;
      if (escaped) escaped = false;
      else if (byte === BACKSLASH) escaped = true;
      else if (byte === QUOTE) {
        this.escaped = false;
        return i + 1;
      }
    }
    this.escaped = escaped;
    return GOES_ON;
  }

  private finishKey(chunk: Buffer, from: number, end: number): boolean {
    const bytes = this.pieces.length === 0 ? chunk.subarray(from, end) : Buffer.concat([...this.pieces, chunk.subarray(from, end)]);
    const key = parse(bytes);
    if (typeof key !== "string") return false;
    const frame = this.frames[this.frames.length - 1] as Frame;
    frame.key = key;
    frame.state = OBJECT_COLON;
    this.mode = STRUCTURE;
    this.pieces = [];
    this.lastTokenLine = this.line;
    return true;
  }

  /** Where the token reader takes over: at the key or value being collected, else at `at`, the offset of `pending`'s first byte. */
  private handOver(pending: Buffer[], at = this.offset): SplitterHandover {
    const collecting = this.mode !== STRUCTURE;
    const start = collecting
      ? { offset: this.startOffset, line: this.startLine, lineStart: this.startLineStart }
      : { offset: at, line: this.line, lineStart: this.lineStart };
    return { start: { prefix: this.prefix(), ...start, lastTokenLine: this.lastTokenLine }, pending };
  }

  /**
   * JSON text that leaves a parser where the splitter is: the open containers with their keys, `null`s for
   * the array elements and the member already read, so that the token reader's paths and indices are the
   * document's. A `null` is whole when its last letter is read, so no value of the prefix waits on the document's bytes.
   */
  private prefix(): string {
    if (this.documentEnded) return this.rootByte === OPEN_BRACE ? "{}" : "[]";
    let text = "";
    for (const frame of this.frames) {
      if (frame.isObject) {
        const key = JSON.stringify(frame.key);
        text += ["{", `{${key}:null,`, `{${key}`, `{${key}:`, `{${key}:null`][frame.state] ?? "{";
      } else {
        const before = "null,".repeat(frame.key as number);
        text += frame.state === ARRAY_NEXT ? `[${before}null` : `[${before}`;
      }
    }
    return text;
  }
}

/**
 * The longest run parsed at once. A run's values are all alive until the parser has handed them out, so a run of a
 * whole 1 MB chunk (~4 MB of objects) outlived the young generation's collections that fell during it, and they
 * copied and promoted it all; runs of 128 KB die young. Callgrind on the 50 000-result SARIF log: 1.92 G
 * instructions with 1 MB runs, 1.76 G with 128 KB, 1.79 G with 32 KB (more calls).
 */
const MAX_RUN_BYTES = 128 * 1024;
/** How long the bytes from an entry's `{` to its first key's `:` may be to serve as a run's separator. */
const MAX_RUN_KEY_BYTES = 64;
/** Entries of an array read one by one before readRun looks for a run: short arrays are left to the plain path. */
const MIN_ENTRIES_BEFORE_RUN = 4;

/** `},` and the bytes from `from` to `colon` of `chunk`: what ends an entry and starts the next in a run. */
function separatorOf(chunk: Buffer, from: number, colon: number): Buffer {
  const separator = Buffer.allocUnsafe(colon - from + 3);
  separator[0] = CLOSE_BRACE;
  separator[1] = COMMA;
  chunk.copy(separator, 2, from, colon + 1);
  return separator;
}

/** The values of a run of entries, or undefined when it is not UTF-8, not JSON, or one nests deeper than `levels`. */
function parseRun(run: Buffer, levels: number): JsonValue[] | undefined {
  const text = decode(run);
  if (text === undefined) return undefined;
  let values: JsonValue[];
  try {
    values = JSON.parse(`[${text}]`) as JsonValue[];
  } catch {
    return undefined;
  }
  for (const value of values) if (!nestsWithin(value, levels)) return undefined;
  return values;
}

/** True when `value` nests no more than `levels` arrays and objects deep (itself counted). */
function nestsWithin(value: JsonValue, levels: number): boolean {
  if (typeof value !== "object" || value === null) return true;
  if (levels === 0) return false;
  if (Array.isArray(value)) {
    for (const element of value) if (typeof element === "object" && element !== null && !nestsWithin(element, levels - 1)) return false;
  } else {
    for (const key in value) {
      const member = value[key] as JsonValue;
      if (typeof member === "object" && member !== null && !nestsWithin(member, levels - 1)) return false;
    }
  }
  return true;
}

/**
 * The text of `bytes`, or undefined when they are not UTF-8: toString would put U+FFFD for such bytes, which the
 * token reader refuses. ASCII (what machine-written reports mostly are) is decoded as Latin-1, which gives the
 * same text several times faster than the UTF-8 decoder (~0.4 vs ~1.5 ms per MB here).
 */
function decode(bytes: Buffer): string | undefined {
  if (isAscii(bytes)) return bytes.toString("latin1");
  return isUtf8(bytes) ? bytes.toString("utf8") : undefined;
}

/** A key's or value's bytes as JSON.parse reads them, or undefined when they are not UTF-8 or not JSON. */
function parse(bytes: Buffer): JsonValue | undefined {
  const text = decode(bytes);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return undefined;
  }
}
