import { ParseError, REMEDY } from "../../errors.js";
import { headLines, quoteLine, readTextLines, stripAnsi } from "../text-lines.js";
import type { Diagnostic, Finding, FindingLevel, ReportParser } from "../types.js";

const HINT = "expected mypy's text output (`mypy src > mypy.txt`); check the report path, or " + REMEDY.nameFormat;

// `pkg/a.py:12: error: …`, with `:col` under --show-column-numbers and `:endline:endcol` under --show-error-end;
// `pkg/a.py: note: In function "f":` has no line at all.
const HEADER = /^(\S.*?):(?:(\d+)(?::(\d+))?(?::\d+:\d+)?:)? (error|warning|note): (.*)$/;
// The error code mypy appends after two spaces: `  [arg-type]`.
const CODE = /\s{2}\[([a-z0-9-]+)\]$/;
// What --show-error-context writes before a group of errors: a heading, not a diagnostic.
const CONTEXT = /^(?:In (?:function|member|class|module) .*:|At top level:)$/;
const FOUND = /^Found (\d+) errors? in (\d+) files?(?: \(([^)]*)\))?\s*$/;
const SUCCESS = /^Success: no issues found in (\d+) source files?\s*$/;

const LEVELS: Record<string, FindingLevel> = { error: "error", warning: "warning", note: "note" };

const isPython = (path: string): boolean => /\.pyi?$/.test(path);

export const mypyParser: ReportParser = {
  format: "mypy",
  description: "mypy text output (mypy src > mypy.txt)",

  detect: (head) => {
    const [first] = headLines(head, 1);
    if (first === undefined) return false;
    const header = HEADER.exec(first);
    // gcc and clang write `file:line:col: error: …` too: mypy checks Python files.
    if (header !== null) return isPython(header[1] ?? "");
    return SUCCESS.test(first) || /^Found \d+ errors? in \d+ files? \(/.test(first);
  },

  async parse(stream, ctx) {
    const findings: Finding[] = [];
    const diagnostics: Diagnostic[] = [];
    // The finding whose message --pretty may wrap onto the next lines, until its indented source line.
    let open: Finding | undefined;
    let summary: { errors: number; files: number; note: string | undefined; line: number } | "success" | undefined;
    let firstOther: { line: number; text: string } | undefined;
    let others = 0;
    let lines = 0;

    const close = (): void => {
      if (open === undefined) return;
      const code = CODE.exec(open.message);
      if (code !== null) {
        open.ruleId = code[1] ?? null;
        open.message = open.message.slice(0, code.index);
      }
      open = undefined;
    };

    for await (const { text: raw, line } of readTextLines(stream, ctx)) {
      lines = line;
      const text = stripAnsi(raw);
      if (text.trim() === "") continue;
      const header = HEADER.exec(text);
      if (header !== null) {
        close();
        const [, file = "", lineText, columnText, severity = "error", message = ""] = header;
        if (lineText === undefined && severity === "note" && CONTEXT.test(message)) continue;
        open = {
          tool: "mypy",
          kind: "type",
          ruleId: null,
          level: LEVELS[severity] ?? "error",
          message,
          file,
          line: lineText === undefined ? null : Number(lineText),
          column: columnText === undefined ? null : Number(columnText),
          reportLine: line,
        };
        findings.push(open);
        continue;
      }
      const found = FOUND.exec(text);
      if (found !== null || SUCCESS.test(text)) {
        close();
        summary = found === null ? "success" : { errors: Number(found[1]), files: Number(found[2]), note: found[3], line };
        continue;
      }
      const current = findings[findings.length - 1];
      // --pretty: the flagged source line, indented by four spaces, then a line of carets. A line too long for
      // the terminal is cut to fit, with "..." at the cut: not the line's text, so no snippet then.
      if (current !== undefined && text.startsWith("    ")) {
        close();
        const source = text.slice(4);
        const isCarets = /^\s*\^~*\s*$/.test(source);
        if (current.snippet === undefined && !isCarets && !source.trimStart().startsWith("...") && !source.endsWith("...")) current.snippet = source;
        continue;
      }
      // --pretty wraps a long message onto unindented lines before the source line.
      if (open !== undefined) {
        open.message += ` ${text}`;
        continue;
      }
      others++;
      firstOther ??= { line, text };
    }
    close();

    if (findings.length === 0 && summary === undefined) {
      if (lines === 0 || firstOther === undefined) throw new ParseError(ctx.file, undefined, "the file is empty: mypy always writes at least its summary line", { hint: HINT });
      throw new ParseError(ctx.file, firstOther.line, `no line is a mypy message or summary; the first is ${quoteLine(firstOther.text)}`, { hint: HINT });
    }
    if (others > 0 && firstOther !== undefined) {
      diagnostics.push({
        level: "warning",
        code: "mypy.unknown-line",
        file: ctx.file,
        line: firstOther.line,
        message: `ignored ${others} line(s) that are not mypy messages, the first: ${quoteLine(firstOther.text)}`,
      });
    }
    const errors = findings.filter((finding) => finding.level === "error");
    if (summary === undefined) {
      diagnostics.push({
        level: "warning",
        code: "mypy.no-summary",
        file: ctx.file,
        message: 'the report has no closing "Found N errors" or "Success" line: it may be cut short',
      });
    } else if (summary === "success") {
      if (errors.length > 0) {
        diagnostics.push({ level: "warning", code: "mypy.count-mismatch", file: ctx.file, message: `mypy says "Success" but the report lists ${errors.length} error(s); shipgate uses the list` });
      }
    } else {
      const files = new Set(errors.map((finding) => finding.file)).size;
      if (summary.errors !== errors.length || summary.files !== files) {
        diagnostics.push({
          level: "warning",
          code: "mypy.count-mismatch",
          file: ctx.file,
          line: summary.line,
          message: `mypy says ${summary.errors} error(s) in ${summary.files} file(s) but the report lists ${errors.length} in ${files}; shipgate uses the list`,
        });
      }
      if (summary.note?.includes("errors prevented further checking") === true) {
        diagnostics.push({
          level: "warning",
          code: "mypy.incomplete",
          file: ctx.file,
          line: summary.line,
          message: "mypy stopped early (errors prevented further checking): fix those errors, or other type errors stay unseen",
        });
      }
    }
    return { format: "mypy", tool: { name: "mypy" }, tests: [], coverage: [], findings, diagnostics };
  },
};
