// Deterministic coverage reports for the golden test of the coverage conversion (test/golden/coverage-shapes.test.ts):
// istanbul coverage-final.json and coverage.py JSON in the shapes the tools write at scale (nyc's one entry a
// line, statements in source order with several on a line, the bench's inputs in small), and entries that each
// break one rule the conversion checks (a count that is not one, a statement with no or a bad location, ids in
// one map and not the other, lines out of order, huge line numbers), so a faster conversion must give the same
// coverage, diagnostics and errors. Same seed, same bytes.
import { prng } from "./generate.mjs";

function helpers(seed) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  return { rand, int, pick };
}

const WORDS = ["core", "api", "store", "auth", "billing", "queue", "cache", "ingest", "report", "gate"];
const location = (line, column, length) => ({ start: { line, column }, end: { line, column: column + length } });

/**
 * One istanbul entry as nyc writes it: statements in source order (a line holds zero to a few of them), functions
 * and branches anywhere. `order`: "ascending" (source order), "shuffled" (statement ids in a random order of lines).
 */
function istanbulEntry(h, path, { statements, order = "ascending", maxLine = 0 }) {
  const statementMap = {};
  const s = {};
  const lines = [];
  for (let j = 0, line = h.int(1, 3); j < statements; j++, line += h.int(0, 2)) lines.push(line);
  if (order === "shuffled") lines.sort(() => h.rand() - 0.5);
  const highest = lines.length === 0 ? 1 : Math.max(...lines);
  lines.forEach((line, j) => {
    statementMap[j] = location(maxLine > 0 && j === lines.length - 1 ? maxLine : line, h.int(0, 12), h.int(5, 60));
    s[j] = h.rand() < 0.25 ? 0 : h.int(1, 3000);
  });
  const fnMap = {};
  const f = {};
  for (let j = 0, n = h.int(0, 12); j < n; j++) {
    const line = h.int(1, highest);
    fnMap[j] = { name: `fn_${j}`, decl: location(line, 9, 12), loc: location(line, 0, 80), line };
    f[j] = h.rand() < 0.2 ? 0 : h.int(1, 500);
  }
  const branchMap = {};
  const b = {};
  for (let j = 0, n = h.int(0, 10); j < n; j++) {
    const line = h.int(1, highest);
    const arms = h.rand() < 0.8 ? 2 : h.int(1, 6);
    const loc = location(line, 4, 30);
    branchMap[j] = { loc, type: h.pick(["if", "cond-expr", "binary-expr", "switch", "default-arg"]), locations: Array.from({ length: arms }, () => loc), line };
    b[j] = Array.from({ length: arms }, () => (h.rand() < 0.3 ? 0 : h.int(1, 200)));
  }
  return { path, statementMap, fnMap, branchMap, s, f, b, _coverageSchema: "1a1c01bbd47fc00a2c39e90264f33305004495a9", hash: `h${path.length}` };
}

/** nyc's layout: one entry a line, the comma starting the next. */
const nycLayout = (entries) => `{${entries.map(([key, value], i) => `${i === 0 ? "" : "\n,"}${JSON.stringify(key)}: ${JSON.stringify(value)}`).join("")}}\n`;

/**
 * Each changes a good entry in place to break one rule (or bend it within the rules), or returns `{ replace }`
 * with what stands in its place: what the conversion must reject with the same reason, or read the same way.
 */
const ISTANBUL_MUTATIONS = {
  "s-float": (e) => void (e.s[1] = 1.5),
  "s-negative": (e) => void (e.s[2] = -1),
  "s-string": (e) => void (e.s[0] = "3"),
  "s-null": (e) => void (e.s[3] = null),
  "s-minus-zero": (e) => void (e.s[1] = -0),
  "s-huge": (e) => void (e.s[1] = 2 ** 53 + 2),
  "s-not-object": (e) => void (e.s = [1, 2, 3]),
  "s-missing": (e) => void delete e.s,
  "f-float": (e) => void (e.f = { 0: 0.5 }),
  "f-missing": (e) => void delete e.f,
  "f-array": (e) => void (e.f = [1]),
  "b-not-array": (e) => void (e.b = { 0: 3 }),
  "b-bad-count": (e) => void (e.b = { 0: [1, "x"] }),
  "b-missing": (e) => void delete e.b,
  "b-empty-arms": (e) => void (e.b = { 0: [], 1: [0, 0, 7] }),
  "statementMap-missing": (e) => void delete e.statementMap,
  "statementMap-array": (e) => void (e.statementMap = [location(1, 0, 3)]),
  "statement-without-location": (e) => void delete e.statementMap[2],
  "statement-location-null": (e) => void (e.statementMap[1] = null),
  "statement-no-start": (e) => void (e.statementMap[1] = { end: { line: 3 } }),
  "statement-start-number": (e) => void (e.statementMap[1] = { start: 4 }),
  "statement-line-0": (e) => void (e.statementMap[2].start.line = 0),
  "statement-line-float": (e) => void (e.statementMap[2].start.line = 2.5),
  "statement-line-string": (e) => void (e.statementMap[2].start.line = "2"),
  "statement-line-negative": (e) => void (e.statementMap[0].start.line = -4),
  "statement-line-huge": (e) => void (e.statementMap[3].start.line = 1e12),
  "statement-line-beyond-2^32": (e) => void (e.statementMap[0].start.line = 2 ** 32 + 5),
  "bad-line-and-bad-count": (e) => void ((e.statementMap[2].start.line = 0), (e.s[5] = -1)),
  "bad-line-and-bad-function": (e) => void ((e.statementMap[2].start.line = 0), (e.f = { 0: "x" })),
  "bad-line-after-bad-count-skipped": (e) => void ((e.s[1] = 1.5), (e.statementMap[1].start.line = 0)),
  "extra-statement-in-map": (e) => void (e.statementMap[999] = location(7, 0, 3)),
  "extra-hit-not-in-map": (e) => void (e.s[999] = 5),
  "named-ids": (e) => {
    e.statementMap = Object.fromEntries(Object.entries(e.statementMap).map(([id, loc]) => [`st-${id}`, loc]));
    e.s = Object.fromEntries(Object.entries(e.s).reverse().map(([id, count]) => [`st-${id}`, count]));
  },
  "ids-out-of-order": (e) => void (e.s = Object.fromEntries(Object.entries(e.s).reverse())),
  "mixed-ids": (e) => void ((e.statementMap.x = location(2, 0, 3)), (e.s.x = 0), (e.statementMap["07"] = location(1, 0, 3)), (e.s["07"] = 9)),
  "line-goes-back": (e) => void (e.statementMap[4].start.line = 1),
  "same-line-counts": (e) => {
    for (const id of [0, 1, 2]) e.statementMap[id].start.line = 5;
    e.s[0] = 0;
    e.s[1] = 7;
    e.s[2] = 3;
  },
  "all-on-one-line": (e) => {
    for (const loc of Object.values(e.statementMap)) loc.start.line = 9;
  },
  "no-statements": (e) => void ((e.statementMap = {}), (e.s = {})),
  "path-missing": (e) => void delete e.path,
  "path-number": (e) => void (e.path = 42),
  "path-other": (e) => void (e.path = "/elsewhere/other.js"),
  "not-object": (e) => ({ replace: ["x", e.path] }),
  "string-entry": () => ({ replace: "coverage" }),
  "null-entry": () => ({ replace: null }),
  "extra-keys": (e) => void ((e.inputSourceMap = { version: 3, sources: ["a.ts"], mappings: "AAAA" }), (e.all = true)),
  "keys-reordered": (e) => ({ replace: { b: e.b, f: e.f, s: e.s, branchMap: e.branchMap, fnMap: e.fnMap, statementMap: e.statementMap, path: e.path } }),
};

/** The entry after `mutate`: itself, changed in place, or what `mutate` put in its place. */
function mutated(entry, mutate) {
  const result = mutate(entry);
  return result === undefined ? entry : result.replace;
}

/** istanbul reports: `{ name, bytes }`. */
export function istanbulShapes() {
  const h = helpers(0x1577);
  const out = [];
  const add = (name, text) => out.push({ name: `istanbul-final/${name}`, format: "istanbul-final", bytes: Buffer.from(text) });
  const path = (i) => `/home/ci/work/repo/packages/${h.pick(WORDS)}/src/${h.pick(WORDS)}_${i}.ts`;

  // The bench's shape, in small: source order, several statements on a line, one entry a line.
  const regular = [];
  for (let i = 0; i < 300; i++) {
    const p = path(i);
    regular.push([p, istanbulEntry(h, p, { statements: h.int(0, 200) })]);
  }
  add("regular-nyc", nycLayout(regular));
  add("regular-compact", JSON.stringify(Object.fromEntries(regular)));
  add("regular-pretty", `${JSON.stringify(Object.fromEntries(regular.slice(0, 40)), null, 2)}\n`);

  // Statements out of source order, and lines far apart (a generated file, a bundle).
  const unordered = [];
  for (let i = 0; i < 60; i++) {
    const p = path(i);
    const order = i % 2 === 0 ? "shuffled" : "ascending";
    unordered.push([p, istanbulEntry(h, p, { statements: h.int(1, 120), order, maxLine: i % 3 === 0 ? h.pick([5000, 65537, 1e6, 2 ** 31 + 1]) : 0 })]);
  }
  add("unordered-nyc", nycLayout(unordered));

  // Every mutation among good entries: skipped (or read) one by one, diagnostics in document order.
  const broken = [];
  Object.entries(ISTANBUL_MUTATIONS).forEach(([name, mutate], i) => {
    const p = path(1000 + i);
    broken.push([`${p}-good`, istanbulEntry(h, `${p}-good`, { statements: h.int(5, 60) })]);
    const entry = istanbulEntry(h, p, { statements: h.int(8, 60) });
    broken.push([`${name}:${p}`, mutated(entry, mutate)]);
  });
  add("mutated-nyc", nycLayout(broken));

  // Each mutation alone: when no entry is good, the first bad one's reason is the error.
  Object.entries(ISTANBUL_MUTATIONS).forEach(([name, mutate]) => {
    const entry = istanbulEntry(h, `src/${name}.ts`, { statements: 12 });
    add(`alone-${name}`, nycLayout([[`src/${name}.ts`, mutated(entry, mutate)]]));
  });
  return out;
}

function coveragepyEntry(h, { lines, branches }) {
  const executed = [];
  const missing = [];
  const excluded = [];
  for (let line = 1; line <= lines; line += h.int(1, 2)) {
    const r = h.rand();
    if (r < 0.7) executed.push(line);
    else if (r < 0.92) missing.push(line);
    else if (r < 0.95) excluded.push(line);
  }
  const statements = executed.length + missing.length;
  const percent = statements === 0 ? 100 : (100 * executed.length) / statements;
  const summary = { covered_lines: executed.length, num_statements: statements, percent_covered: percent, percent_covered_display: String(Math.round(percent)), missing_lines: missing.length, excluded_lines: excluded.length };
  const entry = { executed_lines: executed, summary, missing_lines: missing, excluded_lines: excluded };
  if (branches) {
    const executedBranches = executed.filter(() => h.rand() < 0.15).map((line) => [line, line + h.int(1, 3)]);
    const missingBranches = missing.filter(() => h.rand() < 0.3).map((line) => [line, h.rand() < 0.5 ? -1 : line + 2]);
    Object.assign(summary, { num_branches: executedBranches.length + missingBranches.length, num_partial_branches: 0, covered_branches: executedBranches.length, missing_branches: missingBranches.length });
    Object.assign(entry, { executed_branches: executedBranches, missing_branches: missingBranches });
  }
  return entry;
}

const COVERAGEPY_MUTATIONS = {
  "executed-excluded-overlap": (e) => void e.excluded_lines.push(...e.executed_lines.slice(0, 3)),
  "executed-line-0": (e) => void e.executed_lines.unshift(0),
  "executed-float": (e) => void e.executed_lines.push(2.5),
  "executed-string": (e) => void e.executed_lines.push("7"),
  "executed-not-array": (e) => void (e.executed_lines = { 1: 1 }),
  "missing-negative": (e) => void e.missing_lines.push(-1),
  "missing-absent": (e) => void delete e.missing_lines,
  "excluded-absent": (e) => void delete e.excluded_lines,
  "excluded-null": (e) => void (e.excluded_lines = null),
  "summary-absent": (e) => void delete e.summary,
  "summary-covered-over-total": (e) => void (e.summary.covered_lines = e.summary.num_statements + 1),
  "summary-float": (e) => void (e.summary.num_statements = 3.5),
  "summary-branches-odd": (e) => void ((e.summary.covered_branches = 4), (e.summary.num_branches = 2)),
  "summary-branches-string": (e) => void (e.summary.num_branches = "2"),
  "unsorted-lines": (e) => void e.executed_lines.reverse(),
  "duplicate-lines": (e) => void e.executed_lines.push(...e.executed_lines.slice(0, 2)),
  "not-object": () => ({ replace: [1, 2] }),
};

/** coverage.py reports: `{ name, bytes }`. */
export function coveragepyShapes() {
  const h = helpers(0xc0e);
  const out = [];
  const meta = { format: 2, version: "7.6.1", timestamp: "2026-12-01T10:00:00.000000", branch_coverage: true, show_contexts: false };
  // coverage.py's `json.dump` spacing, as bench/json-inputs.mjs writes it.
  const spaced = (value) => JSON.stringify(value).replace(/,/g, ", ").replace(/":/g, '": ');
  const add = (name, files, totals) => {
    const text = `{"meta": ${spaced(meta)}, "files": {${files.map(([path, entry]) => `${JSON.stringify(path)}: ${spaced(entry)}`).join(", ")}}${totals ? `, "totals": ${spaced(totals)}` : ""}}\n`;
    out.push({ name: `coveragepy/${name}`, format: "coveragepy", bytes: Buffer.from(text) });
  };
  const totalsOf = (files) => {
    const totals = { covered_lines: 0, num_statements: 0, num_branches: 0, covered_branches: 0 };
    for (const [, e] of files) {
      totals.covered_lines += e.summary.covered_lines;
      totals.num_statements += e.summary.num_statements;
      totals.num_branches += e.summary.num_branches ?? 0;
      totals.covered_branches += e.summary.covered_branches ?? 0;
    }
    return totals;
  };
  const regular = Array.from({ length: 800 }, (_, i) => [`src/${h.pick(WORDS)}/${h.pick(WORDS)}_${i}.py`, coveragepyEntry(h, { lines: h.int(0, 150), branches: i % 5 !== 0 })]);
  add("regular", regular, totalsOf(regular));
  add("regular-no-totals", regular.slice(0, 100));
  const broken = [];
  Object.entries(COVERAGEPY_MUTATIONS).forEach(([name, mutate], i) => {
    broken.push([`src/good_${i}.py`, coveragepyEntry(h, { lines: h.int(5, 60), branches: true })]);
    const entry = coveragepyEntry(h, { lines: h.int(10, 60), branches: true });
    broken.push([`src/${name}.py`, mutated(entry, mutate)]);
  });
  add("mutated", broken, totalsOf(broken.filter(([, e]) => !Array.isArray(e) && e.summary)));
  return out;
}
