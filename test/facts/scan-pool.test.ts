import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { countTrackedMarkdown } from "../../src/facts/scan-pool.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A git repository with `md` markdown files (names of varied length, so entries straddle the 64 KB chunks) and `other` other files, added to the index. */
function repo(md: number, other: number): string {
  const root = mkdtempSync(join(tmpdir(), "shipgate-scan-pool-"));
  dirs.push(root);
  execFileSync("git", ["init", "-q"], { cwd: root });
  for (let i = 0; i < md + other; i++) {
    const dir = join(root, `d${i % 7}`);
    mkdirSync(dir, { recursive: true });
    const name = `${"n".repeat(i % 13)}${i}${i < md ? (i % 5 === 0 ? ".markdown" : ".md") : ".txt"}`;
    writeFileSync(join(dir, name), "");
  }
  execFileSync("git", ["add", "-A"], { cwd: root });
  return root;
}

describe("countTrackedMarkdown", () => {
  it("counts every tracked markdown file across the index's chunks, and nothing else", () => {
    const root = repo(2500, 400);
    expect(countTrackedMarkdown(root, Number.MAX_SAFE_INTEGER)).toBe(2500);
  });

  it("stops once it has counted enough", () => {
    const root = repo(2500, 0);
    const count = countTrackedMarkdown(root, 100);
    expect(count).toBeGreaterThanOrEqual(100);
    expect(count).toBeLessThan(2500);
  });

  it("is 0 outside a git work tree's root", () => {
    const root = mkdtempSync(join(tmpdir(), "shipgate-scan-pool-"));
    dirs.push(root);
    expect(countTrackedMarkdown(root, 10)).toBe(0);
    expect(countTrackedMarkdown(join(root, "missing"), 10)).toBe(0);
  });
});
