// Docs benchmark: shipgate's offline link check (`checkDocsLinks`) against markdown-link-check on the
// same generated tree of 10 000 markdown files, each in its own process. Prints medians, peak RSS,
// the ratio against the target, instruction counts of both on a 1 000-file tree (net of start-up and
// loading), and whether both report the same broken links on what both check.
// The trees are git repositories with their files committed, as a project's docs are: shipgate reads the
// files `git ls-files` lists (bench/.data itself is git-ignored, so outside a repository of its own it
// would read none).
//   npm run build && node bench/docs.mjs      (BENCH_RUNS=5 for more runs; SHIPGATE_BENCH_GEN=/path/gen.mjs;
//                                              BENCH_INSTRUCTIONS=0 to skip counting)
// Exits 0 when every measurement ran, whatever the target says; 1 when one failed; 2 when it cannot start.
// `node bench/docs.mjs child <shipgate|markdown-link-check> <dir>` is one measurement (used by the above).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { loadavg } from "node:os";
import { dirname, join, relative, sep } from "node:path";
import { createRequire } from "node:module";
import { URL, fileURLToPath, pathToFileURL } from "node:url";
import { locateGenerator } from "./inputs.mjs";
import { countNode, fmtInstr, instrRatio, instructionCounter } from "./instructions.mjs";
import { benchRuns, fail, fmtLoad, fmtMB, fmtTime, printMachine, summarize } from "./stats.mjs";
import { startWithoutExtraCaCerts } from "./start-env.mjs";

const summarizeResult = (list) => summarize(list, (sample) => ({ result: sample.result }));

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "bench", ".data");
const DOCS = join(DATA, "docs");
const MARKER = ".shipgate-bench.json";
const FILES = 10000;
/** The smaller tree instructions are counted on (callgrind runs a program ~50–100× slower). */
const COUNT_FILES = 1000;
/** Bump when the tree's layout changes, so an older tree is generated again. */
const TREE_VERSION = 2;
const TARGET_SPEEDUP = 20; // × faster than markdown-link-check (DESIGN.md: ~1.9 ms per file for it)
/** Files markdown-link-check works on at once; within a file it checks 2 links at a time itself. */
const PEER_CONCURRENCY = 8;
const MAX_BUFFER = 512 << 20;
const kbToMB = (kb) => (kb * 1024) / 1e6;

function main() {
  const runs = benchRuns();
  if (runs === undefined) return fail(`BENCH_RUNS must be a positive integer (got "${process.env.BENCH_RUNS}")`);
  if (!existsSync(join(ROOT, "dist", "facts", "docs-links.js"))) return fail("dist/facts/docs-links.js is missing: run `npm run build` first");
  try {
    createRequire(import.meta.url).resolve("markdown-link-check");
  } catch {
    return fail("markdown-link-check is not installed: run `npm install` (it is a devDependency)");
  }

  const { cores, load: loadBefore } = printMachine(runs);
  startWithoutExtraCaCerts();

  let input;
  let small;
  try {
    const gen = locateGenerator(ROOT);
    input = ensureDocs(gen, DOCS, FILES);
    small = ensureDocs(gen, `${DOCS}-${COUNT_FILES}`, COUNT_FILES);
  } catch (error) {
    return fail(error.message);
  }
  console.log(`input: ${input.files} markdown files, ${(input.bytes / 1e6).toFixed(1)} MB in ${relative(ROOT, DOCS)}${input.reused ? " (reused)" : ""}`);

  const measurements = [
    { id: "shipgate", label: "shipgate checkDocsLinks" },
    { id: "markdown-link-check", label: `markdown-link-check (${PEER_CONCURRENCY} files at a time)` },
  ];
  const samples = new Map(measurements.map((m) => [m.id, []]));
  // Round-robin, so a burst of outside load spreads over both tools.
  for (let r = 1; r <= runs; r++) {
    for (const m of measurements) {
      const sample = measure(m.id, DOCS, input.files);
      samples.get(m.id).push(sample);
      const shown = sample.error ? `FAILED: ${sample.error}` : `${fmtTime(sample.ms).padStart(8)}  cpu ${fmtTime(sample.cpuMs).padStart(8)}  ${fmtMB(sample.rssMB).padStart(7)}  ${sample.broken.length} broken`;
      console.log(`  run ${r}/${runs}  ${m.id.padEnd(20)} ${shown}`);
    }
  }
  const stats = Object.fromEntries(measurements.map((m) => [m.id, { label: m.label, ...summarizeResult(samples.get(m.id)) }]));
  const ours = stats.shipgate;
  const peer = stats["markdown-link-check"];
  const speedup = ours.ms && peer.ms ? peer.ms / ours.ms : undefined;
  // CPU time is less disturbed by other processes than wall time; shown beside it, not instead of it.
  const cpuSpeedup = ours.cpuMs && peer.cpuMs ? peer.cpuMs / ours.cpuMs : undefined;

  console.log();
  console.log(`docs: ${input.files} markdown files, offline (external links ignored)      median wall, cpu, peak RSS [wall min–max]`);
  for (const st of [ours, peer]) {
    const spread = st.samples.length > 1 ? `  [${(st.minMs / 1000).toFixed(2)}–${(st.maxMs / 1000).toFixed(2)}]` : "";
    const shown = st.ms === undefined ? `FAILED: ${st.errors[0]}` : `${fmtTime(st.ms).padStart(8)}  cpu ${fmtTime(st.cpuMs).padStart(8)}  ${fmtMB(st.rssMB).padStart(7)}${spread}`;
    console.log(`  ${st.label.padEnd(40)} ${shown}`);
  }
  const verdict = speedup === undefined ? "NOT MEASURED" : speedup >= TARGET_SPEEDUP ? "MET" : "MISSED";
  console.log(`  → shipgate is ${speedup === undefined ? "?" : speedup.toFixed(1)}× faster than markdown-link-check`.padEnd(62) + `target ≥ ${TARGET_SPEEDUP}×  ${verdict}`);
  console.log(`    (by CPU time: ${cpuSpeedup === undefined ? "?" : cpuSpeedup.toFixed(1)}×)`);

  const counts = countInstructions(measurements, small);

  let missing = [];
  let extra = [];
  if (ours.result && peer.result) {
    const o = ours.result;
    const p = peer.result;
    console.log(`  broken links: shipgate ${o.broken.length} (${Object.entries(o.kinds).map(([k, n]) => `${n} ${k}`).join(", ")}), markdown-link-check ${p.broken.length}`);
    console.log(`  links: shipgate ${o.links} found; markdown-link-check ${p.links} distinct per file, ${p.ignored} of them ignored (^https?://)`);
    // markdown-link-check reports each distinct link once per file, so compare (file, link) pairs. It checks that a
    // linked file exists, not the #fragment of a link into another file: compare on what both check, and say so.
    const key = ([file, target]) => `${file}\t${target}`;
    const ourFiles = new Set(o.broken.filter(([, , kind]) => kind !== "anchor").map(key));
    const ourAnchors = new Set(o.broken.filter(([, , kind]) => kind === "anchor").map(key));
    const theirs = new Set(p.broken.map(key));
    missing = [...theirs].filter((k) => !ourFiles.has(k));
    extra = [...ourFiles].filter((k) => !theirs.has(k));
    const anchorsTheyMiss = [...ourAnchors].filter((k) => !theirs.has(k)).length;
    const same = missing.length === 0 && extra.length === 0;
    console.log(`  findings on what both check (a linked file exists): ${same ? "IDENTICAL" : "DIFFERENT"} — ${ourFiles.size} (file, link) pair(s) each`);
    console.log(`    only shipgate checks fragments into other files: ${ourAnchors.size} broken #anchor pair(s), ${anchorsTheyMiss} of them not reported by markdown-link-check`);
    for (const [what, list] of [["reported by markdown-link-check, not by shipgate", missing], ["reported by shipgate, not by markdown-link-check", extra]]) {
      if (list.length === 0) continue;
      console.log(`  ⚠ ${list.length} broken link(s) ${what}:`);
      for (const k of list.slice(0, 20)) console.log(`      ${k.replace("\t", ": ")}`);
      if (list.length > 20) console.log(`      … and ${list.length - 20} more (see the results file)`);
    }
  }
  console.log();

  const loadAfter = loadavg();
  console.log(`load average before ${fmtLoad(loadBefore)}, after ${fmtLoad(loadAfter)}`);
  const resultsPath = join(DATA, "docs-results.json");
  writeFileSync(resultsPath, `${JSON.stringify({
    date: new Date().toISOString(),
    node: process.version,
    cores,
    loadavg: { before: loadBefore, after: loadAfter },
    runs,
    input: { path: DOCS, files: input.files, bytes: input.bytes },
    measurements: Object.fromEntries(Object.entries(stats).map(([id, st]) => [id, { ...st, result: st.result && { ...st.result, broken: st.result.broken.length } }])),
    target: { text: "shipgate ≥ 20× faster than markdown-link-check", value: speedup, cpuValue: cpuSpeedup, target: TARGET_SPEEDUP, met: speedup === undefined ? undefined : speedup >= TARGET_SPEEDUP },
    instructions: counts,
    missedByShipgate: missing.map((key) => key.split("\t")),
    onlyShipgate: extra.map((key) => key.split("\t")),
  }, null, 2)}\n`);
  console.log(`results written to ${resultsPath}`);

  const failed = Object.entries(stats).filter(([, st]) => st.errors.length > 0).map(([id]) => id);
  if (failed.length > 0) {
    console.log(`measurement(s) failed: ${failed.join(", ")}`);
    return 1;
  }
  return 0;
}

/**
 * A generated tree of `count` files in `dir`, reused while the marker written after the last generation
 * still matches this generator (content hash), count and layout; generated beside and renamed, so an
 * interrupted run leaves no half tree. The tree is made a git repository with its files committed.
 */
function ensureDocs(gen, dir, count) {
  const genSha256 = createHash("sha256").update(readFileSync(gen)).digest("hex");
  const markerPath = join(dir, MARKER);
  if (existsSync(markerPath)) {
    const marker = JSON.parse(readFileSync(markerPath, "utf8"));
    if (marker.count === count && marker.genSha256 === genSha256 && marker.version === TREE_VERSION) return { dir, files: marker.files, bytes: marker.bytes, reused: true };
  }
  process.stdout.write(`generating ${relative(ROOT, dir)} (markdown, ${count}) with ${gen} …\n`);
  const tmp = `${dir}.tmp`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(DATA, { recursive: true });
  const run = spawnSync(process.execPath, [gen, "markdown", tmp, String(count)], { stdio: ["ignore", "inherit", "inherit"] });
  if (run.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`[bench] ${gen} markdown failed (exit ${run.status ?? run.signal})`);
  }
  const git = (...args) => spawnSync("git", ["-c", "user.name=bench", "-c", "user.email=bench@localhost", "-c", "commit.gpgsign=false", ...args], { cwd: tmp, encoding: "utf8" });
  for (const args of [["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "generated docs"]]) {
    const step = git(...args);
    if (step.status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`[bench] git ${args[0]} in the generated tree failed: ${(step.stderr || step.error?.message || "").trim()}`);
    }
  }
  const { files, bytes } = sizeOf(tmp);
  writeFileSync(join(tmp, MARKER), `${JSON.stringify({ count, version: TREE_VERSION, genSha256, files, bytes }, null, 2)}\n`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  return { dir, files, bytes, reused: false };
}

function sizeOf(dir) {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith(".md") && !(entry.parentPath ?? entry.path).includes(`${sep}.git`)) {
      files++;
      bytes += statSync(join(entry.parentPath ?? entry.path, entry.name)).size;
    }
  }
  return { files, bytes };
}

function measure(tool, dir, expectedFiles) {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "child", tool, dir], { encoding: "utf8", maxBuffer: MAX_BUFFER });
  if (run.status !== 0) return { error: failure(run) };
  const out = JSON.parse(run.stdout.trim().split("\n").pop());
  if (out.files !== expectedFiles) return { error: `${tool} read ${out.files} file(s), expected ${expectedFiles}` };
  return { ms: out.ms, cpuMs: out.cpuMs, rssMB: kbToMB(out.maxRssKB), broken: out.broken, result: out };
}

/**
 * Instructions each tool executes to check the smaller tree, net of a run that only starts and loads it
 * (BENCH_LOAD_ONLY=1), printed beside the wall-time ratio. Git, which shipgate runs to list the files, is
 * a child process and not counted.
 */
function countInstructions(measurements, small) {
  const counter = instructionCounter();
  if (!counter.tool) {
    console.log(`  instructions: not counted (${counter.why})`);
    return { error: counter.why };
  }
  const net = {};
  for (const m of measurements) {
    const args = [fileURLToPath(import.meta.url), "child", m.id, small.dir];
    const check = (run) => (run.status === 0 ? undefined : `exit ${run.status}: ${(run.stderr ?? "").trim().split("\n").slice(-2).join(" | ")}`);
    const full = countNode(args, { check });
    const load = countNode(args, { env: { BENCH_LOAD_ONLY: "1" }, check });
    if (full.error || load.error) {
      net[m.id] = { error: full.error ?? load.error };
      continue;
    }
    const files = JSON.parse(full.stdout.trim().split("\n").pop()).files;
    net[m.id] = { full: full.instructions, load: load.instructions, net: full.instructions - load.instructions, files };
  }
  const ours = net.shipgate;
  const peer = net["markdown-link-check"];
  console.log(`  instructions (${counter.tool}), ${small.files} files, net of start-up and loading:`);
  for (const m of measurements) {
    const c = net[m.id];
    console.log(`    ${m.id.padEnd(22)} ${c.error ? `FAILED: ${c.error}` : `${fmtInstr(c.net).padStart(9)}  (${fmtInstr(c.full)} − ${fmtInstr(c.load)} to load)${c.files === small.files ? "" : `  ⚠ read ${c.files} files`}`}`);
  }
  console.log(`  → by instructions shipgate is ${instrRatio(peer?.net, ours?.net)} leaner than markdown-link-check`);
  return { tool: counter.tool, files: small.files, ...net };
}

function failure(run) {
  if (run.error) return run.error.message;
  const why = run.signal ? `killed by ${run.signal}` : `exit ${run.status}`;
  const stderr = (run.stderr ?? "").trim().split("\n").slice(-3).join(" | ");
  return stderr ? `${why}: ${stderr}` : why;
}



// ---- one measurement, in its own process (so its peak RSS is its own) ----

const toPosix = (path) => (sep === "/" ? path : path.split(sep).join("/"));

const children = {
  async shipgate(dir) {
    const { checkDocsLinks } = await import(pathToFileURL(join(ROOT, "dist", "facts", "docs-links.js")).href);
    return async () => {
      const result = await checkDocsLinks({ root: dir });
      const kinds = {};
      for (const b of result.broken) kinds[b.kind] = (kinds[b.kind] ?? 0) + 1;
      return { files: result.files, links: result.links, kinds, broken: result.broken.map((b) => [b.file, b.target, b.kind]) };
    };
  },

  async "markdown-link-check"(dir) {
    const require = createRequire(import.meta.url);
    const markdownLinkCheck = require("markdown-link-check");
    const { glob } = await import("tinyglobby");
    const { readFile } = await import("node:fs/promises");
    const opts = (file) => ({
      // What its CLI passes for a file: links resolve against the file's directory.
      baseUrl: `file://${dirname(file)}`,
      ignorePatterns: [{ pattern: /^https?:\/\// }],
    });
    const check = (markdown, options) => new Promise((resolve, reject) => {
      markdownLinkCheck(markdown, options, (err, results) => (err ? reject(err) : resolve(results)));
    });
    return async () => {
      // Discovery is part of the job for both tools (shipgate's time includes its own).
      const files = (await glob(["**/*.md"], { cwd: dir, absolute: true, ignore: ["**/node_modules/**"] })).sort();
      const broken = [];
      let links = 0;
      let ignored = 0;
      let next = 0;
      const worker = async () => {
        while (next < files.length) {
          const file = files[next++];
          const results = await check(await readFile(file, "utf8"), opts(file));
          links += results.length;
          for (const r of results) {
            if (r.status === "ignored") ignored++;
            else if (r.status === "dead" || r.status === "error") broken.push([toPosix(relative(dir, file)), r.link]);
          }
        }
      };
      await Promise.all(Array.from({ length: PEER_CONCURRENCY }, worker));
      return { files: files.length, links, ignored, broken };
    };
  },
};

async function child(tool, dir) {
  if (!children[tool] || !dir) {
    console.error(`usage: node bench/docs.mjs child <${Object.keys(children).join("|")}> <dir>`);
    return 2;
  }
  const run = await children[tool](dir);
  // The start-up and module loading alone: an instruction count subtracts it to get the check's own.
  if (process.env.BENCH_LOAD_ONLY === "1") return 0;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  const result = await run();
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  process.stdout.write(`${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKB: process.resourceUsage().maxRSS, ...result })}\n`);
  return 0;
}

if (process.argv[2] === "child") process.exitCode = await child(process.argv[3], process.argv[4]);
else process.exitCode = main();
