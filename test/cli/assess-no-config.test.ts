import { existsSync, mkdirSync, realpathSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { fixture, shipgate, tempDir } from "./run-cli.js";

describe("assess in a folder without shipgate.yaml", () => {
  it.each([
    ["an empty folder", (dir: string) => dir],
    ["the subfolder src/ of a repository", (dir: string) => {
      writeFileSync(join(dir, "shipgate.yaml"), "version: 1\ncollectors:\n  - name: t\n    reports: [junit.xml]\n");
      mkdirSync(join(dir, "src"));
      return join(dir, "src");
    }],
  ])("regression: in %s it said \"shipgate.yaml has no collectors\" and still created .shipgate/shipgate.db", (_what, folder) => {
    const dir = folder(realpathSync(tempDir()));
    const result = shipgate(["assess"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(`error: [assess] no shipgate.yaml in ${dir}: run \`shipgate init\`, pass --cwd with the repository root, or read reports with --report FILE\n  → nothing was assessed or stored\n`);
    expect(existsSync(join(dir, ".shipgate"))).toBe(false);
  });

  it("names the --cwd folder it looked in", () => {
    const dir = realpathSync(tempDir());
    const result = shipgate(["assess", "--cwd", dir], { cwd: tempDir() });
    expect(result.stderr).toContain(`no shipgate.yaml in ${dir}:`);
    expect(existsSync(join(dir, ".shipgate"))).toBe(false);
  });

  it("still reads --report files without a config, and stores them", () => {
    const dir = tempDir();
    const result = shipgate(["assess", "--json", "--report", fixture("ingest/junit/vitest-4.1-all-pass.xml")], { cwd: dir });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ tests: { total: 3 } });
    expect(existsSync(join(dir, ".shipgate/shipgate.db"))).toBe(true);
  });
});
