// Documents for the link scanner's own golden (test/golden/docs-scanner.test.ts): paragraphs and headings
// whose inline syntax sits at their edges — a `!`, `:`, `:/`, `[`, backtick or backslash as the last
// character, trailing spaces and tabs, brackets and code spans left open in one paragraph and closed in the
// next, links across lines, repeated headings — the places where a reader that works on offsets into the
// document instead of on each paragraph's own text could look one character too far. Seeded, deterministic.
import { prng } from "./generate.mjs";

const ATOMS = [
  "word", "two words", "!", ":", ":/", "://", "http://x.io/a", "[", "]", "`", "``", "\\", "![", "(", ")",
  "[a](a.md)", "![i](img.png)", "[b](b.md#frag \"title\")", "[c](<c d.md>)", "[d](d.md", "[e]", "[f](\n f.md\n)",
  "[g\nh](g.md)", "`code [x](x.md)`", "<span>", "<a href=\"h.md\">", "&amp;", "[t](t.md 'x')", "[p](p(q).md)",
  "[u](https://u.io/p)", "[m](mailto:a@b.c)", "x:/y", "![alt\ntext](alt.md)", "[[n]](n.md)", "[esc\\]](e.md)",
];
const ENDS = ["", " ", "  ", "\t", " \t", "!", ":", ":/", "[", "`", "\\", "![", "[z](z.md)"];
const HEADINGS = ["# Title", "## Same", "## Same", "### Same ###", "## Same #", "#### Trailing  #  ", "## With [l](l.md)", "## `code` head", "# ", "##", "## Ends with !", "## Tab\tin"];

/** `count` documents from `seed`: paragraphs, headings, fences and blank lines at the margin, edges stressed. */
export function inlineEdgeDocuments(count: number, seed = 0x5eed0e09): string[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const docs: string[] = [];
  for (let d = 0; d < count; d++) {
    const lines: string[] = [];
    const blocks = 1 + Math.floor(random() * 6);
    for (let b = 0; b < blocks; b++) {
      const kind = random();
      if (kind < 0.2) lines.push(pick(HEADINGS) + pick(ENDS));
      else if (kind < 0.27) lines.push("```", pick(ATOMS), "```");
      else {
        const paragraphLines = 1 + Math.floor(random() * 3);
        for (let l = 0; l < paragraphLines; l++) {
          const parts: string[] = [];
          const atoms = Math.floor(random() * 5);
          for (let a = 0; a < atoms; a++) parts.push(pick(ATOMS));
          lines.push(parts.join(random() < 0.5 ? " " : "") + pick(ENDS));
        }
      }
      if (random() < 0.7) lines.push(random() < 0.8 ? "" : " \t");
    }
    docs.push(lines.join("\n") + (random() < 0.5 ? "\n" : ""));
  }
  return docs;
}
