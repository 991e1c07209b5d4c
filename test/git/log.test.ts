import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { commitsSince } from "../../src/git/log.js";
import { ShipgateError } from "../../src/errors.js";
import { checkOwnership } from "../../src/plan/ownership.js";
import type { CommitChange } from "../../src/plan/ownership.js";
import type { Plan, PlanAgent, PlanTask } from "../../src/plan/types.js";
import { scratchRepo } from "../scratch-repo.js";

const agent = (id: string, emails: string[], branch: string | null): PlanAgent => ({ id, kind: "cli", command: null, ratePerHour: null, capacity: 8, emails, branch });
const task = (id: string, owner: string, files: string[]): PlanTask => ({
  id,
  title: id,
  phase: "build",
  priority: "P1",
  owner,
  estimate: { optimistic: 1, likely: 1, pessimistic: 1 },
  dependsOn: [],
  files,
  reads: [],
  deliverables: [],
  acceptance: null,
  readyWhen: null,
  tags: [],
});

/** By author and first file: commits made within one second have no reliable log order. */
const byAuthor = (commits: CommitChange[]) =>
  commits.map(({ email, branches, files }) => ({ email, branches, files })).sort((a, b) => (a.email + a.files[0] < b.email + b.files[0] ? -1 : 1));

describe("commitsSince", () => {
  let repo: ReturnType<typeof scratchRepo>;
  let shas: { claude: string; codex: string; ann: string };

  beforeAll(() => {
    repo = scratchRepo("git-log-");
    repo.write({ "src/api/a.ts": "a\n", "docs/old.md": "# old\n", "package.json": "{}\n" });
    repo.commit("base");
    repo.git("tag", "base");
    const as = (author: string, message: string) => {
      repo.git("add", "-A");
      repo.git("commit", "-q", `--author=${author}`, "-m", message);
      return repo.git("rev-parse", "HEAD");
    };
    // Claude: its own file, a new one with a non-ASCII name, and a foreign one.
    repo.write({ "src/api/a.ts": "a2\n", "src/api/é x.ts": "x\n", "package.json": '{"name":"x"}\n' });
    const claude = as("Claude <claude@agents.dev>", "[api] routes");
    // Codex, on its own branch, merged back with a merge commit (merges are left out).
    repo.git("checkout", "-q", "-b", "agent/codex/web");
    repo.write({ "src/web/w.ts": "w\n", "src/api/a.ts": "a3\n" });
    const codex = as("Codex <codex@bots.example>", "[web] form");
    repo.git("checkout", "-q", "main");
    repo.git("merge", "-q", "--no-ff", "-m", "merge web", "agent/codex/web");
    // Ann renames a document: both paths count.
    repo.git("mv", "docs/old.md", "docs/new.md");
    const ann = as("Ann <ann@example.com>", "[docs] rename");
    shas = { claude, codex, ann };
  });

  it("lists the commits since BASE with author, branches and paths from the repository root", async () => {
    const commits = await commitsSince(repo.dir, "base");
    expect(commits.map((c) => c.sha).sort()).toEqual(Object.values(shas).sort());
    expect(byAuthor(commits)).toEqual([
      { email: "ann@example.com", branches: ["main"], files: ["docs/new.md", "docs/old.md"] },
      { email: "claude@agents.dev", branches: ["main"], files: ["package.json", "src/api/a.ts", "src/api/é x.ts"] },
      // Merged from the agent's branch: named after it (by `git name-rev`).
      { email: "codex@bots.example", branches: ["agent/codex/web"], files: ["src/api/a.ts", "src/web/w.ts"] },
    ]);
    // From a sub-directory, paths are still relative to the repository root.
    expect(byAuthor(await commitsSince(join(repo.dir, "src"), "base"))).toEqual(byAuthor(commits));
    expect(await commitsSince(repo.dir, "HEAD")).toEqual([]);
  });

  it("feeds checkOwnership: by email, by branch, and the files outside each agent's tasks", async () => {
    const plan: Plan = {
      version: 1,
      project: null,
      start: null,
      commitConvention: "[{task}] {summary}",
      agents: [agent("claude", ["claude@agents.dev"], null), agent("codex", [], "agent/codex/*"), agent("ann", ["ann@example.com"], null)],
      phases: [{ id: "build", name: "Build", start: null, dependsOn: [] }],
      tasks: [task("api", "claude", ["src/api/**"]), task("web", "codex", ["src/web/**", "package.json"]), task("docs", "ann", ["docs/**"])],
      risks: [],
      milestones: [],
    };
    const result = checkOwnership(plan, await commitsSince(repo.dir, "base"));
    expect(result.unmapped).toEqual([]);
    expect(Object.fromEntries(Object.entries(result.byAgent).map(([id, a]) => [id, a.commits]))).toEqual({ claude: 1, codex: 1, ann: 1 });
    const bySha = (a: { sha: string }, b: { sha: string }) => (a.sha < b.sha ? -1 : 1);
    expect([...result.violations].sort(bySha)).toEqual(
      [
        { sha: shas.codex, agent: "codex", file: "src/api/a.ts", owners: ["claude"] },
        { sha: shas.claude, agent: "claude", file: "package.json", owners: ["codex"] },
      ].sort(bySha),
    );
  });

  it("says NOT_FOUND, with a hint to fetch it, for an unknown base", async () => {
    const error = await commitsSince(repo.dir, "origin/nope").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShipgateError);
    expect((error as ShipgateError).code).toBe("NOT_FOUND");
    expect((error as ShipgateError).message).toBe('[plan] git cannot find revision "origin/nope"');
    expect((error as ShipgateError).hint).toMatch(/^fetch it first/);
    await expect(commitsSince(repo.dir, "--all")).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("says GIT_FAILED outside a git repository", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-no-git-"));
    try {
      await expect(commitsSince(dir, "main")).rejects.toMatchObject({ code: "GIT_FAILED", message: `[plan] ${dir} is not in a git repository: commits cannot be read` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
