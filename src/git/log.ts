import { ShipgateError } from "../errors.js";
import type { CommitChange } from "../plan/ownership.js";
import { gitOutput } from "./process.js";

// No optional locks: a background `git log` must not take index.lock from under the user's own git.
// quotePath=false: non-ASCII names come out as UTF-8, not as octal escapes. No signature checks: their
// output would land in the log's.
const GIT = ["--no-optional-locks", "-c", "core.quotePath=false", "-c", "log.showSignature=false"];

/** `git name-rev` walks history from every branch once per call: worth it for a branch's worth of commits, not for thousands. */
const NAME_REV_MAX_COMMITS = 5000;
/** Commits named per `git name-rev` call (its arguments stay far below any command-line limit). */
const NAME_REV_BATCH = 1000;

// Separators in the --format: a record starts with RS, the sha and the email are split by US.
const RS = "\x1e";
const US = "\x1f";

/**
 * The commits on HEAD since `base` (`git log --no-merges BASE..HEAD`, newest first) with their author
 * email (after .mailmap) and the paths each added, modified or deleted, relative to the repository
 * root whatever sub-directory `root` is; a rename counts as its old path and its new one.
 *
 * Branches: the branch a commit was made on, as far as git can tell (it does not record it, and
 * `git branch --contains` per commit is both slow and wrong: an agent's branch contains every commit
 * of main it forked from). A commit on HEAD's first-parent chain gets the current branch (none on a
 * detached HEAD); one brought in by a merge gets the branch `git name-rev` names it after — the
 * nearest local or remote-tracking branch holding it, without its remote (`origin/agent/x` → `agent/x`),
 * which is the merged branch while it still exists — for up to `NAME_REV_MAX_COMMITS` such commits
 * (name-rev walks history once per call), else the current branch.
 *
 * Throws NOT_FOUND when `base` names no commit, GIT_FAILED when `root` is not in a git repository or git fails.
 */
export async function commitsSince(root: string, base: string): Promise<CommitChange[]> {
  const top = await toplevel(root);
  const from = await commitOf(top, base);

  const log = await git(top, ["log", "--no-merges", "--no-renames", "--name-only", "-z", `--format=${RS}%H${US}%aE`, `${from}..HEAD`, "--"]);
  if (log.code !== 0) throw new ShipgateError("GIT_FAILED", `[plan] git log ${base}..HEAD failed: ${firstLine(log.stderr)}`);
  const commits = parseLog(log.stdout);

  // Made on this branch (its first-parent chain) or brought in by a merge.
  const chain = await git(top, ["rev-list", "--first-parent", `${from}..HEAD`]);
  const onBranch = new Set(chain.code === 0 ? chain.stdout.split("\n").filter((line) => line !== "") : []);
  const merged = commits.filter((c) => !onBranch.has(c.sha)).map((c) => c.sha);
  const named = merged.length <= NAME_REV_MAX_COMMITS ? await branchNames(top, merged) : new Map<string, string>();
  const current = await git(top, ["rev-parse", "--abbrev-ref", "HEAD"]);
  const branch = current.code === 0 && current.stdout.trim() !== "HEAD" ? current.stdout.trim() : "";
  for (const commit of commits) {
    const name = onBranch.has(commit.sha) ? branch : (named.get(commit.sha) ?? branch);
    commit.branches = name === "" ? [] : [name];
  }
  return commits;
}

/** Parses `git log -z --name-only --format=RS%H US%aE`: a NUL ends each header and each path; paths follow their header after a newline. */
function parseLog(output: string): CommitChange[] {
  const commits: CommitChange[] = [];
  let current: CommitChange | undefined;
  for (let token of output.split("\0")) {
    if (token.startsWith("\n")) token = token.slice(1);
    if (token.startsWith(RS)) {
      const [sha = "", email = ""] = token.slice(1).split(US);
      current = { sha, email, branches: [], files: [] };
      commits.push(current);
    } else if (token !== "" && current !== undefined) {
      current.files.push(token);
    }
  }
  return commits;
}

/** The branch `git name-rev` names each commit after, per sha; commits it cannot name are left out. */
async function branchNames(top: string, shas: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let i = 0; i < shas.length; i += NAME_REV_BATCH) {
    const batch = shas.slice(i, i + NAME_REV_BATCH);
    const out = await git(top, ["name-rev", "--name-only", "--refs=refs/heads/*", "--refs=refs/remotes/*", "--exclude=refs/remotes/*/HEAD", ...batch]);
    // Branch names are a nicety: without them commits are still mapped by email and current branch.
    if (out.code !== 0) return names;
    out.stdout.split("\n").forEach((line, j) => {
      const sha = batch[j];
      const name = line.trim();
      if (sha === undefined || name === "" || name === "undefined") return;
      // "agent/x~2", "agent/x^2~1": the branch is what precedes the first ~ or ^ (neither may appear in a branch name).
      names.set(sha, name.replace(/[~^].*$/, "").replace(/^remotes\/[^/]+\//, ""));
    });
  }
  return names;
}

async function toplevel(root: string): Promise<string> {
  const out = await git(root, ["rev-parse", "--show-toplevel"]);
  if (out.code === 0 && out.stdout.trim() !== "") return out.stdout.trim();
  throw new ShipgateError("GIT_FAILED", `[plan] ${root} is not in a git repository: commits cannot be read`, {
    hint: "run it inside the checkout, or compare without git history",
  });
}

async function commitOf(top: string, ref: string): Promise<string> {
  // No ref name starts with "-"; one that does would be read as an option.
  const out = ref === "" || ref.startsWith("-") ? null : await git(top, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (out !== null && out.code === 0) return out.stdout.trim();
  // --verify --quiet: exit 1 for "no such commit"; anything else is git failing.
  if (out === null || out.code === 1) {
    throw new ShipgateError("NOT_FOUND", `[plan] git cannot find revision "${ref}"`, {
      hint: `fetch it first (git fetch origin ${ref || "<branch>"}; in CI, actions/checkout with fetch-depth: 0) or name another base`,
    });
  }
  throw new ShipgateError("GIT_FAILED", `[plan] git cannot read revision "${ref}": ${firstLine(out.stderr)}`);
}

const firstLine = (text: string) => text.trim().split("\n", 1)[0] ?? "";

/** Runs git in `cwd` without a shell; rejects only when git cannot start. */
const git = (cwd: string, args: string[]) => gitOutput(cwd, args, { flags: GIT, module: "[plan]" });
