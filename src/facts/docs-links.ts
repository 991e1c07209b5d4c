import { lstatSync, readdirSync, statSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import picomatch from "picomatch";
import { glob } from "tinyglobby";
import { listGitFiles } from "../git/ls-files.js";
import { ShipgateError } from "../errors.js";
import type { Diagnostic } from "../ingest/types.js";
import { checkUrls } from "./check-urls.js";
import type { scanFile as ScanFile } from "./scan-file.js";
import type { MarkdownLink, MarkdownScan } from "./markdown-links.js";
import { countTrackedMarkdown, createScanPool, type ScanPool } from "./scan-pool.js";
import { compactAnchors, type Anchors, type WireScan } from "./wire-scan.js";

export interface DocsCheckOptions {
  /** Repository root. Reported paths are relative to it, and so is a link that starts with "/". */
  root: string;
  /**
   * Files or directories to check, relative to `root` (or absolute). Default: all of `root`.
   * Directories are searched for `.md` / `.markdown` files among the repository's files: in a git work
   * tree, those `git ls-files --cached --others --exclude-standard` lists (never what .gitignore ignores:
   * .venv, .tox, node_modules, dist, …); outside git, every file except those in the folders of
   * `SKIPPED_DIRS`. A file named here is checked whatever its extension. A path that does not exist is a
   * USAGE error.
   */
  paths?: string[];
  /**
   * Links not to check (picomatch globs, `dot: true`): a link is skipped, and listed in `unchecked` as
   * "ignored", when a pattern matches its destination as written (`../../issues/new`, `http://localhost/**`)
   * or, for a link into the repository, the target's path from `root` (`docs/generated/**`). Default: none.
   */
  ignore?: readonly string[];
  /** Fetch external http(s) links. Default false: they are listed in `external` and never fetched. */
  online?: boolean;
  /** With `online`: requests in flight at once. Default 8. */
  concurrency?: number;
  /** With `online`: time allowed per request, in ms. Default 10 000. */
  timeoutMs?: number;
  /**
   * Called after each markdown file is read (`total` = files), then with `online` after each URL is
   * fetched (`total` grows once by the number of distinct URLs; `done` keeps counting).
   */
  onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads that read and parse files while this thread checks links (0: all on this thread).
   * Default: one per CPU but one (at most 8) for 2 000 files or more when running from the built
   * JavaScript, else 0.
   */
  workers?: number;
}

/** Why a link is broken: its file does not exist, its fragment names no anchor, or (online) its URL failed. */
export type BrokenLinkKind = "file" | "anchor" | "external";

export interface BrokenLink {
  /** The linking file, relative to root, with "/" separators. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, when the target could be found on the line (not for reference links). */
  column?: number;
  /** The destination as written. */
  target: string;
  /** Short and specific: "no such file: docs/x.md", "no heading #foo in docs/guide.md (did you mean #foo-bar?)", "HTTP 404". */
  reason: string;
  kind: BrokenLinkKind;
}

/** A link with a scheme (https:, mailto:, …): listed, and fetched only with `online`. */
export interface ExternalLink {
  file: string;
  line: number;
  column?: number;
  url: string;
}

/**
 * Why a link was not checked: it resolves outside `root` (`../../issues/new` in a README works on GitHub, where it
 * leaves the repository's files for its pages, and cannot be checked offline), or a pattern of `ignore` matched it.
 */
export type UncheckedReason = "outside-repository" | "ignored";

/** A relative link that was not checked: not broken, not fetched. */
export interface UncheckedLink {
  file: string;
  line: number;
  column?: number;
  /** The destination as written. */
  target: string;
  reason: UncheckedReason;
  /** With "ignored": the pattern of `ignore` that matched. */
  pattern?: string;
}

export interface DocsCheckResult {
  /** Markdown files read. */
  files: number;
  /** Links and images found, external and unchecked ones included. */
  links: number;
  /** Sorted by file, line, column. */
  broken: BrokenLink[];
  /** In file order; ignored ones are in `unchecked`. */
  external: ExternalLink[];
  /** Links that point outside the repository, or that `ignore` matched; in file order. Never counted as broken. */
  unchecked: UncheckedLink[];
  /** Files that could not be read (`docs.unreadable`) or parsed, and URLs that rate-limited us. */
  diagnostics: Diagnostic[];
}

type PathKind = "file" | "dir" | "missing";

/**
 * Outside git: folders that hold installed packages, virtual environments, caches and build output, not the
 * project's docs (in git, .gitignore says which). They are large, so not descending into them matters.
 */
export const SKIPPED_DIRS: readonly string[] = [
  "node_modules", "bower_components", "vendor", ".git", ".shipgate",
  "dist", "build", "target", "coverage", ".next", ".nuxt",
  ".venv", "venv", ".tox", ".nox", "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".eggs", "site-packages",
];
/** Markdown files, for `git ls-files` (in a pathspec without magic, `*` also matches "/"). */
const MARKDOWN_PATHSPECS = [":(icase)*.md", ":(icase)*.markdown"];
const MARKDOWN = /\.(?:md|markdown)$/i;
const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;
const HTTP = /^https?:/i;
/** GitHub's line (and column) anchors in a file view: #L10, #L10-L20, #L19C5-L21C11. */
const LINE_ANCHOR = /^L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?$/;
const PLAIN_VIEW = /(?:^|&)plain=1(?:&|$)/;
/** MARKDOWN's answer, with the usual lower-case ".md" answered without the regex. */
const isMarkdownPath = (path: string) => path.endsWith(".md") || MARKDOWN.test(path);
/**
 * Files are read one at a time, synchronously: a docs file is small, and the promise-based readFile
 * costs several thread-pool round trips per file (5× the time of the whole read on 10k files).
 */
const YIELD_EVERY = 200;

/**
 * Checks the links of a tree of markdown files without a network: relative files and images must
 * exist, fragments must name a heading (GitHub's slugs) or an HTML anchor. External links are only
 * listed unless `online`. Files are read a few at a time and only their anchors are kept, so memory
 * grows with the number of headings and links, not with the size of the docs. Never throws on
 * content; throws a USAGE ShipgateError when a path in `paths` does not exist.
 */
export async function checkDocsLinks(options: DocsCheckOptions): Promise<DocsCheckResult> {
  const root = resolve(options.root);
  // Workers start before the files are listed when they will likely be wanted, so that their start overlaps the listing.
  const prestarted = prestartWorkers(root, options);
  let files: string[];
  try {
    files = await findMarkdownFiles(root, options.paths);
  } catch (error) {
    prestarted?.close();
    throw error;
  }
  const rootSlash = root.endsWith(sep) ? root : `${root}${sep}`;
  const rel = (abs: string) => (abs.startsWith(rootSlash) ? toPosix(abs.slice(rootSlash.length)) : toPosix(relative(root, abs)) || ".");
  const paths = createPathIndex(root, files.map(rel));
  const diagnostics: Diagnostic[] = [];
  const broken: BrokenLink[] = [];
  const external: ExternalLink[] = [];
  const unchecked: UncheckedLink[] = [];
  const ignored = ignoreMatcher(options.ignore);
  // The only per-file state kept is in `paths`: the fragments each file defines, by the file's entry.
  const hints: AnchorHints = new Map();
  // Links into markdown files not read yet; checked once every file has been read.
  const deferred: { file: string; link: KeptLink; target: number; fragment: string; query: string }[] = [];
  let linkCount = 0;

  const report = (file: string, link: KeptLink, reason: string, kind: BrokenLinkKind) => {
    broken.push({ file, line: link.line, ...(link.column === undefined ? {} : { column: link.column }), target: detach(link.target), reason, kind });
  };

  const skip = (file: string, link: KeptLink, reason: UncheckedReason, pattern?: string) => {
    unchecked.push({ file, line: link.line, ...(link.column === undefined ? {} : { column: link.column }), target: detach(link.target), reason, ...(pattern === undefined ? {} : { pattern }) });
  };

  /**
   * The entry in `paths` of the target of `text.slice(start, end)` (a path already URL-decoded), or -1 when it is
   * outside root. `dirKey` is the linking file's folder from root ("" at the root), or null when that file is
   * outside root. The usual relative path (`name.md`, `./x/y.md`, `../x.md`) is looked up without being built;
   * anything else is resolved in full.
   */
  const targetOf = (fileDir: string, dirKey: string | null, text: string, start: number, end: number): number => {
    const rooted = text.charCodeAt(start) === 0x2f /* / */;
    if (!rooted && dirKey !== null && plainJoin(dirKey, text, start, end, joined)) {
      return paths.entryOf(dirKey, joined.dirLength, text, joined.restStart, end);
    }
    const path = start === 0 && end === text.length ? text : text.slice(start, end);
    const target = rooted ? join(root, path) : joinRelative(fileDir, path);
    return target === root || target.startsWith(rootSlash) ? paths.entry(rel(target)) : -1;
  };

  const checkLink = (fileDir: string, dirKey: string | null, file: string, fileEntry: number, link: MarkdownLink, own: Anchors) => {
    const href = link.href;
    const pattern = ignored?.(href);
    if (pattern !== undefined) {
      skip(file, link, "ignored", pattern);
      return;
    }
    // Most links are relative paths without ":", which no scheme test needs to look at.
    if (href.startsWith("//") || (href.includes(":") && SCHEME.test(href))) {
      external.push({ file, line: link.line, ...(link.column === undefined ? {} : { column: link.column }), url: detach(href.startsWith("//") ? `https:${href}` : href) });
      return;
    }
    // The path is href's range [0, pathEnd): looked up where it lies, not sliced out, unless it needs decoding.
    const hash = href.indexOf("#");
    const question = href.indexOf("?");
    const pathEnd = question !== -1 && (hash === -1 || question < hash) ? question : hash === -1 ? href.length : hash;
    // Fragment and query are cut out only for the links that need them (into a markdown file, or this one).
    const hasFragment = hash !== -1 && hash < href.length - 1;
    if (pathEnd === 0) {
      const problem = anchorProblem(hasFragment ? href.slice(hash + 1) : "", queryOf(href, pathEnd, hash), own, file, hints);
      if (problem) report(file, link, problem, "anchor");
      return;
    }
    const percent = href.indexOf("%");
    const decoded = percent === -1 || percent >= pathEnd ? href : safeDecode(href.slice(0, pathEnd));
    const target = decoded === href ? targetOf(fileDir, dirKey, href, 0, pathEnd) : targetOf(fileDir, dirKey, decoded, 0, decoded.length);
    // `../../issues/new` from a README: a page of the repository's host, not a file; nothing to check offline.
    if (target === -1) {
      skip(file, link, "outside-repository");
      return;
    }
    if (ignored !== null) {
      const ignoredPath = ignored(paths.path(target));
      if (ignoredPath !== undefined) {
        skip(file, link, "ignored", ignoredPath);
        return;
      }
    }
    const kind = paths.kind(target);
    if (kind === "missing") {
      const key = paths.path(target);
      const hint = paths.suggest(key);
      report(file, link, `no such file: ${key}${hint ? ` (did you mean ${hint}?)` : ""}`, "file");
      return;
    }
    // A directory link shows its listing; a fragment on any other file (#L10 on a .ts) is the viewer's business.
    if (kind === "dir" || !hasFragment || !isMarkdownPath(paths.path(target))) return;
    const fragment = href.slice(hash + 1);
    const anchors = target === fileEntry ? own : paths.anchors[target];
    if (anchors === undefined) {
      deferred.push({ file, link: { line: link.line, column: link.column, target: detach(link.target) }, target, fragment: detach(fragment), query: detach(queryOf(href, pathEnd, hash)) });
      return;
    }
    const problem = anchorProblem(fragment, queryOf(href, pathEnd, hash), anchors, paths.path(target), hints);
    if (problem) report(file, link, problem, "anchor");
  };

  /** The folder of a file (path from root) as targetOf wants it. */
  const dirKeyOf = (fileAbs: string, file: string): string | null => (fileAbs.startsWith(rootSlash) ? file.slice(0, Math.max(0, file.lastIndexOf("/"))) : null);

  const consume = (fileAbs: string, scan: MarkdownScan | undefined) => {
    const file = rel(fileAbs);
    const fileEntry = paths.entry(file);
    if (scan === undefined) {
      paths.anchors[fileEntry] = null;
      return;
    }
    paths.anchors[fileEntry] = compactAnchors(scan.anchors);
    linkCount += scan.links.length;
    const fileDir = dirname(fileAbs);
    const dirKey = dirKeyOf(fileAbs, file);
    for (const link of scan.links) checkLink(fileDir, dirKey, file, fileEntry, link, scan.anchors);
  };

  // One link object for every link a worker posts: checkLink reads it and copies what it keeps.
  const cursor: MarkdownLink = { href: "", target: "", line: 0, column: undefined };
  const consumeWire = (fileAbs: string, scan: WireScan | undefined) => {
    const file = rel(fileAbs);
    const fileEntry = paths.entry(file);
    if (scan === undefined) {
      paths.anchors[fileEntry] = null;
      return;
    }
    paths.anchors[fileEntry] = scan.anchors;
    const links = scan.links;
    linkCount += links.length / 4;
    const fileDir = dirname(fileAbs);
    const dirKey = dirKeyOf(fileAbs, file);
    for (let i = 0; i < links.length; i += 4) {
      cursor.href = links[i] as string;
      cursor.target = (links[i + 1] as string | null) ?? cursor.href;
      cursor.line = links[i + 2] as number;
      cursor.column = (links[i + 3] as number) || undefined;
      checkLink(fileDir, dirKey, file, fileEntry, cursor, scan.anchors);
    }
  };

  // The scanner brings markdown-it (~75 modules): loaded on this thread only when this thread scans, or reads a
  // file outside `paths` for its anchors (with workers it does neither on most trees, and the workers load their own).
  let scanner: Promise<{ scanFile: typeof ScanFile }> | undefined;
  const loadScanner = () => (scanner ??= import("./scan-file.js"));

  const workers = files.length === 0 ? 0 : (options.workers ?? defaultWorkers(files.length));
  let pool: ScanPool | undefined;
  if (workers > 0 && prestarted !== undefined && prestarted.size >= workers) {
    pool = prestarted;
  } else {
    prestarted?.close();
    if (workers > 0) pool = createScanPool(workers);
  }
  // Diagnostics by file index, reported in file order whichever thread scanned the file.
  const scanDiagnostics: { index: number; diagnostic: Diagnostic }[] = [];
  let done = 0;
  if (pool !== undefined) {
    // Files are read on this thread and parsed in worker threads (see ScanPool.run), while this thread checks the
    // links of those already done.
    await pool.run(files, files.map(rel), workers, WORKER_BATCH, (index, scan, found) => {
      for (const diagnostic of found) scanDiagnostics.push({ index, diagnostic });
      consumeWire(files[index] as string, scan);
      options.onProgress?.(++done, files.length);
    });
  } else if (files.length > 0) {
    // No file, no scanner: assess checks the docs of every project, most of them with few or no markdown files.
    const { scanFile } = await loadScanner();
    for (let i = 0; i < files.length; i++) {
      const fileAbs = files[i] as string;
      const found: Diagnostic[] = [];
      consume(fileAbs, scanFile(fileAbs, rel(fileAbs), found));
      for (const diagnostic of found) scanDiagnostics.push({ index: i, diagnostic });
      options.onProgress?.(++done, files.length);
      // Parsing is synchronous work; yield now and then so timers, signals and progress output run.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise<void>((resolveYield) => setImmediate(resolveYield));
    }
  }
  // Array.prototype.sort is stable: a file's diagnostics keep their order.
  for (const { diagnostic } of scanDiagnostics.sort((a, b) => a.index - b.index)) diagnostics.push(diagnostic);

  for (const d of deferred) {
    const path = paths.path(d.target);
    let anchors = paths.anchors[d.target];
    if (anchors === undefined) {
      // A markdown file outside `paths` (or in a skipped directory): read it for its anchors only.
      const { scanFile } = await loadScanner();
      const scan = scanFile(join(root, path), path, diagnostics);
      anchors = scan ? compactAnchors(scan.anchors) : null;
      paths.anchors[d.target] = anchors;
    }
    const problem = anchorProblem(d.fragment, d.query, anchors, path, hints);
    if (problem) report(d.file, d.link, problem, "anchor");
  }

  if (options.online) await checkExternal(external, broken, diagnostics, files.length, options);

  broken.sort((a, b) => compare(a.file, b.file) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  // Workers finish in any order: restore file order.
  if (workers > 0) {
    external.sort((a, b) => compare(a.file, b.file) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
    unchecked.sort((a, b) => compare(a.file, b.file) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  }
  return { files: files.length, links: linkCount, broken, external, unchecked, diagnostics };
}

/**
 * The `ignore` patterns as one function: the first pattern that matches `value`, or undefined; null without
 * patterns (no cost per link then). Each pattern is compiled once.
 */
function ignoreMatcher(patterns: readonly string[] | undefined): ((value: string) => string | undefined) | null {
  if (patterns === undefined || patterns.length === 0) return null;
  const matchers = patterns.map((pattern) => ({ pattern, isMatch: picomatch(pattern, { dot: true }) }));
  return (value) => matchers.find((m) => m.isMatch(value))?.pattern;
}

async function findMarkdownFiles(root: string, paths: readonly string[] | undefined): Promise<string[]> {
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new ShipgateError("USAGE", `[docs] ${root} is not a directory: the root must be the repository (or docs) directory`);
  }
  const found = new Set<string>();
  for (const path of paths === undefined || paths.length === 0 ? ["."] : paths) {
    const abs = resolve(root, path);
    const stat = statSync(abs, { throwIfNoEntry: false });
    if (stat === undefined) {
      throw new ShipgateError("USAGE", `[docs] ${path}: no such file or directory (paths are relative to ${root})`);
    }
    if (!stat.isDirectory()) {
      found.add(abs);
      continue;
    }
    const listed = await listGitFiles(abs, MARKDOWN_PATHSPECS);
    if (listed !== null) {
      const isRegularFile = createRegularFileTest();
      for (const file of listed) {
        if (!MARKDOWN.test(file)) continue;
        const hit = resolve(abs, file);
        // Like the walk below: symbolic links are not followed, and a tracked file deleted from the work tree is gone.
        if (isRegularFile(hit)) found.add(hit);
      }
      continue;
    }
    const hits = await glob(["**/*.md", "**/*.markdown"], {
      cwd: abs,
      absolute: true,
      dot: true,
      caseSensitiveMatch: false,
      expandDirectories: false,
      // Symbolic links are not followed, so a link back up the tree cannot make the walk loop or list a
      // file twice; a symlinked markdown file is skipped (links *to* symlinks still resolve).
      followSymbolicLinks: false,
      ignore: SKIPPED_DIRS.map((dir) => `**/${dir}/**`),
    });
    // tinyglobby's absolute paths are already normalised on POSIX; `resolve` is for the rest.
    for (const hit of hits) found.add(sep === "/" && !hit.includes("/.") && !hit.includes("//") ? hit : resolve(hit));
  }
  return [...found].sort(compare);
}

/**
 * Whether a path is a regular file (not a symbolic link, not gone), from one directory listing per
 * folder: the answer of `lstat(path).isFile()` for every file of a docs tree, without a system call each.
 */
function createRegularFileTest(): (abs: string) => boolean {
  // null: the folder cannot be listed (gone, or not readable but searchable): ask for each file instead.
  const filesByDir = new Map<string, Set<string> | null>();
  return (abs) => {
    const dir = dirname(abs);
    let files = filesByDir.get(dir);
    if (files === undefined) {
      try {
        files = new Set();
        for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isFile()) files.add(entry.name);
      } catch {
        files = null;
      }
      filesByDir.set(dir, files);
    }
    return files === null ? lstatSync(abs, { throwIfNoEntry: false })?.isFile() === true : files.has(basename(abs));
  };
}

/**
 * Whether paths exist, with one `stat` per distinct path; the anchors of the markdown files read; and near misses
 * for "did you mean". Paths are from `root` with "/" separators ("." for root itself), as `rel` makes them; each
 * has an entry number by which the rest is kept, so that a link needs one Map lookup for all of it.
 */
function createPathIndex(root: string, knownFiles: readonly string[]) {
  const ids = new Map<string, number>();
  /** By entry: the path. */
  const keys: string[] = [];
  /** By entry: whether the path exists, and what it is. */
  const kinds: PathKind[] = [];
  /** By entry: the fragments the file defines once it has been read; null when it could not be read. */
  const anchors: (Anchors | null | undefined)[] = [];
  const add = (key: string, kind: PathKind): number => {
    const id = keys.length;
    ids.set(key, id);
    keys.push(key);
    kinds.push(kind);
    anchors.push(undefined);
    return id;
  };
  // Flat copies, made side by side: `rel`'s paths are slices of the absolute ones, and every lookup that lands on a
  // key compares it: one more pointer to follow for a slice (10k keys: ~140 instead of ~230 ns a lookup, measured).
  for (const file of JSON.parse(JSON.stringify(knownFiles)) as string[]) if (!ids.has(file)) add(file, "file");
  const statKind = (key: string): PathKind => {
    let stat;
    try {
      stat = statSync(join(root, key), { throwIfNoEntry: false });
    } catch {
      stat = undefined; // ENOTDIR (a path through a file), EACCES: not there for a reader either
    }
    return stat === undefined ? "missing" : stat.isDirectory() ? "dir" : "file";
  };
  /** The entry of `key`, added (with one stat) when new. */
  const entry = (key: string): number => ids.get(key) ?? add(detach(key), statKind(key));
  /**
   * The entry of `dir.slice(0, dirLength) + "/" + text.slice(start, end)` (just the range when `dirLength` is 0),
   * as plainJoin describes a target: the path made with no slice or concatenation that is not needed.
   */
  const entryOf = (dir: string, dirLength: number, text: string, start: number, end: number): number => {
    const rest = start === 0 && end === text.length ? text : text.slice(start, end);
    return entry(dirLength === 0 ? rest : `${dirLength === dir.length ? dir : dir.slice(0, dirLength)}/${rest}`);
  };
  /** Each folder's names, and the same lower-cased (compared against every broken link into the folder). */
  const listings = new Map<string, { names: string[]; lower: string[] }>();
  /** Suggestions already made, by missing path: a missing file is often linked from several. */
  const suggested = new Map<string, string | undefined>();
  /** A sibling that differs only in case (works on macOS, 404 on GitHub) or by a typo or two. */
  const suggest = (key: string): string | undefined => {
    if (suggested.has(key)) return suggested.get(key);
    const hint = suggestFor(key);
    suggested.set(key, hint);
    return hint;
  };
  const suggestFor = (key: string): string | undefined => {
    const slash = key.lastIndexOf("/");
    const dir = slash === -1 ? "." : key.slice(0, slash);
    if (kinds[entry(dir)] !== "dir") return undefined;
    let listing = listings.get(dir);
    if (listing === undefined) {
      let names: string[];
      try {
        names = readdirSync(join(root, dir));
      } catch {
        names = [];
      }
      listing = { names, lower: names.map((n) => n.toLowerCase()) };
      listings.set(dir, listing);
    }
    const { names } = listing;
    const inDir = (name: string) => (slash === -1 ? name : `${dir}/${name}`);
    const wanted = key.slice(slash + 1);
    const sameButCase = listing.lower.indexOf(wanted.toLowerCase());
    if (sameButCase !== -1) return inDir(names[sameButCase] as string);
    if (wanted.length < 4) return undefined;
    const best = closest(wanted, names, typoBudget(wanted));
    return best === undefined ? undefined : inDir(best);
  };
  return {
    entry,
    entryOf,
    path: (id: number) => keys[id] as string,
    kind: (id: number) => kinds[id] as PathKind,
    anchors,
    suggest,
  };
}

/**
 * Anchors are compared case-insensitively: GitHub's slugs are lower case, and its page script
 * resolves a fragment in any case (`#Install` reaches `## Install`), so a mixed-case link works
 * for readers on GitHub and is not reported. Fragments are URL-decoded first (`#caf%C3%A9`).
 * `#top` and an empty fragment always work; `#user-content-x` is GitHub's real id for `#x`.
 */
const hasAnchor = (anchors: Anchors, key: string) => (typeof anchors === "string" ? hasLine(anchors, key) : anchors.has(key));

/** Whether "\n"-joined `lines` (with a "\n" at both ends) holds `key` as a whole line, without building "\n" + key + "\n". */
function hasLine(lines: string, key: string): boolean {
  if (key.includes("\n")) return false;
  if (key === "") return lines.includes("\n\n"); // an empty heading's anchor (indexOf("") would not move on)
  for (let at = lines.indexOf(key, 1); at !== -1; at = lines.indexOf(key, at + 1)) {
    if (lines.charCodeAt(at - 1) === 0x0a && lines.charCodeAt(at + key.length) === 0x0a) return true;
  }
  return false;
}
const listAnchors = (anchors: Anchors): Iterable<string> => (typeof anchors === "string" ? anchors.split("\n").filter((a) => a !== "") : anchors);

/**
 * "Did you mean" anchors already found, per file's anchors and wanted (lower-case) fragment; null for none. A
 * broken fragment is often linked from many files, and its edit distances need computing only once. Only
 * broken fragments are kept (a few per file at most, beside the anchors kept anyway).
 */
type AnchorHints = Map<Anchors, Map<string, string | null>>;

/** `file` names the target in the message; a function, so that its path is only made for a broken link. */
function anchorProblem(rawFragment: string, query: string, anchors: Anchors | null, file: string | (() => string), hints: AnchorHints): string | undefined {
  if (anchors === null || rawFragment === "") return undefined; // an unreadable target was already a diagnostic
  const fragment = safeDecode(rawFragment);
  const key = fragment.toLowerCase();
  if (key === "top" || hasAnchor(anchors, key)) return undefined;
  if (key.startsWith("user-content-") && hasAnchor(anchors, key.slice("user-content-".length))) return undefined;
  // `?plain=1` shows a markdown file as source, where GitHub's line anchors work.
  if (PLAIN_VIEW.test(query) && LINE_ANCHOR.test(fragment)) return undefined;
  let known = hints.get(anchors);
  if (known === undefined) {
    known = new Map();
    hints.set(anchors, known);
  }
  let hint = known.get(key);
  if (hint === undefined) {
    hint = closestAnchor(key, [...listAnchors(anchors)]) ?? null;
    known.set(key, hint);
  }
  return `no heading #${fragment} in ${typeof file === "string" ? file : file()}${hint === null ? "" : ` (did you mean #${hint}?)`}`;
}

function closestAnchor(key: string, anchors: readonly string[]): string | undefined {
  const near = closest(key, anchors, typoBudget(key));
  if (near !== undefined || key.length < 3) return near;
  // "#install" for "## Install on Linux": the heading grew words after the link was written.
  let best: string | undefined;
  for (const anchor of anchors) {
    if ((anchor.startsWith(`${key}-`) || key.startsWith(`${anchor}-`)) && (best === undefined || anchor.length < best.length)) best = anchor;
  }
  return best;
}

/** Edits that still look like a typo: one per four characters, at least one. */
const typoBudget = (word: string) => Math.max(1, Math.floor(word.length / 4));

/**
 * The candidate nearest to `word` by edit distance, if within `max`; the first one on ties. Callers have
 * already looked `word` itself up (an anchor, a name in any case), so no candidate equals it: a first
 * candidate one edit away cannot be beaten or tied by a later one, and the search stops there.
 */
function closest(word: string, candidates: Iterable<string>, max: number): string | undefined {
  let best: string | undefined;
  let bestDistance = max + 1;
  const bag = countChars(word);
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    // Most candidates (page-4833.md for page-1234.md) are ruled out by their characters alone, without the table.
    if (bag !== undefined && bagDistance(word.length, bag, candidate) >= bestDistance) continue;
    const d = editDistance(word, candidate, bestDistance);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
      if (d <= 1) break;
    }
  }
  return best;
}

/** How many of each ASCII character `word` holds; undefined when it holds another (then no bag distance is taken). */
function countChars(word: string): Int32Array | undefined {
  const counts = new Int32Array(128);
  for (let i = 0; i < word.length; i++) {
    const code = word.charCodeAt(i);
    if (code >= 128) return undefined;
    counts[code] = (counts[code] as number) + 1;
  }
  return counts;
}

/**
 * The bag distance between a word (its length and countChars) and `candidate`: the larger of the characters
 * one has and the other lacks, counted with repeats. An edit changes it by one at most, so it never exceeds the
 * edit distance: a candidate whose bag distance is already too far cannot be near. `bag` is left as it was.
 */
function bagDistance(length: number, bag: Int32Array, candidate: string): number {
  let extra = 0;
  let i = 0;
  for (; i < candidate.length; i++) {
    const code = candidate.charCodeAt(i);
    if (code >= 128) break;
    const left = (bag[code] as number) - 1;
    bag[code] = left;
    if (left < 0) extra++;
  }
  const whole = i === candidate.length;
  for (let j = 0; j < i; j++) {
    const code = candidate.charCodeAt(j);
    bag[code] = (bag[code] as number) + 1;
  }
  // A character outside ASCII: no bound (0 rules nothing out).
  if (!whole) return 0;
  const matched = candidate.length - extra;
  return Math.max(length - matched, extra);
}

/** Rows of editDistance, grown as needed and reused: it runs for every candidate of every hint. */
let previousRow = new Uint32Array(64);
let currentRow = new Uint32Array(64);

/** Levenshtein distance, giving up (returning `limit`) once it cannot be below `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (previousRow.length <= b.length) {
    previousRow = new Uint32Array(b.length + 1);
    currentRow = new Uint32Array(b.length + 1);
  }
  let prev = previousRow;
  let row = currentRow;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      // min(deletion, insertion, substitution), without Math.min's three-argument call
      let value = (prev[j - 1] as number) + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const deletion = (prev[j] as number) + 1;
      if (deletion < value) value = deletion;
      const insertion = (row[j - 1] as number) + 1;
      if (insertion < value) value = insertion;
      row[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin >= limit) return limit;
    [prev, row] = [row, prev];
  }
  return prev[b.length] as number;
}

async function checkExternal(external: ExternalLink[], broken: BrokenLink[], diagnostics: Diagnostic[], fileCount: number, options: DocsCheckOptions): Promise<void> {
  const urlOf = (link: ExternalLink) => {
    const hash = link.url.indexOf("#");
    return hash === -1 ? link.url : link.url.slice(0, hash);
  };
  const urls = [...new Set(external.filter((l) => HTTP.test(l.url)).map(urlOf))];
  const total = fileCount + urls.length;
  let done = fileCount;
  options.onProgress?.(done, total);
  const statuses = await checkUrls(urls, {
    concurrency: options.concurrency ?? 8,
    timeoutMs: options.timeoutMs ?? 10_000,
    onChecked: () => options.onProgress?.(++done, total),
  });
  for (const [url, status] of statuses) {
    if (status.isRateLimited) diagnostics.push({ level: "info", code: "docs.rate-limited", message: `${url}: ${status.reason ?? "rate limited"}; not counted as broken` });
  }
  for (const link of external) {
    const status = HTTP.test(link.url) ? statuses.get(urlOf(link)) : undefined;
    if (status && !status.ok) {
      broken.push({ file: link.file, line: link.line, ...(link.column === undefined ? {} : { column: link.column }), target: link.url, reason: status.reason ?? "request failed", kind: "external" });
    }
  }
}

/**
 * `resolve(dir, path)` for an absolute, normalised `dir`, without its general machinery in the common
 * case (`name.md`, `./x/y.md`, `../../x.md`); anything unusual goes to `resolve`.
 */
export function joinRelative(dir: string, path: string): string {
  if (sep !== "/") return resolve(dir, path);
  const { ups, rest } = splitClimbs(path);
  if (!isPlainRest(rest)) return resolve(dir, path);
  let base = dir;
  for (let n = 0; n < ups; n++) base = base.slice(0, base.lastIndexOf("/")) || "/";
  return base === "/" ? `/${rest}` : `${base}/${rest}`;
}

/**
 * joinRelative's answer as a path from root, for `dir` given from root ("" at the root): the common case
 * (`name.md`, `./x/y.md`, `../x.md`) without building an absolute path. Undefined for anything else (a
 * climb above root, `.` or `//` inside, another separator), which the caller resolves in full.
 */
export function joinKey(dir: string, path: string): string | undefined {
  const out = { dirLength: 0, restStart: 0 };
  if (!plainJoin(dir, path, 0, path.length, out)) return undefined;
  const rest = path.slice(out.restStart);
  return out.dirLength === 0 ? rest : `${dir.slice(0, out.dirLength)}/${rest}`;
}

/** Where plainJoin puts its answer (one object for every link: the check runs once per link). */
interface PlainJoin {
  /** The target's folder is `dir.slice(0, dirLength)` ("" at root, then no "/" joins it)… */
  dirLength: number;
  /** …and its rest from there is `text.slice(restStart, end)`. */
  restStart: number;
}
const joined: PlainJoin = { dirLength: 0, restStart: 0 };

/**
 * joinKey's work on `text.slice(start, end)` without slicing it, in one pass: skips the leading `./` and `../`
 * steps (climbing `dir` for each `../`), then checks that the rest holds nothing for path.resolve to normalise
 * (no `.` or `..` segment, no empty one, not rooted). False when it does, or when a climb leaves root; then
 * `out` means nothing.
 */
function plainJoin(dir: string, text: string, start: number, end: number, out: PlainJoin): boolean {
  if (sep !== "/") return false;
  let dirLength = dir.length;
  let i = start;
  // `./` and `../` told apart by character codes: startsWith is a builtin call each, and this runs for every link.
  while (i + 2 <= end && text.charCodeAt(i) === 0x2e /* . */) {
    const second = text.charCodeAt(i + 1);
    if (second === 0x2e /* . */ && i + 3 <= end && text.charCodeAt(i + 2) === 0x2f /* / */) {
      if (dirLength === 0) return false;
      // The folder's parent; a loop rather than lastIndexOf, which V8 runs as a C++ call (~10× the cost here).
      do dirLength--;
      while (dirLength > 0 && dir.charCodeAt(dirLength) !== 0x2f /* / */);
      i += 3;
    } else if (second === 0x2f /* / */) {
      i += 2;
    } else {
      break;
    }
  }
  // The rest must not be "", ".", "..", start or end with "/", or hold "/." or "//".
  if (i === end) return false;
  const first = text.charCodeAt(i);
  if (first === 0x2f /* / */ || text.charCodeAt(end - 1) === 0x2f /* / */) return false;
  if (first === 0x2e /* . */ && (end - i === 1 || (end - i === 2 && text.charCodeAt(i + 1) === 0x2e /* . */))) return false;
  // One loop over the few characters rather than an indexOf call per "/".
  for (let at = i + 1; at < end - 1; at++) {
    if (text.charCodeAt(at) === 0x2f /* / */) {
      const next = text.charCodeAt(at + 1);
      if (next === 0x2e /* . */ || next === 0x2f /* / */) return false;
    }
  }
  out.dirLength = dirLength;
  out.restStart = i;
  return true;
}

/** The `../` climbs a relative path starts with (its `./` steps skipped) and what follows them. */
function splitClimbs(path: string): { ups: number; rest: string } {
  let ups = 0;
  let i = 0;
  for (;;) {
    if (path.startsWith("../", i)) {
      ups++;
      i += 3;
    } else if (path.startsWith("./", i)) {
      i += 2;
    } else {
      return { ups, rest: i === 0 ? path : path.slice(i) };
    }
  }
}

/** A rest with nothing for path.resolve to normalise: no `.`/`..` segment, no empty one, not rooted. */
const isPlainRest = (rest: string): boolean =>
  !(rest === "" || rest === "." || rest === ".." || rest.startsWith("/") || rest.endsWith("/") || rest.includes("/.") || rest.includes("//"));

/** The query of `href` (between "?" and "#"), given where its path ends ("?" there when it has one) and where its "#" is. */
const queryOf = (href: string, pathEnd: number, hash: number): string =>
  href.charCodeAt(pathEnd) === 0x3f /* ? */ ? href.slice(pathEnd + 1, hash === -1 ? href.length : hash) : "";

/** What is kept of a link after its file is done. */
type KeptLink = Pick<MarkdownLink, "line" | "column" | "target">;

/**
 * A copy of `text` that does not share memory with the file it was cut from. Strings taken from a
 * file's text (as markdown-it's are) can be slices that keep the whole text alive; links kept for
 * later would then keep every file's text in memory.
 */
const detach = (text: string) => (text.length < 13 ? text : ` ${text}`.slice(1));

function safeDecode(text: string): string {
  if (!text.includes("%")) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

const toPosix = (path: string) => (sep === "/" ? path : path.split(sep).join("/"));
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Files per message between a worker and this thread. */
const WORKER_BATCH = 100;
const PARALLEL_FROM = 2000;

function defaultWorkers(files: number): number {
  // Workers run the compiled scan-worker.js; from TypeScript sources (tests) there is none to run.
  if (files < PARALLEL_FROM || !import.meta.url.endsWith(".js")) return 0;
  // Reading and scanning a file now costs about what checking its links costs here: one worker per CPU
  // besides this thread keeps both busy; more only compete for the same cores.
  const cpus = availableParallelism();
  return cpus < 2 ? 0 : Math.min(cpus - 1, 8);
}

/**
 * Workers started before the files are listed, or undefined: as many as asked for, or by default as many as
 * defaultWorkers gives when root's git index tracks enough markdown files for them (a guess from the index alone,
 * made only when all of root is checked). Wrong guesses cost a worker's start, ended unused.
 */
function prestartWorkers(root: string, options: DocsCheckOptions): ScanPool | undefined {
  if (options.workers !== undefined) return options.workers > 0 ? createScanPool(options.workers) : undefined;
  if ((options.paths !== undefined && options.paths.length > 0) || defaultWorkers(PARALLEL_FROM) === 0) return undefined;
  const guess = countTrackedMarkdown(root, PARALLEL_FROM);
  return guess >= PARALLEL_FROM ? createScanPool(defaultWorkers(guess)) : undefined;
}
