#!/usr/bin/env node
// `npm run demo:run`: `shipgate run` on a fresh copy of examples/demo with its run plan (shipgate.run.yaml), from the
// failing money test to every task done and merged, then what shipgate recorded: the runs, the integration branch,
// the runs section of `plan status`, and the release gate on the regenerated reports.
//
// The copy lives in the checkout's gitignored .test-tmp/ (so its vitest resolves from our node_modules) and is its
// own git repository on branch main. It is kept for a look around; its path is printed first.
// Exit code: `shipgate run`'s. test/run/demo.test.ts runs this script and checks what it leaves.
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("..", import.meta.url));
const bin = join(repo, "dist/cli/main.js");
const plan = "shipgate.run.yaml";

mkdirSync(join(repo, ".test-tmp"), { recursive: true });
const dir = mkdtempSync(join(repo, ".test-tmp", "demo-run-"));
cpSync(join(repo, "examples/demo"), dir, { recursive: true, filter: (source) => !source.split(/[\\/]/).includes(".shipgate") });
// What tools leave behind stays out of the agents' commits (and so out of their ownership checks).
writeFileSync(join(dir, ".gitignore"), [".shipgate/", "node_modules/", "__pycache__/", ".pytest_cache/", ""].join("\n"));
const git = (...args) => execFileSync("git", args, { cwd: dir, encoding: "utf8" });
git("init", "-q", "-b", "main");
git("config", "user.name", "demo");
git("config", "user.email", "demo@example.com");
git("add", "-A");
git("commit", "-qm", "The demo, before the run");

console.log(`project: ${dir}\n`);
const shipgate = (args, options = {}) => spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: "utf8", ...options });
console.log(`== shipgate run --plan ${plan} --dry-run: the waves it would start\n${shipgate(["run", "--plan", plan, "--dry-run"]).stdout.trimEnd()}\n`);
console.log(`== shipgate run --plan ${plan}`);
const started = Date.now();
const run = shipgate(["run", "--plan", plan], { stdio: "inherit" });
const seconds = ((Date.now() - started) / 1000).toFixed(1);
const code = run.status ?? 2;

const section = (title, text) => console.log(`\n== ${title}\n${text.trimEnd()}`);
console.log(`\nshipgate run exited ${code} after ${seconds} s`);
section("shipgate task runs", shipgate(["task", "runs"]).stdout);
section("git log --oneline --graph main", git("log", "--oneline", "--graph", "main"));
const status = shipgate(["plan", "status", "--plan", plan]).stdout;
const from = status.indexOf("## Runs");
const to = status.indexOf("\n## ", from + 1);
section(`shipgate plan status --plan ${plan} (its runs section)`, from >= 0 ? status.slice(from, to >= 0 ? to : undefined) : status);
// The reports CI-API and CI-WORKER regenerated, judged by the release gate (the example as bundled says NO-GO: its money test fails).
const gate = shipgate(["assess", "--no-run", "--gate", "release"]).stdout.trimEnd().split("\n").at(-1) ?? "";
section("shipgate assess --no-run --gate release on the regenerated reports (the example as bundled says NO-GO: its money test fails)", gate);
process.exit(code);
