import { ParseError, REMEDY } from "../../errors.js";
import { headLines, quoteLine, readTextLines, stripAnsi } from "../text-lines.js";
import type { Diagnostic, Finding, FindingLevel, ReportParser } from "../types.js";

const HINT = "expected the output of `tsc --noEmit --pretty false` (or of plain `tsc --noEmit`); check the report path, or " + REMEDY.nameFormat;

type Category = "error" | "warning" | "suggestion" | "message";
const CATEGORY = "(error|warning|suggestion|message)";

// `src/a.ts(12,5): error TS2322: …` (--pretty false, and what tsc writes to a pipe by default).
const PLAIN = new RegExp(`^(\\S.*?)\\((\\d+),(\\d+)\\): ${CATEGORY} (TS\\d+): (.*)$`);
// `src/a.ts:12:5 - error TS2322: …` (--pretty, the default on a terminal), colours stripped.
const PRETTY = new RegExp(`^(\\S.*?):(\\d+):(\\d+) - ${CATEGORY} (TS\\d+): (.*)$`);
// `error TS18003: No inputs were found in config file …`: about the project, not a place in a file.
const GLOBAL = new RegExp(`^${CATEGORY} (TS\\d+): (.*)$`);
// --pretty's closing line: "Found 9 errors in 3 files.", "Found 1 error in src/a.ts:3", "Found 2 errors in the same file, …".
const SUMMARY = /^Found (\d+) errors?\b/;
// A line of --pretty's code frame: the line number, one space, the source line.
const FRAME = /^\s*(\d+) (.*)$/;

const LEVELS: Record<Category, FindingLevel> = { error: "error", warning: "warning", suggestion: "note", message: "note" };

/** A diagnostic header of either style, or undefined. */
function readHeader(text: string): { file: string | null; line: number | null; column: number | null; category: Category; code: string; message: string; pretty: boolean } | undefined {
  const plain = PLAIN.exec(text);
  const located = plain ?? PRETTY.exec(text);
  if (located !== null) {
    const [, file = "", line = "", column = "", category, code = "", message = ""] = located;
    return { file, line: Number(line), column: Number(column), category: category as Category, code, message, pretty: plain === null };
  }
  const global = GLOBAL.exec(text);
  if (global === null) return undefined;
  const [, category, code = "", message = ""] = global;
  return { file: null, line: null, column: null, category: category as Category, code, message, pretty: false };
}

export const tscParser: ReportParser = {
  format: "tsc",
  description: "TypeScript compiler output (tsc --noEmit, plain or --pretty)",

  detect: (head) => {
    const [first] = headLines(head, 1);
    return first !== undefined && readHeader(first) !== undefined;
  },

  async parse(stream, ctx) {
    const findings: Finding[] = [];
    const diagnostics: Diagnostic[] = [];
    let current: Finding | undefined;
    // After a --pretty header: "message" while the chain goes on, "frame" after the blank line that ends it
    // (the code frame, then related information, each with frames of their own), "framed" once the first
    // frame line was seen.
    let section: "message" | "frame" | "framed" | "summary" = "message";
    let pretty = false;
    let stated: { count: number; line: number } | undefined;
    let firstOther: { line: number; text: string } | undefined;
    let others = 0;
    let lines = 0;

    for await (const { text: raw, line } of readTextLines(stream, ctx)) {
      lines = line;
      const text = stripAnsi(raw);
      if (text.trim() === "") {
        if (current !== undefined && pretty && section === "message") section = "frame";
        continue;
      }
      const header = readHeader(text);
      if (header !== undefined) {
        current = {
          tool: "tsc",
          kind: "type",
          ruleId: header.code,
          level: LEVELS[header.category],
          message: header.message,
          file: header.file,
          line: header.line,
          column: header.column,
          reportLine: line,
        };
        findings.push(current);
        pretty = header.pretty;
        section = "message";
        continue;
      }
      const summary = SUMMARY.exec(text);
      if (summary !== null) {
        stated = { count: Number(summary[1]), line };
        current = undefined;
        section = "summary";
        continue;
      }
      // The rest of a message chain ("  Types of property 'x' are incompatible."), indented under its header.
      if (current !== undefined && section === "message" && /^\s/.test(text)) {
        current.message += `\n${text}`;
        continue;
      }
      if (current !== undefined && section === "frame") {
        // The code frame starts at the diagnostic's line: its first line is the flagged source line.
        const frame = FRAME.exec(text);
        if (frame !== null && Number(frame[1]) === current.line) current.snippet = frame[2] ?? "";
        section = "framed";
        continue;
      }
      if (section === "framed") continue;
      // After --pretty's "Found N errors": the "Errors  Files" table.
      if (section === "summary") continue;
      others++;
      firstOther ??= { line, text };
    }

    if (findings.length === 0 && firstOther !== undefined) {
      throw new ParseError(ctx.file, firstOther.line, `no line is a tsc diagnostic; the first is ${quoteLine(firstOther.text)}`, { hint: HINT });
    }
    if (others > 0 && firstOther !== undefined) {
      diagnostics.push({
        level: "warning",
        code: "tsc.unknown-line",
        file: ctx.file,
        line: firstOther.line,
        message: `ignored ${others} line(s) that are not tsc diagnostics, the first: ${quoteLine(firstOther.text)}`,
      });
    }
    if (lines === 0 || (findings.length === 0 && stated === undefined)) {
      // tsc prints nothing at all when the program has no error.
      diagnostics.push({ level: "info", code: "tsc.empty", file: ctx.file, message: "the report is empty, which is what tsc writes when it finds no error" });
    }
    const errors = findings.filter((finding) => finding.level === "error").length;
    if (stated !== undefined && stated.count !== errors) {
      diagnostics.push({
        level: "warning",
        code: "tsc.count-mismatch",
        file: ctx.file,
        line: stated.line,
        message: `tsc says it found ${stated.count} error(s) but the report lists ${errors}; shipgate uses the list`,
      });
    }
    return { format: "tsc", tool: { name: "tsc" }, tests: [], coverage: [], findings, diagnostics };
  },
};
