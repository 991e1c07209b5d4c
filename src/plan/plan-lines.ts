/**
 * Where things are in a plan file, for messages with file:line. Neither js-yaml nor JSON.parse keeps
 * positions, so the text is scanned once: the line of every top-level key and of every item of a
 * top-level list (`tasks[12]`). Anything deeper (`tasks[12].depends_on[1]`) is looked up on demand
 * inside that one item, so a 100 000-task plan is indexed in one pass and each lookup stays small.
 */

/** A key path as in PlanProblem: ["tasks", 12, "depends_on", 1]. */
export type PlanPath = readonly (string | number)[];

/** Maps a key path to its 1-based line; null when not even the top-level key is in the text. */
export type PlanLineOf = (path: PlanPath) => number | null;

/**
 * Indexes `text` and returns a lookup from key path to 1-based line. A path that goes deeper than the
 * text (a missing key, an element of a one-line `[a, b]` list) gets the line of the deepest part
 * that is there. YAML is read as people write plans: block style, with flow style (`{ … }`, `[ … ]`)
 * allowed on one line; JSON in any layout.
 */
export function planLineIndex(text: string, format: "yaml" | "json"): PlanLineOf {
  const starts = lineStarts(text);
  return format === "json" ? jsonIndex(text, starts) : yamlIndex(text, starts);
}

function lineStarts(text: string): Int32Array {
  let count = 1;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) count++;
  const starts = new Int32Array(count);
  let line = 1;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) starts[line++] = at + 1;
  return starts;
}

/** 0-based line of a character offset. */
function lineAt(starts: Int32Array, offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] as number) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// ---------------------------------------------------------------- YAML

const SPACE = 32;
const DASH = 45;
const HASH = 35;
const COLON = 58;
const CR = 13;
const LF = 10;
const TAB = 9;

interface TopEntry {
  line: number;
  /** The value is on the key's line (a scalar or flow collection): everything below is on this line. */
  inline: boolean;
  /** 0-based lines of the items of a block sequence value. */
  items: number[];
  /** First line after the entry. */
  end: number;
}

function yamlIndex(text: string, starts: Int32Array): PlanLineOf {
  const lines = starts.length;
  const endOf = (line: number) => (line + 1 < lines ? (starts[line + 1] as number) - 1 : text.length);

  /** Column of the first character that is not a space, or −1 for a blank or comment line. */
  const indentOf = (line: number): number => {
    const from = starts[line] as number;
    const to = endOf(line);
    let at = from;
    while (at < to && text.charCodeAt(at) === SPACE) at++;
    if (at >= to) return -1;
    const c = text.charCodeAt(at);
    if (c === HASH || c === CR || c === LF) return -1;
    return at - from;
  };
  const isDash = (line: number, col: number): boolean => {
    const at = (starts[line] as number) + col;
    if (text.charCodeAt(at) !== DASH) return false;
    const next = at + 1 < text.length ? text.charCodeAt(at + 1) : LF;
    return next === SPACE || next === LF || next === CR || next === TAB;
  };

  /**
   * If line holds `key:` at col, the column just after the colon; else −1. Keys may be quoted. The
   * caller compares the key itself via `keyAt`.
   */
  const keyEnd = (line: number, col: number): number => {
    const from = (starts[line] as number) + col;
    const to = endOf(line);
    let at = from;
    const q = text.charCodeAt(at);
    if (q === 34 || q === 39) {
      at = text.indexOf(String.fromCharCode(q), at + 1);
      if (at === -1 || at >= to) return -1;
      at++;
      while (at < to && text.charCodeAt(at) === SPACE) at++;
      return text.charCodeAt(at) === COLON ? at + 1 - (starts[line] as number) : -1;
    }
    for (; at < to; at++) {
      if (text.charCodeAt(at) !== COLON) continue;
      const next = at + 1 < to ? text.charCodeAt(at + 1) : LF;
      if (next === SPACE || next === LF || next === CR || next === TAB) return at + 1 - (starts[line] as number);
    }
    return -1;
  };
  const keyAt = (line: number, col: number, end: number): string => {
    let key = text.slice((starts[line] as number) + col, (starts[line] as number) + end - 1).trimEnd();
    const q = key.charAt(0);
    if ((q === '"' || q === "'") && key.endsWith(q) && key.length >= 2) key = key.slice(1, -1);
    return key;
  };
  /** True when nothing but a comment follows column col on the line. */
  const restEmpty = (line: number, col: number): boolean => {
    const to = endOf(line);
    for (let at = (starts[line] as number) + col; at < to; at++) {
      const c = text.charCodeAt(at);
      if (c === HASH) return true;
      if (c !== SPACE && c !== TAB && c !== CR) return false;
    }
    return true;
  };

  // The one pass: top-level keys, and the items of block sequences under them.
  const top = new Map<string, TopEntry>();
  let current: TopEntry | null = null;
  let seqIndent = -2;
  for (let line = 0; line < lines; line++) {
    const col = indentOf(line);
    if (col === -1) continue;
    if (col === 0 && !isDash(line, 0)) {
      if (current) current.end = line;
      current = null;
      const end = keyEnd(line, 0);
      if (end === -1) continue;
      const key = keyAt(line, 0, end);
      current = { line, inline: !restEmpty(line, end), items: [], end: lines };
      seqIndent = -2;
      if (!top.has(key)) top.set(key, current);
      continue;
    }
    if (!current || current.inline) continue;
    if (seqIndent === -2) seqIndent = isDash(line, col) ? col : -1;
    if (col === seqIndent && isDash(line, col)) current.items.push(line);
  }

  /** The column where the content of a sequence item starts (after "- "), or −1 when it starts on the next line. */
  const afterDash = (line: number, col: number): number => {
    let c = col + 1;
    const from = starts[line] as number;
    while (from + c < endOf(line) && text.charCodeAt(from + c) === SPACE) c++;
    return restEmpty(line, c) ? -1 : c;
  };

  /**
   * Follows `path` inside the node whose entries sit at column `indent` on lines [from, to); the
   * first line's content may start at `firstCol` (after "- "). Returns the deepest line found.
   */
  const descend = (path: PlanPath, depth: number, from: number, to: number, indent: number, firstCol: number, found: number): number => {
    if (depth >= path.length) return found;
    const segment = path[depth];
    const colOf = (line: number) => (line === from && firstCol >= 0 ? firstCol : indentOf(line));
    if (typeof segment === "number") {
      let seen = -1;
      for (let line = from; line < to; line++) {
        const col = colOf(line);
        if (col === -1) continue;
        if (col < indent) break;
        if (col !== indent || !isDash(line, col)) continue;
        if (++seen !== segment) continue;
        let end = line + 1;
        while (end < to && ((indentOf(end) === -1 || indentOf(end) > indent))) end++;
        const content = afterDash(line, col);
        if (content >= 0) return descend(path, depth + 1, line, end, content, content, line);
        const next = firstContent(line + 1, end);
        return next === -1 ? line : descend(path, depth + 1, next, end, indentOf(next), -1, line);
      }
      return found;
    }
    for (let line = from; line < to; line++) {
      const col = colOf(line);
      if (col === -1) continue;
      if (col < indent) break;
      if (col !== indent) continue;
      const end = keyEnd(line, col);
      if (end === -1 || keyAt(line, col, end) !== segment) continue;
      if (!restEmpty(line, end)) return line;
      // The value is the block below: more indented, or a sequence at the key's own indent.
      const next = firstContent(line + 1, to);
      if (next === -1) return line;
      const childIndent = indentOf(next);
      if (childIndent < indent || (childIndent === indent && !isDash(next, childIndent))) return line;
      let stop = next + 1;
      while (stop < to) {
        const c = indentOf(stop);
        if (c !== -1 && (c < childIndent || (c === childIndent && childIndent === indent && !isDash(stop, c)))) break;
        stop++;
      }
      return descend(path, depth + 1, next, stop, childIndent, -1, line);
    }
    return found;
  };
  const firstContent = (from: number, to: number): number => {
    for (let line = from; line < to; line++) if (indentOf(line) !== -1) return line;
    return -1;
  };

  return (path) => {
    const key = path[0];
    if (typeof key !== "string") return null;
    const entry = top.get(key);
    if (!entry) return null;
    if (path.length === 1 || entry.inline) return entry.line + 1;
    const index = path[1];
    if (typeof index === "number") {
      const item = entry.items[index];
      if (item === undefined) return entry.line + 1;
      const end = entry.items[index + 1] ?? entry.end;
      const col = indentOf(item);
      const content = afterDash(item, col);
      if (content >= 0) return descend(path, 2, item, end, content, content, item) + 1;
      const next = firstContent(item + 1, end);
      return (next === -1 ? item : descend(path, 2, next, end, indentOf(next), -1, item)) + 1;
    }
    const next = firstContent(entry.line + 1, entry.end);
    return (next === -1 ? entry.line : descend(path, 1, next, entry.end, indentOf(next), -1, entry.line)) + 1;
  };
}

// ---------------------------------------------------------------- JSON

const QUOTE = 34;
const BACKSLASH = 92;

function jsonIndex(text: string, starts: Int32Array): PlanLineOf {
  const n = text.length;
  const ws = (at: number): number => {
    while (at < n) {
      const c = text.charCodeAt(at);
      if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
      at++;
    }
    return at;
  };
  /** Offset just after the string that opens at `at`. */
  const skipString = (at: number): number => {
    at++;
    while (at < n) {
      const c = text.charCodeAt(at);
      if (c === BACKSLASH) at += 2;
      else if (c === QUOTE) return at + 1;
      else at++;
    }
    return n;
  };
  /** Offset just after the value that starts at `at`. */
  const skipValue = (at: number): number => {
    const c = text.charCodeAt(at);
    if (c === QUOTE) return skipString(at);
    if (c === 123 || c === 91) {
      let depth = 0;
      while (at < n) {
        const d = text.charCodeAt(at);
        if (d === QUOTE) {
          at = skipString(at);
          continue;
        }
        if (d === 123 || d === 91) depth++;
        else if (d === 125 || d === 93) {
          depth--;
          if (depth === 0) return at + 1;
        }
        at++;
      }
      return n;
    }
    while (at < n) {
      const d = text.charCodeAt(at);
      if (d === 44 || d === 125 || d === 93 || d === SPACE || d === LF || d === CR || d === TAB) break;
      at++;
    }
    return at;
  };
  const keyOf = (at: number, end: number): string => {
    const raw = text.slice(at, end);
    if (raw.indexOf("\\") === -1) return raw.slice(1, -1);
    try {
      return JSON.parse(raw) as string;
    } catch {
      return raw.slice(1, -1);
    }
  };
  /** Calls visit(key, keyOffset, valueOffset) for each member of the object at `at`; stops when visit returns true. */
  const members = (at: number, visit: (key: string, keyAt: number, valueAt: number) => boolean): void => {
    at = ws(at + 1);
    while (at < n && text.charCodeAt(at) === QUOTE) {
      const keyEndAt = skipString(at);
      const key = keyOf(at, keyEndAt);
      let value = ws(keyEndAt);
      if (text.charCodeAt(value) !== COLON) return;
      value = ws(value + 1);
      if (visit(key, at, value)) return;
      at = ws(skipValue(value));
      if (text.charCodeAt(at) !== 44) return;
      at = ws(at + 1);
    }
  };
  /** Calls visit(offset) for each element of the array at `at`; stops when visit returns true. */
  const elements = (at: number, visit: (valueAt: number) => boolean): void => {
    at = ws(at + 1);
    if (text.charCodeAt(at) === 93) return;
    while (at < n) {
      if (visit(at)) return;
      at = ws(skipValue(at));
      if (text.charCodeAt(at) !== 44) return;
      at = ws(at + 1);
    }
  };

  // The one pass: each top-level key, and the start of each element of a top-level array.
  const top = new Map<string, { keyAt: number; valueAt: number; items: number[] }>();
  const root = ws(0);
  if (text.charCodeAt(root) === 123) {
    members(root, (key, keyAt, valueAt) => {
      const items: number[] = [];
      if (text.charCodeAt(valueAt) === 91) {
        elements(valueAt, (itemAt) => {
          items.push(itemAt);
          return false;
        });
      }
      if (!top.has(key)) top.set(key, { keyAt, valueAt, items });
      return false;
    });
  }

  const descend = (path: PlanPath, depth: number, valueAt: number, found: number): number => {
    if (depth >= path.length) return found;
    const segment = path[depth];
    const c = text.charCodeAt(valueAt);
    let result = found;
    if (typeof segment === "number" && c === 91) {
      let i = 0;
      elements(valueAt, (at) => {
        if (i++ !== segment) return false;
        result = descend(path, depth + 1, at, at);
        return true;
      });
    } else if (typeof segment === "string" && c === 123) {
      members(valueAt, (key, keyAt, at) => {
        if (key !== segment) return false;
        result = descend(path, depth + 1, at, keyAt);
        return true;
      });
    }
    return result;
  };

  return (path) => {
    const key = path[0];
    if (typeof key !== "string") return null;
    const entry = top.get(key);
    if (!entry) return null;
    let offset = entry.keyAt;
    if (path.length > 1) {
      const index = path[1];
      const item = typeof index === "number" ? entry.items[index] : undefined;
      offset = item === undefined ? descend(path, 1, entry.valueAt, entry.keyAt) : descend(path, 2, item, item);
    }
    return lineAt(starts, offset) + 1;
  };
}
