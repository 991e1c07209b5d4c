// Runs a measurement in a child process and returns { ms, rssMB, items, check } or { error }.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { URL, fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("ingest-child.mjs", import.meta.url));
const MAX_BUFFER = 512 << 20;
const kbToMB = (kb) => (kb * 1024) / 1e6;

export function measureChild(task, file, expected) {
  const run = spawnSync(process.execPath, [CHILD, task, file, String(expected)], { encoding: "utf8", maxBuffer: MAX_BUFFER });
  if (run.status !== 0) return { error: failure(run) };
  const out = JSON.parse(run.stdout.trim().split("\n").pop());
  return { ms: out.ms, cpuMs: out.cpuMs, rssMB: kbToMB(out.maxRssKB), items: out.items, check: out.check };
}

/**
 * The instructions one child measurement executes beyond its start-up and module loading: the count
 * of the whole child minus that of the same child stopped after loading (BENCH_LOAD_ONLY=1).
 */
export function countChild(task, file, expected, countNode) {
  const args = [CHILD, task, file, String(expected)];
  const ok = (run) => (run.status === 0 ? undefined : failure(run));
  const full = countNode(args, { check: ok });
  const load = full.error ? full : countNode(args, { env: { BENCH_LOAD_ONLY: "1" }, check: ok });
  if (full.error || load.error) return { error: full.error ?? load.error };
  return { instructions: full.instructions - load.instructions, loadInstructions: load.instructions };
}

/** The digest (bench/golden.mjs) of a shipgate parser's whole result on `file`, or `{ error }`. */
export function digestChild(task, file, expected) {
  // Run beside the file and name it relatively: results carry the report's name, and the digest must
  // not depend on where the repository is checked out.
  const run = spawnSync(process.execPath, [CHILD, task, basename(file), String(expected)], { cwd: dirname(file), encoding: "utf8", maxBuffer: MAX_BUFFER, env: { ...process.env, BENCH_DIGEST: "1" } });
  if (run.status !== 0) return { error: failure(run) };
  return { digest: JSON.parse(run.stdout.trim().split("\n").pop()).digest };
}

/** GNU time's `-f %M` (peak RSS in KB) when it works here; otherwise the command's RSS is not measured. */
export function findGnuTime() {
  const path = "/usr/bin/time";
  if (!existsSync(path)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "shipgate-bench-"));
  try {
    const probe = spawnSync(path, ["-f", "%M", "-o", join(dir, "rss"), "true"]);
    return probe.status === 0 && /^\d+\s*$/.test(readFileSync(join(dir, "rss"), "utf8")) ? path : undefined;
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `shipgate assess --report <lcov> --json` as a user runs it: wall time including Node's start-up,
 * in an empty directory (no repository to list) with a fresh store each time.
 */
export function measureAssess({ mainJs, report, expectedFiles, gnuTime }) {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-bench-"));
  try {
    const cmd = assessArgs(mainJs, report, dir);
    const rssFile = join(dir, "rss");
    const [exe, args] = gnuTime ? [gnuTime, ["-f", "%M", "-o", rssFile, process.execPath, ...cmd]] : [process.execPath, cmd];
    const start = performance.now();
    const run = spawnSync(exe, args, { cwd: dir, encoding: "utf8", maxBuffer: MAX_BUFFER });
    const ms = performance.now() - start;
    if (run.status !== 0) return { error: failure(run) };
    const coverage = JSON.parse(run.stdout).coverage;
    const files = coverage?.paths?.total;
    if (files !== expectedFiles) return { error: `assess reported ${files} covered file(s), expected ${expectedFiles}` };
    const rssMB = gnuTime ? kbToMB(Number(readFileSync(rssFile, "utf8").trim().split("\n").pop())) : undefined;
    return { ms, rssMB, items: files, check: { lines: coverage.counts?.lines?.total } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const assessArgs = (mainJs, report, dir) => [mainJs, "assess", "--report", report, "--json", "--db", join(dir, "shipgate.db")];

/**
 * The assess command's `--json` output, made repeatable: a pinned clock, an empty working directory
 * outside any git repository (else the checkout's commit shows up), and the report linked beside it
 * under a fixed relative name (the output shows that name, so the clone's location cannot).
 * Returns `{ stdout }` or `{ error }`.
 */
export function assessOutput({ mainJs, report }) {
  const root = join(tmpdir(), "shipgate-bench-assess-output");
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, "cwd"), { recursive: true });
  mkdirSync(join(root, "data"));
  symlinkSync(report, join(root, "data", basename(report)));
  try {
    const run = spawnSync(process.execPath, assessArgs(mainJs, join("..", "data", basename(report)), "."), { cwd: join(root, "cwd"), encoding: "utf8", maxBuffer: MAX_BUFFER, env: { ...process.env, SHIPGATE_NOW: "2026-12-01T00:00:00Z" } });
    return run.status === 0 ? { stdout: run.stdout } : { error: failure(run) };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The whole assess command's instruction count (bench/instructions.mjs), in a fresh directory. */
export function countAssess({ mainJs, report, countNode }) {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-bench-"));
  try {
    return countNode(assessArgs(mainJs, report, dir), { cwd: dir, check: (run) => (run.status === 0 ? undefined : failure(run)) });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function failure(run) {
  if (run.error) return run.error.message;
  const why = run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
  const stderr = (run.stderr ?? "").trim().split("\n").slice(-3).join(" | ");
  return stderr ? `${why}: ${stderr}` : why;
}

/**
 * Prints where a .cpuprofile's time went: self time per function and the inclusive time of shipgate's own (dist/)
 * functions, as shares of the busy (not idle) time. `root` is stripped from file names.
 */
export function printCpuProfile(file, { root, selfTop = 15, inclusiveTop = 20 }) {
  const { nodes, samples, timeDeltas } = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const self = new Map();
  for (let i = 0; i < samples.length; i++) self.set(samples[i], (self.get(samples[i]) ?? 0) + (timeDeltas[i] ?? 0) / 1000);
  const nameOf = (id) => {
    const { functionName, url, lineNumber } = byId.get(id).callFrame;
    const where = url ? url.replace(/^file:\/\//, "").replace(root, "") : "";
    return `${functionName || "(anonymous)"}${where ? ` ${where}:${lineNumber + 1}` : ""}`;
  };
  let total = 0;
  let idle = 0;
  const perFunction = new Map();
  const inclusive = new Map();
  for (const [id, t] of self) {
    total += t;
    const name = nameOf(id);
    if (name.startsWith("(idle)")) idle += t;
    perFunction.set(name, (perFunction.get(name) ?? 0) + t);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const n = nameOf(at);
      if (!n.includes(" dist/") || seen.has(n)) continue;
      seen.add(n);
      inclusive.set(n, (inclusive.get(n) ?? 0) + t);
    }
  }
  const busy = total - idle;
  const top = (map, n) => [...map].filter(([name]) => !name.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, n);
  const line = ([name, t]) => console.log(`    ${t.toFixed(0).padStart(7)} ms  ${((t / busy) * 100).toFixed(1).padStart(5)} %  ${name}`);
  console.log(`  ${busy.toFixed(0)} ms busy of ${total.toFixed(0)} ms sampled: ${file}`);
  console.log("  self time by function (share of the busy time):");
  top(perFunction, selfTop).forEach(line);
  console.log("  inclusive time of shipgate's functions:");
  top(inclusive, inclusiveTop).forEach(line);
}
