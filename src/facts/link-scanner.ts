import {
  createDocumentScan,
  markdownItHelpers,
  prepareText,
  scanHeadingContent,
  scanMarkdown,
  scanParagraphContent,
  type DocumentScan,
  type MarkdownScan,
} from "./markdown-links.js";

/**
 * Reads a markdown document's links and anchors as scanMarkdown (markdown-it) does — the same links,
 * lines, columns and anchors, in the same order — but without building markdown-it's token trees for
 * the common subset of markdown: ATX headings, paragraphs, fenced code and blank lines at the left margin,
 * with inline links, images, code spans and escapes. One pass over the text, no regex on it; memory is
 * the text and what is found.
 *
 * Anything outside that subset hands the work to markdown-it, so that it is never guessed: a line that
 * could open a list, quote, table, HTML block, setext heading, thematic break or indented code (or any
 * indented line outside a fence), a reference definition anywhere (`]:`), CR or NUL characters, make the
 * whole document go to scanMarkdown, because such blocks change how every later line is read. Inside a
 * paragraph, raw HTML, autolinks, bare URLs and link text with brackets, code, escapes or URLs make that
 * one paragraph go to markdown-it's inline parser (a paragraph's inline content is read on its own), as
 * does a heading with any inline syntax (its anchor depends on emphasis and code).
 * test/facts/link-scanner.test.ts compares both readings on every kind of input.
 */
export function scanLinks(source: string): MarkdownScan {
  const text = prepareText(source);
  if (text.includes("]:") || text.includes("\r") || text.includes("\0")) return scanMarkdown(source);
  const scan = createDocumentScan(text);
  return scanBlocks(scan) ? { links: scan.links, anchors: scan.anchors } : scanMarkdown(source);
}

const SPACE = 0x20;
const TAB = 0x09;
const NEWLINE = 0x0a;
const HASH = 0x23;
const BACKTICK = 0x60;
const TILDE = 0x7e;
const BACKSLASH = 0x5c;
const BANG = 0x21;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;
const LESS_THAN = 0x3c;
const COLON = 0x3a;
const SLASH = 0x2f;
const DASH = 0x2d;
const STAR = 0x2a;
const PLUS = 0x2b;

/** First characters of a line that may start a block this reader leaves to markdown-it (see scanLinks). */
const HANDED_OVER = new Uint8Array(128);
for (const ch of "-*+_=><|: \t") HANDED_OVER[ch.charCodeAt(0)] = 1;

const isSpace = (code: number) => code === SPACE || code === TAB;
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

/** The blocks of the document, line by line; false when a line needs markdown-it's block parser. */
function scanBlocks(scan: DocumentScan): boolean {
  const text = scan.text;
  searchedFrom = -1;
  const length = text.length;
  let line = 0;
  let start = 0;
  // The open paragraph: its first line and where that line starts, and where its last line ends.
  let paragraphLine = -1;
  let paragraphStart = 0;
  let paragraphEnd = 0;
  const closeParagraph = () => {
    if (paragraphLine === -1) return;
    scanInlineContent(scan, paragraphStart, paragraphEnd, paragraphLine);
    paragraphLine = -1;
  };

  // The marker of the list item on the previous line (0 when that line was not one): until a blank line, only
  // another item with the same marker may follow it here (anything else may continue it, lazily or indented).
  let itemMarker = 0;
  // Where an ATX heading's text starts (see headingContentStart).
  let contentStart: number;

  while (start < length) {
    const newline = text.indexOf("\n", start);
    const end = newline === -1 ? length : newline;
    const first = text.charCodeAt(start);
    if (isBlank(text, start, end)) {
      closeParagraph();
      itemMarker = 0;
    } else if (isPlainItem(text, start, end) && paragraphLine === -1 && (itemMarker === 0 || itemMarker === first)) {
      // A bullet item whose content is one paragraph line, outside a paragraph (which it would interrupt): its
      // inline content is read as a paragraph's, which is what markdown-it's paragraph inside the item holds.
      scanInlineContent(scan, start + 2, end, line);
      itemMarker = first;
    } else if (itemMarker !== 0) {
      return false;
    } else if (first < 128 && HANDED_OVER[first] === 1) {
      return false;
    } else if (isDigit(first) && isOrderedListMarker(text, start, end)) {
      return false;
    } else if (first === HASH && (contentStart = headingContentStart(text, start, end)) !== -1) {
      closeParagraph();
      scanHeadingContent(scan, headingContent(text, contentStart, end), line);
    } else if ((first === BACKTICK || first === TILDE) && isFenceOpener(text, start, end)) {
      closeParagraph();
      const closed = fenceEnd(text, start, end);
      // The fence runs to its closing line (or to the end of the document); its lines are not read.
      line += countNewlines(text, end, closed.end);
      start = closed.end;
      if (start < length) start++;
      line++;
      continue;
    } else if (paragraphLine === -1) {
      paragraphLine = line;
      paragraphStart = start;
      paragraphEnd = end;
    } else {
      paragraphEnd = end;
    }
    line++;
    start = end + 1;
  }
  closeParagraph();
  return true;
}

/**
 * `- `, `* ` or `+ ` at the margin, then content that cannot open a block of its own inside the item: not a
 * space (more indentation makes other blocks), heading, quote, list, fence, HTML, thematic break or table line,
 * nor a task box (`[ ]`, `[x]`), which some renderers read differently. Such an item holds one paragraph.
 */
function isPlainItem(text: string, start: number, end: number): boolean {
  const marker = text.charCodeAt(start);
  if ((marker !== DASH && marker !== STAR && marker !== PLUS) || text.charCodeAt(start + 1) !== SPACE || start + 2 >= end) return false;
  const c = text.charCodeAt(start + 2);
  if ((c < 128 && HANDED_OVER[c] === 1) || c === HASH || c === BACKTICK || c === TILDE || isDigit(c)) return false;
  if (c === OPEN_BRACKET && text.charCodeAt(start + 4) === CLOSE_BRACKET) {
    const box = text.charCodeAt(start + 3);
    if (box === SPACE || box === 0x78 || box === 0x58) return false;
  }
  return true;
}

/** Only spaces and tabs (markdown-it's empty line). */
function isBlank(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

/** `1.` / `12)` followed by a space, tab or the line's end: markdown-it's ordered list marker. */
function isOrderedListMarker(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && isDigit(text.charCodeAt(i))) i++;
  const code = text.charCodeAt(i);
  if (i >= end || (code !== 0x2e && code !== CLOSE_PAREN)) return false;
  return i + 1 >= end || isSpace(text.charCodeAt(i + 1));
}

/** After the `#`s of an ATX heading (markdown-it's rule: 1–6 then a space, tab or the end), or -1. */
function headingContentStart(text: string, start: number, end: number): number {
  let pos = start + 1;
  let level = 1;
  while (pos < end && text.charCodeAt(pos) === HASH && level <= 6) {
    level++;
    pos++;
  }
  if (level > 6 || (pos < end && !isSpace(text.charCodeAt(pos)))) return -1;
  return pos;
}

/** The heading's text: markdown-it's cut of trailing spaces and a closing `#` sequence, trimmed. */
function headingContent(text: string, pos: number, end: number): string {
  let max = end;
  while (max > pos && isSpace(text.charCodeAt(max - 1))) max--;
  let hashes = max;
  while (hashes > pos && text.charCodeAt(hashes - 1) === HASH) hashes--;
  if (hashes > pos && isSpace(text.charCodeAt(hashes - 1))) max = hashes;
  return asciiTrim(text.slice(pos, max));
}

/** Three or more backticks or tildes; after backticks, no backtick on the rest of the line. */
function isFenceOpener(text: string, start: number, end: number): boolean {
  const marker = text.charCodeAt(start);
  let pos = start;
  while (pos < end && text.charCodeAt(pos) === marker) pos++;
  if (pos - start < 3) return false;
  return marker !== BACKTICK || text.indexOf("`", pos) === -1 || text.indexOf("`", pos) >= end;
}

/**
 * Where the fence opened on [start, end) closes: the end of its closing line (same marker, at least as
 * long, indented less than four columns, nothing after but spaces), or the document's end.
 */
function fenceEnd(text: string, start: number, end: number): { end: number } {
  const marker = text.charCodeAt(start);
  let length = 0;
  while (start + length < end && text.charCodeAt(start + length) === marker) length++;
  let lineEnd = end;
  while (lineEnd < text.length) {
    const from = lineEnd + 1;
    const newline = text.indexOf("\n", from);
    lineEnd = newline === -1 ? text.length : newline;
    // Indentation in columns, a tab reaching the next multiple of four (markdown-it's sCount).
    let pos = from;
    let columns = 0;
    for (; pos < lineEnd; pos++) {
      const code = text.charCodeAt(pos);
      if (code === SPACE) columns++;
      else if (code === TAB) columns += 4 - (columns % 4);
      else break;
    }
    if (columns >= 4 || text.charCodeAt(pos) !== marker || pos >= lineEnd) continue;
    const run = pos;
    while (pos < lineEnd && text.charCodeAt(pos) === marker) pos++;
    if (pos - run < length) continue;
    while (pos < lineEnd && isSpace(text.charCodeAt(pos))) pos++;
    if (pos < lineEnd) continue;
    return { end: lineEnd };
  }
  return { end: text.length };
}

/**
 * A paragraph's inline content, the text [from, to) of the document trimmed as markdown-it trims it: links
 * and images with plain text, code spans and escapes around them, read as markdown-it's lean inline parser
 * (markdown-links.ts) reads them. At the first thing it leaves to markdown-it, the paragraph is read by that
 * parser instead (nothing found in it is kept twice: links are added only once the whole paragraph has been
 * read here). The content is read in place, as offsets into the document: no two slices per paragraph, and no
 * character read through a sliced string's extra step (~5 % of the scan's instructions on the bench tree).
 */
function scanInlineContent(scan: DocumentScan, from: number, to: number, line0: number): void {
  const text = scan.text;
  while (from < to && isTrimmable(text.charCodeAt(from))) from++;
  while (to > from && isTrimmable(text.charCodeAt(to - 1))) to--;
  const found = readInline(text, from, to, line0);
  if (found === null) {
    scanParagraphContent(scan, text.slice(from, to), line0);
    return;
  }
  for (let i = 0; i < found.length; i += 2) scan.addLink(found[i] as string, found[i + 1] as number, undefined);
}

/** Characters where inline syntax this reader handles (or hands over) can start. */
const INLINE_STOP = new Uint8Array(128);
for (const ch of "\n`\\[!<:") INLINE_STOP[ch.charCodeAt(0)] = 1;

/**
 * [href, line, href, line, …] of the links and images of the content [from, max) of `content`, or null when
 * markdown-it must read it. `content` may go on past `max` (the content is a trimmed stretch of the document),
 * but only with a space, tab or line break: a look at the character after the last one sees no syntax, as
 * markdown-it, which reads the content on its own, sees none there either.
 */
function readInline(content: string, from: number, max: number, line0: number): (string | number)[] | null {
  const found: (string | number)[] = [];
  let line = line0;
  let pos = from;
  while (pos < max) {
    const code = content.charCodeAt(pos);
    if (code >= 128 || INLINE_STOP[code] === 0) {
      pos++; // plain text, most of a paragraph: one table look-up per character
    } else if (code === NEWLINE) {
      line++;
      pos++;
    } else if (code === BACKTICK) {
      pos = codeSpanEnd(content, pos, max);
    } else if (code === BACKSLASH) {
      // markdown-it's escape takes the next character whatever it is; before a newline it is a hard break.
      if (pos + 1 < max && content.charCodeAt(pos + 1) === NEWLINE) line++;
      pos += pos + 1 < max ? 2 : 1;
    } else if (code === OPEN_BRACKET || (code === BANG && content.charCodeAt(pos + 1) === OPEN_BRACKET)) {
      const isImage = code === BANG;
      const label = isImage ? pos + 1 : pos;
      const labelEnd = plainLabelEnd(content, label, max);
      if (labelEnd === -2) return null;
      const linkEnd = labelEnd === -1 ? -1 : inlineLinkEnd(content, labelEnd + 1, max);
      if (linkEnd === -1) {
        // Not a link: markdown-it takes this one character as text and goes on inside the brackets.
        pos++;
        continue;
      }
      found.push(linkHref, line);
      // Line breaks inside a link's text are tokens scanMarkdown counts; inside an image's alt text they are not.
      if (!isImage) line += countNewlines(content, label, labelEnd);
      pos = linkEnd;
    } else if (code === LESS_THAN) {
      return null; // an autolink or raw HTML
    } else if (code === COLON && content.charCodeAt(pos + 1) === SLASH && content.charCodeAt(pos + 2) === SLASH) {
      return null; // a bare URL, which markdown-it's linkify reads
    } else {
      pos++;
    }
  }
  return found;
}

/** Past the code span opened by the backticks at `pos`, or past those backticks when none closes it. */
function codeSpanEnd(content: string, pos: number, max: number): number {
  const start = pos;
  while (pos < max && content.charCodeAt(pos) === BACKTICK) pos++;
  const opener = pos - start;
  let matchEnd = pos;
  for (let at = nextBacktick(content, matchEnd, max); at !== -1; at = nextBacktick(content, matchEnd, max)) {
    matchEnd = at + 1;
    while (matchEnd < max && content.charCodeAt(matchEnd) === BACKTICK) matchEnd++;
    if (matchEnd - at === opener) return matchEnd;
  }
  return pos;
}

// The last search for a backtick in the document being read: none in [searchedFrom, foundAt), and one at foundAt
// (-1: none to the document's end). Reset for each document (scanBlocks); see nextBacktick.
let searchedFrom = -1;
let foundAt = -1;

/**
 * The first backtick in [from, max), or -1. indexOf, which looks at a character for a fraction of what a loop in
 * JavaScript costs, searches on past `max` to the next backtick anywhere in the document; so its answer is kept,
 * and a later search that starts inside the stretch already searched takes it from there. The reading goes
 * forward through the document, so each character is searched at most once: linear, however many code spans
 * are left open.
 */
function nextBacktick(text: string, from: number, max: number): number {
  if (searchedFrom === -1 || from < searchedFrom || (foundAt !== -1 && from > foundAt)) {
    searchedFrom = from;
    foundAt = text.indexOf("`", from);
  }
  return foundAt !== -1 && foundAt < max ? foundAt : -1;
}

/**
 * The `]` that closes the link text opened at `open`, -1 when none does, or -2 when the text holds
 * something whose reading markdown-it's label parser decides by its inline rules (brackets, code, HTML,
 * escapes, URLs).
 */
function plainLabelEnd(content: string, open: number, max: number): number {
  for (let pos = open + 1; pos < max; pos++) {
    const code = content.charCodeAt(pos);
    if (code === CLOSE_BRACKET) return pos;
    if (code === OPEN_BRACKET || code === BACKTICK || code === LESS_THAN || code === BACKSLASH) return -2;
    if (code === COLON && content.charCodeAt(pos + 1) === SLASH && content.charCodeAt(pos + 2) === SLASH) return -2;
  }
  return -1;
}

const isLinkSpace = (code: number) => code === SPACE || code === TAB || code === NEWLINE;

/** The destination of the link inlineLinkEnd read last. */
let linkHref = "";

/**
 * markdown-it's inline link after the `]` (its link and image rules, which agree here): `(`, destination,
 * optional title, `)`. The position after `)`, with the destination as written in linkHref (scanMarkdown does
 * not percent-encode), or -1 when it is not one (then, with no reference definitions, it is not a link at all).
 * A number and a variable rather than an object per link: the reading makes no garbage for the links it finds.
 */
function inlineLinkEnd(content: string, pos: number, max: number): number {
  if (pos >= max || content.charCodeAt(pos) !== OPEN_PAREN) return -1;
  pos++;
  while (pos < max && isLinkSpace(content.charCodeAt(pos))) pos++;
  if (pos >= max) return -1;
  let href = "";
  let ok = true;
  let str: string;
  let end = plainDestinationEnd(content, pos, max);
  if (end !== -1) {
    str = content.slice(pos, end);
  } else {
    const destination = markdownItHelpers.parseLinkDestination(content, pos, max);
    ok = destination.ok;
    str = destination.str;
    end = destination.pos;
  }
  if (ok) {
    // validateLink only refuses a few schemes, so a destination without ":" needs no check.
    if (!str.includes(":") || markdownItHelpers.validateLink(str)) {
      href = str;
      pos = end;
    }
    const start = pos;
    while (pos < max && isLinkSpace(content.charCodeAt(pos))) pos++;
    if (pos < max && start !== pos) {
      const title = markdownItHelpers.parseLinkTitle(content, pos, max);
      if (title.ok) {
        pos = title.pos;
        while (pos < max && isLinkSpace(content.charCodeAt(pos))) pos++;
      }
    }
  }
  if (pos >= max || content.charCodeAt(pos) !== CLOSE_PAREN) return -1;
  linkHref = href;
  return pos + 1;
}

/**
 * Where a destination with nothing for markdown-it's parseLinkDestination to interpret (no `<`, backslash,
 * parenthesis or entity) ends, which it would return as written: the run up to a space, control character or
 * `)`. -1 when the destination needs that parser.
 */
function plainDestinationEnd(content: string, start: number, max: number): number {
  let pos = start;
  for (; pos < max; pos++) {
    const code = content.charCodeAt(pos);
    if (code <= SPACE || code === CLOSE_PAREN || code === 0x7f) break;
    if (code === OPEN_PAREN || code === BACKSLASH || code === 0x26 || code === LESS_THAN) return -1;
  }
  return pos === start ? -1 : pos;
}

/** markdown-it's asciiTrim: spaces, tabs, CR and LF off both ends (not Unicode spaces). */
function asciiTrim(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isTrimmable(text.charCodeAt(start))) start++;
  while (end > start && isTrimmable(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/** Characters markdown-it's asciiTrim takes off (see scanInlineContent, which trims offsets). */
const isTrimmable = (code: number) => code === SPACE || code === TAB || code === NEWLINE || code === 0x0d;

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}
