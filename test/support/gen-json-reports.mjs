// Deterministic JSON reports for the golden test of the JSON parsers (test/golden/json-generated.test.ts):
// istanbul coverage-final.json, coverage.py JSON, SARIF, ESLint and ruff output of moderate size, written
// with the edge cases a byte-level reader can get wrong (escapes, raw unicode, brackets and quotes inside
// strings, nested arrays, every whitespace JSON allows, numbers such as 1e3 and -0), and malformed variants
// (truncated at many points, one byte replaced, bad UTF-8, too deep, data after the document).
// Same seed, same bytes: the digests recorded from these inputs stay comparable from commit to commit.
import { prng } from "./generate.mjs";


function helpers(seed) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  return { rand, int, pick };
}

// Names with the characters a splitter must not take for structure.
const ODD_NAMES = [
  "src/a{b}.ts",
  "src/[id]/page.tsx",
  'src/quote"d.js',
  "src/back\\slash.js",
  "src/ünïcödé/日本.ts",
  "src/emoji-😀.js",
  "src/tab\there.js",
  "src/new\nline.js",
  "src/comma,colon:.js",
  "src/\u2028sep.js",
];
const WORDS = ["core", "api", "store", "auth", "queue", "cache", "ingest", "report", "gate", "plan"];

/**
 * Serializes `value` as JSON in one of several styles, so that whitespace of every kind JSON allows, escapes
 * (`\/`, `\u00e9`, surrogate pairs) and number spellings (1e3, -0, 1.50E+2) appear between and inside entries.
 */
function write(value, style, h) {
  const nl = style === "crlf" ? "\r\n" : "\n";
  const ws = () => (style === "odd" ? h.pick(["", " ", "\t", "\r\n", "  \n\t"]) : "");
  const str = (s) => {
    let out = JSON.stringify(s);
    if (style === "escaped") {
      out = out.replace(/[/é😀]/gu, (c) => (c === "/" ? "\\/" : c === "é" ? "\\u00e9" : "\\ud83d\\ude00"));
    }
    return out;
  };
  const num = (n) => {
    if (style === "odd" && Number.isInteger(n) && n >= 1000 && n % 1000 === 0) return `${n / 1000}e3`;
    if (style === "odd" && n === 0 && h.rand() < 0.2) return "-0";
    if (style === "escaped" && !Number.isInteger(n) && !String(n / 100).includes("e")) return `${String(n / 100)}E+2`;
    return JSON.stringify(n);
  };
  const go = (v, depth) => {
    if (v === null || typeof v === "boolean") return String(v);
    if (typeof v === "number") return num(v);
    if (typeof v === "string") return str(v);
    const pad = style === "pretty" || style === "crlf" ? nl + "  ".repeat(depth + 1) : "";
    const end = style === "pretty" || style === "crlf" ? nl + "  ".repeat(depth) : "";
    const sep = style === "spaced" ? ", " : ",";
    const colon = style === "spaced" || style === "pretty" || style === "crlf" ? ": " : ":";
    if (Array.isArray(v)) {
      if (v.length === 0) return "[" + ws() + "]";
      return "[" + v.map((x) => ws() + pad + go(x, depth + 1) + ws()).join(sep) + end + "]";
    }
    const keys = Object.keys(v);
    if (keys.length === 0) return "{" + ws() + "}";
    return "{" + keys.map((k) => ws() + pad + str(k) + ws() + colon + ws() + go(v[k], depth + 1) + ws()).join(sep) + end + "}";
  };
  return ws() + go(value, 0) + (style === "pretty" || style === "crlf" ? nl : ws());
}

const sourcePath = (h, i) => (i % 7 === 3 ? `${h.pick(ODD_NAMES)}-${i}` : `src/${h.pick(WORDS)}/${h.pick(WORDS)}-${i}.ts`);

function istanbulFinal(h, files) {
  const doc = {};
  for (let i = 0; i < files; i++) {
    const path = sourcePath(h, i);
    const statementMap = {};
    const s = {};
    const statements = h.int(0, 40);
    for (let j = 0; j < statements; j++) {
      const line = h.int(1, 200);
      statementMap[String(j)] = { start: { line, column: h.int(0, 40) }, end: { line: line + h.int(0, 3), column: h.int(0, 80) } };
      s[String(j)] = h.rand() < 0.3 ? 0 : h.int(1, 2000);
    }
    const fnMap = {};
    const f = {};
    for (let j = 0; j < h.int(0, 6); j++) {
      const line = h.int(1, 200);
      const loc = { start: { line, column: 0 }, end: { line: line + 2, column: 1 } };
      fnMap[String(j)] = { name: h.pick(["(anonymous_0)", "run", "a[b]", 'say"hi"', "ünï"]), decl: loc, loc, line };
      f[String(j)] = h.rand() < 0.3 ? 0 : h.int(1, 50);
    }
    const branchMap = {};
    const b = {};
    for (let j = 0; j < h.int(0, 5); j++) {
      const line = h.int(1, 200);
      const arms = h.int(1, 4);
      const loc = { start: { line, column: 2 }, end: { line, column: 30 } };
      branchMap[String(j)] = { loc, type: h.pick(["if", "cond-expr", "binary-expr", "switch"]), locations: Array.from({ length: arms }, () => loc), line };
      b[String(j)] = Array.from({ length: arms }, () => (h.rand() < 0.4 ? 0 : h.int(1, 9)));
    }
    doc[path] = { path, statementMap, fnMap, branchMap, s, f, b, _coverageSchema: "1a1c01bbd47fc00a2c39e90264f33305004495a9", hash: `h${i}` };
  }
  return doc;
}

function coveragepy(h, files, branches) {
  const doc = { meta: { version: "7.6.1", timestamp: "2026-11-22T00:07:53.055450", branch_coverage: branches, show_contexts: false }, files: {} };
  const totals = { covered_lines: 0, num_statements: 0, missing_lines: 0, excluded_lines: 0 };
  if (branches) Object.assign(totals, { num_branches: 0, covered_branches: 0, missing_branches: 0, num_partial_branches: 0 });
  for (let i = 0; i < files; i++) {
    const path = sourcePath(h, i).replace(/\.tsx?$/, ".py");
    const lines = h.int(0, 60);
    const executed = [];
    const missing = [];
    const excluded = [];
    for (let line = 1; line <= lines; line++) {
      const r = h.rand();
      if (r < 0.6) executed.push(line);
      else if (r < 0.85) missing.push(line);
      else if (r < 0.9) excluded.push(line);
    }
    const summary = { covered_lines: executed.length, num_statements: executed.length + missing.length, percent_covered: 0, percent_covered_display: "0", missing_lines: missing.length, excluded_lines: excluded.length };
    summary.percent_covered = summary.num_statements === 0 ? 100.0 : (100 * summary.covered_lines) / summary.num_statements;
    summary.percent_covered_display = String(Math.round(summary.percent_covered));
    const entry = { executed_lines: executed, summary, missing_lines: missing, excluded_lines: excluded };
    if (branches) {
      const executedBranches = executed.slice(0, h.int(0, 4)).map((line) => [line, line + 1]);
      const missingBranches = missing.slice(0, h.int(0, 3)).map((line) => [line, -1]);
      Object.assign(summary, { num_branches: executedBranches.length + missingBranches.length, num_partial_branches: 0, covered_branches: executedBranches.length, missing_branches: missingBranches.length });
      Object.assign(entry, { executed_branches: executedBranches, missing_branches: missingBranches });
      totals.num_branches += summary.num_branches;
      totals.covered_branches += summary.covered_branches;
      totals.missing_branches += summary.missing_branches;
    }
    totals.covered_lines += summary.covered_lines;
    totals.num_statements += summary.num_statements;
    totals.missing_lines += summary.missing_lines;
    totals.excluded_lines += summary.excluded_lines;
    doc.files[path] = entry;
  }
  // One file in three reports the totals off by one, so the mismatch diagnostic is exercised too.
  if (h.rand() < 0.3) totals.covered_lines += 1;
  doc.totals = totals;
  return doc;
}

const RULES = ["no-unused-vars", "S101", "js/sql-injection", "CA2101/1", "eqeqeq", "F401", "python.lang.security.audit"];

function sarif(h, runs, resultsPerRun) {
  const doc = { $schema: "https://json.schemastore.org/sarif-2.1.0.json", version: "2.1.0", runs: [] };
  for (let r = 0; r < runs; r++) {
    const driver = h.pick(["ESLint", "CodeQL", "ruff", "clang", "semgrep"]);
    const rules = RULES.map((id, i) => ({
      id,
      shortDescription: { text: `rule ${id} {0} [x]` },
      defaultConfiguration: { level: h.pick(["error", "warning", "note", "none"]) },
      messageStrings: { default: { text: "Found {0} in {1}" } },
      properties: { tags: i % 3 === 0 ? ["security", "external/cwe/cwe-89"] : ["style"], precision: "high" },
    }));
    const results = [];
    for (let i = 0; i < resultsPerRun; i++) {
      const ruleIndex = h.int(0, RULES.length - 1);
      const result = { ruleId: RULES[ruleIndex], ruleIndex };
      const kind = h.rand();
      if (kind < 0.6) result.message = { text: h.pick(["Unexpected \"==\" (use ===)", "a\\b\tc\nd", "brackets ]}{[ in text", "ünïcödé 日本 😀", "x".repeat(h.int(1, 300))]) };
      else if (kind < 0.8) result.message = { id: "default", arguments: [h.pick(WORDS), h.pick(ODD_NAMES)] };
      else result.message = { markdown: "**bold** `code`" };
      if (h.rand() < 0.3) result.level = h.pick(["error", "warning", "note", "none", "fatal"]);
      if (h.rand() < 0.05) result.kind = h.pick(["pass", "open", "fail"]);
      const uri = h.rand() < 0.2 ? `file:///work/${h.pick(WORDS)}/x%20y-${i}.js` : `${h.pick(WORDS)}/${h.pick(ODD_NAMES)}`;
      const location = { uri, ...(h.rand() < 0.3 ? { uriBaseId: "SRCROOT" } : {}) };
      result.locations = [{ physicalLocation: { artifactLocation: h.rand() < 0.1 ? { index: 0 } : location, region: { startLine: h.int(1, 500), startColumn: h.int(1, 80), ...(h.rand() < 0.3 ? { snippet: { text: "const x = [1, {a: \"}\"}];" } } : {}) } } }];
      if (h.rand() < 0.1) result.suppressions = [{ kind: "inSource", justification: "ok" }];
      if (h.rand() < 0.1) result.codeFlows = [{ threadFlows: [{ locations: [[[{ location: { message: { text: "nested [[ ]]" } } }]]] }] }];
      if (h.rand() < 0.2) result.partialFingerprints = { primaryLocationLineHash: `${h.int(1e6, 9e6).toString(16)}:1` };
      // A number past 2^53, as some tools write: it must come out as JSON.parse rounds it.
      // eslint-disable-next-line no-loss-of-precision
      if (h.rand() < 0.05) result.properties = { score: h.pick([1e3, -0, 0.5, 1.5e-7, 12345678901234567890]) };
      results.push(result);
    }
    const run = {
      tool: { driver: { name: driver, version: `${h.int(1, 9)}.${h.int(0, 20)}.0`, semanticVersion: "1.0.0", informationUri: "https://example.com/{tool}", rules }, extensions: [{ name: "pack", rules: rules.slice(0, 2) }] },
      invocations: [{ executionSuccessful: h.rand() < 0.8, toolExecutionNotifications: [{ level: "error", message: { text: "could not parse \"x.py\"" }, locations: [{ physicalLocation: { artifactLocation: { uri: "x.py" }, region: { startLine: 3 } } }] }, { level: "note", message: { text: "chatter" } }] }],
      originalUriBaseIds: { SRCROOT: { uri: "file:///work/repo/" } },
      artifacts: [{ location: { uri: "src/first[1].js", uriBaseId: "SRCROOT" }, length: 120 }],
      results,
      columnKind: "utf16CodeUnits",
      properties: { nested: [[1, [2, [3, []]]], { "}": "{", "\"": "\\" }] },
    };
    doc.runs.push(run);
  }
  return doc;
}

function eslint(h, files) {
  return Array.from({ length: files }, (_, i) => ({
    filePath: `/work/repo/${sourcePath(h, i)}`,
    messages: Array.from({ length: h.int(0, 5) }, () => ({ ruleId: h.pick([...RULES, null]), severity: h.int(1, 2), message: h.pick(["Unexpected \"==\"", "brackets ]}{[", "ünï 😀"]), line: h.int(1, 300), column: h.int(1, 80), nodeType: "Identifier" })),
    suppressedMessages: [],
    errorCount: 0,
    fatalErrorCount: 0,
    warningCount: 0,
    fixableErrorCount: 0,
    fixableWarningCount: 0,
    usedDeprecatedRules: [],
  }));
}

function ruff(h, count) {
  return Array.from({ length: count }, (_, i) => ({
    cell: null,
    code: h.pick(["F401", "S101", "E501", "B008"]),
    end_location: { column: h.int(1, 80), row: h.int(1, 300) },
    filename: `/work/repo/${sourcePath(h, i).replace(/\.tsx?$/, ".py")}`,
    fix: null,
    location: { column: h.int(1, 80), row: h.int(1, 300) },
    message: h.pick(["`os` imported but unused", "Use of `assert` detected", "line too long (120 > 88)", "brackets ]}{[ \"q\""]),
    noqa_row: h.int(1, 300),
    url: "https://docs.astral.sh/ruff/rules/",
  }));
}

const STYLES = ["compact", "spaced", "pretty", "crlf", "odd", "escaped"];

/** Well-formed reports, by name: `{ name, format, bytes }`. Moderate size: a few hundred KB at most. */
export function validReports() {
  const out = [];
  const h = helpers(14);
  const add = (name, format, value, style) => out.push({ name: `${format}/${name}-${style}`, format, bytes: Buffer.from(write(value, style, h)) });
  for (const style of STYLES) {
    add("files-120", "istanbul-final", istanbulFinal(h, 120), style);
    add("files-40", "coveragepy", coveragepy(h, 40, style !== "compact"), style);
    add("runs-2", "sarif", sarif(h, 2, 60), style);
    add("files-30", "eslint", eslint(h, 30), style);
    add("diagnostics-30", "ruff", ruff(h, 30), style);
  }
  add("files-1500", "istanbul-final", istanbulFinal(h, 1500), "compact");
  add("files-1500", "coveragepy", coveragepy(h, 1500, true), "spaced");
  add("results-2000", "sarif", sarif(h, 1, 2000), "pretty");
  add("empty", "istanbul-final", {}, "compact");
  add("no-files", "coveragepy", { meta: { version: "7.6.1", branch_coverage: false }, files: {}, totals: { covered_lines: 0, num_statements: 0 } }, "pretty");
  add("no-results", "sarif", { version: "2.1.0", runs: [{ tool: { driver: { name: "ESLint" } }, results: [] }] }, "pretty");
  // Entries that are not what the format says, between good ones: skipped with a diagnostic.
  add("odd-entries", "istanbul-final", { "a.js": [], "b.js": { statementMap: {}, s: {}, f: {}, b: {} }, "c.js": "x", "d.js": { statementMap: { 0: { start: { line: 0 } } }, s: { 0: 1 }, f: {}, b: { 0: [1, -1] } } }, "spaced");
  add("odd-entries", "coveragepy", { meta: { version: "7" }, files: { "a.py": null, "b.py": { summary: { covered_lines: 1, num_statements: 1 }, executed_lines: [1], missing_lines: [] }, "c.py": { summary: {} } }, totals: [] }, "pretty");
  add("odd-entries", "sarif", { version: "2.1.0", runs: [{ tool: { driver: { name: "x", rules: [1, null, { id: "r" }] } }, results: [1, { ruleId: "r", message: { text: "ok" } }, null], invocations: [{ toolExecutionNotifications: [null, { message: { text: "w" } }] }], artifacts: [null, { location: 3 }] }, { tool: [] , results: {} }] }, "odd");
  return out;
}

/** Small well-formed reports the malformed ones are cut from: every byte of these is a place to break. */
function smallReports() {
  const h = helpers(1414);
  return [
    { name: "istanbul-final/small", format: "istanbul-final", bytes: Buffer.from(write(istanbulFinal(h, 3), "spaced", h)) },
    { name: "coveragepy/small", format: "coveragepy", bytes: Buffer.from(write(coveragepy(h, 3, true), "pretty", h)) },
    { name: "sarif/small", format: "sarif", bytes: Buffer.from(write(sarif(h, 2, 2), "compact", h)) },
    { name: "eslint/small", format: "eslint", bytes: Buffer.from(write(eslint(h, 3), "odd", h)) },
  ];
}

/** Malformed reports: `{ name, format, bytes }`, each a small report broken in one place. */
export function malformedReports() {
  const out = [];
  const h = helpers(4141);
  for (const base of smallReports()) {
    const { bytes, format } = base;
    // Cut at ~60 places, first and last bytes included.
    const step = Math.max(1, Math.floor(bytes.length / 60));
    for (let at = 0; at < bytes.length; at += step) out.push({ name: `${base.name}-cut-${at}`, format, bytes: bytes.subarray(0, at) });
    out.push({ name: `${base.name}-cut-last`, format, bytes: bytes.subarray(0, bytes.length - 1) });
    // One byte replaced at ~40 random places, by a byte that breaks something there.
    for (let i = 0; i < 40; i++) {
      const at = h.int(0, bytes.length - 1);
      const by = h.pick([0x78, 0x7d, 0x5d, 0x7b, 0x5b, 0x2c, 0x3a, 0x22, 0x5c, 0x0a, 0xff, 0x00, 0x31, 0x20]);
      const copy = Buffer.from(bytes);
      copy[at] = by;
      out.push({ name: `${base.name}-byte-${at}-${by.toString(16)}`, format, bytes: copy });
    }
    const text = bytes.toString("utf8");
    const variants = {
      bom: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]),
      "trailing-garbage": Buffer.from(`${text}\n\n  garbage`),
      "trailing-object": Buffer.from(`${text}{"a":1}`),
      "trailing-space": Buffer.from(`${text} \n\t\r\n`),
      "leading-space": Buffer.from(`\n\n  ${text}`),
      "bad-utf8": Buffer.from(text.replace(/"([a-z]+)"/, '"$1\u0001"').replace("\u0001", "\u00ff")),
      "raw-newline": Buffer.from(text.replace(/"([a-z]+)"/, '"$1\n"')),
      "raw-control": Buffer.from(text.replace(/"([a-z]+)"/, '"$1\u0001"')),
      "lone-surrogate": Buffer.from(text.replace(/"([a-z]+)"/, '"$1\\ud800"')),
      "deep": Buffer.from(text.replace(/\[/, `[${"[".repeat(600)}${"]".repeat(600)},`)),
      "deep-500": Buffer.from(text.replace(/\[/, `[${"[".repeat(500)}${"]".repeat(500)},`)),
      "mismatched": Buffer.from(text.replace(/\]/, "}")),
      "trailing-comma": Buffer.from(text.replace(/\}\s*$/, ",}").replace(/\]\s*$/, ",]")),
      "missing-comma": Buffer.from(text.replace(/,/, " ")),
      "scalar": Buffer.from("42"),
      "string": Buffer.from('"report"'),
      "other-root": Buffer.from(format === "eslint" ? '{"filePath":"x"}' : '[{"a":1}]'),
      "empty": Buffer.alloc(0),
      "whitespace": Buffer.from(" \n\t\r\n"),
      "nul": Buffer.from([0]),
    };
    for (const [variant, data] of Object.entries(variants)) out.push({ name: `${base.name}-${variant}`, format, bytes: data });
    // Invalid UTF-8 split over bytes that a chunk boundary may fall between.
    const bad = Buffer.from(bytes);
    const quote = bad.indexOf(0x22, Math.floor(bad.length / 2));
    if (quote > 0) out.push({ name: `${base.name}-bad-utf8-mid`, format, bytes: Buffer.concat([bad.subarray(0, quote + 1), Buffer.from([0xe2, 0x82]), bad.subarray(quote + 1)]) });
  }
  return out;
}
