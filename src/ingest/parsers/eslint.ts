import { ParseError, REMEDY } from "../../errors.js";
import { classifyJsonReport, isCount, isJsonObject, readJsonStream, refuseOtherFindingReport } from "../json-stream.js";
import type { JsonObject, JsonValue } from "../json-stream.js";
import type { Diagnostic, Finding, FindingLevel, ReportParser } from "../types.js";

const HINT = "expected ESLint's JSON output (`eslint --format json`); check the report path, or " + REMEDY.nameFormat;

// ESLint's own line breaks (`lineBreakPattern` in eslint/lib/shared/ast-utils.js): its line numbers count these.
const LINE_BREAK = /\r\n|[\r\n\u2028\u2029]/;

const isLine = (value: JsonValue | undefined): value is number => isCount(value) && value > 0;

interface FileCounts {
  errors: number;
  warnings: number;
}

/** The findings of one element of the output array (one linted file), or what is wrong with it. */
function readFileResult(value: JsonValue, reportLine: number): { findings: Finding[]; counts: FileCounts; stated?: FileCounts; bad: number } | string {
  if (!isJsonObject(value)) return "it is not an object";
  const { filePath, messages, suppressedMessages, source } = value;
  if (typeof filePath !== "string" || !Array.isArray(messages)) return 'it has no "filePath" and "messages"';

  // Split the source only when a message needs its line; most files in a big run have no message.
  let sourceLines: string[] | undefined;
  const lineText = (line: number | null): string | undefined => {
    if (line === null || typeof source !== "string") return undefined;
    sourceLines ??= source.split(LINE_BREAK);
    return sourceLines[line - 1];
  };

  const findings: Finding[] = [];
  const counts: FileCounts = { errors: 0, warnings: 0 };
  let bad = 0;
  const add = (message: JsonValue, suppressed: boolean): void => {
    const finding = readMessage(message, filePath, lineText, reportLine);
    if (finding === undefined) {
      bad++;
      return;
    }
    if (suppressed) finding.suppressed = true;
    else if (finding.level === "error") counts.errors++;
    else counts.warnings++;
    findings.push(finding);
  };
  for (const message of messages) add(message, false);
  if (Array.isArray(suppressedMessages)) for (const message of suppressedMessages) add(message, true);

  const { errorCount, warningCount } = value;
  const stated = isCount(errorCount) && isCount(warningCount) ? { errors: errorCount, warnings: warningCount } : undefined;
  return stated === undefined ? { findings, counts, bad } : { findings, counts, stated, bad };
}

function readMessage(message: JsonValue, file: string, lineText: (line: number | null) => string | undefined, reportLine: number): Finding | undefined {
  if (!isJsonObject(message) || typeof message.message !== "string") return undefined;
  const level = readLevel(message);
  if (level === undefined) return undefined;
  // A message about the whole file (e.g. "File ignored because of a matching ignore pattern") has no line.
  const line = isLine(message.line) ? message.line : null;
  const finding: Finding = {
    tool: "eslint",
    kind: "lint",
    // null for a parse error and for an unused disable directive.
    ruleId: typeof message.ruleId === "string" ? message.ruleId : null,
    level,
    message: message.message,
    file,
    line,
    column: line !== null && isLine(message.column) ? message.column : null,
    reportLine,
  };
  const snippet = lineText(line);
  if (snippet !== undefined) finding.snippet = snippet;
  return finding;
}

/** severity 2 is an error, 1 a warning; a fatal (parse) error is an error whatever its severity says. */
function readLevel(message: JsonObject): FindingLevel | undefined {
  if (message.fatal === true) return "error";
  if (message.severity === 2) return "error";
  if (message.severity === 1) return "warning";
  return undefined;
}

export const eslintParser: ReportParser = {
  format: "eslint",
  description: "ESLint JSON output (eslint --format json)",

  detect: (head, path) => classifyJsonReport(head, path) === "eslint",

  async parse(stream, ctx) {
    const findings: Finding[] = [];
    const diagnostics: Diagnostic[] = [];
    let files = 0;
    let firstBad: { line: number; reason: string } | undefined;

    const documentDiagnostics = await readJsonStream(stream, ctx, {
      root: "array",
      paths: ["$.*"],
      hint: HINT,
      onHead: (head) => refuseOtherFindingReport(head, ctx, "eslint"),
      onEntry: ({ path, value, line }) => {
        const result = readFileResult(value, line);
        if (typeof result === "string") {
          firstBad ??= { line, reason: result };
          diagnostics.push({ level: "warning", code: "eslint.bad-entry", file: ctx.file, line, message: `skipped element ${String(path[0])}: ${result}` });
          return;
        }
        files++;
        findings.push(...result.findings);
        const name = isJsonObject(value) ? JSON.stringify(value.filePath) : "";
        if (result.bad > 0) {
          diagnostics.push({
            level: "warning",
            code: "eslint.bad-message",
            file: ctx.file,
            line,
            message: `skipped ${result.bad} message(s) of ${name} without a text and a severity of 1 or 2`,
          });
        }
        const { counts, stated } = result;
        if (stated !== undefined && (stated.errors !== counts.errors || stated.warnings !== counts.warnings)) {
          diagnostics.push({
            level: "info",
            code: "eslint.count-mismatch",
            file: ctx.file,
            line,
            message: `${name} states ${stated.errors} error(s) and ${stated.warnings} warning(s) but lists ${counts.errors} and ${counts.warnings}; shipgate uses the list`,
          });
        }
      },
    });
    diagnostics.push(...documentDiagnostics);

    if (files === 0 && firstBad !== undefined) {
      throw new ParseError(ctx.file, firstBad.line, `no element is an ESLint file result; the first: ${firstBad.reason}`, { hint: HINT });
    }
    if (files === 0) {
      diagnostics.push({ level: "info", code: "eslint.no-files", file: ctx.file, message: "the report lists no linted file (`[]`): there are no findings" });
    }
    return { format: "eslint", tool: { name: "eslint" }, tests: [], coverage: [], findings, diagnostics };
  },
};
