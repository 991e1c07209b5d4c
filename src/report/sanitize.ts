/**
 * Text that came from a tool (test names and messages, finding messages, report paths, collector output,
 * report bytes quoted in errors) made safe for the place it is written to. Pure and linear in its input:
 * one pass over the characters, no regular expression that can backtrack.
 *
 * - the terminal: no escape sequence (ANSI CSI, OSC hyperlinks and titles, DCS…), no C0/C1 control, no
 *   bidirectional override (a "Trojan Source" name reads differently from what it is), no carriage return
 *   (it overwrites the line and starts a new line for the GitHub runner), bounded length;
 * - markdown (GITHUB_STEP_SUMMARY, pull-request comments): one line, every character that could start a
 *   heading, image, link, autolink, raw HTML, table cell, code span, emphasis or entity escaped;
 * - GitHub workflow commands: data and properties escaped as the runner unescapes them;
 * - any stdout/stderr line under GitHub Actions: no line that the runner reads as a workflow command.
 */

/** Longest one-line text (test name, message, path) shown by default; the rest is cut with "…". */
export const MAX_INLINE = 500;

const ESC = 0x1b;
const BEL = 0x07;
const ST = 0x9c;

/** Introducers of escape strings (OSC, DCS, SOS, PM, APC) after ESC: they run to BEL or ST. */
const isStringIntroducer = (c: number): boolean => c === 0x5d || c === 0x50 || c === 0x58 || c === 0x5e || c === 0x5f;
/** The same strings in their 8-bit C1 form. */
const isC1StringIntroducer = (c: number): boolean => c === 0x9d || c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f;
/** Characters that change how the text around them is displayed: bidi embeddings, overrides, isolates and marks, and the BOM. */
const isInvisibleFormat = (c: number): boolean =>
  c === 0x061c || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff;
const isLineBreak = (c: number): boolean => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;

// Anything the scanner has to look at; text without any of these is returned as it is.
// eslint-disable-next-line no-control-regex
const SPECIAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/;

/** Skips a CSI sequence's parameters, intermediates and final byte; returns the index after it. */
function skipCsi(text: string, i: number): number {
  let j = i;
  while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x3f) j++;
  while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
  if (j < text.length && text.charCodeAt(j) >= 0x40 && text.charCodeAt(j) <= 0x7e) j++;
  return j;
}

/** Skips an escape string up to and including its terminator (BEL, ESC \ or ST); a line break ends it too and is kept. */
function skipString(text: string, i: number): number {
  let j = i;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === BEL || c === ST) return j + 1;
    if (c === ESC) return text.charCodeAt(j + 1) === 0x5c ? j + 2 : j;
    if (isLineBreak(c)) return j;
    j++;
  }
  return j;
}

/**
 * The text without escape sequences, controls and invisible formatting characters. Line breaks (CRLF, CR,
 * NEL, U+2028, U+2029) become `\n`; tabs stay; a lone surrogate becomes U+FFFD. Printable text is kept
 * as it is, including what an escape sequence's remains would look like without its ESC.
 */
export function stripControls(text: string): string {
  if (!SPECIAL.test(text)) return text;
  let out = "";
  let from = 0;
  let i = 0;
  const cut = (to: number, next: number, insert = ""): void => {
    out += text.slice(from, to) + insert;
    from = next;
    i = next;
  };
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      i++;
    } else if (c === 0x0a || c === 0x09) {
      i++;
    } else if (c === 0x0d) {
      cut(i, text.charCodeAt(i + 1) === 0x0a ? i + 2 : i + 1, "\n");
    } else if (c === ESC) {
      const n = text.charCodeAt(i + 1);
      if (n === 0x5b) cut(i, skipCsi(text, i + 2));
      else if (isStringIntroducer(n)) cut(i, skipString(text, i + 2));
      else {
        let j = i + 1;
        while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
        if (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x7e) j++;
        cut(i, j);
      }
    } else if (c === 0x9b) {
      cut(i, skipCsi(text, i + 1));
    } else if (isC1StringIntroducer(c)) {
      cut(i, skipString(text, i + 1));
    } else if (c === 0x85 || c === 0x2028 || c === 0x2029) {
      cut(i, i + 1, "\n");
    } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || isInvisibleFormat(c)) {
      cut(i, i + 1);
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const n = text.charCodeAt(i + 1);
      if (n >= 0xdc00 && n <= 0xdfff) i += 2;
      else cut(i, i + 1, "\ufffd");
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      cut(i, i + 1, "\ufffd");
    } else {
      i++;
    }
  }
  return out + text.slice(from);
}

/** At most `max` characters (UTF-16 units), the last one "…" when cut; never splits a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}

/** Line breaks and tabs, in runs, as one space: the text can never start a line of its own. */
function joinLines(text: string): string {
  if (!text.includes("\n") && !text.includes("\t")) return text;
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 0x0a && c !== 0x09) continue;
    let j = i + 1;
    while (j < text.length && (text.charCodeAt(j) === 0x0a || text.charCodeAt(j) === 0x09)) j++;
    out += `${text.slice(from, i)} `;
    from = j;
    i = j - 1;
  }
  return out + text.slice(from);
}

/** Tool text on one terminal line: no controls or escape sequences, line breaks as spaces, at most `max` characters. */
export function forTerminal(text: string, max: number = MAX_INLINE): string {
  return truncate(joinLines(stripControls(text)), max);
}

export interface BoundLinesOptions {
  /** Most lines kept (default 20). */
  maxLines?: number;
  /** Longest line kept (default 500 characters); longer ones are cut with "…". */
  maxLineLength?: number;
  /** Which lines to keep when there are more: the first (default) or the last (output tails). */
  keep?: "head" | "tail";
}

/**
 * Several lines of tool text (a collector's output tail, an error that quotes a report): controls and
 * escape sequences removed, at most `maxLines` lines of `maxLineLength` characters, and a line saying
 * how many were left out.
 */
export function boundLines(text: string, options: BoundLinesOptions = {}): string {
  const maxLines = Math.max(1, options.maxLines ?? 20);
  const maxLineLength = options.maxLineLength ?? MAX_INLINE;
  const lines = stripControls(text).split("\n");
  const left = lines.length - maxLines;
  const kept = left <= 0 ? lines : options.keep === "tail" ? lines.slice(-maxLines) : lines.slice(0, maxLines);
  const bounded = kept.map((line) => truncate(line.replace(/\t/g, " "), maxLineLength));
  if (left <= 0) return bounded.join("\n");
  const note = `… ${left} more line${left === 1 ? "" : "s"}`;
  return (options.keep === "tail" ? [note, ...bounded] : [...bounded, note]).join("\n");
}

/**
 * Markdown's active characters, each escaped with a backslash (CommonMark lets any ASCII punctuation be
 * escaped): emphasis and code (`\ * _ ~ backtick`), links and images (`[ ] !`), raw HTML and autolinks
 * (`< >`), table cells (`|`), headings (`#`), entities (`&`) and GitHub math (`$`).
 */
const MARKDOWN_ACTIVE = /[\\`*_~[\]!<>|#&$]/g;

/**
 * Tool text inside markdown prose, a list item or a table cell: one line (a report cannot start a heading
 * or a block of its own), no controls, markdown's active characters escaped, and bare URLs broken up so
 * that GitHub does not turn them into links (`https\://`, `www\.`).
 */
export function forMarkdown(text: string, max: number = MAX_INLINE): string {
  return forTerminal(text, max)
    .replace(MARKDOWN_ACTIVE, (c) => `\\${c}`)
    .replace(/:\/\//g, "\\://")
    .replace(/\b(www)\./gi, "$1\\.");
}

export interface MarkdownCodeOptions {
  /** Longest text kept (default 500 characters). */
  max?: number;
  /** The span stands in a table cell: a pipe would end the cell, so it is escaped (GFM keeps `\|` inside code spans in tables as `|`). */
  table?: boolean;
}

/**
 * Tool text as an inline code span, which markdown never interprets: one line, no controls, fenced with
 * one backtick more than the longest run inside it (so a backtick cannot close it), padded with a space
 * where the text starts or ends with a backtick or a space.
 */
export function forMarkdownCode(text: string, options: MarkdownCodeOptions = {}): string {
  let body = forTerminal(text, options.max ?? MAX_INLINE);
  if (options.table === true) body = body.replace(/\|/g, "\\|");
  if (body === "") return "` `";
  let longest = 0;
  let run = 0;
  for (let i = 0; i < body.length; i++) {
    run = body.charCodeAt(i) === 0x60 ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const fence = "`".repeat(longest + 1);
  const edge = (c: string | undefined) => c === "`" || c === " ";
  const pad = edge(body[0]) || edge(body[body.length - 1]) ? " " : "";
  return `${fence}${pad}${body}${pad}${fence}`;
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/**
 * Text inside an HTML block of a markdown document (`<details><summary>…</summary>`), where markdown is
 * not interpreted and a backslash escape would show: one line, no controls, HTML's special characters as
 * references.
 */
export function forHtml(text: string, max: number = MAX_INLINE): string {
  return forTerminal(text, max).replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** A workflow command's data (the runner's escapeData): `%` first, so that the escapes themselves survive. */
const escapeData = (text: string): string => text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");

/**
 * Tool text as the message of a GitHub workflow command (`::error …::MESSAGE`): no controls, at most
 * 20 lines of `max` characters in all, then escaped as the runner unescapes it (`%`, CR, LF), so that it
 * stays on the command's line.
 */
export function forWorkflowData(text: string, max = 4000): string {
  return escapeData(truncate(boundLines(text, { maxLines: 20, maxLineLength: max }), max));
}

/**
 * Tool text as a workflow command property (`file=…`, `title=…`): one line, no controls, bounded, and
 * escaped as data plus the `:` and `,` that delimit properties.
 */
export function forWorkflowProperty(text: string, max = MAX_INLINE): string {
  return escapeData(forTerminal(text, max)).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/**
 * .NET's `Char.IsWhiteSpace`, which the runner's `TrimStart()` uses before it looks for `::`: a line
 * starting with spaces, tabs or any of these is still a command.
 */
function isRunnerWhitespace(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000
  );
}

/**
 * A filter for everything shipgate writes to stdout or stderr inside GitHub Actions. The runner reads a
 * workflow command from any output line that starts with `::` after leading whitespace, or that holds
 * `##[` anywhere (the older syntax), and lines end at LF or CR. The filter puts a space between such a
 * line's first two colons (`: :error::`) and between `##` and `[`, so the line is shown and not run.
 * It keeps state across calls, so a command split over two writes is caught too. A chunk passed with
 * `trusted` (shipgate's own annotations) goes through unchanged and only moves the state along.
 */
export function createWorkflowCommandGuard(): (chunk: string, trusted?: boolean) => string {
  // Where the current line stands: only whitespace so far, one colon after it, or anything else.
  let start: "blank" | "colon" | "text" = "blank";
  let hashes = 0;
  return (chunk, trusted = false) => {
    let out = "";
    let from = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (c === 0x0a || c === 0x0d) {
        start = "blank";
        hashes = 0;
        continue;
      }
      if (!trusted && c === 0x3a && start === "colon") {
        out += `${chunk.slice(from, i)} `;
        from = i;
        start = "text";
      } else if (!trusted && c === 0x5b && hashes >= 2) {
        out += `${chunk.slice(from, i)} `;
        from = i;
      }
      if (start === "blank") start = c === 0x3a ? "colon" : isRunnerWhitespace(c) ? "blank" : "text";
      else if (start === "colon") start = "text";
      hashes = c === 0x23 ? hashes + 1 : 0;
    }
    return out + chunk.slice(from);
  };
}

/** One piece of text with no line that GitHub's runner would read as a workflow command (see createWorkflowCommandGuard). */
export const neutralizeWorkflowCommands = (text: string): string => createWorkflowCommandGuard()(text);

/**
 * A report path as a repository-relative POSIX path for annotations and SARIF locations, or null when it
 * leaves the repository: absolute paths (a path inside the repository was made relative when the report
 * was read, so an absolute one is outside), URIs, and relative paths that climb out with `..`. `prefix`
 * is the judged directory's path from the repository root (`packages/api/`), prepended to relative paths.
 */
export function repositoryPath(path: string, prefix = ""): string | null {
  const clean = stripControls(path);
  if (clean !== path || clean.includes("\n") || clean.includes("\t")) return null;
  const slashed = clean.replace(/\\/g, "/");
  if (slashed === "" || slashed.startsWith("/") || /^[a-z][a-z0-9+.-]*:/i.test(slashed)) return null;
  const parts: string[] = [];
  for (const part of `${prefix.replace(/\\/g, "/")}${slashed}`.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length === 0) return null;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return parts.length === 0 ? null : parts.join("/");
}
