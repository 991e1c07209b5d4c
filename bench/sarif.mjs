// SARIF ingest: shipgate's streaming SARIF parser on gen.mjs's 50 000-result log, against reading the
// same file with JSON.parse (what a non-streaming consumer does) and a bare byte scan. One run, ratios.
//   npm run bench:sarif        (BENCH_RUNS=5 for more runs)
import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, URL } from "node:url";
import { locateGenerator } from "./inputs.mjs";
import { benchRuns, fail, printMachine } from "./stats.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "bench", ".data");
const RESULTS = 50000;
const file = join(DATA, `sarif-${RESULTS}.sarif`);

const child = `
import { createReadStream, readFileSync } from "node:fs";
const [task, file] = process.argv.slice(1);
const t0 = performance.now();
let items = 0;
if (task === "shipgate") {
  const { sarifParser } = await import(${JSON.stringify(new URL("../dist/ingest/parsers/sarif.js", import.meta.url).href)});
  const r = await sarifParser.parse(createReadStream(file, { highWaterMark: 1 << 20 }), { file });
  items = r.findings.length;
} else if (task === "json-parse") {
  const log = JSON.parse(readFileSync(file, "utf8"));
  for (const run of log.runs) items += run.results.length;
} else {
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) for (let i = 0; i < chunk.length; i++) if (chunk[i] === 123) items++;
}
console.log(JSON.stringify({ ms: performance.now() - t0, rssMB: process.resourceUsage().maxRSS / 1024, items }));
`;

const runs = benchRuns();
if (runs === undefined) process.exit(fail(`BENCH_RUNS must be a positive integer (got "${process.env.BENCH_RUNS}")`));
if (!existsSync(join(ROOT, "dist", "ingest", "parsers", "sarif.js"))) {
  console.error("dist/ is missing: run `npm run build` (npm run bench:sarif builds first)");
  process.exit(2);
}
printMachine(runs);
if (!existsSync(file)) {
  const gen = locateGenerator(ROOT);
  spawnSync(process.execPath, [gen, "sarif", file, String(RESULTS)], { stdio: "inherit" });
}
console.log(`sarif ${(statSync(file).size / 1024 / 1024).toFixed(1)} MB / ${RESULTS} results`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = {};
for (const task of ["shipgate", "json-parse", "scan"]) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const out = spawnSync(process.execPath, ["--input-type=module", "-e", child, task, file], { encoding: "utf8" });
    if (out.status !== 0) {
      console.error(out.stderr);
      process.exit(1);
    }
    samples.push(JSON.parse(out.stdout));
  }
  if (task === "shipgate" && samples.some((s) => s.items !== RESULTS)) {
    console.error(`shipgate read ${samples[0].items} findings, expected ${RESULTS}`);
    process.exit(1);
  }
  results[task] = { ms: median(samples.map((s) => s.ms)), rssMB: Math.max(...samples.map((s) => s.rssMB)) };
  console.log(`  ${task.padEnd(12)} ${(results[task].ms / 1000).toFixed(2)} s  ${results[task].rssMB.toFixed(0)} MB`);
}
console.log(`  → shipgate takes ${(results.shipgate.ms / results["json-parse"].ms).toFixed(1)}× JSON.parse of the whole file, with ${(results.shipgate.rssMB / results["json-parse"].rssMB).toFixed(2)}× its peak memory`);
