import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { shipgate, tempDir } from "./run-cli.js";

describe("shipgate docs check", () => {
  it("lists each broken link with file:line and why, exit 1; exit 0 when all links hold", () => {
    const dir = tempDir();
    mkdirSync(join(dir, "docs"));
    writeFileSync(join(dir, "README.md"), "# Title\n\nSee [the guide](docs/guide.md) and [setup](docs/guide.md#setup).\n\n[gone](docs/missing.md)\n");
    writeFileSync(join(dir, "docs/guide.md"), "# Guide\n\n## Install\n\n[home](../README.md#title) [web](https://example.com)\n");
    const broken = shipgate(["docs", "check", "--cwd", dir], { cwd: dir });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/README\.md:3: docs\/guide\.md#setup — no heading #setup in docs\/guide\.md/);
    expect(broken.stdout).toMatch(/README\.md:5: docs\/missing\.md — no such file: docs\/missing\.md/);
    writeFileSync(join(dir, "README.md"), "# Title\n\nSee [the guide](docs/guide.md#install).\n");
    const ok = shipgate(["docs", "check", "--cwd", dir], { cwd: dir });
    expect(ok.code).toBe(0);
  });
});
