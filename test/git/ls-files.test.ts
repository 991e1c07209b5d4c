import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listGitFiles } from "../../src/git/ls-files.js";
import { gitOutput } from "../../src/git/process.js";
import { scratchRepo } from "../scratch-repo.js";

describe("listGitFiles", () => {
  it("lists tracked and untracked files, never ignored ones, relative to the folder", async () => {
    const repo = scratchRepo("git-ls-");
    repo.write({ ".gitignore": "*.log\n", "src/a.ts": "", "src/ü.md": "" });
    repo.commit("first");
    repo.write({ "src/new.ts": "", "src/out.log": "" });
    expect((await listGitFiles(repo.dir))?.sort()).toEqual([".gitignore", "src/a.ts", "src/new.ts", "src/ü.md"]);
    expect((await listGitFiles(join(repo.dir, "src"), ["*.md"]))?.sort()).toEqual(["ü.md"]);
  });

  it("reads as null past maxBytes, so that the caller walks instead", async () => {
    const repo = scratchRepo("git-ls-");
    repo.write({ "a.txt": "", "b.txt": "" });
    expect(await listGitFiles(repo.dir, [], { maxBytes: 8 })).toBeNull();
    expect((await listGitFiles(repo.dir, [], { maxBytes: 12 }))?.sort()).toEqual(["a.txt", "b.txt"]);
  });

  it("is null outside git", async () => {
    const outside = mkdtempSync(join(tmpdir(), "shipgate-no-git-"));
    try {
      expect(await listGitFiles(outside)).toBeNull();
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe("gitOutput", () => {
  it("ends git and says GIT_FAILED when the output passes maxBytes", async () => {
    const repo = scratchRepo("git-out-");
    await expect(gitOutput(repo.dir, ["rev-parse", "--git-dir", "--git-dir"], { maxBytes: 5 })).rejects.toMatchObject({
      code: "GIT_FAILED",
      message: "[git] git rev-parse printed more than 5 bytes",
    });
  });

  it("says USAGE for a folder that does not exist", async () => {
    await expect(gitOutput(join(tmpdir(), "shipgate-missing-dir-x"), ["status"])).rejects.toMatchObject({ code: "USAGE" });
  });
});
