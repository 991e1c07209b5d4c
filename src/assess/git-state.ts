import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { GitState } from "../store/types.js";

const run = promisify(execFile);

/** Commit, branch and dirtiness of the checkout at `cwd`; nulls outside git. */
export async function readGitState(cwd: string): Promise<GitState> {
  const git = async (...args: string[]) => (await run("git", args, { cwd, maxBuffer: 64 * 1024 * 1024 })).stdout.trim();
  try {
    const commit = await git("rev-parse", "HEAD");
    const branch = await git("rev-parse", "--abbrev-ref", "HEAD").catch(() => "");
    const status = await git("status", "--porcelain", "--untracked-files=no").catch(() => null);
    return { commit, branch: branch && branch !== "HEAD" ? branch : null, dirty: status === null ? null : status !== "" };
  } catch {
    return { commit: null, branch: null, dirty: null };
  }
}
