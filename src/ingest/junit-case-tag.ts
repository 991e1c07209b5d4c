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
  let at = lt + OPEN.length;
  for (;;) {
    if (at >= len) return -1;
    // At an attribute's name: which one, and where its value starts.
    let which: number;
    let valueAt: number;
    const c = buf.charCodeAt(at);
    if (c === 110 /* n */ && sameAt(buf, at, 'name="')) {
      which = NAME;
      valueAt = at + 6;
    } else if (c === 116 /* t */ && sameAt(buf, at, 'time="')) {
      which = TIME;
      valueAt = at + 6;
    } else if (c === 99 /* c */ && sameAt(buf, at, 'classname="')) {
      which = CLASSNAME;
      valueAt = at + 11;
    } else if (c === 102 /* f */ && sameAt(buf, at, 'file="')) {
      which = FILE;
      valueAt = at + 6;
    } else if (c === 102 /* f */ && sameAt(buf, at, 'filepath="')) {
      which = FILEPATH;
      valueAt = at + 10;
    } else {
      return -1;
    }
    const close = buf.indexOf('"', valueAt);
    if (close === -1) return -1;
    if (which === TIME) {
      if (tag.timeFrom !== -1) return -1;
      // Looked for within the value only: buf.indexOf("&", valueAt) ran to the chunk's end in a report without `&`.
      for (let i = valueAt; i < close; i++) if (buf.charCodeAt(i) === 38 /* & */) return -1;
      tag.timeFrom = valueAt;
      tag.timeTo = close;
    } else if (which === CLASSNAME) {
      if (tag.classname !== undefined) return -1;
      const same = previous !== undefined && close - valueAt === previous.length && sameAt(buf, valueAt, previous);
      const value = same ? previous : decodeFiveEntities(buf, valueAt, close, false);
      if (value === undefined) return -1;
      tag.classname = value;
    } else {
      const value = decodeFiveEntities(buf, valueAt, close, true);
      if (value === undefined) return -1;
      if (which === NAME) {
        if (tag.name !== undefined) return -1;
        tag.name = value;
      } else if (which === FILE) {
        if (tag.file !== undefined) return -1;
        tag.file = value;
      } else {
        if (tag.filepath !== undefined) return -1;
        tag.filepath = value;
      }
    }
    at = close + 1;
    if (at + 1 >= len) return -1;
    const next = buf.charCodeAt(at);
    if (next === 47 /* / */) return buf.charCodeAt(at + 1) === 62 /* > */ ? at + 2 : -1;
    if (next !== 32) return -1;
    at++;
  }
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
