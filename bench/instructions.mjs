// Instruction counts: what a command executed, repeatable on a noisy machine where wall time is not.
// `perf stat -e instructions:u` where the machine counts them; otherwise valgrind's callgrind, which
// works on every Linux VM but runs a program ~50–100× slower, so benchmarks count on smaller inputs.
// Node runs with --single-threaded under either: V8's background compiler and GC threads otherwise
// make the count vary by up to 50 % between two runs of the same program (seen: 0.78 G vs 1.20 G).
//   BENCH_INSTRUCTIONS=0 skips counting; =callgrind or =perf picks the counter.
import { spawnSync } from "node:child_process";

const MAX_BUFFER = 512 << 20;
let probed;

/** `{ tool: "perf" | "callgrind" }` when this machine can count, `{ why }` (a sentence) when it cannot. */
export function instructionCounter() {
  if (probed) return probed;
  const wanted = process.env.BENCH_INSTRUCTIONS;
  if (wanted === "0" || wanted === "off") return (probed = { why: "BENCH_INSTRUCTIONS=0: not counted" });
  if (wanted !== "callgrind" && perfCounts()) return (probed = { tool: "perf" });
  if (wanted === "perf") return (probed = { why: "perf cannot count instructions on this machine" });
  const valgrind = spawnSync("valgrind", ["--version"], { encoding: "utf8" });
  if (valgrind.status === 0) return (probed = { tool: "callgrind" });
  return (probed = { why: "no instruction counter: perf cannot count instructions here and valgrind is not installed (apt-get install valgrind)" });
}

function perfCounts() {
  const probe = spawnSync("perf", ["stat", "-x,", "-e", "instructions:u", "true"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return false;
  return (probe.stderr ?? "").split("\n").some((l) => /^\d+,/.test(l) && l.includes("instructions"));
}

/**
 * Instructions executed by `node --single-threaded <args>` (user space, every thread). Returns
 * `{ instructions, stdout, status }` or `{ error }`; `check(run)` may turn a wrong output into an error.
 */
export function countNode(args, { cwd, env, check } = {}) {
  const counter = instructionCounter();
  if (!counter.tool) return { error: counter.why };
  const node = [process.execPath, "--single-threaded", ...args];
  const [exe, argv] = counter.tool === "perf"
    ? ["perf", ["stat", "-x,", "-e", "instructions:u", ...node]]
    : ["valgrind", ["--tool=callgrind", "--smc-check=all-non-file", "--callgrind-out-file=/dev/null", ...node]];
  const run = spawnSync(exe, argv, { cwd, env: env ? { ...process.env, ...env } : process.env, encoding: "utf8", maxBuffer: MAX_BUFFER });
  if (run.error) return { error: run.error.message };
  const problem = check?.(run);
  if (problem) return { error: problem };
  const instructions = counter.tool === "perf" ? perfTotal(run.stderr) : callgrindTotal(run.stderr);
  return instructions === undefined ? { error: `no instruction count in ${counter.tool}'s output: ${run.stderr.slice(-300)}` } : { instructions, stdout: run.stdout, status: run.status };
}

function perfTotal(stderr) {
  const line = stderr.split("\n").find((l) => /^\d+,/.test(l) && l.includes("instructions"));
  return line ? Number(line.split(",")[0]) : undefined;
}

function callgrindTotal(stderr) {
  // "==123== Collected : 773085761"
  const line = stderr.split("\n").find((l) => l.includes("Collected :"));
  const n = line ? Number(line.slice(line.indexOf(":") + 1).trim()) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** "1.23 G" instructions. */
export const fmtInstr = (n) => (n === undefined ? "n/a" : n >= 1e9 ? `${(n / 1e9).toFixed(2)} G` : `${(n / 1e6).toFixed(0)} M`);

/** Ratio `a / b` of two counts, as "12.3×", or "?" when one is missing. */
export const instrRatio = (a, b) => (a === undefined || b === undefined || b <= 0 ? "?" : `${(a / b).toFixed(1)}×`);
