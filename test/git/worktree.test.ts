import { execFile, execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { WorkspaceGit } from "../../src/app/run/types.js";
import { ShipgateError } from "../../src/errors.js";
import {
  changedFiles,
  commitAll,
  createTaskWorktree,
  currentBranch,
  deleteMergedBranch,
  ensureIgnored,
  mergeTask,
  removeTaskWorktree,
  taskSlug,
} from "../../src/git/worktree.js";
import { scratchRepo } from "../scratch-repo.js";

const author = { name: "shipgate", email: "shipgate@example.com" };
const identityEnv = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.com", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.com" };
const execFileAsync = promisify(execFile);

/** A repository on `main` with a.txt and one commit, and where its task worktrees go. */
function project() {
  const repo = scratchRepo("git-worktree-");
  repo.write({ "a.txt": "a\n", "keep.txt": "keep\n" });
  const first = repo.commit("first");
  const parent = join(repo.dir, ".shipgate", "worktrees");
  return { ...repo, first, parent };
}

/** Writes files into a worktree (any folder). */
function write(dir: string, files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

/** git in another folder (a task worktree), with the test identity. */
function gitIn(dir: string, ...args: string[]) {
  return execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false", ...args], {
    cwd: dir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

async function rejection(promise: Promise<unknown>): Promise<ShipgateError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ShipgateError);
  return error as ShipgateError;
}

// The dispatcher's port is this module, as it is.
const port: WorkspaceGit = { createTaskWorktree, commitAll, changedFiles, mergeTask, removeTaskWorktree, deleteMergedBranch };

describe("taskSlug", () => {
  it.each([
    ["auth-login", "auth-login"],
    ["T1.2_b", "T1.2_b"],
    ["a b", `a-b-${sha8("a b")}`],
    ["auth/login", `auth-login-${sha8("auth/login")}`],
    ["..x.lock", `x-lock-${sha8("..x.lock")}`],
    ["-rf", `rf-${sha8("-rf")}`],
    ["tâche é", `t-che-${sha8("tâche é")}`],
    ["日本", sha8("日本")],
  ])("%j → %j", (task, slug) => {
    expect(taskSlug(task)).toBe(slug);
    // Every slug is a valid branch component.
    expect(execFileSync("git", ["check-ref-format", `refs/heads/shipgate/${slug}`], { encoding: "utf8" })).toBe("");
  });
});

function sha8(text: string) {
  return createHash("sha1").update(text).digest("hex").slice(0, 8);
}

describe("currentBranch and ensureIgnored", () => {
  it("is the dispatcher's git port", () => {
    expect(Object.keys(port)).toHaveLength(6);
  });

  it("names the checked-out branch, null when detached", async () => {
    const repo = project();
    expect(await currentBranch(repo.dir)).toBe("main");
    repo.git("checkout", "-q", "--detach");
    expect(await currentBranch(repo.dir)).toBeNull();
  });

  it("adds .shipgate/ to info/exclude once, from a linked worktree too, never to .gitignore", async () => {
    const repo = project();
    repo.write({ ".gitignore": "node_modules/\n" });
    repo.commit("ignore");
    const linked = join(repo.dir, "..", `${repo.dir.split("/").pop() ?? ""}-linked`);
    repo.git("worktree", "add", "-q", "--detach", linked);
    try {
      expect(await ensureIgnored(linked)).toBe(true);
      expect(await ensureIgnored(repo.dir)).toBe(false);
      expect(readFileSync(join(repo.dir, ".git", "info", "exclude"), "utf8")).toMatch(/\n\.shipgate\/\n$/);
      expect(readFileSync(join(repo.dir, ".gitignore"), "utf8")).toBe("node_modules/\n");
      repo.write({ ".shipgate/store.db": "x" });
      expect(repo.git("status", "--porcelain")).toBe("");
    } finally {
      rmSync(linked, { recursive: true, force: true });
    }
  });

  it("leaves info/exclude alone when .gitignore already ignores the folder", async () => {
    const repo = project();
    repo.write({ ".gitignore": "/.shipgate\n" });
    expect(await ensureIgnored(repo.dir)).toBe(false);
  });
});

describe("createTaskWorktree", () => {
  it("checks out shipgate/<task> at the integration branch's tip in <parent>/<task>-<run>", async () => {
    const repo = project();
    const wt = await createTaskWorktree(repo.dir, { task: "auth login", run: 7, integration: "main", parent: repo.parent });
    expect(wt).toEqual({ path: join(repo.parent, `${taskSlug("auth login")}-7`), branch: `shipgate/${taskSlug("auth login")}`, base: repo.first, kept: null });
    expect(gitIn(wt.path, "symbolic-ref", "HEAD")).toBe(`refs/heads/${wt.branch}`);
    expect(gitIn(wt.path, "rev-parse", "HEAD")).toBe(repo.first);
    expect(readFileSync(join(wt.path, "a.txt"), "utf8")).toBe("a\n");
  });

  it("resets the branch of a failed attempt and keeps its tip under refs/shipgate/attempts/<task>/<run>", async () => {
    const repo = project();
    const first = await createTaskWorktree(repo.dir, { task: "t1", run: 1, integration: "main", parent: repo.parent });
    write(first.path, { "a.txt": "attempt 1\n" });
    const { head: failed } = await commitAll(first.path, { message: "attempt 1", author });
    await removeTaskWorktree(repo.dir, first.path);
    repo.write({ "main.txt": "moved on\n" });
    const tip = repo.commit("main moved");

    const second = await createTaskWorktree(repo.dir, { task: "t1", run: 2, integration: "main", parent: repo.parent });
    expect(second).toMatchObject({ branch: "shipgate/t1", base: tip, kept: "refs/shipgate/attempts/t1/2" });
    expect(repo.git("rev-parse", "shipgate/t1")).toBe(tip);
    expect(repo.git("rev-parse", "refs/shipgate/attempts/t1/2")).toBe(failed);
  });

  it("keeps nothing when the old branch holds no commit of its own", async () => {
    const repo = project();
    repo.git("branch", "shipgate/t1");
    const wt = await createTaskWorktree(repo.dir, { task: "t1", run: 2, integration: "main", parent: repo.parent });
    expect(wt.kept).toBeNull();
    expect(repo.git("for-each-ref", "refs/shipgate/")).toBe("");
  });

  it("replaces a stale worktree a crashed run left at the same path, dirty files and all", async () => {
    const repo = project();
    const crashed = await createTaskWorktree(repo.dir, { task: "t1", run: 3, integration: "main", parent: repo.parent });
    write(crashed.path, { "a.txt": "half done\n", "junk.txt": "junk\n" });
    const again = await createTaskWorktree(repo.dir, { task: "t1", run: 3, integration: "main", parent: repo.parent });
    expect(again.path).toBe(crashed.path);
    expect(readFileSync(join(again.path, "a.txt"), "utf8")).toBe("a\n");
    expect(existsSync(join(again.path, "junk.txt"))).toBe(false);
  });

  it("replaces a folder git no longer knows, and the worktree of an earlier run still holding the branch", async () => {
    const repo = project();
    const old = await createTaskWorktree(repo.dir, { task: "t1", run: 1, integration: "main", parent: repo.parent });
    // An unregistered leftover at the next run's path.
    write(join(repo.parent, "t1-2"), { "leftover.txt": "x\n" });
    const wt = await createTaskWorktree(repo.dir, { task: "t1", run: 2, integration: "main", parent: repo.parent });
    expect(existsSync(old.path)).toBe(false);
    expect(existsSync(join(wt.path, "leftover.txt"))).toBe(false);
    expect(gitIn(wt.path, "symbolic-ref", "--short", "HEAD")).toBe("shipgate/t1");
    expect(repo.git("worktree", "list", "--porcelain").match(/^worktree /gm)).toHaveLength(2);
  });

  it("fails with GIT_FAILED, git's message and what to do outside a git repository", async () => {
    const outside = mkdtempSync(join(tmpdir(), "shipgate-no-git-"));
    try {
      const error = await rejection(createTaskWorktree(outside, { task: "t1", run: 1, integration: "main", parent: join(outside, "wt") }));
      expect(error.code).toBe("GIT_FAILED");
      expect(error.message).toMatch(/^\[run\] git rev-parse --git-common-dir failed in .* \(exit 128\): fatal: not a git repository/);
      expect(error.hint).toContain("workspace: in-place");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it("refuses a missing integration branch with NOT_FOUND", async () => {
    const repo = project();
    const error = await rejection(createTaskWorktree(repo.dir, { task: "t1", run: 1, integration: "develop", parent: repo.parent }));
    expect(error.code).toBe("NOT_FOUND");
    expect(error.message).toContain('"develop"');
  });
});

describe("commitAll and changedFiles", () => {
  it("commits what the agent left uncommitted: added, modified, deleted", async () => {
    const repo = project();
    const wt = await createTaskWorktree(repo.dir, { task: "t1", run: 1, integration: "main", parent: repo.parent });
    write(wt.path, { "a.txt": "A\n", "new/b.txt": "b\n" });
    unlinkSync(join(wt.path, "keep.txt"));
    const result = await commitAll(wt.path, { message: "t1: done", author });
    expect(result.committed).toBe(true);
    expect(result.head).toBe(gitIn(wt.path, "rev-parse", "HEAD"));
    expect(gitIn(wt.path, "log", "-1", "--format=%an <%ae>|%cn|%s")).toBe("shipgate <shipgate@example.com>|shipgate|t1: done");
    expect(gitIn(wt.path, "status", "--porcelain")).toBe("");
    expect(await changedFiles(wt.path, wt.base)).toEqual(["a.txt", "keep.txt", "new/b.txt"]);
  });

  it("makes no commit when nothing changed", async () => {
    const repo = project();
    const wt = await createTaskWorktree(repo.dir, { task: "t1", run: 1, integration: "main", parent: repo.parent });
    expect(await commitAll(wt.path, { message: "t1", author })).toEqual({ committed: false, head: wt.base, branch: wt.branch });
    expect(await changedFiles(wt.path, wt.base)).toEqual([]);
  });

  it("keeps the agent's own commit and makes none when the agent committed everything", async () => {
    const repo = project();
    const wt = await createTaskWorktree(repo.dir, { task: "t1", run: 1, integration: "main", parent: repo.parent });
    write(wt.path, { "c.txt": "c\n" });
    gitIn(wt.path, "add", "c.txt");
    gitIn(wt.path, "commit", "-q", "-m", "agent's commit");
    const agents = gitIn(wt.path, "rev-parse", "HEAD");
    expect(await commitAll(wt.path, { message: "t1", author })).toEqual({ committed: false, head: agents, branch: wt.branch });
    expect(await changedFiles(wt.path, wt.base)).toEqual(["c.txt"]);
  });

  it("runs none of the project's hooks: a failing pre-commit, a post-checkout, a post-merge", async () => {
    const repo = project();
    const hooks = join(repo.dir, ".git", "hooks");
    const ran = join(repo.dir, "hook-ran.txt");
    for (const hook of ["post-checkout", "post-merge", "pre-commit"]) {
      writeFileSync(join(hooks, hook), `#!/bin/sh\necho ${hook} >> "${ran}"\nexit 1\n`, { mode: 0o755 });
    }
    const wt = await createTaskWorktree(repo.dir, { task: "t1", run: 1, integration: "main", parent: repo.parent });
    write(wt.path, { "b.txt": "b\n" });
    expect((await commitAll(wt.path, { message: "t1", author })).committed).toBe(true);
    expect((await mergeTask(repo.dir, { integration: "main", branch: wt.branch, message: "merge t1", author })).merged).toBe(true);
    expect(existsSync(ran)).toBe(false);
  });

  it("says that the agent left the task branch", async () => {
    const repo = project();
    const wt = await createTaskWorktree(repo.dir, { task: "t1", run: 1, integration: "main", parent: repo.parent });
    gitIn(wt.path, "switch", "-q", "-c", "elsewhere");
    write(wt.path, { "b.txt": "b\n" });
    expect(await commitAll(wt.path, { message: "t1", author })).toMatchObject({ committed: true, branch: "elsewhere" });
  });

  it("commits with no git identity configured anywhere (empty HOME, no system config)", async () => {
    const repo = project();
    const wt = await createTaskWorktree(repo.dir, { task: "t1", run: 1, integration: "main", parent: repo.parent });
    // Guessing an identity from the host name would hide a missing one: only configuration may count.
    repo.git("config", "user.useConfigOnly", "true");
    const home = mkdtempSync(join(tmpdir(), "shipgate-home-"));
    const saved = { ...process.env };
    Object.assign(process.env, { HOME: home, XDG_CONFIG_HOME: home, GIT_CONFIG_NOSYSTEM: "1" });
    for (const name of ["GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL", "GIT_CONFIG_GLOBAL"]) delete process.env[name];
    try {
      write(wt.path, { "a.txt": "A\n" });
      expect(() => execFileSync("git", ["commit", "-q", "-am", "x"], { cwd: wt.path, stdio: "pipe" })).toThrow(/identity|user\.email|Please tell me who you are/);
      const result = await commitAll(wt.path, { message: "t1", author });
      expect(result.committed).toBe(true);
      // The merge without an author: git has none, so shipgate signs it.
      const merged = await mergeTask(repo.dir, { integration: "main", branch: wt.branch, message: "merge t1" });
      expect(merged.merged).toBe(true);
    } finally {
      process.env = saved;
      rmSync(home, { recursive: true, force: true });
    }
    expect(repo.git("log", "-1", "--format=%an <%ae>|%cn", "main")).toBe("shipgate <shipgate@localhost>|shipgate");
    expect(repo.git("log", "-1", "--format=%an <%ae>", wt.branch)).toBe("shipgate <shipgate@example.com>");
  });

  it("lists both names of a renamed file, a name with a space and a unicode name, unquoted", async () => {
    const repo = project();
    repo.write({ "old name.txt": "some content that is long enough to be a rename\n".repeat(5) });
    repo.commit("more");
    const wt = await createTaskWorktree(repo.dir, { task: "t1", run: 1, integration: "main", parent: repo.parent });
    mkdirSync(join(wt.path, "dir"));
    gitIn(wt.path, "mv", "old name.txt", "dir/new name.txt");
    write(wt.path, { "é ü/naïve 文件.md": "x\n", "a.txt": "changed\n" });
    await commitAll(wt.path, { message: "t1", author });
    expect((await changedFiles(wt.path, wt.base)).sort()).toEqual(["a.txt", "dir/new name.txt", "old name.txt", "é ü/naïve 文件.md"].sort());
  });
});

describe("mergeTask", () => {
  async function finishedTask(repo: ReturnType<typeof project>, task: string, files: Record<string, string>) {
    const wt = await createTaskWorktree(repo.dir, { task, run: 1, integration: "main", parent: repo.parent });
    write(wt.path, files);
    await commitAll(wt.path, { message: `${task}: done`, author });
    return wt;
  }

  it("merges a clean task with a two-parent commit and brings the checked-out main worktree along", async () => {
    const repo = project();
    const wt = await finishedTask(repo, "t1", { "a.txt": "from t1\n", "b.txt": "b\n" });
    repo.write({ "untracked-note.txt": "mine\n" });
    const result = await mergeTask(repo.dir, { integration: "main", branch: wt.branch, message: "shipgate: merge t1", author });
    expect(result).toEqual({ merged: true, commit: repo.git("rev-parse", "main") });
    const [, ...parents] = repo.git("rev-list", "--parents", "-n", "1", "main").split(" ");
    expect(parents).toEqual([repo.first, repo.git("rev-parse", wt.branch)]);
    expect(repo.git("log", "-1", "--format=%s", "main")).toBe("shipgate: merge t1");
    expect(readFileSync(join(repo.dir, "a.txt"), "utf8")).toBe("from t1\n");
    expect(readFileSync(join(repo.dir, "b.txt"), "utf8")).toBe("b\n");
    expect(repo.git("status", "--porcelain", "--untracked-files=no")).toBe("");
    expect(readFileSync(join(repo.dir, "untracked-note.txt"), "utf8")).toBe("mine\n");
    // Merged: the branch may go now; the worktree first.
    await removeTaskWorktree(repo.dir, wt.path);
    await removeTaskWorktree(repo.dir, wt.path);
    expect(existsSync(wt.path)).toBe(false);
    // Without the integration branch named: merged into the checked-out branch, as `git branch -d` judges.
    await deleteMergedBranch(repo.dir, wt.branch);
    expect(repo.git("branch", "--list", wt.branch)).toBe("");
  });

  it("merges into a branch no worktree has checked out, by compare-and-set on the ref", async () => {
    const repo = project();
    repo.git("branch", "integration");
    const wt = await createTaskWorktree(repo.dir, { task: "t1", run: 1, integration: "integration", parent: repo.parent });
    write(wt.path, { "b.txt": "b\n" });
    await commitAll(wt.path, { message: "t1", author });
    // The main worktree, on main, is dirty: it is not the integration branch's, so it does not matter.
    repo.write({ "a.txt": "dirty\n" });
    const result = await mergeTask(repo.dir, { integration: "integration", branch: wt.branch, message: "merge t1", author });
    expect(result).toEqual({ merged: true, commit: repo.git("rev-parse", "integration") });
    expect(repo.git("rev-parse", "main")).toBe(repo.first);
    expect(repo.git("show", "integration:b.txt")).toBe("b");
  });

  it("reports the conflicted files and changes nothing, keeping the branch", async () => {
    const repo = project();
    const wt = await finishedTask(repo, "t1", { "a.txt": "from t1\n", "b.txt": "b\n", "k/x.txt": "t1\n" });
    repo.write({ "a.txt": "from main\n", "k/x.txt": "main\n" });
    const tip = repo.commit("main edits a.txt");
    const result = await mergeTask(repo.dir, { integration: "main", branch: wt.branch, message: "merge t1", author });
    expect(result).toEqual({ merged: false, conflicts: ["a.txt", "k/x.txt"] });
    expect(repo.git("rev-parse", "main")).toBe(tip);
    expect(repo.git("status", "--porcelain")).toBe("");
    expect(repo.git("rev-parse", wt.branch)).toBe(gitIn(wt.path, "rev-parse", "HEAD"));
    await deleteMergedBranch(repo.dir, wt.branch, "main");
    expect(repo.git("rev-parse", wt.branch)).toBe(gitIn(wt.path, "rev-parse", "HEAD"));
  });

  it("refuses with GIT_FAILED while the checked-out integration branch has uncommitted changes", async () => {
    const repo = project();
    const wt = await finishedTask(repo, "t1", { "b.txt": "b\n" });
    repo.write({ "keep.txt": "my edit\n" });
    const error = await rejection(mergeTask(repo.dir, { integration: "main", branch: wt.branch, message: "merge t1", author }));
    expect(error.code).toBe("GIT_FAILED");
    expect(error.message).toContain(`commit or stash your changes in ${repo.dir}; shipgate merges finished tasks into main`);
    expect(repo.git("rev-parse", "main")).toBe(repo.first);
    expect(readFileSync(join(repo.dir, "keep.txt"), "utf8")).toBe("my edit\n");
  });

  it("lands two merges started at the same time (one after the other)", async () => {
    const repo = project();
    const t1 = await finishedTask(repo, "t1", { "one.txt": "1\n" });
    const t2 = await finishedTask(repo, "t2", { "two.txt": "2\n" });
    const [r1, r2] = await Promise.all([
      mergeTask(repo.dir, { integration: "main", branch: t1.branch, message: "merge t1", author }),
      mergeTask(repo.dir, { integration: "main", branch: t2.branch, message: "merge t2", author }),
    ]);
    expect(r1.merged && r2.merged).toBe(true);
    expect(repo.git("log", "--format=%s", "--merges", "main").split("\n").sort()).toEqual(["merge t1", "merge t2"]);
    expect(readFileSync(join(repo.dir, "one.txt"), "utf8")).toBe("1\n");
    expect(readFileSync(join(repo.dir, "two.txt"), "utf8")).toBe("2\n");
    expect(repo.git("status", "--porcelain", "--untracked-files=no")).toBe("");
  });

  it("lands two merges that two processes start at the same time", async () => {
    const repo = project();
    const t1 = await finishedTask(repo, "t1", { "one.txt": "1\n" });
    const t2 = await finishedTask(repo, "t2", { "two.txt": "2\n" });
    // The built module (the test run builds dist/ first), in two node processes.
    const module = pathToFileURL(fileURLToPath(new URL("../../dist/git/worktree.js", import.meta.url))).href;
    // Both start at the same instant, whatever their start-up took.
    const script = `const { mergeTask } = await import(${JSON.stringify(module)});
      await new Promise((wait) => setTimeout(wait, Number(process.argv[3]) - Date.now()));
      const result = await mergeTask(process.argv[1], { integration: "main", branch: process.argv[2], message: "merge " + process.argv[2] });
      process.stdout.write(JSON.stringify(result));`;
    const startAt = String(Date.now() + 1000);
    const merge = (branch: string) => execFileAsync(process.execPath, ["--input-type=module", "-e", script, repo.dir, branch, startAt], { env: { ...process.env, ...identityEnv } });
    const results = await Promise.all([merge(t1.branch), merge(t2.branch)]);
    expect(results.map(({ stdout }) => (JSON.parse(stdout) as { merged: boolean }).merged)).toEqual([true, true]);
    expect(repo.git("log", "--format=%s", "--merges", "main").split("\n").sort()).toEqual(["merge shipgate/t1", "merge shipgate/t2"]);
    expect(repo.git("status", "--porcelain", "--untracked-files=no")).toBe("");
    expect(existsSync(join(repo.dir, ".git", "shipgate-worktrees.lock"))).toBe(false);
  });

  it("waits while another live process holds the lock file, and takes over one whose process is gone", async () => {
    const repo = project();
    const t1 = await finishedTask(repo, "t1", { "one.txt": "1\n" });
    const t2 = await finishedTask(repo, "t2", { "two.txt": "2\n" });
    const lock = join(repo.dir, ".git", "shipgate-worktrees.lock");
    const holder = spawn("sleep", ["30"], { stdio: "ignore" });
    writeFileSync(lock, `${holder.pid ?? 0} ${hostname()}\n`);
    let done = false;
    const merging = mergeTask(repo.dir, { integration: "main", branch: t1.branch, message: "merge t1", author }).finally(() => (done = true));
    await new Promise((wait) => setTimeout(wait, 300));
    expect(done).toBe(false);
    expect(repo.git("rev-parse", "main")).toBe(repo.first);
    holder.kill("SIGKILL");
    expect((await merging).merged).toBe(true);

    // A crashed process's lock (its pid ended) is taken over at once.
    const gone = spawnSync("true");
    writeFileSync(lock, `${gone.pid ?? 0} ${hostname()}\n`);
    expect((await mergeTask(repo.dir, { integration: "main", branch: t2.branch, message: "merge t2", author })).merged).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });

  it("waits for another process's index.lock instead of failing at once", async () => {
    const repo = project();
    const wt = await finishedTask(repo, "t1", { "b.txt": "b\n" });
    const lock = join(repo.dir, ".git", "index.lock");
    writeFileSync(lock, "");
    const released = new Promise<void>((done) =>
      setTimeout(() => {
        unlinkSync(lock);
        done();
      }, 100),
    );
    const result = await mergeTask(repo.dir, { integration: "main", branch: wt.branch, message: "merge t1", author });
    await released;
    expect(result.merged).toBe(true);
    expect(readFileSync(join(repo.dir, "b.txt"), "utf8")).toBe("b\n");
  });

  it("does nothing for a branch merged already", async () => {
    const repo = project();
    const wt = await createTaskWorktree(repo.dir, { task: "t1", run: 1, integration: "main", parent: repo.parent });
    expect(await mergeTask(repo.dir, { integration: "main", branch: wt.branch, message: "merge t1", author })).toEqual({ merged: true, commit: repo.first });
    expect(repo.git("rev-parse", "main")).toBe(repo.first);
  });
});
