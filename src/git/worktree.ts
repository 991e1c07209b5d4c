import { createHash } from "node:crypto";
import { appendFile, mkdir, open, readFile, realpath, rename, rm, stat } from "node:fs/promises";
import { hostname } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { ShipgateError } from "../errors.js";
import { gitOutput } from "./process.js";

/*
 * The git adapter for task worktrees (`shipgate run` in `workspace: worktree`). Every call goes through
 * process.ts. Decisions, once:
 * - Hooks never run (`core.hooksPath=/dev/null`, and `--no-verify` on commit): a project's pre-commit or
 *   post-checkout hook may be slow, interactive or network-bound, and would run once per attempt inside the
 *   dispatcher's serialized section. Acceptance and the gate check the work after the commit instead.
 * - shipgate's own commits are never signed (`commit.gpgsign=false`): a signing agent may ask for a passphrase
 *   with nobody at the terminal.
 * - Merges always create a merge commit (never a fast-forward), so the integration branch shows one commit
 *   per finished task, and no working tree is touched to find out whether a merge conflicts.
 */

const MODULE = "[run]";
// No optional locks: a status or diff never takes index.lock from under the user's own git.
// quotePath=false: non-ASCII names come out as UTF-8. gc.auto=0: a commit in one task's worktree must not start a
// background `git gc` that packs refs while another task's merge updates them (the user's own git still runs it).
const FLAGS = [
  "--no-optional-locks",
  ...["-c", "core.hooksPath=/dev/null", "-c", "core.quotePath=false", "-c", "commit.gpgsign=false"],
  ...["-c", "gc.auto=0", "-c", "maintenance.auto=false", "-c", "advice.detachedHead=false"],
];
/** The small outputs read here (a sha, a worktree list); a list over this is refused rather than held. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;
/** How often a call that met another process's `.lock` file is tried in all. */
const LOCK_ATTEMPTS = 6;
/** The random pause between those tries, in ms. */
const LOCK_PAUSE_MS = [40, 200] as const;
/** Who signs a merge when the caller names nobody and git has no identity configured. */
export const FALLBACK_AUTHOR: GitAuthor = { name: "shipgate", email: "shipgate@localhost" };
/** How often a merge starts again when the integration branch moved under it. */
const MERGE_ATTEMPTS = 5;

/** Who shipgate's commits name as author and committer (the git identity need not be configured). */
export interface GitAuthor {
  name: string;
  email: string;
}

export interface CreateTaskWorktreeOptions {
  /** The task id, any non-empty text (it is made safe for a path and a ref name, see `taskSlug`). */
  task: string;
  /** The run's id (the worktree's folder is `<task>-<run>`). */
  run: string | number;
  /** The branch the task starts from and merges into (e.g. `currentBranch(repo)`). */
  integration: string;
  /** The folder that holds the worktrees (created when missing), e.g. `<repo>/.shipgate/worktrees`. */
  parent: string;
}

export interface TaskWorktree {
  /** Absolute path of the new worktree. */
  path: string;
  /** `shipgate/<task>`, checked out in `path`. */
  branch: string;
  /** The integration branch's tip the branch starts at: the base of `changedFiles`. */
  base: string;
  /**
   * Where the previous attempt's work went when the branch held commits not in `base`:
   * `refs/shipgate/attempts/<task>/<run>` (named after the run that reset it); null when nothing was kept.
   */
  kept: string | null;
}

export interface CommitAllOptions {
  message: string;
  author: GitAuthor;
}

export interface CommitAllResult {
  /** Whether a commit was made (false: nothing had changed since the last commit, the agent's or the base). */
  committed: boolean;
  /** The worktree's HEAD after the call. */
  head: string;
  /**
   * The branch checked out in the worktree (`shipgate/<task>` unless the agent switched), null when detached:
   * only the task branch is merged, so work committed elsewhere would be lost.
   */
  branch: string | null;
}

export interface MergeTaskOptions {
  /** The branch that receives the task (`refs/heads/<integration>`). */
  integration: string;
  /** The task's branch, e.g. `shipgate/<task>`; kept whatever happens. */
  branch: string;
  /** The merge commit's message. */
  message: string;
  /** Author and committer of the merge commit; absent: git's configured identity, else `FALLBACK_AUTHOR`. */
  author?: GitAuthor;
}

export type MergeTaskResult =
  /** The integration branch now points at `commit` (a merge commit, or its old tip when the branch was merged already). */
  | { merged: true; commit: string }
  /** Nothing changed; `conflicts` lists the paths both sides changed, repository-relative, sorted. */
  | { merged: false; conflicts: string[] };

// ---------------------------------------------------------------------------------------------------------------
// Running git

interface RunOptions {
  env?: NodeJS.ProcessEnv;
  /** Exit codes that are answers rather than failures (e.g. 1 for "differs"). */
  ok?: readonly number[];
}

/** git's stderr made fit for a message: no `hint:` lines, no control characters, the first lines only. */
function describeStderr(stderr: string): string {
  const lines = stderr
    .split("\n")
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .map((line) => line.replace(/[\u0000-\u001f\u007f]/g, " ").trim())
    .filter((line) => line !== "" && !line.startsWith("hint:"));
  const text = lines.slice(0, 4).join(" / ");
  return text.length > 600 ? `${text.slice(0, 600)}…` : text;
}

const lockPause = () => sleep(LOCK_PAUSE_MS[0] + Math.random() * (LOCK_PAUSE_MS[1] - LOCK_PAUSE_MS[0]));

/** A `.lock` file of another git process (index.lock, a ref's lock, packed-refs.lock, config.lock). */
const isLockError = (stderr: string) => stderr.includes(".lock': File exists") || stderr.includes(".lock: File exists");

/**
 * Runs git in `cwd` and returns its exit code and stdout; rejects with GIT_FAILED when git exits with a code
 * not in `ok` (0 always is), after retrying a few times when the failure was another process's lock file.
 */
async function git(cwd: string, args: readonly string[], options: RunOptions = {}): Promise<{ code: number; stdout: string }> {
  for (let attempt = 1; ; attempt++) {
    const out = await gitOutput(cwd, args, { flags: FLAGS, module: MODULE, maxBytes: MAX_OUTPUT_BYTES, ...(options.env === undefined ? {} : { env: options.env }) });
    const code = out.code ?? -1;
    if (code !== 0 && isLockError(out.stderr) && attempt < LOCK_ATTEMPTS) {
      await lockPause();
      continue;
    }
    if (code === 0 || options.ok?.includes(code)) return { code, stdout: out.stdout };
    throw gitFailed(cwd, args, code, out.stderr);
  }
}

function gitFailed(cwd: string, args: readonly string[], code: number, stderr: string): ShipgateError {
  const what = `${MODULE} git ${args.slice(0, 2).join(" ")} failed in ${cwd} (exit ${code}): ${describeStderr(stderr) || "no message"}`;
  if (isLockError(stderr)) {
    return new ShipgateError("GIT_FAILED", what, { hint: "another git process holds the repository's lock: let it finish (or remove the stale .lock file it names) and try again" });
  }
  if (/not a git repository/i.test(stderr)) {
    return new ShipgateError("GIT_FAILED", what, { hint: "run shipgate inside a git checkout, or use `workspace: in-place`" });
  }
  return new ShipgateError("GIT_FAILED", what, { hint: "fix what git reports in that repository, then run the task again" });
}

/** The trimmed stdout of a git call that must succeed. */
const gitLine = async (cwd: string, args: readonly string[]) => (await git(cwd, args)).stdout.trim();

/** The commit a full ref names, or null when it does not exist. */
async function refCommit(cwd: string, ref: string): Promise<string | null> {
  const out = await git(cwd, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], { ok: [1] });
  return out.code === 0 ? out.stdout.trim() : null;
}

const isAncestor = async (cwd: string, a: string, b: string) => (await git(cwd, ["merge-base", "--is-ancestor", a, b], { ok: [1] })).code === 0;

/** `author` for both author and committer: the environment wins over any configuration, the user's included. */
function authorEnv(author: GitAuthor): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One repository-wide operation at a time per repository: a promise queue in this process, and a lock file in the
// repository's git directory across processes (two `shipgate worker`s on one checkout). Without them, one merge's
// `merge --ff-only` half done in the main checkout looks like the user's uncommitted changes to the other.

const repoKeys = new Map<string, Promise<string>>();
const queues = new Map<string, Promise<unknown>>();
/** The lock file, in the common git directory (git itself never uses this name). */
const LOCK_FILE = "shipgate-worktrees.lock";
/** How long a process waits for another's lock before it gives up. */
const LOCK_WAIT_MS = 5 * 60 * 1000;
/** A lock file without a readable owner older than this was left by a process that died while creating it. */
const UNREADABLE_LOCK_MS = 10_000;

/** The repository's common git directory, real path: the same for the main checkout and each linked worktree. */
function repoKey(repo: string): Promise<string> {
  const dir = resolve(repo);
  let key = repoKeys.get(dir);
  if (key === undefined) {
    key = commonDir(dir).then((common) => realpath(common).catch(() => common));
    key.catch(() => repoKeys.delete(dir));
    repoKeys.set(dir, key);
  }
  return key;
}

async function commonDir(repo: string): Promise<string> {
  return resolve(repo, await gitLine(repo, ["rev-parse", "--git-common-dir"]));
}

/** Runs `work` after every earlier operation on the same repository has settled, holding the repository's lock file. */
async function serialized<T>(repo: string, work: () => Promise<T>): Promise<T> {
  const key = await repoKey(repo);
  const locked = () => withLockFile(join(key, LOCK_FILE), work);
  const previous = queues.get(key) ?? Promise.resolve();
  const next = previous.then(locked, locked);
  const settled = next.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return next;
}

async function withLockFile<T>(file: string, work: () => Promise<T>): Promise<T> {
  const started = Date.now();
  for (;;) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(`${process.pid} ${hostname()}\n`).finally(() => handle.close());
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw new ShipgateError("GIT_FAILED", `${MODULE} cannot create ${file}: ${(error as Error).message}`, { hint: "make the repository's .git folder writable", cause: error });
      }
      const owner = await staleOwner(file);
      if (owner.stale) {
        // Moved aside rather than deleted: of two processes that found it stale, only one takes it.
        await rename(file, `${file}.${process.pid}.stale`).then(
          () => rm(`${file}.${process.pid}.stale`, { force: true }),
          () => undefined,
        );
        continue;
      }
      if (Date.now() - started > LOCK_WAIT_MS) {
        throw new ShipgateError("GIT_FAILED", `${MODULE} another shipgate process (${owner.text || "unknown"}) has held ${file} for over ${LOCK_WAIT_MS / 60_000} minutes`, {
          hint: `if no shipgate runs on this repository, delete ${file}`,
        });
      }
      await sleep(LOCK_PAUSE_MS[0] / 2 + Math.random() * LOCK_PAUSE_MS[0]);
    }
  }
  try {
    return await work();
  } finally {
    await rm(file, { force: true });
  }
}

/** Whether the lock file's owner is gone: a process of this host that no longer runs, or a file never completed. */
async function staleOwner(file: string): Promise<{ stale: boolean; text: string }> {
  const text = (await readFile(file, "utf8").catch(() => "")).trim();
  const [pid, host] = text.split(" ");
  if (pid === undefined || host === undefined || !/^\d+$/.test(pid)) {
    const info = await stat(file).catch(() => null);
    return { stale: info !== null && Date.now() - info.mtimeMs > UNREADABLE_LOCK_MS, text };
  }
  // Another host's process cannot be probed from here: its lock holds until it ends or is deleted.
  // Our own pid: a process before us that had it (this process's queue never takes the file twice).
  return { stale: host === hostname() && (Number(pid) === process.pid || !isAlive(Number(pid))), text };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Names

/**
 * A task id made safe as one path segment and one ref-name component: ASCII letters, digits, `.`, `_`, `-`,
 * at most 64 characters, not starting with `.` or `-`, not ending in `.lock`. An id that had to change gets
 * 8 hex digits of its sha-1 appended, so two ids never share a branch ("a b" → "a-b-1a2b3c4d", "a-b" → "a-b").
 */
export function taskSlug(task: string): string {
  const cleaned = task
    .replace(/[^A-Za-z0-9._-]+/g, "-")
    .replace(/\.{2,}/g, ".")
    .replace(/^[.-]+/, "")
    .slice(0, 64)
    .replace(/[.-]+$/, "")
    .replace(/\.lock$/i, "-lock");
  if (cleaned === task && cleaned !== "") return cleaned;
  const hash = createHash("sha1").update(task).digest("hex").slice(0, 8);
  return cleaned === "" ? hash : `${cleaned}-${hash}`;
}

/** The branch a task's attempts work on. */
export const taskBranch = (task: string) => `shipgate/${taskSlug(task)}`;

// ---------------------------------------------------------------------------------------------------------------
// Worktrees as git lists them

interface WorktreeEntry {
  path: string;
  /** `refs/heads/…`, or null (detached, bare). */
  branch: string | null;
  bare: boolean;
  /** Registered, but its folder is gone. */
  prunable: boolean;
}

async function listWorktrees(repo: string): Promise<WorktreeEntry[]> {
  const { stdout } = await git(repo, ["worktree", "list", "--porcelain", "-z"]);
  const entries: WorktreeEntry[] = [];
  let current: WorktreeEntry | null = null;
  for (const field of stdout.split("\0")) {
    if (field === "") {
      if (current !== null) entries.push(current);
      current = null;
    } else if (field.startsWith("worktree ")) {
      current = { path: field.slice("worktree ".length), branch: null, bare: false, prunable: false };
    } else if (current !== null) {
      if (field.startsWith("branch ")) current.branch = field.slice("branch ".length);
      else if (field === "bare") current.bare = true;
      else if (field === "prunable" || field.startsWith("prunable ")) current.prunable = true;
    }
  }
  if (current !== null) entries.push(current);
  return entries;
}

/** The real path of `path`, or of its nearest existing parent joined with the rest (for paths not created yet). */
async function realPathOf(path: string): Promise<string> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(await realPathOf(parent), basename(absolute));
  }
}

async function samePath(a: string, b: string): Promise<boolean> {
  return (await realPathOf(a)) === (await realPathOf(b));
}

const exists = (path: string) => stat(path).then(() => true, () => false);

// ---------------------------------------------------------------------------------------------------------------
// The operations

/** The branch checked out at `repo` (the default integration branch), or null on a detached HEAD. */
export async function currentBranch(repo: string): Promise<string | null> {
  const out = await git(repo, ["symbolic-ref", "--quiet", "--short", "HEAD"], { ok: [1] });
  return out.code === 0 ? out.stdout.trim() : null;
}

/**
 * Makes git ignore `pattern` (a gitignore pattern relative to the top of the checkout, default the store and
 * worktree folder `.shipgate/`) by appending it to the repository's `info/exclude` when `git check-ignore`
 * says it is not ignored yet. The user's `.gitignore` is never edited. Works from a linked worktree too (the
 * exclude file is the repository's, shared by all its worktrees). True when the pattern was appended.
 */
export async function ensureIgnored(repo: string, pattern = ".shipgate/"): Promise<boolean> {
  const top = await gitLine(repo, ["rev-parse", "--show-toplevel"]);
  const probe = pattern.replace(/^\/+/, "");
  const check = await git(top, ["check-ignore", "--quiet", "--no-index", "--", probe], { ok: [1] });
  if (check.code === 0) return false;
  const exclude = join(await commonDir(repo), "info", "exclude");
  await mkdir(dirname(exclude), { recursive: true });
  const before = await readFile(exclude, "utf8").catch(() => "");
  const separator = before === "" || before.endsWith("\n") ? "" : "\n";
  await appendFile(exclude, `${separator}# shipgate's store and task worktrees\n${pattern}\n`);
  return true;
}

/**
 * A new worktree at `<parent>/<task>-<run>` on branch `shipgate/<task>`, reset to the integration branch's
 * tip. A branch left by an earlier attempt is reset; commits of it not in the integration branch are kept
 * under `refs/shipgate/attempts/<task>/<run>` first. A worktree registered at the same path (a crashed run),
 * or a leftover of an earlier run of the task under `parent` holding the branch, is removed first; a folder
 * at the path that git does not know is deleted. Throws NOT_FOUND when the integration branch does not
 * exist, GIT_FAILED when the branch is checked out elsewhere (outside `parent`) or git fails.
 */
export async function createTaskWorktree(repo: string, options: CreateTaskWorktreeOptions): Promise<TaskWorktree> {
  if (options.task === "") throw new ShipgateError("USAGE", `${MODULE} a task id must not be empty`);
  const slug = taskSlug(options.task);
  const run = taskSlug(String(options.run));
  const branch = `shipgate/${slug}`;
  const parent = resolve(options.parent);
  const path = join(parent, `${slug}-${run}`);
  return serialized(repo, async () => {
    const base = await refCommit(repo, `refs/heads/${options.integration}`);
    if (base === null) {
      throw new ShipgateError("NOT_FOUND", `${MODULE} the integration branch "${options.integration}" does not exist in ${repo}`, {
        hint: "create it (commit at least once) or name an existing branch as the integration branch",
      });
    }

    // A crashed run leaves a worktree at this path, or one of an earlier run holding the branch (its folder
    // may be gone: `worktree remove` clears such a registration as well).
    for (const entry of await listWorktrees(repo)) {
      const here = await samePath(entry.path, path);
      if (!here && entry.branch !== `refs/heads/${branch}`) continue;
      if (!here && !(await samePath(dirname(entry.path), parent))) {
        throw new ShipgateError("GIT_FAILED", `${MODULE} branch ${branch} is checked out in ${entry.path}, outside shipgate's worktrees`, {
          hint: `switch that worktree to another branch (git -C ${entry.path} switch --detach) and run the task again`,
        });
      }
      await git(repo, ["worktree", "remove", "--force", "--force", entry.path]);
    }
    if (await exists(path)) await rm(path, { recursive: true, force: true });

    let kept: string | null = null;
    const previous = await refCommit(repo, `refs/heads/${branch}`);
    if (previous !== null && !(await isAncestor(repo, previous, base))) {
      kept = `refs/shipgate/attempts/${slug}/${run}`;
      await git(repo, ["update-ref", "-m", `shipgate: keep ${branch} before run ${run} resets it`, kept, previous]);
    }

    await mkdir(parent, { recursive: true });
    await git(repo, ["worktree", "add", "--quiet", "--no-track", "-B", branch, path, base]);
    return { path, branch, base, kept };
  });
}

/**
 * Commits every change in the worktree at `path` (`git add -A`: new, modified and deleted files, ignored
 * ones excepted) when there is any; nothing when the agent committed already or changed nothing. `author` is
 * author and committer, whatever git's configuration says (none need be configured). Hooks do not run (see
 * the top of this file): acceptance and the gate judge the work afterwards.
 */
export async function commitAll(path: string, options: CommitAllOptions): Promise<CommitAllResult> {
  await git(path, ["add", "--all", "--", "."]);
  const staged = await git(path, ["diff", "--cached", "--quiet", "--no-ext-diff"], { ok: [1] });
  let committed = false;
  if (staged.code === 1) {
    const message = options.message.trim() === "" ? "shipgate: task changes" : options.message;
    await git(path, ["commit", "--quiet", "--no-verify", "--no-gpg-sign", "--cleanup=verbatim", "-m", message], { env: authorEnv(options.author) });
    committed = true;
  }
  return { committed, head: await gitLine(path, ["rev-parse", "--verify", "HEAD"]), branch: await currentBranch(path) };
}

/**
 * Every path the worktree's HEAD changed since `base`: added, modified, deleted, and both the old and the new
 * name of a renamed file; repository-relative with `/`, in git's order (sorted bytewise), uncommitted changes
 * left out (call `commitAll` first).
 */
export async function changedFiles(path: string, base: string): Promise<string[]> {
  if (base.startsWith("-")) throw new ShipgateError("USAGE", `${MODULE} "${base}" is not a revision`);
  const { stdout } = await git(path, ["diff", "--name-only", "-z", "--no-renames", "--no-relative", "--no-ext-diff", "--no-textconv", base, "HEAD", "--"]);
  return stdout.split("\0").filter((file) => file !== "");
}

/**
 * Merges `branch` into `integration` with a two-parent commit, without a working tree: `git merge-tree
 * --write-tree` finds the tree or the conflicts, `commit-tree` writes the commit, and the branch moves by
 * compare-and-set (started again from the new tip, a few times, when it moved meanwhile). When `integration`
 * is checked out in a worktree (usually the main checkout), that worktree follows with `git merge --ff-only`;
 * it must have no uncommitted changes to tracked files, else GIT_FAILED and nothing changes. On a conflict
 * nothing changes and the conflicted paths are returned. `branch` is never deleted here.
 */
export function mergeTask(repo: string, options: MergeTaskOptions): Promise<MergeTaskResult> {
  const { integration, branch } = options;
  return serialized(repo, async () => {
    for (let attempt = 1; ; attempt++) {
      const old = await refCommit(repo, `refs/heads/${integration}`);
      if (old === null) throw new ShipgateError("NOT_FOUND", `${MODULE} the integration branch "${integration}" does not exist in ${repo}`);
      const theirs = await refCommit(repo, `refs/heads/${branch}`);
      if (theirs === null) throw new ShipgateError("NOT_FOUND", `${MODULE} the task branch "${branch}" does not exist in ${repo}`);

      if (await isAncestor(repo, theirs, old)) return { merged: true, commit: old };
      const checkout = await checkoutOf(repo, integration);
      if (checkout !== null) await assertClean(checkout, integration);

      const tree = await git(repo, ["merge-tree", "--write-tree", "--name-only", "--no-messages", "-z", old, theirs], { ok: [1] });
      const [treeId = "", ...paths] = tree.stdout.split("\0");
      if (tree.code === 1) return { merged: false, conflicts: [...new Set(paths.filter((file) => file !== ""))].sort() };

      const commit = await mergeCommit(repo, ["commit-tree", treeId, "-p", old, "-p", theirs, "-m", options.message], options.author);

      if (await advance(repo, checkout, integration, commit, old)) return { merged: true, commit };
      if (attempt >= MERGE_ATTEMPTS) {
        throw new ShipgateError("GIT_FAILED", `${MODULE} ${integration} kept moving while ${branch} was merged into it (${attempt} tries)`, {
          hint: "stop committing to it while shipgate runs, then run the task again",
        });
      }
    }
  });
}

/** `git commit-tree` as `author`; without one, as git's identity, or as `FALLBACK_AUTHOR` when none is configured. */
async function mergeCommit(repo: string, args: readonly string[], author: GitAuthor | undefined): Promise<string> {
  if (author !== undefined) return (await git(repo, args, { env: authorEnv(author) })).stdout.trim();
  const out = await gitOutput(repo, args, { flags: FLAGS, module: MODULE });
  if (out.code === 0) return out.stdout.trim();
  if (!/Please tell me who you are|unable to auto-detect email|empty ident name/i.test(out.stderr)) {
    return (await git(repo, args)).stdout.trim();
  }
  return (await git(repo, args, { env: authorEnv(FALLBACK_AUTHOR) })).stdout.trim();
}

/** The worktree that has `integration` checked out (its folder present), or null. */
async function checkoutOf(repo: string, integration: string): Promise<string | null> {
  const entry = (await listWorktrees(repo)).find((worktree) => worktree.branch === `refs/heads/${integration}` && !worktree.bare && !worktree.prunable);
  return entry?.path ?? null;
}

/**
 * Refuses (GIT_FAILED, saying what to do) when the checkout that has `integration` checked out holds uncommitted
 * changes to tracked files: every merge into it would be refused. For `shipgate run`, before anything is claimed.
 */
export async function assertIntegrationClean(repo: string, integration: string): Promise<void> {
  const checkout = await checkoutOf(repo, integration);
  if (checkout !== null) await assertClean(checkout, integration);
}

async function assertClean(checkout: string, integration: string): Promise<void> {
  const status = await git(checkout, ["status", "--porcelain", "--untracked-files=no", "--ignore-submodules=dirty"]);
  if (status.stdout.trim() === "") return;
  throw new ShipgateError("GIT_FAILED", `${MODULE} ${checkout} has uncommitted changes to tracked files: commit or stash your changes in ${checkout}; shipgate merges finished tasks into ${integration}`, {
    hint: `commit or stash your changes in ${checkout} (or run with an integration branch nobody has checked out)`,
  });
}

/**
 * Moves `integration` from `old` to `commit`: in its checkout with a fast-forward (so its files follow), else
 * by compare-and-set on the ref. False when the branch moved meanwhile (the caller starts again); a refusal for
 * another process's lock file is tried again a few times.
 */
async function advance(repo: string, checkout: string | null, integration: string, commit: string, old: string): Promise<boolean> {
  const ref = `refs/heads/${integration}`;
  const [cwd, args] =
    checkout === null
      ? [repo, ["update-ref", "-m", `shipgate: merge into ${integration}`, ref, commit, old]]
      : [checkout, ["merge", "--ff-only", "--quiet", "--no-stat", commit]];
  for (let attempt = 1; ; attempt++) {
    const out = await gitOutput(cwd, args, { flags: FLAGS, module: MODULE });
    if (out.code === 0) return true;
    if ((await refCommit(repo, ref)) !== old) return false;
    if (!isLockError(out.stderr) || attempt >= LOCK_ATTEMPTS) throw gitFailed(cwd, args, out.code ?? -1, out.stderr);
    await lockPause();
  }
}

/**
 * Removes the task worktree at `path` and its folder, even with uncommitted changes (`--force` twice: a locked
 * one too). A path already removed, or never a worktree, is no error (registrations whose folders are gone are
 * pruned then); a folder git does not know at `path` is left alone.
 */
export function removeTaskWorktree(repo: string, path: string): Promise<void> {
  return serialized(repo, async () => {
    const removed = await git(repo, ["worktree", "remove", "--force", "--force", resolve(path)], { ok: [128] });
    if (removed.code === 0) return;
    // Refused: not a worktree (any more), or a real failure, which the second try reports.
    await git(repo, ["worktree", "prune"]);
    if (await isRegistered(repo, path)) await git(repo, ["worktree", "remove", "--force", "--force", resolve(path)]);
  });
}

async function isRegistered(repo: string, path: string): Promise<boolean> {
  for (const entry of await listWorktrees(repo)) if (await samePath(entry.path, path)) return true;
  return false;
}

/**
 * Deletes `branch` when it is merged into `integration` (default: the branch checked out at `repo`, as
 * `git branch -d` judges) and no worktree has it checked out; otherwise (missing, not merged, checked out)
 * keeps it and says nothing: a kept branch is no error.
 */
export function deleteMergedBranch(repo: string, branch: string, integration?: string): Promise<void> {
  return serialized(repo, async () => {
    const ref = `refs/heads/${branch}`;
    const tip = await refCommit(repo, ref);
    const into = await refCommit(repo, integration === undefined ? "HEAD" : `refs/heads/${integration}`);
    if (tip === null || into === null || !(await isAncestor(repo, tip, into))) return;
    if ((await listWorktrees(repo)).some((worktree) => worktree.branch === ref)) return;
    await git(repo, ["update-ref", "-m", `shipgate: ${branch} merged into ${integration ?? "HEAD"}`, "-d", ref, tip]);
  });
}
