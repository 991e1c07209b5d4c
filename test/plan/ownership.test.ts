import { describe, expect, it } from "vitest";
import { checkOwnership } from "../../src/plan/ownership.js";
import type { CommitChange } from "../../src/plan/ownership.js";
import type { Plan, PlanAgent, PlanTask } from "../../src/plan/types.js";

const agent = (id: string, emails: string[], branch: string | null): PlanAgent => ({ id, kind: "cli", command: null, ratePerHour: null, capacity: 8, emails, branch });

function task(id: string, owner: string, files: string[], reads: string[] = []): PlanTask {
  return {
    id,
    title: id,
    phase: "build",
    priority: "P1",
    owner,
    estimate: { optimistic: 1, likely: 1, pessimistic: 1 },
    dependsOn: [],
    files,
    reads,
    deliverables: [],
    acceptance: null,
    readyWhen: null,
    tags: [],
  };
}

const plan: Plan = {
  version: 1,
  project: null,
  start: null,
  commitConvention: "[{task}] {summary}",
  agents: [
    agent("claude", ["claude@agents.dev"], "agent/claude/*"),
    agent("codex", [], "agent/codex/*"),
    agent("ann", ["Ann@Example.com"], null),
  ],
  phases: [{ id: "build", name: "Build", start: null, dependsOn: [] }],
  tasks: [
    task("api", "claude", ["src/api/**", "./src/shared/types.ts"]),
    task("web", "codex", ["src/web/**", "package.json"], ["docs/**"]),
    task("docs", "ann", ["docs/**", "src/shared/types.ts"]),
  ],
  risks: [],
  milestones: [],
};

const commit = (sha: string, email: string, branches: string[], files: string[]): CommitChange => ({ sha, email, branches, files });

describe("checkOwnership", () => {
  it("maps commits to agents by email, else by branch, and reports files outside their tasks", () => {
    const result = checkOwnership(plan, [
      commit("c1", "claude@agents.dev", ["main"], ["src/api/a.ts", "src/shared/types.ts", "package.json"]),
      // By branch; `reads` give no right to change a file.
      commit("c2", "bot@ci.example", ["main", "agent/codex/forms"], ["src/web/form.ts", "docs/guide.md"]),
      // Emails compare case-insensitively; a file nobody declares.
      commit("c3", "ann@example.com", [], ["docs/a.md", "README.md"]),
      // The email wins over the branch.
      commit("c4", "claude@agents.dev", ["agent/codex/x"], ["src/api/b.ts"]),
      commit("c5", "stranger@example.com", ["main", "feature/x"], ["src/api/a.ts"]),
    ]);
    expect(result.byAgent).toEqual({
      claude: { commits: 2, files: ["package.json", "src/api/a.ts", "src/api/b.ts", "src/shared/types.ts"] },
      codex: { commits: 1, files: ["docs/guide.md", "src/web/form.ts"] },
      ann: { commits: 1, files: ["README.md", "docs/a.md"] },
    });
    expect(result.unmapped.map((c) => c.sha)).toEqual(["c5"]);
    expect(result.violations).toEqual([
      { sha: "c1", agent: "claude", file: "package.json", owners: ["codex"] },
      { sha: "c2", agent: "codex", file: "docs/guide.md", owners: ["ann"] },
      { sha: "c3", agent: "ann", file: "README.md", owners: [] },
    ]);
  });

  it("matches a branch glob segment by segment", () => {
    const result = checkOwnership(plan, [commit("c1", "x@y", ["agent/claude/a/b"], ["src/api/a.ts"]), commit("c2", "x@y", ["agent/claude/a"], ["src/api/a.ts"])]);
    expect(result.unmapped.map((c) => c.sha)).toEqual(["c1"]);
    expect(result.byAgent.claude?.commits).toBe(1);
  });

  it("lists every agent, with no commits", () => {
    expect(checkOwnership(plan, [])).toEqual({
      byAgent: { claude: { commits: 0, files: [] }, codex: { commits: 0, files: [] }, ann: { commits: 0, files: [] } },
      unmapped: [],
      violations: [],
    });
  });
});
