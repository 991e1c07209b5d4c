import type { IngestResult } from "./types.js";
import { detach } from "./xml.js";

/**
 * The most characters shipgate keeps of one field of one report row. A report's value is copied into
 * every row that names it (one file path into each of its findings, one suite path into each test), so
 * an unbounded value multiplies: a 1 MB ESLint `filePath` with 400 messages made a 630 MB store.
 * Each limit is far above what a real tool writes (Linux PATH_MAX is 4096 bytes); documented in docs/limits.md.
 */
export const FIELD_LIMITS = {
  /** File paths and URLs. */
  path: 4096,
  /** Finding, failure and advisory messages and titles. */
  message: 4096,
  /** Test, suite and class names; package names. */
  name: 1024,
  /** A test's whole suite path (the names joined), which is part of its identity. */
  suitePath: 4096,
  /** Rule ids, tool names and versions, advisory ids and aliases, ecosystems. */
  id: 256,
  /** The flagged line's text a finding carries (its fingerprint reads the first line). */
  snippet: 1024,
  /** A diagnostic's message (some quote the report's values). */
  diagnostic: 1024,
  /** Aliases or installed versions listed for one advisory. */
  list: 100,
} as const;

type Field = keyof typeof FIELD_LIMITS;

/** What each field is called in the diagnostic that says it was cut. */
const FIELD_NAMES: Record<Field, string> = {
  path: "path(s) or URL(s)",
  message: "message(s) or title(s)",
  name: "test, suite, class or package name(s)",
  suitePath: "suite path(s)",
  id: "rule id(s), tool name(s) or advisory id(s)",
  snippet: "source snippet(s)",
  diagnostic: "diagnostic message(s)",
  list: "advisory alias or version list(s)",
};

/**
 * Cuts every string field of `result` to `FIELD_LIMITS` (in place) and shares one copy of each repeated
 * path, adding one `ingest.field-truncated` warning per kind of field that was cut. Linear in the number
 * of fields; a field within its limit costs a length check.
 */
export function boundResult(result: IngestResult, file: string): IngestResult {
  const cut = new Map<Field, number>();
  const interned = new Map<string, string>();
  const cap = (field: Field, value: string): string => {
    const limit = FIELD_LIMITS[field];
    if (value.length <= limit) return value;
    cut.set(field, (cut.get(field) ?? 0) + 1);
    return detach(value.slice(0, limit));
  };
  // One string per distinct path (and one cut, counted once): a SARIF log repeats its artifact URI in each
  // result, each a separate copy.
  // Keyed by the value as written: V8 keeps a string's hash, so the same string in 400 rows is hashed once.
  const path = (value: string): string => {
    const seen = interned.get(value);
    if (seen !== undefined) return seen;
    const bounded = cap("path", value);
    interned.set(value, bounded);
    return bounded;
  };
  const capList = (field: Field, values: string[]): string[] => {
    const kept = values.length > FIELD_LIMITS.list ? values.slice(0, FIELD_LIMITS.list) : values;
    if (kept !== values) cut.set("list", (cut.get("list") ?? 0) + 1);
    return kept.map((value) => cap(field, value));
  };

  // Cases of one suite share their suite path array (see the junit parser): bound each array once.
  const suites = new Map<string[], string[]>();
  const suitePath = (suite: string[]): string[] => {
    let bounded = suites.get(suite);
    if (bounded === undefined) {
      bounded = [];
      let budget = FIELD_LIMITS.suitePath;
      for (const name of suite) {
        const kept = cap("name", name);
        if (kept.length > budget) {
          cut.set("suitePath", (cut.get("suitePath") ?? 0) + 1);
          bounded.push(detach(kept.slice(0, budget)));
          break;
        }
        bounded.push(kept);
        budget -= kept.length;
      }
      suites.set(suite, bounded);
    }
    return bounded;
  };

  // Only fields that are set are touched: a row keeps its shape (no key added as undefined).
  for (const tc of result.tests) {
    if (tc.file !== undefined) tc.file = path(tc.file);
    tc.suite = suitePath(tc.suite);
    if (tc.classname !== undefined) tc.classname = cap("name", tc.classname);
    tc.name = cap("name", tc.name);
    if (tc.message !== undefined) tc.message = cap("message", tc.message);
  }
  for (const fc of result.coverage) {
    fc.path = path(fc.path);
    if (fc.roots !== undefined) fc.roots = fc.roots.map((root) => path(root));
  }
  for (const finding of result.findings ?? []) {
    finding.tool = cap("id", finding.tool);
    if (finding.ruleId !== null) finding.ruleId = cap("id", finding.ruleId);
    finding.message = cap("message", finding.message);
    if (finding.file !== null) finding.file = path(finding.file);
    if (finding.snippet !== undefined) finding.snippet = cap("snippet", finding.snippet);
  }
  for (const advisory of result.advisories ?? []) {
    advisory.id = cap("id", advisory.id);
    advisory.aliases = capList("id", advisory.aliases);
    advisory.package = cap("name", advisory.package);
    advisory.versions = capList("id", advisory.versions);
    advisory.title = cap("message", advisory.title);
    if (advisory.url !== null) advisory.url = path(advisory.url);
    if (advisory.ecosystem !== null) advisory.ecosystem = cap("id", advisory.ecosystem);
  }
  if (result.tool !== undefined) {
    result.tool.name = cap("id", result.tool.name);
    if (result.tool.version !== undefined) result.tool.version = cap("id", result.tool.version);
  }
  for (const diagnostic of result.diagnostics) diagnostic.message = cap("diagnostic", diagnostic.message);

  for (const [field, count] of cut) {
    const limit = field === "list" ? `${FIELD_LIMITS.list} entries` : `${FIELD_LIMITS[field]} characters`;
    result.diagnostics.push({
      level: "warning",
      code: "ingest.field-truncated",
      file,
      message: `${count} ${FIELD_NAMES[field]} longer than ${limit} were cut to that length (shipgate stores at most that much of one field)`,
    });
  }
  return result;
}
