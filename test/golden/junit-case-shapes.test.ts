// The JUnit parser's whole output on <testcase> tags at the edges of the shape its fast path reads (issue 14):
// self-closing cases with every attribute it knows and some it does not, entities it decodes and ones it
// must leave to the XML reader, odd white space and quotes, cases where no case may be (inside a case,
// outside any suite, past the nesting limit), and cut short at the file's end. Digests recorded on the code
// before the fast path; each document is also fed in small chunks so tags are split everywhere.
import { describe, expect, it } from "vitest";
import { junitParser } from "../../src/ingest/parsers/junit.js";
import { MAX_XML_DEPTH } from "../../src/ingest/xml.js";
import { expectGolden } from "../support/golden.js";
import { parseOutput } from "../support/parse-output.js";

const GOLDEN = new URL("junit-case-shapes.json", import.meta.url);

/** One <testcase> tag per line inside a suite, each a shape near the fast path's guards. */
const TAGS = [
  `<testcase classname="a.B" name="plain" time="0.5"/>`,
  `<testcase name="no classname" time="1"/>`,
  `<testcase classname="a.B" name="no time"/>`,
  `<testcase classname="a.B" name="with file" time="0.1" file="src/a.test.ts"/>`,
  `<testcase classname="a.B" name="with filepath" time="0.1" filepath="src/b.test.ts"/>`,
  `<testcase file="" classname="a.B" name="empty file" time="0"/>`,
  `<testcase time="2" name="reordered" classname="a.B"/>`,
  `<testcase classname="a.B" name="five &lt;&gt;&amp;&quot;&apos; entities" time="0.2"/>`,
  `<testcase classname="a.B" name="char ref &#65;&#x42; here" time="0.2"/>`,
  `<testcase classname="a.B" name="unknown &custom; entity" time="0.2"/>`,
  `<testcase classname="a.B" name="bare & ampersand" time="0.2"/>`,
  `<testcase classname="a.B" name="ampersand &amp then; later" time="0.2"/>`,
  `<testcase classname="a.B" name="trailing &amp" time="0.2"/>`,
  `<testcase classname="a.B" name="&lt;" time="0.2"/>`,
  `<testcase classname="a &amp; B" name="entity in classname" time="0.2"/>`,
  `<testcase classname="a.B" name="gt > and lt < raw" time="0.2"/>`,
  `<testcase classname="a.B" name='single quoted "x"' time='0.3'/>`,
  `<testcase  classname="a.B"   name="double spaces" time="0.3"  />`,
  `<testcase\tclassname="a.B"\nname="tab and newline" time="0.3"\r\n/>`,
  `<testcase classname = "a.B" name= "spaced equals" time ="0.3"/>`,
  `<testcase classname="a.B" name="space before slash" time="0.3" />`,
  `<testcase classname="a.B" name="" time="0.3"/>`,
  `<testcase classname="" name="empty classname" time="0.3"/>`,
  `<testcase classname="a.B" name="dup" name="duplicate name" time="0.3"/>`,
  `<testcase classname="a.B" name="status" time="0.3" status="disabled"/>`,
  `<testcase classname="a.B" name="result" time="0.3" result="skipped"/>`,
  `<testcase classname="a.B" name="extra attrs" time="0.3" timestamp="2026-01-01" assertions="3"/>`,
  `<testcase classname="a.B" name="bad time" time="abc"/>`,
  `<testcase classname="a.B" name="comma time" time="1,234.5"/>`,
  `<testcase classname="a.B" name="negative time" time="-1"/>`,
  `<testcase classname="a.B" name="empty time" time=""/>`,
  `<testcase classname="a.B" name="long ${"x".repeat(3000)}" time="0.3"/>`,
  `<testcase classname="a.B" name="long entities ${"&lt;x&gt;".repeat(200)}" time="0.3"/>`,
  `<testcase classname="a.B" name="multibyte é 漢字 😀" time="0.3"/>`,
  `<testcase classname="Test suite failed to run" name="jest suite error" time="0"/>`,
  `<testcase classname="a.B" name="open close" time="0.3"></testcase>`,
  `<testcase classname="a.B" name="with failure" time="0.3"><failure message="boom"/></testcase>`,
  `<testcase classname="a.B" name="after failure" time="0.3"/>`,
  `<testcase classname="a.B" name="with a case inside" time="0.3"><testcase classname="a.B" name="inner" time="0.1"/></testcase>`,
  `<testcase classname="a.B" name="unquoted" time=0.3/>`,
  `<testcase classname="a.B" name="no equals" time/>`,
  `<testcase classname="a.B" name="slash gap" time="0.3"/ >`,
  `<testcase classname="a.B" name="lt inside" <time="0.3"/>`,
  `<testcase classname="a.B" name="unterminated/>`,
  `<testcase classname="a.B" name="x" time="0.3"/><!-- a comment --><testcase classname="a.B" name="after comment" time="0.3"/>`,
  `<testcasex classname="a.B" name="longer element name" time="0.3"/>`,
  `<testcase/>`,
  `<testcase classname="a.B" name="0 time" time="0"/>`,
  `<testcase classname="a.B" name="zero time twin" time="0.000"/>`,
];

/** Each tag on its own in a well-formed report, the ones that break it included (their rejection is output too). */
function documents(): [string, string][] {
  const docs: [string, string][] = [];
  TAGS.forEach((tag, i) => {
    docs.push([`tag-${i}`, `<?xml version="1.0"?>\n<testsuites>\n  <testsuite name="s" tests="3">\n    <testcase classname="s" name="before" time="0.1"/>\n    ${tag}\n    <testcase classname="s" name="after" time="0.1"/>\n  </testsuite>\n</testsuites>\n`]);
  });
  // All the well-formed tags in one suite (in a suite whose tests= counts fewer, to exercise todo inference).
  const good = TAGS.filter((_, i) => i < 39);
  docs.push(["all-in-one-suite", `<testsuites>\n<testsuite name="all" tests="20" failures="1">\n${good.join("\n")}\n</testsuite>\n</testsuites>`]);
  docs.push(["testsuite-root", `<testsuite name="root" tests="2">${TAGS.slice(0, 8).join("")}</testsuite>`]);
  docs.push(["case-in-root-testsuites", `<testsuites>${TAGS[0]}${TAGS[7]}</testsuites>`]);
  docs.push(["case-as-root", TAGS[0] as string]);
  docs.push(["case-after-root", `<testsuites><testsuite name="s"/></testsuites>${TAGS[0]}`]);
  docs.push(["todo-inference", `<testsuites><testsuite name="t" tests="2" failures="0" errors="0" skipped="0">${TAGS[0]}${TAGS[48]}${TAGS[47]}</testsuite></testsuites>`]);
  const deep = (levels: number) => `<testsuites>${`<testsuite name="d">`.repeat(levels)}${TAGS[0]}${`</testsuite>`.repeat(levels)}</testsuites>`;
  docs.push(["depth-at-limit", deep(MAX_XML_DEPTH - 2)]);
  docs.push(["depth-over-limit", deep(MAX_XML_DEPTH - 1)]);
  docs.push(["truncated-in-case", `<testsuites><testsuite name="s">${TAGS[0]}<testcase classname="a.B" name="cut" ti`]);
  docs.push(["truncated-after-case", `<testsuites><testsuite name="s">${TAGS[0]}`]);
  docs.push(["crlf", `<testsuites>\r\n<testsuite name="s">\r\n${TAGS.slice(0, 10).join("\r\n")}\r\n</testsuite>\r\n</testsuites>\r\n`]);
  return docs;
}

const parsed = (text: string, size: number): Promise<unknown> => parseOutput(junitParser, text, size, "shapes.xml");

describe("the JUnit parser gives byte-identical output on <testcase> tags at the fast path's edges", () => {
  it.each(documents())("%s", async (label, text) => {
    for (const size of [1 << 30, 61, 7]) expectGolden(GOLDEN, `${label}@${size}`, await parsed(text, size));
  });
  it("covers the shapes it means to", () => {
    expect(documents().length).toBeGreaterThan(TAGS.length);
  });
});
