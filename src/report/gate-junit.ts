import type { ConditionResult, GateResult } from "../gate/types.js";
import { conditionName, itemText, valueText } from "./gate-words.js";
import { stripControls } from "./sanitize.js";

/** Items listed in a failure body; the rest are counted. */
const BODY_ITEMS = 50;

// XML 1.0 `Char`: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. With the `u` flag a lone
// surrogate is one code point outside these ranges, so it is dropped too.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const TEXT_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;" };
const ATTRIBUTE_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '"': "&quot;", "'": "&apos;", "\n": "&#10;", "\t": "&#9;" };

/**
 * Character data; `>` is escaped too, so `]]>` never appears. Escape sequences and controls are removed
 * whole first (dropping only their ESC would leave `[31m` behind), then what XML 1.0 cannot hold.
 */
const xmlText = (text: string): string => stripControls(text).replace(NOT_XML_CHAR, "").replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c] ?? c);

/** An attribute value; newlines and tabs as references, which attribute-value normalisation would turn into spaces. */
const xmlAttribute = (text: string): string => stripControls(text).replace(NOT_XML_CHAR, "").replace(/[&<>"'\r\n\t]/g, (c) => ATTRIBUTE_ESCAPES[c] ?? c);

const attributes = (pairs: [string, string | number][]): string => pairs.map(([key, value]) => ` ${key}="${xmlAttribute(String(value))}"`).join("");

const needs = (condition: ConditionResult): string => `${condition.op} ${condition.threshold}`;

/** One line: what the condition measured against what it needs. */
function verdictLine(condition: ConditionResult): string {
  if (condition.value === null) return `no data (${condition.missing ?? "no reason given"}), needs ${needs(condition)}`;
  return `${valueText(condition)}, needs ${needs(condition)}`;
}

/** The failure body: the numbers, why, and the items behind them. */
function failureBody(condition: ConditionResult): string {
  const lines = [`value: ${valueText(condition)}`, `threshold: ${needs(condition)}`];
  if (condition.missing !== null) lines.push(`missing: ${condition.missing}`);
  lines.push(`explanation: ${condition.explanation}`);
  if (condition.description !== null) lines.push(`description: ${condition.description}`);
  const total = Math.max(condition.itemsTotal, condition.items.length);
  if (total > 0) {
    const shown = condition.items.slice(0, BODY_ITEMS);
    lines.push("", shown.length === total ? `items (${total}):` : `items (${shown.length} of ${total}):`);
    for (const item of shown) lines.push(`  ${itemText(item)}`);
    if (total > shown.length) lines.push(`  … and ${total - shown.length} more`);
  }
  return lines.join("\n");
}

/** The text a passing, warning or waived condition leaves in `<system-out>`. */
function outputText(condition: ConditionResult): string {
  const lines: string[] = [];
  switch (condition.verdict) {
    case "warn":
      lines.push(`warning: ${verdictLine(condition)} (severity warn: does not block the gate)`);
      break;
    case "waived": {
      const waiver = condition.waiver;
      lines.push(`waived: ${verdictLine(condition)}`);
      lines.push(waiver === null ? "waiver: (not recorded)" : `waiver: ${waiver.reason} (owner ${waiver.owner}, expires ${waiver.expires})`);
      break;
    }
    default:
      lines.push(condition.value === null ? `passed without data: ${condition.missing ?? "no reason given"} (when missing: pass)` : `passed: ${verdictLine(condition)}`);
  }
  lines.push(`explanation: ${condition.explanation}`);
  if (condition.verdict !== "pass" && condition.items.length > 0) {
    const shown = condition.items.slice(0, BODY_ITEMS);
    const total = Math.max(condition.itemsTotal, condition.items.length);
    lines.push(...shown.map((item) => `  ${itemText(item)}`));
    if (total > shown.length) lines.push(`  … and ${total - shown.length} more`);
  }
  return lines.join("\n");
}

function testcase(result: GateResult, condition: ConditionResult): string {
  const open = `    <testcase${attributes([
    ["classname", `shipgate.gate.${result.gate}`],
    ["name", conditionName(condition)],
  ])}>`;
  if (condition.verdict === "fail") {
    const message = `${conditionName(condition)}: ${verdictLine(condition)}; ${condition.explanation}`;
    return `${open}\n      <failure${attributes([["message", message], ["type", "gate"]])}>${xmlText(failureBody(condition))}</failure>\n    </testcase>`;
  }
  return `${open}\n      <system-out>${xmlText(outputText(condition))}</system-out>\n    </testcase>`;
}

/**
 * The gate as a JUnit XML document: one `<testsuite>` with one `<testcase>` per condition, so that CI
 * test views show which condition failed. Failing conditions carry a `<failure type="gate">`; warnings
 * and waivers pass and say so in `<system-out>`. Deterministic: the only time written is the snapshot's.
 */
export function renderGateJunit(result: GateResult): string {
  const failures = result.conditions.filter((c) => c.verdict === "fail").length;
  const tests = result.conditions.length;
  const counts: [string, number][] = [["tests", tests], ["failures", failures], ["errors", 0], ["skipped", 0]];
  const properties: [string, string][] = [
    ["shipgate.gate", result.gate],
    ["shipgate.verdict", result.verdict],
    ["shipgate.evaluatedOn", result.evaluatedOn],
    ["shipgate.snapshot", String(result.snapshot.id)],
    ["shipgate.baseline", result.baseline.spec],
  ];
  if (result.snapshot.commit !== null) properties.push(["shipgate.commit", result.snapshot.commit]);
  if (result.baseline.snapshot !== null) properties.push(["shipgate.baselineSnapshot", String(result.baseline.snapshot.id)]);
  if (result.baseline.missing !== null) properties.push(["shipgate.baselineMissing", result.baseline.missing]);

  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes([["name", "shipgate"], ...counts])}>`,
    `  <testsuite${attributes([["name", `shipgate gate ${result.gate}`], ...counts, ["timestamp", result.snapshot.takenAt]])}>`,
    "    <properties>",
    ...properties.map(([name, value]) => `      <property${attributes([["name", name], ["value", value]])}/>`),
    "    </properties>",
    ...result.conditions.map((condition) => testcase(result, condition)),
    "  </testsuite>",
    "</testsuites>",
  ];
  return `${lines.join("\n")}\n`;
}
