// Large JSON coverage reports for bench/json.mjs, which the shared gen.mjs has no kinds for:
//   node bench/json-inputs.mjs istanbul-final <out.json> [files=4500]   coverage-final.json, ~12 KB a file (4500 ≈ 52 MB)
//   node bench/json-inputs.mjs coveragepy     <out.json> [files=72000]  coverage.py JSON with branches, ~0.7 KB a file (72000 ≈ 50 MB)
// Shaped like the fixtures in test/fixtures/ingest/{istanbul-final,coveragepy}: istanbul writes one line
// per file (nyc) with statementMap/fnMap/branchMap, s/f/b; coverage.py writes `meta`, `files` and `totals`.
// Same arguments give byte-identical output. Written a file at a time, so memory stays small.
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** mulberry32: a small seeded PRNG. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ["core", "api", "store", "auth", "billing", "queue", "cache", "ingest", "report", "gate", "plan", "exec", "web", "util", "model"];

function writer(path) {
  mkdirSync(dirname(path), { recursive: true });
  const out = createWriteStream(path);
  let parts = [];
  let size = 0;
  return {
    async write(text) {
      parts.push(text);
      size += text.length;
      if (size < 1 << 20) return;
      const ok = out.write(parts.join(""));
      parts = [];
      size = 0;
      if (!ok) await new Promise((resolve) => out.once("drain", resolve));
    },
    end() {
      out.write(parts.join(""));
      return new Promise((resolve, reject) => out.end((error) => (error ? reject(error) : resolve())));
    },
  };
}

const location = (line, column, length) => ({ start: { line, column }, end: { line, column: column + length } });

async function istanbulFinal(out, files = 4500) {
  const rand = prng(0x15);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  const w = writer(out);
  await w.write("{");
  for (let i = 0; i < files; i++) {
    const path = `/home/ci/work/repo/packages/${pick(WORDS)}/src/${pick(WORDS)}/${pick(WORDS)}_${i}.ts`;
    const statementMap = {};
    const s = {};
    const statements = int(20, 200);
    for (let j = 0, line = 1; j < statements; j++, line += int(0, 2)) {
      statementMap[j] = location(line, int(0, 12), int(5, 60));
      s[j] = rand() < 0.25 ? 0 : int(1, 3000);
    }
    const fnMap = {};
    const f = {};
    for (let j = 0; j < int(2, 25); j++) {
      const line = int(1, 400);
      fnMap[j] = { name: `fn_${i}_${j}`, decl: location(line, 9, 12), loc: location(line, 0, 80), line };
      f[j] = rand() < 0.2 ? 0 : int(1, 500);
    }
    const branchMap = {};
    const b = {};
    for (let j = 0; j < int(0, 30); j++) {
      const line = int(1, 400);
      const arms = rand() < 0.8 ? 2 : int(3, 6);
      const loc = location(line, 4, 30);
      branchMap[j] = { loc, type: pick(["if", "cond-expr", "binary-expr", "switch", "default-arg"]), locations: Array.from({ length: arms }, () => loc), line };
      b[j] = Array.from({ length: arms }, () => (rand() < 0.3 ? 0 : int(1, 200)));
    }
    const entry = { path, statementMap, fnMap, branchMap, s, f, b, _coverageSchema: "1a1c01bbd47fc00a2c39e90264f33305004495a9", hash: createHash("sha1").update(path).digest("hex") };
    // nyc's layout: one file a line, the comma starting the next.
    await w.write(`${i === 0 ? "" : "\n,"}${JSON.stringify(path)}: ${JSON.stringify(entry)}`);
  }
  await w.write("}\n");
  await w.end();
}

async function coveragepy(out, files = 72000) {
  const rand = prng(0xc0);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  const w = writer(out);
  const totals = { covered_lines: 0, num_statements: 0, percent_covered: 0, percent_covered_display: "0", missing_lines: 0, excluded_lines: 0, num_branches: 0, num_partial_branches: 0, covered_branches: 0, missing_branches: 0 };
  await w.write(`{"meta": {"format": 2, "version": "7.6.1", "timestamp": "2026-12-01T10:00:00.000000", "branch_coverage": true, "show_contexts": false}, "files": {`);
  for (let i = 0; i < files; i++) {
    const path = `src/${pick(WORDS)}/${pick(WORDS)}/${pick(WORDS)}_${i}.py`;
    const executed = [];
    const missing = [];
    const excluded = [];
    for (let line = 1, lines = int(10, 150); line <= lines; line += int(1, 2)) {
      const r = rand();
      if (r < 0.7) executed.push(line);
      else if (r < 0.92) missing.push(line);
      else if (r < 0.95) excluded.push(line);
    }
    const executedBranches = executed.filter(() => rand() < 0.15).map((line) => [line, line + int(1, 3)]);
    const missingBranches = missing.filter(() => rand() < 0.3).map((line) => [line, rand() < 0.5 ? -1 : line + 2]);
    const statements = executed.length + missing.length;
    const percent = statements === 0 ? 100 : (100 * executed.length) / statements;
    const summary = {
      covered_lines: executed.length,
      num_statements: statements,
      percent_covered: percent,
      percent_covered_display: String(Math.round(percent)),
      missing_lines: missing.length,
      excluded_lines: excluded.length,
      num_branches: executedBranches.length + missingBranches.length,
      num_partial_branches: int(0, missingBranches.length),
      covered_branches: executedBranches.length,
      missing_branches: missingBranches.length,
    };
    for (const key of ["covered_lines", "num_statements", "missing_lines", "excluded_lines", "num_branches", "num_partial_branches", "covered_branches", "missing_branches"]) totals[key] += summary[key];
    const entry = { executed_lines: executed, summary, missing_lines: missing, excluded_lines: excluded, executed_branches: executedBranches, missing_branches: missingBranches };
    // coverage.py's `json.dump` spacing: ", " and ": ".
    await w.write(`${i === 0 ? "" : ", "}${JSON.stringify(path)}: ${JSON.stringify(entry).replace(/,/g, ", ").replace(/":/g, '": ')}`);
  }
  totals.percent_covered = (100 * totals.covered_lines) / Math.max(1, totals.num_statements);
  totals.percent_covered_display = String(Math.round(totals.percent_covered));
  await w.write(`}, "totals": ${JSON.stringify(totals).replace(/,/g, ", ").replace(/":/g, '": ')}}\n`);
  await w.end();
}

export const JSON_INPUT_KINDS = { "istanbul-final": istanbulFinal, coveragepy };

/**
 * `{ path, bytes }` of one input under `dataDir`, written unless a file this generator (same source, same
 * count) wrote is already there.
 */
export async function ensureJsonInput({ dataDir, kind, fileName, count }) {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, fileName);
  const stamp = `${path}.stamp`;
  const source = createHash("sha256").update(readFileSync(fileURLToPath(import.meta.url))).digest("hex");
  const want = JSON.stringify({ kind, count, source });
  if (existsSync(path) && existsSync(stamp)) {
    const known = JSON.parse(readFileSync(stamp, "utf8"));
    if (JSON.stringify({ kind: known.kind, count: known.count, source: known.source }) === want && statSync(path).size === known.bytes) return { path, bytes: known.bytes };
  }
  process.stdout.write(`generating ${fileName} (${kind}, ${count}) …\n`);
  const tmp = `${path}.tmp`;
  await JSON_INPUT_KINDS[kind](tmp, count);
  renameSync(tmp, path);
  const bytes = statSync(path).size;
  writeFileSync(stamp, JSON.stringify({ kind, count, source, bytes }));
  return { path, bytes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [kind, out, count] = process.argv.slice(2);
  if (!JSON_INPUT_KINDS[kind] || !out) {
    console.error(`usage: node bench/json-inputs.mjs <${Object.keys(JSON_INPUT_KINDS).join("|")}> <out> [files]`);
    process.exit(2);
  }
  await JSON_INPUT_KINDS[kind](out, count ? Number(count) : undefined);
}
