import { sniffJson } from "./json-stream.js";

// How each advisory format is recognised from a report's first bytes. Apart from the parsers, so that a parser
// and advisory.ts (which names the format a report really is) can ask about every format without importing
// each other.

/**
 * True when `head` starts `npm audit --json` output: the npm 7+ report (`auditReportVersion`), the npm 6 report
 * (`actions`, `advisories`, `muted`, `metadata`; `actions` can fill the first 4 KB on its own), or the error object npm
 * prints instead when the audit endpoint fails.
 */
export function isNpmAuditHead(head: Buffer): boolean {
  const { root, keys, childKeys } = sniffJson(head);
  if (root !== "object") return false;
  if (keys.includes("auditReportVersion")) return true;
  if (keys.includes("advisories") && (keys.includes("actions") || keys.includes("muted"))) return true;
  if (keys[0] === "actions" && /^\s*\{\s*"actions"\s*:\s*\[\s*\{\s*"(?:isMajor|action)"\s*:/.test(head.toString("utf8"))) return true;
  const error = childKeys.get("error") ?? [];
  return error.includes("summary") && (error.includes("code") || error.includes("detail"));
}

/**
 * True when `head` starts OSV-Scanner JSON output: a top-level `results` list whose entries begin with `source`
 * (`packageSource` before 1.0; `packages` when a tool sorted the keys), or an empty `results` next to
 * `experimental_config`, which 1.x and 2.x runs write.
 * Other tools also have a top-level `results` (Semgrep, Bandit), so the key alone is not enough.
 */
export function isOsvScannerHead(head: Buffer): boolean {
  const { root, keys } = sniffJson(head);
  if (root !== "object" || !keys.includes("results")) return false;
  const text = head.toString("utf8");
  if (/"results"\s*:\s*\[\s*\{\s*"(?:source|packageSource|packages)"\s*:\s*[[{]/.test(text)) return true;
  return /"results"\s*:\s*\[\s*\]/.test(text) && keys.includes("experimental_config");
}

/** `"dependencies": [{"name": "x", "version"|"skip_reason"…`, or `"dependencies": []`: pip-audit's key order. */
const DEPENDENCIES = /"dependencies"\s*:\s*\[\s*(?:\{\s*"name"\s*:\s*"(?:[^"\\\n]|\\.)*"\s*,\s*"(?:version|skip_reason)"|\])/;

/**
 * True when `head` starts `pip-audit --format json` output: the 2.x object whose `dependencies` list holds
 * `{"name", "version", "vulns"}` or `{"name", "skip_reason"}` entries (next to `fixes`), or the bare list pip-audit 1.x wrote.
 */
export function isPipAuditHead(head: Buffer): boolean {
  const { root, keys, childKeys } = sniffJson(head);
  if (root === "array") {
    const first = childKeys.get("0") ?? [];
    return first[0] === "name" && (first.includes("vulns") || first.includes("skip_reason"));
  }
  if (root !== "object" || keys[0] !== "dependencies") return false;
  const text = head.toString("utf8");
  const match = DEPENDENCIES.exec(text);
  if (match === null) return false;
  return !match[0].endsWith("]") || keys.includes("fixes");
}

/**
 * True when `head` starts `cargo audit --json` output: a `database` object with `advisory-count` (the first key cargo audit
 * writes), or a `vulnerabilities` object with `found` and `list` (npm audit's `vulnerabilities` is keyed by package name).
 */
export function isCargoAuditHead(head: Buffer): boolean {
  const { root, keys, childKeys } = sniffJson(head);
  if (root !== "object") return false;
  if (keys.includes("database") && (childKeys.get("database") ?? []).includes("advisory-count")) return true;
  const vulnerabilities = childKeys.get("vulnerabilities") ?? [];
  return vulnerabilities.includes("found") && vulnerabilities.includes("list") && !keys.includes("auditReportVersion");
}

/**
 * True when `head` starts govulncheck's JSON output: the stream of messages whose first is
 * `{"config": {"scanner_name": "govulncheck", …}}` (1.0 and later), or the single document of the 0.x releases,
 * `{"Calls": {"Functions": …}, "Imports", "Requires", "Vulns", "Modules"}`.
 */
export function isGovulncheckHead(head: Buffer): boolean {
  const { root, keys, childKeys } = sniffJson(head);
  if (root !== "object") return false;
  if (keys[0] === "config") return /^\s*\{\s*"config"\s*:\s*\{[^{}]*"scanner_name"\s*:\s*"govulncheck"/.test(head.toString("utf8"));
  if (keys[0] === "Calls") return (childKeys.get("Calls") ?? []).includes("Functions");
  return keys.includes("Vulns") && (keys.includes("Requires") || keys.includes("Modules"));
}
