// Plan benchmark, three measurements side by side in one run:
//  1. `shipgate plan check` (parse, validate, critical path, schedule, cost, conflicts) on the generated
//     100 000-task plan — target under 10 s — next to js-yaml parsing the same file alone;
//  2. `shipgate task next` on the 10 000-task plan against `task-master next` (task-master-ai) on the
//     same tasks as a task-master project — target ≥ 10× faster in every run (the slowest shipgate run against the
//     fastest task-master run; the two are run alternately); both are whole commands, start-up included;
//  3. `shipgate --version` against `node -e 0` — target under 150 ms.
//   npm run build && node bench/plan.mjs     (BENCH_RUNS=5 for more runs; SHIPGATE_BENCH_GEN=/path/gen.mjs)
// Instruction counts (bench/instructions.mjs; BENCH_INSTRUCTIONS=0 skips them) of task next and task-master next,
// and of plan check and js-yaml on the 10 000-task plan, are printed beside the times: they repeat on a busy machine.
// task-master-ai (≈1.4 GB with its AI SDKs) is installed on first use into bench/.data/peers, not as a
// devDependency: the tests never need it. Exits 0 when every measurement ran; 1 when one failed; 2 when it cannot start.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, realpathSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureInput, locateGenerator } from "./inputs.mjs";
import { countNode, fmtInstr, instrRatio } from "./instructions.mjs";
import { benchRuns, fail, fmtTime, printMachine, summarize } from "./stats.mjs";
import { startWithoutExtraCaCerts, networkEnv } from "./start-env.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "bench", ".data");
const PEERS = join(DATA, "peers");
const BIN = join(ROOT, "dist", "cli", "main.js");
const TASK_MASTER_VERSION = "0.43.1";
const TARGETS = { checkMs: 10_000, nextSpeedup: 10, versionMs: 150 };

/** js-yaml parsing the plan file argv[1] and nothing else; exits 3 unless it holds argv[2] tasks. */
const YAML_ALONE = `const y=require("js-yaml");const d=y.load(require("fs").readFileSync(process.argv[1],"utf8"),{schema:y.CORE_SCHEMA});if(d.tasks.length!==Number(process.argv[2]))process.exit(3)`;

/** Runs a command `runs` times (after one warm-up) and returns the samples' summary; `check` validates the output. */
function measure(label, command, args, options, runs, check) {
  const samples = [];
  for (let i = 0; i <= runs; i++) {
    const started = performance.now();
    const run = spawnSync(command, args, { encoding: "utf8", maxBuffer: 512 << 20, ...options });
    const ms = performance.now() - started;
    if (i === 0) {
      const problem = run.error?.message ?? check(run);
      if (problem) return { label, errors: [problem] };
      continue;
    }
    samples.push({ ms });
  }
  return { label, ...summarize(samples) };
}

/**
 * Measures several commands in turn — a, b, a, b, … after one warm-up each — so that a change of load on a busy
 * machine falls on all of them alike; sample i of each was taken side by side. Returns one summary per command.
 */
function alternate(commands, runs) {
  const samples = commands.map(() => []);
  const errors = commands.map((c) => {
    const run = spawnSync(c.command, c.args, { encoding: "utf8", maxBuffer: 512 << 20, ...c.options });
    return run.error?.message ?? c.check(run);
  });
  for (let i = 0; i < runs; i++) {
    commands.forEach((c, k) => {
      if (errors[k]) return;
      const started = performance.now();
      spawnSync(c.command, c.args, { encoding: "utf8", maxBuffer: 512 << 20, ...c.options });
      samples[k].push({ ms: performance.now() - started });
    });
  }
  return commands.map((c, k) => (errors[k] ? { errors: [errors[k]] } : summarize(samples[k])));
}

function installTaskMaster() {
  const bin = join(PEERS, "node_modules", ".bin", "task-master");
  if (existsSync(bin)) return bin;
  console.log(`installing task-master-ai@${TASK_MASTER_VERSION} into ${PEERS} (once; about 2 minutes) …`);
  mkdirSync(PEERS, { recursive: true });
  const run = spawnSync("npm", ["install", "--prefix", PEERS, "--no-audit", "--no-fund", "--ignore-scripts", `task-master-ai@${TASK_MASTER_VERSION}`], { stdio: "inherit", env: networkEnv() });
  return run.status === 0 && existsSync(bin) ? bin : undefined;
}

const row = (name, s, extra = "") => console.log(`  ${name.padEnd(34)} ${s.errors?.length ? `FAILED: ${s.errors[0]}` : `${fmtTime(s.ms)}  [${fmtTime(s.minMs)}–${fmtTime(s.maxMs)}]`}${extra}`);

function main() {
  const runs = benchRuns();
  if (runs === undefined) return fail(`BENCH_RUNS must be a positive integer (got "${process.env.BENCH_RUNS}")`);
  if (!existsSync(BIN)) return fail("dist/cli/main.js is missing: run `npm run build` first");
  let gen;
  try {
    gen = locateGenerator(ROOT);
  } catch (error) {
    return fail(error.message);
  }
  printMachine(runs);
  startWithoutExtraCaCerts();
  let failed = false;

  // 1. plan check on 100 000 tasks.
  const big = ensureInput({ gen, dataDir: DATA, kind: "plan", fileName: "plan-100k.yaml", count: 100_000 });
  const emptyRepo = join(DATA, "plan-cwd");
  mkdirSync(emptyRepo, { recursive: true });
  console.log(`\nplan check — ${big.path} (${(big.bytes / 1e6).toFixed(1)} MB, 100 000 tasks)`);
  const check = measure("shipgate plan check", process.execPath, [BIN, "plan", "check", "--plan", big.path, "--cwd", emptyRepo, "--json", "--date", "2026-11-23"], {}, runs, (r) =>
    r.status === 0 || r.status === 1 ? (JSON.parse(r.stdout).tasks === 100_000 ? undefined : "did not read 100 000 tasks") : `exit ${r.status}: ${r.stderr.slice(0, 300)}`,
  );
  const yaml = measure("js-yaml load alone", process.execPath, ["-e", YAML_ALONE, big.path, "100000"], { cwd: ROOT }, runs, (r) => (r.status === 0 ? undefined : `exit ${r.status}: ${r.stderr.slice(0, 200)}`));
  row("shipgate plan check", check, check.ms !== undefined ? `  target < ${fmtTime(TARGETS.checkMs)}: ${check.ms < TARGETS.checkMs ? "met" : `missed by ${fmtTime(check.ms - TARGETS.checkMs)}`}` : "");
  row("js-yaml load alone", yaml, check.ms !== undefined && yaml.ms !== undefined ? `  (parsing is ${Math.round((yaml.ms / check.ms) * 100)} % of plan check)` : "");
  failed ||= !!(check.errors?.length || yaml.errors?.length);

  // 2. task next on 10 000 tasks vs task-master next.
  const small = ensureInput({ gen, dataDir: DATA, kind: "plan", fileName: "plan-10k.yaml", count: 10_000 });
  const tmProject = join(DATA, "taskmaster-10k");
  rmSync(tmProject, { recursive: true, force: true });
  const genRun = spawnSync(process.execPath, [gen, "taskmaster", tmProject, "10000"], { stdio: "inherit" });
  if (genRun.status !== 0) return fail("gen.mjs taskmaster failed");
  const db = join(DATA, "plan-10k.db");
  rmSync(db, { force: true });
  for (const suffix of ["-wal", "-shm"]) rmSync(`${db}${suffix}`, { force: true });
  // The store an agent's loop reads: created as `task start` or `db migrate` would, the plan imported by the
  // warm-up run; each measured run then hashes the unchanged plan file and reads the store, as task-master reads its
  // tasks.json. (task next on a folder with no store reads an empty one in memory and imports the plan into it
  // every time: measured apart below, not what the target is about.)
  const created = spawnSync(process.execPath, [BIN, "db", "migrate", "--db", db, "--cwd", emptyRepo], { encoding: "utf8" });
  if (created.status !== 0) return fail(`shipgate db migrate failed: ${created.stderr.slice(0, 300)}`);
  const nextArgsWith = (store) => [BIN, "task", "next", "--agent", "claude", "--plan", small.path, "--db", store, "--cwd", emptyRepo, "--json"];
  const nextArgs = nextArgsWith(db);
  const nextCheck = (r) => (r.status === 0 ? (JSON.parse(r.stdout)?.id ? undefined : "no task") : `exit ${r.status}: ${r.stderr.slice(0, 300)}`);
  console.log(`\ntask next — ${small.path} (10 000 tasks) in ${db}; runs alternate between shipgate and task-master`);
  const tm = installTaskMaster();
  if (!tm) {
    const next = measure("shipgate task next", process.execPath, nextArgs, {}, runs, nextCheck);
    row("shipgate task next", next);
    console.log("  task-master next                   not measured: task-master-ai could not be installed");
    failed = true;
  } else {
    const tmEnv = { ...process.env, NO_COLOR: "1" };
    const tmCheck = (r) => (r.status === 0 && /Next Task/.test(r.stdout) ? undefined : `exit ${r.status}: ${(r.stderr || r.stdout).slice(0, 300)}`);
    const [next, peer] = alternate(
      [
        { command: process.execPath, args: nextArgs, options: {}, check: nextCheck },
        { command: tm, args: ["next"], options: { cwd: tmProject, env: tmEnv }, check: tmCheck },
      ],
      runs,
    );
    row("shipgate task next", next);
    row("task-master next", peer);
    failed ||= !!(next.errors?.length || peer.errors?.length);
    if (!next.errors?.length && !peer.errors?.length) {
      // Per run, not on average: the slowest shipgate run against the fastest task-master run must clear the target,
      // so every shipgate run was at least that much faster than every task-master run.
      const worst = peer.minMs / next.maxMs;
      const pairs = next.samples.map((s, i) => peer.samples[i].ms / s.ms);
      const median = peer.ms / next.ms;
      console.log(`  → shipgate ${worst.toFixed(1)}× faster in the worst case (slowest shipgate run ${fmtTime(next.maxMs)} vs fastest task-master run ${fmtTime(peer.minMs)}); ` +
        `per pair of runs ${Math.min(...pairs).toFixed(1)}×–${Math.max(...pairs).toFixed(1)}×, medians ${median.toFixed(1)}× — target ≥ ${TARGETS.nextSpeedup}× in every run: ${worst >= TARGETS.nextSpeedup ? "MET" : "MISSED"}`);
      const counts = [
        countNode(nextArgs, { check: nextCheck }),
        countNode([realpathSync(tm), "next"], { cwd: tmProject, env: { NO_COLOR: "1" }, check: tmCheck }),
      ];
      if (counts.some((c) => c.error)) console.log(`  instructions: ${counts.map((c) => c.error).filter(Boolean)[0]}`);
      else console.log(`  instructions (node --single-threaded, once each): shipgate ${fmtInstr(counts[0].instructions)}, task-master ${fmtInstr(counts[1].instructions)} → ${instrRatio(counts[1].instructions, counts[0].instructions)} fewer`);
    }
  }
  // The first call in a folder without a store: the plan parsed, validated and imported into an empty store in memory.
  const missingDb = join(DATA, "plan-10k-missing.db");
  rmSync(missingDb, { force: true });
  const cold = measure("task next without a store", process.execPath, nextArgsWith(missingDb), {}, runs, nextCheck);
  row("task next without a store", cold, "  (informative: parses and imports the plan each time)");
  failed ||= !!cold.errors?.length;

  // Instruction counts of plan check against js-yaml alone, on the 10 000-task plan (callgrind on 100 000 takes minutes).
  const checkCount = countNode([BIN, "plan", "check", "--plan", small.path, "--cwd", emptyRepo, "--json", "--date", "2026-11-23"], { check: (r) => (r.status === 0 || r.status === 1 ? undefined : `exit ${r.status}: ${r.stderr.slice(0, 200)}`) });
  const yamlCount = countNode(["-e", YAML_ALONE, small.path, "10000"], { cwd: ROOT, check: (r) => (r.status === 0 ? undefined : `exit ${r.status}: ${r.stderr.slice(0, 200)}`) });
  if (checkCount.error || yamlCount.error) console.log(`\n  plan check instructions: ${checkCount.error ?? yamlCount.error}`);
  else console.log(`\nplan check on 10 000 tasks, instructions: shipgate ${fmtInstr(checkCount.instructions)}, js-yaml load alone ${fmtInstr(yamlCount.instructions)} (parsing is ${Math.round((yamlCount.instructions / checkCount.instructions) * 100)} % of plan check's count)`);

  // 3. start-up.
  console.log("\nstart-up");
  const version = measure("shipgate --version", process.execPath, [BIN, "--version"], {}, Math.max(runs, 10), (r) => (r.status === 0 ? undefined : `exit ${r.status}`));
  const bare = measure("node -e 0", process.execPath, ["-e", "0"], {}, Math.max(runs, 10), (r) => (r.status === 0 ? undefined : `exit ${r.status}`));
  row("shipgate --version", version, version.ms !== undefined ? `  target < ${TARGETS.versionMs} ms: ${version.ms < TARGETS.versionMs ? "met" : "missed"} (${Math.round(version.ms)} ms)` : "");
  row("node -e 0", bare, bare.ms !== undefined && version.ms !== undefined ? `  (Node alone ${Math.round(bare.ms)} ms; shipgate adds ${Math.round(version.ms - bare.ms)} ms)` : "");
  failed ||= !!(version.errors?.length || bare.errors?.length);
  return failed ? 1 : 0;
}

process.exitCode = main();
