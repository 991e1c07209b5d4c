/** Small text helpers every renderer shares. */

/**
 * Text from reports (test names, finding messages) on one line: line breaks and other control characters
 * become spaces, so a report can never start a line of its own (in CI logs, a line starting with `::`
 * is a workflow command).
 */
export function oneLine(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u0085\u2028\u2029]+/g, " ");
}

/** Report text inside markdown: one line, markdown's active characters escaped. */
export const mdEscape = (text: string) => oneLine(text).replace(/[|\\`*_<>[\]]/g, (c) => `\\${c}`);

/** A markdown code span: nothing inside is escaped, so a backtick (which would end it) is replaced. */
export const codeSpan = (text: string) => `\`${oneLine(text).replace(/`/g, "'")}\``;

/** Hours with one decimal. */
export const hours = (h: number) => `${Math.round(h * 10) / 10} h`;

/** A whole amount with thousands separators, or "unknown". */
export const money = (n: number | null) => (n === null ? "unknown" : Math.round(n).toLocaleString("en-US"));
