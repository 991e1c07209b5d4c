/** Small text helpers every renderer shares. */
import { forMarkdown, forMarkdownCode, forTerminal } from "./sanitize.js";

/**
 * Text from reports (test names, finding messages) on one line: controls and escape sequences removed,
 * line breaks as spaces, so a report can never start a line of its own (in CI logs, a line starting
 * with `::` is a workflow command). See sanitize.ts.
 */
export const oneLine = (text: string): string => forTerminal(text);

/** Report text inside markdown: one line, markdown's active characters escaped. */
export const mdEscape = (text: string): string => forMarkdown(text);

/** A markdown code span: nothing inside is interpreted, and a backtick inside cannot end it. */
export const codeSpan = (text: string): string => forMarkdownCode(text);

/** Hours with one decimal. */
export const hours = (h: number) => `${Math.round(h * 10) / 10} h`;

/** A whole amount with thousands separators, or "unknown". */
export const money = (n: number | null) => (n === null ? "unknown" : Math.round(n).toLocaleString("en-US"));

/** "1 file", "2 files", "1,200 links": a count with its noun. */
export const plural = (n: number, word: string): string => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;
