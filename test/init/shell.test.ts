import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureStdout } from "../../src/init/shell.js";

const run = (command: string) => {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-capture-"));
  const result = spawnSync(captureStdout(command, "reports/out.txt"), { cwd: dir, shell: true, encoding: "utf8" });
  const path = join(dir, "reports/out.txt");
  return { code: result.status, report: existsSync(path) ? readFileSync(path, "utf8") : null, part: existsSync(`${path}.part`) };
};

describe("captureStdout (a report that is a tool's standard output)", () => {
  it.each([
    ["exit 0 and no output: the report is empty (no findings)", "true", 0, ""],
    ["findings and a non-zero exit: the report holds them", `"${process.execPath}" -e "console.log('a.ts(1,1): error TS1: x'); process.exit(2)"`, 2, "a.ts(1,1): error TS1: x\n"],
    ["regression: a tool that is not installed left an empty report read as no findings; now no report is written", "shipgate-no-such-tool --json", 127, null],
  ])("%s", (_title, command, code, report) => {
    expect(run(command)).toMatchObject({ code, report });
  });
});
