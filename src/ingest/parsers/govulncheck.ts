import { ParseError, REMEDY } from "../../errors.js";
import { createUnratedTally, refuseOtherAdvisoryReport, stringsOf } from "../advisory.js";
import { isGovulncheckHead } from "../advisory-heads.js";
import { isCount, isJsonObject, readJsonStream, sniffJson } from "../json-stream.js";
import type { JsonObject, JsonValue } from "../json-stream.js";
import type { Advisory, Diagnostic, ReportParser } from "../types.js";
import { fixListed, recordsSeverity, titleOf } from "./osv.js";

const HINT = "expected the output of `govulncheck -format json` (or `-json`); check the report path, or " + REMEDY.nameFormat;

/**
 * How far govulncheck traced a vulnerability into the code: the module is required (0), one of its vulnerable packages is
 * imported (1), one of its vulnerable functions is called (2). Its text output says "Your code is affected by N
 * vulnerabilities" for those at the scan's level (`-scan symbol`, the default: called) and mentions the rest apart.
 */
type Reach = 0 | 1 | 2;
const REACH_OF_SCAN_LEVEL: Record<string, Reach> = { module: 0, package: 1, symbol: 2 };

/** One vulnerability in one module version, with how far the findings about it reached. */
interface Reached {
  id: string;
  module: string;
  version: string | undefined;
  reach: Reach;
  fixed: boolean | null;
  line: number;
}

export const govulncheckParser: ReportParser = {
  format: "govulncheck",
  description: "govulncheck -format json (Go vulnerability database; counts what the code calls)",

  detect: (head) => isGovulncheckHead(head),

  async parse(stream, ctx) {
    const diagnostics: Diagnostic[] = [];
    const records = new Map<string, JsonObject>();
    const reached = new Map<string, Reached>();
    // 0.x documents name a module's version only in Requires.Modules, by module number.
    const legacyVersions = new Map<number, string>();
    let legacy = false;
    let config: JsonObject | undefined;
    let messages = 0;
    let firstBad: { line: number; reason: string } | undefined;

    const bad = (line: number, key: string, reason: string): void => {
      firstBad ??= { line, reason: `${key}: ${reason}` };
      diagnostics.push({ level: "warning", code: "govulncheck.bad-entry", file: ctx.file, line, message: `skipped ${key}: ${reason}` });
    };

    const reach = (id: string, module: string, version: string | undefined, level: Reach, fixed: boolean | null, line: number): void => {
      const key = [id, module, version].join("\0");
      const known = reached.get(key);
      if (known === undefined) reached.set(key, { id, module, version, reach: level, fixed, line });
      else {
        known.reach = Math.max(known.reach, level) as Reach;
        if (fixed !== null) known.fixed = (known.fixed ?? false) || fixed;
      }
    };

    /** A 1.x `finding`: the OSV id, the fixed version, and a trace whose first frame is the vulnerable symbol, package or module. */
    const readFinding = (value: JsonValue, line: number): void => {
      if (!isJsonObject(value) || typeof value.osv !== "string") return bad(line, "a finding", 'it has no "osv" id');
      const [frame] = Array.isArray(value.trace) ? value.trace.filter(isJsonObject) : [];
      if (frame === undefined || typeof frame.module !== "string") return bad(line, `the finding of ${value.osv}`, 'its trace names no "module"');
      const level: Reach = typeof frame.function === "string" ? 2 : typeof frame.package === "string" ? 1 : 0;
      const fixed = typeof value.fixed_version === "string" && value.fixed_version !== "";
      reach(value.osv, frame.module, typeof frame.version === "string" ? frame.version : undefined, level, fixed, line);
    };

    /** A 0.x `Vulns` entry: one vulnerable symbol, with the call, import and require graph nodes that reach it (0 when none). */
    const readLegacyVuln = (value: JsonValue, line: number): void => {
      if (!isJsonObject(value) || !isJsonObject(value.OSV) || typeof value.OSV.id !== "string") return bad(line, "a Vulns entry", 'it has no "OSV.id"');
      const record = value.OSV;
      const id = record.id as string;
      records.set(id, record);
      const module = typeof value.ModPath === "string" ? value.ModPath : undefined;
      if (module === undefined) return bad(line, `the Vulns entry of ${id}`, 'it has no "ModPath"');
      const sink = (key: string): boolean => isCount(value[key]) && value[key] > 0;
      const level: Reach = sink("CallSink") ? 2 : sink("ImportSink") ? 1 : 0;
      const version = isCount(value.RequireSink) ? legacyVersions.get(value.RequireSink) : undefined;
      reach(id, module, version, level, fixListed([record], module), line);
    };

    const documentDiagnostics = await readJsonStream(stream, ctx, {
      sequence: true,
      paths: ["$.config", "$.progress", "$.SBOM.go_version", "$.osv", "$.finding", "$.Requires.Modules.*", "$.Vulns.*"],
      hint: HINT,
      onHead: (head) => {
        refuseOtherAdvisoryReport(head, ctx, "govulncheck");
        const { keys } = sniffJson(head);
        legacy = keys[0] !== "config" && (keys.includes("Calls") || keys.includes("Vulns"));
      },
      onEntry: ({ path, value, line }) => {
        messages++;
        switch (path[0]) {
          case "config":
            if (isJsonObject(value)) config ??= value;
            return;
          case "osv":
            if (isJsonObject(value) && typeof value.id === "string") records.set(value.id, value);
            else bad(line, "an osv message", 'it has no "id"');
            return;
          case "finding":
            return readFinding(value, line);
          case "Requires":
            if (isJsonObject(value) && isCount(value.ID) && typeof value.Version === "string") legacyVersions.set(value.ID, value.Version);
            return;
          case "Vulns":
            return readLegacyVuln(value, line);
        }
      },
    });

    if (!legacy && config === undefined) {
      throw new ParseError(ctx.file, undefined, 'the first message is not govulncheck\'s {"config": …}, which every govulncheck JSON report starts with', { hint: HINT });
    }
    if (!legacy && messages === 1) {
      throw new ParseError(ctx.file, undefined, "the report holds only govulncheck's config message: the scan stopped before it began (govulncheck printed why on stderr)", {
        hint: "fix what govulncheck reported (often a package that does not build) and run `govulncheck -format json ./...` again",
      });
    }
    if (reached.size === 0 && firstBad !== undefined) {
      throw new ParseError(ctx.file, firstBad.line, `no entry is a govulncheck finding; the first, ${firstBad.reason}`, { hint: HINT });
    }
    diagnostics.push(...documentDiagnostics);

    const scanLevel = typeof config?.scan_level === "string" ? config.scan_level : "symbol";
    const counted = REACH_OF_SCAN_LEVEL[scanLevel] ?? 2;
    const unrated = createUnratedTally("govulncheck.unknown-severity", "the Go vulnerability database rates none; no database_specific.severity or CVSS v3 vector");
    const advisories: Advisory[] = [];
    // govulncheck's summary counts vulnerabilities, not modules: an id is imported-only when no module of it is reached further.
    const furthest = new Map<string, Reach>();
    for (const { id, reach: level } of reached.values()) furthest.set(id, Math.max(furthest.get(id) ?? 0, level) as Reach);
    const apart = { imported: new Set<string>(), required: new Set<string>() };
    for (const [id, level] of furthest) if (level < counted) (level === 1 ? apart.imported : apart.required).add(id);
    for (const { id, module, version, reach: level, fixed, line } of reached.values()) {
      if (level < counted) continue;
      const record = records.get(id);
      let severity = record === undefined ? undefined : recordsSeverity([record]);
      const label = version === undefined ? module : `${module}@${version}`;
      if (severity === undefined) {
        unrated.add(id, label, line);
        severity = "moderate";
      }
      const databaseUrl = isJsonObject(record?.database_specific) ? record.database_specific.url : undefined;
      advisories.push({
        id,
        aliases: stringsOf(record?.aliases).filter((alias) => alias !== id),
        package: module,
        versions: version === undefined ? [] : [version],
        severity,
        title: titleOf(record, id),
        url: typeof databaseUrl === "string" ? databaseUrl : `https://pkg.go.dev/vuln/${id}`,
        fixAvailable: fixed,
        ecosystem: "Go",
      });
    }
    const unratedWarning = unrated.diagnostic(ctx.file);
    if (unratedWarning !== undefined) diagnostics.push(unratedWarning);
    const notReached = [
      apart.imported.size > 0 && counted > 1 ? `${vulnerabilities(apart.imported.size)} in packages you import` : "",
      apart.required.size > 0 && counted > 0 ? `${vulnerabilities(apart.required.size)} in modules you require` : "",
    ].filter((part) => part !== "");
    if (notReached.length > 0) {
      diagnostics.push({
        level: "info",
        code: "govulncheck.not-called",
        file: ctx.file,
        message:
          `govulncheck also found ${notReached.join(" and ")}, but ${counted === 2 ? "your code doesn't appear to call" : "your code doesn't appear to import"} ` +
          `${apart.imported.size + apart.required.size === 1 ? "it" : "them"}: not counted, as govulncheck's own summary leaves them out (scan level ${scanLevel})`,
      });
    }
    const version = typeof config?.scanner_version === "string" ? config.scanner_version : undefined;
    return { format: "govulncheck", tool: version === undefined ? { name: "govulncheck" } : { name: "govulncheck", version }, tests: [], coverage: [], advisories, diagnostics };
  },
};

const vulnerabilities = (n: number): string => `${n} ${n === 1 ? "vulnerability" : "vulnerabilities"}`;
