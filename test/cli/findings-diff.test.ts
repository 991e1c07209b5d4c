import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { SnapshotDiff } from "../../src/snapshot/diff.js";
import { repoRoot, shipgate, tempDir } from "./run-cli.js";

/** Runs the real ESLint (the repository's) on `dir` and writes its JSON report. */
function eslint(dir: string): void {
  try {
    execFileSync(join(repoRoot, "node_modules/.bin/eslint"), ["--format", "json", "-o", "eslint.json", "src.js"], { cwd: dir });
  } catch {
    // ESLint exits 1 when it finds errors; the report is written all the same.
  }
}

describe("findings across snapshots", () => {
  it("keeps a finding that moved to another line as the same finding, and shows new and fixed ones", () => {
    const dir = tempDir();
    execFileSync("git", ["init", "-q"], { cwd: dir });
    writeFileSync(join(dir, "eslint.config.js"), 'export default [{ files: ["**/*.js"], rules: { "no-unused-vars": "error", eqeqeq: "warn" } }];\n');
    writeFileSync(join(dir, "src.js"), "const unused = 1;\nexport function f(a) {\n  return a == 1;\n}\n");
    eslint(dir);
    const first = shipgate(["assess", "--json", "-r", "eslint.json"], { cwd: dir });
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ lint: { errors: 1, warnings: 1 } });

    // Two lines pushed above everything (the unused variable moves from line 1 to 3), the == is fixed,
    // and a new unused variable appears.
    writeFileSync(join(dir, "src.js"), "// header\n// more\nconst unused = 1;\nconst another = 2;\nexport function f(a) {\n  return a === 1;\n}\n");
    eslint(dir);
    expect(shipgate(["assess", "-r", "eslint.json"], { cwd: dir }).code).toBe(0);

    const diff = JSON.parse(shipgate(["diff", "--json"], { cwd: dir }).stdout) as SnapshotDiff;
    expect(diff.findings.new.map((f) => [f.ruleId, f.line, f.message])).toEqual([["no-unused-vars", 4, "'another' is assigned a value but never used."]]);
    expect(diff.findings.fixed.map((f) => [f.ruleId, f.line])).toEqual([["eqeqeq", 3]]);
    const text = shipgate(["diff"], { cwd: dir }).stdout;
    expect(text).toContain("Findings: 1 new, 1 fixed");
  });
});
