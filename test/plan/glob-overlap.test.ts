import picomatch from "picomatch";
import { describe, expect, it } from "vitest";
import { globsOverlap, isGlobPattern, normalizePattern, PLAN_GLOB_OPTIONS } from "../../src/plan/glob-overlap.js";
import { OVERLAP_CASES } from "./overlap-cases.js";

describe("globsOverlap", () => {
  it.each(OVERLAP_CASES)("$name: $a × $b", ({ a, b, example }) => {
    // The same answer whichever way round.
    expect(globsOverlap(a, b)).toBe(example);
    expect(globsOverlap(b, a)).toBe(example);
    if (example !== null) for (const glob of [a, b]) expect(picomatch(normalizePattern(glob), PLAN_GLOB_OPTIONS)(example)).toBe(true);
  });

  it("prefers an existing file of the repository as the example", () => {
    expect(globsOverlap("src/**/*.ts", "src/*/index.ts")).toBe("src/x/index.ts");
    const repo = ["README.md", "src/a.ts", "src-old/q/index.ts", "src/b/index.ts", "src/c/index.ts"];
    expect(globsOverlap("src/**/*.ts", "src/*/index.ts", repo)).toBe("src/b/index.ts");
    // Repository paths are normalized like patterns.
    expect(globsOverlap("src/**/*.ts", "src/*/index.ts", ["./src/c/index.ts"])).toBe("src/c/index.ts");
  });

  it.each([
    { name: "+(…), approximated by one repetition", a: "src/+(a|b)/x.ts", b: "src/b/*", example: "src/b/x.ts" },
    { name: "+(…) against a longer repetition, found from the other side's example", a: "+(b)/x", b: "bbb/*", example: "bbb/x" },
    { name: "a {1..3} range", a: "file{1..3}.txt", b: "file2.txt", example: "file2.txt" },
    { name: "a POSIX class", a: "src/[[:digit:]]/x", b: "src/7/*", example: "src/7/x" },
    { name: "[!a] (picomatch reads it as the characters ! and a)", a: "src/[!a]/x.ts", b: "src/a/x.ts", example: "src/a/x.ts" },
    { name: "[!a] is no negation", a: "src/[!a]/x.ts", b: "src/b/x.ts", example: null },
  ])("approximates $name: $a × $b", ({ a, b, example }) => {
    expect(globsOverlap(a, b)).toBe(example);
    expect(globsOverlap(b, a)).toBe(example);
  });
});

describe("normalizePattern", () => {
  it.each([
    ["src/a.ts", "src/a.ts"],
    ["./src/a.ts", "src/a.ts"],
    ["././src/**", "src/**"],
    ["src/./a.ts", "src/./a.ts"],
    ["../a.ts", "../a.ts"],
    ["./", ""],
  ])("%s → %s", (pattern, expected) => {
    expect(normalizePattern(pattern)).toBe(expected);
  });
});

describe("isGlobPattern", () => {
  it.each([
    ["src/a.ts", false],
    ["@scope/c++/x", false],
    ["a+b/c@d", false],
    ["src/*.ts", true],
    ["src/?.ts", true],
    ["src/[ab].ts", true],
    ["src/{a,b}.ts", true],
    ["src/@(a|b).ts", true],
    ["src/+(a).ts", true],
    ["src/!(a).ts", true],
    ["src/a\\*.ts", true],
  ])("%s → %s", (pattern, expected) => {
    expect(isGlobPattern(pattern)).toBe(expected);
  });
});
