import { ParseError, REMEDY } from "../../errors.js";
import { classifyJsonReport, isJsonObject, readJsonStream, sniffJson } from "../json-stream.js";
import type { JsonObject, JsonReportKind, JsonValue } from "../json-stream.js";
import { createUnratedTally, SEVERITIES } from "../advisory.js";
import { isNpmAuditHead, isOsvScannerHead } from "../advisory-heads.js";
import type { Advisory, AdvisorySeverity, Diagnostic, ParseContext, ReportParser } from "../types.js";

const HINT = "expected the JSON output of OSV-Scanner (`osv-scanner --format json`); check the report path, or " + REMEDY.nameFormat;

/** Other JSON reports, named in the refusal, with what to do instead. Partial: a kind added later is named by its format. */
const OTHER_REPORTS: Partial<Record<JsonReportKind, { name: string; hint: string }>> = {
  "istanbul-summary": { name: "istanbul coverage-summary.json", hint: REMEDY.formatIs("istanbul-summary") },
  "istanbul-final": { name: "istanbul coverage-final.json", hint: REMEDY.formatIs("istanbul-final") },
  coveragepy: { name: "coverage.py JSON (coverage json)", hint: REMEDY.formatIs("coveragepy") },
  eslint: { name: "ESLint JSON output", hint: HINT },
  "npm-audit": { name: "npm audit JSON", hint: REMEDY.formatIs("npm-audit") },
  sarif: { name: "a SARIF log", hint: `shipgate reads advisories from \`osv-scanner --format json\`; for a SARIF log, ${REMEDY.formatIs("sarif")}` },
};

/**
 * The CVSS v3.0/v3.1 base score of a vector such as `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H` (9.8), or undefined
 * when it is not a complete v3 base vector. The FIRST specification's formula, with its Roundup.
 */
export function cvss3BaseScore(vector: string): number | undefined {
  const body = /^CVSS:3\.[01]\/(.+)$/.exec(vector.trim())?.[1];
  if (body === undefined) return undefined;
  const metrics = new Map(body.split("/").map((part) => part.split(":") as [string, string | undefined]));
  const scope = metrics.get("S");
  if (scope !== "U" && scope !== "C") return undefined;
  const changed = scope === "C";
  const pick = (metric: string, weights: Record<string, number>): number | undefined => {
    const value = metrics.get(metric);
    return value === undefined ? undefined : weights[value];
  };
  const impactWeights = { H: 0.56, L: 0.22, N: 0 };
  const av = pick("AV", { N: 0.85, A: 0.62, L: 0.55, P: 0.2 });
  const ac = pick("AC", { L: 0.77, H: 0.44 });
  const pr = pick("PR", { N: 0.85, L: changed ? 0.68 : 0.62, H: changed ? 0.5 : 0.27 });
  const ui = pick("UI", { N: 0.85, R: 0.62 });
  const c = pick("C", impactWeights);
  const i = pick("I", impactWeights);
  const a = pick("A", impactWeights);
  if (av === undefined || ac === undefined || pr === undefined || ui === undefined || c === undefined || i === undefined || a === undefined) return undefined;
  const iss = 1 - (1 - c) * (1 - i) * (1 - a);
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * (iss - 0.02) ** 15 : 6.42 * iss;
  if (impact <= 0) return 0;
  const exploitability = 8.22 * av * ac * pr * ui;
  return roundUp(Math.min((changed ? 1.08 : 1) * (impact + exploitability), 10));
}

/** CVSS v3.1 Roundup: the smallest one-decimal number ≥ the input, immune to floating-point noise. */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100000);
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10;
}

/** The npm-style rating of a CVSS base score, as OSV-Scanner's table rates it. */
export function severityOfScore(score: number): AdvisorySeverity {
  if (score >= 9) return "critical";
  if (score >= 7) return "high";
  if (score >= 4) return "moderate";
  return score > 0 ? "low" : "info";
}

/** `database_specific.severity` as GitHub's advisory database writes it (CRITICAL, HIGH, MODERATE, LOW; some feeds say MEDIUM). */
function severityOfLabel(label: JsonValue | undefined): AdvisorySeverity | undefined {
  if (typeof label !== "string") return undefined;
  const lower = label.trim().toLowerCase();
  if (lower === "medium") return "moderate";
  return (SEVERITIES as readonly string[]).includes(lower) ? (lower as AdvisorySeverity) : undefined;
}

const mostSevere = (a: AdvisorySeverity | undefined, b: AdvisorySeverity | undefined): AdvisorySeverity | undefined =>
  a === undefined ? b : b === undefined ? a : SEVERITIES.indexOf(a) <= SEVERITIES.indexOf(b) ? a : b;

/**
 * A group's severity: OSV-Scanner's own `max_severity` (the highest CVSS base score of the group's records), else
 * `recordsSeverity` of its records.
 */
function groupSeverity(group: JsonObject, records: JsonObject[]): AdvisorySeverity | undefined {
  const max = group.max_severity;
  const stated = typeof max === "number" ? max : typeof max === "string" && max.trim() !== "" ? Number(max) : Number.NaN;
  if (Number.isFinite(stated)) return severityOfScore(stated);
  return recordsSeverity(records);
}

/**
 * The severity OSV records state: the highest `database_specific.severity` (GitHub's label), else the highest CVSS v3
 * base score computed from their `severity[]` vectors, else undefined (Go's database, malicious-package records).
 */
export function recordsSeverity(records: JsonObject[]): AdvisorySeverity | undefined {
  let label: AdvisorySeverity | undefined;
  for (const record of records) {
    if (isJsonObject(record.database_specific)) label = mostSevere(label, severityOfLabel(record.database_specific.severity));
  }
  if (label !== undefined) return label;
  let score: number | undefined;
  for (const record of records) {
    for (const rating of Array.isArray(record.severity) ? record.severity.filter(isJsonObject) : []) {
      const computed = rating.type === "CVSS_V3" && typeof rating.score === "string" ? cvss3BaseScore(rating.score) : undefined;
      if (computed !== undefined) score = Math.max(score ?? 0, computed);
    }
  }
  return score === undefined ? undefined : severityOfScore(score);
}

/**
 * Whether the records list a fixed version for this package: true when an `affected` range of the package has a `fixed`
 * event, false when the package is affected with no fix listed, null when no record names the package.
 */
export function fixListed(records: JsonObject[], name: string): boolean | null {
  let affected = false;
  for (const record of records) {
    for (const entry of Array.isArray(record.affected) ? record.affected.filter(isJsonObject) : []) {
      if (!isJsonObject(entry.package) || entry.package.name !== name) continue;
      affected = true;
      for (const range of Array.isArray(entry.ranges) ? entry.ranges.filter(isJsonObject) : []) {
        if (Array.isArray(range.events) && range.events.some((event) => isJsonObject(event) && typeof event.fixed === "string")) return true;
      }
    }
  }
  return affected ? false : null;
}

/** The record's one-line title: its summary, else the first line of its details. */
export function titleOf(record: JsonObject | undefined, id: string): string {
  if (typeof record?.summary === "string" && record.summary.trim() !== "") return record.summary.trim();
  const details = typeof record?.details === "string" ? record.details.split("\n").find((line) => line.trim() !== "" && !/^[-=_\s]+$/.test(line)) : undefined;
  return details === undefined ? id : details.trim().slice(0, 200);
}

const strings = (value: JsonValue | undefined): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string" && item !== "") : [];

function refuseOtherReport(head: Buffer, ctx: ParseContext): void {
  const kind = isNpmAuditHead(head) ? "npm-audit" : classifyJsonReport(head, ctx.file);
  if (kind === undefined) return;
  const { name, hint } = OTHER_REPORTS[kind] ?? { name: `${kind} output`, hint: REMEDY.formatIs(kind) };
  throw new ParseError(ctx.file, 1, `this looks like ${name}, not OSV-Scanner JSON (osv-scanner --format json)`, { hint });
}

export const osvParser: ReportParser = {
  format: "osv",
  description: "OSV-Scanner JSON output (osv-scanner --format json)",

  detect: (head) => isOsvScannerHead(head),

  async parse(stream, ctx) {
    const advisories: Advisory[] = [];
    const diagnostics: Diagnostic[] = [];
    // Package version + group lead id of every advisory so far: a package version found in two lockfiles is one advisory.
    const seen = new Set<string>();
    const unrated = createUnratedTally("osv.unknown-severity", "no max_severity, database_specific.severity or CVSS v3 vector");
    let hasResults = false;
    let emptyResults = false;
    let sources = 0;
    let packages = 0;
    let duplicates = 0;
    let firstBad: { line: number; key: string; reason: string } | undefined;

    const bad = (line: number, key: string, reason: string): void => {
      firstBad ??= { line, key, reason };
      diagnostics.push({ level: "warning", code: "osv.bad-entry", file: ctx.file, line, message: `skipped ${key}: ${reason}` });
    };

    /** One `results[].packages[]` entry: a package version, its OSV records, and the groups OSV-Scanner made of them. */
    const readPackage = (value: JsonValue, line: number): void => {
      if (!isJsonObject(value)) return bad(line, "a package entry", "it is not an object");
      const info = value.package;
      if (!isJsonObject(info) || typeof info.name !== "string") return bad(line, "a package entry", 'it has no "package.name"');
      packages++;
      const { name } = info;
      const version = typeof info.version === "string" ? info.version : undefined;
      const ecosystem = typeof info.ecosystem === "string" ? info.ecosystem : null;
      const label = version === undefined ? name : `${name}@${version}`;
      const records = Array.isArray(value.vulnerabilities) ? value.vulnerabilities.filter(isJsonObject) : [];
      const byId = new Map<string, JsonObject>();
      for (const record of records) if (typeof record.id === "string") byId.set(record.id, record);
      let groups = Array.isArray(value.groups) ? value.groups.filter(isJsonObject) : [];
      if (groups.length === 0 && byId.size > 0) {
        // Written by an OSV-Scanner without groups (early 1.x), or edited: every record stands alone.
        diagnostics.push({
          level: "warning",
          code: "osv.no-groups",
          file: ctx.file,
          line,
          message: `${label} lists vulnerabilities without "groups"; each is counted on its own, so aliases of one vulnerability may count twice`,
        });
        groups = [...byId.keys()].map((id) => ({ ids: [id] }));
      }
      for (const group of groups) {
        const ids = strings(group.ids);
        const [id] = ids;
        if (id === undefined) {
          bad(line, `a group of ${label}`, 'it has no "ids"');
          continue;
        }
        const members = ids.map((member) => byId.get(member)).filter((record) => record !== undefined);
        const key = [ecosystem, name, version, id].join("\0");
        if (seen.has(key)) {
          duplicates++;
          continue;
        }
        seen.add(key);
        let severity = groupSeverity(group, members);
        if (severity === undefined) {
          unrated.add(id, label, line);
          severity = "moderate";
        }
        advisories.push({
          id,
          aliases: [...new Set([...ids, ...strings(group.aliases), ...members.flatMap((record) => strings(record.aliases))])].filter((alias) => alias !== id),
          package: name,
          versions: version === undefined ? [] : [version],
          severity,
          title: titleOf(members[0], id),
          url: `https://osv.dev/vulnerability/${id}`,
          fixAvailable: fixListed(members, name),
          ecosystem,
        });
      }
    };

    const documentDiagnostics = await readJsonStream(stream, ctx, {
      paths: ["$.results.*.source", "$.results.*.packages.*"],
      hint: HINT,
      onHead: (head) => {
        refuseOtherReport(head, ctx);
        hasResults = sniffJson(head).keys.includes("results");
        emptyResults = /"results"\s*:\s*\[\s*\]/.test(head.toString("utf8"));
      },
      onEntry: ({ path, value, line }) => {
        hasResults = true;
        if (path[2] === "packages") readPackage(value, line);
        else if (isJsonObject(value) && typeof value.path === "string") sources++;
        else bad(line, `the source of result ${String(path[1])}`, 'it has no "path"');
      },
    });

    if (!hasResults) {
      throw new ParseError(ctx.file, undefined, 'the object has no "results", which every OSV-Scanner JSON report has', { hint: HINT });
    }
    if (sources === 0 && packages === 0 && firstBad === undefined && !emptyResults) {
      throw new ParseError(ctx.file, undefined, 'no entry of "results" has a "source" or "packages", as OSV-Scanner\'s do: this is another tool\'s report', {
        hint: HINT,
      });
    }
    if (packages === 0 && firstBad !== undefined) {
      throw new ParseError(ctx.file, firstBad.line, `no entry is an OSV-Scanner package entry; the first, ${firstBad.key}: ${firstBad.reason}`, { hint: HINT });
    }
    diagnostics.push(...documentDiagnostics);
    const unratedWarning = unrated.diagnostic(ctx.file);
    if (unratedWarning !== undefined) diagnostics.push(unratedWarning);
    if (duplicates > 0) {
      diagnostics.push({
        level: "info",
        code: "osv.duplicate",
        file: ctx.file,
        message: `${duplicates} ${duplicates === 1 ? "advisory was" : "advisories were"} listed again for the same package version under another source; each is counted once`,
      });
    }
    return { format: "osv", tool: { name: "osv-scanner" }, tests: [], coverage: [], advisories, diagnostics };
  },
};
