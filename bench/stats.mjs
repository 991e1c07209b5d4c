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

/** Prints Node, cores, runs and the load average (with a warning when the machine is busy); returns the load. */
export function printMachine(runs) {
  const cores = cpus().length;
  const load = loadavg();
  console.log(`node ${process.version}, ${cores} core(s), ${runs} run(s) per measurement`);
  console.log(`load average ${fmtLoad(load)} (1, 5, 15 min)`);
  if (load[0] / cores > 0.5) {
    console.log(`⚠ load is ${(load[0] / cores).toFixed(2)} per core (> 0.5): other work is running, so times are unreliable`);
  }
  return { cores, load };
}
