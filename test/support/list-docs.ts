// Seeded markdown documents made mostly of bullet lists of links, for comparing scanLinks with markdown-it and
// for golden digests of the docs check on list-heavy trees. Besides the plain lists that docs indexes are made
// of, every shape near them that markdown-it reads differently: items after a paragraph line, lazy continuation,
// indented continuation, nested and ordered lists, changed markers, loose lists, setext and thematic lines,
// item content that starts another block.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { prng } from "./generate.mjs";

const WORDS = ["alpha", "beta", "gamma", "Install", "usage", "API", "faq", "café", "x_y", "a*b"];
const TARGETS = ["a.md", "b.md", "sub/c.md", "missing.md", "a.md#alpha", "b.md#nope", "#gamma", "https://example.com/x", "../out.md", "img.png", "a.md#Install"];
/** What an item's content may start with: ordinary text and links, and every character that can open another block. */
const ITEM_STARTS = ["", "", "", "", "", "# ", "> ", "- ", "* ", "+ ", "1. ", "2) ", "```", "~~~", "<div>", "    ", " ", "\t", "[x] ", "[ ] ", "---", "=", "|", "_", "!", "\\", "`code` ", "**"];
/** Lines that may follow an item, besides another item and a blank line. */
const AFTER_ITEM = ["lazy [w](a.md) text", "  indented [v](b.md)", "    code [u](a.md)", "---", "===", "# Heading after", "```", "> quote [q](a.md)", "1. ordered [o](b.md)", "  - nested [n](a.md)", "<p>", "| t |"];

export function listDocument(rand: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const chance = (p: number) => rand() < p;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(" ");
  const link = () => `${chance(0.15) ? "!" : ""}[${words(1 + Math.floor(rand() * 2))}](${pick(TARGETS)})`;
  const content = () => {
    const parts = [pick(ITEM_STARTS) + (chance(0.7) ? link() : words(2))];
    const n = Math.floor(rand() * 3);
    for (let i = 0; i < n; i++) parts.push(chance(0.5) ? link() : words(1));
    return parts.join(" ") + (chance(0.1) ? "  " : "");
  };
  const lines: string[] = [];
  const blocks = 2 + Math.floor(rand() * 8);
  for (let b = 0; b < blocks; b++) {
    const r = rand();
    if (r < 0.2) lines.push(`${"#".repeat(1 + Math.floor(rand() * 3))} ${words(1 + Math.floor(rand() * 2))}`);
    else if (r < 0.35) lines.push(`${words(3)} ${link()}`);
    else {
      const marker = chance(0.8) ? "-" : pick(["*", "+"]);
      const items = 1 + Math.floor(rand() * 6);
      for (let i = 0; i < items; i++) {
        const m = chance(0.05) ? pick(["-", "*", "+"]) : marker;
        lines.push(`${m}${chance(0.05) ? "  " : " "}${content()}`);
        const after = rand();
        if (after < 0.08) lines.push(pick(AFTER_ITEM));
        else if (after < 0.16) lines.push("");
      }
    }
    // Usually a blank line between blocks, as docs have; sometimes none, so that blocks touch.
    if (chance(0.85)) lines.push("");
  }
  return lines.join("\n");
}

/** `count` list documents from `seed`. */
export function listDocuments(count: number, seed: number): string[] {
  const rand = prng(seed);
  return Array.from({ length: count }, () => listDocument(rand));
}

/** Writes a tree of list documents (README.md, a.md, b.md, sub/c.md and pages) whose links reach each other. */
export function writeListDocsTree(outDir: string, files: number, seed: number): void {
  const docs = listDocuments(files, seed);
  const names = ["README.md", "a.md", "b.md", "sub/c.md"];
  docs.forEach((doc, i) => {
    const path = join(outDir, names[i] ?? `pages/p${i}.md`);
    mkdirSync(dirname(path), { recursive: true });
    // Headings the links' fragments look for, in some of the files.
    writeFileSync(path, i % 3 === 0 ? `# Alpha\n\n## Install\n\n${doc}\n` : `${doc}\n`);
  });
}
