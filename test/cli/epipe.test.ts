import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bin, tempDir } from "./run-cli.js";

describe("a reader that closes the pipe early", () => {
  it("ends shipgate quietly, without an EPIPE stack trace (`shipgate task list | head -1` crashed)", () => {
    const dir = tempDir();
    const tasks = Array.from({ length: 3000 }, (_, i) => `  - { id: T${i}, title: task ${i}, phase: p, owner: a, estimate: { optimistic: 1, likely: 1, pessimistic: 1 } }`);
    writeFileSync(join(dir, "shipgate.plan.yaml"), ["version: 1", "agents: [{ id: a, kind: cli }]", "phases: [{ id: p, name: P }]", "tasks:", ...tasks, ""].join("\n"));
    const errors = join(dir, "stderr.txt");
    // As a user types it: head reads one line and exits while shipgate is still writing.
    const run = spawnSync("bash", ["-c", `"${process.execPath}" "${bin}" task list 2>"${errors}" | head -1 >/dev/null; echo "\${PIPESTATUS[0]}"`], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", CI: "" },
    });
    expect(readFileSync(errors, "utf8")).not.toMatch(/EPIPE|node:events|\n\s+at /);
    expect(run.stdout.trim()).toBe("0");
  });
});
