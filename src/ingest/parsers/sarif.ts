import { FIELD_LIMITS } from "../bound-result.js";
import { ParseError, REMEDY } from "../../errors.js";
import { classifyJsonReport, isCount, isJsonObject, readJsonStream, refuseOtherFindingReport } from "../json-stream.js";
import type { JsonObject, JsonValue } from "../json-stream.js";
import type { Diagnostic, Finding, FindingKind, FindingLevel, ProducingTool, ReportParser } from "../types.js";
import { isRuffSecurityRule } from "./ruff.js";

const HINT = "expected a SARIF 2.1.0 log (`--format sarif` of ESLint, CodeQL, Semgrep, ruff, …); check the report path, or " + REMEDY.nameFormat;

/** Drivers whose every rule is a security rule (SAST tools), by the start of `tool.driver.name`, lower-cased. */
const SAST_TOOLS = [
  "codeql",
  "semgrep",
  "opengrep",
  "bandit",
  "gosec",
  "brakeman",
  "findsecbugs",
  "snyk",
  "checkmarx",
  "fortify",
  "njsscan",
  "nodejsscan",
  "horusec",
  "devskim",
  "security code scan",
  "sobelow",
  "bearer",
  "gitleaks",
  "trufflehog",
  "trivy",
  "tfsec",
  "checkov",
  "kics",
  "binskim",
  "flawfinder",
];

/** Linters with a security rule family among their rules, by driver name: so a ruff `S` rule is security in SARIF as in ruff's JSON. */
const SECURITY_RULES: Record<string, (ruleId: string) => boolean> = {
  ruff: isRuffSecurityRule,
  clang: (ruleId) => ruleId.startsWith("security."),
};

const MAX_NOTIFICATIONS = 20;

type SarifLevel = FindingLevel | "none";
const LEVELS: ReadonlySet<string> = new Set<SarifLevel>(["error", "warning", "note", "none"]);

/** What a result needs from its rule (`reportingDescriptor`). */
interface RuleInfo {
  level: SarifLevel | undefined;
  isSecurity: boolean;
  messageStrings: Map<string, string> | undefined;
}

/** `tool.driver` or one of `tool.extensions`. */
interface ToolComponent {
  name: string | undefined;
  version: string | undefined;
  /** By position, for `ruleIndex`. */
  rules: (RuleInfo | undefined)[];
  byId: Map<string, RuleInfo>;
}

/**
 * The first physical location of a result or notification, its fields kept in the record that has it rather than
 * in objects of their own: a run's results are all kept until the run ends, and every object kept is copied by
 * the garbage collector as the heap grows.
 */
interface Place {
  /** `artifactLocation.uri`, `.uriBaseId`, `.index`: the file, resolved when the run's base ids and artifacts are all read. */
  uri: string | undefined;
  uriBaseId: string | undefined;
  artifactIndex: number | undefined;
  line: number | null;
  column: number | null;
  snippet: string | undefined;
}

/** A result as read, waiting for its run's rules and base URIs, which may come later in the document. */
interface PendingResult extends Place {
  ruleId: string | null;
  ruleIndex: number | undefined;
  /** `result.rule.toolComponent`: which extension holds the rule, when not the driver. */
  component: { index: number | undefined; name: string | undefined } | undefined;
  level: string | undefined;
  /** The message's `text` or `markdown`; undefined when it is a template of the rule's, filled from `message` once the rules are read. */
  text: string | undefined;
  message: JsonObject | undefined;
  suppressed: boolean;
  isSecurity: boolean;
  reportLine: number;
}

interface ArtifactRef {
  uri: string | undefined;
  uriBaseId: string | undefined;
  index: number | undefined;
}

interface Notification extends Place {
  level: string;
  text: string;
  reportLine: number;
}

interface RunState {
  index: number;
  driver: ToolComponent;
  extensions: ToolComponent[];
  baseIds: JsonObject | undefined;
  artifacts: (ArtifactRef | undefined)[];
  results: PendingResult[];
  notifications: Notification[];
  failed: boolean;
  /** Paths of the URIs `locate` resolved, by `uriBaseId` then `uri`: filled in finishRun, when the bases are all read. */
  paths: Map<string | undefined, Map<string, string>>;
}

const newComponent = (): ToolComponent => ({ name: undefined, version: undefined, rules: [], byId: new Map() });

const isPositive = (value: JsonValue | undefined): value is number => isCount(value) && value > 0;

const hasSecurityTag = (value: JsonValue | undefined): boolean =>
  isJsonObject(value) && Array.isArray(value.tags) && value.tags.some((tag) => typeof tag === "string" && tag.toLowerCase() === "security");

function readRule(value: JsonValue): { id: string | undefined; rule: RuleInfo } {
  if (!isJsonObject(value)) return { id: undefined, rule: { level: undefined, isSecurity: false, messageStrings: undefined } };
  const config = value.defaultConfiguration;
  const level = isJsonObject(config) && typeof config.level === "string" && LEVELS.has(config.level) ? (config.level as SarifLevel) : undefined;
  let messageStrings: Map<string, string> | undefined;
  if (isJsonObject(value.messageStrings)) {
    messageStrings = new Map();
    for (const [key, string] of Object.entries(value.messageStrings)) {
      if (isJsonObject(string) && typeof string.text === "string") messageStrings.set(key, string.text);
    }
  }
  return { id: typeof value.id === "string" ? value.id : undefined, rule: { level, isSecurity: hasSecurityTag(value.properties), messageStrings } };
}

function readArtifactLocation(value: JsonValue | undefined): ArtifactRef | undefined {
  if (!isJsonObject(value)) return undefined;
  const ref = {
    uri: typeof value.uri === "string" ? value.uri : undefined,
    uriBaseId: typeof value.uriBaseId === "string" ? value.uriBaseId : undefined,
    index: isCount(value.index) ? value.index : undefined,
  };
  return ref.uri === undefined && ref.index === undefined ? undefined : ref;
}

/** Fills `place` (created with no location) from the first physical location of a result or notification. */
function readPhysicalLocation(place: Place, locations: JsonValue | undefined): void {
  const first = Array.isArray(locations) ? locations[0] : undefined;
  const physical = isJsonObject(first) ? first.physicalLocation : undefined;
  if (!isJsonObject(physical)) return;
  const artifact = physical.artifactLocation;
  if (isJsonObject(artifact)) {
    place.uri = typeof artifact.uri === "string" ? artifact.uri : undefined;
    place.uriBaseId = typeof artifact.uriBaseId === "string" ? artifact.uriBaseId : undefined;
    place.artifactIndex = isCount(artifact.index) ? artifact.index : undefined;
  }
  const region = physical.region;
  if (!isJsonObject(region)) return;
  if (isPositive(region.startLine)) {
    place.line = region.startLine;
    if (isPositive(region.startColumn)) place.column = region.startColumn;
  }
  if (isJsonObject(region.snippet) && typeof region.snippet.text === "string") place.snippet = region.snippet.text;
}

/**
 * Suppressed when any suppression is accepted: its `status` is "accepted" or absent (§3.34.3). One under review
 * or rejected does not suppress: the result still counts until someone accepts it.
 */
const isSuppressed = (suppressions: JsonValue | undefined): boolean =>
  Array.isArray(suppressions) && suppressions.some((entry) => isJsonObject(entry) && (entry.status === undefined || entry.status === "accepted"));

function readResult(value: JsonValue, reportLine: number): PendingResult | string {
  if (!isJsonObject(value)) return "it is not an object";
  const { message, rule } = value;
  if (!isJsonObject(message)) return 'it has no "message"';
  // SARIF 2.1.0 §3.27.9: any kind but "fail" (pass, open, review, informational, notApplicable) is not a problem.
  if (typeof value.kind === "string" && value.kind !== "fail") return "";
  // Most results have no `rule` object: no empty stand-in is made for them.
  const reference = isJsonObject(rule) ? rule : undefined;
  const toolComponent = reference !== undefined && isJsonObject(reference.toolComponent) ? reference.toolComponent : undefined;
  const ruleId = typeof value.ruleId === "string" ? value.ruleId : typeof reference?.id === "string" ? reference.id : null;
  const ruleIndex = isCount(value.ruleIndex) ? value.ruleIndex : isCount(reference?.index) ? reference.index : undefined;
  // The message object is kept only when it is a template: a text needs no rule (messageText's first cases).
  const text = typeof message.text === "string" ? message.text : typeof message.markdown === "string" ? message.markdown : undefined;
  const result: PendingResult = {
    ruleId,
    ruleIndex,
    component:
      toolComponent === undefined
        ? undefined
        : { index: isCount(toolComponent.index) ? toolComponent.index : undefined, name: typeof toolComponent.name === "string" ? toolComponent.name : undefined },
    level: typeof value.level === "string" ? value.level : undefined,
    text,
    message: text === undefined ? message : undefined,
    uri: undefined,
    uriBaseId: undefined,
    artifactIndex: undefined,
    line: null,
    column: null,
    snippet: undefined,
    suppressed: isSuppressed(value.suppressions),
    isSecurity: hasSecurityTag(value.properties),
    reportLine,
  };
  readPhysicalLocation(result, value.locations);
  return result;
}

function readNotification(value: JsonValue, reportLine: number): Notification | undefined {
  if (!isJsonObject(value)) return undefined;
  // A notification's level defaults to "warning" (§3.58.6); notes ("Analyzing target…") are chatter.
  const level = typeof value.level === "string" ? value.level : "warning";
  if (level !== "error" && level !== "warning") return undefined;
  const text = isJsonObject(value.message) && typeof value.message.text === "string" ? value.message.text : "(no message)";
  const notification: Notification = { level, text, reportLine, uri: undefined, uriBaseId: undefined, artifactIndex: undefined, line: null, column: null, snippet: undefined };
  readPhysicalLocation(notification, value.locations);
  return notification;
}

/** The rule a result refers to: by index, then by id, in the tool component the result names (the driver by default). */
function findRule(run: RunState, result: PendingResult): RuleInfo | undefined {
  let component = run.driver;
  if (result.component !== undefined) {
    const { index, name } = result.component;
    const named = index !== undefined ? run.extensions[index] : run.extensions.find((extension) => extension.name === name);
    if (named !== undefined) component = named;
  }
  if (result.ruleIndex !== undefined) {
    const rule = component.rules[result.ruleIndex];
    if (rule !== undefined) return rule;
  }
  if (result.ruleId === null) return undefined;
  // A hierarchical id ("CA2101/1") refers to its rule ("CA2101") when no rule has the full id (§3.27.5).
  // Real ids have a level or two; trying every "/" of a long id hashed it once per level (quadratic).
  for (let id = result.ruleId, levels = 0; levels < MAX_RULE_ID_LEVELS; levels++) {
    // The named component, then the driver and the extensions, without building a list of them per result.
    const rule = component.byId.get(id) ?? run.driver.byId.get(id) ?? findInExtensions(run.extensions, id);
    if (rule !== undefined) return rule;
    const slash = id.lastIndexOf("/");
    if (slash <= 0) return undefined;
    id = id.slice(0, slash);
  }
  return undefined;
}

const MAX_RULE_ID_LEVELS = 16;

function findInExtensions(extensions: ToolComponent[], id: string): RuleInfo | undefined {
  for (const extension of extensions) {
    const rule = extension.byId.get(id);
    if (rule !== undefined) return rule;
  }
  return undefined;
}

/** The message text, from `text`, `markdown`, or the rule's `messageStrings[id]` with `{0}`… filled from `arguments`. */
function messageText(message: JsonObject | undefined, rule: RuleInfo | undefined, ruleId: string | null): string {
  if (message === undefined) return ruleId ?? "(no message)";
  if (typeof message.text === "string") return message.text;
  if (typeof message.markdown === "string") return message.markdown;
  const template = typeof message.id === "string" ? rule?.messageStrings?.get(message.id) : undefined;
  if (template === undefined) return ruleId ?? "(no message)";
  const args = Array.isArray(message.arguments) ? message.arguments : [];
  // Filled up to the stored length only: a template repeating "{0}" with a long argument multiplied it.
  let length = 0;
  return template.replace(/\{(\d+)\}/g, (whole, n: string) => {
    const arg = args[Number(n)];
    const text = typeof arg === "string" ? arg : whole;
    if (length > FIELD_LIMITS.message) return "";
    length += text.length;
    return text;
  });
}

const SCHEME = /^[a-z][a-z0-9+.-]*:/i;
// "C:/x" or "C:\x": a Windows path some writers put where a URI belongs; its "scheme" is a drive letter.
const DRIVE = /^[a-z]:[/\\]/i;
const isAbsolute = (uri: string): boolean => uri.startsWith("/") || DRIVE.test(uri) || SCHEME.test(uri);

/**
 * `uri` resolved against `uriBaseId` through `run.originalUriBaseIds`, recursively (a base may itself be
 * relative to another base). A base the log does not define, or defines without a `uri` (§3.14.14 NOTE 1),
 * leaves the path relative: relative to the report's working directory, as the pipeline takes it.
 */
function resolveUri(uri: string, uriBaseId: string | undefined, baseIds: JsonObject | undefined, seen: string[] = []): string | { cycle: string[] } {
  if (uriBaseId === undefined || isAbsolute(uri)) return uri;
  if (seen.includes(uriBaseId)) return { cycle: [...seen, uriBaseId] };
  const base = baseIds?.[uriBaseId];
  if (!isJsonObject(base) || typeof base.uri !== "string") return uri;
  const resolvedBase = resolveUri(base.uri, typeof base.uriBaseId === "string" ? base.uriBaseId : undefined, baseIds, [...seen, uriBaseId]);
  if (typeof resolvedBase !== "string") return resolvedBase;
  const prefix = resolvedBase.endsWith("/") || resolvedBase === "" ? resolvedBase : `${resolvedBase}/`;
  if (SCHEME.test(prefix) && !DRIVE.test(prefix)) {
    try {
      return new URL(uri, prefix).href;
    } catch {
      return prefix + uri;
    }
  }
  return prefix + uri;
}

/** True when `uriBaseId` names a base of `baseIds` with a `uri`, which resolveUri puts before a relative URI. */
function hasBase(baseIds: JsonObject | undefined, uriBaseId: string | undefined): boolean {
  if (uriBaseId === undefined) return false;
  const base = baseIds?.[uriBaseId];
  return isJsonObject(base) && typeof base.uri === "string";
}

/** A URI as a path: `file://` URIs decoded (drive letters and UNC hosts kept), relative references percent-decoded. */
function uriToPath(uri: string): string {
  if (/^file:/i.test(uri)) {
    try {
      const url = new URL(uri);
      let path = decodeURIComponent(url.pathname);
      if (/^\/[a-z]:/i.test(path)) path = path.slice(1);
      return url.host === "" ? path : `//${url.host}${path}`;
    } catch {
      return uri;
    }
  }
  if (SCHEME.test(uri) && !DRIVE.test(uri)) return uri;
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

function isSastTool(name: string): boolean {
  const lower = name.toLowerCase();
  return SAST_TOOLS.some((tool) => lower.startsWith(tool));
}

export const sarifParser: ReportParser = {
  format: "sarif",
  description: "SARIF 2.1.0 log of any static-analysis tool",

  detect: (head, path) => classifyJsonReport(head, path) === "sarif",

  async parse(stream, ctx) {
    const findings: Finding[] = [];
    const diagnostics: Diagnostic[] = [];
    let tool: ProducingTool | undefined;
    let run: RunState | undefined;
    let runs = 0;
    let emptyRunsLine: number | undefined;
    let firstBad: { line: number; reason: string } | undefined;
    let notifications = 0;
    const left = { kind: 0, none: 0 };
    const badLevels = new Set<string>();

    const locate = (current: RunState, place: Place): string | null => {
      // An artifactLocation may name only an index into run.artifacts (§3.4.5).
      const artifact = place.uri !== undefined || place.artifactIndex === undefined ? place : current.artifacts[place.artifactIndex];
      const uri = artifact?.uri;
      if (uri === undefined) return null;
      const uriBaseId = artifact?.uriBaseId;
      // Most logs name each file by a relative path with no base the log defines: the path is the URI as written,
      // which resolveUri and uriToPath would return unchanged (no "%" to decode, no ":" of a scheme or drive).
      // Such URIs skip the map below: a log of a hundred thousand files would only fill it.
      if (!hasBase(current.baseIds, uriBaseId) && !uri.includes("%") && !uri.includes(":")) return uri;
      // A log names the same few files in result after result: each (base, uri) is resolved once per run.
      // Only resolved paths are kept, so a cycle's diagnostic is still written at every reference.
      let paths = current.paths.get(uriBaseId);
      if (paths === undefined) {
        paths = new Map();
        current.paths.set(uriBaseId, paths);
      }
      const known = paths.get(uri);
      if (known !== undefined) return known;
      const resolved = resolveUri(uri, uriBaseId, current.baseIds);
      if (typeof resolved !== "string") {
        diagnostics.push({
          level: "warning",
          code: "sarif.uri-base-cycle",
          file: ctx.file,
          message: `run ${current.index}: originalUriBaseIds refer to each other in a cycle (${resolved.cycle.join(" → ")}); ${JSON.stringify(uri)} is left unresolved`,
        });
        return uriToPath(uri);
      }
      const path = uriToPath(resolved);
      paths.set(uri, path);
      return path;
    };

    const finishRun = (current: RunState): void => {
      const name = current.driver.name ?? "sarif";
      const version = current.driver.version;
      tool ??= version === undefined ? { name } : { name, version };
      const sast = isSastTool(name);
      const familyRule = SECURITY_RULES[name.toLowerCase()];
      for (const result of current.results) {
        const rule = findRule(current, result);
        const raw = result.level ?? rule?.level ?? "warning";
        let level: SarifLevel = "warning";
        if (LEVELS.has(raw)) level = raw as SarifLevel;
        else badLevels.add(raw);
        if (level === "none") {
          left.none++;
          continue;
        }
        const isSecurity =
          sast || result.isSecurity || rule?.isSecurity === true || (familyRule !== undefined && result.ruleId !== null && familyRule(result.ruleId));
        const kind: FindingKind = isSecurity ? "security" : "lint";
        const finding: Finding = {
          tool: name,
          kind,
          ruleId: result.ruleId,
          level,
          message: result.text ?? messageText(result.message, rule, result.ruleId),
          file: locate(current, result),
          line: result.line,
          column: result.column,
          reportLine: result.reportLine,
        };
        if (result.snippet !== undefined) finding.snippet = result.snippet;
        if (result.suppressed) finding.suppressed = true;
        findings.push(finding);
      }
      if (current.failed) {
        diagnostics.push({
          level: "warning",
          code: "sarif.execution-failed",
          file: ctx.file,
          message: `${name} says its run did not complete (invocations[].executionSuccessful is false): its findings may be incomplete`,
        });
      }
      for (const notification of current.notifications) {
        if (notifications++ >= MAX_NOTIFICATIONS) continue;
        const file = locate(current, notification);
        const where = file === null ? "" : ` (${file}${notification.line === null ? "" : `:${notification.line}`})`;
        diagnostics.push({
          level: "warning",
          code: "sarif.tool-notification",
          file: ctx.file,
          line: notification.reportLine,
          message: `${name} reported ${notification.level === "error" ? "an error" : "a warning"}, not a result: ${notification.text}${where}`,
        });
      }
    };

    const runAt = (index: number): RunState => {
      if (run?.index === index) return run;
      if (run !== undefined) finishRun(run);
      runs++;
      run = { index, driver: newComponent(), extensions: [], baseIds: undefined, artifacts: [], results: [], notifications: [], failed: false, paths: new Map() };
      return run;
    };

    const documentDiagnostics = await readJsonStream(stream, ctx, {
      paths: [
        "$.version",
        "$.runs.*.tool.driver.name",
        "$.runs.*.tool.driver.version",
        "$.runs.*.tool.driver.semanticVersion",
        "$.runs.*.tool.driver.rules.*",
        "$.runs.*.tool.extensions.*.name",
        "$.runs.*.tool.extensions.*.rules.*",
        "$.runs.*.originalUriBaseIds",
        "$.runs.*.artifacts.*.location",
        "$.runs.*.results.*",
        "$.runs.*.invocations.*.executionSuccessful",
        "$.runs.*.invocations.*.toolExecutionNotifications.*",
        "$.runs.*.invocations.*.toolConfigurationNotifications.*",
      ],
      hint: HINT,
      onHead: (head) => {
        refuseOtherFindingReport(head, ctx, "sarif");
        const empty = /"runs"\s*:\s*(?:\[\s*\]|null)/.exec(head.toString("utf8"));
        if (empty !== null) emptyRunsLine = head.subarray(0, empty.index).toString("utf8").split("\n").length;
      },
      onEntry: ({ path, value, line }) => {
        // Read by index: destructuring with a rest element walks an iterator and builds an array per entry.
        const section = path[0];
        const runIndex = path[1];
        const part = path[2];
        if (section === "version") {
          if (typeof value !== "string" || !value.startsWith("2.1.0")) {
            throw new ParseError(ctx.file, line, `this is SARIF version ${JSON.stringify(value)}; shipgate reads SARIF 2.1.0`, {
              hint: "have the tool write SARIF 2.1.0 (most tools do since 2019), or convert the log with the SARIF SDK (`sarif transform --sarif-output-version Current`)",
            });
          }
          return;
        }
        if (typeof runIndex !== "number") return;
        const current = runAt(runIndex);
        if (part === "tool") {
          const componentKind = path[3];
          const component = componentKind === "driver" ? current.driver : (current.extensions[Number(path[4])] ??= newComponent());
          const field = componentKind === "driver" ? path[4] : path[5];
          if (field === "rules") {
            const { id, rule } = readRule(value);
            component.rules[Number(path[path.length - 1])] = rule;
            if (id !== undefined && !component.byId.has(id)) component.byId.set(id, rule);
          } else if (typeof value === "string") {
            if (field === "name") component.name = value;
            // `version` is the tool's own; `semanticVersion` only when there is no other.
            else if (field === "version" || (field === "semanticVersion" && component.version === undefined)) component.version = value;
          }
          return;
        }
        if (part === "originalUriBaseIds") {
          if (isJsonObject(value)) current.baseIds = value;
          return;
        }
        if (part === "artifacts") {
          current.artifacts[Number(path[3])] = readArtifactLocation(value);
          return;
        }
        if (part === "invocations") {
          if (path[4] === "executionSuccessful") {
            if (value === false) current.failed = true;
          } else {
            const notification = readNotification(value, line);
            if (notification !== undefined) current.notifications.push(notification);
          }
          return;
        }
        // part === "results"
        const result = readResult(value, line);
        if (result === "") {
          left.kind++;
        } else if (typeof result === "string") {
          firstBad ??= { line, reason: result };
          diagnostics.push({ level: "warning", code: "sarif.bad-result", file: ctx.file, line, message: `skipped result ${String(path[3])} of run ${runIndex}: ${result}` });
        } else {
          current.results.push(result);
        }
      },
    });
    if (run !== undefined) finishRun(run);
    diagnostics.push(...documentDiagnostics);

    if (runs === 0 && emptyRunsLine === undefined) {
      throw new ParseError(ctx.file, undefined, 'the log has no "runs", which every SARIF log has', { hint: HINT });
    }
    if (runs === 0) {
      throw new ParseError(ctx.file, emptyRunsLine, "the SARIF log has no runs: the tool wrote no analysis at all", {
        hint: 'check that the tool ran (an empty or null "runs" is what a tool writes when it could not start), then regenerate the report',
      });
    }
    if (findings.length === 0 && firstBad !== undefined && left.kind + left.none === 0) {
      throw new ParseError(ctx.file, firstBad.line, `no result of the log can be read; the first: ${firstBad.reason}`, { hint: HINT });
    }
    if (notifications > MAX_NOTIFICATIONS) {
      diagnostics.push({
        level: "warning",
        code: "sarif.tool-notification",
        file: ctx.file,
        message: `and ${notifications - MAX_NOTIFICATIONS} more error or warning notification(s) from the tool`,
      });
    }
    for (const raw of badLevels) {
      diagnostics.push({ level: "warning", code: "sarif.bad-level", file: ctx.file, message: `results with level ${JSON.stringify(raw)}, which SARIF does not define, were taken as warnings` });
    }
    if (left.kind + left.none > 0) {
      const parts = [left.kind > 0 ? `${left.kind} of a kind other than "fail" (pass, open, review, informational, notApplicable)` : "", left.none > 0 ? `${left.none} of level "none"` : ""];
      diagnostics.push({
        level: "info",
        code: "sarif.not-findings",
        file: ctx.file,
        message: `left out ${parts.filter(Boolean).join(" and ")}: such results report no problem`,
      });
    }
    return { format: "sarif", ...(tool === undefined ? {} : { tool }), tests: [], coverage: [], findings, diagnostics };
  },
};
