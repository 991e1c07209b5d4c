import type { ConditionResult, GateItem, GateResult } from "../gate/types.js";
import { conditionName, valueText } from "./gate-words.js";
import { boundLines, forTerminal, repositoryPath } from "./sanitize.js";

export interface GateSarifOptions {
  /** shipgate's version, written as `tool.driver.version`. */
  toolVersion: string;
  /** Repository-relative path of the config that defines the gate: where results without a file point. */
  configFile?: string;
}

type SarifLevel = "error" | "warning" | "note";

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface SarifLocation {
  physicalLocation: { artifactLocation: SarifArtifactLocation; region?: { startLine: number; endLine?: number } };
}

export interface SarifRule {
  id: string;
  shortDescription: { text: string };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations?: SarifLocation[];
  partialFingerprints: Record<string, string>;
  properties: { gate: string; condition: string };
}

/** The subset of a SARIF 2.1.0 log that shipgate writes. */
export interface SarifLog {
  $schema: string;
  version: "2.1.0";
  runs: [
    {
      tool: { driver: { name: "shipgate"; version: string; informationUri: string; rules: SarifRule[] } };
      originalUriBaseIds: Record<string, { description: { text: string } }>;
      results: SarifResult[];
      properties: { gate: string; verdict: GateResult["verdict"]; truncated: { condition: string; shown: number; total: number }[] };
    },
  ];
}

const SRCROOT = "%SRCROOT%";
const FINGERPRINT = "shipgateKey/v1";

const KIND_LABELS: Record<GateItem["kind"], string> = {
  finding: "Finding",
  test: "Test",
  "uncovered-lines": "Changed lines no test ran",
  "broken-link": "Broken link",
  advisory: "Vulnerable dependency",
};

/** A warning condition never reports above warning: it does not block the gate. */
function levelOf(item: GateItem, condition: ConditionResult): SarifLevel {
  return condition.verdict === "warn" && item.level === "error" ? "warning" : item.level;
}

/** Item kinds whose rules are shipgate's own ("test-regression", "uncovered-changed-lines", "broken-link"). */
const SHIPGATE_KINDS: ReadonlySet<GateItem["kind"]> = new Set(["test", "uncovered-lines", "broken-link"]);

/**
 * The item's rule namespaced by its tool (`eslint/no-unused-vars`, `shipgate/test-regression`), so that
 * rules of two tools never collide. SARIF rule ids and GitHub annotations use it.
 */
export function gateItemRuleId(item: GateItem): string {
  const rule = item.ruleId === "" ? item.kind : item.ruleId;
  const tool = item.tool !== null && item.tool !== "" ? item.tool : SHIPGATE_KINDS.has(item.kind) ? "shipgate" : null;
  if (tool === null || rule.startsWith(`${tool}/`)) return rule;
  return `${tool}/${rule}`;
}

/**
 * A repository-relative path as a relative URI reference from the repository root: forward slashes, each
 * segment percent-encoded (spaces, `#`, `?`, `%`, and a `:` that would otherwise read as a scheme).
 */
function artifactLocation(path: string): SarifArtifactLocation {
  return { uri: path.split("/").map(encodeURIComponent).join("/"), uriBaseId: SRCROOT };
}

/**
 * The item's location. Paths are relative to the judged directory and become relative to the repository
 * root. A path that leaves the repository (`../../etc/passwd`, an absolute path, a URI) gives no location:
 * the result is kept and its message says where the tool reported it.
 */
function itemLocations(item: GateItem, configFile: string | undefined, prefix: string): SarifLocation[] | undefined {
  if (item.file === null) return configLocations(configFile);
  const path = repositoryPath(item.file, prefix);
  if (path === null) return undefined;
  const location: SarifLocation = { physicalLocation: { artifactLocation: artifactLocation(path) } };
  if (item.line !== null && item.line >= 1) {
    location.physicalLocation.region =
      item.endLine !== null && item.endLine >= item.line ? { startLine: item.line, endLine: item.endLine } : { startLine: item.line };
  }
  return [location];
}

/** Tool text in a SARIF message: no controls or escape sequences, at most 20 lines. */
const messageText = (text: string): string => boundLines(text, { maxLines: 20, maxLineLength: 2000 });

const configLocations = (configFile: string | undefined): SarifLocation[] | undefined =>
  configFile === undefined || configFile === "" ? undefined : [{ physicalLocation: { artifactLocation: artifactLocation(configFile) } }];

/** What the result says about the gate: which condition it fails (or warns about), in the gate's words. */
function conditionClause(result: GateResult, condition: ConditionResult): string {
  const verb = condition.verdict === "fail" ? "fails" : "warns in";
  return `${verb} gate "${result.gate}" condition ${conditionName(condition)}`;
}

/**
 * The gate's failing and warning conditions as a SARIF 2.1.0 log, for code scanning and review tools:
 * one result per item (deduplicated by item key; failing conditions before warning ones), and one result per failing or
 * warning condition without items (a score, a coverage total), placed on the config file when given.
 * Rules are listed once each, in order of first use. Deterministic: same input, same log.
 */
export function renderGateSarif(result: GateResult, options: GateSarifOptions): SarifLog {
  const rules: SarifRule[] = [];
  const ruleIndex = new Map<string, number>();
  const useRule = (id: string, description: string): number => {
    let index = ruleIndex.get(id);
    if (index === undefined) {
      index = rules.length;
      rules.push({ id, shortDescription: { text: description } });
      ruleIndex.set(id, index);
    }
    return index;
  };

  const results: SarifResult[] = [];
  const seen = new Set<string>();
  const configFile = options.configFile === undefined || options.configFile === "" ? undefined : (repositoryPath(options.configFile, result.pathPrefix) ?? undefined);
  // Failing conditions first: an item shared with a warning condition is reported at the failure's level.
  const ordered = [...result.conditions.filter((c) => c.verdict === "fail"), ...result.conditions.filter((c) => c.verdict === "warn")];
  for (const condition of ordered) {
    if (condition.verdict !== "fail" && condition.verdict !== "warn") continue;
    const properties = { gate: result.gate, condition: condition.id };
    if (condition.items.length === 0) {
      const ruleId = `shipgate/gate/${condition.id}`;
      const index = useRule(ruleId, forTerminal(`Gate condition ${conditionName(condition)}`));
      const value = condition.value === null ? `no data (${condition.missing ?? "no reason given"})` : valueText(condition);
      const entry: SarifResult = {
        ruleId,
        ruleIndex: index,
        level: condition.verdict === "fail" ? "error" : "warning",
        message: { text: messageText(`${value}, needs ${condition.op} ${condition.threshold}: ${condition.explanation} (${conditionClause(result, condition)})`) },
        partialFingerprints: { [FINGERPRINT]: `gate:${result.gate}:${condition.id}` },
        properties,
      };
      const locations = configLocations(configFile);
      if (locations !== undefined) entry.locations = locations;
      results.push(entry);
      continue;
    }
    for (const item of condition.items) {
      if (seen.has(item.key)) continue;
      seen.add(item.key);
      const ruleId = gateItemRuleId(item);
      const tool = item.tool === null || item.tool === "" ? "" : ` (${item.tool})`;
      const index = useRule(ruleId, forTerminal(`${KIND_LABELS[item.kind]}: ${item.ruleId === "" ? item.kind : item.ruleId}${tool}`));
      const outside = item.file !== null && repositoryPath(item.file, result.pathPrefix) === null ? ` [reported at ${forTerminal(item.file, 200)}: not a path in the repository, no location]` : "";
      const entry: SarifResult = {
        ruleId,
        ruleIndex: index,
        level: levelOf(item, condition),
        message: { text: `${messageText(item.message)} (${conditionClause(result, condition)})${outside}` },
        partialFingerprints: { [FINGERPRINT]: item.key },
        properties,
      };
      const locations = itemLocations(item, configFile, result.pathPrefix);
      if (locations !== undefined) entry.locations = locations;
      results.push(entry);
    }
  }

  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "shipgate", version: options.toolVersion, informationUri: "https://github.com/shipgate/shipgate", rules } },
        // No `uri`: the root is wherever the repository is checked out; consumers resolve it (SARIF §3.14.14).
        originalUriBaseIds: { [SRCROOT]: { description: { text: "The repository root." } } },
        results,
        // Conditions with more items than a gate result keeps (see ITEMS_LIMIT): the log is not the whole list.
        properties: {
          gate: result.gate,
          verdict: result.verdict,
          truncated: ordered.filter((c) => c.itemsTotal > c.items.length).map((c) => ({ condition: c.id, shown: c.items.length, total: c.itemsTotal })),
        },
      },
    ],
  };
}
