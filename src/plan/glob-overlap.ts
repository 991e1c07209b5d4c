import picomatch from "picomatch";

/**
 * How every plan glob (`files`, `reads`, an agent's `branch`) is matched. `dot`: a task that declares
 * `**` or `docs/**` owns `.github/…` and `docs/.vitepress/…` too, as in CODEOWNERS.
 */
export const PLAN_GLOB_OPTIONS: picomatch.PicomatchOptions = Object.freeze({ dot: true });

/**
 * A path both globs (or literal paths) match, or null: an existing file of `repoFiles` when there is
 * one. Exact for `*`, `**`, `?`, `[…]`, `[^…]`, `{a,b}`, `@(a|b)`, `?(a|b)` and escapes; approximated
 * by example paths for other extglobs, `[!…]`, POSIX classes and `{1..3}` ranges (see `createPatternCache`).
 */
export function globsOverlap(a: string, b: string, repoFiles: readonly string[] = []): string | null {
  const cache = createPatternCache(repoFiles);
  return cache.overlap(cache.info(a), cache.info(b));
}

export interface PatternInfo {
  /** Without a leading "./" (picomatch drops it from patterns too). */
  norm: string;
  literal: boolean;
  /** The leading segments without glob syntax: every path the pattern matches is this or under it. */
  prefix: string;
  matches: (path: string) => boolean;
}

/** Facts about patterns and the overlaps of pairs of them, cached for one set of repository files. */
export interface PatternCache {
  info(pattern: string): PatternInfo;
  /** See `globsOverlap`. */
  overlap(a: PatternInfo, b: PatternInfo): string | null;
}

// Characters that make a segment a glob for picomatch ("+(" and "@(" open extglobs; a lone "+" or "@" is literal).
const GLOB_CHARS = /[*?[\]{}()!\\]|[+@]\(/;

/** Whether picomatch may read `pattern` as more than the one path it spells (`src/a.ts`, `@scope/c++/x` are literal). */
export const isGlobPattern = (pattern: string): boolean => GLOB_CHARS.test(pattern);

/** A pattern or path without its leading "./" (picomatch drops it from patterns too). */
export function normalizePattern(pattern: string): string {
  let p = pattern;
  while (p.startsWith("./")) p = p.slice(2);
  return p;
}

/**
 * Glob overlap. Two globs overlap when some path matches both. Tasks often name files that do not
 * exist yet, so existing files cannot settle it alone; every path found below is confirmed by
 * picomatch against both globs before it is believed.
 * 1. A repository file both match is the preferred example (it exists).
 * 2. Decided exactly by intersecting the two patterns as automata (this runs first: it is cheaper than
 *    scanning the files, and proves most pairs disjoint): each brace alternative (`@(a|b)` and `?(a|b)`
 *    count as braces) is split into segments, `**` matching any number of segments and the others
 *    being sequences of characters, character sets and `*`; a breadth-first walk over pairs of
 *    positions finds the shortest path both match, or proves there is none.
 * 3. Where step 2 cannot decide (`+(…)`, `*(…)`, `!(…)`, `[!…]`, POSIX classes, `{1..3}`, or picomatch
 *    reading a pattern otherwise), example paths made from each glob — literal segments kept, `*` →
 *    "x", `**` → nothing or one directory "x", `{a,b}` → each alternative, `?` → "x", a character
 *    class → one member — each tested against the other glob; then paths that take each segment one glob
 *    writes literally from it (`src/!(a)/x.ts` × `src/b/*` → `src/b/x.ts`). This step can still miss an
 *    overlap: the approximation is confined to those constructs.
 */
export function createPatternCache(repoFiles: readonly string[]): PatternCache {
  const infos = new Map<string, PatternInfo>();
  const overlaps = new Map<string, string | null>();
  // Default string order: UTF-16 code units, as `lowerBound` compares.
  const sortedRepo = [...new Set(repoFiles.map(normalizePattern))].sort();
  const matchedRepo = new Map<string, string[]>();
  const alternatives = new Map<string, { parsed: (Segment[] | null)[]; exact: boolean }>();

  const info = (pattern: string): PatternInfo => {
    const norm = normalizePattern(pattern);
    let found = infos.get(norm);
    if (found !== undefined) return found;
    const literal = !isGlobPattern(norm);
    let matches: (path: string) => boolean;
    if (literal) {
      matches = (path) => path === norm;
    } else {
      let compiled: ((path: string) => boolean) | undefined;
      matches = (path) => (compiled ??= picomatch(norm, PLAN_GLOB_OPTIONS))(path);
    }
    found = { norm, literal, prefix: literal ? norm : literalPrefix(norm), matches };
    infos.set(norm, found);
    return found;
  };

  const repoMatches = (glob: PatternInfo): string[] => {
    let list = matchedRepo.get(glob.norm);
    if (list !== undefined) return list;
    list = [];
    const { prefix } = glob;
    const under = `${prefix}/`;
    // Sorted paths: those equal to the prefix or under it start at its first position.
    for (let i = prefix === "" ? 0 : lowerBound(sortedRepo, prefix); i < sortedRepo.length; i++) {
      const path = sortedRepo[i] as string;
      if (prefix !== "" && path !== prefix && !path.startsWith(under)) {
        // "a" < "a-b" < "a/b": names that extend the prefix's last segment with a character below "/"
        // sort between the prefix and the paths under it.
        if (path.startsWith(prefix) && path.charCodeAt(prefix.length) < SLASH) continue;
        break;
      }
      if (glob.matches(path)) list.push(path);
    }
    matchedRepo.set(glob.norm, list);
    return list;
  };

  const altsOf = (glob: PatternInfo) => {
    let alts = alternatives.get(glob.norm);
    if (alts === undefined) {
      const { braces, exact } = extglobsAsBraces(glob.norm);
      alts = { parsed: expandBraces(braces).map(parseGlob), exact };
      alternatives.set(glob.norm, alts);
    }
    return alts;
  };

  /** Step 2: a verified witness, or whether there is provably none. */
  const intersect = (a: PatternInfo, b: PatternInfo): { witness: string | null; decided: boolean } => {
    const altsA = altsOf(a);
    const altsB = altsOf(b);
    let decided = altsA.exact && altsB.exact;
    for (const altA of altsA.parsed) {
      for (const altB of altsB.parsed) {
        if (altA === null || altB === null) {
          decided = false;
          continue;
        }
        const witness = pathWitness(altA, altB);
        if (witness === null) continue;
        if (a.matches(witness) && b.matches(witness)) return { witness, decided: true };
        decided = false; // picomatch reads this syntax otherwise than parseGlob
      }
    }
    return { witness: null, decided };
  };

  const computeOverlap = (a: PatternInfo, b: PatternInfo): string | null => {
    if (a.literal) return b.matches(a.norm) ? a.norm : null;
    if (b.literal) return a.matches(b.norm) ? b.norm : null;
    // Step 2 runs first, being cheaper than a scan of the repository: most pairs of globs under one
    // directory do not overlap, and no file can prove otherwise.
    const { witness, decided } = intersect(a, b);
    if (decided && witness === null) return null;
    const [small, large] = repoMatches(a).length <= repoMatches(b).length ? [a, b] : [b, a];
    const existing = repoMatches(small).find((path) => large.matches(path));
    if (existing !== undefined) return existing;
    if (witness !== null) return witness;
    for (const [from, to] of [[a, b], [b, a]] as const) {
      for (const example of examplesOf(from.norm)) if (from.matches(example) && to.matches(example)) return example;
    }
    // Each glob's examples with the segments it leaves open (`!(a)`, `*`) taken from the other's literal segments at
    // the same depth: `src/!(a)/x.ts` × `src/b/*` → `src/b/x.ts`.
    for (const example of mergedExamples(a.norm, b.norm)) if (a.matches(example) && b.matches(example)) return example;
    return null;
  };

  const overlap = (a: PatternInfo, b: PatternInfo): string | null => {
    const key = a.norm <= b.norm ? `${a.norm}\0${b.norm}` : `${b.norm}\0${a.norm}`;
    let result = overlaps.get(key);
    if (result === undefined) overlaps.set(key, (result = computeOverlap(a, b)));
    return result;
  };

  return { info, overlap };
}

function literalPrefix(glob: string): string {
  const segments = glob.split("/");
  let n = 0;
  while (n < segments.length - 1 && !isGlobPattern(segments[n] as string)) n++;
  return segments.slice(0, n).join("/");
}

function lowerBound(sorted: readonly string[], value: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as string) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const MAX_ALTERNATIVES = 64;

/**
 * Extglobs with plain alternatives as braces: `@(a|b)` → `{a,b}` and `?(a|b)` → `{,a,b}` exactly;
 * `+(a|b)` → `{a,b}` and `*(a|b)` → `{,a,b}` cover only one repetition (`exact` false). `!(…)`,
 * nested groups and alternatives with commas or braces are left as they are.
 */
function extglobsAsBraces(glob: string): { braces: string; exact: boolean } {
  let exact = true;
  const braces = glob.replace(/([@?+*])\(([^(){},]*)\)/g, (_, kind: string, inner: string) => {
    if (kind === "+" || kind === "*") exact = false;
    const alternatives = inner.split("|");
    const optional = kind === "?" || kind === "*";
    return optional ? `{,${alternatives.join(",")}}` : alternatives.length === 1 ? inner : `{${alternatives.join(",")}}`;
  });
  return { braces, exact };
}

/** `a/{b,c{d,e}}` → a/b, a/cd, a/ce (at most `MAX_ALTERNATIVES`); braces without a top-level comma are left as they are. */
function expandBraces(pattern: string): string[] {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\") {
      i++;
      continue;
    }
    if (c !== "{") continue;
    let depth = 0;
    const commas: number[] = [];
    let close = -1;
    for (let j = i; j < pattern.length && close === -1; j++) {
      const d = pattern[j];
      if (d === "\\") j++;
      else if (d === "{") depth++;
      else if (d === "}" && --depth === 0) close = j;
      else if (d === "," && depth === 1) commas.push(j);
    }
    if (close === -1) return [pattern];
    if (commas.length === 0) continue;
    const head = pattern.slice(0, i);
    const tail = pattern.slice(close + 1);
    const out: string[] = [];
    let start = i + 1;
    for (const end of [...commas, close]) {
      for (const expanded of expandBraces(`${head}${pattern.slice(start, end)}${tail}`)) {
        if (out.length >= MAX_ALTERNATIVES) return out;
        out.push(expanded);
      }
      start = end + 1;
    }
    return out;
  }
  return [pattern];
}

// ---- Step 2: exact intersection of two brace-free globs --------------------------------------------

/** Characters in `ranges` (or not in them, when `negated`); "/" never. Code points. */
interface CharSet {
  negated: boolean;
  ranges: [number, number][];
}
type Token = "*" | CharSet;
/** A path segment other than "**": characters, sets and stars. */
interface Part {
  tokens: Token[];
  /** The same with every star taking at least one character (`*` → `?*`). */
  nonEmpty: Token[];
  /** The literal characters before the first and after the last other token: a quick mismatch test. */
  head: string;
  tail: string;
  literal: boolean;
}
type Segment = "**" | Part;

const ANY: CharSet = { negated: true, ranges: [] };
const SLASH = 47;
const charOf = (c: string): CharSet => ({ negated: false, ranges: [[c.codePointAt(0) ?? 0, c.codePointAt(0) ?? 0]] });

/** A brace-free glob as segments, or null when it uses syntax this model does not cover. */
function parseGlob(glob: string): Segment[] | null {
  const segments: Segment[] = [];
  for (const part of glob.split("/")) {
    if (part === "**") {
      if (segments.at(-1) !== "**") segments.push("**");
      continue;
    }
    const tokens: Token[] = [];
    const chars = [...part];
    for (let i = 0; i < chars.length; i++) {
      const c = chars[i] as string;
      if (c === "*") {
        if (tokens.at(-1) !== "*") tokens.push("*");
      } else if (c === "?") {
        tokens.push(ANY);
      } else if (c === "\\") {
        const next = chars[++i];
        if (next === undefined) return null;
        tokens.push(charOf(next));
      } else if (c === "[") {
        const parsed = parseClass(chars, i);
        if (parsed === null) return null;
        tokens.push(parsed.set);
        i = parsed.end;
      } else if ("(){}|!".includes(c) || ((c === "+" || c === "@") && chars[i + 1] === "(")) {
        return null;
      } else {
        tokens.push(charOf(c));
      }
    }
    segments.push(partOf(tokens));
  }
  return segments;
}

function partOf(tokens: Token[]): Part {
  const chars = tokens.map((t) => (t !== "*" && isChar(t) ? String.fromCodePoint(t.ranges[0]?.[0] as number) : null));
  const firstOther = chars.indexOf(null);
  const lastOther = chars.lastIndexOf(null);
  return {
    tokens,
    nonEmpty: tokens.flatMap((t): Token[] => (t === "*" ? [ANY, "*"] : [t])),
    head: chars.slice(0, firstOther === -1 ? chars.length : firstOther).join(""),
    tail: firstOther === -1 ? chars.join("") : chars.slice(lastOther + 1).join(""),
    literal: firstOther === -1,
  };
}

function parseClass(chars: readonly string[], open: number): { set: CharSet; end: number } | null {
  let i = open + 1;
  const negated = chars[i] === "^";
  if (negated) i++;
  // picomatch reads "[!b]" as the characters "!" and "b", not as a negation: leave it to step 3.
  if (chars[i] === "!") return null;
  const ranges: [number, number][] = [];
  const take = (): number | null => {
    let c = chars[i++];
    if (c === "\\") c = chars[i++];
    return c === undefined ? null : (c.codePointAt(0) ?? null);
  };
  for (let first = true; ; first = false) {
    const c = chars[i];
    if (c === undefined) return null;
    if (c === "]" && !first) return { set: { negated, ranges }, end: i };
    if (c === "[" && chars[i + 1] === ":") return null;
    const lo = take();
    if (lo === null) return null;
    if (chars[i] === "-" && chars[i + 1] !== undefined && chars[i + 1] !== "]") {
      i++;
      const hi = take();
      if (hi === null || hi < lo) return null;
      ranges.push([lo, hi]);
    } else {
      ranges.push([lo, lo]);
    }
  }
}

const inSet = (set: CharSet, code: number) =>
  code !== SLASH && set.ranges.some(([lo, hi]) => code >= lo && code <= hi) !== set.negated;

const PREFERRED = [..."xyzabcdefghijklmnopqrstuvw0123456789_-"].map((c) => c.codePointAt(0) as number);

const isChar = (set: CharSet) => !set.negated && set.ranges.length === 1 && set.ranges[0]?.[0] === set.ranges[0]?.[1];
const usable = (code: number, a: CharSet, b: CharSet) => code >= 32 && code !== 127 && code <= 0x10ffff && inSet(a, code) && inSet(b, code);

/** A character in both sets: a readable one when possible, else one at a range boundary (a non-empty intersection has one). */
function commonChar(a: CharSet, b: CharSet): string | null {
  // The common cases first: a literal character on either side.
  if (isChar(a) || isChar(b)) {
    const code = (isChar(a) ? a : b).ranges[0]?.[0] as number;
    return usable(code, a, b) ? String.fromCodePoint(code) : null;
  }
  for (const code of PREFERRED) if (usable(code, a, b)) return String.fromCodePoint(code);
  for (const set of [a, b]) {
    for (const [lo, hi] of set.ranges) {
      if (usable(lo, a, b)) return String.fromCodePoint(lo);
      if (usable(hi + 1, a, b)) return String.fromCodePoint(hi + 1);
    }
  }
  return null;
}

/**
 * Shortest-first search over pairs of positions (i in `a`, j in `b`, and whether anything was consumed
 * yet): the product of two automata. Returns the pieces consumed on the way to (a.length, b.length).
 */
function productWitness(
  la: number,
  lb: number,
  moves: (i: number, j: number, visit: (i: number, j: number, piece: string | null) => void) => void,
): string[] | null {
  const width = (lb + 1) * 2;
  const parent = new Map<number, { from: number; piece: string | null }>();
  const start = 0;
  parent.set(start, { from: -1, piece: null });
  const queue = [start];
  for (let q = 0; q < queue.length; q++) {
    const state = queue[q] as number;
    const i = Math.floor(state / width);
    const j = Math.floor((state % width) / 2);
    const consumed = state % 2;
    if (i === la && j === lb && consumed === 1) {
      const pieces: string[] = [];
      for (let s = state; s !== start; ) {
        const step = parent.get(s) as { from: number; piece: string | null };
        if (step.piece !== null) pieces.push(step.piece);
        s = step.from;
      }
      return pieces.reverse();
    }
    moves(i, j, (ni, nj, piece) => {
      const next = ni * width + nj * 2 + (piece === null ? consumed : 1);
      if (parent.has(next)) return;
      parent.set(next, { from: state, piece });
      queue.push(next);
    });
  }
  return null;
}

/**
 * A non-empty string both segments match, or null. Stars first take at least one character, so that
 * `*.ts` gives "x.ts" rather than ".ts" (and `.*` gives ".x", not the "." picomatch never matches);
 * only when that finds nothing may a star be empty.
 */
function segmentWitness(a: Part, b: Part): string | null {
  if (a.literal && b.literal) return a.head === b.head ? a.head : null;
  const n = Math.min(a.head.length, b.head.length);
  if (a.head.slice(0, n) !== b.head.slice(0, n)) return null;
  const m = Math.min(a.tail.length, b.tail.length);
  if (a.tail.slice(a.tail.length - m) !== b.tail.slice(b.tail.length - m)) return null;
  return segmentProduct(a.nonEmpty, b.nonEmpty) ?? segmentProduct(a.tokens, b.tokens);
}

function segmentProduct(a: readonly Token[], b: readonly Token[]): string | null {
  const pieces = productWitness(a.length, b.length, (i, j, visit) => {
    const ta = a[i];
    const tb = b[j];
    if (ta === "*") visit(i + 1, j, null);
    if (tb === "*") visit(i, j + 1, null);
    if (ta === undefined || tb === undefined) return;
    const c = commonChar(ta === "*" ? ANY : ta, tb === "*" ? ANY : tb);
    if (c !== null) visit(ta === "*" ? i : i + 1, tb === "*" ? j : j + 1, c);
  });
  return pieces === null ? null : pieces.join("");
}

const STAR_SEGMENT: Part = partOf(["*"]);

/**
 * A path both brace-free globs match, or null. A trailing `**` first takes at least one segment, so that
 * `src/**` and `src/api/**` give "src/api/x" (a file) rather than "src/api" (which picomatch matches too).
 */
function pathWitness(a: readonly Segment[], b: readonly Segment[]): string | null {
  const filesUnder = (segments: readonly Segment[]): readonly Segment[] =>
    segments.at(-1) === "**" ? [...segments.slice(0, -1), STAR_SEGMENT, "**"] : segments;
  return pathProduct(filesUnder(a), filesUnder(b)) ?? pathProduct(a, b);
}

function pathProduct(a: readonly Segment[], b: readonly Segment[]): string | null {
  const pieces = productWitness(a.length, b.length, (i, j, visit) => {
    const sa = a[i];
    const sb = b[j];
    if (sa === "**") visit(i + 1, j, null);
    if (sb === "**") visit(i, j + 1, null);
    if (sa === undefined || sb === undefined) return;
    if (sa === "**" && sb === "**") {
      visit(i, j, "x");
      return;
    }
    const w = segmentWitness(sa === "**" ? STAR_SEGMENT : sa, sb === "**" ? STAR_SEGMENT : sb);
    if (w !== null) visit(sa === "**" ? i : i + 1, sb === "**" ? j : j + 1, w);
  });
  return pieces === null ? null : pieces.join("/");
}

// ---- Step 3: example paths --------------------------------------------------------------------------

const MAX_EXAMPLES = 64;

/**
 * Paths that keep each segment one of the globs writes literally at that depth (a's first), filled with a's
 * example elsewhere, for alternatives of equal depth without `**`.
 */
function mergedExamples(a: string, b: string): string[] {
  const out = new Set<string>();
  const split = (glob: string) => expandBraces(extglobsAsBraces(glob).braces).map((alt) => alt.split("/")).filter((parts) => !parts.includes("**"));
  for (const pa of split(a)) {
    for (const pb of split(b)) {
      if (pa.length !== pb.length || out.size >= MAX_EXAMPLES) continue;
      out.add(pa.map((sa, i) => (!isGlobPattern(sa) ? sa : !isGlobPattern(pb[i] as string) ? (pb[i] as string) : exampleSegment(sa))).join("/"));
    }
  }
  return [...out];
}

/** Example paths of a glob (see `createPatternCache`, step 3); not all of them need match it. */
function examplesOf(glob: string): string[] {
  const out = new Set<string>();
  for (const alternative of expandBraces(extglobsAsBraces(glob).braces)) {
    let paths = [""];
    for (const part of alternative.split("/")) {
      const fills = part === "**" ? [null, "x"] : [exampleSegment(part)];
      paths = paths.flatMap((p) => fills.map((f) => (f === null ? p : p === "" ? f : `${p}/${f}`))).slice(0, MAX_EXAMPLES);
    }
    for (const p of paths) if (out.size < MAX_EXAMPLES) out.add(p);
  }
  return [...out];
}

function exampleSegment(part: string): string {
  let out = "";
  const chars = [...part];
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string;
    const next = chars[i + 1];
    if ((c === "@" || c === "+" || c === "?" || c === "*" || c === "!") && next === "(") {
      // Extglob: its first alternative for @( and +(, nothing for ?( and *(, a placeholder for !(.
      const close = chars.indexOf(")", i);
      const inner = chars.slice(i + 2, close === -1 ? chars.length : close).join("");
      out += c === "@" || c === "+" ? (inner.split("|")[0] ?? "") : c === "!" ? "x" : "";
      i = close === -1 ? chars.length : close;
    } else if (c === "*" || c === "?") {
      if (c === "?" || !out.endsWith("x")) out += "x";
    } else if (c === "\\" && next !== undefined) {
      out += next;
      i++;
    } else if (c === "[") {
      const close = chars.indexOf("]", i + 2);
      let member = chars[i + 1] ?? "";
      if (member === "^" || member === "!") member = "x";
      out += member;
      i = close === -1 ? chars.length : close;
    } else {
      out += c;
    }
  }
  return out;
}
