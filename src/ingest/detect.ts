import type { ProducingTool, ReportFormat, ReportParser } from "./types.js";
import { xmlRootOffset } from "./xml.js";

// Detection without loading every parser. A command reads one or two formats, yet importing all sixteen
// parsers (and the JSON tokenizer most of them share) cost ~140 M instructions of every `shipgate assess`.
// Here each format has a cheap necessary condition on the head; a parser module is imported only when its
// condition holds, and then its own `detect` decides. So the answer is always the parser's own, in the
// registry's order (registry.ts, which still loads every parser for the library API, is built from this order).

/** How many bytes each parser's `detect` sees. */
export const DETECT_BYTES = 4096;
/**
 * How far into a file detection looks for an XML root element that a long prolog (XML declaration,
 * comments, processing instructions, DOCTYPE) pushes past the first `DETECT_BYTES`. Documented in docs/limits.md.
 */
export const MAX_HEAD_BYTES = 65536;

/** Each format's parser, imported on first use. The record's type makes the list complete. */
const LOADERS: Record<ReportFormat, () => Promise<ReportParser>> = {
  junit: async () => (await import("./parsers/junit.js")).junitParser,
  cobertura: async () => (await import("./parsers/cobertura.js")).coberturaParser,
  coveragepy: async () => (await import("./parsers/coveragepy.js")).coveragepyParser,
  "istanbul-final": async () => (await import("./parsers/istanbul-final.js")).istanbulFinalParser,
  "istanbul-summary": async () => (await import("./parsers/istanbul-summary.js")).istanbulSummaryParser,
  "npm-audit": async () => (await import("./parsers/npm-audit.js")).npmAuditParser,
  osv: async () => (await import("./parsers/osv.js")).osvParser,
  "pip-audit": async () => (await import("./parsers/pip-audit.js")).pipAuditParser,
  "cargo-audit": async () => (await import("./parsers/cargo-audit.js")).cargoAuditParser,
  govulncheck: async () => (await import("./parsers/govulncheck.js")).govulncheckParser,
  sarif: async () => (await import("./parsers/sarif.js")).sarifParser,
  eslint: async () => (await import("./parsers/eslint.js")).eslintParser,
  ruff: async () => (await import("./parsers/ruff.js")).ruffParser,
  lcov: async () => (await import("./parsers/lcov.js")).lcovParser,
  tsc: async () => (await import("./parsers/tsc.js")).tscParser,
  mypy: async () => (await import("./parsers/mypy.js")).mypyParser,
};

/**
 * The formats in detection order (the more specific content checks first), each with a condition its parser's
 * `detect` cannot be true without. A format without one always has its parser loaded when detection reaches it.
 */
const DETECTION: readonly { format: ReportFormat; mayBe?: (head: Buffer) => boolean }[] = [
  // Both detects test a regex for the element name on the head's first 4 KB.
  { format: "junit", mayBe: (head) => head.includes("<testsuite") },
  { format: "cobertura", mayBe: (head) => head.includes("<coverage") },
  // Every JSON detect needs a top-level object or array from the JSON tokenizer (json-stream.ts `sniffJson`).
  { format: "coveragepy", mayBe: mayBeJson },
  { format: "istanbul-final", mayBe: mayBeJson },
  { format: "istanbul-summary", mayBe: mayBeJson },
  { format: "npm-audit", mayBe: mayBeJson },
  { format: "osv", mayBe: mayBeJson },
  { format: "pip-audit", mayBe: mayBeJson },
  { format: "cargo-audit", mayBe: mayBeJson },
  { format: "govulncheck", mayBe: mayBeJson },
  { format: "sarif", mayBe: mayBeJson },
  { format: "eslint", mayBe: mayBeJson },
  { format: "ruff", mayBe: mayBeJson },
  { format: "lcov" },
  { format: "tsc" },
  { format: "mypy" },
];

/** Every format, in detection order. */
export const formats: readonly ReportFormat[] = DETECTION.map((d) => d.format);

export function isReportFormat(value: string): value is ReportFormat {
  return (formats as readonly string[]).includes(value);
}

/** The parser of `format`, its module imported on first use. */
export function loadParser(format: ReportFormat): Promise<ReportParser> {
  return LOADERS[format]();
}

/**
 * The parser whose `detect` accepts this head (the file's first bytes, up to `MAX_HEAD_BYTES`), or undefined:
 * the same answer as registry.ts `detectFormat`, importing only the parsers whose condition the head meets.
 */
export async function detectParser(head: Buffer, path: string): Promise<ReportParser | undefined> {
  const seen = headForDetection(head);
  for (const { format, mayBe } of DETECTION) {
    if (mayBe !== undefined && !mayBe(seen)) continue;
    const parser = await loadParser(format);
    try {
      if (parser.detect(seen, path)) return parser;
    } catch {
      // A detect that throws says no, as in registry.ts.
    }
  }
  return undefined;
}

/**
 * False when no JSON token can start the head, so the JSON tokenizer fails at once and no detect that needs a
 * top-level object or array can hold. The tokenizer skips a UTF-8 byte-order mark and JSON white space; it only
 * lexes (a `,` or a scalar may come before a `{` it still reports), so a head that starts with any token passes.
 */
const JSON_TOKEN_START = new Set([..."{}[]:,\"-tfn"].map((c) => c.charCodeAt(0)));

function mayBeJson(head: Buffer): boolean {
  for (const byte of head) {
    // White space (tab, LF, CR, space) and the bytes of a byte-order mark (EF BB BF), wherever the tokenizer takes them.
    if (byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0x20 || byte === 0xef || byte === 0xbb || byte === 0xbf) continue;
    // { } [ ] : , " - 0-9 t(rue) f(alse) n(ull)
    return JSON_TOKEN_START.has(byte) || (byte >= 0x30 && byte <= 0x39);
  }
  return false;
}

/**
 * What `detect` sees of a file's head (up to `MAX_HEAD_BYTES`): its first `DETECT_BYTES`, or, for XML whose
 * root element starts later than a quarter of that (behind a long comment or DOCTYPE), `DETECT_BYTES` from the root element on.
 */
export function headForDetection(head: Buffer): Buffer {
  const first = head.subarray(0, DETECT_BYTES);
  if (head.length <= DETECT_BYTES / 4) return first;
  const root = xmlRootOffset(head.toString("latin1", 0, MAX_HEAD_BYTES));
  return root <= DETECT_BYTES / 4 ? first : head.subarray(root, root + DETECT_BYTES);
}

/**
 * The producing tool when the report's first bytes say so. A best effort for provenance: formats
 * rarely name their writer, and a wrong guess is worse than none, so each rule is a specific marker.
 */
export function identifyTool(head: Buffer, format: ReportFormat): ProducingTool | undefined {
  const seen = headForDetection(head);
  const first = head.toString("utf8", 0, Math.min(head.length, DETECT_BYTES));
  // A root element behind a long prolog: the prolog's comments (gcovr) and the root's attributes (vitest) both name tools.
  const text = seen.byteOffset === head.byteOffset ? first : `${first}\n${seen.toString("utf8")}`;
  const rules: [RegExp, string, RegExp?][] = [
    [/<testsuites[^>]*name="vitest tests"/, "vitest"],
    [/<testsuites[^>]*name="jest tests"/, "jest"],
    [/<testsuite[^>]*name="pytest"/, "pytest"],
    [/<testsuites[^>]*name="Mocha Tests"/, "mocha"],
    [/maven\.apache\.org\/surefire/, "maven-surefire", /version="([\d.]+[^"]*)"/],
    [/Generated by coverage\.py/, "coverage.py", /coverage\.readthedocs\.io\/en\/([\d.]+)/],
    [/<!-- Generated by gcovr|gcovr/, "gcovr", /version="gcovr ([\d.]+)"/],
  ];
  for (const [marker, name, versionPattern] of rules) {
    if (!marker.test(text)) continue;
    const version = versionPattern?.exec(text)?.[1];
    return version ? { name, version } : { name };
  }
  if (format === "lcov" && /^VER:/m.test(text)) return { name: "lcov" };
  return undefined;
}
