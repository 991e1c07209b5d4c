// One measurement in its own process, so its peak RSS is its own:
//   node bench/ingest-child.mjs <task> <file> <expected items>
// Prints one JSON line: { ms, maxRssKB, items, check }. Exits 1 if the output is not sane, so a
// parser that reads nothing cannot look fast.
import { createReadStream } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { performance } from "node:perf_hooks";
import { URL } from "node:url";
import { digest } from "./golden.mjs";

const HIGH_WATER_MARK = 1 << 20;
const dist = new URL("../dist/", import.meta.url);

const tasks = {
  async "shipgate-lcov"(file) {
    const { lcovParser } = await import(new URL("ingest/parsers/lcov.js", dist).href);
    return () => lcovParser.parse(createReadStream(file, { highWaterMark: HIGH_WATER_MARK }), { file }).then((r) => {
      let lines = 0;
      for (const f of r.coverage) lines += f.lines?.total ?? 0;
      return { items: r.coverage.length, check: { lines }, ...digestOf(r) };
    });
  },

  async "lcov-parse"(file) {
    const lcovParse = createRequire(import.meta.url)("lcov-parse");
    return () => new Promise((resolve, reject) => {
      lcovParse(file, (err, data) => {
        if (err) return reject(new Error(String(err)));
        let lines = 0;
        for (const f of data) lines += f.lines.details.length;
        resolve({ items: data.length, check: { lines } });
      });
    });
  },

  async "shipgate-junit"(file) {
    const { junitParser } = await import(new URL("ingest/parsers/junit.js", dist).href);
    return () => junitParser.parse(createReadStream(file, { highWaterMark: HIGH_WATER_MARK }), { file }).then((r) => {
      const failing = r.tests.filter((t) => t.status === "failed" || t.status === "errored").length;
      return { items: r.tests.length, check: { failing }, ...digestOf(r) };
    });
  },

  async junit2json(file) {
    const { parse } = await import("junit2json");
    // junit2json takes a string, so reading the file into one is part of its cost.
    return async () => {
      const root = await parse(await readFile(file, "utf8"));
      const count = { items: 0, failing: 0 };
      countCases(root, count);
      return { items: count.items, check: { failing: count.failing } };
    };
  },

  async scan(file) {
    return async () => {
      let newlines = 0;
      for await (const chunk of createReadStream(file, { highWaterMark: HIGH_WATER_MARK })) {
        for (let i = 0; i < chunk.length; i++) if (chunk[i] === 10) newlines++;
      }
      return { items: newlines, check: { newlines } };
    };
  },
};

/** With BENCH_DIGEST=1, the digest of the whole result (bench/golden.mjs), outside the timed part's result check. */
const digestOf = (result) => (process.env.BENCH_DIGEST === "1" ? { digest: digest(result) } : {});

/** junit2json nests suites as `testsuite` arrays at any depth; cases are in `testcase` arrays. */
function countCases(suite, count) {
  for (const tc of suite.testcase ?? []) {
    count.items++;
    if (tc.failure || tc.error) count.failing++;
  }
  for (const child of suite.testsuite ?? []) countCases(child, count);
}

const [task, file, expectedArg] = process.argv.slice(2);
const expected = Number(expectedArg);
if (!tasks[task] || !file || !Number.isInteger(expected)) {
  console.error(`usage: node bench/ingest-child.mjs <${Object.keys(tasks).join("|")}> <file> <expected items>`);
  process.exit(2);
}

const run = await tasks[task](file);
// The start-up and module loading alone: an instruction count subtracts it to get the parse's own.
if (process.env.BENCH_LOAD_ONLY === "1") process.exit(0);
const start = performance.now();
const cpuStart = process.cpuUsage();
const result = await run();
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
// The scan counts lines, which only bounds the item count from above; the parsers must match it exactly.
const sane = task === "scan" ? result.items >= expected : result.items === expected;
if (!sane) {
  console.error(`[bench] ${task} produced ${result.items} item(s) from ${file}, expected ${task === "scan" ? "at least " : ""}${expected}`);
  process.exit(1);
}
process.stdout.write(`${JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKB: process.resourceUsage().maxRSS, ...result })}\n`);
