import type { ConditionResult, ConditionSpec, GateItem } from "../gate/types.js";
import { oneLine } from "./text.js";

/**
 * A condition as every output names it: `coverage.lines >= 60`, `new:findings == 0` (the scope prefix
 * is the one waivers use), followed by ` [id]` when the config gave the condition an id of its own.
 */
export function conditionName(c: Pick<ConditionSpec, "id" | "metric" | "op" | "threshold" | "scope">): string {
  const prefix = c.scope === "overall" ? "" : `${c.scope}:`;
  const name = `${prefix}${c.metric} ${c.op} ${c.threshold}`;
  return c.id === `${prefix}${c.metric}` ? name : `${name} [${c.id}]`;
}

/** The measured value as reports show it: at most two decimals, signed for deltas, "no data", or "n/a" when there was nothing to measure. */
export function valueText(c: Pick<ConditionResult, "value" | "scope" | "missing">): string {
  if (c.value === null) return c.missing === null ? "n/a" : "no data";
  const v = Math.round(c.value * 100) / 100;
  return c.scope === "delta" && v > 0 ? `+${v}` : String(v);
}

/** `file:line[-end] message (rule)`, or less when the item has no file or line. */
export function itemText(item: GateItem): string {
  let where = "";
  if (item.file !== null) {
    const range = item.line === null ? "" : item.endLine !== null && item.endLine > item.line ? `:${item.line}-${item.endLine}` : `:${item.line}`;
    where = `${item.file}${range} `;
  }
  return oneLine(`${where}${item.message} (${item.tool && item.tool !== "shipgate" ? `${item.tool}/` : ""}${item.ruleId})`);
}
