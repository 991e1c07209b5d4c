import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { initProject } from "../../src/init/init-project.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("initProject", () => {
  it("says WRITE_FAILED, not a crash or USAGE, when the config path is a folder", async () => {
    const root = mkdtempSync(join(tmpdir(), "shipgate-init-"));
    dirs.push(root);
    mkdirSync(join(root, "shipgate.yaml"));
    const error = await initProject({ root, force: true }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: "WRITE_FAILED",
      message: `[init] cannot write ${join(root, "shipgate.yaml")}: it is a directory`,
      hint: "name a file, not a folder",
    });
  });
});
