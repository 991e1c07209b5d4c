// MCP benchmark (issue 11, "Performance"): claim → complete round trips per second over stdio, one agent's server
// (`shipgate mcp --agent bench`, the built bin, through the SDK's own client) working a plan of 1 000 ready tasks
// with no acceptance, on SQLite. The peer is what a user would otherwise script: the command line's
// `shipgate task start --agent bench` then `shipgate task done ID --agent bench`, one process each, per task
// (measured on fewer tasks: two Node start-ups per task), printed as a ratio.
//   npm run build && node bench/mcp.mjs
//   BENCH_RUNS=3 BENCH_TASKS=1000 BENCH_CLI_TASKS=40
// `measureMcp()` is exported for a later bench/run.mjs. Exits 0 when every task was done exactly once by both;
// 1 when a measurement failed or a check did not hold; 2 when it cannot start (no build).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { benchRuns, fail, median, printMachine } from "./stats.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = process.env.SHIPGATE_BENCH_DIST ? resolve(process.env.SHIPGATE_BENCH_DIST) : join(ROOT, "dist");

const positive = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
};

/** A project whose plan has `count` independent tasks of agent `bench`, none with an acceptance command. */
function benchProject(count) {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-bench-mcp-"));
  const tasks = Array.from({ length: count }, (_, i) => `  - { id: t${String(i + 1).padStart(5, "0")}, title: task ${i + 1}, phase: p, owner: bench, estimate: 1 }`);
  writeFileSync(join(dir, "shipgate.plan.yaml"), ["version: 1", "agents:", "  - { id: bench, kind: cli }", "phases:", "  - { id: p, name: P }", "tasks:", ...tasks, ""].join("\n"));
  return dir;
}

/** Every task done, each by exactly one run (MCP) — read back from the store, not from what the clients counted. */
async function checkStore(dir, count, withRuns) {
  const { withStore } = await import(pathToFileURL(join(DIST, "store/open-store.js")).href);
  return withStore(join(dir, ".shipgate/shipgate.db"), { mustExist: true }, async (store) => {
    const tasks = await store.listTasks();
    const runs = await store.listRuns();
    const done = tasks.filter((t) => t.state === "done").length;
    const problems = [];
    if (done !== count) problems.push(`${done}/${count} tasks done`);
    if (withRuns && (runs.length !== count || new Set(runs.map((r) => r.taskId)).size !== count)) problems.push(`${runs.length} runs for ${count} tasks`);
    return problems;
  });
}

/** One MCP run: the server started and the plan imported first, then the timed claim → complete loop. */
async function mcpRun(count) {
  const dir = benchProject(count);
  const env = Object.fromEntries(Object.entries({ ...process.env, SHIPGATE_AGENT: "" }).filter((e) => e[1] !== undefined));
  const client = new Client({ name: "shipgate-bench", version: "1.0.0" });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [join(DIST, "cli/main.js"), "mcp", "--agent", "bench"], cwd: dir, env, stderr: "ignore" }));
  try {
    await client.listTools();
    let trips = 0;
    const start = performance.now();
    for (;;) {
      const claim = await client.callTool({ name: "claim_task", arguments: {} });
      if (claim.isError) throw new Error(`claim_task: ${claim.content?.[0]?.text}`);
      const lease = claim.structuredContent?.lease;
      if (!lease) break;
      const done = await client.callTool({ name: "complete_task", arguments: { run: lease.run, epoch: lease.epoch } });
      if (done.isError || done.structuredContent?.verdict !== "done") throw new Error(`complete_task: ${done.content?.[0]?.text}`);
      trips++;
    }
    const ms = performance.now() - start;
    await client.close();
    const problems = await checkStore(dir, count, true);
    if (trips !== count) problems.push(`${trips} round trips for ${count} tasks`);
    return { ms, trips, problems };
  } finally {
    await client.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One command-line run: `task start` then `task done` per task, each a process, after the plan's first import. */
async function cliRun(count) {
  const dir = benchProject(count);
  const shipgate = (...args) => execFileSync(process.execPath, [join(DIST, "cli/main.js"), ...args], { cwd: dir, encoding: "utf8", env: { ...process.env, SHIPGATE_AGENT: "", NO_COLOR: "1" } });
  try {
    shipgate("task", "list", "--json");
    // `task list` on no store reads the plan in memory: start one task by hand first so the store exists, then time the rest.
    shipgate("task", "start", "t00001", "--agent", "bench");
    shipgate("task", "done", "t00001", "--agent", "bench");
    const start = performance.now();
    for (let i = 2; i <= count; i++) {
      const started = shipgate("task", "start", "--agent", "bench", "--json");
      const { id } = JSON.parse(started);
      shipgate("task", "done", id, "--agent", "bench");
    }
    const ms = performance.now() - start;
    return { ms, trips: count - 1, problems: await checkStore(dir, count, false) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Claim → complete round trips per second through `shipgate mcp` over stdio, and through the command line's
 * `task start` + `task done` pair, medians over `runs`; `ratio` = MCP / command line. Prints its figures with `log`
 * (bench/run.mjs calls it as its third measurement) and returns them.
 */
export async function measureMcp({ tasks = 1000, cliTasks = 40, runs = 3, log = (line) => console.log(`  ${line}`) } = {}) {
  const mcp = [];
  const cli = [];
  const problems = [];
  for (let i = 0; i < runs; i++) {
    const m = await mcpRun(tasks);
    mcp.push((m.trips / m.ms) * 1000);
    problems.push(...m.problems.map((p) => `mcp run ${i + 1}: ${p}`));
    const c = await cliRun(cliTasks);
    cli.push((c.trips / c.ms) * 1000);
    problems.push(...c.problems.map((p) => `cli run ${i + 1}: ${p}`));
  }
  const mcpPerSec = median([...mcp].sort((a, b) => a - b));
  const cliPerSec = median([...cli].sort((a, b) => a - b));
  const fmt = (n) => n.toFixed(1);
  log(`shipgate mcp (stdio, SQLite): ${fmt(mcpPerSec)} claim → complete round trips/s on ${tasks} tasks (runs: ${mcp.map(fmt).join(", ")})`);
  log(`shipgate task start + task done (two processes per task): ${fmt(cliPerSec)} tasks/s on ${cliTasks} tasks (runs: ${cli.map(fmt).join(", ")})`);
  log(`ratio: MCP ${(mcpPerSec / cliPerSec).toFixed(1)}× the command line`);
  for (const p of problems) log(`✗ ${p}`);
  return { tasks, cliTasks, runs, mcpPerSec, cliPerSec, ratio: mcpPerSec / cliPerSec, samples: { mcp, cli }, problems };
}

async function main() {
  if (!existsSync(join(DIST, "cli/main.js"))) return fail(`no build in ${DIST}: run npm run build first`);
  const runs = benchRuns();
  const tasks = positive("BENCH_TASKS", 1000);
  const cliTasks = positive("BENCH_CLI_TASKS", 40);
  if (!runs || !tasks || !cliTasks) return fail("BENCH_RUNS, BENCH_TASKS and BENCH_CLI_TASKS must be positive whole numbers");
  printMachine(runs);
  const r = await measureMcp({ tasks, cliTasks, runs, log: (line) => console.log(line) });
  return r.problems.length ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    (code) => (process.exitCode = code),
    (error) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
