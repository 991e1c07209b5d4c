import { copyFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, repoRoot, shipgate, tempDir } from "./run-cli.js";

const config = (collectors: string) => `version: 1\ndocs:\n  check: false\ncollectors:\n${collectors}`;

describe("a collector that fails", () => {
  it("regression: a collector that failed offline (npm audit: HTTP 405) stopped every assess and the hint never mentioned --skip", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "reports"));
    writeFileSync(join(dir, "ok.xml"), '<testsuite name="s" tests="1"><testcase classname="c" name="t"/></testsuite>\n');
    // npm 11.19 printed these lines on stderr (exit 1) for `npm audit --json` against a registry answering 405.
    const npm = [
      "npm warn audit 405 Method Not Allowed - POST http://127.0.0.1:47123/-/npm/v1/security/advisories/bulk",
      "npm error audit endpoint returned an error",
      "npm error A complete log of this run can be found in: /root/.npm/_logs/debug-0.log",
    ];
    writeFileSync(join(dir, "npm-stderr.txt"), `${npm.join("\n")}\n`);
    writeFileSync(
      join(dir, "shipgate.yaml"),
      config('  - name: tests\n    command: "cp ok.xml reports/junit.xml"\n    reports: ["reports/junit.xml"]\n  - name: npm-audit\n    command: "cat npm-stderr.txt >&2; exit 1"\n    reports: [{ path: "reports/npm-audit.json", format: "npm-audit" }]\n'),
    );
    const failed = shipgate(["assess"], { cwd: dir });
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain("[collect] npm-audit: `cat npm-stderr.txt >&2; exit 1` exited with 1 but reports/npm-audit.json does not exist; its error:\nnpm error audit endpoint returned an error\n");
    expect(failed.stderr).toMatch(/; to assess without it this time: shipgate assess --skip npm-audit\n$/);
    const skipped = shipgate(["assess", "--skip", "npm-audit", "--json"], { cwd: dir });
    expect(skipped.code).toBe(0);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ tests: { total: 1 } });
  });

  it("regression: npm audit offline wrote its error as the report (npm 11.19) and the hint never mentioned --skip", () => {
    const dir = tempDir();
    copyFileSync(fixture("ingest/npm-audit/npm-11.19-audit-failed.json"), join(dir, "failed.json"));
    writeFileSync(join(dir, "shipgate.yaml"), config('  - name: npm-audit\n    command: "mkdir -p reports; cp failed.json reports/npm-audit.json; exit 1"\n    reports: [{ path: "reports/npm-audit.json", format: "npm-audit" }]\n'));
    // Skipping the only collector leaves nothing to measure: said so, and no store is created.
    const none = shipgate(["assess", "--skip", "npm-audit"], { cwd: dir });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("[assess] --skip leaves none of the 1 collector(s) of shipgate.yaml to run");
    expect(existsSync(join(dir, ".shipgate"))).toBe(false);
    const result = shipgate(["assess"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("the audit itself failed, npm wrote no report");
    expect(result.stderr).toMatch(/; to assess without it this time: shipgate assess --skip npm-audit\n$/);
  });

  it("regression: jest without jest-junit showed only the last lines of its output (stack frames), not its error", () => {
    // Outside the repository, so jest-junit (installed here) does not resolve: the real error of a project without it.
    const dir = tempDir();
    writeFileSync(join(dir, "package.json"), `${JSON.stringify({ name: "s", private: true, jest: { testEnvironment: "node" } })}\n`);
    mkdirSync(join(dir, "__tests__"));
    writeFileSync(join(dir, "__tests__/a.test.js"), 'test("a", () => expect(1).toBe(1));\n');
    const jest = join(repoRoot, "node_modules/jest/bin/jest.js");
    writeFileSync(join(dir, "shipgate.yaml"), config(`  - name: jest\n    command: "node ${jest} --ci --reporters=default --reporters=jest-junit"\n    env:\n      JEST_JUNIT_OUTPUT_DIR: "reports"\n    reports: ["reports/junit.xml"]\n`));
    const result = shipgate(["assess"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("does not exist; its error:\nError: Could not resolve a module for a custom reporter.\n  Module name: jest-junit\n");
    expect(result.stderr).not.toContain("    at ");
    expect(result.stderr).toContain("--skip jest");
  }, 60_000);
});
