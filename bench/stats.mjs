// What every benchmark prints the same way: medians, spreads, sizes, load, and its failure exit.

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
