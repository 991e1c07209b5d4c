import { chmodSync, mkdirSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { parseUnifiedDiff } from "../../src/git/unified-diff.js";
import { scratchRepo } from "../scratch-repo.js";

// The diffs below are produced by the real git (shipgate's own invocation, see src/git/diff.ts),
// in a scratch repository under the gitignored .test-tmp/.

const DIFF = ["diff", "-U0", "--no-color", "--no-ext-diff", "--no-textconv", "--relative", "--src-prefix=a/", "--dst-prefix=b/", "-M"];

const lines = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
const text = (...rows: string[]) => rows.map((r) => `${r}\n`).join("");

describe("parseUnifiedDiff on real git output", () => {
  let repo: ReturnType<typeof scratchRepo>;
  let changed: Map<string, number[]>;
  let diff: string;

  beforeAll(() => {
    repo = scratchRepo("diff-");
    repo.write({
      "keep.ts": text("a", "b", "c", "d"),
      "gone.ts": text("gone 1", "gone 2", "gone 3"),
      "old-name.ts": text("x1", "x2", "x3", "x4", "x5", "x6"),
      "moved.ts": text("moved without change", "second line"),
      "a b.ts": text("space"),
      "café.ts": text("accent"),
      "del.ts": text("q", "r", "s"),
      "nonl.ts": text("n"),
      "nonl-both.ts": "old last line",
      "bin.dat": Buffer.from([0, 1, 2, 3]),
      "bin x.dat": Buffer.from([0, 9]),
      "mode.sh": text("echo mode"),
      "mode\tx.sh": text("echo mode tab"),
      "ta\tb.ts": text("tab"),
      'q"u.ts': text("quote"),
      "b\\s.ts": text("backslash"),
      "ctl\u0001.ts": text("control"),
      "multi.ts": text(...lines(1, 10).map(String)),
      "crlf.ts": "one\r\ntwo\r\n",
    });
    repo.commit("one");

    repo.write({
      "keep.ts": text("a", "B", "c", "d", "e"),
      "old-name.ts": text("x1", "x2", "x3", "x4", "x5", "x6", "x7"),
      "a b.ts": text("space", "space 2"),
      "café.ts": text("accent", "é"),
      "del.ts": text("q", "s"),
      "nonl.ts": "n\nm",
      "nonl-both.ts": "new last line",
      "bin.dat": Buffer.from([0, 1, 2, 4]),
      "bin x.dat": Buffer.from([0, 8]),
      "ta\tb.ts": text("tab", "tab 2"),
      'q"u.ts': text("quote", "quote 2"),
      "b\\s.ts": text("backslash", "backslash 2"),
      "ctl\u0001.ts": text("control", "control 2"),
      // Changed at 2-3 and 8, line 5 deleted: new numbering is 1 2' 3' 4 6 7 8' 9 10.
      "multi.ts": text("1", "2x", "3x", "4", "6", "7", "8x", "9", "10"),
      "crlf.ts": "one\r\nTWO\r\nthree\r\n",
      "added.ts": text("new 1", "new 2", "new 3"),
      "new.bin": Buffer.from([0, 0, 7]),
      "empty.ts": "",
      // Added lines that read like headers once git puts "+" before them.
      "tricky.ts": text("++ b/fake.ts", "-- a/fake.ts", "\\ No newline at end of file", "@@ -1 +1 @@", "diff --git a/fake.ts b/fake.ts"),
    });
    rmSync(join(repo.dir, "gone.ts"));
    renameSync(join(repo.dir, "old-name.ts"), join(repo.dir, "renamed.ts"));
    mkdirSync(join(repo.dir, "dir"));
    renameSync(join(repo.dir, "moved.ts"), join(repo.dir, "dir/moved here.ts"));
    chmodSync(join(repo.dir, "mode.sh"), 0o755);
    chmodSync(join(repo.dir, "mode\tx.sh"), 0o755);
    repo.commit("two");

    diff = repo.git("-c", "core.quotePath=false", ...DIFF, "HEAD~1", "HEAD");
    changed = parseUnifiedDiff(diff);
  });

  it.each<[string, string, number[]]>([
    ["modified and appended lines", "keep.ts", [2, 5]],
    ["a rename with an edit, under the new name", "renamed.ts", [7]],
    ["a pure rename (no ---/+++ lines), under the new name", "dir/moved here.ts", []],
    ['a name with a space ("+++ b/a b.ts\\t")', "a b.ts", [2]],
    ["a non-ASCII name, raw with core.quotePath=false", "café.ts", [2]],
    ["a pure-deletion hunk (+c,0)", "del.ts", []],
    ['"\\ No newline at end of file" after an added line', "nonl.ts", [2]],
    ['"\\ No newline at end of file" between the - and + lines', "nonl-both.ts", [1]],
    ["a changed binary file", "bin.dat", []],
    ["an added binary file", "new.bin", []],
    ["a mode change only", "mode.sh", []],
    ["a binary file with a space (name from the diff --git line)", "bin x.dat", []],
    ["a mode change of a quoted name (name from the diff --git line)", "mode\tx.sh", []],
    ["a quoted name with \\t", "ta\tb.ts", [2]],
    ['a quoted name with \\"', 'q"u.ts', [2]],
    ["a quoted name with \\\\", "b\\s.ts", [2]],
    ["a quoted name with an octal escape", "ctl\u0001.ts", [2]],
    ["several hunks", "multi.ts", [2, 3, 7]],
    ["CRLF line ends", "crlf.ts", [2, 3]],
    ["a new file (new file mode, --- /dev/null)", "added.ts", [1, 2, 3]],
    ["an empty new file (no hunk at all)", "empty.ts", []],
    ["added lines that look like headers", "tricky.ts", [1, 2, 3, 4, 5]],
  ])("%s: %s", (_title, path, expected) => {
    expect(changed.get(path)).toEqual(expected);
  });

  it("names no deleted file, no old name of a rename, and no path read from file content", () => {
    expect([...changed.keys()].sort()).toEqual(
      [
        "a b.ts",
        "added.ts",
        "b\\s.ts",
        "bin.dat",
        "bin x.dat",
        "mode\tx.sh",
        "café.ts",
        "crlf.ts",
        "ctl\u0001.ts",
        "del.ts",
        "dir/moved here.ts",
        "empty.ts",
        "keep.ts",
        "mode.sh",
        "multi.ts",
        "new.bin",
        "nonl-both.ts",
        "nonl.ts",
        'q"u.ts',
        "renamed.ts",
        "ta\tb.ts",
        "tricky.ts",
      ].sort(),
    );
  });

  it("reads the same from core.quotePath=true output (octal escapes for UTF-8 bytes)", () => {
    const quoted = repo.git("-c", "core.quotePath=true", ...DIFF, "HEAD~1", "HEAD");
    expect(quoted).toContain('"b/caf\\303\\251.ts"');
    expect(parseUnifiedDiff(quoted)).toEqual(changed);
  });

  it("counts only added lines when hunks carry context (-U3, diff.interHunkContext)", () => {
    const withContext = repo.git("-c", "core.quotePath=false", "-c", "diff.interHunkContext=5", ...DIFF, "-U3", "HEAD~1", "HEAD");
    expect(parseUnifiedDiff(withContext)).toEqual(changed);
  });

  it("reads CRLF text as git writes it (the \\r stays in the line)", () => {
    expect(diff).toContain("+TWO\r\n");
  });

  it("returns an empty map for an empty diff", () => {
    expect(parseUnifiedDiff("")).toEqual(new Map());
  });
});
