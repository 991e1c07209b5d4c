import { ParseError, REMEDY } from "../errors.js";
import { classifyJsonReport } from "./json-stream.js";
import type { JsonValue } from "./json-stream.js";
import { isCargoAuditHead, isGovulncheckHead, isNpmAuditHead, isOsvScannerHead, isPipAuditHead } from "./advisory-heads.js";
import type { AdvisorySeverity, Diagnostic, ParseContext, ReportFormat } from "./types.js";

/** Most severe first: the order reports and messages list severities in. */
export const SEVERITIES: readonly AdvisorySeverity[] = ["critical", "high", "moderate", "low", "info"];

/**
 * Advisories without any rating, tallied while a report is read and reported in one warning at the end:
 * each is counted as moderate, so that an unrated vulnerability neither vanishes from the counts nor blocks as critical.
 */
export interface UnratedTally {
  /** Notes one unrated advisory: its id, what it affects (`name@version`), and the report line it was read at. */
  add(id: string, label: string, line: number): void;
  /** The warning naming the first few, or undefined when every advisory had a rating. */
  diagnostic(file: string): Diagnostic | undefined;
}

/** `code` is the diagnostic's code (`osv.unknown-severity`); `why` says what the report lacks, in parentheses. */
export function createUnratedTally(code: string, why: string): UnratedTally {
  let count = 0;
  let line = 0;
  const named: string[] = [];
  return {
    add(id, label, at) {
      if (count++ === 0) line = at;
      if (named.length < 5) named.push(`${id} in ${label}`);
    },
    diagnostic(file) {
      if (count === 0) return undefined;
      const list = named.join(", ") + (count > named.length ? `, and ${count - named.length} more` : "");
      return {
        level: "warning",
        code,
        file,
        line,
        message: `${count} ${count === 1 ? "advisory has" : "advisories have"} no severity (${why}): ${list}; counted as moderate`,
      };
    },
  };
}

/** Non-empty strings of a JSON array; anything else gives []. */
export const stringsOf = (value: JsonValue | undefined): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string" && item !== "") : [];

/** The first meaningful line of a free-text description, at most 200 characters, or undefined. */
export function firstLine(text: JsonValue | undefined): string | undefined {
  if (typeof text !== "string") return undefined;
  const line = text.split("\n").find((candidate) => candidate.trim() !== "" && !/^[-=_#\s]+$/.test(candidate));
  return line === undefined ? undefined : line.trim().slice(0, 200);
}

/** The advisory formats, as their parsers' refusals name them. */
const ADVISORY_REPORT_NAMES: Record<"npm-audit" | "osv" | "pip-audit" | "cargo-audit" | "govulncheck", string> = {
  "npm-audit": "npm audit JSON",
  osv: "OSV-Scanner JSON",
  "pip-audit": "pip-audit JSON",
  "cargo-audit": "cargo audit JSON",
  govulncheck: "govulncheck JSON",
};

const OTHER_JSON_NAMES: Record<string, string> = {
  "istanbul-summary": "istanbul coverage-summary.json",
  "istanbul-final": "istanbul coverage-final.json",
  coveragepy: "coverage.py JSON (coverage json)",
  eslint: "ESLint JSON output",
  sarif: "a SARIF log",
};

/**
 * Throws a ParseError naming the format to read it as when `head` is recognisably another report than `expected`:
 * one of the advisory formats, or a JSON report `classifyJsonReport` knows.
 */
export function refuseOtherAdvisoryReport(head: Buffer, ctx: ParseContext, expected: keyof typeof ADVISORY_REPORT_NAMES): void {
  const heads: [keyof typeof ADVISORY_REPORT_NAMES, (head: Buffer) => boolean][] = [
    ["npm-audit", isNpmAuditHead],
    ["osv", isOsvScannerHead],
    ["pip-audit", isPipAuditHead],
    ["cargo-audit", isCargoAuditHead],
    ["govulncheck", isGovulncheckHead],
  ];
  const advisory = heads.find(([format, test]) => format !== expected && test(head))?.[0];
  const kind: ReportFormat | "eslint" | "sarif" | undefined = advisory ?? classifyJsonReport(head, ctx.file);
  if (kind === undefined || kind === expected) return;
  const name = advisory === undefined ? (OTHER_JSON_NAMES[kind] ?? `${kind} output`) : ADVISORY_REPORT_NAMES[advisory];
  throw new ParseError(ctx.file, 1, `this looks like ${name}, not ${ADVISORY_REPORT_NAMES[expected]}`, { hint: REMEDY.formatIs(kind) });
}
