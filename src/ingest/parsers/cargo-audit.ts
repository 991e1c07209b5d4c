import { ParseError, REMEDY } from "../../errors.js";
import { createUnratedTally, refuseOtherAdvisoryReport, stringsOf } from "../advisory.js";
import { isCargoAuditHead } from "../advisory-heads.js";
import { isCount, isJsonObject, readJsonStream, sniffJson } from "../json-stream.js";
import type { JsonObject, JsonValue } from "../json-stream.js";
import type { Advisory, AdvisorySeverity, Diagnostic, ReportParser } from "../types.js";
import { cvss3BaseScore, severityOfScore } from "./osv.js";

const HINT = "expected the output of `cargo audit --json`; check the report path, or " + REMEDY.nameFormat;

/** A RustSec advisory's rating: the CVSS v3 base score of its vector; a v4 vector or none gives undefined. */
function severityOf(advisory: JsonObject): AdvisorySeverity | undefined {
  const score = typeof advisory.cvss === "string" ? cvss3BaseScore(advisory.cvss) : undefined;
  return score === undefined ? undefined : severityOfScore(score);
}

const rustsecUrl = (id: string): string => `https://rustsec.org/advisories/${id}.html`;

export const cargoAuditParser: ReportParser = {
  format: "cargo-audit",
  description: "cargo audit --json (RustSec advisories for Cargo.lock)",

  detect: (head) => isCargoAuditHead(head),

  async parse(stream, ctx) {
    const advisories: Advisory[] = [];
    const diagnostics: Diagnostic[] = [];
    const seen = new Set<string>();
    const unrated = createUnratedTally("cargo-audit.unknown-severity", "no CVSS v3 vector; RustSec rates many advisories with none, or with CVSS v4 only");
    // Informational warnings (unmaintained, unsound, notice) with an advisory, by kind; yanked crates, which have none.
    const informational = new Map<string, number>();
    const yanked: string[] = [];
    let yankedLine = 0;
    let statedCount: { value: number; line: number } | undefined;
    let hasVulnerabilities = false;
    let entries = 0;
    let firstBad: { line: number; reason: string } | undefined;

    const bad = (line: number, key: string, reason: string): void => {
      firstBad ??= { line, reason: `${key}: ${reason}` };
      diagnostics.push({ level: "warning", code: "cargo-audit.bad-entry", file: ctx.file, line, message: `skipped ${key}: ${reason}` });
    };

    const add = (advisory: Advisory): void => {
      const key = [advisory.id, advisory.package, ...advisory.versions].join("\0");
      if (seen.has(key)) return;
      seen.add(key);
      advisories.push(advisory);
    };

    /** One entry of `vulnerabilities.list` or of a `warnings` kind: a crate version and the advisory against it. */
    const readEntry = (value: JsonValue, line: number, warningKind: string | undefined): void => {
      const where = warningKind === undefined ? "a vulnerability" : `a ${warningKind} warning`;
      if (!isJsonObject(value)) return bad(line, where, "it is not an object");
      const crate = value.package;
      if (!isJsonObject(crate) || typeof crate.name !== "string") return bad(line, where, 'it has no "package.name"');
      const version = typeof crate.version === "string" ? crate.version : undefined;
      const label = version === undefined ? crate.name : `${crate.name}@${version}`;
      const advisory = isJsonObject(value.advisory) ? value.advisory : undefined;
      if (advisory === undefined || typeof advisory.id !== "string") {
        if (warningKind === undefined) return bad(line, `the vulnerability of ${label}`, 'it has no "advisory.id"');
        // A yanked crate has no advisory: cargo audit only says the registry withdrew that version.
        if (yanked.length === 0) yankedLine = line;
        yanked.push(label);
        return;
      }
      const { id } = advisory;
      const isInformational = warningKind !== undefined || (advisory.informational !== null && advisory.informational !== undefined);
      let severity: AdvisorySeverity | undefined = isInformational ? "info" : severityOf(advisory);
      if (severity === undefined) {
        unrated.add(id, label, line);
        severity = "moderate";
      }
      if (isInformational) {
        const kind = typeof advisory.informational === "string" ? advisory.informational : (warningKind ?? "informational");
        informational.set(kind, (informational.get(kind) ?? 0) + 1);
      }
      const versions = isJsonObject(value.versions) ? value.versions : undefined;
      const title = typeof advisory.title === "string" && advisory.title.trim() !== "" ? advisory.title.trim() : id;
      add({
        id,
        aliases: stringsOf(advisory.aliases).filter((alias) => alias !== id),
        package: crate.name,
        versions: version === undefined ? [] : [version],
        severity,
        title,
        url: rustsecUrl(id),
        fixAvailable: versions === undefined || !Array.isArray(versions.patched) ? null : versions.patched.length > 0,
        ecosystem: "crates.io",
      });
    };

    const documentDiagnostics = await readJsonStream(stream, ctx, {
      paths: ["$.vulnerabilities.count", "$.vulnerabilities.list.*", "$.warnings.*.*"],
      hint: HINT,
      onHead: (head) => {
        refuseOtherAdvisoryReport(head, ctx, "cargo-audit");
        hasVulnerabilities = sniffJson(head).keys.includes("vulnerabilities");
      },
      onEntry: ({ path, value, line }) => {
        const [section, key] = path;
        if (section === "vulnerabilities") {
          hasVulnerabilities = true;
          if (key === "count") {
            if (isCount(value)) statedCount = { value, line };
            return;
          }
          entries++;
          return readEntry(value, line, undefined);
        }
        entries++;
        readEntry(value, line, String(key));
      },
    });

    if (!hasVulnerabilities) {
      throw new ParseError(ctx.file, undefined, 'the object has no "vulnerabilities", which every cargo audit JSON report has', { hint: HINT });
    }
    if (entries > 0 && advisories.length === 0 && yanked.length === 0 && firstBad !== undefined) {
      throw new ParseError(ctx.file, firstBad.line, `no entry is a cargo audit vulnerability; the first, ${firstBad.reason}`, { hint: HINT });
    }
    diagnostics.push(...documentDiagnostics);
    const unratedWarning = unrated.diagnostic(ctx.file);
    if (unratedWarning !== undefined) diagnostics.push(unratedWarning);
    const vulnerabilities = advisories.filter((advisory) => advisory.severity !== "info").length;
    if (statedCount !== undefined && statedCount.value !== vulnerabilities) {
      diagnostics.push({
        level: "warning",
        code: "cargo-audit.count-mismatch",
        file: ctx.file,
        line: statedCount.line,
        message: `vulnerabilities.count says ${statedCount.value}, but the list read gives ${vulnerabilities}; an entry may have been skipped or the report edited`,
      });
    }
    if (informational.size > 0) {
      const total = [...informational.values()].reduce((sum, n) => sum + n, 0);
      const kinds = [...informational].map(([kind, n]) => `${n} ${kind}`).join(", ");
      diagnostics.push({
        level: "info",
        code: "cargo-audit.informational",
        file: ctx.file,
        message: `${total} informational ${total === 1 ? "warning" : "warnings"} (${kinds}) ${total === 1 ? "is" : "are"} kept with severity info: not vulnerabilities, not counted`,
      });
    }
    if (yanked.length > 0) {
      const named = yanked.slice(0, 5).join(", ") + (yanked.length > 5 ? `, and ${yanked.length - 5} more` : "");
      diagnostics.push({
        level: "info",
        code: "cargo-audit.yanked",
        file: ctx.file,
        line: yankedLine,
        message: `${yanked.length} yanked crate ${yanked.length === 1 ? "version" : "versions"} in Cargo.lock (${named}): cargo audit warns about ${yanked.length === 1 ? "it" : "them"}; not vulnerabilities, not counted`,
      });
    }
    return { format: "cargo-audit", tool: { name: "cargo-audit" }, tests: [], coverage: [], advisories, diagnostics };
  },
};
