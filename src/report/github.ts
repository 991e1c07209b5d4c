import type { ConditionResult, GateResult } from "../gate/types.js";
import { conditionName, valueText } from "./gate-words.js";
import { gateItemRuleId } from "./gate-sarif.js";
import { forTerminal, forWorkflowData, forWorkflowProperty, repositoryPath } from "./sanitize.js";

export interface GithubAnnotationsOptions {
  /** Most item and condition annotations to write (default 50); one notice more says how many were left out. */
  limit?: number;
}

type Command = "error" | "warning" | "notice";

interface Annotation {
  command: Command;
  properties: [string, string | number][];
  message: string;
  /** 0 for a condition's first annotation, 1 for the rest: see the ordering in renderGithubAnnotations. */
  round: 0 | 1;
}

const DEFAULT_LIMIT = 50;
const COMMAND_ORDER: Record<Command, number> = { error: 0, warning: 1, notice: 2 };

/** One command line: properties and message without controls, bounded, escaped as the runner unescapes them (sanitize.ts). */
function format(annotation: Annotation): string {
  const properties = annotation.properties.map(([key, value]) => `${key}=${forWorkflowProperty(String(value))}`).join(",");
  return `::${annotation.command}${properties === "" ? "" : ` ${properties}`}::${forWorkflowData(annotation.message)}`;
}

const needs = (condition: ConditionResult): string => `${condition.op} ${condition.threshold}`;

const measured = (condition: ConditionResult): string =>
  condition.value === null ? `no data (${condition.missing ?? "no reason given"})` : valueText(condition);

function conditionAnnotations(result: GateResult, condition: ConditionResult, seen: Set<string>): Annotation[] {
  const title = `shipgate gate ${result.gate}: ${conditionName(condition)}`;
  if (condition.verdict === "waived") {
    const waiver = condition.waiver;
    const by = waiver === null ? "" : ` by ${waiver.owner} until ${waiver.expires}: ${waiver.reason}`;
    return [{ command: "notice", properties: [["title", title]], message: `Waived${by}. Measured ${measured(condition)}, needs ${needs(condition)}.`, round: 0 }];
  }
  if (condition.verdict !== "fail" && condition.verdict !== "warn") return [];
  const command: Command = condition.verdict === "fail" ? "error" : "warning";
  if (condition.items.length === 0) {
    return [{ command, properties: [["title", title]], message: `${measured(condition)}, needs ${needs(condition)}: ${condition.explanation}`, round: 0 }];
  }
  const annotations: Annotation[] = [];
  for (const item of condition.items) {
    // The same finding under two conditions (new and overall, say) is one annotation: the first condition's.
    if (seen.has(item.key)) continue;
    seen.add(item.key);
    const properties: [string, string | number][] = [];
    // Annotations take paths from the repository root; items are relative to the judged directory. A path
    // that leaves the repository (../../etc/passwd, /etc/passwd) is named in the message, never as a location.
    const file = item.file === null ? null : repositoryPath(item.file, result.pathPrefix);
    if (file !== null) {
      properties.push(["file", file]);
      if (item.line !== null && item.line >= 1) {
        properties.push(["line", item.line]);
        if (item.endLine !== null && item.endLine >= item.line) properties.push(["endLine", item.endLine]);
      }
    }
    properties.push(["title", title]);
    const outside = item.file !== null && file === null ? ` [reported at ${forTerminal(item.file, 200)}: not a path in the repository, no location]` : "";
    annotations.push({ command, properties, message: `${item.message} (${gateItemRuleId(item)})${outside}`, round: annotations.length === 0 ? 0 : 1 });
  }
  return annotations;
}

/**
 * The gate as GitHub Actions workflow commands (`::error file=…,line=…,title=…::message`), one line each:
 * errors for the items of failing conditions, warnings for warning conditions, one annotation for a
 * failing or warning condition without items, and a notice per waived condition. At most `limit`
 * (default 50) of them, then a notice with how many were left out. Empty string when there is nothing.
 */
export function renderGithubAnnotations(result: GateResult, options: GithubAnnotationsOptions = {}): string {
  const limit = Math.max(0, Math.floor(options.limit ?? DEFAULT_LIMIT));
  const seen = new Set<string>();
  // Failing conditions claim shared items first, so a warning never hides a failure's error annotation.
  const rank = (c: ConditionResult) => (c.verdict === "fail" ? 0 : 1);
  const all = [...result.conditions].sort((a, b) => rank(a) - rank(b)).flatMap((condition) => conditionAnnotations(result, condition, seen));
  // GitHub shows only the first few annotations of each level per step, and the limit cuts the tail: errors
  // come first, and every condition's first annotation comes before any condition's second, so that one
  // condition with many items cannot hide another. Otherwise condition order, then item order (stable sort).
  const ordered = all
    .map((annotation, index) => ({ annotation, index }))
    .sort((a, b) => COMMAND_ORDER[a.annotation.command] - COMMAND_ORDER[b.annotation.command] || a.annotation.round - b.annotation.round || a.index - b.index)
    .map(({ annotation }) => annotation);
  const lines = ordered.slice(0, limit).map(format);
  if (ordered.length > limit) {
    const left = ordered.length - limit;
    lines.push(format({
      command: "notice",
      properties: [["title", `shipgate gate ${result.gate}`]],
      message: `${left} more annotation${left === 1 ? "" : "s"} not shown (limit ${limit}); run \`shipgate gate\` for the full list.`,
      round: 0,
    }));
  }
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
