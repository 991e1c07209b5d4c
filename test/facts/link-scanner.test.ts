// scanLinks (the hand-written reader) must find exactly what scanMarkdown (markdown-it, the reference)
// finds: the same links with the same href, target, line and column, in the same order, and the same
// anchors in the same order. Compared on the tricky documents, on generated trees and on random documents.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { scanLinks } from "../../src/facts/link-scanner.js";
import { scanMarkdown } from "../../src/facts/markdown-links.js";
import { randomDocuments, TRICKY_DOCS } from "../support/docs-corpus.js";
import { listDocuments } from "../support/list-docs.js";

const GEN = new URL("../support/generate.mjs", import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const both = (source: string) => {
  const fast = scanLinks(source);
  const reference = scanMarkdown(source);
  return { fast: { links: fast.links, anchors: [...fast.anchors] }, reference: { links: reference.links, anchors: [...reference.anchors] } };
};

/** Hand-written corners, each small enough to read in a failure message. */
const CASES: string[] = [
  "",
  "\n\n\n",
  "plain text",
  "[a](b.md)",
  "[a](b.md)\n",
  "# Title\n\n[a](b.md) [a](b.md) [c](b.md)",
  "# Title #\n## Two ##  \n### Three#\n#### Four \\#\n#no heading [x](x.md)\n####### seven [y](y.md)\n#\n# \n",
  "# `code` heading [h](h.md)\n## *em* heading\n## a <b>html</b> [l](l.md)\n## Plain - words_ok 12\n## Dup\n## Dup\n## dup",
  "para [a](a.md)\n# heading interrupts\npara again [b](b.md)",
  "```\n[in](fence.md)\n```\n[out](out.md)",
  "```\n[in](fence.md)\n  ```\n[out](out.md)",
  "```\n[in](fence.md)\n    ```\n[still in](fence2.md)\n```\n[out](out.md)",
  "```\n[in](fence.md)\n\t```\n[still in](fence2.md)\n```\n[out](out.md)",
  "````\n```\n[in](fence.md)\n```\n````\n[out](out.md)",
  "~~~\n```\n[in](f.md)\n~~~~ \n[out](out.md)",
  "```\n[unclosed](fence.md)\n",
  "``` a`b\n[not a fence](nf.md) ```\n[x](x.md)",
  "``\n[two ticks](t.md)\n``",
  "text\n```\n[in](f.md)\n```\ntext [after](a.md)",
  "`code [x](x.md)` [y](y.md) ``a ` [z](z.md)`` `unclosed [w](w.md)",
  "`multi\nline` [after](a.md)\n[next](n.md)",
  "\\[x](x.md) \\\\[y](y.md) a\\\n[z](z.md) \\",
  "![img](i.png) ![alt\nline](a.png) [after](after.md)",
  "[label\nline](l.md) [after](after.md)",
  "[a](\n  b.md\n  \"t\"\n) [c](c.md)",
  "[a]( b.md ) [c](<d e.md>) [f](<g>) [h](<>) [i]() [j](k.md \"t\") [l](m.md 'u') [n](o.md (p)) [q](r.md \"unclosed)",
  "[a](b.md\"t\") [c](d.md \"t\"x) [e](f(g).md) [h](i(j.md) [k](l\\)m.md) [n](o%20p.md) [q](r&amp;s.md)",
  "[js](javascript:alert(1)) [data](data:text/html,x) [img](data:image/png;base64,x) [vb](VBSCRIPT:x)",
  "[a] [b][c] [d][] [e] (f.md) [g]\n(h.md)",
  "[a [b](c.md)](d.md) [![e](f.png)](g.md) [`h`](i.md) [<j>](k.md) [\\]](l.md) [https://m.n](o.md)",
  "![a [b](c.md)](d.png) ![`x`](y.png)",
  "<http://a.b> <span>[x](x.md)</span> x https://bare.link/y z",
  "time 12:30 and a:b [x](x.md) ftp:/not",
  "café [ünï](ü.md) 🚀 [emoji 🚀](e.md) \u00a0[nbsp](n.md)",
  "\u00a0\n[after nbsp line](a.md)",
  "a\tb [tab](t.md)\t[c](c.md)",
  "line1\n- list [l](l.md)",
  "1. one [o](o.md)",
  "1) one [o](o.md)",
  "12345. big",
  "2024. was a year [y](y.md)",
  "3.14 is pi [p](p.md)",
  "> quote [q](q.md)",
  "| a | [t](t.md) |\n|---|---|",
  "    indented [i](i.md)",
  "  two spaces [s](s.md)",
  "text\n  continued [c](c.md)",
  "Setext\n===\n[x](x.md)",
  "Setext\n---\n[x](x.md)",
  "***\n[x](x.md)",
  "<div>\n[x](x.md)\n</div>",
  "[ref]: r.md\n[ref]",
  "[^1]: note\n[x](x.md)",
  "a\r\nb [c](c.md)",
  "a\u0000b [c](c.md)",
  "\ufeff# Bom\n[b](#bom)",
  "---\ntitle: x\n---\n# After front matter\n[x](x.md)",
  "---\nnot: closed\n[x](x.md)",
  "# A\n\n## A\n\n### A-1\n\n## A",
  "[a](b.md) [a](b.md)\n[a](b.md)",
  "[x](same.md) [same.md](same.md) same.md [y](same.md)",
  "![](empty-alt.png) [](empty-label.md)",
  "trailing backslash \\",
  "[unclosed label (x.md)\n[x](x.md)",
  "**[bold](b.md)** _[it](i.md)_ ~~[s](s.md)~~",
  "&#91;x&#93;(y.md) [a&amp;b](c&amp;d.md)",
  "#\ttab heading [x](x.md)\n#\t\n",
];

/** Bullet lists, and the shapes next to them that markdown-it reads otherwise. */
const LIST_CASES: string[] = [
  "- [a](a.md)\n- [b](b.md)",
  "# Docs\n\n- [a](a.md)\n- [b](b.md)\n\ntext [c](c.md)",
  "* [a](a.md)\n* [b](b.md)\n",
  "+ [a](a.md)",
  "- [a](a.md)\n\n- [b](b.md)\n\n- [c](c.md)",
  "- [a](a.md)\n* [b](b.md)\n+ [c](c.md)",
  "text\n- [a](a.md)",
  "- [a](a.md)\nlazy [b](b.md)",
  "- [a](a.md)\n  more [b](b.md)",
  "- [a](a.md)\n\n  para [b](b.md)",
  "- [a](a.md)\n---",
  "- [a](a.md)\n===",
  "- [a](a.md)\n# H [b](b.md)",
  "- [a](a.md)\n```\n[b](b.md)\n```",
  "- # h [a](a.md)",
  "- > q [a](a.md)",
  "- - [a](a.md)",
  "- 1. [a](a.md)",
  "- ```\n[a](a.md)",
  "-  [a](a.md)",
  "-     [a](a.md)",
  "-\t[a](a.md)",
  "-\n[a](a.md)",
  "- ",
  "- [x] done [a](a.md)",
  "- [ ] todo [a](a.md)",
  "- <b>[a](a.md)</b>",
  "- [a](a.md)  \n- [b](b.md)\\",
  "- `[a](a.md)` [b](b.md)",
  "- [a](a.md) [a](a.md)\n- [a](a.md)",
  "- ![i](i.png) https://x.y/z [a](<a b.md>)",
  "## Links\n- [a](a.md#install)\n- [b](#links)",
  "* * *\n- [a](a.md)",
  "- [a](a.md)\n    - [b](b.md)",
  "-[a](a.md)",
  "- [a](a.md)\n-\n- [b](b.md)",
];

describe("scanLinks finds exactly what markdown-it finds", () => {
  it.each(LIST_CASES.map((c) => [JSON.stringify(c), c]))("in the list %s", (_name, source) => {
    const { fast, reference } = both(source);
    expect(fast).toEqual(reference);
  });

  it("in 5 000 random list documents (test/support/list-docs.ts)", () => {
    const docs = listDocuments(5000, 0x5eed0141);
    const differing = docs.filter((doc) => {
      const { fast, reference } = both(doc);
      return JSON.stringify(fast) !== JSON.stringify(reference);
    });
    expect(differing.slice(0, 3)).toEqual([]);
  });

  it.each(CASES.map((c) => [JSON.stringify(c), c]))("in %s", (_name, source) => {
    const { fast, reference } = both(source);
    expect(fast).toEqual(reference);
  });

  it.each(Object.keys(TRICKY_DOCS))("in the tricky document %s", (path) => {
    const { fast, reference } = both(TRICKY_DOCS[path] as string);
    expect(fast).toEqual(reference);
  });

  it("in 5 000 random documents", () => {
    const docs = randomDocuments(5000, 0x5eed0016);
    const differing = docs.filter((doc) => {
      const { fast, reference } = both(doc);
      return JSON.stringify(fast) !== JSON.stringify(reference);
    });
    expect(differing.slice(0, 3)).toEqual([]);
  });

  it("in 5 000 random documents cut down to what scanLinks reads itself (no lists, quotes, tables, HTML blocks, indentation, definitions)", () => {
    const docs = randomDocuments(5000, 0x5eed0017).map((doc) =>
      doc
        .split("\n")
        .filter((line) => !/^[-*+_=><|: \t]|^\d+[.)]/.test(line) && !line.includes("]:"))
        .join("\n"),
    );
    const differing = docs.filter((doc) => {
      const { fast, reference } = both(doc);
      return JSON.stringify(fast) !== JSON.stringify(reference);
    });
    expect(differing.slice(0, 3)).toEqual([]);
  });

  it("in every file of a generated docs tree (test/support/generate.mjs markdown, 1 000 files)", () => {
    const root = mkdtempSync(join(tmpdir(), "shipgate-scan-gen-"));
    dirs.push(root);
    execFileSync(process.execPath, [GEN, "markdown", root, "1000"]);
    const files = readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".md"));
    expect(files.length).toBe(1001);
    for (const file of files) {
      const source = readFileSync(join(root, file), "utf8");
      const { fast, reference } = both(source);
      expect(fast, file).toEqual(reference);
    }
  });
});
