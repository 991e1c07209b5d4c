import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { ShipgateError } from "../errors.js";
import type { GitState } from "../snapshot/git-state.js";
import { gitOutput } from "./process.js";

/** Most bytes read from `git status` / `git add -u` (a checkout with that many changes records no tree). */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/** The default for the small outputs (a sha, a path). */
const MAX_SMALL_OUTPUT_BYTES = 1024 * 1024;

/** Git's trimmed stdout; rejects when git exits non-zero (the callers below fall back on any failure). */
async function git(cwd: string, args: string[], maxBytes = MAX_SMALL_OUTPUT_BYTES, env?: NodeJS.ProcessEnv): Promise<string> {
  const out = await gitOutput(cwd, args, { maxBytes, ...(env === undefined ? {} : { env }) });
  if (out.code !== 0) throw new ShipgateError("GIT_FAILED", `[git] git ${args.join(" ")} exited with ${out.code}: ${out.stderr}`);
  return out.stdout.trim();
}

/**
 * Commit, branch and dirtiness of the checkout at `cwd`; nulls outside git. With uncommitted changes to
 * tracked files, `tree` is the git tree of the working tree as it is, so that a gate can later count the
 * lines this snapshot changed, whatever happens to the checkout afterwards. Untracked files count
 * neither as dirty nor as changed (reports and build output usually are untracked; `git add` a new
 * source file to have it counted).
 */
export async function readGitState(cwd: string): Promise<GitState> {
  try {
    const commit = await git(cwd, ["rev-parse", "HEAD"], MAX_OUTPUT_BYTES);
    const branch = await git(cwd, ["rev-parse", "--abbrev-ref", "HEAD"], MAX_OUTPUT_BYTES).catch(() => "");
    const status = await git(cwd, ["status", "--porcelain", "--untracked-files=no"], MAX_OUTPUT_BYTES).catch(() => null);
    const dirty = status === null ? null : status !== "";
    const tree = dirty ? await workingTree(cwd) : null;
    return { commit, branch: branch && branch !== "HEAD" ? branch : null, dirty, tree };
  } catch {
    return { commit: null, branch: null, dirty: null, tree: null };
  }
}

/**
 * `git write-tree` of the tracked files as they are in the working tree, through a scratch copy of the
 * index so the user's index is never touched. It writes blob objects for the changed files; nothing
 * refers to them, and git's garbage collection removes them in time. Null when git refuses (a
 * read-only repository).
 */
async function workingTree(cwd: string): Promise<string | null> {
  const dir = await mkdtemp(join(tmpdir(), "shipgate-index-"));
  try {
    const top = await git(cwd, ["rev-parse", "--show-toplevel"]);
    const indexPath = await git(cwd, ["rev-parse", "--git-path", "index"]);
    const index = join(dir, "index");
    await copyFile(isAbsolute(indexPath) ? indexPath : join(cwd, indexPath), index).catch(() => undefined);
    const env = { ...process.env, GIT_INDEX_FILE: index };
    await git(top, ["add", "-u", "--", "."], MAX_OUTPUT_BYTES, env);
    return await git(top, ["write-tree"], MAX_SMALL_OUTPUT_BYTES, env);
  } catch {
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
