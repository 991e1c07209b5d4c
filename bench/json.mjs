#!/usr/bin/env node
// shipgate's JSON report parsers (istanbul coverage-final.json, coverage.py JSON, SARIF) against what a
// user would otherwise run: readFileSync + JSON.parse of the whole file, then a walk counting its entries.
// Target: within 1.5× of JSON.parse in wall time, with memory bounded by the largest entry, not the file.
//   node bench/json.mjs                        all formats (after `npm run build`; BENCH_RUNS=3)
//   node bench/json.mjs child <task> <file>    one measurement (used by the above; BENCH_LOAD_ONLY=1 stops after loading)
// SHIPGATE_BENCH_DIST=/path/to/dist measures another build (before/after a change).
// jsonMeasurements({ dataDir, runs }) returns the rows and printJsonRows(rows) prints them, for bench/ingest.mjs.
import { spawnSync } from "node:child_process";
import { createReadStream, readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { fileURLToPath, pathToFileURL, URL } from "node:url";
import { countNode, fmtInstr } from "./instructions.mjs";
import { ensureInput, locateGenerator } from "./inputs.mjs";
import { ensureJsonInput } from "./json-inputs.mjs";
import { benchRuns, fail, fmtMB, fmtTime, median, printMachine } from "./stats.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const HIGH_WATER_MARK = 1 << 20;
export const TARGET_RATIO = 1.5;

/** The formats: how to find the entries in a parsed document, and which shipgate parser reads it. */
const FORMATS = {
  "istanbul-final": {
    parser: ["ingest/parsers/istanbul-final.js", "istanbulFinalParser"],
    entries: (doc) => Object.values(doc),
    items: (result) => result.coverage.length,
  },
  coveragepy: {
    parser: ["ingest/parsers/coveragepy.js", "coveragepyParser"],
    entries: (doc) => Object.values(doc.files),
    items: (result) => result.coverage.length,
  },
  // gen.mjs writes results of level error, warning or note only: every result is a finding.
  sarif: {
    parser: ["ingest/parsers/sarif.js", "sarifParser"],
    entries: (doc) => doc.runs.flatMap((run) => run.results ?? []),
    items: (result) => result.findings.length,
  },
};

/** One measurement in this process: `shipgate:<format>` or `json-parse:<format>`. */
async function child(task, file) {
  const [who, format] = task.split(":");
  const spec = FORMATS[format];
  if (!spec || (who !== "shipgate" && who !== "json-parse")) throw new Error(`[bench] unknown task ${task}`);
  let run;
  if (who === "shipgate") {
    const [module, name] = spec.parser;
    // SHIPGATE_BENCH_DIST: another build's dist/ (say main's), to compare before and after a change.
    const dist = process.env.SHIPGATE_BENCH_DIST ? pathToFileURL(`${process.env.SHIPGATE_BENCH_DIST.replace(/\/$/, "")}/`) : new URL("../dist/", import.meta.url);
    const parser = (await import(new URL(module, dist).href))[name];
    run = async () => spec.items(await parser.parse(createReadStream(file, { highWaterMark: HIGH_WATER_MARK }), { file }));
  } else {
    run = async () => spec.entries(JSON.parse(readFileSync(file, "utf8"))).length;
  }
  if (process.env.BENCH_LOAD_ONLY === "1") return;
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  const items = await run();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  process.stdout.write(`${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKB: process.resourceUsage().maxRSS, items })}\n`);
}

function measure(task, file) {
  const run = spawnSync(process.execPath, [SELF, "child", task, file], { cwd: ROOT, encoding: "utf8", maxBuffer: 64 << 20 });
  if (run.status !== 0) return { error: `${task} exited ${run.status ?? run.signal}: ${(run.stderr || run.stdout).trim().split("\n").slice(-3).join(" | ")}` };
  const out = JSON.parse(run.stdout.trim().split("\n").pop());
  return { ms: out.ms, cpuMs: out.cpuMs, rssMB: (out.maxRssKB * 1024) / 1e6, items: out.items };
}

/** Median wall and CPU time and peak RSS of `runs` child processes; an error when the item counts disagree with `items`. */
function measureRuns(task, file, runs, items) {
  const samples = Array.from({ length: runs }, () => measure(task, file));
  const failed = samples.find((sample) => sample.error);
  if (failed) return { error: failed.error };
  const wrong = samples.find((sample) => items !== undefined && sample.items !== items);
  if (wrong) return { error: `${task} read ${wrong.items} item(s), expected ${items}` };
  const sorted = (key) => samples.map((sample) => sample[key]).sort((a, b) => a - b);
  return { ms: median(sorted("ms")), cpuMs: median(sorted("cpuMs")), rssMB: Math.max(...sorted("rssMB")), items: samples[0].items };
}

/** Instructions of one measurement, net of a load-only run of the same child. */
function instructions(task, file) {
  const args = [SELF, "child", task, file];
  const check = (run) => (run.status === 0 ? undefined : `${task} exited ${run.status}: ${run.stderr.slice(-300)}`);
  const full = countNode(args, { cwd: ROOT, check });
  if (full.error) return { error: full.error };
  const load = countNode(args, { cwd: ROOT, env: { BENCH_LOAD_ONLY: "1" }, check });
  if (load.error) return { error: load.error };
  return { instructions: full.instructions - load.instructions };
}

/** Bytes of the largest entry, as JSON.stringify writes it (what the splitter holds at most, give or take whitespace). */
function largestEntryBytes(format, file) {
  let largest = 0;
  for (const entry of FORMATS[format].entries(JSON.parse(readFileSync(file, "utf8")))) largest = Math.max(largest, Buffer.byteLength(JSON.stringify(entry)));
  return largest;
}

/**
 * The inputs: big files for wall time and memory, ~1 MB ones for instruction counts (callgrind runs ~50–100×
 * slower, so counting all three formats takes a few minutes). At that size a good part of shipgate's count is
 * fixed cost — V8 compiling the parser's code, the stream's first read — which JSON.parse (C++) of a file read
 * whole never pays, so the ratio there is higher than on a big report; compare counts before and after a
 * change rather than against the target. SARIF comes from the shared gen.mjs; the coverage reports from
 * bench/json-inputs.mjs.
 */
async function inputs(dataDir) {
  const gen = locateGenerator(ROOT);
  const sarif = (count, fileName) => ensureInput({ gen, dataDir, kind: "sarif", fileName, count });
  const json = (kind, count, fileName) => ensureJsonInput({ dataDir, kind, fileName, count });
  return [
    { format: "istanbul-final", big: [await json("istanbul-final", 4500, "coverage-final-4500.json")], small: await json("istanbul-final", 90, "coverage-final-90.json") },
    { format: "coveragepy", big: [await json("coveragepy", 72000, "coveragepy-72000.json")], small: await json("coveragepy", 1400, "coveragepy-1400.json") },
    { format: "sarif", big: [sarif(50000, "sarif-50k.sarif"), sarif(200000, "sarif-200k.sarif")], small: sarif(4000, "sarif-4k.sarif") },
  ];
}

/**
 * For each format and big input: wall and CPU time (median of `runs`, each in its own process) and peak RSS of
 * shipgate's parser and of JSON.parse, their ratio against TARGET_RATIO, the largest entry's size, and
 * instruction counts of both on the small input.
 */
export async function jsonMeasurements({ dataDir = fileURLToPath(new URL(".data/", import.meta.url)), runs = 3, count = true } = {}) {
  const rows = [];
  for (const { format, big, small } of await inputs(dataDir)) {
    for (const input of big) {
      const parsed = measureRuns(`json-parse:${format}`, input.path, runs);
      const shipgate = measureRuns(`shipgate:${format}`, input.path, runs, parsed.items);
      const ratio = parsed.ms && shipgate.ms ? shipgate.ms / parsed.ms : undefined;
      rows.push({ format, file: input.path, bytes: input.bytes, largestEntryBytes: largestEntryBytes(format, input.path), shipgate, jsonParse: parsed, ratio, met: ratio !== undefined && ratio <= TARGET_RATIO });
    }
    if (count) {
      const shipgate = instructions(`shipgate:${format}`, small.path);
      const parsed = instructions(`json-parse:${format}`, small.path);
      const ratio = shipgate.instructions && parsed.instructions ? shipgate.instructions / parsed.instructions : undefined;
      rows.push({ format, file: small.path, bytes: small.bytes, instructions: { shipgate, jsonParse: parsed, ratio } });
    }
  }
  return rows;
}

const fmtRatio = (ratio) => (ratio === undefined ? "n/a" : `${ratio.toFixed(2)}×`);

/** Prints the rows of jsonMeasurements, one line each. */
export function printJsonRows(rows) {
  for (const row of rows) {
    const size = fmtMB(row.bytes / 1e6, 1);
    if (row.instructions) {
      const { shipgate, jsonParse, ratio } = row.instructions;
      const show = (x) => (x.error ? `n/a (${x.error})` : fmtInstr(x.instructions));
      console.log(`  ${row.format.padEnd(15)} ${size.padStart(9)}  instructions: shipgate ${show(shipgate)}, JSON.parse ${show(jsonParse)}  ratio ${fmtRatio(ratio)}`);
      continue;
    }
    const { shipgate, jsonParse } = row;
    if (shipgate.error || jsonParse.error) {
      console.log(`  ${row.format.padEnd(15)} ${size.padStart(9)}  error: ${shipgate.error ?? jsonParse.error}`);
      continue;
    }
    console.log(
      `  ${row.format.padEnd(15)} ${size.padStart(9)}  shipgate ${fmtTime(shipgate.ms)} (cpu ${fmtTime(shipgate.cpuMs)}, ${fmtMB(shipgate.rssMB)})` +
        `  JSON.parse ${fmtTime(jsonParse.ms)} (cpu ${fmtTime(jsonParse.cpuMs)}, ${fmtMB(jsonParse.rssMB)})` +
        `  ratio ${fmtRatio(row.ratio)} vs ≤ ${TARGET_RATIO}× ${row.met ? "MET" : "MISSED"}  largest entry ${(row.largestEntryBytes / 1e3).toFixed(1)} KB, ${shipgate.items} entries`,
    );
  }
}

async function main() {
  const runs = benchRuns();
  if (runs === undefined) return fail("BENCH_RUNS must be a positive whole number");
  printMachine(runs);
  console.log("JSON reports: shipgate's parser vs readFileSync + JSON.parse + a walk counting entries (wall median, cpu, peak RSS)");
  const rows = await jsonMeasurements({ runs });
  printJsonRows(rows);
  return rows.some((row) => row.shipgate?.error || row.jsonParse?.error) ? 1 : 0;
}

if (process.argv[1] === SELF) {
  if (process.argv[2] === "child") await child(process.argv[3], process.argv[4]);
  else process.exitCode = await main();
}
