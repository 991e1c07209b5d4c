// Deterministic SARIF logs for the golden test of the SARIF parser's shapes (test/golden/sarif-shapes.test.ts):
// the orders a run's members come in (results before the tool, rules after the results, originalUriBaseIds and
// artifacts after the results, no tool, no rules, a member written twice), the ways a result names its rule
// (ruleIndex, ruleId, rule.index, rule.id, hierarchical ids, tool components by index or name), its level, kind,
// message (text, markdown, templates), suppressions and location (URIs relative, absolute, percent-encoded,
// file: and drive-letter URIs, bases defined, undefined, chained, in a cycle, artifacts by index), and runs
// of many results written on one line (which the JSON splitter reads as a run) or one per line.
// Same seed, same bytes: the digests recorded from these logs stay comparable from commit to commit.
import { prng } from "./generate.mjs";

function helpers(seed) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  return { rand, int, pick };
}

/** An object whose members are written in this order, a key possibly twice (which a JS object cannot hold). */
const members = (...entries) => ({ __members: entries });

/** JSON text of `value`: compact (every result on one line) or one member per line. */
function write(value, style) {
  const nl = style === "lines" ? "\n" : "";
  const go = (v) => {
    if (v === null || typeof v !== "object") return JSON.stringify(v);
    if (Array.isArray(v)) return `[${v.map(go).join(`,${nl}`)}]`;
    const entries = v.__members ?? Object.entries(v);
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${go(x)}`).join(`,${nl}`)}}`;
  };
  return go(value);
}

const RULE_IDS = ["no-unused-vars", "S101", "S608", "js/sql-injection", "CA2101", "eqeqeq", "security.insecureAPI.strcpy", "F401"];
const URIS = [
  "src/a.ts",
  "src/dir/b.py",
  "src/a.ts",
  "src/x%20y.js",
  "src/%E6%97%A5.ts",
  "src/bad%zz.ts",
  "C:/work/c.cs",
  "C:\\work\\d.cs",
  "file:///work/repo/e.go",
  "file:///C:/work/f.go",
  "file://host/share/g.c",
  "https://example.com/h.js",
  "/abs/i.rb",
  "j k.ts",
  "src/a.ts?x=1#y",
  "",
  "../up.ts",
];
const BASES = [undefined, "SRCROOT", "REPOROOT", "NOURI", "UNDEFINED", "LOOP_A", "ABS", "%SRCROOT%"];
const BASE_IDS = {
  REPOROOT: { description: { text: "no uri: paths stay relative" } },
  SRCROOT: { uri: "src/", uriBaseId: "REPOROOT" },
  NOURI: {},
  LOOP_A: { uri: "a/", uriBaseId: "LOOP_B" },
  LOOP_B: { uri: "b/", uriBaseId: "LOOP_A" },
  ABS: { uri: "file:///work/repo/" },
};

function rules(h, count) {
  return Array.from({ length: count }, (_, i) => {
    const rule = { id: RULE_IDS[i % RULE_IDS.length] + (i >= RULE_IDS.length ? `-${i}` : "") };
    if (h.rand() < 0.7) rule.defaultConfiguration = { level: h.pick(["error", "warning", "note", "none", "fatal"]) };
    if (h.rand() < 0.5) rule.messageStrings = { default: { text: "Found {0} in {1} ({0}) {7}" }, other: { text: "Other {0}" } };
    if (h.rand() < 0.3) rule.properties = { tags: [h.pick(["security", "Security", "style"]), "x"] };
    return rule;
  });
}

function result(h, i, ruleCount) {
  const out = {};
  const naming = h.rand();
  if (naming < 0.5) {
    const index = h.int(0, ruleCount + 1);
    out.ruleId = RULE_IDS[index % RULE_IDS.length] + (h.rand() < 0.1 ? "/sub" : "");
    out.ruleIndex = index;
  } else if (naming < 0.7) out.ruleId = h.pick([...RULE_IDS, "CA2101/1/2", "unknown", "S"]);
  else if (naming < 0.8) out.rule = { id: h.pick(RULE_IDS), ...(h.rand() < 0.5 ? { index: h.int(0, ruleCount) } : {}) };
  else if (naming < 0.9) out.rule = { index: h.int(0, ruleCount), toolComponent: h.rand() < 0.5 ? { index: h.int(0, 1) } : { name: h.pick(["pack", "other"]) } };
  if (h.rand() < 0.4) out.level = h.pick(["error", "warning", "note", "none", "fatal"]);
  if (h.rand() < 0.06) out.kind = h.pick(["pass", "open", "fail", "review"]);
  const message = h.rand();
  if (message < 0.6) out.message = { text: `Problem ${i} with "quotes" and \\ and ünï` };
  else if (message < 0.75) out.message = { id: h.pick(["default", "other", "missing"]), arguments: ["a", `b${i}`] };
  else if (message < 0.85) out.message = { markdown: `**${i}**` };
  else if (message < 0.95) out.message = { id: "default" };
  else if (message < 0.98) out.message = {};
  const place = h.rand();
  if (place < 0.85) {
    const artifactLocation = h.rand() < 0.1 ? { index: h.int(0, 3) } : { uri: h.rand() < 0.3 ? `src/gen${i % 7}/file_${i}.ts` : h.pick(URIS), ...(h.rand() < 0.6 ? { uriBaseId: h.pick(BASES) ?? "SRCROOT" } : {}) };
    const region = {};
    if (h.rand() < 0.9) region.startLine = h.pick([h.int(1, 900), 0, -1, 1.5]);
    if (h.rand() < 0.8) region.startColumn = h.int(0, 80);
    if (h.rand() < 0.2) region.snippet = { text: `code ${i}` };
    out.locations = [{ physicalLocation: { artifactLocation, region } }];
  } else if (place < 0.9) out.locations = [];
  if (h.rand() < 0.1) out.suppressions = [{ kind: "inSource", ...(h.rand() < 0.6 ? { status: h.pick(["accepted", "underReview", "rejected"]) } : {}) }];
  if (h.rand() < 0.1) out.properties = { tags: [h.pick(["security", "style"])] };
  return out;
}

const results = (h, count, ruleCount) => Array.from({ length: count }, (_, i) => result(h, i, ruleCount));

const notifications = (h) => [
  { level: "error", message: { text: "could not read x.py" }, locations: [{ physicalLocation: { artifactLocation: { uri: "x%20y.py", uriBaseId: h.pick(BASES) ?? "SRCROOT" }, region: { startLine: 3 } } }] },
  { message: { text: "a warning by default" } },
  { level: "note", message: { text: "chatter" } },
];

const driver = (h, name, ruleCount) => ({ name, ...(h.rand() < 0.5 ? { version: "1.2.3" } : { semanticVersion: "4.5.6" }), ...(ruleCount > 0 ? { rules: rules(h, ruleCount) } : {}) });
const tool = (h, name, ruleCount) => ({ driver: driver(h, name, ruleCount), extensions: [{ name: "pack", rules: rules(h, 3) }, { name: "other" }] });
const artifacts = () => [{ location: { uri: "art/zero.ts", uriBaseId: "SRCROOT" } }, { location: { uri: "file:///work/one.ts" } }, null, { location: { uri: "three%20.ts" } }];

/** Runs with their members in the orders tools write them, and some no tool writes but JSON allows. */
function runShapes(h, count) {
  const n = count;
  return {
    "tool-first": () => members(["tool", tool(h, "ESLint", 10)], ["results", results(h, n, 10)]),
    "results-first": () => members(["results", results(h, n, 10)], ["tool", tool(h, "ruff", 10)]),
    "bases-after": () => members(["tool", tool(h, "clang", 8)], ["results", results(h, n, 8)], ["originalUriBaseIds", BASE_IDS], ["artifacts", artifacts()]),
    "bases-first": () => members(["originalUriBaseIds", BASE_IDS], ["artifacts", artifacts()], ["tool", tool(h, "CodeQL", 8)], ["results", results(h, n, 8)]),
    "everything-after": () => members(["results", results(h, n, 8)], ["invocations", [{ executionSuccessful: false, toolExecutionNotifications: notifications(h) }]], ["artifacts", artifacts()], ["originalUriBaseIds", BASE_IDS], ["tool", tool(h, "semgrep", 8)]),
    "no-tool": () => members(["results", results(h, n, 4)]),
    "no-rules": () => members(["tool", { driver: { name: "gitleaks" } }], ["originalUriBaseIds", BASE_IDS], ["results", results(h, n, 0)]),
    "rules-in-extension-only": () => members(["tool", { driver: { name: "x" }, extensions: [{ name: "pack", rules: rules(h, 6) }] }], ["results", results(h, n, 6)]),
    "tool-twice": () => members(["tool", tool(h, "first", 4)], ["results", results(h, n, 8)], ["tool", tool(h, "bandit", 8)]),
    "results-twice": () => members(["tool", tool(h, "ESLint", 8)], ["results", results(h, n, 8)], ["originalUriBaseIds", BASE_IDS], ["results", results(h, 5, 8)]),
    "bases-twice": () => members(["originalUriBaseIds", { SRCROOT: { uri: "old/" } }], ["tool", tool(h, "ESLint", 8)], ["results", results(h, n, 8)], ["originalUriBaseIds", BASE_IDS]),
    "name-after-rules": () => members(["tool", { driver: members(["rules", rules(h, 8)], ["name", "ruff"], ["version", "0.1"]) }], ["results", results(h, n, 8)]),
    "driver-twice": () => members(["tool", members(["driver", driver(h, "one", 3)], ["driver", driver(h, "two", 8)])], ["results", results(h, n, 8)]),
  };
}

/** SARIF logs by name: `{ name, bytes }`, each shape in both styles, alone and as runs of one log. */
export function sarifShapes() {
  const out = [];
  const h = helpers(0x5a21f);
  for (const style of ["compact", "lines"]) {
    for (const [shape, make] of Object.entries(runShapes(h, 40))) {
      out.push({ name: `${shape}-${style}`, bytes: Buffer.from(write({ version: "2.1.0", runs: [make()] }, style)) });
    }
    // Every shape a run of one log, with the version last, as ruff and semgrep write it.
    const shapes = runShapes(h, 12);
    out.push({ name: `all-runs-${style}`, bytes: Buffer.from(write(members(["$schema", "https://json.schemastore.org/sarif-2.1.0.json"], ["runs", Object.values(shapes).map((make) => make())], ["version", "2.1.0"]), style)) });
  }
  // Runs of thousands of results on one line: the splitter's runs cross chunks of every size used.
  out.push({ name: "many-results-compact", bytes: Buffer.from(write({ version: "2.1.0", runs: [runShapes(h, 3000)["bases-after"](), runShapes(h, 2000)["results-first"]()] }, "compact")) });
  return out;
}
