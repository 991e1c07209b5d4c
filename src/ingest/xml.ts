import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { ParseError } from "../errors.js";
import type { Diagnostic } from "./types.js";

/**
 * Events of the streaming XML reader. Attribute values and text arrive entity-decoded
 * (the five XML entities and character references; any other entity is left as written).
 */
export interface XmlHandler {
  /** An element starts. `line` is the 1-based line of its `<`. Self-closing elements get `onClose` right after. */
  onOpen(name: string, attrs: Record<string, string>, line: number): void;
  onClose(name: string): void;
  /**
   * Character data (text and CDATA) inside the current element, possibly in several pieces.
   * Only called while `wantsText()` returns true, so that reports full of system-out cost nothing.
   */
  onText?(text: string): void;
  wantsText?(): boolean;
  /** Return false for elements whose attributes are never read: they are skipped unparsed (`attrs` is empty). */
  wantsAttributes?(name: string): boolean;
  /**
   * A fast path for the handler's most frequent element. Called at the `<` of each opening tag inside the
   * root element (`buf[lt]`, on line `line`), before the reader parses it. The handler may read a complete
   * self-closing element it recognizes, handle it exactly as `onOpen` + `onClose` would, and return the
   * position after its `/>`; or return -1, and the reader parses the tag as usual. It must only accept
   * tags the reader reads without error or diagnostic, so that errors stay the reader's.
   */
  onEmptyElement?(buf: string, lt: number, line: number): number;
}

/**
 * A copy of a string sliced from a read chunk. V8 keeps a slice's parent alive, so a parser that keeps
 * slices keeps every chunk of the report: memory would grow with the file, not with what it holds.
 */
export function detach(text: string): string {
  return text.length < 13 ? text : (" " + text).slice(1);
}

/** A character that ends a tag name (NAME's complement): JavaScript's `\s` (Unicode white space too), `/`, `>`, `=`. */
const NAME_END = /[\s/>=]/;
const NO_ATTRS: Record<string, string> = Object.freeze({});

/**
 * How deep elements may nest. Real reports nest a few levels (JUnit 5 nested classes, jest describe
 * blocks: under 30); a deeper file is refused rather than read, because every level costs every test
 * case below it a longer suite path (documented in docs/limits.md).
 */
export const MAX_XML_DEPTH = 1000;

/**
 * Longest unfinished markup held back and re-read when the next chunk arrives. Anything longer (a
 * megabyte-long attribute, a DOCTYPE, a processing instruction) waits for its end in a `MarkupEnd`
 * scan that reads each new chunk once, so a long tag costs linear time however many chunks it spans.
 */
const SHORT_REMAINDER = 64;
/** How many element and attribute names the reader remembers for reuse: a report uses a few dozen. */
const MAX_NAMES = 1024;
/** Longest value `decode` assembles from character codes (passed as arguments, so they must stay few). */
const SHORT_VALUE = 512;
/** Longest entity reference held back at the end of a chunk ("&#x10FFFF;" and any name a report uses). */
const MAX_ENTITY = 32;

/**
 * A small, strict-enough XML reader for test and coverage reports.
 *
 * Why not saxes or htmlparser2: measured on a 12 MB JUnit file both take 0.36–0.53 s, which leaves
 * only ~4–5× over junit2json; reports need far less than full XML (no namespaces, no DTD processing),
 * so this reader skips text nobody asked for and parses attributes with sticky regexes.
 * It still rejects what a report must not be: unbalanced tags, content outside the root, truncation.
 * A DOCTYPE (with or without an internal subset) is skipped, never fetched, its entities never expanded.
 */
export async function readXml(stream: Readable, file: string, handler: XmlHandler, diagnostics: Diagnostic[]): Promise<void> {
  const reader = createXmlReader(file, handler, diagnostics);
  const decoder = new StringDecoder("utf8");
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    reader.feed(typeof chunk === "string" ? chunk : decoder.write(chunk));
  }
  reader.feed(decoder.end());
  reader.end();
}

/**
 * Where a reader that read the start of a document itself (the JUnit byte scanner) hands over: the elements
 * open at that point with the lines of their `<`, the line the hand-over point is on, and whether the root
 * element was seen and closed. The document had started with `<` (no BOM, no leading white space).
 */
export interface XmlResume {
  stack: string[];
  stackLines: number[];
  line: number;
  sawRoot: boolean;
  rootClosed: boolean;
}

/** The reader's text interface: decoded text in order, then `end()` once. */
export interface XmlTextReader {
  feed(text: string): void;
  end(): void;
}

/**
 * A reader fed decoded text (readXml decodes a stream into it). With `resume`, it continues a document another
 * reader began, in the state `resume` gives: fed the rest of the document from the hand-over point, it gives the
 * events and errors it would have given had it read the whole document.
 */
export function createXmlReader(file: string, handler: XmlHandler, diagnostics: Diagnostic[], resume?: XmlResume): XmlTextReader {
  const reader = new XmlReader(file, handler, diagnostics);
  if (resume !== undefined) reader.resume(resume);
  return reader;
}

class XmlReader {
  private buf = "";
  private pos = 0;
  /** Line number of `buf[linePos]`. */
  private line = 1;
  private linePos = 0;
  /**
   * The first "\n" of `buf` at or after `linePos` (-1: none), found again whenever `buf` changes (in `feed`:
   * looked for in countLines only then, the search was a branch V8 had no feedback for and deoptimized on).
   */
  private nextNewline = -1;
  private mode: "normal" | "cdata" | "comment" = "normal";
  /** Open elements: names and their lines, as two arrays (one object per element was measurable GC). */
  private readonly stack: string[] = [];
  private readonly stackLines: number[] = [];
  private sawRoot = false;
  private rootClosed = false;
  private started = false;
  private unknownEntities = 0;
  /** Attribute names seen, by first character and length (see `open`). */
  private readonly names = new Map<number, string>();
  /** Character codes of the value `decode` is assembling (reused: one array for the whole file). */
  private readonly codes: number[] = [];
  /** Element names seen, the same way. */
  private readonly tagNames = new Map<number, string>();
  /** Chunks that arrived while unfinished markup at `pos` waited for its end; `waiting` finds that end. */
  private pending: string[] = [];
  private waiting: MarkupEnd | undefined;

  constructor(
    private readonly file: string,
    private readonly handler: XmlHandler,
    private readonly diagnostics: Diagnostic[],
  ) {}

  resume(state: XmlResume): void {
    this.stack.push(...state.stack);
    this.stackLines.push(...state.stackLines);
    this.line = state.line;
    this.sawRoot = state.sawRoot;
    this.rootClosed = state.rootClosed;
    this.started = true;
  }

  feed(chunk: string): void {
    if (chunk.length === 0) return;
    if (this.waiting !== undefined) {
      this.pending.push(chunk);
      if (!this.waiting.scan(chunk)) return;
      this.waiting = undefined;
      chunk = this.takePending();
    }
    this.countLines(this.pos);
    this.buf = this.pos < this.buf.length ? this.buf.slice(this.pos) + chunk : chunk;
    this.linePos -= this.pos;
    this.pos = 0;
    this.nextNewline = this.buf.indexOf("\n", this.linePos);
    if (!this.started) {
      if (this.buf.charCodeAt(0) === 0xfeff) {
        this.buf = this.buf.slice(1);
        this.nextNewline = this.buf.indexOf("\n", this.linePos);
      }
      const first = this.buf.search(/\S/);
      if (first === -1) {
        // Only white space so far: count its lines and drop it, so a blank file is not re-read chunk after chunk.
        this.countLines(this.buf.length);
        this.pos = this.buf.length;
        return;
      }
      if (this.buf[first] !== "<") this.fail(this.lineAt(first), "this is not XML (it does not start with '<')");
      this.started = true;
    }
    this.pos = this.run();
    if (this.mode === "normal" && this.buf.length - this.pos > SHORT_REMAINDER) {
      const waiting = new MarkupEnd(this.buf, this.pos);
      // The reader stopped before this markup's end, so the scan cannot find one: if it does, the two
      // disagree on malformed markup, and the rest of the file is read whole at the end, once.
      if (waiting.scan(this.buf.slice(this.pos))) waiting.untilEndOfFile();
      this.waiting = waiting;
    }
  }

  private takePending(): string {
    const joined = this.pending.join("");
    this.pending = [];
    return joined;
  }

  end(): void {
    if (this.waiting !== undefined) {
      // The file ended inside markup that was waiting for its end: let the reader say what is wrong.
      this.waiting = undefined;
      const rest = this.takePending();
      if (rest !== "") this.feed(rest);
    }
    const buf = this.buf;
    if (this.mode !== "normal") this.fail(this.lineAt(buf.length), `the file ends inside a ${this.mode === "cdata" ? "CDATA section" : "comment"}: it looks truncated`);
    if (this.pos < buf.length && buf.slice(this.pos).trim() !== "") {
      this.fail(this.lineAt(this.pos), "the file ends inside a tag: it looks truncated");
    }
    const open = this.stack[this.stack.length - 1];
    if (open !== undefined) {
      const openLine = this.stackLines[this.stackLines.length - 1] ?? 0;
      this.fail(this.lineAt(buf.length), `the file ends before <${open}> (opened at line ${openLine}) is closed: it looks truncated`);
    }
    if (!this.sawRoot) this.fail(undefined, "no XML element found: the file is empty or not XML");
    if (this.unknownEntities > 0) {
      this.diagnostics.push({
        level: "warning",
        code: "xml.entity-not-expanded",
        message: `${this.unknownEntities} reference(s) to entities the report does not define in XML itself were left as written (shipgate never expands DTD entities)`,
        file: this.file,
      });
    }
  }

  /**
   * Reads `buf` from `pos` as far as it can and returns where it stopped. Returned, not stored in `this.pos`:
   * V8 optimizes this loop while it runs (on-stack replacement), before the store after it ever ran, and an
   * optimized store without feedback deoptimizes the loop at the end of the first chunk.
   */
  private run(): number {
    const buf = this.buf;
    const len = buf.length;
    let pos = this.pos;
    for (;;) {
      if (this.mode !== "normal") {
        const terminator = this.mode === "cdata" ? "]]>" : "-->";
        const endAt = buf.indexOf(terminator, pos);
        if (endAt === -1) {
          // Keep the last two characters: the terminator may be split across chunks.
          const keep = Math.max(pos, len - 2);
          if (this.mode === "cdata") this.cdata(pos, keep);
          pos = keep;
          break;
        }
        if (this.mode === "cdata") this.cdata(pos, endAt);
        pos = endAt + 3;
        this.mode = "normal";
        continue;
      }
      const lt = buf.indexOf("<", pos);
      if (lt === -1) {
        // Hold back a trailing entity reference that the next chunk completes ("&am" + "p;").
        let end = len;
        const amp = lastAmpersand(buf, Math.max(pos, len - MAX_ENTITY + 1));
        if (amp !== -1 && buf.indexOf(";", amp) === -1) end = amp;
        if (end > pos) this.text(pos, end);
        pos = end;
        break;
      }
      if (lt > pos) this.text(pos, lt);
      pos = lt;
      if (lt + 1 >= len) break;
      const c = buf.charCodeAt(lt + 1);
      if (c === 47 /* / */) {
        const gt = buf.indexOf(">", lt);
        if (gt === -1) break;
        this.close(this.closingName(lt + 2, gt), lt);
        pos = gt + 1;
      } else if (c === 33 /* ! */) {
        if (buf.startsWith("<!--", lt)) {
          this.mode = "comment";
          pos = lt + 4;
        } else if (buf.startsWith("<![CDATA[", lt)) {
          if (this.stack.length === 0) this.fail(this.lineAt(lt), "CDATA outside the root element");
          this.mode = "cdata";
          pos = lt + 9;
        } else if (buf.startsWith("<!DOCTYPE", lt)) {
          const endAt = skipDoctype(buf, lt + 9);
          if (endAt === -1) break;
          this.diagnostics.push({
            level: "info",
            code: "xml.doctype-ignored",
            message: "the report declares a DOCTYPE; it was skipped (no DTD is fetched and no entity it declares is expanded)",
            file: this.file,
            line: this.lineAt(lt),
          });
          pos = endAt;
        } else if (len - lt < 9) {
          break;
        } else {
          this.fail(this.lineAt(lt), `unexpected markup "${buf.slice(lt, lt + 9)}"`);
        }
      } else if (c === 63 /* ? */) {
        const endAt = buf.indexOf("?>", lt + 2);
        if (endAt === -1) break;
        pos = endAt + 2;
      } else {
        // Inside the root and below the nesting limit, a self-closing element can neither be misplaced nor too deep.
        if (this.handler.onEmptyElement !== undefined && this.stack.length > 0 && this.stack.length < MAX_XML_DEPTH) {
          const endAt = this.handler.onEmptyElement(buf, lt, this.lineAt(lt));
          if (endAt !== -1) {
            pos = endAt;
            continue;
          }
        }
        const endAt = this.open(lt);
        if (endAt === -1) break;
        pos = endAt;
      }
    }
    return pos;
  }

  /**
   * The name in a closing tag between `from` and `gt`, white space trimmed. Usually it is the open element's:
   * compared in place, so that the common case allocates no string.
   */
  private closingName(from: number, gt: number): string {
    const buf = this.buf;
    const top = this.stack[this.stack.length - 1];
    if (top !== undefined && buf.startsWith(top, from)) {
      let i = from + top.length;
      let c = buf.charCodeAt(i);
      while (c === 32 || c === 10 || c === 9 || c === 13) c = buf.charCodeAt(++i);
      if (i === gt) return top;
    }
    return buf.slice(from, gt).trim();
  }

  /** Parses an opening tag at `lt`; returns the position after it, or -1 when the chunk ends inside it. */
  private open(lt: number): number {
    const buf = this.buf;
    const len = buf.length;
    // The name ends at white space, "/", ">" or "=" (or the buffer's end: then the tag is incomplete).
    let at = lt + 1;
    for (; at < len; at++) {
      const c = buf.charCodeAt(at);
      if (c === 32 || c === 62 /* > */ || c === 47 /* / */ || c === 10 || c === 9 || c === 13 || c === 61 /* = */) break;
      if (c > 127 || c < 32) {
        if (NAME_END.test(buf[at] as string)) break;
      }
    }
    if (at === lt + 1) {
      if (at >= len) return -1;
      this.fail(this.lineAt(lt), `malformed tag "${buf.slice(lt, lt + 20)}"`);
    }
    if (at >= len) return -1;
    // Element names repeat: reuse the string seen last time for this first character and length.
    const nameKey = (buf.charCodeAt(lt + 1) << 10) | (at - lt - 1);
    let name = this.tagNames.get(nameKey);
    if (name === undefined || !buf.startsWith(name, lt + 1)) {
      name = buf.slice(lt + 1, at);
      if (at - lt - 1 < 1024 && this.tagNames.size < MAX_NAMES) this.tagNames.set(nameKey, (name = internalized(name)));
    }
    if (this.handler.wantsAttributes?.(name) === false) {
      const end = tagEnd(buf, at);
      if (end !== -1) {
        this.opened(name, NO_ATTRS, lt, buf.charCodeAt(end - 2) === 47 /* / */);
        return end;
      }
      // Incomplete or malformed: the full path below tells which.
    }
    const attrs: Record<string, string> = {};
    // Attributes by hand (indexOf, no regex match arrays): this loop is the hottest code of a JUnit parse.
    // No read goes past the buffer's end: after one such read V8 recompiles this loop into slower code.
    for (;;) {
      while (at < len && isSpace(buf.charCodeAt(at))) at++;
      if (at >= len) return -1;
      let c = buf.charCodeAt(at);
      if (c === 62 /* > */) {
        this.opened(name, attrs, lt, false);
        return at + 1;
      }
      if (c === 47 /* / */) {
        if (at + 1 >= len) return -1;
        if (buf.charCodeAt(at + 1) !== 62) this.fail(this.lineAt(lt), `malformed tag <${name}>: "/" not followed by ">"`);
        this.opened(name, attrs, lt, true);
        return at + 2;
      }
      const eq = buf.indexOf("=", at);
      // Attribute names repeat on every element: reuse the string seen last time for this first char and
      // length, so the property store does not look each new copy up in V8's string table again.
      const key = eq === -1 || eq - at >= 1024 ? -1 : (c << 10) | (eq - at);
      let attrName = this.names.get(key);
      if (attrName === undefined || !buf.startsWith(attrName, at)) {
        attrName = eq === -1 ? "" : buf.slice(at, eq).trimEnd();
        const valid = attrName !== "" && !/[\s<>"'/]/.test(attrName);
        if (!valid) {
          if (eq === -1 && buf.indexOf(">", at) === -1) return -1;
          this.fail(this.lineAt(lt), `malformed attribute in <${name}> near "${buf.slice(at, at + 30).trim()}"`);
        }
        if (key !== -1 && eq - at === attrName.length && this.names.size < MAX_NAMES) this.names.set(key, (attrName = internalized(attrName)));
      }
      let q = eq + 1;
      while (q < len && isSpace(buf.charCodeAt(q))) q++;
      if (q >= len) return -1;
      c = buf.charCodeAt(q);
      if (c !== 34 && c !== 39) this.fail(this.lineAt(lt), `unquoted value of attribute ${attrName} in <${name}>`);
      const close = buf.indexOf(c === 34 ? '"' : "'", q + 1);
      if (close === -1) return -1;
      const raw = buf.slice(q + 1, close);
      attrs[attrName] = raw.indexOf("&") === -1 ? raw : this.decode(raw);
      at = close + 1;
    }
  }

  private opened(name: string, attrs: Record<string, string>, lt: number, selfClosing: boolean): void {
    const line = this.lineAt(lt);
    if (this.rootClosed) this.fail(line, `a second root element <${name}> after the first one closed`);
    if (this.stack.length >= MAX_XML_DEPTH) {
      this.fail(line, `elements nest deeper than ${MAX_XML_DEPTH} levels (at <${name}>): no test or coverage report does; shipgate refuses the file`);
    }
    this.sawRoot = true;
    this.stack.push(name);
    this.stackLines.push(line);
    this.handler.onOpen(name, attrs, line);
    if (selfClosing) this.close(name, lt);
  }

  private close(name: string, lt: number): void {
    const top = this.stack.pop();
    const topLine = this.stackLines.pop();
    if (top === undefined) this.fail(this.lineAt(lt), `closing tag </${name}> without an opening tag`);
    if (top !== name) {
      this.fail(this.lineAt(lt), `closing tag </${name}> does not match <${top}> opened at line ${topLine ?? 0}`);
    }
    if (this.stack.length === 0) this.rootClosed = true;
    this.handler.onClose(name);
  }

  /** Text between `start` and `end` of the buffer; sliced only when someone needs it. */
  private text(start: number, end: number): void {
    if (this.stack.length === 0) {
      const text = this.buf.slice(start, end);
      const offset = text.search(/\S/);
      if (offset !== -1) {
        this.fail(this.lineAt(start + offset), `text outside the root element ("${text.trim().slice(0, 30)}"): this is not a well-formed XML report`);
      }
      return;
    }
    if (this.handler.wantsText?.()) {
      const text = this.buf.slice(start, end);
      this.handler.onText?.(text.indexOf("&") === -1 ? text : this.decode(text));
    }
  }

  private cdata(start: number, end: number): void {
    if (end > start && this.handler.wantsText?.()) this.handler.onText?.(this.buf.slice(start, end));
  }

  /**
   * Decodes entity references. A hand loop: a regex replace with a callback was a third of all parse time.
   * A short value (a test name) is assembled from its character codes into one new flat string: joining
   * pieces made a string per piece and per join, and the caller's copy (`detach`) flattened them again.
   */
  private decode(raw: string): string {
    const len = raw.length;
    if (len > SHORT_VALUE) return this.decodeLong(raw);
    const codes = this.codes;
    let n = 0;
    for (let i = 0; i < len; i++) {
      const c = raw.charCodeAt(i);
      const semi = c === 38 /* & */ ? raw.indexOf(";", i + 1) : -1;
      if (semi === -1) {
        codes[n++] = c;
        continue;
      }
      const named = namedEntity(raw, i + 1, semi);
      if (named !== undefined) {
        codes[n++] = named;
      } else {
        const text = this.reference(raw, i, semi);
        for (let j = 0; j < text.length; j++) codes[n++] = text.charCodeAt(j);
      }
      i = semi;
    }
    codes.length = n;
    return String.fromCharCode.apply(null, codes);
  }

  private decodeLong(raw: string): string {
    let out = "";
    let from = 0;
    for (let amp = raw.indexOf("&"); amp !== -1; amp = raw.indexOf("&", from)) {
      const semi = raw.indexOf(";", amp + 1);
      if (semi === -1) break;
      out += raw.slice(from, amp);
      from = semi + 1;
      const named = namedEntity(raw, amp + 1, semi);
      out += named !== undefined ? String.fromCharCode(named) : this.reference(raw, amp, semi);
    }
    return out + raw.slice(from);
  }

  /** What the reference from `amp` to `semi` (its `;`) stands for, other than the five XML entities; counts unknown entities. */
  private reference(raw: string, amp: number, semi: number): string {
    const ref = raw.slice(amp + 1, semi);
    let code = NaN;
    if (/^#x[0-9a-fA-F]+$/.test(ref)) code = parseInt(ref.slice(2), 16);
    else if (/^#[0-9]+$/.test(ref)) code = parseInt(ref.slice(1), 10);
    if (code > 0 && code <= 0x10ffff) return String.fromCodePoint(code);
    if (/^[A-Za-z_][\w.-]*$/.test(ref)) this.unknownEntities++;
    return raw.slice(amp, semi + 1);
  }

  private countLines(upTo: number): void {
    const buf = this.buf;
    let i = this.nextNewline;
    while (i !== -1 && i < upTo) {
      this.line++;
      i = buf.indexOf("\n", i + 1);
    }
    if (upTo > this.linePos) this.linePos = upTo;
    // The newline found past `upTo` is the next call's first: one search per line, not two.
    this.nextNewline = i;
  }

  private lineAt(at: number): number {
    if (at < this.linePos) {
      // Rare (errors only): count back.
      let line = this.line;
      for (let i = this.buf.indexOf("\n", at); i !== -1 && i < this.linePos; i = this.buf.indexOf("\n", i + 1)) line--;
      return line;
    }
    this.countLines(at);
    return this.line;
  }

  private fail(line: number | undefined, message: string): never {
    throw new ParseError(this.file, line, message, { hint: "regenerate the report, or check that the producing tool finished writing it" });
  }
}

/**
 * The last `&` of `buf` at or after `from`, or -1. Looked for in that tail only: `buf.lastIndexOf("&")` read the
 * whole chunk backwards in a report without `&`, at every chunk's end.
 */
function lastAmpersand(buf: string, from: number): number {
  for (let i = buf.length - 1; i >= from; i--) if (buf.charCodeAt(i) === 38 /* & */) return i;
  return -1;
}

/** White space as XML has it between attributes. */
function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 9 || c === 13;
}

/**
 * `name` as V8's one copy of that string (the one the handler's literals, like "testcase", are): comparing
 * it with them is then a pointer comparison, and using it as a property key needs no string-table lookup.
 * A property key is internalized, so the key of a one-property object is.
 */
function internalized(name: string): string {
  return Object.keys({ [name]: 0 })[0] ?? name;
}

/** Character codes of the value `decodeFiveEntities` is assembling (reused). */
const fiveCodes: number[] = [];

/**
 * The value between `from` and `to` of `buf` with the five XML entities decoded, as the reader decodes it;
 * undefined when it holds any other `&` (a character or unknown entity reference, a bare `&`), which only
 * the reader decodes (it counts what it cannot expand), or when it is longer than SHORT_VALUE with an `&`.
 * A decoded value is a fresh flat string; one without `&` is a slice of `buf`, detached when `keep` is set.
 */
export function decodeFiveEntities(buf: string, from: number, to: number, keep: boolean): string | undefined {
  // The `&` is looked for in the value's slice, not in `buf` from `from`: in a report with no entity that
  // search ran to the chunk's end for every value (a 12 MB report without `&` took 7× as long as one with).
  const raw = buf.slice(from, to);
  const amp = raw.indexOf("&");
  if (amp === -1) return keep ? detach(raw) : raw;
  const len = raw.length;
  if (len > SHORT_VALUE) return undefined;
  const codes = fiveCodes;
  let n = 0;
  for (let i = 0; i < amp; i++) codes[n++] = raw.charCodeAt(i);
  for (let i = amp; i < len; i++) {
    const c = raw.charCodeAt(i);
    if (c !== 38 /* & */) {
      codes[n++] = c;
      continue;
    }
    // The `;` is where one of the five entities has it (no search for it: indexOf is a builtin call each time,
    // and names are full of &quot;); past the value's end charCodeAt gives NaN, which matches nothing.
    const named = fiveEntityAt(raw, i + 1);
    if (named === undefined) return undefined;
    codes[n++] = named;
    i += named === 38 /* & */ ? 4 : named === 34 /* " */ || named === 39 /* ' */ ? 5 : 3;
  }
  codes.length = n;
  return String.fromCharCode.apply(null, codes);
}

/**
 * The character code of the XML entity whose name starts at `raw[from]` (after its `&`) when it is one of the
 * five, `;` included, as namedEntity(raw, from, raw.indexOf(";", from)) reads it; undefined otherwise.
 */
function fiveEntityAt(raw: string, from: number): number | undefined {
  const c = raw.charCodeAt(from);
  const c1 = raw.charCodeAt(from + 1);
  const c2 = raw.charCodeAt(from + 2);
  if (c2 === 59 /* ; */) {
    if (c1 !== 116 /* t */) return undefined;
    return c === 108 /* l */ ? 60 /* < */ : c === 103 /* g */ ? 62 /* > */ : undefined;
  }
  const c3 = raw.charCodeAt(from + 3);
  if (c3 === 59) return c === 97 /* a */ && c1 === 109 /* m */ && c2 === 112 /* p */ ? 38 /* & */ : undefined;
  if (raw.charCodeAt(from + 4) !== 59) return undefined;
  if (c === 113 /* q */) return c1 === 117 /* u */ && c2 === 111 /* o */ && c3 === 116 /* t */ ? 34 /* " */ : undefined;
  return c === 97 /* a */ && c1 === 112 /* p */ && c2 === 111 /* o */ && c3 === 115 /* s */ ? 39 /* ' */ : undefined;
}

/** The character code one of the five XML entities between `from` and `semi` (its `;`) stands for, or undefined. */
function namedEntity(raw: string, from: number, semi: number): number | undefined {
  const c = raw.charCodeAt(from);
  switch (semi - from) {
    case 2:
      if (raw.charCodeAt(from + 1) !== 116 /* t */) return undefined;
      return c === 108 /* l */ ? 60 /* < */ : c === 103 /* g */ ? 62 /* > */ : undefined;
    // Character by character: String.prototype.startsWith is a call into the runtime, and names are full of &quot;.
    case 3:
      return c === 97 /* a */ && raw.charCodeAt(from + 1) === 109 /* m */ && raw.charCodeAt(from + 2) === 112 /* p */ ? 38 /* & */ : undefined;
    case 4: {
      const c1 = raw.charCodeAt(from + 1);
      const c2 = raw.charCodeAt(from + 2);
      const c3 = raw.charCodeAt(from + 3);
      if (c === 113 /* q */) return c1 === 117 /* u */ && c2 === 111 /* o */ && c3 === 116 /* t */ ? 34 /* " */ : undefined;
      return c === 97 /* a */ && c1 === 112 /* p */ && c2 === 111 /* o */ && c3 === 115 /* s */ ? 39 /* ' */ : undefined;
    }
  }
  return undefined;
}

/**
 * The position after the `>` that ends an opening tag whose attributes start at `from` (quoted values may
 * hold `>`), or -1 when the buffer ends first. A hand loop: the regex it replaces,
 * `(?:[^"'>]+|"[^"]*"|'[^']*')*>`, backtracked exponentially on a tag with an unclosed quote.
 */
function tagEnd(buf: string, from: number): number {
  let quote = 0;
  for (let i = from; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 62 /* > */) {
      return i + 1;
    }
  }
  return -1;
}

/**
 * Finds the end of unfinished markup chunk by chunk, reading each chunk once: the state (open quote,
 * DOCTYPE bracket depth, a `?` or `-` just seen) carries over. Knows the markup kinds the reader can stop in:
 * opening and closing tags, processing instructions and DOCTYPEs.
 */
class MarkupEnd {
  private kind: "tag" | "close" | "pi" | "doctype" | "never";
  /** Characters of the markup's opening (`<`, `<?`, `<!DOCTYPE`) still to pass before the scan starts. */
  private skip: number;
  private quote = 0;
  private depth = 0;
  private last = 0;

  constructor(buf: string, lt: number) {
    const c = buf.charCodeAt(lt + 1);
    if (c === 47 /* / */) this.kind = "close";
    else if (c === 63 /* ? */) this.kind = "pi";
    else if (buf.startsWith("<!DOCTYPE", lt)) this.kind = "doctype";
    else if (c === 33 /* ! */) this.kind = "never";
    else this.kind = "tag";
    this.skip = this.kind === "pi" ? 2 : this.kind === "doctype" ? 9 : 1;
  }

  /** From now on the end is the end of the file. */
  untilEndOfFile(): void {
    this.kind = "never";
  }

  /** Scans the next piece of text; true when the markup ends inside it. */
  scan(text: string): boolean {
    let i = 0;
    if (this.skip > 0) {
      i = Math.min(this.skip, text.length);
      this.skip -= i;
    }
    switch (this.kind) {
      case "never":
        return false;
      case "close":
        return text.indexOf(">", i) !== -1;
      case "pi": {
        if (this.last === 63 && text.charCodeAt(i) === 62) return true;
        if (text.indexOf("?>", i) !== -1) return true;
        if (text.length > i) this.last = text.charCodeAt(text.length - 1);
        return false;
      }
      case "tag":
      case "doctype":
        for (; i < text.length; i++) {
          const c = text.charCodeAt(i);
          if (this.quote !== 0) {
            if (c === this.quote) this.quote = 0;
          } else if (c === 34 || c === 39) {
            this.quote = c;
          } else if (c === 91 /* [ */ && this.kind === "doctype") {
            this.depth++;
          } else if (c === 93 /* ] */ && this.kind === "doctype") {
            this.depth--;
          } else if (c === 62 /* > */ && this.depth <= 0) {
            return true;
          }
        }
        return false;
    }
  }
}

/** Returns the position after a DOCTYPE declaration starting before `from`, or -1 if the buffer ends first. */
function skipDoctype(buf: string, from: number): number {
  let quote = 0;
  let depth = 0;
  for (let i = from; i < buf.length; i++) {
    const c = buf.charCodeAt(i);
    if (quote !== 0) {
      if (c === quote) quote = 0;
    } else if (c === 34 || c === 39) {
      quote = c;
    } else if (c === 91 /* [ */) {
      depth++;
    } else if (c === 93 /* ] */) {
      depth--;
    } else if (c === 62 /* > */ && depth <= 0) {
      return i + 1;
    }
  }
  return -1;
}

/**
 * Where the root element of an XML document starts in `text` (its first characters, e.g. a file's head
 * decoded as latin1 so that offsets are bytes): past a BOM, white space, the XML declaration, processing
 * instructions, comments and a DOCTYPE. -1 when `text` does not start like XML or ends before the root.
 */
export function xmlRootOffset(text: string): number {
  let i = text.startsWith("\u00ef\u00bb\u00bf") ? 3 : text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (;;) {
    while (i < text.length && (text.charCodeAt(i) <= 32)) i++;
    if (text.charCodeAt(i) !== 60 /* < */) return -1;
    let end: number;
    if (text.startsWith("<?", i)) {
      end = text.indexOf("?>", i + 2);
      if (end !== -1) end += 2;
    } else if (text.startsWith("<!--", i)) {
      end = text.indexOf("-->", i + 4);
      if (end !== -1) end += 3;
    } else if (text.startsWith("<!DOCTYPE", i)) {
      end = skipDoctype(text, i + 9);
    } else {
      return i + 1 < text.length ? i : -1;
    }
    if (end === -1) return -1;
    i = end;
  }
}
