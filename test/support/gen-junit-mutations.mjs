// Byte-level mutations of regular JUnit reports, for the goldens of the JUnit byte scanner (issue 14): each
// mutation puts something the scanner does not read itself (a comment, CDATA, a character reference, a
// stray `<`, swapped quotes, a BOM, a truncation, non-ASCII text) at a seeded position, so that the hand-over
// to the general XML reader is exercised at every kind of point. Same arguments give the same output.
import { prng } from "./generate.mjs";

/** A regular report: a root, suites, self-closing and failing cases, names with the five entities and non-ASCII text. */
export function regularJunitXml(seed, cases) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const words = ["core", "api", "ünïcode", "日本語", "a &amp; b", "&lt;x&gt;", "&quot;q&quot;", "it&apos;s", "plain", "emoji 😀"];
  const pick = () => words[Math.floor(rand() * words.length)];
  const out = ['<?xml version="1.0" encoding="UTF-8"?>', `<testsuites name="all" tests="${cases}" failures="0">`];
  let n = 0;
  for (let s = 0; n < cases; s++) {
    out.push(`  <testsuite name="suite ${s} ${pick()}" tests="${Math.min(cases - n, 7)}" skipped="0">`);
    for (let k = 0; k < 7 && n < cases; k++, n++) {
      const attrs = `classname="pkg.Suite${s}" name="test ${n} ${pick()} ${pick()}" time="${(rand() * 3).toFixed(3)}"${rand() < 0.2 ? ` file="src/f${s}.ts"` : ""}`;
      const shape = rand();
      if (shape < 0.7) out.push(`    <testcase ${attrs}/>`);
      else if (shape < 0.8) out.push(`    <testcase ${attrs}>`, `      <failure message="expected ${pick()}" type="AssertionError">stack ${pick()}\n  at x (f.ts:1:2)</failure>`, "    </testcase>");
      else if (shape < 0.87) out.push(`    <testcase ${attrs}>`, `      <skipped/>`, "    </testcase>");
      else if (shape < 0.93) out.push(`    <testcase ${attrs}>`, `      <error type="TypeError">boom ${pick()}</error>`, `      <system-out>log ${int(0, 9)}</system-out>`, "    </testcase>");
      else out.push(`    <testcase ${attrs} status="skipped"></testcase>`);
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>", "");
  return out.join("\n");
}

const INSERTS = [
  ["comment", "<!-- a comment -->"],
  ["cdata", "<![CDATA[ x < y ]]>"],
  ["char-ref", "&#65;"],
  ["hex-ref", "&#x42;"],
  ["unknown-entity", "&nbsp;"],
  ["stray-lt", "<"],
  ["stray-amp", "&"],
  ["pi", "<?pi data?>"],
  ["doctype", "<!DOCTYPE x>"],
  ["unknown-element", "<other a='1'/>"],
  ["non-ascii", "é日😀"],
  ["tab-newline", "\t\r\n"],
];

/** Mutated copies of `doc` as [label, text]: `count` seeded insertions, swaps and truncations. */
export function mutatedCopies(doc, seed, count) {
  const rand = prng(seed);
  const at = () => Math.floor(rand() * doc.length);
  const copies = [["bom", `\ufeff${doc}`], ["leading-space", `  \n${doc}`]];
  for (let i = 0; i < count; i++) {
    const kind = Math.floor(rand() * (INSERTS.length + 3));
    const p = at();
    if (kind < INSERTS.length) {
      const [label, text] = INSERTS[kind];
      copies.push([`${label}-at-${p}`, doc.slice(0, p) + text + doc.slice(p)]);
    } else if (kind === INSERTS.length) {
      copies.push([`truncated-at-${p}`, doc.slice(0, p)]);
    } else if (kind === INSERTS.length + 1) {
      const q = doc.indexOf('"', p);
      if (q !== -1) copies.push([`quote-swapped-at-${q}`, `${doc.slice(0, q)}'${doc.slice(q + 1)}`]);
    } else {
      const q = doc.indexOf("<", p);
      if (q !== -1) copies.push([`tag-spaced-at-${q}`, `${doc.slice(0, q + 1)} ${doc.slice(q + 1)}`]);
    }
  }
  return copies;
}
