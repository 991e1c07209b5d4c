#!/usr/bin/env node
// `npm run demo:serve`: the bundled example's dashboard. The first time (or with --fresh) it replays the example's
// three weeks with scripts/demo-history.mjs (about a minute: real vitest, pytest and coverage.py runs, real agents'
// runs, a snapshot a day) into .test-tmp/demo-history; then `shipgate serve` on that copy at http://127.0.0.1:7077/
// (--port N for another), with the clock at the evening of the history's last day (SHIPGATE_NOW), so the tracker, the
// leases and the forecast read as they did that day. Ctrl-C stops it.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = fileURLToPath(new URL("..", import.meta.url));
const dir = join(repo, ".test-tmp", "demo-history");
const NOW = "2026-11-24T19:00:00.000Z";
const portArg = process.argv.indexOf("--port");
const port = portArg > 0 ? process.argv[portArg + 1] : "7077";

if (process.argv.includes("--fresh") || !existsSync(join(dir, ".shipgate", "shipgate.db"))) {
  console.log("demo:serve: replaying the example's three weeks first (about a minute; scripts/demo-history.mjs)…");
  const history = spawnSync(process.execPath, [join(repo, "scripts/demo-history.mjs"), "--no-copy"], { cwd: repo, stdio: ["ignore", "ignore", "inherit"] });
  if (history.status !== 0) {
    console.error(`demo:serve: the replay failed (exit ${history.status}); run \`npm run demo:track\` to see why`);
    process.exit(1);
  }
}
console.log(`demo:serve: the example's program as of ${NOW.slice(0, 10)} evening; open the URL below (Ctrl-C stops)`);
const server = spawn(process.execPath, [join(repo, "dist/cli/main.js"), "serve", "--cwd", dir, "--port", port], { stdio: "inherit", env: { ...process.env, SHIPGATE_NOW: NOW } });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
