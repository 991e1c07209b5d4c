import { decodeFiveEntities } from "./xml.js";

/**
 * The attributes of a plain self-closing `<testcase …/>` that the JUnit parser reads, as the XML reader
 * would hand them over (entities decoded). One object is reused for every tag: read it before the next call.
 */
export interface CaseTag {
  /** May be a slice of the buffer (compared with the previous case's, copied only when it differs). */
  classname: string | undefined;
  /** Safe to keep, as are file and filepath: never a slice of the buffer. */
  name: string | undefined;
  time: string | undefined;
  file: string | undefined;
  filepath: string | undefined;
}

const OPEN = "<testcase ";

/**
 * Reads the `<testcase` tag at `buf[lt]` when it has the shape nearly every case in a large report has —
 * single spaces between attributes, only classname / name / time / file / filepath (each at most once),
 * double quotes, no `=` padding, values with no entity but the five XML ones, `/>` right after the last
 * value — and returns the position after its `/>`; -1 for anything else or when the buffer ends first.
 *
 * Why: the XML reader's general tag parser (any white space, either quote, any attribute, into a fresh
 * attribute object) was half of a JUnit parse. Anything this does not read exactly goes to that parser,
 * so the output and every error stay the reader's. Linear: each character is read once or twice.
 */
export function readCaseTag(buf: string, lt: number, tag: CaseTag): number {
  if (!buf.startsWith(OPEN, lt)) return -1;
  tag.classname = tag.name = tag.time = tag.file = tag.filepath = undefined;
  const len = buf.length;
  let at = lt + OPEN.length;
  for (;;) {
    // At an attribute's name: which one, and where its value starts.
    let valueAt: number;
    let which: number;
    const c = buf.charCodeAt(at);
    if (c === 110 /* n */ && buf.startsWith('name="', at)) {
      which = 1;
      valueAt = at + 6;
    } else if (c === 116 /* t */ && buf.startsWith('time="', at)) {
      which = 2;
      valueAt = at + 6;
    } else if (c === 99 /* c */ && buf.startsWith('classname="', at)) {
      which = 0;
      valueAt = at + 11;
    } else if (c === 102 /* f */ && buf.startsWith('file="', at)) {
      which = 3;
      valueAt = at + 6;
    } else if (c === 102 /* f */ && buf.startsWith('filepath="', at)) {
      which = 4;
      valueAt = at + 10;
    } else {
      return -1;
    }
    const close = buf.indexOf('"', valueAt);
    if (close === -1) return -1;
    const value = decodeFiveEntities(buf, valueAt, close, which === 1 || which >= 3);
    if (value === undefined) return -1;
    switch (which) {
      case 0:
        if (tag.classname !== undefined) return -1;
        tag.classname = value;
        break;
      case 1:
        if (tag.name !== undefined) return -1;
        tag.name = value;
        break;
      case 2:
        if (tag.time !== undefined) return -1;
        tag.time = value;
        break;
      case 3:
        if (tag.file !== undefined) return -1;
        tag.file = value;
        break;
      default:
        if (tag.filepath !== undefined) return -1;
        tag.filepath = value;
    }
    at = close + 1;
    if (at + 1 >= len) return -1;
    const next = buf.charCodeAt(at);
    if (next === 47 /* / */) return buf.charCodeAt(at + 1) === 62 /* > */ ? at + 2 : -1;
    if (next !== 32) return -1;
    at++;
  }
}
