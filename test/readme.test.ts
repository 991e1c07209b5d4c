import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { bin, repoRoot } from "./cli/run-cli.js";

/** The shell lines of the README code block that follows `marker`. */
function blockAfter(readme: string, marker: string): string[] {
  const from = readme.indexOf(marker);
  expect(from, `README has no "${marker}"`).toBeGreaterThan(-1);
  const open = readme.indexOf("```sh\n", from);
  const close = readme.indexOf("\n```", open + 6);
  return readme
    .slice(open + 6, close)
    .split("\n")
    .map((line) => line.replace(/\s+#.*$/, "").trim())
    .filter((line) => line !== "");
}

describe("README", () => {
  const readme = readFileSync(join(repoRoot, "README.md"), "utf8");

  it("runs the plan commands of the example as written (they failed with `cd examples/demo && npx shipgate`)", () => {
    const lines = blockAfter(readme, "From the repository root, after the quick start");
    expect(lines.length).toBeGreaterThanOrEqual(5);
    // A scratch copy laid out like the repository, so the commands write nothing into the real example.
    mkdirSync(join(repoRoot, ".test-tmp"), { recursive: true });
    const root = mkdtempSync(join(repoRoot, ".test-tmp", "readme-"));
    cpSync(join(repoRoot, "examples/demo"), join(root, "examples/demo"), { recursive: true, filter: (source) => !source.split(/[\\/]/).includes(".shipgate") });
    for (const line of lines) {
      expect(line.startsWith("npx shipgate "), line).toBe(true);
      const run = spawnSync("sh", ["-c", line.replace(/^npx shipgate /, `"${process.execPath}" "${bin}" `)], { cwd: root, encoding: "utf8", env: { ...process.env, NO_COLOR: "1", CI: "" } });
      expect({ line, code: run.status, stderr: run.stderr }).toEqual({ line, code: 0, stderr: expect.any(String) as unknown });
      expect(`${run.stdout}${run.stderr}`.trim(), line).not.toBe("");
    }
  });

  it("says shipgate is not on the npm registry and how to install it from a clone", () => {
    expect(readme).toMatch(/not published on the npm registry/);
    expect(readme).toMatch(/npm pack/);
    expect(readme).toMatch(/npm install --save-dev \/path\/to\/shipgate\/shipgate-\d+\.\d+\.\d+\.tgz/);
  });
});
