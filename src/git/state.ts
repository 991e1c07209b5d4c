import { execFile } from "node:child_process";
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join } from "node:path";
import { promisify } from "node:util";
import type { GitState } from "../store/types.js";

const run = promisify(execFile);

/**
 * Commit, branch and dirtiness of the checkout at `cwd`; nulls outside git. With uncommitted changes to
 * tracked files, `tree` is the git tree of the working tree as it is, so that a gate can later count the
 * lines this snapshot changed, whatever happens to the checkout afterwards. Untracked files count
 * neither as dirty nor as changed (reports and build output usually are untracked; `git add` a new
 * source file to have it counted).
 */
export async function readGitState(cwd: string): Promise<GitState> {
  const git = async (...args: string[]) => (await run("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
  try {
    const commit = await git("rev-parse", "HEAD");
    const branch = await git("rev-parse", "--abbrev-ref", "HEAD").catch(() => "");
    const status = await git("status", "--porcelain", "--untracked-files=no").catch(() => null);
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
    const top = (await run("git", ["rev-parse", "--show-toplevel"], { cwd })).stdout.trim();
    const indexPath = (await run("git", ["rev-parse", "--git-path", "index"], { cwd })).stdout.trim();
    const index = join(dir, "index");
    await copyFile(isAbsolute(indexPath) ? indexPath : join(cwd, indexPath), index).catch(() => undefined);
    const env = { ...process.env, GIT_INDEX_FILE: index };
    await run("git", ["add", "-u", "--", "."], { cwd: top, env, maxBuffer: 64 * 1024 * 1024 });
    return (await run("git", ["write-tree"], { cwd: top, env })).stdout.trim();
  } catch {
    return null;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
