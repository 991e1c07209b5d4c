// Deterministic SARIF logs for test/golden/sarif-regular.test.ts: results of the plain shape most tools write
// (ruleId, ruleIndex, level, a message text, one physical location) in every spelling JSON allows for it —
// key orders, whitespace and newlines between tokens, members the parser does not read (with values of every
// JSON kind, escapes and non-ASCII bytes in them), members written twice, numbers and strings of every form,
// values of the wrong type — and the same logs with one byte changed, inserted or removed, or cut short, so
// that a reader of such results straight from their bytes must give what JSON.parse gave, errors included.
// Same seed, same bytes: the digests recorded from these logs stay comparable from commit to commit.
import { prng } from "./generate.mjs";

function helpers(seed) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (list) => list[int(0, list.length - 1)];
  return { rand, int, pick };
}

// Raw JSON text of values, so that numbers and strings can be spelled as JSON allows but JSON.stringify never writes.
const NUMBERS = ["0", "1", "7", "42", "875", "1234567", "999999999999999", "12345678901234567890", "-0", "-1", "1.5", "1.0", "0.0", "1e2", "1E+2", "2e-1", "-3.25e10", "100000000000000000000000"];
const PLAIN_STRINGS = ['"error"', '"warning"', '"note"', '"none"', '"fatal"', '""', '"rule-1"', '"src/a.ts"', '"%SRCROOT%"'];
const ODD_STRINGS = ['"esc\\"aped"', '"back\\\\slash"', '"tab\\t"', '"\\u00e9t\\u00e9"', '"\\ud83d\\ude00"', '"ünï"', '"日本"', '"a/b"', '"\\/"', '"x%20y.ts"', '"C:/w/c.cs"', '"file:///w/e.go"'];
const SCALARS = ["true", "false", "null", ...NUMBERS, ...PLAIN_STRINGS, ...ODD_STRINGS];

function anyValue(h, depth) {
  const r = h.rand();
  if (depth <= 0 || r < 0.5) return h.pick(SCALARS);
  if (r < 0.75) return `[${Array.from({ length: h.int(0, 3) }, () => anyValue(h, depth - 1)).join(",")}]`;
  return `{${Array.from({ length: h.int(0, 3) }, (_, i) => `"k${i}":${anyValue(h, depth - 1)}`).join(",")}}`;
}

/** An object's members as JSON text, with whitespace `ws()` between tokens. */
const object = (ws, members) => `{${ws()}${members.map(([key, text]) => `${key}${ws()}:${ws()}${text}`).join(`${ws()},${ws()}`)}${ws()}}`;
const array = (ws, items) => `[${ws()}${items.join(`${ws()},${ws()}`)}${ws()}]`;

function shuffle(h, list) {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = h.int(0, i);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** One result: mostly the plain shape, with a chance of each variation. */
function result(h, i, ws, odd) {
  const chance = (p) => h.rand() < p * odd;
  const str = (plain) => (chance(0.15) ? h.pick([...ODD_STRINGS, ...SCALARS]) : JSON.stringify(plain));
  const num = (plain) => (chance(0.15) ? h.pick(SCALARS) : String(plain));
  const region = [];
  if (!chance(0.1)) region.push(['"startLine"', num(h.int(1, 900))]);
  if (!chance(0.2)) region.push(['"startColumn"', num(h.int(1, 80))]);
  if (chance(0.1)) region.push(['"endLine"', num(h.int(1, 900))]);
  if (chance(0.1)) region.push(['"snippet"', chance(0.5) ? object(ws, [['"text"', str(`code ${i}`)]]) : anyValue(h, 2)]);
  if (chance(0.05)) region.push(['"startLine"', num(h.int(1, 900))]);
  const artifact = [];
  if (!chance(0.05)) artifact.push(['"uri"', str(h.pick([`src/gen${i % 5}/file_${i}.ts`, "src/a.ts", "src/x%20y.js", "C:/work/c.cs", "file:///work/e.go", "/abs/i.rb", "../up.ts"]))]);
  if (chance(0.6) || h.rand() < 0.5) artifact.push(['"uriBaseId"', str(h.pick(["%SRCROOT%", "SRCROOT", "UNDEFINED"]))]);
  if (chance(0.1)) artifact.push(['"index"', num(h.int(0, 3))]);
  if (chance(0.05)) artifact.push(['"uri"', str("src/twice.ts")]);
  const physical = [];
  if (!chance(0.05)) physical.push(['"artifactLocation"', chance(0.05) ? anyValue(h, 1) : object(ws, shuffle(h, artifact))]);
  if (!chance(0.05)) physical.push(['"region"', chance(0.05) ? anyValue(h, 1) : object(ws, chance(0.3) ? shuffle(h, region) : region)]);
  if (chance(0.1)) physical.push(['"contextRegion"', anyValue(h, 3)]);
  const location = [];
  if (chance(0.1)) location.push(['"id"', num(0)]);
  location.push(['"physicalLocation"', chance(0.05) ? anyValue(h, 1) : object(ws, chance(0.3) ? shuffle(h, physical) : physical)]);
  if (chance(0.1)) location.push(['"message"', object(ws, [['"text"', str("where")]])]);
  const locations = [object(ws, location)];
  if (chance(0.1)) locations.push(object(ws, [['"physicalLocation"', object(ws, [['"artifactLocation"', object(ws, [['"uri"', '"second.ts"']])]])]]));
  if (chance(0.05)) locations.unshift(h.pick(["null", "{}", "[]", '"x"']));
  const message = [];
  const messageKind = h.rand();
  if (messageKind < 0.85 || !chance(1)) message.push(['"text"', str(`Problem ${i} in ${h.pick(["core", "api", "web"])}`)]);
  else if (messageKind < 0.9) message.push(['"markdown"', str(`**${i}**`)]);
  else if (messageKind < 0.95) message.push(['"id"', '"default"'], ['"arguments"', array(ws, ['"a"', '"b"'])]);
  if (chance(0.05)) message.push(['"markdown"', str("md")]);
  if (chance(0.05)) message.push(['"text"', str("again")]);
  if (chance(0.05)) message.push(['"arguments"', anyValue(h, 2)]);
  const members = [];
  const ruleIndex = h.int(0, 12);
  if (!chance(0.05)) members.push(['"ruleId"', str(`rule-${ruleIndex}`)]);
  if (h.rand() < 0.8) members.push(['"ruleIndex"', num(ruleIndex)]);
  if (h.rand() < 0.5) members.push(['"level"', str(h.pick(["error", "warning", "note"]))]);
  if (chance(0.05)) members.push(['"kind"', str(h.pick(["fail", "pass", "open", "review"]))]);
  members.push(['"message"', chance(0.05) ? anyValue(h, 1) : object(ws, message)]);
  if (!chance(0.05)) members.push(['"locations"', chance(0.05) ? anyValue(h, 1) : array(ws, locations)]);
  if (chance(0.15)) members.push([h.pick(['"partialFingerprints"', '"fingerprints"', '"codeFlows"', '"relatedLocations"', '"baselineState"', '"guid"']), anyValue(h, 4)]);
  if (chance(0.05)) members.push([h.pick(['"rule"', '"suppressions"', '"properties"', '"taxa"', '"rank"']), h.pick([anyValue(h, 2), '{"id":"rule-2","index":2}', '[{"kind":"inSource"}]', '{"tags":["security"]}'])]);
  if (chance(0.05)) members.push([h.pick(['"ruleId"', '"message"', '"locations"', '"level"', '"ruleIndex"']), h.pick(SCALARS)]);
  if (chance(0.03)) members.push([h.pick(['"rule\\u0049d"', '"lev\\u0065l"', '"m\\u00e9ssage"']), '"escaped-key"']);
  return object(ws, chance(0.2) ? shuffle(h, members) : members);
}

const SPACES = ["", "", "", "", " ", "  ", "\n", "\n  ", "\r\n", "\t"];

/** A whole log of `count` results; `style`: "compact" (no whitespace), "spaced" (some between tokens), "pretty" (a member per line). */
function log(h, count, style, odd) {
  const ws = style === "compact" ? () => "" : style === "pretty" ? () => h.pick(["\n", "\n    ", " "]) : () => h.pick(SPACES);
  const rules = Array.from({ length: 12 }, (_, i) => `{"id":"rule-${i}","defaultConfiguration":{"level":"${["error", "warning", "note", "none"][i % 4]}"}}`);
  const results = Array.from({ length: count }, (_, i) => result(h, i, ws, odd));
  const bases = h.rand() < 0.5 ? ',"originalUriBaseIds":{"%SRCROOT%":{"uri":"file:///work/repo/"}}' : "";
  return Buffer.from(`{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"synthetic-lint","rules":[${rules.join(",")}]}},"results":${array(ws, results)}${bases}}]}`);
}

/** Logs by name: `{ name, bytes }`: regular logs of each style and oddness. */
export function sarifRegularLogs() {
  const h = helpers(0x5a2f5);
  const out = [];
  for (const style of ["compact", "spaced", "pretty"]) {
    // Oddness 0: every result plain (runs of them); 1: variations here and there; 4: most results odd.
    for (const odd of [0, 1, 4]) out.push({ name: `${style}-odd${odd}`, bytes: log(h, 60, style, odd) });
  }
  // Long runs of plain results on one line, and results nested deeper than the parser allows in an unread member.
  out.push({ name: "plain-2000", bytes: log(h, 2000, "compact", 0) });
  const deep = (levels) => `${"[".repeat(levels)}${"]".repeat(levels)}`;
  const plain = log(h, 8, "compact", 0).toString("latin1");
  for (const levels of [100, 505, 600]) {
    out.push({ name: `deep-${levels}`, bytes: Buffer.from(plain.replace('{"ruleId":"rule-', `{"codeFlows":${deep(levels)},"ruleId":"rule-`), "latin1") });
  }
  return out;
}

const MUTATION_BYTES = ['"', "\\", "{", "}", "[", "]", ",", ":", "0", "1", "-", "+", ".", "e", "E", "t", "n", "u", " ", "\n", "\t", "\x01", "\x7f", "\x80", "\xc3", "x"];

/** Regular logs with one byte replaced, inserted or removed inside the results, or cut short there: `{ name, bytes }`. */
export function sarifMutatedLogs(count) {
  const h = helpers(0x5a2f6);
  const bases = [log(h, 12, "compact", 0), log(h, 12, "compact", 1), log(h, 12, "spaced", 1)];
  const out = [];
  for (let n = 0; n < count; n++) {
    const base = bases[n % bases.length];
    const from = base.indexOf('"results"') + 10;
    const at = h.int(from, base.length - 4);
    const byte = Buffer.from(h.pick(MUTATION_BYTES), "latin1");
    const how = h.pick(["replace", "replace", "insert", "remove", "cut"]);
    let bytes;
    if (how === "replace") bytes = Buffer.concat([base.subarray(0, at), byte, base.subarray(at + 1)]);
    else if (how === "insert") bytes = Buffer.concat([base.subarray(0, at), byte, base.subarray(at)]);
    else if (how === "remove") bytes = Buffer.concat([base.subarray(0, at), base.subarray(at + 1)]);
    else bytes = base.subarray(0, at);
    out.push({ name: `mutated-${n}-${how}-${at}`, bytes });
  }
  return out;
}
