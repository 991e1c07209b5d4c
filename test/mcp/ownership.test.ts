import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { withStore } from "../../src/store/open-store.js";
import { call, connect, leaseOf, planProject, type Connected } from "./mcp-client.js";

const open: Connected[] = [];
async function server(cwd: string, args: string[] = ["--agent", "a"]): Promise<Connected> {
  const connected = await connect(cwd, args);
  open.push(connected);
  return connected;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

/** git in `dir`, as the agent would run it (author given: the machine need not have one configured). */
const git = (dir: string, ...args: string[]) =>
  execFileSync("git", ["-c", "user.name=agent", "-c", "user.email=agent@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });

/** A git repository holding the plan and a readme.md (task T2's file), all committed. */
function gitProject(tasks: string[], execution?: string): string {
  const dir = planProject(tasks, execution);
  writeFileSync(join(dir, "readme.md"), "# readme\n");
  git(dir, "init", "--quiet", "--initial-branch=main");
  git(dir, "add", ".");
  git(dir, "commit", "--quiet", "-m", "start");
  return dir;
}

const TASKS = [
  "id: T1, title: write a, owner: a, acceptance: 'test -f src/a.js', files: ['src/a.js', 'test/a.js']",
  "id: T2, title: the readme, owner: b, files: ['readme.md']",
  "id: T3, title: other, owner: a, files: ['lib/other.js']",
  "id: T0, title: old, owner: a, files: ['old.js']",
];

const runOf = (dir: string, id: number) => withStore(join(dir, ".shipgate/shipgate.db"), { mustExist: true }, async (store) => store.getRun(id));

function writeA(dir: string): void {
  mkdirSync(join(dir, "src"), { recursive: true });
  writeFileSync(join(dir, "src/a.js"), "export const a = 1;\n");
}

describe("shipgate mcp: complete_task checks the files changed against the task's", () => {
  it("regression: a change to another task's file passed complete_task; under enforce it fails naming the file, the lease is kept, and after the revert it is done", async () => {
    const dir = gitProject(TASKS);
    const { client } = await server(dir);
    // T0 done first: its file is no longer off-limits.
    const t0 = leaseOf(await call(client, "claim_task", { id: "T0" }));
    expect((await call(client, "complete_task", { run: t0.run, epoch: t0.epoch })).structured).toMatchObject({ verdict: "done", ownership: "passed" });

    const claim = await call(client, "claim_task", { id: "T1" });
    const lease = leaseOf(claim);
    const brief = claim.structured?.brief as string;
    // The rule of `shipgate run`'s brief: every task not done yet, this agent's own included.
    expect(brief).toContain("- Do not modify (tasks not done yet): `lib/other.js` a (T3); `readme.md` b (T2)");
    expect(brief).not.toContain("old.js");
    expect(brief).toContain("complete_task checks every file changed in this checkout since your claim, committed or not: a change outside your files fails complete_task until reverted");
    expect(brief).toContain("commit it (e.g. `[T1] write a`), then call complete_task");

    writeA(dir);
    writeFileSync(join(dir, "readme.md"), "# readme, edited by the wrong task\n");
    const refused = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(refused.isError).toBe(false);
    expect(refused.structured).toEqual({ verdict: "failed", task: "T1", state: "in_progress", ownership: "failed", outside: ["readme.md"], uncommitted: ["readme.md", "src/a.js"] });
    expect(refused.text).toBe(
      "T1: changed 1 file outside its files (src/a.js, test/a.js): readme.md (belongs to T2); the task stays yours (run 2, epoch 1): revert it (a committed change with a commit that restores the file) and call complete_task again, or fail_task.",
    );
    // The lease is kept: the run has not ended, and a heartbeat renews it.
    expect((await runOf(dir, lease.run))?.endedAt).toBeNull();
    expect((await call(client, "heartbeat", { run: lease.run, epoch: lease.epoch })).isError).toBe(false);

    git(dir, "checkout", "--", "readme.md");
    const done = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(done.structured).toMatchObject({ verdict: "done", state: "done", ownership: "passed", uncommitted: ["src/a.js"] });
    expect(done.structured?.outside).toBeUndefined();
    // Nothing is committed by shipgate: the result says what the agent left to commit, in the plan's convention.
    expect(done.text).toBe("T1 done (acceptance passed); not committed yet: src/a.js — commit it (e.g. `[T1] write a`)");
    expect(git(dir, "status", "--porcelain")).toBe("?? src/\n");
  });

  it("a change outside the task's files that the agent committed is caught too, and a commit restoring the file clears it", async () => {
    const dir = gitProject(TASKS);
    const { client } = await server(dir);
    const lease = leaseOf(await call(client, "claim_task", { id: "T1" }));
    writeA(dir);
    writeFileSync(join(dir, "readme.md"), "# readme, edited by the wrong task\n");
    git(dir, "add", ".");
    git(dir, "commit", "--quiet", "-m", "[T1] write a");
    const refused = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(refused.structured).toEqual({ verdict: "failed", task: "T1", state: "in_progress", ownership: "failed", outside: ["readme.md"] });
    expect(refused.text).toContain("readme.md (belongs to T2)");

    git(dir, "checkout", "HEAD~1", "--", "readme.md");
    git(dir, "commit", "--quiet", "-m", "[T1] leave the readme alone");
    const done = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(done.structured).toEqual({ verdict: "done", task: "T1", state: "done", ownership: "passed", acceptance: { command: "test -f src/a.js", exitCode: 0, timedOut: false, tail: "" } });
    expect(done.text).toBe("T1 done (acceptance passed)");
  });

  it("under execution.ownership: warn the task is done, with a warning naming the file", async () => {
    const dir = gitProject(TASKS, "ownership: warn");
    const { client } = await server(dir);
    const claim = await call(client, "claim_task", { id: "T1" });
    expect(claim.structured?.brief).toContain("a change outside your files is reported");
    const lease = leaseOf(claim);
    writeA(dir);
    writeFileSync(join(dir, "stray.txt"), "mine?\n");
    git(dir, "add", ".");
    git(dir, "commit", "--quiet", "-m", "[T1] write a");
    const done = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(done.structured).toMatchObject({ verdict: "done", state: "done", ownership: "warned", outside: ["stray.txt"] });
    expect(done.text).toBe("T1 done (acceptance passed); warning: changed 1 file outside its files (src/a.js, test/a.js): stray.txt");
    expect((await runOf(dir, lease.run))?.note).toBe("warning: changed 1 file outside its files (src/a.js, test/a.js): stray.txt");
  });

  it("after a restart the claim's commit is unknown: only uncommitted changes are checked, and the result says so", async () => {
    const dir = gitProject(TASKS);
    const first = await server(dir);
    const lease = leaseOf(await call(first.client, "claim_task", { id: "T1" }));
    await first.close();
    writeA(dir);
    writeFileSync(join(dir, "readme.md"), "# edited\n");
    const { client } = await server(dir);
    const refused = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(refused.structured).toMatchObject({ verdict: "failed", ownership: "failed", outside: ["readme.md"] });
    expect(refused.text).toContain("only uncommitted changes were checked: the server restarted since the claim, so the commit it started from is unknown");
    git(dir, "checkout", "--", "readme.md");
    const done = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(done.structured).toMatchObject({ verdict: "done", ownership: "passed" });
    expect(done.text).toContain("; only uncommitted changes were checked");
  });

  it("a project in a subfolder of the repository: paths are the plan's (relative to --cwd), a file above it is named /path", async () => {
    const repo = gitProject([]);
    const dir = join(repo, "pkg");
    mkdirSync(dir);
    writeFileSync(join(dir, "shipgate.plan.yaml"), readFileSync(join(repo, "shipgate.plan.yaml"), "utf8").replace("tasks:\n", `tasks:\n${TASKS.map((t) => `  - { phase: p, estimate: 1, ${t} }\n`).join("")}`));
    git(repo, "add", ".");
    git(repo, "commit", "--quiet", "-m", "pkg");
    const { client } = await server(dir);
    const lease = leaseOf(await call(client, "claim_task", { id: "T1" }));
    writeA(dir);
    writeFileSync(join(repo, "readme.md"), "# the repository's readme, not the package's\n");
    const refused = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(refused.structured).toMatchObject({ verdict: "failed", outside: ["/readme.md"], uncommitted: ["/readme.md", "src/a.js"] });
    git(repo, "checkout", "--", "readme.md");
    expect((await call(client, "complete_task", { run: lease.run, epoch: lease.epoch })).structured).toMatchObject({ verdict: "done", uncommitted: ["src/a.js"] });
  });

  it("outside a git repository ownership is not checked, and the brief and the result say so", async () => {
    const dir = planProject(TASKS);
    const { client } = await server(dir);
    const claim = await call(client, "claim_task", { id: "T1" });
    expect(claim.structured?.brief).toContain("- Not a git repository: complete_task cannot check which files you changed; keep to your files");
    const lease = leaseOf(claim);
    writeA(dir);
    writeFileSync(join(dir, "readme.md"), "# edited\n");
    const done = await call(client, "complete_task", { run: lease.run, epoch: lease.epoch });
    expect(done.structured).toMatchObject({ verdict: "done", ownership: "not-checked" });
    expect(done.structured?.outside).toBeUndefined();
    expect(done.text).toBe("T1 done (acceptance passed); ownership not checked: the server's directory is not in a git repository");
  });

  it("regression: `.shipgate/` showed in git status after shipgate mcp started; now it is ignored (info/exclude, not .gitignore)", async () => {
    const dir = gitProject(TASKS);
    const { client } = await server(dir);
    expect((await call(client, "status")).isError).toBe(false);
    expect(readFileSync(join(dir, ".shipgate/shipgate.db")).length).toBeGreaterThan(0);
    expect(git(dir, "status", "--porcelain", "--untracked-files=all")).toBe("");
    expect(readFileSync(join(dir, ".git/info/exclude"), "utf8")).toContain(".shipgate/\n");
  });

  it("a checkout left uncommitted before the claim: the brief says those files count as the task's", async () => {
    const dir = gitProject(TASKS);
    writeFileSync(join(dir, "readme.md"), "# left over\n");
    const { client } = await server(dir);
    const claim = await call(client, "claim_task", { id: "T1" });
    expect(claim.structured?.brief).toContain("- Uncommitted already when you claimed it (they count as your changes): `readme.md`");
  });
});
