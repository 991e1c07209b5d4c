import type { CheckoutState, StaleSnapshot } from "../gate/stale.js";
import type { GateResult } from "../gate/types.js";
import { conditionName, itemText, valueText } from "./gate-words.js";
import { forHtml, forMarkdownCode } from "./sanitize.js";
import { mdEscape, oneLine } from "./text.js";
import { styles } from "./style.js";

const ITEMS_SHOWN = 5;

const snapshotText = (r: GateResult["snapshot"]) =>
  `snapshot ${r.id} (${r.takenAt.slice(0, 16).replace("T", " ")}${r.commit ? ` · ${r.commit.slice(0, 10)}` : ""}${r.branch ? ` · ${r.branch}` : ""})`;

/** Which baseline was used, in words. */
export function baselineText(result: GateResult): string {
  const b = result.baseline;
  if (b.snapshot) return `baseline ${b.spec} → ${snapshotText(b.snapshot)}`;
  return `baseline ${b.spec}: none (${b.missing ?? "not found"})${b.commit ? `; changed lines counted from ${b.commit.slice(0, 10)}` : ""}`;
}

const checkoutText = (c: CheckoutState) =>
  c.commit === null ? "no git commit" : `commit ${c.commit.slice(0, 10)} ${c.dirty === null ? "(clean or not: unknown)" : c.dirty ? "(with uncommitted changes)" : "(clean)"}`;

function unknownWhy(s: StaleSnapshot): string {
  if (s.measured.commit === null) return "the snapshot was not taken in a git checkout";
  if (s.now.commit === null) return "git cannot read the checkout now";
  if (s.measured.dirty === null || s.now.dirty === null) return "git status failed";
  return s.measured.tree === null ? "its uncommitted changes were not recorded" : "git could not record the working tree now";
}

/**
 * Why the judged snapshot may not measure the checkout as it is now, in one line; null when it does (or
 * nobody compared). E.g. "snapshot 3 measured commit abc1234 (clean); the working tree has changed since: …".
 */
export function staleText(result: GateResult & { stale?: StaleSnapshot | null }): string | null {
  const s = result.stale;
  if (!s) return null;
  const head = `snapshot ${result.snapshot.id} measured ${checkoutText(s.measured)}`;
  const what =
    s.reason === "commit" ? `the checkout is now at ${checkoutText(s.now)}` : s.reason === "working-tree" ? "the working tree has changed since" : `whether the checkout still matches cannot be told (${unknownWhy(s)})`;
  return `${head}; ${what}: run \`shipgate assess\` to measure it`;
}

/** The one-line verdict, e.g. "NO-GO: 2 blocking conditions failed (tests.failed, security.high)". */
export function verdictLine(result: GateResult): string {
  const failed = result.conditions.filter((c) => c.verdict === "fail").map((c) => c.id);
  const extra = [
    result.counts.warned ? `${result.counts.warned} warning(s)` : "",
    result.counts.waived ? `${result.counts.waived} waived` : "",
  ].filter(Boolean);
  const head = result.verdict === "GO" ? `GO: all ${result.counts.passed + result.counts.warned + result.counts.waived} conditions hold` : `NO-GO: ${failed.length} blocking condition(s) failed (${failed.join(", ")})`;
  return `${head}${extra.length ? `; ${extra.join(", ")}` : ""}`;
}

/** The terminal report of `shipgate gate`. */
export function renderGateText(result: GateResult & { stale?: StaleSnapshot | null }, options: { color: boolean }): string {
  const s = styles(options.color);
  const out: string[] = [];
  const verdict = result.verdict === "GO" ? s.green(s.bold("GO")) : s.red(s.bold("NO-GO"));
  out.push(`${s.bold(`Gate ${result.gate}:`)} ${verdict}`);
  out.push(s.dim(`  ${snapshotText(result.snapshot)}; ${baselineText(result)}`));
  const stale = staleText(result);
  if (stale) out.push(s.yellow(`  warning: ${stale}`));
  if (result.description) out.push(s.dim(`  ${oneLine(result.description)}`));
  out.push("");
  const rows = result.conditions.map((c) => [c.verdict.toUpperCase(), conditionName(c), valueText(c), c.severity === "warn" ? "warn" : ""]);
  const width = [0, 1, 2].map((i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  const mark = { pass: s.green, fail: s.red, warn: s.yellow, waived: s.yellow };
  result.conditions.forEach((c, n) => {
    const r = rows[n] as string[];
    const cells = [mark[c.verdict]((r[0] as string).padEnd(width[0] as number)), (r[1] as string).padEnd(width[1] as number), (r[2] as string).padStart(width[2] as number)];
    out.push(`  ${cells.join("  ")}${c.severity === "warn" ? s.dim("  (warning only)") : ""}`);
    const note = c.waiver ? `waived until ${c.waiver.expires} by ${c.waiver.owner}: ${c.waiver.reason}` : c.explanation;
    if (note && (c.verdict !== "pass" || c.value === null)) out.push(s.dim(`      ${oneLine(note)}`));
    if (c.verdict !== "pass") {
      for (const i of c.items.slice(0, ITEMS_SHOWN)) out.push(`      ${c.verdict === "fail" ? s.red("✗") : s.yellow("!")} ${itemText(i)}`);
      if (c.itemsTotal > ITEMS_SHOWN) out.push(s.dim(`      … ${c.itemsTotal - ITEMS_SHOWN} more (--json, --sarif)`));
    }
  });
  if (result.regressions.length > 0) {
    out.push("");
    out.push(s.bold(`Regressions (passed in the baseline, failing now): ${result.regressions.length}`));
    for (const t of result.regressions.slice(0, 20)) out.push(`  ${s.red("✗")} ${oneLine(t.id)}${t.message ? s.dim(` — ${oneLine(t.message.split("\n")[0]?.slice(0, 120) ?? "")}`) : ""}`);
  }
  if (result.flaky.length > 0) {
    out.push("");
    out.push(s.bold(`Flaky (listed apart, not counted as regressions): ${result.flaky.length}`));
    for (const t of result.flaky.slice(0, 20)) out.push(`  ${s.yellow("~")} ${oneLine(t.id)} ${s.dim(`[${t.history}]`)}`);
  }
  if (result.changedLines) {
    const c = result.changedLines;
    out.push("");
    out.push(s.dim(`Changed lines since ${c.base.slice(0, 10)}: ${c.covered}/${c.coverable} coverable lines covered in ${c.files} file(s)`));
  }
  if (result.waivers.expired.length > 0) {
    out.push("");
    out.push(s.bold(s.yellow("Expired waivers (no longer applied):")));
    for (const w of result.waivers.expired) out.push(`  ${w.condition}: expired ${w.expires} (owner ${oneLine(w.owner)}): ${oneLine(w.reason)}`);
  }
  out.push("");
  out.push(result.verdict === "GO" ? s.green(verdictLine(result)) : s.red(verdictLine(result)));
  return out.join("\n");
}

/** A code span in a table cell: a pipe would split the cell, so it is escaped (GFM reads `\|` in a cell's code span as `|`). */
const cellCode = (text: string) => forMarkdownCode(text, { table: true });
const mdCode = (text: string) => forMarkdownCode(text);

/** At most 50 entries of a list, then how many more: a summary stays readable (and under GitHub's 1 MiB per step). */
const listed = (entries: string[]) => `${entries.slice(0, 50).join(", ")}${entries.length > 50 ? `, … ${entries.length - 50} more` : ""}`;

/** The markdown report (pull-request comment, GITHUB_STEP_SUMMARY). */
export function renderGateMarkdown(result: GateResult & { stale?: StaleSnapshot | null }): string {
  const out: string[] = [];
  const icon = { pass: "✅", fail: "❌", warn: "⚠️", waived: "🟡" };
  out.push(`### shipgate gate ${mdCode(result.gate)}: ${result.verdict === "GO" ? "✅ GO" : "❌ NO-GO"}`);
  out.push("");
  out.push(`${mdEscape(verdictLine(result))}. Snapshot ${result.snapshot.id}${result.snapshot.commit ? ` at \`${result.snapshot.commit.slice(0, 10)}\`` : ""}; ${mdEscape(baselineText(result))}.`);
  out.push("");
  const stale = staleText(result);
  if (stale) {
    out.push(`> [!WARNING]\n> ${mdEscape(stale)}`);
    out.push("");
  }
  out.push("| | Condition | Value | Note |");
  out.push("| --- | --- | ---: | --- |");
  for (const c of result.conditions) {
    const note = c.waiver ? `waived until ${c.waiver.expires} (${c.waiver.owner}): ${c.waiver.reason}` : c.verdict === "pass" && c.value !== null ? "" : c.explanation;
    out.push(`| ${icon[c.verdict]} | ${cellCode(conditionName(c))}${c.severity === "warn" ? " (warn)" : ""} | ${valueText(c)} | ${mdEscape(note)} |`);
  }
  const failing = result.conditions.filter((c) => (c.verdict === "fail" || c.verdict === "warn") && c.items.length > 0);
  for (const c of failing) {
    out.push("");
    // Inside an HTML block markdown is not read: HTML escaping, not backslashes.
    out.push(`<details><summary>${forHtml(conditionName(c))}: ${c.itemsTotal} item(s)</summary>`);
    out.push("");
    for (const i of c.items.slice(0, 30)) out.push(`- ${mdEscape(itemText(i))}`);
    if (c.itemsTotal > 30) out.push(`- … ${c.itemsTotal - 30} more`);
    out.push("");
    out.push("</details>");
  }
  if (result.regressions.length > 0) {
    out.push("");
    out.push(`**Regressions** (passed in the baseline, failing now): ${listed(result.regressions.map((t) => mdCode(t.id)))}`);
  }
  if (result.flaky.length > 0) {
    out.push("");
    out.push(`**Flaky** (not counted as regressions): ${listed(result.flaky.map((t) => mdCode(t.id)))}`);
  }
  if (result.waivers.expired.length > 0) {
    out.push("");
    out.push(`**Expired waivers**: ${result.waivers.expired.map((w) => `${mdCode(w.condition)} (expired ${w.expires}, ${mdEscape(w.owner)})`).join(", ")}`);
  }
  return out.join("\n");
}
