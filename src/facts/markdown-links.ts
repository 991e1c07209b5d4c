import { createRequire } from "node:module";
import { slug } from "github-slugger";
import type MarkdownItModule from "markdown-it";

// markdown-it's CommonJS build, one file, where its ES build is ~75 modules: the same code (one package version),
// loaded in about half the time (~22 ms vs ~45 ms), which every docs-check worker pays before its first file.
const MarkdownIt = createRequire(import.meta.url)("markdown-it") as typeof MarkdownItModule;

/** One link or image destination found in a markdown file. */
export interface MarkdownLink {
  /** The destination as written, with entities and backslash escapes resolved (not percent-encoded). */
  href: string;
  /** The destination as it appears in the source (an HTML attribute's raw value); `href` otherwise. */
  target: string;
  /** 1-based line of the link (for a reference link: the line that uses it). */
  line: number;
  /** 1-based column of `target` on its line, when it was found there. */
  column: number | undefined;
}

export interface MarkdownScan {
  links: MarkdownLink[];
  /**
   * Every fragment the rendered page defines, lower-cased: heading slugs by GitHub's rules
   * (duplicates get -1, -2, …) and the `id`s and `<a name>`s of raw HTML.
   */
  anchors: Set<string>;
}

// `html` so that raw <a>/<img> tags become tokens we can read; linkify, as GitHub autolinks bare URLs.
const md = new MarkdownIt({ html: true, linkify: true });
type Token = ReturnType<typeof md.parse>[number];
type InlineRule = Parameters<typeof md.inline.ruler.at>[1];
// Destinations as written: rendering would percent-encode them, but we only decode them again to find
// the file, and the text as written is what a reader can search for. (validateLink still applies.)
const asWritten = (url: string) => url;
md.normalizeLink = asWritten;
// Scheme links (https://…, mailto:…) are linkified by the inline rule at ":"; the core rule re-reads every
// text token only to add bare e-mail addresses, which would be listed as external and never checked.
md.core.ruler.disable("linkify");
// GitHub reads `[^1]: note` as a footnote, markdown-it as a reference definition whose destination is
// "note": without this, every `[^1]` would be checked as a link to a file named after the footnote.
md.core.ruler.after("block", "shipgate_drop_footnote_definitions", (state) => {
  const refs = (state.env as { references?: Record<string, unknown> }).references;
  if (refs) for (const label of Object.keys(refs)) if (label.startsWith("^")) delete refs[label];
});

/**
 * Inline parsing is most of markdown-it's time, and outside headings only links matter. So headings
 * get the full inline parser (emphasis changes their slug), other inline content a lean one: no
 * emphasis, strikethrough or entities, and a text rule that skips to where a link, image, autolink,
 * raw HTML, code span, escape or line break can start without keeping the text (no text tokens).
 * CommonMark gives links precedence over emphasis, so the links found are the same (a test compares
 * them with the full parser's). Content with none of `[ < :` holds no link and is not parsed at all;
 * a heading without inline syntax is its own text.
 */
const lean = new MarkdownIt({ html: true, linkify: true });
lean.normalizeLink = asWritten;
lean.inline.ruler.disable(["emphasis", "strikethrough", "entity"]);
lean.inline.ruler2.disable(["emphasis", "strikethrough", "balance_pairs", "fragments_join"]);
const LEAN_STOP = new Uint8Array(128);
for (const ch of "\n!:<[\\]`") LEAN_STOP[ch.charCodeAt(0)] = 1;
const skipText: InlineRule = (state) => {
  let pos = state.pos;
  const src = state.src;
  while (pos < state.posMax) {
    const code = src.charCodeAt(pos);
    if (code < 128 && LEAN_STOP[code] === 1) break;
    pos++;
  }
  if (pos === state.pos) return false;
  state.pos = pos;
  return true;
};
lean.inline.ruler.at("text", skipText);
const isSchemeChar = (code: number) => (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2d || code === 0x2e;
/**
 * markdown-it's inline linkify rule, reading the scheme before "://" from the source instead of from
 * the pending text, which the lean text rule does not keep. Same limits: a scheme of at most 32
 * characters starting with a letter, not inside a link, trailing `*` dropped.
 */
const linkifyScheme: InlineRule = (state, silent) => {
  const pos = state.pos;
  const src = state.src;
  // linkLevel exists since markdown-it 14.1; @types/markdown-it 14.2 does not declare it yet.
  if ((state as typeof state & { linkLevel: number }).linkLevel > 0 || pos + 3 > state.posMax || src.charCodeAt(pos) !== 0x3a || src.charCodeAt(pos + 1) !== 0x2f || src.charCodeAt(pos + 2) !== 0x2f) return false;
  let start = pos;
  while (start > 0 && pos - start < 32 && isSchemeChar(src.charCodeAt(start - 1))) start--;
  const first = src.charCodeAt(start);
  if (start === pos || !((first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a))) return false;
  const match = state.md.linkify.matchAtStart(src.slice(start));
  if (!match || match.url.length <= pos - start) return false;
  const url = match.url.replace(/\*+$/, "");
  if (!state.md.validateLink(url)) return false;
  if (!silent) {
    const open = state.push("link_open", "a", 1);
    open.attrs = [["href", url]];
    open.markup = "linkify";
    open.info = "auto";
    const close = state.push("link_close", "a", -1);
    close.markup = "linkify";
    close.info = "auto";
  }
  state.pos = start + url.length;
  return true;
};
lean.inline.ruler.at("linkify", linkifyScheme);
const MAY_LINK = /[[<:]/;
/** No character that inline syntax starts with (escapes, entities, emphasis, code, links, HTML, line breaks). */
const PLAIN_INLINE = /^[^\\&*_~`[\]!<>:\n]*$/;
md.core.ruler.at("inline", (state) => {
  const tokens = state.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token?.type !== "inline") continue;
    token.children ??= [];
    if (tokens[i - 1]?.type === "heading_open") {
      // Plain heading text (most headings) parses to one text token: keep it as that, unparsed.
      if (PLAIN_INLINE.test(token.content)) token.children.push(Object.assign(new state.Token("text", "", 0), { content: token.content }));
      else md.inline.parse(token.content, md, state.env, token.children);
    } else if (MAY_LINK.test(token.content)) {
      lean.inline.parse(token.content, lean, state.env, token.children);
    }
  }
});

const HTML_TAG = /<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*)?>/g;
// An attribute name starts where a run of name characters starts: tried from inside the run as well, a long
// run without "=" was re-read from each of its characters (quadratic).
const HTML_ATTR = /(?<![-a-zA-Z0-9_:.])([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/g;
const FRONT_MATTER = /^---[ \t]*\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/;

/**
 * Reads one markdown document: its links and images (reference links resolved; code spans and fences
 * ignored, as markdown-it does) and the fragments it defines. Pure; never throws on content. This is the
 * reference reading: link-scanner.ts reads the common subset of markdown faster and must agree with it.
 */
export function scanMarkdown(source: string): MarkdownScan {
  const scan = createDocumentScan(prepareText(source));
  const tokens = md.parse(scan.text, scan.env);
  let blockLine = 0;
  let inHeading = false;
  for (const token of tokens) {
    if (token.map) blockLine = token.map[0];
    switch (token.type) {
      case "heading_open":
        inHeading = true;
        break;
      case "heading_close":
        inHeading = false;
        break;
      case "inline":
        if (inHeading) scan.anchors.add(scan.slugs(headingText(token.children)));
        scan.scanInline(token.children, blockLine);
        break;
      case "html_block":
        scan.scanHtml(token.content, blockLine);
        break;
      default:
        break;
    }
  }
  return { links: scan.links, anchors: scan.anchors };
}

/** The text a document is read from: without a byte-order mark, its front matter blanked. */
export function prepareText(source: string): string {
  return blankFrontMatter(source.charCodeAt(0) === 0xfeff ? source.slice(1) : source);
}

/**
 * One document's scan in progress: what it found so far and how a link, an HTML fragment or a block's
 * inline tokens are added. Both readings (scanMarkdown and link-scanner.ts) add through it, so a link's
 * line, column and target are computed by the same code whichever reading found it.
 */
export interface DocumentScan {
  /** The prepared text (see prepareText). */
  readonly text: string;
  /** markdown-it's environment for this document (reference definitions, once parsed). */
  readonly env: Record<string, unknown>;
  readonly links: MarkdownLink[];
  readonly anchors: Set<string>;
  /** The heading id for a heading's text (GitHub's rules, repeats numbered in call order). */
  readonly slugs: (text: string) => string;
  /** The heading id for a heading whose slug before numbering (`base`) is known, numbered as `slugs` numbers. */
  readonly uniqueSlug: (base: string) => string;
  /** Adds a link found on 0-based line `line0`; `written` is its destination as written when not `href`. */
  addLink(href: string, line0: number, written: string | undefined): void;
  /** Adds the links (a href, img src) and anchors (id, a name) of raw HTML starting on `line0`. */
  scanHtml(html: string, line0: number): void;
  /** Adds the links of a block's inline tokens, the block starting on `line0`. */
  scanInline(children: Token[] | null, line0: number): void;
}

export function createDocumentScan(text: string): DocumentScan {
  const lines = lineStarts(text);
  const links: MarkdownLink[] = [];
  const anchors = new Set<string>();
  // Where the previous link on the same line ended, so two links to one target get their own columns.
  let cursorLine = -1;
  let cursor = 0;

  /** 1-based column of `candidate` on line `line0` (after the previous link found there), or 0. */
  const columnOf = (candidate: string, line0: number): number => {
    const start = lines[line0];
    if (start === undefined || candidate === "") return 0;
    const end = lines[line0 + 1] ?? text.length;
    const at = text.indexOf(candidate, cursorLine === line0 ? cursor : start);
    if (at === -1 || at + candidate.length > end) return 0;
    cursorLine = line0;
    cursor = at + candidate.length;
    return at - start + 1;
  };

  const addLink = (href: string, line0: number, written: string | undefined) => {
    const target = written ?? href;
    const column = columnOf(target, line0);
    links.push({ href, target, line: line0 + 1, column: column === 0 ? undefined : column });
  };

  const scanHtml = (html: string, line0: number) => {
    if (!html.includes("<")) return;
    // Cut after the last ">": a "<name " with no ">" after it was scanned to the end from every "<" (quadratic),
    // and no tag or comment can end past it.
    const closed = html.slice(0, html.lastIndexOf(">") + 1);
    const clean = closed.includes("<!--") ? blankComments(closed) : closed;
    let lastIndex = 0;
    let line = line0;
    for (const tag of clean.matchAll(HTML_TAG)) {
      line += countNewlines(clean, lastIndex, tag.index);
      lastIndex = tag.index;
      const name = (tag[1] ?? "").toLowerCase();
      const attrs = tag[2];
      if (attrs === undefined) continue;
      for (const attr of attrs.matchAll(HTML_ATTR)) {
        const key = (attr[1] ?? "").toLowerCase();
        const raw = attr[2] ?? attr[3] ?? attr[4] ?? "";
        const value = raw.includes("&") || raw.includes("\\") ? md.utils.unescapeAll(raw) : raw;
        if (key === "id" || (key === "name" && name === "a")) {
          if (value !== "") anchors.add(value.toLowerCase());
        } else if ((key === "href" && name === "a") || (key === "src" && name === "img")) {
          addLink(value, line + countNewlines(attrs, 0, attr.index), raw);
        }
      }
    }
  };

  const scanInline = (children: Token[] | null, line0: number) => {
    if (!children) return;
    let line = line0;
    for (const child of children) {
      switch (child.type) {
        case "softbreak":
        case "hardbreak":
          line++;
          break;
        case "link_open":
          addLink(String(child.attrGet("href") ?? ""), line, undefined);
          break;
        case "image":
          addLink(String(child.attrGet("src") ?? ""), line, undefined);
          break;
        case "html_inline":
          scanHtml(child.content, line);
          line += countNewlines(child.content, 0, child.content.length);
          break;
        default:
          break;
      }
    }
  };

  const uniqueSlug = createSlugger();
  const slugs = (text: string) => uniqueSlug(plainSlug(text, PLAIN_SLUG_BYTE) ?? slug(text));
  return { text, env: {}, links, anchors, slugs, uniqueSlug, addLink, scanHtml, scanInline };
}

/**
 * A paragraph's (or any non-heading block's) inline content read exactly as scanMarkdown reads it: the
 * lean inline parser, and only when it holds a character a link can start with.
 */
export function scanParagraphContent(scan: DocumentScan, content: string, line0: number): void {
  if (!MAY_LINK.test(content)) return;
  const children: Token[] = [];
  lean.inline.parse(content, lean, scan.env, children);
  scan.scanInline(children, line0);
}

/** A heading's inline content read exactly as scanMarkdown reads it: its anchor, then its links. */
export function scanHeadingContent(scan: DocumentScan, content: string, line0: number): void {
  // Letters, digits, spaces and "-" only (most headings): no inline syntax, and the slug is made in the same pass.
  const plain = plainSlug(content, PLAIN_TEXT_SLUG_BYTE);
  if (plain !== undefined) {
    scan.anchors.add(scan.uniqueSlug(plain));
    return;
  }
  if (PLAIN_INLINE.test(content)) {
    scan.anchors.add(scan.slugs(content));
    return;
  }
  const children: Token[] = [];
  md.inline.parse(content, md, scan.env, children);
  scan.anchors.add(scan.slugs(headingText(children)));
  scan.scanInline(children, line0);
}

/** markdown-it's own helpers and link validation, for a reader that must agree with it to the character. */
export const markdownItHelpers = { parseLinkDestination: lean.helpers.parseLinkDestination, parseLinkTitle: lean.helpers.parseLinkTitle, validateLink: (url: string) => lean.validateLink(url) };

/**
 * GitHub's heading ids for one page, as github-slugger's `GithubSlugger#slug` numbers them: a heading's slug
 * (lower case, punctuation dropped, spaces to "-": `slug`, or plainSlug for plain ASCII words, which skips its
 * large Unicode regex and keeps exactly [A-Za-z0-9_ -] of ASCII anyway), with "-1", "-2", … for repeats (a
 * fresh numbering per page).
 */
function createSlugger(): (base: string) => string {
  const seen = new Map<string, number>();
  return (base) => {
    let result = base;
    while (seen.has(result)) {
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      result = `${base}-${n}`;
    }
    seen.set(result, 0);
    return result;
  };
}

/**
 * What each ASCII character of a plain heading (the regex /^[\w -]*$/) becomes in its slug: itself lower-cased,
 * a space "-"; 0 for the characters that make a heading not plain.
 */
const PLAIN_SLUG_BYTE = new Uint8Array(128);
for (const ch of "abcdefghijklmnopqrstuvwxyz0123456789_-") PLAIN_SLUG_BYTE[ch.charCodeAt(0)] = ch.charCodeAt(0);
for (const ch of "ABCDEFGHIJKLMNOPQRSTUVWXYZ") PLAIN_SLUG_BYTE[ch.charCodeAt(0)] = ch.toLowerCase().charCodeAt(0);
PLAIN_SLUG_BYTE[0x20] = 0x2d;
/** The same without "_", which may be emphasis: a heading of these characters is its own text (see PLAIN_INLINE). */
const PLAIN_TEXT_SLUG_BYTE = PLAIN_SLUG_BYTE.slice();
PLAIN_TEXT_SLUG_BYTE[0x5f] = 0;
/** plainSlug's bytes, reused from heading to heading (grown for a longer one). */
let slugBytes = Buffer.allocUnsafe(256);

/**
 * The slug of a plain heading (`text.toLowerCase()` with spaces as "-"), or undefined when `table` (one of the
 * above) says it is not plain. One pass that checks and writes each character, then one native decode: a global
 * replace of the spaces (regex or replaceAll) went through the runtime for every heading and was most of the
 * slug's time.
 */
function plainSlug(text: string, table: Uint8Array): string | undefined {
  const length = text.length;
  if (length > slugBytes.length) slugBytes = Buffer.allocUnsafe(length * 2);
  const bytes = slugBytes;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    const byte = code < 128 ? (table[code] as number) : 0;
    if (byte === 0) return undefined;
    bytes[i] = byte;
  }
  return bytes.toString("latin1", 0, length);
}

/** The heading's text as GitHub's renderer sees it: text and code spans, not HTML tags or image alt text. */
function headingText(children: Token[] | null): string {
  let out = "";
  for (const child of children ?? []) {
    if (child.type === "text" || child.type === "code_inline") out += child.content;
    else if (child.type === "softbreak" || child.type === "hardbreak") out += "\n";
  }
  return out;
}

/** YAML front matter is metadata, not content: blank it, keeping its newlines so line numbers stay true. */
function blankFrontMatter(text: string): string {
  if (!text.startsWith("---")) return text;
  const match = FRONT_MATTER.exec(text);
  return match ? match[0].replace(/[^\n]/g, "") + text.slice(match[0].length) : text;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf("\n", from); i !== -1 && i < to; i = text.indexOf("\n", i + 1)) n++;
  return n;
}

/**
 * `html` with each complete comment blanked (newlines kept, for line numbers). A hand loop: the regex
 * `<!--[\s\S]*?-->` re-read the rest of the text from every "<!--" when none was closed.
 */
function blankComments(html: string): string {
  let out = "";
  let from = 0;
  for (let open = html.indexOf("<!--"); open !== -1; open = html.indexOf("<!--", from)) {
    const close = html.indexOf("-->", open + 4);
    if (close === -1) break;
    out += html.slice(from, open) + html.slice(open, close + 3).replace(/[^\n]/g, " ");
    from = close + 3;
  }
  return out + html.slice(from);
}
