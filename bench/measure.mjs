// Runs a measurement in a child process and returns { ms, rssMB, items, check } or { error }.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
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
    const cmd = [mainJs, "assess", "--report", report, "--json", "--db", join(dir, "shipgate.db")];
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

function failure(run) {
  if (run.error) return run.error.message;
  const why = run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
  const stderr = (run.stderr ?? "").trim().split("\n").slice(-3).join(" | ");
  return stderr ? `${why}: ${stderr}` : why;
}
