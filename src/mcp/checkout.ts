// The git checkout an MCP server works in (its --cwd): the commit checked out when a task is claimed, and what changed
// since, for complete_task's ownership check. Unlike `shipgate run`, nothing here commits: the agent owns its checkout.
import { realpath } from "node:fs/promises";
import { relative } from "node:path";
import { ShipgateError } from "../errors.js";
import { gitOutput, gitTopLevel } from "../git/process.js";
import { projectPath } from "../plan/task-files.js";
import { changedFiles, ensureIgnored } from "../git/worktree.js";

const MODULE = "[mcp]";
/** No optional locks: reading the status must not take index.lock from under the agent's own git. */
const FLAGS = ["--no-optional-locks", "-c", "core.quotePath=false"];
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/** What changed in the checkout, as paths relative to the server's --cwd (`/path` for a file of the repository outside it). */
export interface CheckoutChanges {
  /** Changed by commits since the claim's commit (added, modified, deleted); empty when that commit is not known. */
  committed: string[];
  /** Not committed: staged, unstaged, deleted, and untracked files git does not ignore. */
  uncommitted: string[];
}

/** The checkout complete_task checks; absent (outside git) ownership is not checked. */
export interface McpCheckout {
  /** The commit checked out now; null when the branch has no commit yet. */
  head(): Promise<string | null>;
  /**
   * What changed since `base` (a commit `head()` returned). `null`: the branch had no commit then (every committed file
   * counts). `undefined`: not known (the server restarted since the claim): only uncommitted changes are listed.
   */
  changes(base: string | null | undefined): Promise<CheckoutChanges>;
}

async function git(cwd: string, args: readonly string[], ok: readonly number[] = []): Promise<{ code: number; stdout: string }> {
  const out = await gitOutput(cwd, args, { flags: FLAGS, module: MODULE, maxBytes: MAX_OUTPUT_BYTES });
  const code = out.code ?? -1;
  if (code !== 0 && !ok.includes(code)) throw new ShipgateError("GIT_FAILED", `${MODULE} git ${args[0] ?? ""} failed in ${cwd}: ${out.stderr || `exit ${code}`}`);
  return { code, stdout: out.stdout };
}

/**
 * Paths of `git status --porcelain -z --no-renames --untracked-files=all`: each entry is `XY path` (repository-relative;
 * renames come as a deletion and an addition), untracked files one by one, ignored ones left out.
 */
export function parsePorcelainZ(stdout: string): string[] {
  const paths: string[] = [];
  for (const entry of stdout.split("\0")) if (entry.length > 3) paths.push(entry.slice(3));
  return [...new Set(paths)];
}

/**
 * The checkout at `cwd`, or null when `cwd` is in no git work tree (or git cannot run). Makes git ignore `.shipgate/`
 * (the store's folder) first, so that it never shows as a change — in `git status` or in the ownership check.
 */
export async function openCheckout(cwd: string): Promise<McpCheckout | null> {
  const repo = await gitTopLevel(cwd);
  if (repo === null) return null;
  await ensureIgnored(repo, ".shipgate/");
  // Paths as the plan writes them: relative to the project root (--cwd), `/path` for the rest of the repository.
  const prefix = relative(repo, await realpath(cwd)).split("\\").join("/");
  const local = (f: string) => projectPath(f, prefix);
  const head = async () => {
    const out = await git(repo, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"], [1]);
    return out.code === 0 ? out.stdout.trim() : null;
  };
  return {
    head,
    async changes(base) {
      const now = await head();
      let committed: string[] = [];
      if (base !== undefined && now !== null && base !== now) {
        committed =
          base === null
            ? (await git(repo, ["ls-tree", "-r", "-z", "--name-only", "--full-tree", "HEAD"])).stdout.split("\0").filter(Boolean)
            : await changedFiles(repo, base);
      }
      const status = await git(repo, ["status", "--porcelain", "-z", "--no-renames", "--untracked-files=all", "--ignore-submodules=dirty"]);
      return { committed: committed.map(local), uncommitted: parsePorcelainZ(status.stdout).map(local) };
    },
  };
}
