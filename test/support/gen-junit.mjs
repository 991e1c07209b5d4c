// Deterministic JUnit XML for the golden tests of the JUnit parser and the XML reader: the shapes real
// tools write (nested suites, failures / errors / skipped with messages, text and CDATA, properties,
// system-out, parametrized same-named cases, pytest teardown errors, jest-junit suite errors, todos)
// written with every lexical variation XML allows (attribute order, either quote, white space and
// newlines inside tags, entity and character references, multibyte text, comments, CRLF), plus broken
// copies (truncated, mismatched, unquoted, text outside the root, …) whose rejection is output too.
// Same arguments give byte-identical output.
//
// Usage: node test/support/gen-junit.mjs <seed> [cases]   writes one document to stdout
import { prng } from "./generate.mjs";


const WORDS = ["core", "api", "store", "auth", "billing", "queue", "cache", "ingest", "report", "gate", "plan", "exec", "web", "util", "model"];
/** Name pieces that need escaping or are not ASCII: each is written escaped in one of several ways. */
const ODD = ["<", ">", "&", '"', "'", "é", "漢字", "😀", "A", "\t", "  ", "ß"];
const TIMES = ["1.454", "0", "0.000", "", " ", "2", "0.1", "1,234.5", "-1", "abc", " 2 ", "1e3", ".5", "0.0001", "12345678901234567890", "3.14159265358979", "NaN", "Infinity", "0x10", "1.", "+4", "00.25", "1.2345678", "7.0000001"];
const NOT_RUN = ["disabled", "SKIPPED", "notrun", "run", "Not Run", "ignored", "passed"];

/**
 * A JUnit document of about `cases` test cases from `seed`. `options.crlf` ends lines with CRLF;
 * `options.prolog` picks what comes before the root (0 none, 1 declaration, 2 BOM + declaration +
 * comment + PI, 3 DOCTYPE with an internal subset); `options.root` is "testsuites" or "testsuite".
 */
export function junitXml(seed, cases = 200, options = {}) {
  const rand = prng(seed);
  const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const chance = (p) => rand() < p;
  const nl = options.crlf ? "\r\n" : "\n";
  const out = [];
  const prolog = options.prolog ?? 1;
  const w = (s) => out.push(s);

  /** Text escaped the way some writer would: named entities, decimal or hex references, or CDATA-free raw where legal. */
  const esc = (s, quote) => {
    let r = "";
    for (const ch of s) {
      const cp = ch.codePointAt(0);
      const how = rand();
      if (ch === "<") r += how < 0.7 ? "&lt;" : "&#60;";
      else if (ch === "&") r += how < 0.8 ? "&amp;" : "&#x26;";
      else if (ch === '"' && (quote === ch || (quote && how < 0.5))) r += how < 0.3 ? "&quot;" : "&#34;";
      else if (ch === "'" && (quote === ch || (quote && how < 0.5))) r += how < 0.3 ? "&apos;" : "&#39;";
      else if (ch === ">") r += how < 0.5 ? "&gt;" : ">";
      else if (cp > 127 && how < 0.3) r += how < 0.15 ? `&#${cp};` : `&#x${cp.toString(16).toUpperCase()};`;
      else if (ch === "A" && how < 0.5) r += "&#x41;";
      else r += ch;
    }
    return r;
  };
  const words = (n) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const oddName = () => {
    let s = words(int(1, 3));
    for (let i = int(0, 3); i > 0; i--) s += ` ${pick(ODD)}${pick(WORDS)}`;
    return s;
  };
  const space = () => (chance(0.8) ? " " : pick(["  ", "\n      ", "\t", nl + "  ", " \r\n "]));
  /** An element's attributes in a random order, with either quote and odd spacing around `=`. */
  const attrs = (pairs) => {
    const list = pairs.filter(([, v]) => v !== undefined);
    for (let i = list.length - 1; i > 0; i--) {
      if (chance(0.3)) {
        const j = int(0, i);
        [list[i], list[j]] = [list[j], list[i]];
      }
    }
    let s = "";
    for (const [k, v] of list) {
      const q = chance(0.85) ? '"' : "'";
      const eq = chance(0.9) ? "=" : pick([" =", "= ", " = ", "=\n"]);
      s += `${space()}${k}${eq}${q}${esc(v, q)}${q}`;
    }
    return s;
  };
  const text = (s) => (chance(0.4) ? `<![CDATA[${s.replace(/]]>/g, "]]]]><![CDATA[>")}]]>` : esc(s, null));
  const endTag = (name) => (chance(0.9) ? `</${name}>` : `</${name}${pick([" ", "\n", "  \t"])}>`);
  const selfClose = () => (chance(0.8) ? "/>" : pick([" />", "\n/>", "\t />"]));
  const comment = () => (chance(0.05) ? `<!-- ${pick(WORDS)} -- <not a="tag"> ${pick(ODD)} -->` : "");
  const message = () => {
    const r = rand();
    if (r < 0.6) return `expected ${int(0, 9)} to be ${pick(ODD)}${int(0, 9)}`;
    if (r < 0.8) return `${pick(WORDS)}${nl}  at line ${int(1, 400)}${nl}  at ${pick(WORDS)}.ts`;
    if (r < 0.9) return "x".repeat(int(2000, 2100)) + pick(ODD);
    return "";
  };

  if (prolog === 2) w(`\ufeff<?xml version="1.0" encoding="UTF-8"?>${nl}<!-- generated ${seed} -->${nl}<?stylesheet href="x.xsl"?>${nl}`);
  else if (prolog === 3) w(`<?xml version="1.0"?>${nl}<!DOCTYPE testsuites [${nl}  <!ENTITY custom "expanded &amp; never">${nl}  <!ENTITY ext SYSTEM "file:///etc/hostname">${nl}]>${nl}`);
  else if (prolog === 1) w(`<?xml version="1.0" encoding="UTF-8"?>${nl}`);

  const rootName = options.root ?? "testsuites";
  let n = 0;
  let suiteNo = 0;
  let lastCase;

  const testcase = (suite, indent) => {
    const sameName = lastCase && chance(0.08);
    const name = sameName ? lastCase.name : chance(suite.name.endsWith(".ts") ? 0.3 : 0.02) ? suite.name : oddName();
    const classname = chance(0.15) ? undefined : chance(0.2) ? suite.name : lastCase && chance(0.5) ? lastCase.classname : `${pick(WORDS)}.${pick(WORDS)}`;
    const file = chance(0.3) ? `src/${pick(WORDS)}/${pick(WORDS)}.test.ts` : undefined;
    const fileAttr = file && chance(0.2) ? "filepath" : "file";
    const r = rand();
    const pairs = [["classname", classname], ["name", name], ["time", pick(TIMES)], [fileAttr, file]];
    if (chance(0.05)) pairs.push([chance(0.5) ? "status" : "result", pick(NOT_RUN)]);
    if (chance(0.1)) pairs.push(["timestamp", "2026-11-01T00:00:00"], ["assertions", String(int(0, 9))]);
    if (chance(0.01)) pairs.push(["name", `${name} duplicate`]);
    if (chance(0.01)) pairs.push(["classname", "Test suite failed to run"]);
    let body = "";
    const child = (s) => (body += `${nl}${indent}  ${s}`);
    if (r < 0.5) {
      // passing, self-closing or empty
      if (chance(0.2)) body = "";
      else body = null;
    } else if (r < 0.62) {
      const m = message();
      child(`<failure${attrs([["message", chance(0.7) ? m : undefined], ["type", chance(0.6) ? "AssertionError" : undefined]])}>${text(`AssertionError: ${m}${nl}    at ${suite.name} (src/x.ts:${int(1, 400)}:7)`)}${text(chance(0.3) ? " more & <more>" : "")}${endTag("failure")}`);
      if (chance(0.3)) child(`<system-out>${text(`log & line ${n}`)}</system-out>`);
    } else if (r < 0.7) {
      const m = message();
      child(`<error${attrs([["message", chance(0.5) ? m : undefined], ["type", chance(0.5) ? "Error" : undefined]])}${chance(0.3) ? selfClose() : `>${text(`Error: ${m}`)}${endTag("error")}`}`);
    } else if (r < 0.78) {
      const todo = chance(0.2);
      child(`<skipped${attrs([["message", chance(0.5) ? (todo ? "todo" : message()) : undefined], ["type", todo ? "todo" : chance(0.3) ? "pytest.skip" : undefined]])}${chance(0.6) ? selfClose() : `>${text("skipped because " + pick(WORDS))}</skipped>`}`);
      if (todo && chance(0.5)) child(`<failure message="todo failed"/>`);
    } else if (r < 0.82) {
      child(`<properties>${comment()}<property name="jest.status" value="${chance(0.7) ? "todo" : "done"}"/><property${attrs([["name", "other"], ["value", oddName()]])}/></properties>`);
    } else if (r < 0.86) {
      child(`<flakyFailure message="flaky ${pick(WORDS)}" type="java.lang.AssertionError">${text("stack")}<stackTrace>at X</stackTrace></flakyFailure>`);
      if (chance(0.3)) child(`<rerunFailure message="again"/>`);
      if (chance(0.3)) child(`<failure message="finally failed"/>`);
    } else if (r < 0.9) {
      child(`<failure message="both"/>`);
      child(`<error${attrs([["message", "teardown"]])}/>`);
    } else if (r < 0.93) {
      child(`<system-out>${text(`out ${pick(ODD)} ${n}`)}</system-out>${comment()}`);
      child(`<system-err>${esc("err < & > ", null)}</system-err>`);
    } else {
      child(`<failure>${text(message())}${comment()}${text(message())}</failure>`);
    }
    // References no decoder may expand (a DTD entity, NUL, beyond Unicode, malformed) or finish (no ";").
    if (prolog === 3 && chance(0.1)) body = `${body ?? ""}${nl}${indent}  <failure message="&custom; &#0; &#x110000; &#xZZ; &am">&custom; text &#0;</failure>`;
    w(`${indent}<testcase${attrs(pairs)}${body === null ? selfClose() : `>${body}${body ? `${nl}${indent}` : ""}${endTag("testcase")}`}${nl}`);
    n++;
    lastCase = { name, classname, file, failed: r >= 0.5 && r < 0.62 };
    // pytest writes a teardown error as a second element right after a failed call.
    if (lastCase.failed && chance(0.3)) {
      w(`${indent}<testcase${attrs([["classname", classname], ["name", name], ["time", "0.001"], [fileAttr, file]])}><error message="failed on teardown with &quot;boom&quot;">teardown</error></testcase>${nl}`);
      n++;
    }
    // jest-junit copies a suite error as a <failure> case after the <error> one.
    if (chance(0.01)) {
      w(`${indent}<testcase classname="Test suite failed to run" name="${esc(name, '"')}" time="0"><error message="load"/></testcase>${nl}`);
      w(`${indent}<testcase classname="Test suite failed to run" name="${esc(name, '"')}" time="0"><failure message="load copy"/></testcase>${nl}`);
      n += 2;
    }
  };

  const testsuite = (indent, depth) => {
    const name = chance(0.05) ? `src/${pick(WORDS)}.test.ts` : `${pick(WORDS)}.${pick(WORDS)}.Suite${suiteNo++}${chance(0.1) ? " & <co>" : ""}`;
    const count = int(0, 25);
    const declared = chance(0.5) ? count : chance(0.5) ? Math.max(0, count - int(1, 3)) : undefined;
    const pairs = [["name", name], ["tests", declared === undefined ? undefined : String(declared)], ["failures", chance(0.5) ? String(int(0, 2)) : undefined], ["errors", chance(0.3) ? String(int(0, 1)) : undefined], ["skipped", chance(0.3) ? String(int(0, 1)) : undefined], ["disabled", chance(0.05) ? "0" : undefined], ["timestamp", "2026-11-01T00:00:00"], ["hostname", chance(0.5) ? "ci" : undefined], ["time", pick(TIMES)]];
    if (count === 0 && chance(0.5)) {
      w(`${indent}<testsuite${attrs(pairs)}${selfClose()}${nl}`);
      return;
    }
    w(`${indent}<testsuite${attrs(pairs)}>${nl}${comment()}`);
    if (chance(0.2)) {
      w(`${indent}  <properties>${nl}`);
      for (let i = int(1, 6); i > 0; i--) w(`${indent}    <property${attrs([["name", `java.${pick(WORDS)}`], ["value", oddName()]])}${selfClose()}${nl}`);
      w(`${indent}  </properties>${nl}`);
    }
    const suite = { name };
    if (chance(0.05)) w(`${indent}  <${chance(0.5) ? "failure" : "error"}${attrs([["message", chance(0.6) ? message() : undefined], ["type", "SetupError"]])}/>${nl}`);
    for (let i = 0; i < count && n < cases; i++) {
      if (depth < 4 && chance(0.04)) testsuite(`${indent}  `, depth + 1);
      testcase(suite, `${indent}  `);
    }
    if (chance(0.1)) w(`${indent}  <system-out>${text(`suite out ${pick(ODD)}`)}</system-out>${nl}`);
    if (chance(0.05)) w(`${indent}  <system-err/>${nl}`);
    w(`${indent}${endTag("testsuite")}${nl}`);
  };

  if (rootName === "testsuite") {
    w(`<testsuite${attrs([["name", "root"], ["tests", String(cases)], ["failures", "1"]])}>${nl}`);
    while (n < cases) testcase({ name: "root" }, "  ");
    w(`</testsuite>${nl}`);
  } else {
    w(`<testsuites${attrs([["name", "all"], ["failures", chance(0.5) ? String(int(0, 3)) : undefined], ["errors", chance(0.3) ? "1" : undefined], ["time", "12.5"]])}>${nl}`);
    while (n < cases) testsuite("  ", 0);
    w(`</testsuites>${nl}`);
  }
  if (chance(0.3)) w(`<!-- trailing comment -->${nl}`);
  return out.join("");
}

/**
 * Broken copies of a valid document `doc`, each as [label, text]: what a report writer that crashed or
 * a hand edit leaves. Every one must be rejected (or read) the same way before and after a change.
 */
export function brokenCopies(doc, seed) {
  const rand = prng(seed);
  const at = (lo, hi) => lo + Math.floor(rand() * (hi - lo));
  const copies = [];
  for (let i = 0; i < 12; i++) {
    const cut = at(1, doc.length);
    copies.push([`truncated-at-${cut}`, doc.slice(0, cut)]);
  }
  const replaceNth = (label, find, replacement) => {
    const hits = [];
    for (let i = doc.indexOf(find); i !== -1; i = doc.indexOf(find, i + 1)) hits.push(i);
    if (hits.length === 0) return;
    const i = hits[Math.floor(rand() * hits.length)];
    copies.push([label, doc.slice(0, i) + replacement + doc.slice(i + find.length)]);
  };
  replaceNth("mismatched-close", "</testcase>", "</testsuite>");
  replaceNth("stray-close", "</testsuite>", "</testsuite></testcase>");
  replaceNth("unquoted-value", 'time="', "time=1");
  replaceNth("unclosed-quote", '"/>', "/>");
  replaceNth("slash-not-closing", "/>", "/ >");
  replaceNth("attribute-without-value", " name=", " name ");
  replaceNth("attribute-with-bad-name", " name=", ' na"me=');
  replaceNth("unexpected-markup", "<testcase", "<!ELEMENT x><testcase");
  replaceNth("unknown-entity", "&amp;", "&nbsp;");
  replaceNth("broken-entity", "&amp;", "& amp;");
  replaceNth("lt-in-attribute", 'name="', 'name="a<b ');
  replaceNth("tag-name-only", "<testcase", "<");
  replaceNth("empty-tag-name", "<testcase", "< testcase");
  replaceNth("unclosed-comment", "<testcase", "<!-- never closed <testcase");
  replaceNth("unclosed-cdata", "<testcase", "<testcase><![CDATA[ never closed");
  const root = doc.indexOf("<tests");
  copies.push(["text-before-root", `${doc.slice(0, root)}stray text ${doc.slice(root)}`]);
  copies.push(["text-after-root", `${doc}trailing text\n`]);
  copies.push(["second-root", `${doc}<testsuites></testsuites>\n`]);
  copies.push(["cdata-after-root", `${doc}<![CDATA[x]]>\n`]);
  copies.push(["root-not-junit", doc.replace(/<testsuites?[\s>]/, (m) => `<coverage${m.slice(m.length - 1)}`).replace(/<\/testsuites?>(?![\s\S]*<\/testsuites?>)/, "</coverage>")]);
  copies.push(["not-xml", `{"testsuites": []}`]);
  copies.push(["empty", ""]);
  copies.push(["white-space-only", "  \n\t\n  "]);
  copies.push(["declaration-only", `<?xml version="1.0"?>\n`]);
  copies.push(["empty-root", `<testsuites/>`]);
  return copies;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [seed, cases] = process.argv.slice(2);
  process.stdout.write(junitXml(Number(seed ?? 1), Number(cases ?? 200)));
}
