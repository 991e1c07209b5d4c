import { createServer } from "node:net";
import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { junitParser } from "../../src/ingest/parsers/junit.js";
import { MAX_XML_DEPTH, readXml, xmlRootOffset } from "../../src/ingest/xml.js";
import type { Diagnostic } from "../../src/ingest/types.js";

const fixture = (name: string) => new URL(`../fixtures/ingest/xml/${name}`, import.meta.url).pathname;
const parse = (name: string) => junitParser.parse(createReadStream(fixture(name)), { file: name });

/** Feeds `text` in chunks of `size` characters, to exercise every split position. */
async function events(text: string, size: number) {
  const out: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += size) chunks.push(text.slice(i, i + size));
  let collecting = false;
  await readXml(Readable.from(chunks), "t.xml", {
    onOpen: (name, attrs, line) => {
      out.push(`<${name} ${JSON.stringify(attrs)} @${line}`);
      collecting = name === "failure";
    },
    onClose: (name) => {
      out.push(`</${name}`);
      collecting = false;
    },
    wantsText: () => collecting,
    onText: (t) => out.push(`text:${t}`),
  }, diagnostics);
  return { out: out.join("\n").replace(/\ntext:/g, "§"), diagnostics };
}

describe("readXml", () => {
  const doc = `<?xml version="1.0"?>\n<!-- c -->\n<a x="1 &amp; 2" y='&lt;q&gt;'>\n  <b z="&#65;&#x42;"/>\n  <failure m=">">one<![CDATA[ <two> ]]>&amp;three</failure>\n</a>\n`;

  it("gives the same events whatever the chunk boundaries", async () => {
    const whole = await events(doc, doc.length);
    expect(whole.out).toMatchInlineSnapshot(`
      "<a {"x":"1 & 2","y":"<q>"} @3
      <b {"z":"AB"} @4
      </b
      <failure {"m":">"} @5§one§ <two> §&three
      </failure
      </a"
    `);
    for (let size = 1; size < 40; size++) {
      const split = await events(doc, size);
      // Text may arrive in more pieces; joined it is the same.
      expect(split.out.replace(/§/g, "")).toBe(whole.out.replace(/§/g, ""));
    }
  });

  it("gives the same events when long tags, a DOCTYPE and a processing instruction span many chunks", async () => {
    const long = "v".repeat(300);
    const text = `<?xml version="1.0"?>\n<?pi ${long} ?>\n<!DOCTYPE a [ <!ENTITY e "${long}>"> ]>\n<a x="${long}" y='${long}>'>\n<b z="1 &amp; ${long}"/><failure m="${long}">t</failure>\n</a       ${" ".repeat(100)}>\n`;
    const whole = await events(text, text.length);
    expect(whole.out).toContain(`<b {"z":"1 & ${long}"} @5`);
    for (const size of [1, 2, 3, 7, 16, 63, 64, 65, 100, 299, 301]) {
      expect((await events(text, size)).out.replace(/§/g, "")).toBe(whole.out.replace(/§/g, ""));
    }
  });

  it("reads a tag split over many chunks once (a 4 MB attribute value was re-read per chunk, 13.5 s)", async () => {
    const value = "v".repeat(4 << 20);
    const chunks = [`<testsuite name="s"><properties><property name="p" value="`];
    for (let i = 0; i < value.length; i += 65536) chunks.push(value.slice(i, i + 65536));
    chunks.push(`"/></properties><testcase name="t"/></testsuite>`);
    const result = await junitParser.parse(Readable.from(chunks), { file: "big.xml" });
    expect(result.tests.map((t) => t.name)).toEqual(["t"]);
  });

  it(`refuses elements nested deeper than ${MAX_XML_DEPTH} levels with file:line`, async () => {
    const deep = `<testsuites>\n${"<testsuite>".repeat(100_000)}${"</testsuite>".repeat(100_000)}</testsuites>`;
    await expect(junitParser.parse(Readable.from([deep]), { file: "deep.xml" })).rejects.toThrow(
      `[ingest] deep.xml:2: elements nest deeper than ${MAX_XML_DEPTH} levels (at <testsuite>): no test or coverage report does; shipgate refuses the file`,
    );
    const ok = `<testsuites>${'<testsuite name="s">'.repeat(MAX_XML_DEPTH - 2)}<testcase name="t"/>${"</testsuite>".repeat(MAX_XML_DEPTH - 2)}</testsuites>`;
    const result = await junitParser.parse(Readable.from([ok]), { file: "ok.xml" });
    expect(result.tests[0]?.suite).toHaveLength(MAX_XML_DEPTH - 2);
  });

  it("never fetches or expands external entities and keeps reading the report", async () => {
    let connections = 0;
    const server = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => server.listen(9, "127.0.0.1", resolve)).catch(() => undefined);
    try {
      const result = await parse("xxe-external-entity.xml");
      expect(result.tests.map((t) => [t.name, t.status, t.message])).toEqual([
        ["reads &xxe; safely", "passed", undefined],
        ["fails", "failed", "leak: &remote;"],
      ]);
      expect(result.diagnostics.map((d) => d.code)).toEqual(["xml.doctype-ignored", "xml.entity-not-expanded"]);
      expect(JSON.stringify(result)).not.toContain("root:");
      expect(connections).toBe(0);
    } finally {
      server.close();
    }
  });

  it("does not expand internal entities either (billion laughs stays small)", async () => {
    const result = await parse("billion-laughs.xml");
    expect(result.tests).toHaveLength(1);
    expect(result.tests[0]?.name).toBe("&lol9;");
  });

  it.each([
    ["truncated.xml", /truncated\.xml:6: the file ends inside|truncated\.xml:\d+: the file ends before <failure>/],
    ["mismatched.xml", /mismatched\.xml:3: closing tag <\/testsuite> does not match <testcase> opened at line 3/],
    ["garbage.txt", /garbage\.txt:1: this is not XML/],
    ["binary.png", /binary\.png:1: this is not XML/],
  ])("rejects %s with the file, the line and the reason", async (name, message) => {
    const error = await parse(name).then(() => undefined, (e: unknown) => e as Error & { code: string });
    expect(error?.code).toBe("PARSE_FAILED");
    expect(error?.message).toMatch(message);
  });
});

describe("xmlRootOffset", () => {
  it("finds the root element past a BOM, the declaration, comments, PIs and a DOCTYPE", () => {
    const prolog = `\u00ef\u00bb\u00bf<?xml version="1.0"?>\n<!-- a -> b -->\n<?pi x?>\n<!DOCTYPE r [ <!ENTITY e "]>"> ]>\n`;
    expect(xmlRootOffset(`${prolog}<r/>`)).toBe(prolog.length);
    expect(xmlRootOffset("<r/>")).toBe(0);
    expect(xmlRootOffset(`<!-- never closed ${"c".repeat(100)}`)).toBe(-1);
    expect(xmlRootOffset('{"json": true}')).toBe(-1);
  });
});
