import { ParseError, REMEDY } from "../../errors.js";
import { isCount, isJsonObject, readJsonStream, refuseOtherJsonReport, sniffJson } from "../json-stream.js";
import type { JsonValue } from "../json-stream.js";
import type { Advisory, AdvisorySeverity, Diagnostic, ReportParser } from "../types.js";
import { SEVERITIES } from "../advisory.js";
import { isNpmAuditHead, isOsvScannerHead } from "../advisory-heads.js";

const HINT = "expected the output of `npm audit --json` (npm 6, or npm 7 and later); check the report path, or " + REMEDY.nameFormat;
const AUDIT_FAILED_HINT =
  "npm could not reach the registry's audit endpoint, so there is nothing to read: check `npm config get registry` " +
  "(mirrors and proxies often do not implement audits) and the network, run `npm audit --json` again and pass the new output";

function isAdvisorySeverity(value: JsonValue | undefined): value is AdvisorySeverity {
  return typeof value === "string" && (SEVERITIES as readonly string[]).includes(value);
}

type SeverityCounts = Record<AdvisorySeverity, number>;

const noCounts = (): SeverityCounts => ({ critical: 0, high: 0, moderate: 0, low: 0, info: 0 });

const total = (counts: SeverityCounts): number => SEVERITIES.reduce((sum, severity) => sum + counts[severity], 0);

/** `6 (3 high, 3 moderate)`: the total, then the severities that occur, most severe first. */
function formatCounts(counts: SeverityCounts): string {
  const parts = SEVERITIES.filter((severity) => counts[severity] > 0).map((severity) => `${counts[severity]} ${severity}`);
  return parts.length === 0 ? "0" : `${total(counts)} (${parts.join(", ")})`;
}

const sameCounts = (a: SeverityCounts, b: SeverityCounts): boolean => SEVERITIES.every((severity) => a[severity] === b[severity]);

const GHSA = /GHSA(-[23456789cfghjmpqrvwx]{4}){3}/i;

const strings = (value: JsonValue | undefined): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];

const unique = (values: string[]): string[] => [...new Set(values)];

interface AuditFailure {
  line: number;
  code?: string;
  summary?: string;
}

/** What npm says went wrong: the error's summary or code, else the top-level message (npm 10+ puts the HTTP error there). */
function describeFailure(failure: AuditFailure, message: string | undefined): string {
  const said = [failure.code, failure.summary || message].filter((part) => part !== undefined && part !== "");
  return said.length === 0 ? "npm printed an error object instead of a report" : said.join(": ");
}

export const npmAuditParser: ReportParser = {
  format: "npm-audit",
  description: "npm audit --json (npm 6, and npm 7 and later)",

  detect: (head) => isNpmAuditHead(head),

  async parse(stream, ctx) {
    const advisories: Advisory[] = [];
    const diagnostics: Diagnostic[] = [];
    // Advisories already read, by npm advisory number or url: npm 7+ repeats none, but a hand-merged report might.
    const seen = new Set<string>();
    const advisoryCounts = noCounts();
    // npm 7+: vulnerable packages by their own severity, which is what metadata.vulnerabilities counts.
    const packageCounts = noCounts();
    // npm 6: one per advisory and dependency path, which is what its metadata.vulnerabilities counts.
    const pathCounts = noCounts();
    // Packages vulnerable only through others: how many, the first few by name, and where the first is.
    const viaOnly = { count: 0, names: [] as string[], line: 0 };
    let shape: "v2" | "v1" | undefined;
    let reportVersion: JsonValue | undefined;
    let metadata: { line: number; counts: SeverityCounts; stated: string[] } | undefined;
    let failure: AuditFailure | undefined;
    let message: string | undefined;
    let entries = 0;
    let firstBad: { line: number; key: string; reason: string } | undefined;

    const bad = (line: number, key: string, reason: string): void => {
      firstBad ??= { line, key, reason };
      diagnostics.push({ level: "warning", code: "npm-audit.bad-entry", file: ctx.file, line, message: `skipped ${key}: ${reason}` });
    };

    const add = (advisory: Advisory, key: string): void => {
      if (seen.has(key)) return;
      seen.add(key);
      advisories.push(advisory);
      advisoryCounts[advisory.severity]++;
    };

    /** One `vulnerabilities` entry of npm 7+: a vulnerable package, with the advisories against it and the packages it is vulnerable through. */
    const readPackage = (key: string, value: JsonValue, line: number): void => {
      if (!isJsonObject(value)) return bad(line, `package ${JSON.stringify(key)}`, "it is not an object");
      const { via, severity, fixAvailable } = value;
      const name = typeof value.name === "string" ? value.name : key;
      if (!Array.isArray(via)) return bad(line, `package ${JSON.stringify(name)}`, 'it has no "via" list');
      if (!isAdvisorySeverity(severity)) return bad(line, `package ${JSON.stringify(name)}`, `its severity ${JSON.stringify(severity ?? null)} is not one npm uses`);
      packageCounts[severity]++;
      const sources = via.filter(isJsonObject);
      if (sources.length === 0) {
        // Vulnerable only because a dependency is: the advisories are counted at that dependency.
        if (viaOnly.count++ === 0) viaOnly.line = line;
        if (viaOnly.names.length < 5) viaOnly.names.push(name);
        return;
      }
      for (const source of sources) {
        const url = typeof source.url === "string" ? source.url : null;
        const number = typeof source.source === "number" || typeof source.source === "string" ? String(source.source) : undefined;
        const title = typeof source.title === "string" ? source.title.trim() : "";
        const ghsa = url === null ? undefined : GHSA.exec(url)?.[0];
        const id = ghsa ?? number ?? url;
        if (id === null) {
          bad(line, `an advisory of ${JSON.stringify(name)}`, 'it has neither "source" nor "url"');
          continue;
        }
        const advisorySeverity = isAdvisorySeverity(source.severity) ? source.severity : severity;
        if (!isAdvisorySeverity(source.severity)) {
          diagnostics.push({
            level: "warning",
            code: "npm-audit.unknown-severity",
            file: ctx.file,
            line,
            message: `advisory ${id} of ${JSON.stringify(name)} has severity ${JSON.stringify(source.severity ?? null)}; using the package's, ${severity}`,
          });
        }
        add(
          {
            id,
            aliases: ghsa !== undefined && number !== undefined ? [number] : [],
            package: typeof source.name === "string" ? source.name : name,
            // npm 7+ names the vulnerable range and node_modules paths, not the installed versions.
            versions: [],
            severity: advisorySeverity,
            title,
            url,
            fixAvailable: fixAvailable === false ? false : fixAvailable === undefined || fixAvailable === null ? null : true,
            ecosystem: "npm",
          },
          number ?? url ?? id,
        );
      }
    };

    /** One `advisories` entry of npm 6: an advisory with the installed versions and dependency paths it was found at. */
    const readAdvisory = (key: string, value: JsonValue, line: number): void => {
      if (!isJsonObject(value)) return bad(line, `advisory ${key}`, "it is not an object");
      const { module_name, severity, findings } = value;
      if (typeof module_name !== "string") return bad(line, `advisory ${key}`, 'it has no "module_name"');
      if (!isAdvisorySeverity(severity)) return bad(line, `advisory ${key}`, `its severity ${JSON.stringify(severity ?? null)} is not one npm uses`);
      const url = typeof value.url === "string" ? value.url : null;
      const number = typeof value.id === "number" || typeof value.id === "string" ? String(value.id) : key;
      const ghsa =
        typeof value.github_advisory_id === "string" && GHSA.test(value.github_advisory_id) ? value.github_advisory_id : url === null ? undefined : GHSA.exec(url)?.[0];
      const found = Array.isArray(findings) ? findings.filter(isJsonObject) : [];
      for (const finding of found) pathCounts[severity] += Array.isArray(finding.paths) ? finding.paths.length : 0;
      const patched = value.patched_versions;
      add(
        {
          id: ghsa ?? number,
          aliases: unique([...(ghsa === undefined ? [] : [number]), ...strings(value.cves)]),
          package: module_name,
          versions: unique(found.flatMap((finding) => (typeof finding.version === "string" ? [finding.version] : []))),
          severity,
          title: typeof value.title === "string" ? value.title.trim() : "",
          url,
          // npm 6 writes "<0.0.0" when no version is patched.
          fixAvailable: typeof patched === "string" ? patched !== "<0.0.0" : null,
          ecosystem: "npm",
        },
        number,
      );
    };

    const readMetadata = (value: JsonValue, line: number): void => {
      const vulnerabilities = isJsonObject(value) ? value.vulnerabilities : undefined;
      if (!isJsonObject(vulnerabilities)) return;
      const counts = noCounts();
      const stated = SEVERITIES.filter((severity) => isCount(vulnerabilities[severity]));
      for (const severity of stated) counts[severity] = vulnerabilities[severity] as number;
      metadata = { line, counts, stated };
    };

    const documentDiagnostics = await readJsonStream(stream, ctx, {
      paths: ["$.auditReportVersion", "$.vulnerabilities.*", "$.advisories.*", "$.metadata", "$.error", "$.message"],
      hint: HINT,
      onHead: (head) => {
        refuseOtherJsonReport(head, ctx, "npm-audit", HINT);
        // An npm 6 report without findings has an empty "advisories", so no entry tells its shape.
        const { keys } = sniffJson(head);
        if (!keys.includes("auditReportVersion") && keys.includes("advisories")) shape = "v1";
        if (isOsvScannerHead(head)) {
          throw new ParseError(ctx.file, 1, "this looks like OSV-Scanner JSON (osv-scanner --format json), not npm audit JSON", { hint: REMEDY.formatIs("osv") });
        }
      },
      onEntry: ({ path, value, line }) => {
        const [section, key] = path;
        switch (section) {
          case "auditReportVersion":
            reportVersion = value;
            shape ??= "v2";
            return;
          case "vulnerabilities":
            shape ??= "v2";
            entries++;
            return readPackage(String(key), value, line);
          case "advisories":
            shape ??= "v1";
            entries++;
            return readAdvisory(String(key), value, line);
          case "metadata":
            return readMetadata(value, line);
          case "message":
            if (typeof value === "string") message = value;
            return;
          case "error":
            failure = { line };
            if (isJsonObject(value)) {
              if (typeof value.code === "string") failure.code = value.code;
              if (typeof value.summary === "string") failure.summary = value.summary.trim();
            }
            return;
        }
      },
    });

    if (failure !== undefined && entries === 0) {
      throw new ParseError(ctx.file, failure.line, `the audit itself failed, npm wrote no report (${describeFailure(failure, message)})`, {
        hint: AUDIT_FAILED_HINT,
      });
    }
    if (shape === undefined) {
      throw new ParseError(ctx.file, undefined, 'the object has no "auditReportVersion", "vulnerabilities" or "advisories", which every npm audit JSON report has', {
        hint: HINT,
      });
    }
    if (entries > 0 && advisories.length === 0 && viaOnly.count === 0 && firstBad !== undefined) {
      const what = shape === "v2" ? "an npm audit package entry" : "an npm audit advisory";
      throw new ParseError(ctx.file, firstBad.line, `no entry is ${what}; the first, ${firstBad.key}: ${firstBad.reason}`, { hint: HINT });
    }
    diagnostics.push(...documentDiagnostics);
    if (reportVersion !== undefined && reportVersion !== 2) {
      diagnostics.push({
        level: "warning",
        code: "npm-audit.unknown-version",
        file: ctx.file,
        message: `auditReportVersion is ${JSON.stringify(reportVersion)}; shipgate knows version 2 and read it as such`,
      });
    }
    if (viaOnly.count > 0) {
      const one = viaOnly.count === 1;
      const named = viaOnly.names.join(", ") + (viaOnly.count > viaOnly.names.length ? `, and ${viaOnly.count - viaOnly.names.length} more` : "");
      diagnostics.push({
        level: "info",
        code: "npm-audit.via-only",
        file: ctx.file,
        line: viaOnly.line,
        message:
          `${viaOnly.count} vulnerable ${one ? "package is" : "packages are"} affected only through ${one ? "its" : "their"} dependencies (${named}): ` +
          `${one ? "it has no advisory" : "they have no advisories"} of ${one ? "its" : "their"} own, the advisories behind ${one ? "it" : "them"} are counted at the dependency they name`,
      });
    }
    if (metadata !== undefined) diagnostics.push(...crossCheck(ctx.file, shape, metadata, { advisoryCounts, packageCounts, pathCounts }));
    return { format: "npm-audit", tool: { name: "npm" }, tests: [], coverage: [], advisories, diagnostics };
  },
};

/**
 * Compares what shipgate counted with `metadata.vulnerabilities`, which never counts advisories: npm 7+ counts vulnerable
 * packages by their highest severity (including those vulnerable only through a dependency), npm 6 counts advisories
 * times dependency paths. Explains the difference, and warns when even npm's own unit does not add up (skipped entries).
 */
function crossCheck(
  file: string,
  shape: "v1" | "v2",
  metadata: { line: number; counts: SeverityCounts; stated: string[] },
  counted: { advisoryCounts: SeverityCounts; packageCounts: SeverityCounts; pathCounts: SeverityCounts },
): Diagnostic[] {
  const { line, counts } = metadata;
  const unit = shape === "v2" ? "vulnerable packages" : "vulnerable dependency paths";
  const how =
    shape === "v2"
      ? "each package once at its highest severity, including packages vulnerable only through a dependency"
      : "each advisory once per dependency path it was found at";
  const npmCount = shape === "v2" ? counted.packageCounts : counted.pathCounts;
  const diagnostics: Diagnostic[] = [];
  if (metadata.stated.length > 0 && !sameCounts(npmCount, counts)) {
    diagnostics.push({
      level: "warning",
      code: "npm-audit.metadata-mismatch",
      file,
      line,
      message: `metadata.vulnerabilities says ${formatCounts(counts)} ${unit}, but the entries read give ${formatCounts(npmCount)}; an entry may have been skipped or the report edited`,
    });
  }
  if (!sameCounts(counted.advisoryCounts, counts)) {
    diagnostics.push({
      level: "info",
      code: "npm-audit.counts-differ",
      file,
      line,
      message: `npm's metadata.vulnerabilities counts ${formatCounts(counts)} ${unit} (${how}); shipgate reports advisories, each once: ${formatCounts(counted.advisoryCounts)}`,
    });
  }
  return diagnostics;
}

