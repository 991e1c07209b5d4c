import { ParseError, REMEDY } from "../../errors.js";
import { isCount, isJsonObject, isRuffJsonHead, readJsonStream, refuseOtherFindingReport } from "../json-stream.js";
import type { JsonValue } from "../json-stream.js";
import type { Diagnostic, Finding, FindingLevel, ReportParser } from "../types.js";

const HINT = "expected ruff's JSON output (`ruff check --output-format json`); check the report path, or " + REMEDY.nameFormat;

/**
 * flake8-bandit rules (`S101`…`S704`), which ruff reimplements: security rules in a linter. Shared with the
 * SARIF parser so that one ruff finding has one kind whichever format carried it.
 */
export const isRuffSecurityRule = (code: string | null): boolean => code !== null && /^S\d{3}$/.test(code);

const isPosition = (value: JsonValue | undefined): value is { row: number; column: number } =>
  isJsonObject(value) && isCount(value.row) && value.row > 0 && isCount(value.column);

/** ruff ≥ 0.16 writes `severity`; every earlier version reports all diagnostics as errors (so does its SARIF). */
function readLevel(severity: JsonValue | undefined): FindingLevel {
  if (severity === "warning") return "warning";
  if (severity === "info" || severity === "note" || severity === "help") return "note";
  return "error";
}

/** One diagnostic of the output array, or what is wrong with it. */
function readDiagnostic(value: JsonValue, reportLine: number): Finding | string {
  if (!isJsonObject(value)) return "it is not an object";
  const { code, message, filename, location, severity } = value;
  if (typeof filename !== "string" || typeof message !== "string") return 'it has no "filename" and "message"';
  // Syntax errors have code null before ruff 0.12 and "invalid-syntax" since.
  const ruleId = typeof code === "string" ? code : null;
  return {
    tool: "ruff",
    kind: isRuffSecurityRule(ruleId) ? "security" : "lint",
    ruleId,
    level: readLevel(severity),
    message,
    file: filename,
    // In a notebook, `row` counts within the cell numbered `cell`; there is no line of the .ipynb file to give.
    line: isPosition(location) ? location.row : null,
    column: isPosition(location) && location.column > 0 ? location.column : null,
    reportLine,
  };
}

export const ruffParser: ReportParser = {
  format: "ruff",
  description: "ruff JSON output (ruff check --output-format json)",

  detect: (head, path) => isRuffJsonHead(head, path),

  async parse(stream, ctx) {
    const findings: Finding[] = [];
    const diagnostics: Diagnostic[] = [];
    let firstBad: { line: number; reason: string } | undefined;

    const documentDiagnostics = await readJsonStream(stream, ctx, {
      root: "array",
      paths: ["$.*"],
      hint: HINT,
      onHead: (head) => refuseOtherFindingReport(head, ctx, "ruff"),
      onEntry: ({ path, value, line }) => {
        const finding = readDiagnostic(value, line);
        if (typeof finding === "string") {
          firstBad ??= { line, reason: finding };
          diagnostics.push({ level: "warning", code: "ruff.bad-entry", file: ctx.file, line, message: `skipped element ${String(path[0])}: ${finding}` });
          return;
        }
        findings.push(finding);
      },
    });
    diagnostics.push(...documentDiagnostics);

    if (findings.length === 0 && firstBad !== undefined) {
      throw new ParseError(ctx.file, firstBad.line, `no element is a ruff diagnostic; the first: ${firstBad.reason}`, { hint: HINT });
    }
    // `[]` is what ruff writes when it finds nothing: a clean run, not an error.
    return { format: "ruff", tool: { name: "ruff" }, tests: [], coverage: [], findings, diagnostics };
  },
};
