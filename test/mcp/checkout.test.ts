import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openCheckout } from "../../src/mcp/checkout.js";

const git = (dir: string, ...args: string[]) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: dir, encoding: "utf8" });

describe("mcp checkout: what changed since the claim, as real git reports it", () => {
  it("lists committed, staged, unstaged, deleted, renamed (both names) and untracked files, never ignored ones; odd names intact", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-checkout-"));
    git(dir, "init", "--quiet", "--initial-branch=main");
    for (const f of ["keep.txt", "gone.txt", "old name.txt", ".gitignore"]) writeFileSync(join(dir, f), f === ".gitignore" ? "*.log\n" : `${f}\n`);
    git(dir, "add", ".");
    git(dir, "commit", "--quiet", "-m", "start");
    const checkout = await openCheckout(dir);
    expect(checkout).not.toBeNull();
    const base = await checkout!.head();
    expect(base).toMatch(/^[0-9a-f]{40,64}$/);

    writeFileSync(join(dir, "committed.txt"), "c\n");
    git(dir, "add", "committed.txt");
    git(dir, "commit", "--quiet", "-m", "one");
    writeFileSync(join(dir, "keep.txt"), "changed\n");
    git(dir, "rm", "--quiet", "gone.txt");
    git(dir, "mv", "old name.txt", "new näme.txt");
    mkdirSync(join(dir, "new dir"));
    writeFileSync(join(dir, "new dir", "line\nbreak.txt"), "x\n");
    writeFileSync(join(dir, "debug.log"), "ignored\n");

    expect(await checkout!.changes(base)).toEqual({
      committed: ["committed.txt"],
      // git's order: tracked changes, then untracked files.
      uncommitted: ["gone.txt", "keep.txt", "new näme.txt", "old name.txt", "new dir/line\nbreak.txt"],
    });
    // Base unknown (a restart): nothing committed is listed. Base null (no commit at the claim): every committed file.
    expect((await checkout!.changes(undefined)).committed).toEqual([]);
    expect((await checkout!.changes(null)).committed).toEqual([".gitignore", "committed.txt", "gone.txt", "keep.txt", "old name.txt"]);
  });

  it("is null outside a git work tree", async () => {
    expect(await openCheckout(mkdtempSync(join(tmpdir(), "shipgate-nogit-")))).toBeNull();
  });
});
