import { coberturaParser } from "./parsers/cobertura.js";
import { coveragepyParser } from "./parsers/coveragepy.js";
import { istanbulFinalParser } from "./parsers/istanbul-final.js";
import { istanbulSummaryParser } from "./parsers/istanbul-summary.js";
import { junitParser } from "./parsers/junit.js";
import { lcovParser } from "./parsers/lcov.js";
import { eslintParser } from "./parsers/eslint.js";
import { mypyParser } from "./parsers/mypy.js";
import { npmAuditParser } from "./parsers/npm-audit.js";
import { ruffParser } from "./parsers/ruff.js";
import { sarifParser } from "./parsers/sarif.js";
import { tscParser } from "./parsers/tsc.js";
import { osvParser } from "./parsers/osv.js";
import { pipAuditParser } from "./parsers/pip-audit.js";
import { cargoAuditParser } from "./parsers/cargo-audit.js";
import { govulncheckParser } from "./parsers/govulncheck.js";
import type { ReportFormat, ReportParser } from "./types.js";
import { formats, headForDetection } from "./detect.js";

// The library's registry: every parser loaded, looked up synchronously. The CLI detects through detect.ts, which
// loads only the parser a report needs; both follow detect.ts's order.
export { DETECT_BYTES, MAX_HEAD_BYTES, formats, headForDetection, identifyTool, isReportFormat } from "./detect.js";

const byFormat: Record<ReportFormat, ReportParser> = {
  junit: junitParser,
  cobertura: coberturaParser,
  coveragepy: coveragepyParser,
  "istanbul-final": istanbulFinalParser,
  "istanbul-summary": istanbulSummaryParser,
  "npm-audit": npmAuditParser,
  osv: osvParser,
  "pip-audit": pipAuditParser,
  "cargo-audit": cargoAuditParser,
  govulncheck: govulncheckParser,
  sarif: sarifParser,
  eslint: eslintParser,
  ruff: ruffParser,
  lcov: lcovParser,
  tsc: tscParser,
  mypy: mypyParser,
};

/** In detection order: the more specific content checks first. */
export const parsers: readonly ReportParser[] = formats.map((format) => byFormat[format]);

export function parserFor(format: ReportFormat): ReportParser {
  const parser = parsers.find((p) => p.format === format);
  if (!parser) throw new Error(`no parser for format ${format}`);
  return parser;
}

/** The parser whose `detect` accepts this head (the file's first bytes, up to `MAX_HEAD_BYTES`), or undefined. */
export function detectFormat(head: Buffer, path: string): ReportParser | undefined {
  const seen = headForDetection(head);
  return parsers.find((p) => {
    try {
      return p.detect(seen, path);
    } catch {
      return false;
    }
  });
}
