import { readdir } from "node:fs/promises";
import { isAbsolute, join, posix, relative, sep } from "node:path";
import { listGitFiles } from "../git/ls-files.js";

/** The repository's files, the universe that report paths are resolved against. */
export interface RepoFiles {
  /** Absolute repository root. */
  root: string;
  /** Repository-relative POSIX paths. */
  files: ReadonlySet<string>;
  /** How the list was made. */
  source: "git" | "walk";
}

const MANIFESTS = new Set(["package.json", "pyproject.toml", "setup.py", "go.mod", "pom.xml", "build.gradle", "Cargo.toml"]);
const WALK_SKIP = new Set(["node_modules", ".git", ".shipgate", "dist", "build", "coverage", ".venv", "venv", "__pycache__", "target"]);
const WALK_LIMIT = 200_000;
/** A longer `git ls-files` output is not read: the walk (bounded by WALK_LIMIT) lists the files instead. */
const GIT_LIST_MAX_BYTES = 512 * 1024 * 1024;

/** Lists the repository's files: `git ls-files` (tracked and untracked, not ignored) in a checkout, else a walk. */
export async function listRepoFiles(root: string): Promise<RepoFiles> {
  // ls-files prints paths relative to cwd, so a `root` inside a bigger checkout lists just its part.
  const listed = await listGitFiles(root, [], { maxBytes: GIT_LIST_MAX_BYTES });
  return listed === null ? { root, files: await walk(root), source: "walk" } : { root, files: new Set(listed), source: "git" };
}

async function walk(root: string): Promise<Set<string>> {
  const files = new Set<string>();
  const queue = [""];
  while (queue.length > 0 && files.size < WALK_LIMIT) {
    const dir = queue.shift() as string;
    const entries = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const path = dir ? `${dir}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!WALK_SKIP.has(entry.name)) queue.push(path);
      } else if (entry.isFile()) {
        files.add(path);
      }
    }
  }
  return files;
}

export interface ResolvedPath {
  /** Repository-relative POSIX path when resolved; otherwise the cleaned report path. */
  path: string;
  resolved: boolean;
  /** How it was resolved, or why not. */
  how: "exact" | "root" | "ancestor" | "suffix" | "unresolved" | "ambiguous";
}

export interface PathResolver {
  /**
   * Maps a path as a report wrote it to a repository file.
   * @param reportPath the path from the report (absolute, relative, Windows, file:// …)
   * @param reportDir repository-relative directory of the report file; relative paths are tried
   *   against it and each of its ancestors (tools write paths relative to where they ran).
   * @param roots extra directories the report names (Cobertura `<source>`).
   */
  resolve(reportPath: string, reportDir: string, roots?: readonly string[]): ResolvedPath;
  /** The package (component) a repository path belongs to: the nearest directory with a manifest, "." for the root. */
  packageOf(path: string): string;
}

export interface PathResolverOptions {
  /**
   * Directories that are components (from `components:` globs, or workspaces). A file belongs to the
   * deepest one containing it; outside them, to its nearest directory with a manifest, else to ".".
   */
  componentDirs?: readonly string[];
}

export function createPathResolver(repo: RepoFiles, options: PathResolverOptions = {}): PathResolver {
  const byBase = new Map<string, string[]>();
  const manifestDirs = new Set<string>();
  for (const file of repo.files) {
    const slash = file.lastIndexOf("/");
    const base = file.slice(slash + 1);
    const list = byBase.get(base);
    if (list) list.push(file);
    else byBase.set(base, [file]);
    if (MANIFESTS.has(base) && slash > 0) manifestDirs.add(file.slice(0, slash));
  }
  const root = toPosix(repo.root);
  const cache = new Map<string, ResolvedPath>();

  function inRepo(absolute: string): string | undefined {
    const rel = posix.relative(root, absolute);
    return rel.startsWith("../") || rel === ".." || posix.isAbsolute(rel) ? undefined : rel;
  }

  function resolve(reportPath: string, reportDir: string, roots: readonly string[] = []): ResolvedPath {
    const key = `${reportDir}\u0000${roots.join("\u0001")}\u0000${reportPath}`;
    const hit = cache.get(key);
    if (hit) return hit;
    const result = resolveUncached(reportPath, reportDir, roots);
    cache.set(key, result);
    return result;
  }

  function resolveUncached(reportPath: string, reportDir: string, roots: readonly string[]): ResolvedPath {
    const clean = cleanPath(reportPath);
    const absolute = isAbsolutePath(clean);
    if (absolute) {
      const rel = inRepo(clean);
      if (rel !== undefined && repo.files.has(rel)) return { path: rel, resolved: true, how: "exact" };
    }
    for (const r of roots) {
      const base = cleanPath(r);
      const joined = isAbsolutePath(base) ? inRepo(posix.join(base, clean)) : posix.normalize(posix.join(base, clean));
      if (joined !== undefined && repo.files.has(joined)) return { path: joined, resolved: true, how: "root" };
    }
    // Normalised once: the ancestor loop compares with it and bySuffix falls back to it.
    const normal = absolute ? clean : normalizePosix(clean);
    if (!absolute) {
      for (let dir = reportDir; ; dir = posix.dirname(dir)) {
        const joined = dir === "." || dir === "" ? normal : normalizePosix(`${dir}/${clean}`);
        if (repo.files.has(joined)) return { path: joined, resolved: true, how: joined === normal ? "exact" : "ancestor" };
        if (dir === "." || dir === "" || dir === "/") break;
      }
    }
    return bySuffix(clean, absolute, normal);
  }

  /** CI workspaces (/home/runner/work/x/x/…, C:\a\…) and paths relative to another root: match trailing components. */
  function bySuffix(clean: string, absolute: boolean, normal: string): ResolvedPath {
    const base = baseName(clean);
    const candidates = base === "" ? undefined : byBase.get(base);
    const fallback = absolute ? (inRepo(clean) ?? clean) : normal;
    if (!candidates) return { path: fallback, resolved: false, how: "unresolved" };
    const parts = clean.split("/").filter((p) => p !== "" && p !== ".");
    let best: string[] = [];
    let bestScore = 0;
    for (const candidate of candidates) {
      const cparts = candidate.split("/");
      let score = 0;
      while (score < cparts.length && score < parts.length && cparts[cparts.length - 1 - score] === parts[parts.length - 1 - score]) score++;
      // One side must match entirely: the repo path is the tail of the report path, or the reverse.
      if (score !== cparts.length && score !== parts.length) continue;
      if (score > bestScore) {
        best = [candidate];
        bestScore = score;
      } else if (score === bestScore) {
        best.push(candidate);
      }
    }
    if (best.length === 1) return { path: best[0] as string, resolved: true, how: "suffix" };
    return { path: fallback, resolved: false, how: best.length > 1 ? "ambiguous" : "unresolved" };
  }

  const components = new Set((options.componentDirs ?? []).map((d) => d.replace(/\/+$/, "")));

  // Files share directories: each directory's package is found once (one entry per directory met).
  const packageByDir = new Map<string, string>();

  function packageOf(path: string): string {
    // No component and no manifest below the root (a report read outside its repository): all is ".".
    if (components.size === 0 && manifestDirs.size === 0) return ".";
    const start = posix.dirname(path);
    let pkg = packageByDir.get(start);
    if (pkg === undefined) {
      pkg = packageOfDir(start);
      packageByDir.set(start, pkg);
    }
    return pkg;
  }

  function packageOfDir(start: string): string {
    for (let dir = start; dir !== "." && dir !== "/" && dir !== ""; dir = posix.dirname(dir)) {
      if (components.has(dir)) return dir;
    }
    for (let dir = start; dir !== "." && dir !== "/" && dir !== ""; dir = posix.dirname(dir)) {
      if (manifestDirs.has(dir)) return dir;
    }
    return ".";
  }

  return { resolve, packageOf };
}

/** Report paths → POSIX: file:// URLs, backslashes, drive letters, duplicate slashes, ./ segments. */
export function cleanPath(path: string): string {
  let p = path.trim();
  if (p.startsWith("file://")) {
    try {
      p = decodeURIComponent(new URL(p).pathname);
    } catch {
      p = p.slice("file://".length);
    }
    if (/^\/[A-Za-z]:\//.test(p)) p = p.slice(1);
  }
  p = p.replace(/\\/g, "/").replace(/\/{2,}/g, "/");
  if (p.startsWith("./")) p = p.slice(2);
  return p;
}

/**
 * posix.normalize, without its work for the paths reports mostly hold (20 000 per big lcov): one with no
 * "." or ".." segment (no segment starts with a dot) and no empty one is already normal.
 */
export function normalizePosix(p: string): string {
  return p !== "" && p.charCodeAt(0) !== 46 /* . */ && !p.includes("/.") && !p.includes("//") ? p : posix.normalize(p);
}

/**
 * The last component that is neither empty nor "." (what bySuffix matches file names by), "" when there is
 * none; split into components only when the path ends in "/" or "/.".
 */
function baseName(clean: string): string {
  const base = clean.slice(clean.lastIndexOf("/") + 1);
  if (base !== "" && base !== ".") return base;
  const parts = clean.split("/").filter((p) => p !== "" && p !== ".");
  return parts[parts.length - 1] ?? "";
}

function isAbsolutePath(p: string): boolean {
  return p.startsWith("/") || /^[A-Za-z]:\//.test(p);
}

function toPosix(p: string): string {
  return sep === "/" ? p : p.split(sep).join("/");
}

/** Repository-relative POSIX directory of a file given relative to cwd or absolute. */
export function repoRelativeDir(root: string, file: string): string {
  const rel = relative(root, isAbsolute(file) ? file : join(process.cwd(), file));
  const dir = posix.dirname(toPosix(rel));
  return dir.startsWith("..") ? "." : dir;
}
