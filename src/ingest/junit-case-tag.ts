import { decodeFiveEntities } from "./xml.js";

/**
 * The attributes of a plain self-closing `<testcase …/>` that the JUnit parser reads, as the XML reader
 * would hand them over (entities decoded). One object is reused for every tag: read it before the next call.
 */
export interface CaseTag {
  /**
   * May be a slice of the buffer, to copy before keeping; or `previousClassname` itself when the tag repeats
   * it (the cases of a suite share one: compared in place, so that no slice is made per case).
   */
  classname: string | undefined;
  /** Safe to keep, as are file and filepath: never a slice of the buffer. */
  name: string | undefined;
  /** Where the time attribute's value is in the buffer (-1 without one), to parse in place; it holds no `&`. */
  timeFrom: number;
  timeTo: number;
  file: string | undefined;
  filepath: string | undefined;
  /** The last `previousClassname` readCaseTag was given, and whether it holds no `&`. */
  checkedClassname: string | undefined;
  checkedIsPlain: boolean;
}

/** A CaseTag for one parse. */
export function createCaseTag(): CaseTag {
  return { classname: undefined, name: undefined, timeFrom: -1, timeTo: -1, file: undefined, filepath: undefined, checkedClassname: undefined, checkedIsPlain: false };
}

const OPEN = "<testcase ";
const CLASSNAME = 0;
const NAME = 1;
const TIME = 2;
const FILE = 3;
const FILEPATH = 4;
/** What precedes each attribute's value, by the constants above. */
const PREFIXES = ['classname="', 'name="', 'time="', 'file="', 'filepath="'];

/**
 * Reads the `<testcase` tag at `buf[lt]` when it has the shape nearly every case in a large report has —
 * single spaces between attributes, only classname / name / time / file / filepath (each at most once),
 * double quotes, no `=` padding, values with no entity but the five XML ones (none in time), `/>` right
 * after the last value — and returns the position after its `/>`; -1 for anything else or when the buffer
 * ends first.
 *
 * Why: the XML reader's general tag parser (any white space, either quote, any attribute, into a fresh
 * attribute object) was half of a JUnit parse. Anything this does not read exactly goes to that parser,
 * so the output and every error stay the reader's. Linear: each character is read once or twice.
 *
 * Each helper has one call site here (one prefix comparison, one decoder): V8 inlines every call site, and
 * with five comparisons and three decoders inlined this function took 80–90 ms to optimize, which the
 * first tens of thousands of cases ran through slower code.
 */
export function readCaseTag(buf: string, lt: number, tag: CaseTag, previousClassname: string | undefined): number {
  if (!sameAt(buf, lt, OPEN)) return -1;
  tag.classname = tag.name = tag.file = tag.filepath = undefined;
  tag.timeFrom = tag.timeTo = -1;
  // Equal raw text means an equal value only when the raw text holds no entity reference.
  // The cases of a suite repeat one classname: whether it holds an `&` is remembered for the last one asked about.
  if (previousClassname !== tag.checkedClassname) {
    tag.checkedClassname = previousClassname;
    tag.checkedIsPlain = previousClassname !== undefined && previousClassname.indexOf("&") === -1;
  }
  const previous = tag.checkedIsPlain ? previousClassname : undefined;
  const len = buf.length;
  /** The attributes read so far, one bit each: a repeated one is left to the reader. */
  let seen = 0;
  let at = lt + OPEN.length;
  for (;;) {
    if (at + 1 >= len) return -1;
    // At an attribute's name: which one (by its first character, and the fifth for file / filepath), and whether it is exactly that.
    const c = buf.charCodeAt(at);
    const which = c === 110 /* n */ ? NAME : c === 116 /* t */ ? TIME : c === 99 /* c */ ? CLASSNAME : c === 102 /* f */ ? (buf.charCodeAt(at + 4) === 112 /* p */ ? FILEPATH : FILE) : -1;
    if (which === -1 || (seen & (1 << which)) !== 0) return -1;
    seen |= 1 << which;
    const prefix = PREFIXES[which] as string;
    if (!sameAt(buf, at, prefix)) return -1;
    const valueAt = at + prefix.length;
    const close = buf.indexOf('"', valueAt);
    if (close === -1) return -1;
    if (which === TIME) {
      // Looked for within the value only: buf.indexOf("&", valueAt) ran to the chunk's end in a report without `&`.
      for (let i = valueAt; i < close; i++) if (buf.charCodeAt(i) === 38 /* & */) return -1;
      tag.timeFrom = valueAt;
      tag.timeTo = close;
    } else {
      const same = which === CLASSNAME && previous !== undefined && close - valueAt === previous.length && equalAt(buf, valueAt, previous);
      const value = same ? previous : decodeFiveEntities(buf, valueAt, close, which !== CLASSNAME);
      if (value === undefined) return -1;
      if (which === CLASSNAME) tag.classname = value;
      else if (which === NAME) tag.name = value;
      else if (which === FILE) tag.file = value;
      else tag.filepath = value;
    }
    at = close + 1;
    if (at + 1 >= len) return -1;
    const next = buf.charCodeAt(at);
    if (next === 47 /* / */) return buf.charCodeAt(at + 1) === 62 /* > */ ? at + 2 : -1;
    if (next !== 32) return -1;
    at++;
  }
}

/** `buf.substr(at, text.length) === text` for a `text` that fits in `buf` (the caller checked the length). */
function equalAt(buf: string, at: number, text: string): boolean {
  for (let i = 0; i < text.length; i++) if (buf.charCodeAt(at + i) !== text.charCodeAt(i)) return false;
  return true;
}

/**
 * `buf.startsWith(text, at)` as a loop: String.prototype.startsWith is a call into the runtime each time
 * (~60 ns), which this, inlined into the caller, is not; it was most of this module's cost.
 */
function sameAt(buf: string, at: number, text: string): boolean {
  const n = text.length;
  if (at + n > buf.length) return false;
  for (let i = 0; i < n; i++) if (buf.charCodeAt(at + i) !== text.charCodeAt(i)) return false;
  return true;
}
