// Execute benchmark, side by side in one run:
//  1. `shipgate run` on 1 000 no-op `script` tasks (`run: true`), --max-parallel 8, in place, against a bare spawn of
//     `sh -c true` 1 000 times, 8 at a time, from Node: tasks per second, and shipgate's overhead per task =
//     (shipgate's wall time − the bare spawns' wall time) / tasks — target ≤ 20 ms;
//  2. the same plan in worktree mode (each attempt in its own git worktree, committed, checked, merged): reported;
//  3. MCP claim → complete round trips per second over stdio (bench/mcp.mjs), when that benchmark is present.
//   npm run build && node bench/run.mjs     (BENCH_RUNS=5 for more runs; BENCH_TASKS=1000, BENCH_WORKTREE_TASKS=200)
// Exits 0 when every measurement ran; 1 when one failed; 2 when it cannot start.
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchRuns, fail, fmtTime, printMachine, summarize } from "./stats.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "dist", "cli", "main.js");
const TARGET_OVERHEAD_MS = 20;
const PARALLEL = 8;

/** A project with `n` no-op script tasks. */
function project(n, workspace) {
  const dir = mkdtempSync(join(tmpdir(), `shipgate-bench-run-${workspace}-`));
  const tasks = Array.from({ length: n }, (_, i) => `  - { id: T${i + 1}, title: noop ${i + 1}, phase: p, owner: ci, estimate: 1, run: "true", files: [out/t${i + 1}] }`);
  writeFileSync(
    join(dir, "shipgate.plan.yaml"),
    ["version: 1", "agents:", `  - { id: ci, kind: script, max_parallel: ${PARALLEL} }`, "phases:", "  - { id: p, name: P }", "tasks:", ...tasks, `execution: { workspace: ${workspace} }`, ""].join("\n"),
  );
  if (workspace === "worktree") {
    const env = { ...process.env, GIT_AUTHOR_NAME: "b", GIT_AUTHOR_EMAIL: "b@example.com", GIT_COMMITTER_NAME: "b", GIT_COMMITTER_EMAIL: "b@example.com" };
    execFileSync("git", ["init", "-q", "-b", "main"], { cwd: dir });
    writeFileSync(join(dir, ".gitignore"), ".shipgate/\n");
    execFileSync("git", ["add", "-A"], { cwd: dir });
    execFileSync("git", ["commit", "-qm", "start"], { cwd: dir, env });
  }
  return dir;
}

/** `shipgate run` from a fresh store each time; the wall time of the whole command and its peak RSS. */
function measureRun(dir, n, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    rmSync(join(dir, ".shipgate"), { recursive: true, force: true });
    const started = performance.now();
    const run = spawnSync("/usr/bin/time", ["-f", "%M %U %S", process.execPath, BIN, "run", "--cwd", dir, "--max-parallel", String(PARALLEL), "--json"], { encoding: "utf8", maxBuffer: 256 << 20 });
    const ms = performance.now() - started;
    const finished = run.stdout.split("\n").filter((l) => l.includes('"run-finished"')).length;
    if (run.status !== 0 || finished !== n) {
      samples.push({ error: `exit ${run.status}, ${finished} of ${n} runs finished: ${run.stderr.trim().split("\n").slice(-3).join(" | ")}` });
      continue;
    }
    const [rssKB, user, sys] = run.stderr.trim().split("\n").at(-1).split(" ").map(Number);
    samples.push({ ms, rssMB: rssKB / 1024, cpuMs: (user + sys) * 1000 });
  }
  return summarize(samples);
}

/** `sh -c true` n times, PARALLEL at a time, from Node: what any dispatcher pays at least. */
async function bareSpawns(n) {
  const started = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < n) {
      next += 1;
      await new Promise((resolve, reject) => spawn("sh", ["-c", "true"], { stdio: "ignore" }).on("exit", resolve).on("error", reject));
    }
  };
  await Promise.all(Array.from({ length: PARALLEL }, lane));
  return performance.now() - started;
}

async function main() {
  const runs = benchRuns();
  if (runs === undefined) return fail(`BENCH_RUNS must be a positive integer (got "${process.env.BENCH_RUNS}")`);
  if (!existsSync(BIN)) return fail("dist/cli/main.js is missing: run `npm run build` first");
  const n = Number(process.env.BENCH_TASKS ?? 1000);
  const nWorktree = Number(process.env.BENCH_WORKTREE_TASKS ?? 200);
  printMachine(runs);
  let failed = false;

  console.log(`\n1. ${n} no-op script tasks, --max-parallel ${PARALLEL}, in place`);
  const inPlace = project(n, "in-place");
  const shipgate = measureRun(inPlace, n, runs);
  const bare = [];
  for (let i = 0; i < runs; i++) bare.push({ ms: await bareSpawns(n) });
  const peer = summarize(bare);
  if (shipgate.errors.length) {
    console.log(`  shipgate run  FAILED: ${shipgate.errors[0]}`);
    failed = true;
  } else {
    const overhead = (shipgate.ms - peer.ms) / n;
    console.log(`  shipgate run                      ${fmtTime(shipgate.ms)}  [${fmtTime(shipgate.minMs)}–${fmtTime(shipgate.maxMs)}]  ${(n / (shipgate.ms / 1000)).toFixed(0)} tasks/s, CPU ${fmtTime(shipgate.cpuMs)}, peak RSS ${shipgate.rssMB.toFixed(0)} MB`);
    console.log(`  bare spawn of sh -c true          ${fmtTime(peer.ms)}  [${fmtTime(peer.minMs)}–${fmtTime(peer.maxMs)}]  ${(n / (peer.ms / 1000)).toFixed(0)} spawns/s`);
    console.log(`  overhead per task                 ${overhead.toFixed(1)} ms (target ≤ ${TARGET_OVERHEAD_MS} ms: ${overhead <= TARGET_OVERHEAD_MS ? "MET" : "MISSED"}); ratio ${(shipgate.ms / peer.ms).toFixed(1)}× the bare spawns; shipgate CPU per task ${(shipgate.cpuMs / n).toFixed(1)} ms`);
  }
  rmSync(inPlace, { recursive: true, force: true });

  console.log(`\n2. ${nWorktree} no-op script tasks, --max-parallel ${PARALLEL}, each in its own git worktree (create, commit check, ownership, merge, remove)`);
  const worktree = project(nWorktree, "worktree");
  const wt = measureRun(worktree, nWorktree, Math.min(runs, 2));
  if (wt.errors.length) {
    console.log(`  shipgate run  FAILED: ${wt.errors[0]}`);
    failed = true;
  } else {
    console.log(`  shipgate run (worktrees)          ${fmtTime(wt.ms)}  ${(nWorktree / (wt.ms / 1000)).toFixed(1)} tasks/s, ${(wt.ms / nWorktree).toFixed(0)} ms per task, CPU ${fmtTime(wt.cpuMs)}`);
  }
  rmSync(worktree, { recursive: true, force: true });

  const mcp = join(ROOT, "bench", "mcp.mjs");
  if (existsSync(mcp)) {
    console.log("\n3. MCP claim → complete round trips over stdio");
    const { measureMcp } = await import(mcp);
    if (typeof measureMcp === "function") await measureMcp({ runs });
    else console.log("  bench/mcp.mjs exports no measureMcp: run `npm run bench:mcp`");
  }
  return failed ? 1 : 0;
}

process.exitCode = await main();
