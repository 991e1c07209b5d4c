import picomatch from "picomatch";
import type { ConflictReport, FileConflict, Plan, PlanTask } from "./types.js";

/**
 * How every plan glob (`files`, `reads`, an agent's `branch`) is matched. `dot`: a task that declares
 * `**` or `docs/**` owns `.github/…` and `docs/.vitepress/…` too, as in CODEOWNERS.
 */
export const PLAN_GLOB_OPTIONS: picomatch.PicomatchOptions = Object.freeze({ dot: true });

/** Rows kept per phase in `ConflictReport.matrix`: conflicting patterns first, then the others in declaration order. */
export const MATRIX_MAX_ROWS = 100;

/** One phase of `ConflictReport.matrix`; `omitted` counts the patterns left out by `MATRIX_MAX_ROWS`. */
export interface PhaseMatrix {
  files: string[];
  agents: string[];
  cells: Record<string, Record<string, string>>;
  omitted: number;
}

export interface FindConflictsOptions {
  /**
   * Whether task `a` depends on task `b`, directly or transitively (ids). Called only for pairs of tasks
   * of different owners whose patterns overlap, in both directions; the answer is cached per pair.
   */
  dependsOn: (a: string, b: string) => boolean;
  /** The repository's files (relative, "/"-separated): a path of these that two globs match is the preferred example. */
  repoFiles?: readonly string[];
}

/**
 * Pairs of tasks that may run at the same time (neither depends on the other) and whose owners differ,
 * where one writes what the other writes ("write-write") or reads ("read-after-write"); with a
 * per-phase pattern × agent matrix and a summary. Patterns are compared through an index (literal
 * paths by value, globs by their literal directory prefix), so a plan of 100 000 tasks costs about
 * what its overlapping pairs cost, never all pairs. See `globsOverlap` for when two globs overlap.
 */
export function findConflicts(plan: Plan, options: FindConflictsOptions): ConflictReport & { matrix: Record<string, PhaseMatrix> } {
  const tasks = plan.tasks;
  const patterns = createPatternCache(options.repoFiles ?? []);

  // The index: literal paths by value; globs grouped by pattern under their literal prefix.
  const literals = new Map<string, Entry[]>();
  const globs = new Map<string, Map<string, { info: PatternInfo; entries: Entry[] }>>();
  const add = (entry: Entry) => {
    const { info } = entry;
    if (info.literal) {
      const list = literals.get(info.norm);
      if (list === undefined) literals.set(info.norm, [entry]);
      else list.push(entry);
      return;
    }
    let bucket = globs.get(info.prefix);
    if (bucket === undefined) globs.set(info.prefix, (bucket = new Map<string, { info: PatternInfo; entries: Entry[] }>()));
    const group = bucket.get(info.norm);
    if (group === undefined) bucket.set(info.norm, { info, entries: [entry] });
    else group.entries.push(entry);
  };
  tasks.forEach((task, index) => {
    const written = new Set<string>();
    for (const pattern of task.files) {
      const info = patterns.info(pattern);
      if (written.has(info.norm)) continue;
      written.add(info.norm);
      add({ task: index, pattern, info, write: true });
    }
    const read = new Set<string>();
    for (const pattern of task.reads) {
      const info = patterns.info(pattern);
      // Writing a file includes reading it.
      if (written.has(info.norm) || read.has(info.norm)) continue;
      read.add(info.norm);
      add({ task: index, pattern, info, write: false });
    }
  });

  const found: { a: number; b: number; conflict: FileConflict }[] = [];
  let truncated = false;
  const dependent = new Map<number, boolean>();
  const isDependent = (x: number, y: number) => {
    const key = Math.min(x, y) * tasks.length + Math.max(x, y);
    let answer = dependent.get(key);
    if (answer === undefined) {
      const a = (tasks[x] as PlanTask).id;
      const b = (tasks[y] as PlanTask).id;
      answer = options.dependsOn(a, b) || options.dependsOn(b, a);
      dependent.set(key, answer);
    }
    return answer;
  };
  // Every pair of entries whose patterns overlap (with `example`) is offered here exactly once.
  const offer = (xs: readonly Entry[], ys: readonly Entry[], example: string, same: boolean) => {
    // Many tasks declaring one broad glob make conflicts quadratic in number: past the cap, stop looking.
    if (truncated) return;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as Entry;
      for (let j = same ? i + 1 : 0; j < ys.length; j++) {
        const y = ys[j] as Entry;
        if (x.task === y.task || (!x.write && !y.write)) continue;
        const tx = tasks[x.task] as PlanTask;
        const ty = tasks[y.task] as PlanTask;
        if (tx.owner === ty.owner || isDependent(x.task, y.task)) continue;
        // Write-write: the earlier task of the plan is `a`; read-after-write: the writer is.
        const [a, b]: [Entry, Entry] = (x.write && y.write ? x.task < y.task : x.write) ? [x, y] : [y, x];
        const ta = tasks[a.task] as PlanTask;
        const tb = tasks[b.task] as PlanTask;
        if (found.length >= MAX_CONFLICTS) {
          truncated = true;
          return;
        }
        found.push({
          a: a.task,
          b: b.task,
          conflict: {
            kind: b.write ? "write-write" : "read-after-write",
            a: { task: ta.id, owner: ta.owner, pattern: a.pattern },
            b: { task: tb.id, owner: tb.owner, pattern: b.pattern },
            example,
            // A conflict belongs to the phase of its writer (`a`); both tasks show it in the matrix.
            phase: ta.phase,
          },
        });
      }
    }
  };

  // Literal × literal: the same path.
  for (const [path, entries] of literals) if (entries.length > 1) offer(entries, entries, path, true);

  if (globs.size > 0) {
    // Literal × glob: a glob can only match a path equal to its prefix or under it.
    for (const [path, entries] of literals) {
      for (const prefix of prefixesOf(path, true)) {
        const bucket = globs.get(prefix);
        if (bucket === undefined) continue;
        for (const glob of bucket.values()) if (glob.info.matches(path)) offer(entries, glob.entries, path, false);
      }
    }
    // Glob × glob: two globs can only share a path when one prefix contains the other; each pair is
    // met once, from the deeper prefix (or within one bucket).
    for (const [prefix, bucket] of globs) {
      const groups = [...bucket.values()];
      groups.forEach((a, i) => {
        for (let j = i; j < groups.length; j++) {
          const b = groups[j] as (typeof groups)[number];
          const example = patterns.overlap(a.info, b.info);
          if (example !== null) offer(a.entries, b.entries, example, i === j);
        }
        for (const ancestor of prefixesOf(prefix, false)) {
          for (const b of globs.get(ancestor)?.values() ?? []) {
            const example = patterns.overlap(a.info, b.info);
            if (example !== null) offer(a.entries, b.entries, example, false);
          }
        }
      });
    }
  }

  found.sort(
    (x, y) =>
      x.a - y.a ||
      x.b - y.b ||
      // Write-write first: the worse of the two.
      compare(y.conflict.kind, x.conflict.kind) ||
      compare(x.conflict.a.pattern, y.conflict.a.pattern) ||
      compare(x.conflict.b.pattern, y.conflict.b.pattern),
  );
  const conflicts = found.map((f) => f.conflict);
  return { conflicts, matrix: buildMatrix(plan, found), summary: summarise(plan, conflicts), truncated };
}

/** Conflicts listed at most; past it the report says `truncated` and stops looking for more. */
export const MAX_CONFLICTS = 20_000;

/**
 * A path both globs (or literal paths) match, or null: an existing file of `repoFiles` when there is
 * one. Exact for `*`, `**`, `?`, `[…]`, `[^…]`, `{a,b}`, `@(a|b)`, `?(a|b)` and escapes; approximated
 * by example paths for other extglobs, `[!…]`, POSIX classes and `{1..3}` ranges (see `createPatternCache`).
 */
export function globsOverlap(a: string, b: string, repoFiles: readonly string[] = []): string | null {
  const cache = createPatternCache(repoFiles);
  return cache.overlap(cache.info(a), cache.info(b));
}

interface Entry {
  task: number;
  /** As declared. */
  pattern: string;
  info: PatternInfo;
  write: boolean;
}

interface PatternInfo {
  /** Without a leading "./" (picomatch drops it from patterns too). */
  norm: string;
  literal: boolean;
  /** The leading segments without glob syntax: every path the pattern matches is this or under it. */
  prefix: string;
  matches: (path: string) => boolean;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `path` itself (when `self`), then each directory above it, up to "" (the root). */
function* prefixesOf(path: string, self: boolean): Generator<string> {
  if (path === "") return;
  if (self) yield path;
  for (let i = path.lastIndexOf("/"); i !== -1; i = path.lastIndexOf("/", i - 1)) {
    yield path.slice(0, i);
    if (i === 0) return;
  }
  yield "";
}

// Characters that make a segment a glob for picomatch ("+(" and "@(" open extglobs; a lone "+" or "@" is literal).
const GLOB_CHARS = /[*?[\]{}()!\\]|[+@]\(/;

/** Whether picomatch may read `pattern` as more than the one path it spells (`src/a.ts`, `@scope/c++/x` are literal). */
export const isGlobPattern = (pattern: string): boolean => GLOB_CHARS.test(pattern);

/** A pattern or path without its leading "./" (picomatch drops it from patterns too). */
export function normalisePattern(pattern: string): string {
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
 *    class → one member — each tested against the other glob. This step can miss an overlap (`+(b)/x`
 *    and `bbb/*`): the approximation is confined to those constructs.
 */
function createPatternCache(repoFiles: readonly string[]) {
  const infos = new Map<string, PatternInfo>();
  const overlaps = new Map<string, string | null>();
  const sortedRepo = [...new Set(repoFiles.map(normalisePattern))].sort(compare);
  const matchedRepo = new Map<string, string[]>();
  const alternatives = new Map<string, { parsed: (Segment[] | null)[]; exact: boolean }>();

  const info = (pattern: string): PatternInfo => {
    const norm = normalisePattern(pattern);
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

// ---- Matrix and summary -----------------------------------------------------------------------------

function buildMatrix(plan: Plan, found: readonly { a: number; b: number; conflict: FileConflict }[]): Record<string, PhaseMatrix> {
  const agentOrder = new Map(plan.agents.map((agent, i) => [agent.id, i]));
  const phaseOrder = new Map(plan.phases.map((phase, i) => [phase.id, i]));
  const byPhase = new Map<string, PlanTask[]>();
  for (const task of plan.tasks) {
    const list = byPhase.get(task.phase);
    if (list === undefined) byPhase.set(task.phase, [task]);
    else list.push(task);
  }
  const marked = new Set<string>();
  const mark = (task: PlanTask, pattern: string) => marked.add(`${task.phase}\0${pattern}\0${task.owner}`);
  for (const { a, b, conflict } of found) {
    mark(plan.tasks[a] as PlanTask, conflict.a.pattern);
    mark(plan.tasks[b] as PlanTask, conflict.b.pattern);
  }

  const phases = [...byPhase.keys()].sort(
    (x, y) => (phaseOrder.get(x) ?? Infinity) - (phaseOrder.get(y) ?? Infinity) || compare(x, y),
  );
  const matrix: Record<string, PhaseMatrix> = {};
  for (const phase of phases) {
    const rows = new Map<string, Map<string, "W" | "R">>();
    const owners = new Set<string>();
    for (const task of byPhase.get(phase) ?? []) {
      owners.add(task.owner);
      for (const [list, letter] of [[task.files, "W"], [task.reads, "R"]] as const) {
        for (const pattern of list) {
          let row = rows.get(pattern);
          if (row === undefined) rows.set(pattern, (row = new Map<string, "W" | "R">()));
          if (row.get(task.owner) !== "W") row.set(task.owner, letter);
        }
      }
    }
    const isMarked = (pattern: string, row: Map<string, string>) => [...row.keys()].some((owner) => marked.has(`${phase}\0${pattern}\0${owner}`));
    let files = [...rows.keys()];
    if (files.length > MATRIX_MAX_ROWS) {
      const hot = new Set(files.filter((f) => isMarked(f, rows.get(f) as Map<string, string>)).slice(0, MATRIX_MAX_ROWS));
      const room = MATRIX_MAX_ROWS - hot.size;
      const cold = new Set(files.filter((f) => !hot.has(f)).slice(0, room));
      files = files.filter((f) => hot.has(f) || cold.has(f));
    }
    const cells: Record<string, Record<string, string>> = {};
    for (const pattern of files) {
      const row: Record<string, string> = {};
      for (const [owner, letter] of rows.get(pattern) ?? []) {
        row[owner] = marked.has(`${phase}\0${pattern}\0${owner}`) ? `${letter}!` : letter;
      }
      cells[pattern] = row;
    }
    const agents = [...owners].sort((x, y) => (agentOrder.get(x) ?? Infinity) - (agentOrder.get(y) ?? Infinity) || compare(x, y));
    matrix[phase] = { files, agents, cells, omitted: rows.size - files.length };
  }
  return matrix;
}

function summarise(plan: Plan, conflicts: readonly FileConflict[]): ConflictReport["summary"] {
  const declared = new Set<string>();
  for (const task of plan.tasks) for (const pattern of task.files) declared.add(normalisePattern(pattern));
  const overlapping = new Set<string>();
  for (const c of conflicts) {
    overlapping.add(normalisePattern(c.a.pattern));
    if (c.kind === "write-write") overlapping.add(normalisePattern(c.b.pattern));
  }
  return { files: declared.size, overlapping: overlapping.size };
}
