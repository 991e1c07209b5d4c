import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { cleanPath, createPathResolver, listRepoFiles, normalizePosix } from "../../src/ingest/paths.js";
import { prng } from "../support/generate.mjs";

const files = [
  "package.json",
  "packages/api/package.json",
  "packages/api/src/limiter.ts",
  "packages/api/src/money.ts",
  "packages/web/package.json",
  "packages/web/src/money.ts",
  "services/worker/pyproject.toml",
  "services/worker/worker/backoff.py",
  "src/index.ts",
];
const resolver = createPathResolver({ root: "/repo", files: new Set(files), source: "git" });

describe("path resolver", () => {
  it.each([
    ["absolute path inside the repository", "/repo/packages/api/src/limiter.ts", ".", [], "packages/api/src/limiter.ts", "exact"],
    ["CI workspace prefix of another machine", "/home/runner/work/demo/demo/packages/api/src/limiter.ts", ".", [], "packages/api/src/limiter.ts", "suffix"],
    ["Windows path with backslashes and a drive", "D:\\a\\demo\\demo\\packages\\api\\src\\limiter.ts", ".", [], "packages/api/src/limiter.ts", "suffix"],
    ["file:// URL", "file:///repo/src/index.ts", ".", [], "src/index.ts", "exact"],
    ["relative to the tool's cwd (report inside the package)", "src/limiter.ts", "packages/api/reports/coverage", [], "packages/api/src/limiter.ts", "ancestor"],
    ["relative with ./", "./src/index.ts", ".", [], "src/index.ts", "exact"],
    ["relative to a Cobertura <source> root", "worker/backoff.py", "reports", ["/ci/checkout/services/worker"], "services/worker/worker/backoff.py", "suffix"],
    ["relative to a repository-relative <source> root", "backoff.py", ".", ["services/worker/worker"], "services/worker/worker/backoff.py", "root"],
    ["python module path relative to the package dir", "worker/backoff.py", ".", [], "services/worker/worker/backoff.py", "suffix"],
  ])("resolves %s", (_title, path, dir, roots, expected, how) => {
    expect(resolver.resolve(path, dir, roots)).toEqual({ path: expected, resolved: true, how });
  });

  it("refuses to guess between two files with the same tail", () => {
    expect(resolver.resolve("src/money.ts", "reports")).toEqual({ path: "src/money.ts", resolved: false, how: "ambiguous" });
    expect(resolver.resolve("/elsewhere/src/money.ts", ".")).toEqual({ path: "/elsewhere/src/money.ts", resolved: false, how: "unresolved" });
  });

  it("keeps unknown paths, marked unresolved", () => {
    expect(resolver.resolve("/tmp/generated/x.ts", ".")).toEqual({ path: "/tmp/generated/x.ts", resolved: false, how: "unresolved" });
    expect(resolver.resolve("lib/x.ts", ".")).toEqual({ path: "lib/x.ts", resolved: false, how: "unresolved" });
  });

  it("finds each file's package by its nearest manifest", () => {
    expect(resolver.packageOf("packages/api/src/limiter.ts")).toBe("packages/api");
    expect(resolver.packageOf("services/worker/worker/backoff.py")).toBe("services/worker");
    expect(resolver.packageOf("src/index.ts")).toBe(".");
  });

  it("puts files in the configured component directories first, then by manifest", () => {
    const withComponents = createPathResolver({ root: "/repo", files: new Set(files), source: "git" }, { componentDirs: ["src", "packages/api/src"] });
    expect(withComponents.packageOf("src/index.ts")).toBe("src");
    expect(withComponents.packageOf("packages/api/src/limiter.ts")).toBe("packages/api/src");
    expect(withComponents.packageOf("packages/web/src/money.ts")).toBe("packages/web");
  });

  it("cleans report paths", () => {
    expect(cleanPath("C:\\\\x\\\\y.ts")).toBe("C:/x/y.ts");
    expect(cleanPath("file:///C:/x/y%20z.ts")).toBe("C:/x/y z.ts");
    expect(cleanPath("a//b/./c.ts")).toBe("a/b/./c.ts");
  });
});

describe("listRepoFiles", () => {
  it("uses git ls-files in a checkout, tracked and untracked but not ignored", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-paths-"));
    execFileSync("git", ["init", "-q"], { cwd: dir });
    writeFileSync(join(dir, ".gitignore"), "ignored.ts\n");
    writeFileSync(join(dir, "a.ts"), "");
    writeFileSync(join(dir, "ignored.ts"), "");
    const repo = await listRepoFiles(dir);
    expect(repo.source).toBe("git");
    expect([...repo.files].sort()).toEqual([".gitignore", "a.ts"]);
  });

  it("walks the tree outside git, skipping node_modules", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-paths-"));
    mkdirSync(join(dir, "src"));
    mkdirSync(join(dir, "node_modules", "x"), { recursive: true });
    writeFileSync(join(dir, "src", "a.ts"), "");
    writeFileSync(join(dir, "node_modules", "x", "index.js"), "");
    const repo = await listRepoFiles(dir);
    expect(repo.source).toBe("walk");
    expect([...repo.files]).toEqual(["src/a.ts"]);
  });
});

describe("normalizePosix", () => {
  it("is posix.normalize, also on paths with dot segments, empty segments and dot files", () => {
    const rand = prng(21);
    const segments = ["a", "src", ".", "..", "", ".github", "x.ts", "..b", "b..", "./", "c/"];
    for (let i = 0; i < 20_000; i++) {
      const n = Math.floor(rand() * 6);
      let p = rand() < 0.3 ? "/" : "";
      for (let k = 0; k < n; k++) p += `${k > 0 ? "/" : ""}${segments[Math.floor(rand() * segments.length)] as string}`;
      expect(normalizePosix(p), JSON.stringify(p)).toBe(posix.normalize(p));
    }
  });
});
