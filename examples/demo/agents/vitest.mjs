#!/usr/bin/env node
// `node agents/vitest.mjs run …` runs the vitest that Node resolves from here, wherever the project sits: in the
// demo's copy, in a task's worktree under .shipgate/worktrees/, or in a project that installed vitest itself.
// The run plan's acceptance commands use it, so they read the same in every one of those places.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

let bin;
try {
  bin = join(dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
} catch {
  console.error("agents/vitest.mjs: vitest is not installed where Node looks from here (run `npm ci` in the shipgate checkout)");
  process.exit(127);
}
const result = spawnSync(process.execPath, [bin, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(result.status ?? 1);
