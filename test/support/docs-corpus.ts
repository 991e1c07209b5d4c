// Markdown inputs for the docs link check's golden and equality tests: hand-written tricky documents (the
// corners where a link scanner can go wrong) and a seeded random generator that mixes the same constructs
// in many orders. Deterministic: the same arguments always give the same text. Tests only; the bench tree
// comes from the shared generator.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { prng } from "./generate.mjs";

/**
 * Hand-written documents, one corner each, as a small tree (path → text). They link to each other, to
 * files that exist (`assets/logo.png`, `sub/`) and to ones that do not, with and without fragments.
 */
export const TRICKY_DOCS: Record<string, string> = {
  "README.md": [
    "# Project",
    "",
    "See [the guide](guide.md), [its usage](guide.md#usage), [a second usage](guide.md#usage-1) and [a gone heading](guide.md#gone).",
    "Images: ![logo](assets/logo.png) ![missing](assets/none.png) and [a folder](sub/) [a missing folder](nope/).",
    "",
    "[![badge](assets/logo.png)](guide.md) [link [nested](sub/inner.md)](outer.md) [a\\]b](esc-bracket.md)",
    "",
    "Titles: [t1](guide.md \"Title\") [t2](guide.md 'single') [t3](guide.md (paren)) [t4](<sub/inner.md> \"angle\")",
    "Angle: [a](<my file.md>) [b](<sub/inner.md#deep-part>) [c](<>) [d](<a>b>)",
    "Spaces: [s]( guide.md ) [s2](\n  guide.md\n  \"multi-line title\"\n) [s3](guide.md\t)",
    "",
  ].join("\n"),
  "guide.md": [
    "---",
    "title: '[x](front-matter.md)'",
    "---",
    "# Guide",
    "",
    "## Usage",
    "## Usage",
    "## Usage",
    "## C++ & C# (v2.0)?",
    "## 🚀 Launch",
    "## The `scan()` API",
    "## :tada: Party",
    "## Ünïcödé Straße",
    "## *Important* _note_ ~~old~~",
    "## See [the docs](README.md) <a name=\"legacy\"></a>",
    "### Closing hashes ###",
    "#### Trailing  #  ",
    "####### seven is not a heading [seven](seven.md)",
    "#hashtag is text [hash](hash.md)",
    "Setext heading",
    "--------------",
    "",
    "Another setext [in it](setext.md)",
    "===",
    "",
    '<div id="Box">block [not a link](div.md)</div>',
    "",
    "Text with <span id='inline-id'>an id</span> and <a href=\"html-link.md\">html</a> <img src=\"assets/logo.png\">.",
    "",
    "```",
    "## Not a heading",
    "[fenced](nope-1.md)",
    "```",
    "",
    "~~~md",
    "![img](nope-2.png)",
    "```",
    "still fenced [x](nope-2b.md)",
    "~~~",
    "",
    "````",
    "```",
    "[inner](nope-2c.md)",
    "```",
    "````",
    "",
    "``` info with ` backtick [is inline](inline-fence.md) ```",
    "",
    "    [indented](nope-3.md)",
    "",
    "Inline `[code](nope-4.md)` and ``[double `tick`](nope-5.md)``, escaped \\[not](nope-6.md), `unclosed [c](after-unclosed.md)",
    "",
    "<!-- [commented](nope-7.md) <a href=\"nope-8.md\">x</a> -->",
    "",
    "A footnote[^1] and [^note]. [Usage](#usage) [bad](#nowhere) [case](#USAGE) [top](#top) [uc](#user-content-usage)",
    "",
    "[^1]: See.",
    "[^note]: Elsewhere.",
    "",
  ].join("\n"),
  "refs.md": [
    "# Refs",
    "",
    "Use [the ref][ref], [Collapsed][], [shortcut] and ![logo][img].",
    "And [broken one][bad] then [undefined][nowhere] which is just text, [ref] [REF] [ Ref ].",
    "",
    "[ref]: guide.md#usage",
    "[collapsed]: guide.md",
    "[shortcut]: <sub/inner.md> \"title\"",
    "[img]: assets/logo.png",
    "[bad]: gone.md",
    "[unused]: also-gone.md",
    "[multi",
    "line]: guide.md#guide",
    "",
    "[multi line] and [multi\nline] too.",
    "",
  ].join("\n"),
  "lists.md": [
    "# Lists",
    "",
    "- item [a](la.md)",
    "  - nested [n](guide.md#usage-2)",
    "    continued [c](lc.md)",
    "",
    "    ```",
    "    [in nested fence](nope-9.md)",
    "    ```",
    "* star [s](ls.md)",
    "+ plus [p](lp.md)",
    "",
    "1. one [o](lo.md)",
    "2) two [t](lt.md)",
    "10. ten",
    "",
    "> quoted [q](lq.md)",
    "> > deeper [d](guide.md#the-scan-api)",
    "lazy [l](ll.md)",
    "",
    "| a | [t](lists.md#lists) |",
    "|---|:-:|",
    "| `[c](c.md)` | [u](lu.md) |",
    "",
    "***",
    "- - -",
    "___",
    "",
    "Para",
    "2. not a list [x](lx.md)",
    "- interrupts [y](ly.md)",
    "",
    "\t[tabbed](nope-10.md)",
    "",
  ].join("\n"),
  "inline.md": [
    "# Inline",
    "",
    "*[a](b.md)* **[a*](c.md)** [a **b**](d.md) _x [y](e.md)_ ***[x](f.md)*** *a [b*](g.md) [*a*](em.md)",
    "~~[s](s.md)~~ [a](<b c.md>) [a\\]b](c2.md) [a](b.md \"title *x*\") [a]( sp.md ) [a](q.md 'tt')",
    "&#91;x&#93;(y.md) \\[x](esc.md) [a](b1.md)[c](d1.md) [a](b&amp;c.md) [a](%7e.md)",
    "`a` [b](code-after.md) ``[x](in-code.md)`` `unclosed [c](after-unclosed.md)",
    "<http://auto.link/x> <mailto:a@b.c> <a@b.c> https://bare.example/x?y=1. <span>[in](span.md)</span>",
    "line one [a](l1.md)\nline two\\\n[b](l3.md) and  \n[c](l4.md)",
    "[a](b.md) text: with colons: and [c](d.md) 12:30 x:y",
    "x https://a.b/c*, (http://p.q/r) `https://in.code/x` [https://in.label/x](l.md) ahttps://glued.x/y git+ssh://h.i/j",
    "[a](my%20file.md) [b](<my file.md>) [c](caf%C3%A9.md) [d](café.md) [e](100%.md) [f](a&amp;b.md) [g](a\\_b.md)",
    "[same](x.md) [same](x.md) [same](x.md) on one line; [empty]() [hash](#) [q](?x=1) [js](javascript:alert(1))",
    "[code `in label`](lbl.md) [a <b> c](html-label.md) [![i](i.png)](wrap.md) ![alt [nested]](alt.png)",
    "[multi\nline label](ml.md) ![multi\nline alt](ma.png) after [next](next.md)",
    "`code\nspan` then [after code](ac.md) <span\nclass=\"x\">[after html](ah.md)</span>",
    "[unbalanced [bracket](ub.md) [a] [b](c.md)] (x.md) [d] (e.md)",
    "[protocol-relative](//example.com/x) [mail](mailto:someone@example.com) [ftp](ftp://x.y/z)",
    "[dir](sub) [dir-slash](sub/) [root](/guide.md) [up](../outside.md) [deep](sub/../guide.md) [dot](./guide.md)",
    "[plain view](guide.md?plain=1#L10) [line](assets/logo.png#L3) [enc](guide.md#caf%C3%A9) [encf](gu%69de.md)",
    "",
  ].join("\n"),
  "html.md": [
    "<p align=\"center\">",
    "  <img src=\"assets/logo.png\" alt=\"logo\"> <img src='assets/gone.png'>",
    "  <a href=\"guide.md#usage\">usage</a> <a href=guide.md#nope>nope</a>",
    "</p>",
    "",
    "<details><summary>More</summary>",
    "",
    "Inside details [d](guide.md#guide).",
    "",
    "</details>",
    "",
    "<a name=\"anchor-here\"></a><a id=\"Other-ID\"></a>",
    "",
    "[to anchor](#anchor-here) [to other](#other-id) [x](#anchor-her)",
    "",
    "<!-- unclosed comment [x](c.md)",
    "",
  ].join("\n"),
  "crlf.md": "# CRLF\r\n\r\nA [link](guide.md#usage)\r\nand [another](gone-crlf.md)\r\n",
  "nul.md": "# Nul\u0000 here\n\nText [n](gone-nul.md)\u0000.\n",
  "bom.md": "\ufeff# Bom\n\n[b](#bom) [c](gone-bom.md)\n",
  "empty.md": "",
  "sub/inner.md": "# Inner\n\n## Deep part\n\nBack [up](../README.md#project) and [wrong](../README.md#projet).\n",
  "sub/My File.md": "# Case\n",
  "assets/logo.png": "png",
  "my file.md": "# Spaced\n",
};

const WORDS = ["alpha", "beta", "gamma", "delta", "core", "api", "store", "use", "café", "x"];

/**
 * One random document from the constructs above, each chosen with some weight. `targets` are paths the
 * links may point to (relative to the document's folder) and `headings` the sections they may name.
 */
export function randomMarkdown(rand: () => number, { targets, headings }: { targets: readonly string[]; headings: readonly string[] }): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const chance = (p: number) => rand() < p;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const dest = () => {
    const base = chance(0.15) ? "" : pick(targets);
    const fragment = chance(0.4) ? `#${chance(0.8) ? pick(headings) : "no-such"}` : "";
    const d = `${base}${fragment}` || "#top";
    return chance(0.1) ? `<${d}>` : d;
  };
  const link = () => {
    const r = rand();
    if (r < 0.45) return `[${words(1 + Math.floor(rand() * 3))}](${dest()}${chance(0.1) ? ` "${words(1)}"` : ""})`;
    if (r < 0.55) return `![${words(1)}](${dest()})`;
    if (r < 0.62) return `\`[${words(1)}](${dest()})\``;
    if (r < 0.67) return `\\[${words(1)}](${dest()})`;
    if (r < 0.72) return `[${words(1)}][r${Math.floor(rand() * 3)}]`;
    if (r < 0.77) return `<a href="${dest()}">${words(1)}</a>`;
    if (r < 0.82) return `https://example.com/${words(1).replace(/ /g, "-")}`;
    if (r < 0.86) return `[${words(1)} \`code\`](${dest()})`;
    if (r < 0.9) return `[[${words(1)}]](${dest()})`;
    if (r < 0.94) return `*[${words(1)}](${dest()})*`;
    return `[${words(1)}](${dest()}`; // unclosed
  };
  const inline = () => {
    const parts: string[] = [];
    const n = 1 + Math.floor(rand() * 5);
    for (let i = 0; i < n; i++) parts.push(chance(0.5) ? link() : words(1 + Math.floor(rand() * 4)));
    return parts.join(chance(0.2) ? "\n" : " ");
  };
  const lines = [`# ${words(2)}`, ""];
  const blocks = 3 + Math.floor(rand() * 12);
  for (let b = 0; b < blocks; b++) {
    const r = rand();
    if (r < 0.35) lines.push(inline());
    else if (r < 0.5) lines.push(`${"#".repeat(1 + Math.floor(rand() * 4))} ${chance(0.2) ? inline() : pick(headings).replace(/-/g, " ")}`);
    else if (r < 0.58) lines.push(pick(["```", "~~~", "````"]), inline(), pick(["```", "~~~", "````", "``"]));
    else if (r < 0.64) lines.push(`- ${inline()}`, `- ${inline()}`);
    else if (r < 0.68) lines.push(`1. ${inline()}`);
    else if (r < 0.72) lines.push(`> ${inline()}`);
    else if (r < 0.75) lines.push(`    ${inline()}`);
    else if (r < 0.78) lines.push(`[r${Math.floor(rand() * 3)}]: ${dest()}`);
    else if (r < 0.81) lines.push(`<div id="${pick(headings)}">`, "", inline(), "", "</div>");
    else if (r < 0.84) lines.push(words(2), pick(["===", "---"]));
    else if (r < 0.87) lines.push(`| ${words(1)} | ${link()} |`, "|---|---|", `| ${link()} | x |`);
    else if (r < 0.9) lines.push(`${words(1)}  `, `${link()}\\`, link());
    else lines.push(inline());
    if (chance(0.8)) lines.push("");
  }
  return `${lines.join("\n")}\n`;
}

/**
 * A random tree of `files` documents in a few folders, linking to each other (and to missing files and
 * headings), written under `outDir`. Returns the paths written.
 */
export function writeRandomDocsTree(outDir: string, files: number, seed = 0x5eed0014): string[] {
  const rand = prng(seed);
  const names = Array.from({ length: files }, (_, i) => `f${i % 4}/doc-${i}.md`);
  const headings = ["alpha-beta", "core", "usage", "store-api", "café-x", "delta-delta", "x"];
  for (let i = 0; i < files; i++) {
    const targets = [...names.slice(Math.max(0, i - 3), i + 3).map((n) => `../${n}`), "missing.md", "../f0", "./", `doc-${i}.md`];
    const path = join(outDir, names[i] as string);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, randomMarkdown(rand, { targets, headings }));
  }
  return names;
}

/** Random documents, for tests that compare two extractors on text directly. */
export function randomDocuments(count: number, seed = 0x5eed0015): string[] {
  const rand = prng(seed);
  const headings = ["alpha-beta", "core", "usage", "x"];
  const targets = ["a.md", "b/c.md", "../d.md", "https://e.example/f", "g.png"];
  return Array.from({ length: count }, () => randomMarkdown(rand, { targets, headings }));
}

/** Writes `TRICKY_DOCS` under `outDir`. */
export function writeTrickyDocsTree(outDir: string): void {
  for (const [path, content] of Object.entries(TRICKY_DOCS)) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), content);
  }
}
