import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readGitState } from "../../src/git/state.js";
import { scratchRepo } from "../scratch-repo.js";

describe("readGitState", () => {
  it("reads commit and branch of a clean checkout, with no tree", async () => {
    const repo = scratchRepo("git-state-");
    repo.write({ "a.txt": "a\n" });
    const commit = repo.commit("first");
    expect(await readGitState(repo.dir)).toEqual({ commit, branch: "main", dirty: false, tree: null });
  });

  it("records the working tree of a dirty checkout without touching the user's index", async () => {
    const repo = scratchRepo("git-state-");
    repo.write({ "a.txt": "a\n", "b.txt": "b\n" });
    const commit = repo.commit("first");
    repo.write({ "a.txt": "A\n", "untracked.txt": "u\n" });
    repo.git("add", "b.txt");
    const state = await readGitState(repo.dir);
    expect(state).toMatchObject({ commit, branch: "main", dirty: true });
    // The tree holds the edited a.txt; the untracked file is left out; the index still stages nothing.
    expect(repo.git("ls-tree", "--name-only", state.tree ?? "")).toBe("a.txt\nb.txt");
    expect(repo.git("cat-file", "-p", `${state.tree ?? ""}:a.txt`)).toBe("A");
    expect(repo.git("diff", "--cached", "--name-only")).toBe("");
  });

  it("names no branch on a detached HEAD", async () => {
    const repo = scratchRepo("git-state-");
    const commit = repo.commit("first");
    repo.git("checkout", "-q", "--detach");
    expect(await readGitState(repo.dir)).toMatchObject({ commit, branch: null, dirty: false });
  });

  it("is all nulls outside git", async () => {
    const outside = mkdtempSync(join(tmpdir(), "shipgate-no-git-"));
    try {
      expect(await readGitState(outside)).toEqual({ commit: null, branch: null, dirty: null, tree: null });
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
