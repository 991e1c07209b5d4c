import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { changedLines, mergeBase, resolveRef } from "../../src/git/diff.js";
import { ShipgateError } from "../../src/errors.js";
import { scratchRepo } from "../scratch-repo.js";

const text = (...rows: string[]) => rows.map((r) => `${r}\n`).join("");
const asObject = (map: Map<string, number[]>) => Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : 1)));

describe("changedLines", () => {
  let repo: ReturnType<typeof scratchRepo>;
  let first: string;

  beforeAll(() => {
    repo = scratchRepo("git-diff-");
    repo.write({
      ".gitignore": "*.log\n",
      "src/a.ts": text("a1", "a2", "a3"),
      "src/b.ts": text("b1", "b2"),
      "pkg/src/c.ts": text("c1", "c2"),
      "pkg/README.md": text("# pkg"),
      "docs/guide.md": text("# guide"),
    });
    first = repo.commit("first");
    repo.git("tag", "-a", "-m", "v1", "v1");
    repo.write({
      "src/a.ts": text("a1", "A2", "a3", "a4"),
      "pkg/src/c.ts": text("c1", "c2", "c3"),
      "docs/guide.md": text("# guide", "more"),
    });
    repo.commit("second");
    repo.git("branch", "release");
  });

  it("counts the lines changed between two commits", async () => {
    expect(asObject(await changedLines(repo.dir, "v1", "HEAD"))).toEqual({
      "docs/guide.md": [2],
      "pkg/src/c.ts": [3],
      "src/a.ts": [2, 4],
    });
  });

  it("counts staged, unstaged and untracked (not ignored) changes of the working tree", async () => {
    const wt = scratchRepo("git-diff-wt-");
    wt.write({ ".gitignore": "*.log\n", "src/a.ts": text("a1", "a2"), "src/b.ts": text("b1") });
    wt.commit("first");
    wt.write({ "src/a.ts": text("a1", "a2", "a3") });
    wt.git("add", "src/a.ts");
    wt.write({
      "src/a.ts": text("A1", "a2", "a3"),
      "src/b.ts": text("b1", "b2"),
      "src/new.ts": "n1\nn2\nn3",
      "src/empty.ts": "",
      "src/blob.bin": Buffer.from([1, 0, 2, 10]),
      "src/new dir/é x.ts": text("x"),
      "debug.log": text("ignored"),
    });
    expect(asObject(await changedLines(wt.dir, "HEAD", null))).toEqual({
      "src/a.ts": [1, 3],
      "src/b.ts": [2],
      "src/blob.bin": [],
      "src/empty.ts": [],
      "src/new dir/é x.ts": [1],
      "src/new.ts": [1, 2, 3],
    });
  });

  it("gives paths relative to a root below the repository's top, leaving out changes outside it", async () => {
    const wt = scratchRepo("git-diff-sub-");
    wt.write({ "pkg/src/c.ts": text("c1"), "other/d.ts": text("d1"), "pkg/moved.ts": text("moved", "as is") });
    wt.commit("first");
    wt.write({ "pkg/src/c.ts": text("c1", "c2"), "other/d.ts": text("d1", "d2"), "pkg/new.ts": text("n1"), "other/new.ts": text("o1") });
    // Moved in from outside the root: inside it, it is a new file.
    wt.git("mv", "pkg/moved.ts", "other/moved.ts");
    wt.git("mv", "other/d.ts", "pkg/d.ts");
    expect(asObject(await changedLines(join(wt.dir, "pkg"), "HEAD", null))).toEqual({
      "d.ts": [1, 2],
      "new.ts": [1],
      "src/c.ts": [2],
    });
  });

  it("leaves a pure rename with no added lines", async () => {
    const wt = scratchRepo("git-diff-mv-");
    wt.write({ "old.ts": text("one", "two", "three") });
    wt.commit("first");
    wt.git("mv", "old.ts", "new.ts");
    wt.commit("rename");
    expect(asObject(await changedLines(wt.dir, "HEAD~1", "HEAD"))).toEqual({ "new.ts": [] });
  });

  it("rejects an unknown baseline with NOT_FOUND and says how to fetch it", async () => {
    const error = await changedLines(repo.dir, "origin/main", null).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ShipgateError);
    expect(error).toMatchObject({ code: "NOT_FOUND" });
    expect((error as ShipgateError).message).toMatchInlineSnapshot(`"[gate] git cannot find revision "origin/main""`);
    expect((error as ShipgateError).hint).toMatchInlineSnapshot(`"fetch it first (actions/checkout with fetch-depth: 0) or pick another baseline"`);
  });

  it("rejects an unknown target and an option-like ref with NOT_FOUND", async () => {
    await expect(changedLines(repo.dir, "HEAD", "no-such-branch")).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(changedLines(repo.dir, "--output=/tmp/x", null)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("rejects a directory outside any repository with GIT_FAILED", async () => {
    const outside = mkdtempSync(join(tmpdir(), "shipgate-no-git-"));
    try {
      const error = await changedLines(outside, "HEAD", null).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "GIT_FAILED" });
      expect((error as ShipgateError).message).toContain("is not in a git repository");
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  describe("resolveRef", () => {
    // Functions: the shas exist only once beforeAll has run.
    it.each<[string, () => string, () => string]>([
      ["a branch", () => "release", () => repo.git("rev-parse", "HEAD")],
      ["an annotated tag (peeled to its commit)", () => "v1", () => first],
      ["HEAD~1", () => "HEAD~1", () => first],
      ["a short sha", () => first.slice(0, 7), () => first],
    ])("resolves %s to the full commit sha", async (_title, ref, expected) => {
      expect(await resolveRef(repo.dir, ref())).toBe(expected());
    });

    it.each([["no-such-ref"], ["HEAD~99"], ["HEAD:src/a.ts"], ["-h"], [""]])("returns null for %j", async (ref) => {
      expect(await resolveRef(repo.dir, ref)).toBeNull();
    });

    it("returns null outside a git repository", async () => {
      const outside = mkdtempSync(join(tmpdir(), "shipgate-no-git-"));
      try {
        expect(await resolveRef(outside, "HEAD")).toBeNull();
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    });
  });
});

describe("mergeBase and recorded trees", () => {
  it("regression: a branch's changes are counted from where it forked, not from the tip of main", async () => {
    const repo = scratchRepo("git-merge-base-");
    repo.write({ "src/a.ts": text("a1", "a2", "a3") });
    const fork = repo.commit("first");
    repo.git("checkout", "-q", "-b", "feature");
    repo.write({ "src/b.ts": text("b1") });
    const feature = repo.commit("feature");
    repo.git("checkout", "-q", "main");
    repo.write({ "src/a.ts": text("a1", "main changed this", "a3") });
    const main = repo.commit("main moves on");
    expect(await mergeBase(repo.dir, main, feature)).toBe(fork);
    // Two-dot from main's tip would blame the feature for main's line 2.
    expect(asObject(await changedLines(repo.dir, main, feature))).toEqual({ "src/a.ts": [2], "src/b.ts": [1] });
    expect(asObject(await changedLines(repo.dir, fork, feature))).toEqual({ "src/b.ts": [1] });
    expect(await mergeBase(repo.dir, main, "no-such-ref")).toBeNull();
  });

  it("diffs against a recorded tree (a dirty snapshot's working tree)", async () => {
    const repo = scratchRepo("git-tree-");
    repo.write({ "src/a.ts": text("a1") });
    const head = repo.commit("first");
    repo.write({ "src/a.ts": text("a1", "a2") });
    const tree = repo.git("write-tree");
    repo.git("add", "-A");
    const recorded = repo.git("write-tree");
    expect(recorded).not.toBe(tree);
    expect(asObject(await changedLines(repo.dir, head, recorded))).toEqual({ "src/a.ts": [2] });
  });
});

