// Deterministic lcov tracefiles for the lcov parser's golden test: the shapes real tools write
// (geninfo, c8, istanbul, coverage.py, lcov 2) and the odd cases a fast path must not get wrong —
// same-name functions, commas and UTF-8 in names, CRLF, checksums on DA lines, repeated files,
// unsorted DA lines, summaries without detail, negative and huge counts, malformed lines, truncation.
// Same seed, same bytes; nothing here reads the machine or the clock.
import { prng } from "./generate.mjs";


const WORDS = ["core", "api", "store", "auth", "billing", "queue", "cache", "ingest", "report", "gate", "plan", "exec", "web", "util", "model"];
const ODD_NAMES = ["anonymous", "(anonymous_0)", "<lambda>", "Foo::bar(int, char)", "conv<std::pair<int, int> >", "déjà_vu", "函数", "get", "a,b,c"];

/**
 * One tracefile of `files` source files. `flavor` picks the dialect; `odd` mixes in the rare cases.
 * Returns the text; `eol` is "\n" or "\r\n".
 */
function tracefile(seed, files, { eol = "\n", flavor = "mixed", odd = false } = {}) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const chance = (p) => rand() < p;
  const out = [];
  const w = (line) => out.push(line + eol);
  const paths = [];
  if (flavor === "lcov2") w("VER:2.0");
  for (let f = 0; f < files; f++) {
    // Repeated files (concatenated runs, shards): a path seen before, now and then.
    const again = paths.length > 3 && chance(0.08);
    const path = again ? pick(paths) : `src/${pick(WORDS)}/${pick(WORDS)}_${f}${chance(0.05) ? "_ü" : ""}.${pick(["ts", "js", "c", "py"])}`;
    if (!again) paths.push(path);
    w(`TN:${chance(0.2) ? `test_${f}` : ""}`);
    w(`SF:${path}${odd && chance(0.05) ? "  " : ""}`);
    const fnBase = int(0, 4);
    const fns = chance(0.1) ? 0 : int(1, 9);
    const names = [];
    for (let i = 0; i < fns; i++) {
      const same = names.length > 0 && chance(0.15);
      const name = same ? pick(names) : chance(0.1) ? pick(ODD_NAMES) : `fn_${fnBase + i}`;
      names.push(name);
      const line = same && chance(0.3) ? 1 : i * 7 + 1;
      if (flavor === "lcov2") {
        w(`FNL:${i},${line},${line + int(1, 20)}`);
        const aliases = chance(0.2) ? 2 : 1;
        for (let a = 0; a < aliases; a++) w(`FNA:${i},${chance(0.7) ? int(1, 90) : 0},${name}${a ? "<double>" : ""}`);
      } else {
        w(chance(0.1) ? `FN:${line},${line + int(1, 30)},${name}` : `FN:${line},${name}`);
      }
    }
    if (flavor !== "lcov2") {
      let fnHit = 0;
      const extra = odd && chance(0.1) ? 1 : 0;
      for (let i = 0; i < names.length + extra; i++) {
        const h = chance(0.75) ? (chance(0.05) ? "18446744073709551615" : String(int(1, 500))) : "0";
        if (h !== "0") fnHit++;
        w(`FNDA:${h},${names[i] ?? `undeclared_${f}`}`);
      }
      if (fns > 0 || chance(0.3)) {
      w(`FNF:${fns + (odd && chance(0.05) ? 1 : 0)}`);
      w(`FNH:${fnHit}`);
    }
    }
    const lines = chance(0.05) ? 0 : int(1, 120);
    const checksum = chance(0.15);
    const unsorted = chance(0.05);
    let hit = 0;
    let brf = 0;
    let brh = 0;
    const order = Array.from({ length: lines }, (_, i) => i + 1);
    if (unsorted) for (let i = order.length - 1; i > 0; i--) { const j = int(0, i); [order[i], order[j]] = [order[j], order[i]]; }
    for (const l of order) {
      if (chance(0.15)) {
        const blocks = chance(0.1) ? 2 : 1;
        for (let b = 0; b < blocks; b++) {
          const block = flavor === "lcov2" && chance(0.3) ? `e${b}` : String(b);
          const arms = int(2, 4);
          for (let a = 0; a < arms; a++) {
            const taken = chance(0.6) ? String(int(1, 40)) : chance(0.5) ? "-" : "0";
            brf++;
            if (taken !== "-" && taken !== "0") brh++;
            w(`BRDA:${l},${block},${flavor === "lcov2" && chance(0.1) ? `(x > ${a})` : a},${taken}`);
          }
        }
        // A repeated key (template instantiations, repeated sections) now and then.
        if (chance(0.05)) w(`BRDA:${l},0,0,${int(0, 3)}`);
      }
      const h = chance(0.8) ? (chance(0.02) ? "9007199254740993" : String(int(1, 2000))) : "0";
      if (h !== "0") hit++;
      w(`DA:${l},${h}${checksum ? `,${pick(["abc+/=", "Xy9Q==", "0"])}` : ""}`);
      if (unsorted && chance(0.1)) w(`DA:${l},${chance(0.5) ? 0 : 3}`);
    }
    if (brf > 0 || chance(0.1)) {
      w(`BRF:${brf}`);
      w(`BRH:${brh}`);
    }
    const lieLf = odd && chance(0.05);
    if (lines > 0 || chance(0.5)) {
      w(`LF:${lines > 0 ? lines + (lieLf ? 5 : 0) : int(1, 50)}`);
      w(`LH:${lines > 0 ? hit : int(0, 1)}`);
    }
    if (odd) oddLines(w, chance, pick);
    w(odd && chance(0.05) ? "end_of_record   " : "end_of_record");
    if (odd && chance(0.1)) oddBetween(w, pick);
  }
  return out.join("");
}

/** Malformed or unusual records inside a section: each must be counted, skipped or flagged exactly as before. */
function oddLines(w, chance, pick) {
  if (chance(0.4)) w(pick(ODD_LINES));
}

const ODD_LINES = [
  "DA:x,1",
  "DA:,1",
  "DA:5,",
  "DA:5",
  "DA:5,1e3",
  "DA:5,-0",
  "DA:7,-3",
  "DA:99999999999999999999,1",
  "DA:2147483648,1",
  "DA:12, 4",
  "DA:12,4 ",
  "DA:12,4\rjunk",
  "BRDA:3,0,0,-2",
  "BRDA:3,0,0",
  "BRDA:x,0,0,1",
  "BRDA:3,0,1, 5",
  "BRDA:3,,",
  "FN:nocomma",
  "FN:,x",
  "FNDA:NaN,f",
  "FNDA:-2,f",
  "FNDA:3",
  "FNA:1,2",
  "FNA:9,-1,neg",
  "FNA:9,abc,named",
  "LF:abc",
  "LH:-4",
  "BRF:1.5",
  "FNH:",
  "WHAT:1",
  "XY",
  "",
  "\r",
  "da:1,1",
  "TN:7",
  "VER:2.0",
];

/** Lines between records: outside any SF section. */
function oddBetween(w, pick) {
  w(pick(BETWEEN_LINES));
}

const BETWEEN_LINES = ["end_of_record", "DA:1,1", "FN:1,f", "FNDA:1,f", "BRDA:1,0,0,1", "LF:3", "FNA:0,1,g", "", "# comment", "TN:t"];

/** Name → tracefile bytes. The parser must give one output for each, whatever the chunk sizes. */
export function lcovCases() {
  const utf8 = (s) => Buffer.from(s, "utf8");
  const c8 = tracefile(0x1c0f0001, 400);
  return {
    mixed: utf8(c8),
    "mixed-crlf": utf8(tracefile(0x1c0f0002, 300, { eol: "\r\n" })),
    odd: utf8(tracefile(0x1c0f0003, 400, { odd: true })),
    "odd-crlf": utf8(tracefile(0x1c0f0004, 200, { odd: true, eol: "\r\n" })),
    lcov2: utf8(tracefile(0x1c0f0005, 200, { flavor: "lcov2", odd: true })),
    // The last record's newline missing, and a final line without one.
    "no-final-newline": utf8(c8.slice(0, -1)),
    "trailing-junk": utf8(`${c8}DA:1,1`),
    truncated: utf8(c8.slice(0, Math.floor(c8.length / 2))),
    empty: utf8(""),
    "blank-lines": utf8("\n\n\r\n"),
    "not-lcov": utf8("hello\nworld\nDA:1,1\n"),
    "sf-only": utf8("SF:a.c\nend_of_record\n"),
    // Each odd line alone, so its own effect (not only a total) is pinned: inside a section, then between two.
    ...Object.fromEntries(ODD_LINES.map((line, i) => [`odd-line-${i}`, utf8(`SF:a.c\nFN:1,f\nDA:1,1\n${line}\nDA:2,0\nBRDA:2,0,0,1\nFNDA:0,f\nend_of_record\n`)])),
    ...Object.fromEntries(BETWEEN_LINES.map((line, i) => [`between-line-${i}`, utf8(`SF:a.c\nDA:1,1\nend_of_record\n${line}\nSF:b.c\nDA:2,0\nend_of_record\n`)])),
  };
}
