import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { detectStack, sectionValues } from "../../src/init/detect-stack.js";
import { writeFiles } from "./samples.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function pytestCommand(files: Record<string, string>): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-parallel-"));
  dirs.push(dir);
  writeFiles(dir, files);
  return (await detectStack(dir)).find((c) => c.name === "pytest")?.command;
}

const COMBINE = "status=$?; python3 -m coverage combine; python3 -m coverage json -o reports/coverage.json; exit $status";

describe("the pytest collector of a project whose coverage.py config sets parallel", () => {
  it.each([
    ["pyproject.toml [tool.coverage.run] parallel = true", { "pyproject.toml": '[project]\nname = "x"\n\n[tool.coverage.run]\nbranch = true\nparallel = true  # one file per process\nsource = ["x"]\n' }],
    ["setup.cfg [coverage:run] parallel = True", { "setup.cfg": "[metadata]\nname = x\n\n[coverage:run]\nparallel = True\n" }],
    [".coveragerc [run] parallel = 1", { "setup.py": "", ".coveragerc": "[run]\nparallel = 1\n" }],
  ])("regression: with %s, `coverage json` found no data (assess: the report does not exist); combine runs first", async (_what, files) => {
    const command = await pytestCommand(files);
    expect(command).toContain(COMBINE);
    // The project's own coverage config names what to measure.
    expect(command).not.toContain("--source");
  });

  it.each([
    ["no coverage config", { "pyproject.toml": '[project]\nname = "x"\n' }, " --source=."],
    ["parallel = false", { "pyproject.toml": "[tool.coverage.run]\nparallel = false\n" }, ""],
    ["parallel in another section", { "pyproject.toml": "[tool.coverage.run]\nbranch = true\n\n[tool.other]\nparallel = true\n" }, ""],
  ])("does not combine with %s", async (_what, files, source) => {
    const command = await pytestCommand(files);
    expect(command).toBe(`mkdir -p reports; python3 -m coverage run${source} -m pytest --junitxml=reports/junit.xml; status=$?; python3 -m coverage json -o reports/coverage.json; exit $status`);
  });

  it("reads one section's key = value lines, unquoted, without comments", () => {
    expect(sectionValues('[a]\nx = 1\n[tool.coverage.run]\nparallel = "true" # c\n; note = 2\n[b]\nparallel = false\n', "tool.coverage.run")).toEqual(new Map([["parallel", "true"]]));
    expect(sectionValues("[a]\nx = 1\n", "run")).toBeUndefined();
  });
});
