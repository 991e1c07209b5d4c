import { describe, expect, it } from "vitest";
import { describeFiles, judgeOwnership } from "../../src/mcp/ownership.js";

const T1 = { id: "T1", files: ["src/**", "./test/a.js"] };
const OTHERS = [T1, { id: "T2", files: ["readme.md"] }, { id: "T3", files: ["docs/*.md", "readme.md"] }, { id: "T4", files: [] }];

describe("judgeOwnership: the checkout's changes against the task's files", () => {
  const cases: { name: string; committed: string[]; uncommitted: string[]; mode: "enforce" | "warn"; verdict: string; outside: string[]; owners?: Record<string, string[]> }[] = [
    { name: "only its own files (globs, a leading ./ ignored)", committed: ["src/x/y.ts"], uncommitted: ["test/a.js"], mode: "enforce", verdict: "passed", outside: [] },
    { name: "another task's file, committed or not, under enforce", committed: ["readme.md"], uncommitted: ["src/a.ts", "readme.md"], mode: "enforce", verdict: "failed", outside: ["readme.md"], owners: { "readme.md": ["T2", "T3"] } },
    { name: "the same under warn", committed: [], uncommitted: ["docs/x.md"], mode: "warn", verdict: "warned", outside: ["docs/x.md"], owners: { "docs/x.md": ["T3"] } },
    { name: "a file of the repository above the project (/path) is nobody's", committed: [], uncommitted: ["/readme.md"], mode: "enforce", verdict: "failed", outside: ["/readme.md"] },
    { name: "nothing changed", committed: [], uncommitted: [], mode: "enforce", verdict: "passed", outside: [] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const judged = judgeOwnership(T1, OTHERS, { committed: c.committed, uncommitted: c.uncommitted }, c.mode);
      expect(judged.verdict).toBe(c.verdict);
      expect(judged.outside).toEqual(c.outside);
      expect(Object.fromEntries(judged.owners)).toEqual(c.owners ?? {});
      expect(judged.uncommitted).toEqual([...new Set(c.uncommitted)].sort());
    });
  }

  it("a task that declares no files owns none: every change is outside", () => {
    expect(judgeOwnership({ id: "T4", files: [] }, OTHERS, { committed: ["a"], uncommitted: ["b"] }, "enforce")).toMatchObject({ verdict: "failed", outside: ["a", "b"] });
  });

  it("describeFiles names ten files with their tasks, then counts the rest", () => {
    const files = Array.from({ length: 12 }, (_, i) => `f${i}`);
    expect(describeFiles(files, new Map([["f0", ["T2", "T3", "T5", "T6"]]]))).toBe("f0 (belongs to T2, T3, T5…), f1, f2, f3, f4, f5, f6, f7, f8, f9 and 2 more");
  });
});
