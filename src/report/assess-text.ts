import type { SnapshotDiff } from "../snapshot/diff.js";
import type { AssessSummary, CounterSummary } from "../snapshot/summary.js";
import { ADVISORY_FORMATS } from "../ingest/types.js";
import type { SnapshotRecord } from "../store/types.js";
import { forMarkdown, forMarkdownCode, forTerminal } from "./sanitize.js";
import { styles, type Styles } from "./style.js";
import { oneLine, plural } from "./text.js";

/** A message's first line on one terminal line, shorter (tool text on a whole line: `oneLine`). */
const firstLine = (text: string, max: number): string => forTerminal(text.split("\n")[0] ?? "", max);

export interface TextOptions {
  color: boolean;
  /** How many of the least covered files to list. */
  files?: number;
}

export const showPct = (v: number | null): string => (v === null ? "unknown" : `${v.toFixed(2)} %`);
const showCounter = (c: CounterSummary | null): string => (c === null ? "unknown" : `${showPct(c.pct)} (${c.covered}/${c.total})`);

function sourceLine(summary: AssessSummary, index: number): string {
  const s = summary.sources[index];
  if (!s) return `#${index}`;
  const tool = s.tool && (s.tool.name !== s.format || s.tool.version) ? `, ${s.tool.name}${s.tool.version ? ` ${s.tool.version}` : ""}` : "";
  return oneLine(`${s.path} (${s.format}${tool}, sha256 ${s.sha256.slice(0, 12)})`);
}

/** The terminal summary of `shipgate assess`. */
export function renderAssessText(summary: AssessSummary, options: TextOptions): string {
  const s = styles(options.color);
  const t = summary.tests;
  const c = summary.coverage;
  const out: string[] = [];
  const id = summary.snapshot.id === null ? "" : ` #${summary.snapshot.id}`;
  const git = summary.snapshot.git.commit ? ` at ${summary.snapshot.git.commit.slice(0, 10)}${summary.snapshot.git.dirty ? " (dirty)" : ""}` : "";
  out.push(s.bold(`shipgate snapshot${id}${git}`));
  out.push("");
  out.push(...readinessText(summary, s));
  out.push("");

  out.push(s.bold("Tests") + (t.status === "ok" ? "" : `  ${s.yellow(t.status)}: ${oneLine(t.reasons.join("; "))}`));
  if (t.status !== "unknown") {
    const failed = t.failed > 0 ? s.red(`${t.failed} failed`) : `${t.failed} failed`;
    const errored = t.errored > 0 ? s.red(`${t.errored} errored`) : `${t.errored} errored`;
    out.push(`  ${t.total} total: ${s.green(`${t.passed} passed`)}, ${failed}, ${errored}, ${t.skipped} skipped${t.flaky ? `, ${s.yellow(`${t.flaky} flaky`)}` : ""}`);
    if (t.durationMs !== null) out.push(`  time: ${(t.durationMs / 1000).toFixed(2)} s`);
    for (const f of t.failing.slice(0, 10)) {
      out.push(`  ${s.red("✗")} ${oneLine(f.id)}${f.message ? s.dim(` — ${firstLine(f.message, 120)}`) : ""}`);
    }
    if (t.failing.length > 10 || t.failed + t.errored > t.failing.length) out.push(s.dim(`  … ${t.failed + t.errored - Math.min(10, t.failing.length)} more failing (see --json)`));
    if (t.slowest.length > 0) {
      out.push(s.dim("  slowest:"));
      for (const x of t.slowest.slice(0, 3)) out.push(s.dim(`    ${((x.durationMs ?? 0) / 1000).toFixed(3)} s  ${oneLine(x.id)}`));
    }
    for (const e of t.evidence) out.push(s.dim(`  from ${sourceLine(summary, e)}`));
  }
  out.push("");

  out.push(s.bold("Coverage") + (c.status === "ok" ? "" : `  ${s.yellow(c.status)}: ${oneLine(c.reasons.join("; "))}`));
  if (c.status !== "unknown") {
    out.push(`  lines ${showCounter(c.counts.lines)} · branches ${showCounter(c.counts.branches)}`);
    out.push(`  functions ${showCounter(c.counts.functions)} · statements ${showCounter(c.counts.statements)}`);
    out.push(`  paths resolved: ${c.paths.resolved}/${c.paths.total}${c.paths.share === null ? "" : ` (${(c.paths.share * 100).toFixed(1)} %)`}`);
    if (c.packages.length > 1) {
      out.push("  per package:");
      const width = Math.max(...c.packages.map((p) => p.name.length));
      for (const p of c.packages) out.push(`    ${p.name.padEnd(width)}  lines ${showPct(p.lines)}  branches ${showPct(p.branches)}  functions ${showPct(p.functions)}`);
    }
    const least = c.files.filter((f) => f.lines !== null).sort((a, b) => (a.lines ?? 0) - (b.lines ?? 0)).slice(0, options.files ?? 5);
    if (least.length > 0) {
      out.push("  least covered files:");
      for (const f of least) out.push(`    ${showPct(f.lines).padStart(9)}  ${oneLine(f.name)}${f.resolved ? "" : s.dim(" (not in the repository)")}`);
    }
    for (const e of c.evidence) out.push(s.dim(`  from ${sourceLine(summary, e)}`));
  }
  const warnings = summary.diagnostics.filter((d) => d.level !== "info");
  if (warnings.length > 0) {
    out.push("");
    out.push(s.bold("Notes"));
    for (const d of warnings) out.push(`  ${s.yellow("!")} ${oneLine(`${d.file ? `${d.file}${d.line ? `:${d.line}` : ""}: ` : ""}${d.message}`)}`);
  }
  return out.join("\n");
}

const showScore = (v: number | null): string => (v === null ? "unknown" : v.toFixed(1));

function readinessText(summary: AssessSummary, s: Styles): string[] {
  const out: string[] = [];
  const over = summary.score === null ? "" : ` over ${Math.round(summary.measuredWeight * 100)} % of the weight`;
  const level = summary.level === "BLOCKED" ? s.red(summary.level) : summary.level === "PRODUCTION_READY" ? s.green(summary.level) : s.yellow(summary.level);
  out.push(`${s.bold("Readiness")}  ${s.bold(showScore(summary.score))}${over}  →  ${level}`);
  const width = Math.max(...Object.keys(summary.categories).map((k) => k.length));
  for (const [id, c] of Object.entries(summary.categories)) {
    out.push(`  ${id.replace(/_/g, " ").padEnd(width)}  ${showScore(c.score).padStart(7)}  ${s.dim(`w ${c.weight}`)}  ${s.dim(c.explanation)}`);
  }
  for (const b of summary.blockedBy) out.push(`  ${s.red("BLOCKED")} by ${b.condition} (now ${b.value ?? "no data"})`);
  if (summary.nextLevel) {
    out.push(`  next level ${summary.nextLevel.name} needs:`);
    for (const need of summary.nextLevel.needs) out.push(`    - ${need}`);
  }
  const lint = summary.lint.errors === null ? "lint not measured" : `lint ${summary.lint.errors} errors, ${summary.lint.warnings ?? 0} warnings${summary.lint.suppressed ? ` (${summary.lint.suppressed} suppressed)` : ""}`;
  const types = summary.typeErrors === null ? "type errors not measured" : `${summary.typeErrors} type errors`;
  out.push(`  ${s.bold("static analysis")}  ${lint} · ${types}`);
  const evidence = (formats: string[]) =>
    summary.sources.flatMap((src, i) => (formats.includes(src.format) ? [`    ${s.dim(`from ${sourceLine(summary, i)}`)}`] : []));
  out.push(...evidence(["eslint", "ruff", "sarif", "tsc", "mypy"]));
  const sec = summary.security;
  const vulns = sec.critical === null ? "dependencies not audited" : `critical ${sec.critical} · high ${sec.high} · moderate ${sec.moderate} · low ${sec.low}`;
  out.push(`  ${s.bold("security")}  ${vulns}${sec.sast ? ` · SAST ${sec.sast.errors} errors, ${sec.sast.warnings} warnings` : ""}`);
  for (const a of sec.advisories.slice(0, 5)) out.push(`    ${oneLine(a.severity).padEnd(8)} ${oneLine(a.package)}  ${oneLine(a.id)}  ${s.dim(oneLine(a.title))}`);
  for (const f of summary.findings.filter((x) => x.kind === "security").slice(0, 5)) {
    out.push(`    ${f.level.padEnd(8)} ${oneLine(f.file ?? "—")}${f.line ? `:${f.line}` : ""}  ${oneLine(f.ruleId ?? f.tool)}  ${s.dim(oneLine(f.message))}`);
  }
  out.push(...evidence([...ADVISORY_FORMATS]));
  const docs = summary.docs;
  out.push(`  ${s.bold("docs")}  ${docs.brokenLinks === null ? "links not checked" : `${plural(docs.brokenLinks, "broken link")} in ${plural(docs.files ?? 0, "file")} (${plural(docs.links ?? 0, "link")})`}`);
  for (const b of docs.broken.slice(0, 5)) out.push(`    ${oneLine(`${b.file}:${b.line}: ${b.target} — ${b.reason}`)}`);
  const facts = Object.entries(summary.facts).map(([k, f]) => `${f.present ? s.green("✓") : s.red("✗")} ${k.replace(/_/g, " ")}${f.present && f.evidence ? s.dim(` (${oneLine(f.evidence)})`) : ""}`);
  out.push(`  ${s.bold("repository")}  ${facts.join("  ")}`);
  if (summary.components.length > 0) {
    out.push(`  ${s.bold("components")}`);
    const w = Math.max(...summary.components.map((c) => c.name.length));
    for (const c of summary.components) out.push(`    ${c.name.padEnd(w)}  ${showScore(c.score).padStart(5)}  ${c.level}  ${s.dim(`over ${Math.round(c.measuredWeight * 100)} %`)}`);
  }
  // Snapshots stored before alerts existed have none.
  const alerts = summary.alerts ?? [];
  if (alerts.length > 0) {
    out.push(`  ${s.bold(s.yellow(`alerts since the previous snapshot: ${alerts.length}`))}`);
    for (const a of alerts) out.push(`    ${s.yellow("▼")} ${oneLine(a.message)}`);
  }
  return out;
}

/** The pull-request comment / GITHUB_STEP_SUMMARY form of an assess summary. */
export function renderAssessMarkdown(summary: AssessSummary): string {
  const t = summary.tests;
  const c = summary.coverage;
  const out: string[] = [];
  const commit = summary.snapshot.git.commit ? ` · \`${summary.snapshot.git.commit.slice(0, 10)}\`` : "";
  out.push(`## shipgate snapshot${summary.snapshot.id === null ? "" : ` #${summary.snapshot.id}`}${commit}`, "");
  out.push(
    `**Readiness ${showScore(summary.score)}**${summary.score === null ? "" : ` over ${Math.round(summary.measuredWeight * 100)} % of the weight`} — **${summary.level}**`,
    "",
    "| Category | Score | Weight | How |",
    "| --- | --- | --- | --- |",
  );
  for (const [id, c] of Object.entries(summary.categories)) out.push(`| ${id.replace(/_/g, " ")} | ${showScore(c.score)} | ${c.weight} | ${escapeMd(c.explanation)} |`);
  for (const b of summary.blockedBy) out.push("", `> ⛔ BLOCKED by \`${b.condition}\` (now ${b.value ?? "no data"})`);
  if (summary.nextLevel) {
    out.push("", `Next level **${summary.nextLevel.name}** needs:`);
    for (const need of summary.nextLevel.needs) out.push(`- ${escapeMd(need)}`);
  }
  out.push("");
  out.push("| Signal | Value | Status |", "| --- | --- | --- |");
  if (t.status === "unknown") out.push(`| Tests | unknown | ${escapeMd(t.reasons.join("; "))} |`);
  else out.push(`| Tests | ${t.passed}/${t.total} passed · ${t.failed} failed · ${t.errored} errored · ${t.skipped} skipped${t.flaky ? ` · ${t.flaky} flaky` : ""} | ${t.failed + t.errored > 0 ? "❌" : "✅"} ${t.status} |`);
  for (const m of ["lines", "branches", "functions", "statements"] as const) {
    out.push(`| Coverage: ${m} | ${showCounter(c.counts[m])} | ${c.counts[m] === null ? "unknown" : `${c.status}${c.status === "degraded" ? " ⚠️" : ""}`} |`);
  }
  out.push(`| Lint | ${summary.lint.errors === null ? "not measured" : `${summary.lint.errors} errors · ${summary.lint.warnings ?? 0} warnings`} | |`);
  out.push(`| Type errors | ${summary.typeErrors ?? "not measured"} | |`);
  const sec = summary.security;
  out.push(`| Vulnerabilities | ${sec.critical === null ? "not audited" : `critical ${sec.critical} · high ${sec.high} · moderate ${sec.moderate} · low ${sec.low}`} | |`);
  out.push(`| Broken doc links | ${summary.docs.brokenLinks ?? "not checked"} | |`);
  if (c.reasons.length > 0) out.push("", `> ⚠️ ${escapeMd(c.reasons.join("; "))}`);
  for (const a of summary.alerts ?? []) out.push("", `> 🔻 ${escapeMd(a.message)}`);
  if (t.failing.length > 0) {
    out.push("", "<details><summary>Failing tests</summary>", "");
    for (const f of t.failing.slice(0, 50)) out.push(`- ${forMarkdownCode(f.id)}${f.message ? ` — ${escapeMd(f.message.split("\n")[0] ?? "")}` : ""}`);
    if (t.failing.length > 50) out.push(`- … ${t.failing.length - 50} more (\`shipgate show --json\`)`);
    out.push("", "</details>");
  }
  if (c.packages.length > 1) {
    out.push("", "| Package | Lines | Branches | Functions | Statements |", "| --- | --- | --- | --- | --- |");
    for (const p of c.packages) out.push(`| ${escapeMd(p.name)} | ${showPct(p.lines)} | ${showPct(p.branches)} | ${showPct(p.functions)} | ${showPct(p.statements)} |`);
  }
  out.push("", "<details><summary>Evidence</summary>", "", "| Report | Format | Tool | sha256 |", "| --- | --- | --- | --- |");
  for (const s of summary.sources) out.push(`| ${escapeMd(s.path)} | ${s.format} | ${s.tool ? escapeMd(`${s.tool.name} ${s.tool.version ?? ""}`.trim()) : "—"} | \`${s.sha256.slice(0, 12)}\` |`);
  out.push("", "</details>");
  return out.join("\n");
}

/** Tool text in markdown: one line, at most 200 characters, markdown's active characters escaped (sanitize.ts). */
const escapeMd = (text: string) => forMarkdown(text, 200);

/** `shipgate history` as a table. */
export function renderHistoryText(snapshots: SnapshotRecord[], options: TextOptions): string {
  const s = styles(options.color);
  if (snapshots.length === 0) return "no snapshots yet: run `shipgate assess`";
  const rows = snapshots.map((snap) => {
    const sum = snap.summary as Partial<AssessSummary>;
    const tests = sum.tests ? (sum.tests.status === "unknown" ? "unknown" : `${sum.tests.passed}/${sum.tests.total} passed, ${sum.tests.failed + sum.tests.errored} failing`) : "?";
    const lines = sum.coverage ? showPct(sum.coverage.lines) : "?";
    return [`#${snap.id}`, snap.takenAt.replace("T", " ").slice(0, 19), snap.git.commit?.slice(0, 10) ?? "—", tests, lines];
  });
  const head = ["id", "taken at (UTC)", "commit", "tests", "line coverage"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] as number)).join("  ").trimEnd();
  return [s.bold(line(head)), ...rows.map(line)].join("\n");
}

/** `shipgate diff` in the terminal. */
export function renderDiffText(diff: SnapshotDiff, options: TextOptions): string {
  const s = styles(options.color);
  const out: string[] = [s.bold(`snapshot #${diff.from.id} → #${diff.to.id}`), ""];
  const section = (title: string, list: SnapshotDiff["tests"]["newlyFailing"], mark: string) => {
    if (list.length === 0) return;
    out.push(s.bold(`${title} (${list.length})`));
    for (const t of list.slice(0, 50)) out.push(`  ${mark} ${oneLine(t.id)}  ${s.dim(`${t.before ?? "—"} → ${t.after ?? "—"}`)}`);
    if (list.length > 50) out.push(s.dim(`  … ${list.length - 50} more (see --json)`));
  };
  section("Newly failing", diff.tests.newlyFailing, s.red("✗"));
  section("Newly passing", diff.tests.newlyPassing, s.green("✓"));
  section("Appeared", diff.tests.appeared, "+");
  section("Disappeared", diff.tests.disappeared, "-");
  section("Other status changes", diff.tests.otherChanges, "~");
  const t = diff.tests;
  if (t.newlyFailing.length + t.newlyPassing.length + t.appeared.length + t.disappeared.length + t.otherChanges.length === 0) out.push("Tests: no change");
  if (diff.findings.new.length + diff.findings.fixed.length > 0) {
    out.push("", s.bold(`Findings: ${diff.findings.new.length} new, ${diff.findings.fixed.length} fixed`));
    for (const f of diff.findings.new.slice(0, 30)) out.push(`  ${s.red("+")} ${oneLine(f.file ?? "—")}${f.line ? `:${f.line}` : ""}  ${oneLine(f.ruleId ?? f.tool)}  ${s.dim(oneLine(f.message))}`);
    for (const f of diff.findings.fixed.slice(0, 30)) out.push(`  ${s.green("-")} ${oneLine(f.file ?? "—")}${f.line ? `:${f.line}` : ""}  ${oneLine(f.ruleId ?? f.tool)}  ${s.dim(oneLine(f.message))}`);
  }
  out.push("", s.bold("Coverage"));
  for (const [m, ch] of Object.entries(diff.coverage.overall)) {
    const delta = ch.delta === null ? "" : ` (${ch.delta > 0 ? "+" : ""}${ch.delta.toFixed(2)})`;
    out.push(`  ${m.padEnd(10)} ${showPct(ch.before)} → ${showPct(ch.after)}${delta}`);
  }
  if (diff.coverage.files.length > 0) {
    out.push("  files:");
    for (const f of diff.coverage.files.slice(0, 20)) {
      const delta = f.lines.delta === null ? f.change : `${f.lines.delta > 0 ? "+" : ""}${f.lines.delta.toFixed(2)}`;
      out.push(`    ${delta.padStart(8)}  ${oneLine(f.path)}  ${s.dim(`${showPct(f.lines.before)} → ${showPct(f.lines.after)}`)}`);
    }
    if (diff.coverage.files.length > 20) out.push(s.dim(`    … ${diff.coverage.files.length - 20} more (see --json)`));
  }
  return out.join("\n");
}
