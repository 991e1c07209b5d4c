import { Readable } from "node:stream";
import { ParseError, REMEDY, ShipgateError } from "../../errors.js";
import { createUnratedTally, firstLine, refuseOtherAdvisoryReport, stringsOf } from "../advisory.js";
import { isPipAuditHead } from "../advisory-heads.js";
import { isJsonObject, readJsonStream, sniffJson } from "../json-stream.js";
import type { JsonValue } from "../json-stream.js";
import type { Advisory, Diagnostic, ParseContext, ReportParser } from "../types.js";

const HINT = "expected the output of `pip-audit --format json` (pip-audit 2.x, or the list 1.x wrote); check the report path, or " + REMEDY.nameFormat;

/** The line pip-audit prints on stderr after a JSON report; it lands first in the file when stderr is redirected there too. */
const STDERR_SUMMARY = /^\s*(Found \d+ known vulnerabilit[^\n]*|No known vulnerabilities found[^\n]*)/;

/**
 * The stream again, after the first non-blank byte was seen: whether the top-level value is an array (the 1.x list)
 * decides which paths to read before the JSON reader starts.
 */
async function peekRoot(stream: Readable, file: string): Promise<{ root: "object" | "array"; rest: Readable }> {
  const iterator: AsyncIterator<Buffer | string> = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const seen: Buffer[] = [];
  let root: "object" | "array" = "object";
  for (;;) {
    const next = await iterator.next().catch((error: unknown) => {
      throw new ShipgateError("REPORT_NOT_FOUND", `[ingest] ${file}: cannot read the report: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    if (next.done === true) break;
    const chunk = typeof next.value === "string" ? Buffer.from(next.value) : next.value;
    seen.push(chunk);
    const at = chunk.findIndex((byte) => byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09);
    if (at !== -1) {
      root = chunk[at] === 0x5b ? "array" : "object";
      break;
    }
  }
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      yield* seen;
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return;
        yield typeof next.value === "string" ? Buffer.from(next.value) : next.value;
      }
    } finally {
      // The JSON reader stopped early (a refusal, data after the document): end the file stream too.
      await iterator.return?.();
    }
  }
  return { root, rest: Readable.from(replay()) };
}

function refuseStderrSummary(head: Buffer, ctx: ParseContext): void {
  const summary = STDERR_SUMMARY.exec(head.toString("utf8"))?.[1];
  if (summary === undefined) return;
  throw new ParseError(ctx.file, 1, `the file starts with pip-audit's summary line ("${summary.trim()}"), which pip-audit prints on stderr, not JSON`, {
    hint: "write only the JSON to the report: `pip-audit --format json --output FILE`, or redirect stdout alone (`> FILE`, not `> FILE 2>&1`)",
  });
}

export const pipAuditParser: ReportParser = {
  format: "pip-audit",
  description: "pip-audit --format json (PyPI advisories)",

  detect: (head) => isPipAuditHead(head),

  async parse(stream, ctx) {
    const advisories: Advisory[] = [];
    const diagnostics: Diagnostic[] = [];
    const seen = new Set<string>();
    const unrated = createUnratedTally("pip-audit.unknown-severity", "pip-audit's JSON carries no severity");
    const skipped: { names: string[]; count: number; line: number; reason: string } = { names: [], count: 0, line: 0, reason: "" };
    let hasDependencies = false;
    let dependencies = 0;
    let firstBad: { line: number; reason: string } | undefined;

    const bad = (line: number, key: string, reason: string): void => {
      firstBad ??= { line, reason: `${key}: ${reason}` };
      diagnostics.push({ level: "warning", code: "pip-audit.bad-entry", file: ctx.file, line, message: `skipped ${key}: ${reason}` });
    };

    /** One dependency: a name and version with its `vulns`, or a name with the reason pip-audit could not audit it. */
    const readDependency = (value: JsonValue, line: number): void => {
      if (!isJsonObject(value)) return bad(line, "a dependency", "it is not an object");
      const { name } = value;
      const version = typeof value.version === "string" ? value.version : undefined;
      if (typeof name !== "string") return bad(line, "a dependency", 'it has no "name"');
      if (typeof value.skip_reason === "string") {
        if (skipped.count++ === 0) {
          skipped.line = line;
          skipped.reason = value.skip_reason;
        }
        if (skipped.names.length < 5) skipped.names.push(name);
        return;
      }
      if (!Array.isArray(value.vulns)) return bad(line, `dependency ${JSON.stringify(name)}`, 'it has neither "vulns" nor "skip_reason"');
      dependencies++;
      const label = version === undefined ? name : `${name}@${version}`;
      for (const vuln of value.vulns) {
        if (!isJsonObject(vuln) || typeof vuln.id !== "string") {
          bad(line, `a vulnerability of ${label}`, 'it has no "id"');
          continue;
        }
        const { id } = vuln;
        const key = [name, version ?? "", id].join("\0");
        if (seen.has(key)) continue;
        seen.add(key);
        unrated.add(id, label, line);
        advisories.push({
          id,
          aliases: stringsOf(vuln.aliases).filter((alias) => alias !== id),
          package: name,
          versions: version === undefined ? [] : [version],
          severity: "moderate",
          title: firstLine(vuln.description) ?? id,
          url: `https://osv.dev/vulnerability/${id}`,
          fixAvailable: Array.isArray(vuln.fix_versions) ? vuln.fix_versions.length > 0 : null,
          ecosystem: "PyPI",
        });
      }
    };

    const { root, rest } = await peekRoot(stream, ctx.file);
    const documentDiagnostics = await readJsonStream(rest, ctx, {
      root,
      paths: root === "array" ? ["$.*"] : ["$.dependencies.*"],
      hint: HINT,
      onHead: (head) => {
        refuseStderrSummary(head, ctx);
        refuseOtherAdvisoryReport(head, ctx, "pip-audit");
        hasDependencies = root === "array" || sniffJson(head).keys.includes("dependencies");
      },
      onEntry: ({ value, line }) => {
        hasDependencies = true;
        readDependency(value, line);
      },
    });

    if (!hasDependencies) {
      throw new ParseError(ctx.file, undefined, 'the object has no "dependencies", which every pip-audit JSON report has', { hint: HINT });
    }
    if (dependencies === 0 && skipped.count === 0 && firstBad !== undefined) {
      throw new ParseError(ctx.file, firstBad.line, `no entry is a pip-audit dependency; the first, ${firstBad.reason}`, { hint: HINT });
    }
    diagnostics.push(...documentDiagnostics);
    const unratedWarning = unrated.diagnostic(ctx.file);
    if (unratedWarning !== undefined) diagnostics.push(unratedWarning);
    if (skipped.count > 0) {
      const named = skipped.names.join(", ") + (skipped.count > skipped.names.length ? `, and ${skipped.count - skipped.names.length} more` : "");
      diagnostics.push({
        level: "info",
        code: "pip-audit.skipped",
        file: ctx.file,
        line: skipped.line,
        message: `pip-audit could not audit ${skipped.count} ${skipped.count === 1 ? "dependency" : "dependencies"} (${named}; the first because: ${skipped.reason}); their vulnerabilities are unknown`,
      });
    }
    return { format: "pip-audit", tool: { name: "pip-audit" }, tests: [], coverage: [], advisories, diagnostics };
  },
};
