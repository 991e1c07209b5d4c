import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createLineReader } from "../../src/ingest/line-reader.js";

/** A repository folder and, next to it, a secret file outside it. */
function layout() {
  const base = mkdtempSync(join(tmpdir(), "shipgate-lines-"));
  const repo = join(base, "repo");
  mkdirSync(join(repo, "src"), { recursive: true });
  writeFileSync(join(base, "secret.txt"), "TOKEN=hunter2\n");
  writeFileSync(join(repo, "src/a.ts"), "const a = 1;\r\nconst b = 2;\n");
  return { base, repo };
}

describe("createLineReader (finding fingerprints)", () => {
  it("reads a repository file's lines", () => {
    const { repo } = layout();
    expect(createLineReader(repo)("src/a.ts")).toEqual(["const a = 1;", "const b = 2;", ""]);
  });

  it("follows a symlink that stays inside the repository", () => {
    const { repo } = layout();
    symlinkSync("a.ts", join(repo, "src/alias.ts"));
    expect(createLineReader(repo)("src/alias.ts")?.[0]).toBe("const a = 1;");
  });

  it("regression: a symlink in the repository pointing outside it is not followed", () => {
    const { base, repo } = layout();
    symlinkSync(join(base, "secret.txt"), join(repo, "src/leak.ts"));
    symlinkSync("../../secret.txt", join(repo, "src/leak-relative.ts"));
    const read = createLineReader(repo);
    expect(read("src/leak.ts")).toBeUndefined();
    expect(read("src/leak-relative.ts")).toBeUndefined();
  });

  it("regression: a report path climbing out of the repository is not read", () => {
    const { repo } = layout();
    expect(createLineReader(repo)("../secret.txt")).toBeUndefined();
  });

  it("regression: a FIFO named by a report is not read (reading it would block forever)", () => {
    const { repo } = layout();
    execFileSync("mkfifo", [join(repo, "src/pipe.ts")]);
    expect(createLineReader(repo)("src/pipe.ts")).toBeUndefined();
  });

  it("reads nothing from a directory, a device or a missing file", () => {
    const { repo } = layout();
    symlinkSync("/dev/zero", join(repo, "src/zero.ts"));
    const read = createLineReader(repo);
    expect(read("src")).toBeUndefined();
    expect(read("src/zero.ts")).toBeUndefined();
    expect(read("src/missing.ts")).toBeUndefined();
  });

  it("works when the repository root itself is reached through a symlink", () => {
    const { base, repo } = layout();
    symlinkSync(repo, join(base, "link-to-repo"));
    expect(createLineReader(join(base, "link-to-repo"))("src/a.ts")?.[1]).toBe("const b = 2;");
  });
});
