import { REMEDY } from "../errors.js";

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Each remedy of errors.ts as the command line says it: the flag that does it. */
const CLI_WORDS: [string | RegExp, string][] = [
  [REMEDY.nameFormat, "pass --format"],
  // Format names are kebab-case words (ReportFormat); `$1` is the one the core named.
  [new RegExp(`${escape(REMEDY.formatIs(""))}([a-z][a-z0-9-]*)`, "g"), "use --format $1"],
  [REMEDY.nameReport, "pass --report <file>"],
  [REMEDY.runCollectors, "drop --no-run"],
  [REMEDY.assessFirst, "run `shipgate assess` first (or `shipgate assess --gate NAME` to do both)"],
];

/** A core or use-case hint in the command line's words: each remedy phrase becomes the flag that does it. */
export function cliHint(hint: string | undefined): string | undefined {
  if (hint === undefined) return undefined;
  let out = hint;
  for (const [phrase, words] of CLI_WORDS) out = typeof phrase === "string" ? out.split(phrase).join(words) : out.replace(phrase, words);
  return out;
}
