// The docs link check run by the built code (dist/) on trees big enough for its worker threads, in the cases
// docs-workers.test.ts leaves out: trees that are git repositories (the workers then start before the files are
// listed, from a guess made from the git index), `paths` that leave out files whose anchors are linked (read
// afterwards on this thread), and the order of progress calls. Whichever thread scans which file, the result
// must be the same, byte for byte. Digests recorded on the code before issue 14's docs6 work on sharing the
// scanning between this thread and the workers.
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { checkDocsLinks as CheckDocsLinks } from "../../src/facts/docs-links.js";
import { builtDocsCheck, GENERATE as GEN, scratchDirs } from "../support/docs-check-setup.js";
import { writeRandomDocsTree, writeTrickyDocsTree } from "../support/docs-corpus.js";
import { expectGolden } from "../support/golden.js";

const GOLDEN = new URL("docs-balance.json", import.meta.url);
const checkDocsLinks = builtDocsCheck();
const scratch = scratchDirs("shipgate-golden-balance");

/** Makes `dir` a git repository with every file committed, as a project's docs are. */
function commitAll(dir: string): void {
  const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@localhost", "-c", "commit.gpgsign=false", ...args], { cwd: dir, stdio: "ignore" });
  git("init", "-q");
  git("add", "-A");
  git("commit", "-q", "-m", "docs");
}

/** The check's result, and whether progress counted 1, 2, … up to the number of files, each against that total. */
async function checkWithProgress(options: Parameters<typeof CheckDocsLinks>[0]) {
  const calls: [number, number][] = [];
  const result = await checkDocsLinks({ ...options, onProgress: (done, total) => calls.push([done, total]) });
  const counted = calls.every(([done, total], i) => done === i + 1 && total === result.files) && calls.length === result.files;
  return { result, counted };
}

describe("checkDocsLinks with worker threads on git trees gives byte-identical results", () => {
  it("on a generated git tree of 2 600 files, default workers (started before the listing)", async () => {
    const root = scratch("generated-git");
    execFileSync(process.execPath, [GEN, "markdown", root, "2600"]);
    commitAll(root);
    const { result, counted } = await checkWithProgress({ root });
    expect(counted).toBe(true);
    expectGolden(GOLDEN, "generated-git-2600/default-workers", result);
  });

  it.each([1, 2])("on a random git tree of 2 400 files, %i worker(s)", async (workers) => {
    const root = scratch("random-git");
    writeRandomDocsTree(root, 2400);
    writeTrickyDocsTree(join(root, "tricky"));
    commitAll(root);
    const { result, counted } = await checkWithProgress({ root, workers });
    expect(counted).toBe(true);
    expectGolden(GOLDEN, `random-git-2400/workers-${workers}`, result);
  });

  it("on a random git tree of 2 400 files, 1 worker, with paths that leave out linked files", async () => {
    const root = scratch("random-git-paths");
    writeRandomDocsTree(root, 2400);
    commitAll(root);
    // f0..f3 hold the files; links climb into the other folders, whose anchors are then read on this thread.
    const { result, counted } = await checkWithProgress({ root, paths: ["f1", "f2", "f0/doc-0.md"], workers: 1 });
    expect(counted).toBe(true);
    expectGolden(GOLDEN, "random-git-2400/paths-f1-f2", result);
  });

  it("on a generated git tree of 2 600 files with ignore patterns, default workers", async () => {
    const root = scratch("generated-git-ignore");
    execFileSync(process.execPath, [GEN, "markdown", root, "2600"]);
    commitAll(root);
    const { result, counted } = await checkWithProgress({ root, ignore: ["../d1*/**", "**/page-1*.md"] });
    expect(counted).toBe(true);
    expectGolden(GOLDEN, "generated-git-2600/ignore", result);
  });
});
