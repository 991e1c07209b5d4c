/**
 * Reads `git diff` output one line at a time, so that a caller can stream git's stdout through it.
 * - `push` takes one line without its "\n" (a "\r" before it is part of the line, as git means it).
 *   Content lines may be cut short: only their first character is read.
 * - `finish` is called once, after the last line; it returns the same map as `parseUnifiedDiff`.
 */
export interface UnifiedDiffParser {
  push(line: string): void;
  finish(): Map<string, number[]>;
}

/** A `diff --git` section as read so far. */
interface FileSection {
  /** New path: from `+++`, else `rename to` / `copy to`, else the `diff --git` header. */
  path: string | null;
  deleted: boolean;
  lines: number[];
}

const HUNK = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * A parser for the output of `git diff --src-prefix=a/ --dst-prefix=b/` (any -U, -M, -C); see
 * `parseUnifiedDiff` for what it returns.
 */
export function createUnifiedDiffParser(): UnifiedDiffParser {
  const out = new Map<string, number[]>();
  let section: FileSection | null = null;
  // Inside a hunk: lines still expected on each side. Counting them (rather than trusting c..c+d-1)
  // keeps a user's diff.interHunkContext or a -U above 0 correct, and an added line that reads
  // "++ b/x" is never taken for a header.
  let oldLeft = 0;
  let newLeft = 0;
  let newLine = 0;

  const close = () => {
    if (section !== null && !section.deleted && section.path !== null) {
      const lines = out.get(section.path);
      out.set(section.path, lines === undefined ? section.lines : [...lines, ...section.lines]);
    }
    section = null;
  };

  const push = (line: string) => {
    if (section !== null && (oldLeft > 0 || newLeft > 0)) {
      const c = line.charCodeAt(0);
      if (c === 43 /* + */) {
        section.lines.push(newLine++);
        newLeft--;
        return;
      }
      if (c === 45 /* - */) {
        oldLeft--;
        return;
      }
      // diff.suppressBlankEmpty writes an empty context line as "".
      if (c === 32 /* space */ || line === "") {
        newLine++;
        oldLeft--;
        newLeft--;
        return;
      }
      if (c === 92 /* \ No newline at end of file */) return;
      // Anything else means the counts were wrong: leave the hunk and read it as a header.
      oldLeft = newLeft = 0;
    }
    if (line.startsWith("\\")) return;
    if (line.startsWith("diff --git ")) {
      close();
      section = { path: headerNewPath(line.slice("diff --git ".length)), deleted: false, lines: [] };
      return;
    }
    if (section === null) return;
    if (line.startsWith("@@ ")) {
      const m = HUNK.exec(line);
      if (m === null) return;
      oldLeft = m[1] === undefined ? 1 : Number(m[1]);
      newLine = Number(m[2]);
      newLeft = m[3] === undefined ? 1 : Number(m[3]);
      return;
    }
    if (line.startsWith("+++ ")) {
      const name = diffName(line.slice(4));
      if (name === "/dev/null") section.deleted = true;
      else if (name.startsWith("b/")) section.path = name.slice(2);
      return;
    }
    if (line.startsWith("rename to ")) section.path = unquote(line.slice("rename to ".length));
    else if (line.startsWith("copy to ")) section.path = unquote(line.slice("copy to ".length));
    else if (line.startsWith("deleted file mode ")) section.deleted = true;
  };

  return {
    push,
    finish() {
      close();
      for (const [path, lines] of out) out.set(path, [...new Set(lines)].sort((a, b) => a - b));
      return out;
    },
  };
}

/**
 * The lines each change adds or modifies, numbered in the NEW file, per new path (sorted, unique).
 * Input: `git -c core.quotePath=false diff --src-prefix=a/ --dst-prefix=b/ …` (any -U).
 * Every file present after the change that the diff names gets an entry; it is empty when no line was
 * added (binary, pure rename, mode change, empty new file, only deletions). Deleted files get none.
 */
export function parseUnifiedDiff(text: string): Map<string, number[]> {
  const parser = createUnifiedDiffParser();
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf("\n", start);
    const end = nl === -1 ? text.length : nl;
    parser.push(text.slice(start, end));
    start = end + 1;
  }
  return parser.finish();
}

/**
 * A name on a `---`/`+++` line. Git appends a tab to an unquoted name that holds a space (as GNU diff
 * does, so that patch(1) can tell where the name ends); a name that really ends in a tab is quoted.
 */
function diffName(raw: string): string {
  if (raw.startsWith('"')) return unquote(raw);
  return raw.endsWith("\t") ? raw.slice(0, -1) : raw;
}

/**
 * The new path in `a/OLD b/NEW`, the rest of a `diff --git` line. It is only the fallback for sections
 * without `+++` or `rename to` (binary files, mode changes, empty new files), where OLD and NEW are the
 * same name; unquoted names may hold spaces, so the line is cut in its middle.
 */
function headerNewPath(rest: string): string | null {
  if (rest.endsWith('"')) {
    const open = rest.lastIndexOf(' "');
    const name = open === -1 ? null : unquote(rest.slice(open + 1));
    return name?.startsWith("b/") === true ? name.slice(2) : null;
  }
  const n = (rest.length - 5) / 2;
  if (Number.isInteger(n) && n > 0 && rest.startsWith("a/") && rest.slice(2 + n, 5 + n) === " b/" && rest.slice(2, 2 + n) === rest.slice(5 + n)) {
    return rest.slice(5 + n);
  }
  const b = rest.lastIndexOf(" b/");
  return b === -1 ? null : rest.slice(b + 3);
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, "\\": 92 };
const utf8 = new TextEncoder();

/**
 * Git's C-style quoting ("dir/a\tb.ts", "\303\251" for the bytes of "é" when core.quotePath is on).
 * Octal escapes are bytes, so the name is rebuilt as bytes and decoded as UTF-8 once. An unquoted
 * name is returned as it is.
 */
function unquote(raw: string): string {
  if (!raw.startsWith('"')) return raw;
  const bytes: number[] = [];
  let i = 1;
  while (i < raw.length) {
    const ch = raw[i] as string;
    if (ch === '"') break;
    if (ch !== "\\") {
      const cp = raw.codePointAt(i) as number;
      const s = String.fromCodePoint(cp);
      for (const byte of utf8.encode(s)) bytes.push(byte);
      i += s.length;
      continue;
    }
    const next = raw[i + 1] ?? "";
    const octal = /^[0-3][0-7]{2}/.exec(raw.slice(i + 1, i + 4));
    if (octal !== null) {
      bytes.push(parseInt(octal[0], 8));
      i += 4;
    } else {
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 2;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
