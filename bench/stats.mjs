// What every benchmark prints the same way: medians, spreads, sizes, load, and its failure exit.
import { cpus, loadavg } from "node:os";

/** Median wall and CPU time, spread and peak RSS of a measurement's samples ({ ms, cpuMs?, rssMB?, error? }). */
export function summarize(list, keep = (sample) => ({ check: sample.check })) {
  const ok = list.filter((x) => !x.error);
  const times = ok.map((x) => x.ms).sort((a, b) => a - b);
  const cpu = ok.map((x) => x.cpuMs).filter((x) => x !== undefined).sort((a, b) => a - b);
  const rss = ok.map((x) => x.rssMB).filter((x) => x !== undefined);
  return {
    ms: times.length ? median(times) : undefined,
    cpuMs: cpu.length ? median(cpu) : undefined,
    minMs: times[0],
    maxMs: times[times.length - 1],
    rssMB: rss.length ? Math.max(...rss) : undefined,
    samples: ok.map((x) => ({ ms: x.ms, rssMB: x.rssMB })),
    ...(ok[0] ? keep(ok[0]) : {}),
    errors: list.filter((x) => x.error).map((x) => x.error),
  };
}

export function median(sorted) {
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export const fmtTime = (ms) => `${(ms / 1000).toFixed(2)} s`;
export const fmtMB = (mb, digits = 0) => (mb === undefined ? "n/a" : `${mb.toFixed(digits)} MB`);
export const fmtLoad = (l) => l.map((x) => x.toFixed(2)).join(" ");

/** Prints a [bench] error and returns exit code 2 (the benchmark could not start). */
export function fail(message) {
  console.error(message.startsWith("[bench]") ? message : `[bench] ${message}`);
  return 2;
}

/** BENCH_RUNS (default 3), or undefined when it is not a positive whole number. */
export function benchRuns() {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  return Number.isInteger(runs) && runs >= 1 ? runs : undefined;
}

/** Load per core above which a machine is called busy: times taken then are unreliable. */
const BUSY_PER_CORE = 0.5;
/** How long printMachine waits for a busy machine to quieten by default, in seconds (BENCH_WAIT). */
const DEFAULT_WAIT_S = 300;
const POLL_MS = 5000;

/**
 * Prints Node, cores, runs and the load average (with a warning when the machine is still busy); returns the load.
 * A busy machine (1-min load above 0.5 per core — `npm run bench:*` builds first, which alone lifts it) is waited for
 * first, up to BENCH_WAIT seconds (default 300; 0 measures at once), so a run starts quiet without a human watching
 * `uptime`. The wait is synchronous: nothing else is running yet.
 */
export function printMachine(runs) {
  const cores = cpus().length;
  const waitS = Number(process.env.BENCH_WAIT ?? DEFAULT_WAIT_S);
  let load = loadavg();
  if (!(waitS >= 0)) console.log(`⚠ BENCH_WAIT must be a number of seconds (got "${process.env.BENCH_WAIT}"): not waiting`);
  if (load[0] / cores > BUSY_PER_CORE && Number.isFinite(waitS) && waitS > 0) {
    const from = load[0];
    const started = Date.now();
    console.log(`load ${from.toFixed(2)} on ${cores} core(s): waiting up to ${waitS} s for it to fall to ${(BUSY_PER_CORE * cores).toFixed(2)} (BENCH_WAIT=0 to measure at once)`);
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    for (let left = waitS * 1000; load[0] / cores > BUSY_PER_CORE && left > 0; left = waitS * 1000 - (Date.now() - started)) {
      Atomics.wait(sleeper, 0, 0, Math.min(POLL_MS, left));
      load = loadavg();
    }
    console.log(`  waited ${((Date.now() - started) / 1000).toFixed(0)} s: load ${from.toFixed(2)} → ${load[0].toFixed(2)}`);
  }
  console.log(`node ${process.version}, ${cores} core(s), ${runs} run(s) per measurement`);
  console.log(`load average ${fmtLoad(load)} (1, 5, 15 min)`);
  if (load[0] / cores > BUSY_PER_CORE) {
    console.log(`⚠ load is ${(load[0] / cores).toFixed(2)} per core (> ${BUSY_PER_CORE}): other work is running, so times are unreliable`);
  }
  return { cores, load };
}
