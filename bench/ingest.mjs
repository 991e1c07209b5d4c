// Ingest benchmark: shipgate's lcov and JUnit parsers against their npm peers and a bare byte scan,
// the whole `shipgate assess` command, and the JSON report parsers (istanbul final, coverage.py, SARIF)
// against JSON.parse of the whole file (bench/json.mjs). Prints medians, peak RSS, instruction counts
// and the ratios against the targets.
//   npm run bench:ingest            (BENCH_RUNS=5 for more runs; SHIPGATE_BENCH_GEN=/path/gen.mjs)
// Exits 0 when every measurement ran, whatever the targets say; 1 when one failed; 2 when it cannot start.
import { existsSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join } from "node:path";
import { URL, fileURLToPath } from "node:url";
import { ensureInput, locateGenerator } from "./inputs.mjs";
import { ensurePlainJunit } from "./junit-plain.mjs";
import { compareGolden, digest } from "./golden.mjs";
import { countNode, fmtInstr, instructionCounter, instrRatio } from "./instructions.mjs";
import { jsonMeasurements, printJsonRows } from "./json.mjs";
import { assessOutput, countAssess, countChild, digestChild, findGnuTime, measureAssess, measureChild } from "./measure.mjs";
import { benchRuns, fail, fmtLoad, fmtMB, fmtTime, printMachine, summarize } from "./stats.mjs";
import { startWithoutExtraCaCerts } from "./start-env.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "bench", ".data");
const MAIN_JS = join(ROOT, "dist", "cli", "main.js");
const LCOV_FILES = 20000;
const JUNIT_CASES = 100000;
// Instruction counts run under callgrind (~50–100× slower), so on tenth-size inputs of the same shape.
const COUNT_LCOV_FILES = 2000;
const COUNT_JUNIT_CASES = 10000;
const TARGETS = {
  lcovSpeedup: 10, // × faster than lcov-parse
  lcovVsScan: 3, // × the bare byte scan, at most
  lcovRssMB: 200,
  junitSpeedup: 6, // × faster than junit2json
  assessSpeedup: 5, // the whole command, start-up and store included, × faster than lcov-parse parsing alone
  assessRssMB: 200,
};

async function main() {
  const runs = benchRuns();
  if (runs === undefined) return fail(`BENCH_RUNS must be a positive integer (got "${process.env.BENCH_RUNS}")`);
  if (!existsSync(join(ROOT, "dist", "ingest", "parsers", "lcov.js")) || !existsSync(MAIN_JS)) {
    return fail("dist/ is missing or incomplete: run `npm run build` (or use `npm run bench:ingest`, which builds first)");
  }

  const { cores, load: loadBefore } = printMachine(runs);
  startWithoutExtraCaCerts();

  let lcov, junit, lcovSmall, junitSmall, junitPlain, junitPlainSmall;
  try {
    const gen = locateGenerator(ROOT);
    lcov = ensureInput({ gen, dataDir: DATA, kind: "lcov", fileName: "lcov.info", count: LCOV_FILES });
    junit = ensureInput({ gen, dataDir: DATA, kind: "junit", fileName: "junit.xml", count: JUNIT_CASES });
    lcovSmall = ensureInput({ gen, dataDir: DATA, kind: "lcov", fileName: `lcov-${COUNT_LCOV_FILES}.info`, count: COUNT_LCOV_FILES });
    junitSmall = ensureInput({ gen, dataDir: DATA, kind: "junit", fileName: `junit-${COUNT_JUNIT_CASES}.xml`, count: COUNT_JUNIT_CASES });
    // The same reports without entities, as most real ones are (bench/junit-plain.mjs).
    junitPlain = ensurePlainJunit(junit.path, join(DATA, "junit-plain.xml"));
    junitPlainSmall = ensurePlainJunit(junitSmall.path, join(DATA, `junit-plain-${COUNT_JUNIT_CASES}.xml`));
  } catch (error) {
    return fail(error.message);
  }
  const gnuTime = findGnuTime();
  if (!gnuTime) console.log("/usr/bin/time (GNU) not usable: the whole command's peak RSS is reported as n/a");

  const measurements = [
    { id: "lcov.shipgate", label: "shipgate lcov parser", run: () => measureChild("shipgate-lcov", lcov.path, LCOV_FILES) },
    { id: "lcov.peer", label: "lcov-parse", run: () => measureChild("lcov-parse", lcov.path, LCOV_FILES) },
    { id: "lcov.scan", label: "bare byte scan", run: () => measureChild("scan", lcov.path, LCOV_FILES) },
    { id: "junit.shipgate", label: "shipgate junit parser", run: () => measureChild("shipgate-junit", junit.path, JUNIT_CASES) },
    { id: "junit.peer", label: "junit2json", run: () => measureChild("junit2json", junit.path, JUNIT_CASES) },
    { id: "junit.scan", label: "bare byte scan", run: () => measureChild("scan", junit.path, JUNIT_CASES) },
    { id: "junitPlain.shipgate", label: "shipgate junit parser", run: () => measureChild("shipgate-junit", junitPlain.path, JUNIT_CASES) },
    { id: "junitPlain.peer", label: "junit2json", run: () => measureChild("junit2json", junitPlain.path, JUNIT_CASES) },
    { id: "assess", label: "shipgate assess", run: () => measureAssess({ mainJs: MAIN_JS, report: lcov.path, expectedFiles: LCOV_FILES, gnuTime }) },
  ];

  // Round-robin rather than all runs of one tool in a row, so a burst of outside load spreads over every tool.
  const samples = new Map(measurements.map((m) => [m.id, []]));
  for (let r = 1; r <= runs; r++) {
    for (const m of measurements) {
      const sample = m.run();
      samples.get(m.id).push(sample);
      const shown = sample.error ? `FAILED: ${sample.error}` : `${fmtTime(sample.ms).padStart(8)}  ${fmtMB(sample.rssMB).padStart(7)}`;
      console.log(`  run ${r}/${runs}  ${m.id.padEnd(19)} ${shown}`);
    }
  }
  const stats = Object.fromEntries(measurements.map((m) => [m.id, { label: m.label, ...summarize(samples.get(m.id)) }]));
  const s = (id) => stats[id];
  const counts = countInstructions({ lcovSmall, junitSmall, junitPlainSmall });
  const n = (id) => counts[id]?.instructions;
  const golden = checkOutputs({ lcov, junit, junitPlain });

  const targets = [
    target("lcov", `shipgate is ${ratio(s("lcov.peer").ms, s("lcov.shipgate").ms)}× faster than lcov-parse`, ratioOf(s("lcov.peer").ms, s("lcov.shipgate").ms), ">=", TARGETS.lcovSpeedup, "×"),
    target("lcov", `shipgate takes ${ratio(s("lcov.shipgate").ms, s("lcov.scan").ms)}× the bare byte scan`, ratioOf(s("lcov.shipgate").ms, s("lcov.scan").ms), "<=", TARGETS.lcovVsScan, "×"),
    target("lcov", `shipgate peak RSS ${fmtMB(s("lcov.shipgate").rssMB)}`, s("lcov.shipgate").rssMB, "<", TARGETS.lcovRssMB, " MB"),
    target("junit", `shipgate is ${ratio(s("junit.peer").ms, s("junit.shipgate").ms)}× faster than junit2json`, ratioOf(s("junit.peer").ms, s("junit.shipgate").ms), ">=", TARGETS.junitSpeedup, "×"),
    target("junitPlain", `shipgate is ${ratio(s("junitPlain.peer").ms, s("junitPlain.shipgate").ms)}× faster than junit2json`, ratioOf(s("junitPlain.peer").ms, s("junitPlain.shipgate").ms), ">=", TARGETS.junitSpeedup, "×"),
    target("assess", `shipgate assess is ${ratio(s("lcov.peer").ms, s("assess").ms)}× faster than lcov-parse alone`, ratioOf(s("lcov.peer").ms, s("assess").ms), ">=", TARGETS.assessSpeedup, "×"),
    target("assess", `shipgate assess peak RSS ${fmtMB(s("assess").rssMB)}`, s("assess").rssMB, "<", TARGETS.assessRssMB, " MB"),
  ];
  const notes = {
    lcov: [
      `instructions (${COUNT_LCOV_FILES}-file lcov, net of start-up): shipgate ${fmtInstr(n("lcov.shipgate"))}, lcov-parse ${fmtInstr(n("lcov.peer"))}, scan ${fmtInstr(n("lcov.scan"))}: ${instrRatio(n("lcov.peer"), n("lcov.shipgate"))} fewer than lcov-parse, ${instrRatio(n("lcov.shipgate"), n("lcov.scan"))} the scan`,
      `output on the ${LCOV_FILES}-file input: ${golden.lcov}`,
      `by CPU time: ${ratio(s("lcov.peer").cpuMs, s("lcov.shipgate").cpuMs)}× faster than lcov-parse, ${ratio(s("lcov.shipgate").cpuMs, s("lcov.scan").cpuMs)}× the bare scan`,
      ...disagreement("lines", [s("lcov.shipgate"), s("lcov.peer"), s("assess")]),
    ],
    junit: [
      `instructions (${COUNT_JUNIT_CASES} cases, net of start-up): shipgate ${fmtInstr(n("junit.shipgate"))}, junit2json ${fmtInstr(n("junit.peer"))}, scan ${fmtInstr(n("junit.scan"))}: ${instrRatio(n("junit.peer"), n("junit.shipgate"))} fewer than junit2json`,
      `output on the ${JUNIT_CASES}-case input: ${golden.junit}`,
      `shipgate takes ${ratio(s("junit.shipgate").ms, s("junit.scan").ms)}× the bare byte scan (no target)`,
      // CPU time is steadier than wall time on a shared machine: a second view of the same ratio.
      `by CPU time: ${ratio(s("junit.peer").cpuMs, s("junit.shipgate").cpuMs)}× faster than junit2json (${fmtTime(s("junit.shipgate").cpuMs)} vs ${fmtTime(s("junit.peer").cpuMs)})`,
      ...disagreement("failing", [s("junit.shipgate"), s("junit.peer")]),
    ],
    junitPlain: [
      `instructions (${COUNT_JUNIT_CASES} cases, net of start-up): shipgate ${fmtInstr(n("junitPlain.shipgate"))}, junit2json ${fmtInstr(n("junitPlain.peer"))}: ${instrRatio(n("junitPlain.peer"), n("junitPlain.shipgate"))} fewer than junit2json`,
      `output on the ${JUNIT_CASES}-case input: ${golden.junitPlain}`,
      `by CPU time: ${ratio(s("junitPlain.peer").cpuMs, s("junitPlain.shipgate").cpuMs)}× faster than junit2json (${fmtTime(s("junitPlain.shipgate").cpuMs)} vs ${fmtTime(s("junitPlain.peer").cpuMs)})`,
      ...disagreement("failing", [s("junitPlain.shipgate"), s("junitPlain.peer")]),
    ],
    assess: [
      `wall time incl. Node start-up, store and snapshot; peers are timed inside their process`,
      `instructions (${COUNT_LCOV_FILES}-file lcov): whole assess ${fmtInstr(n("assess"))}, lcov-parse parse only ${fmtInstr(n("lcov.peer"))}: ${instrRatio(n("lcov.peer"), n("assess"))} fewer`,
      `--json output on the ${LCOV_FILES}-file input: ${golden.assess}`,
    ],
  };

  console.log();
  printSection(`lcov ${fmtMB(lcov.bytes / 1e6, 1)} / ${LCOV_FILES} files`, [s("lcov.shipgate"), s("lcov.peer"), s("lcov.scan")], targets, "lcov", notes.lcov);
  printSection(`junit ${fmtMB(junit.bytes / 1e6, 1)} / ${JUNIT_CASES} cases`, [s("junit.shipgate"), s("junit.peer"), s("junit.scan")], targets, "junit", notes.junit);
  printSection(`junit without entities ${fmtMB(junitPlain.bytes / 1e6, 1)} / ${JUNIT_CASES} cases (gen.mjs's report, entities replaced)`, [s("junitPlain.shipgate"), s("junitPlain.peer")], targets, "junitPlain", notes.junitPlain);
  printSection(`whole command: shipgate assess --report lcov.info --json (empty cwd, fresh store)`, [s("assess"), { ...s("lcov.peer"), label: "lcov-parse (parse only)" }], targets, "assess", notes.assess);

  // JSON reports (bench/json.mjs): each parser against JSON.parse of the whole file, target ≤ 1.5×.
  console.log("JSON reports: shipgate's parser vs readFileSync + JSON.parse + a walk counting entries (wall median, cpu, peak RSS)");
  const json = await jsonMeasurements({ dataDir: DATA, runs, count: instructionCounter().tool !== undefined });
  printJsonRows(json);
  console.log();

  const loadAfter = loadavg();
  console.log(`load average before ${fmtLoad(loadBefore)}, after ${fmtLoad(loadAfter)}`);
  const resultsPath = join(DATA, "ingest-results.json");
  writeFileSync(resultsPath, `${JSON.stringify({
    date: new Date().toISOString(),
    node: process.version,
    cores,
    loadavg: { before: loadBefore, after: loadAfter },
    runs,
    inputs: { lcov: { path: lcov.path, bytes: lcov.bytes, files: LCOV_FILES }, junit: { path: junit.path, bytes: junit.bytes, cases: JUNIT_CASES }, junitPlain: { path: junitPlain.path, bytes: junitPlain.bytes, cases: JUNIT_CASES } },
    measurements: stats,
    json,
    instructions: counts,
    outputs: golden,
    targets,
  }, null, 2)}\n`);
  console.log(`results written to ${resultsPath}`);

  const failed = [
    ...Object.entries(stats).filter(([, st]) => st.errors.length > 0).map(([id]) => id),
    ...json.filter((row) => row.shipgate?.error || row.jsonParse?.error).map((row) => `json ${row.format}`),
    ...Object.entries(golden).filter(([, verdict]) => verdict.startsWith("DIFFERENT") || verdict.startsWith("FAILED")).map(([id]) => `${id} output`),
  ];
  if (failed.length > 0) {
    console.log(`measurement(s) failed: ${failed.join(", ")}`);
    return 1;
  }
  return 0;
}



/** Instruction counts of every measurement on the small inputs (net of start-up for the in-process ones). */
function countInstructions({ lcovSmall, junitSmall, junitPlainSmall }) {
  const counter = instructionCounter();
  if (!counter.tool) {
    console.log(`instruction counts: ${counter.why}`);
    return {};
  }
  console.log(`counting instructions with ${counter.tool} on the small inputs (${counter.tool === "callgrind" ? "a few minutes" : "seconds"}) …`);
  const jobs = {
    "lcov.shipgate": () => countChild("shipgate-lcov", lcovSmall.path, COUNT_LCOV_FILES, countNode),
    "lcov.peer": () => countChild("lcov-parse", lcovSmall.path, COUNT_LCOV_FILES, countNode),
    "lcov.scan": () => countChild("scan", lcovSmall.path, COUNT_LCOV_FILES, countNode),
    "junit.shipgate": () => countChild("shipgate-junit", junitSmall.path, COUNT_JUNIT_CASES, countNode),
    "junit.peer": () => countChild("junit2json", junitSmall.path, COUNT_JUNIT_CASES, countNode),
    "junit.scan": () => countChild("scan", junitSmall.path, COUNT_JUNIT_CASES, countNode),
    "junitPlain.shipgate": () => countChild("shipgate-junit", junitPlainSmall.path, COUNT_JUNIT_CASES, countNode),
    "junitPlain.peer": () => countChild("junit2json", junitPlainSmall.path, COUNT_JUNIT_CASES, countNode),
    assess: () => countAssess({ mainJs: MAIN_JS, report: lcovSmall.path, countNode }),
  };
  const counts = {};
  for (const [id, job] of Object.entries(jobs)) {
    counts[id] = job();
    console.log(`  ${id.padEnd(19)} ${counts[id].error ? `FAILED: ${counts[id].error}` : fmtInstr(counts[id].instructions)}`);
  }
  return counts;
}

/** Whether shipgate's outputs on the large inputs are still those recorded before the speed work (bench/golden.json). */
function checkOutputs({ lcov, junit, junitPlain }) {
  const verdict = (key, result) => (result.error ? `FAILED: ${result.error}` : `${compareGolden(key, result.digest)} as before the speed work (bench/golden.json)`);
  const assess = assessOutput({ mainJs: MAIN_JS, report: lcov.path });
  return {
    lcov: verdict(`lcov.info@${LCOV_FILES}`, digestChild("shipgate-lcov", lcov.path, LCOV_FILES)),
    junit: verdict(`junit.xml@${JUNIT_CASES}`, digestChild("shipgate-junit", junit.path, JUNIT_CASES)),
    junitPlain: verdict(`junit-plain.xml@${JUNIT_CASES}`, digestChild("shipgate-junit", junitPlain.path, JUNIT_CASES)),
    assess: verdict(`assess lcov.info@${LCOV_FILES}`, assess.error ? assess : { digest: digest(assess.stdout) }),
  };
}

function target(section, text, value, op, limit, unit) {
  const met = value === undefined ? undefined : op === ">=" ? value >= limit : op === "<=" ? value <= limit : value < limit;
  return { section, text, value, op, target: limit, unit, met };
}

/** The tools read the same file, so their figures must agree; a mismatch means one of them is wrong. */
function disagreement(key, list) {
  const seen = list.filter((st) => st.check?.[key] !== undefined).map((st) => `${st.label} ${st.check[key]}`);
  const values = new Set(list.map((st) => st.check?.[key]).filter((v) => v !== undefined));
  return values.size > 1 ? [`⚠ outputs disagree on ${key}: ${seen.join(", ")}`] : [];
}

function printSection(title, rows, targets, section, notes) {
  console.log(title);
  for (const st of rows) {
    const spread = st.samples.length > 1 ? `  [${(st.minMs / 1000).toFixed(2)}–${(st.maxMs / 1000).toFixed(2)}]` : "";
    const shown = st.ms === undefined ? `FAILED: ${st.errors[0]}` : `${fmtTime(st.ms).padStart(8)}  ${fmtMB(st.rssMB).padStart(7)}${spread}`;
    console.log(`  ${st.label.padEnd(24)} ${shown}`);
  }
  for (const t of targets.filter((x) => x.section === section)) {
    const verdict = t.met === undefined ? "NOT MEASURED" : t.met ? "MET" : "MISSED";
    const goal = `target ${t.op === ">=" ? "≥" : t.op === "<=" ? "≤" : "<"} ${t.target}${t.unit}`;
    console.log(`  → ${t.text.padEnd(54)} ${goal.padEnd(16)} ${verdict}`);
  }
  for (const note of notes) console.log(`  ${note}`);
  console.log();
}

const ratioOf = (a, b) => (a === undefined || b === undefined ? undefined : a / b);
const ratio = (a, b) => (ratioOf(a, b) === undefined ? "?" : ratioOf(a, b).toFixed(1));


process.exitCode = await main();
