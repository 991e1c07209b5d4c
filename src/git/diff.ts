import { lstat, open } from "node:fs/promises";
import { join } from "node:path";
import { ShipgateError } from "../errors.js";
import { createUnifiedDiffParser } from "./unified-diff.js";
import { gitOutput as runGitOutput, spawnGit } from "./process.js";

// No optional locks: a background `git diff` must not take index.lock from under the user's own git.
// quotePath=false: non-ASCII names come out as UTF-8, not as octal escapes.
const GIT = ["--no-optional-locks", "-c", "core.quotePath=false"];

/** Longest line kept whole from git's stdout: paths are far shorter; only a content line's first character is read. */
const MAX_LINE_BYTES = 64 * 1024;
/** Untracked files read at once. */
const READ_CONCURRENCY = 16;
/** Git calls a file binary when a NUL byte appears in its first 8000 bytes (xdiff-interface.c). */
const BINARY_PROBE_BYTES = 8000;

/** Runs git in `cwd` without a shell, handing stdout chunks to `onStdout`; rejects only when git cannot start. */
const git = (cwd: string, args: string[], onStdout: (chunk: Buffer) => void) => spawnGit(cwd, args, onStdout, { flags: GIT, module: "[gate]" });

/** Runs git and returns its whole stdout (for small outputs). */
const gitOutput = (cwd: string, args: string[]) => runGitOutput(cwd, args, { flags: GIT, module: "[gate]" });

type Resolved = { sha: string } | { missing: true } | { failed: string };

async function revParse(root: string, ref: string, kind: "commit" | "tree" = "commit"): Promise<Resolved> {
  // No ref name starts with "-"; one that does would be read as an option.
  if (ref === "" || ref.startsWith("-")) return { missing: true };
  const out = await gitOutput(root, ["rev-parse", "--verify", "--quiet", `${ref}^{${kind}}`]);
  if (out.code === 0) return { sha: out.stdout.trim() };
  // --verify --quiet: exit 1 for "no such commit"; 128 for "not a repository" and the like.
  return out.code === 1 ? { missing: true } : { failed: out.stderr || `git rev-parse exited with ${out.code}` };
}

/**
 * The full commit sha a ref (branch, tag, sha, `HEAD~1`, `origin/main`) names at `root`, or null when
 * it names no commit or `root` is not in a git repository. Rejects only when git cannot start.
 */
export async function resolveRef(root: string, ref: string): Promise<string | null> {
  const resolved = await revParse(root, ref);
  return "sha" in resolved ? resolved.sha : null;
}

/**
 * The newest common ancestor of two commits: what a branch forked from, so that a diff from it holds
 * only the branch's own changes. Null when they share no history or git cannot tell.
 */
export async function mergeBase(root: string, a: string, b: string): Promise<string | null> {
  if (a.startsWith("-") || b.startsWith("-")) return null;
  const out = await gitOutput(root, ["merge-base", a, b]);
  return out.code === 0 ? out.stdout.trim() || null : null;
}

async function commitOf(root: string, ref: string, kind: "commit" | "tree" = "commit"): Promise<string> {
  const resolved = await revParse(root, ref, kind);
  if ("sha" in resolved) return resolved.sha;
  if ("missing" in resolved) {
    throw new ShipgateError("NOT_FOUND", `[gate] git cannot find revision "${ref}"`, {
      hint: "fetch it first (actions/checkout with fetch-depth: 0) or pick another baseline",
    });
  }
  if (/not a git repository/i.test(resolved.failed)) {
    throw new ShipgateError("GIT_FAILED", `[gate] ${root} is not in a git repository: changed lines cannot be counted`, {
      hint: "run shipgate inside the checkout, or drop the conditions on changed lines",
    });
  }
  throw new ShipgateError("GIT_FAILED", `[gate] git cannot read revision "${ref}": ${firstLine(resolved.failed)}`);
}

const firstLine = (text: string) => text.split("\n", 1)[0] ?? "";

/** Splits a byte stream at "\n", cutting lines at `MAX_LINE_BYTES` (git's content lines may be megabytes long). */
function lineSplitter(onLine: (line: string) => void): { write(chunk: Buffer): void; end(): void } {
  let parts: Buffer[] = [];
  let size = 0;
  const emit = () => {
    onLine(Buffer.concat(parts, size).toString("utf8"));
    parts = [];
    size = 0;
  };
  return {
    write(chunk) {
      let start = 0;
      for (;;) {
        const nl = chunk.indexOf(10, start);
        const end = nl === -1 ? chunk.length : nl;
        const take = Math.min(end - start, MAX_LINE_BYTES - size);
        if (take > 0) {
          parts.push(chunk.subarray(start, start + take));
          size += take;
        }
        if (nl === -1) return;
        emit();
        start = nl + 1;
      }
    },
    end() {
      if (size > 0) emit();
    },
  };
}

/**
 * Every line of an untracked file, as `git diff` would show it added: none for a binary file (a NUL
 * in the first 8000 bytes) or an empty one; one for a symbolic link (git stores its target).
 */
async function linesOfNewFile(file: string): Promise<number[]> {
  const info = await lstat(file).catch(() => null);
  // Gone since ls-files, or a directory (an untracked nested repository is listed as "dir/").
  if (info === null) return [];
  if (info.isSymbolicLink()) return [1];
  if (!info.isFile()) return [];
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(64 * 1024);
    let total = 0;
    let newlines = 0;
    let last = 10;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      if (total < BINARY_PROBE_BYTES && chunk.subarray(0, BINARY_PROBE_BYTES - total).includes(0)) return [];
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
      total += bytesRead;
      last = chunk[bytesRead - 1] as number;
    }
    const count = newlines + (last === 10 ? 0 : 1);
    return Array.from({ length: count }, (_, i) => i + 1);
  } finally {
    await handle.close();
  }
}

/** Untracked, not ignored files under `root`, relative to it. */
async function untrackedFiles(root: string): Promise<string[]> {
  const out = await gitOutput(root, ["ls-files", "--others", "--exclude-standard", "-z"]);
  if (out.code !== 0) throw new ShipgateError("GIT_FAILED", `[gate] git ls-files failed: ${firstLine(out.stderr)}`);
  return out.stdout.split("\0").filter((path) => path !== "");
}

/**
 * The lines added or modified since `base`, per path relative to `root` (which may be a sub-directory
 * of the repository; changes outside it are left out), numbered in the new file, sorted. `target` is
 * a revision or a tree (a snapshot's recorded working tree), or null for the working tree as it is now:
 * then staged and unstaged changes count, and untracked files that are not ignored count as entirely added. See `parseUnifiedDiff` for which files get an
 * entry. Throws NOT_FOUND when `base` or `target` names no commit, GIT_FAILED when git fails otherwise.
 */
export async function changedLines(root: string, base: string, target: string | null): Promise<Map<string, number[]>> {
  const from = await commitOf(root, base);
  const to = target === null ? null : await commitOf(root, target, "tree");

  const parser = createUnifiedDiffParser();
  const splitter = lineSplitter((line) => parser.push(line));
  const args = [
    "diff",
    "-U0",
    // A user's diff.interHunkContext would merge hunks and bring context lines back.
    "--inter-hunk-context=0",
    "--no-color",
    "--no-ext-diff",
    "--no-textconv",
    "--relative",
    "--src-prefix=a/",
    "--dst-prefix=b/",
    "-M",
    from,
    ...(to === null ? [] : [to]),
    "--",
  ];
  const exit = await git(root, args, (chunk) => splitter.write(chunk));
  if (exit.code !== 0) {
    throw new ShipgateError("GIT_FAILED", `[gate] git diff ${base}${target === null ? "" : ` ${target}`} failed: ${firstLine(exit.stderr)}`);
  }
  splitter.end();
  const changed = parser.finish();

  if (target === null) {
    const paths = await untrackedFiles(root);
    for (let i = 0; i < paths.length; i += READ_CONCURRENCY) {
      const batch = paths.slice(i, i + READ_CONCURRENCY);
      const lines = await Promise.all(batch.map((path) => linesOfNewFile(join(root, path))));
      batch.forEach((path, j) => changed.set(path, lines[j] ?? []));
    }
  }
  return changed;
}
