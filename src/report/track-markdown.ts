/**
 * The tracker document (`shipgate track report --markdown`), the standup and the review as markdown. Renders only:
 * every figure comes from the `Tracker` / `Standup` / `Review` (track/model.ts), formatting and simple sums aside;
 * what is unknown prints as "unknown" or "not measured", never as 0. Text people or tools wrote (titles, notes,
 * reasons, messages, ids) goes through `forMarkdown` (report/sanitize.ts): one line, markdown's active characters
 * escaped — a `|` cannot end a table cell, a newline cannot start a block.
 */
import type { AgentKind } from "../plan/types.js";
import type { BlockerEntry, MilestoneView, Review, RiskView, RunAt, Standup, ThroughputPeriod, Tracker } from "../track/model.js";
import type { MetricSeries, SeriesDay } from "../track/series.js";
import { forMarkdown, forMarkdownCode } from "./sanitize.js";
import { ageText, dayValue, forecastLine, hoursText, idealText, isTracked, milestoneDetail, minuteText, num, seriesDayOn, seriesName, shownProbability, signed, statusWord } from "./track-text.js";

/** The chart files written next to the document (file names relative to it); a chart not given is not linked. */
export interface TrackerCharts {
  burndown?: string;
  burnup?: string;
  score?: string;
  coverage?: string;
}

export interface TrackerMarkdownOptions {
  charts?: TrackerCharts;
}

/** Text people or tools wrote, in markdown prose or a table cell. */
const md = (text: string): string => forMarkdown(text, 300);
/** Text people wrote as a code span in a table cell: nothing inside is interpreted, a `|` cannot end the cell. */
const code = (text: string): string => forMarkdownCode(text, { max: 300, table: true });
/** An image link to a chart file: the name percent-encoded, so it cannot end the link or start another. */
const image = (alt: string, file: string): string => `![${alt}](${encodeURI(file).replace(/\(/g, "%28").replace(/\)/g, "%29")})`;
const row = (cells: readonly string[]): string => `| ${cells.join(" | ")} |`;
const head = (cells: readonly string[]): string[] => [row(cells), row(cells.map(() => "---"))];
/** A series' days by date (one lookup per cell, whatever the window's length). */
const daysByDate = (s: MetricSeries): Map<string, SeriesDay> => new Map(s.days.map((d) => [d.date, d]));
const pct = (v: number | null): string => (v === null ? "not measured" : `${num(v)} %`);

/** The full tracker document. */
export function renderTrackerMarkdown(t: Tracker, options: TrackerMarkdownOptions = {}): string {
  const charts = options.charts ?? {};
  const out: string[] = [`# Tracker — ${t.asOf}`, ""];
  const plan = t.plan === null ? "no plan imported" : `plan ${t.plan.source === null ? "(unknown file)" : code(t.plan.source)}${t.plan.hash === null ? "" : ` (sha256 ${t.plan.hash.slice(0, 12)})`}, ${t.plan.tasks} tasks`;
  const window = t.window === null ? "no program window" : `window ${t.window.start} → ${t.window.end}${t.window.workingDays ? " (working days)" : ""}, from ${t.window.source === "targets" ? "the plan's targets" : t.plan === null ? "the history" : "the plan's dates"}`;
  out.push(`As of ${minuteText(t.at)} UTC · ${plan} · ${window}${t.branch === null ? "" : ` · branch ${md(t.branch)}`}.`, "");

  out.push(...executiveSummary(t), "");
  out.push(...dailyProgress(t), "");
  out.push(...burndownSection(t, charts), "");
  out.push("## Forecast", "", forecastMarkdown(t), "");
  out.push(...riskSection(t.risks), "");
  out.push(...blockerLog(t), "");
  out.push(...scoreBreakdown(t), "");
  out.push(...coverageByComponent(t), "");
  out.push(...qualityTrends(t, charts), "");
  out.push(...flowSection(t), "");
  out.push(...milestoneSection(t.milestones), "");
  out.push(...successMatrix(t.milestones), "");
  out.push(...alertSection(t));
  return `${out.join("\n").trimEnd()}\n`;
}

function forecastMarkdown(t: Tracker): string {
  return md(forecastLine(t));
}

function executiveSummary(t: Tracker): string[] {
  const h = t.headline;
  const score = t.series.find((s) => s.metric === "score" && s.component === null);
  const day = score === undefined ? null : seriesDayOn(score, t.asOf);
  const scoreText =
    day === null
      ? `${num(h.score.value)}${h.score.target === null ? "" : `, target ${num(h.score.target)}`}${h.score.status === null ? "" : ` (${statusWord(h.score.status)})`}`
      : `${dayValue(day)}${day.target === null ? ", no target" : `, target ${num(day.target)}`} (${statusWord(day.status)})`;
  const ms = Object.entries(h.milestones)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k.replace("-", " ")}`);
  const openRisks = t.risks.filter((r) => r.status === "open").length;
  return [
    "## Executive summary",
    "",
    `- **Progress**: ${h.doneTasks} of ${h.scopeTasks} tasks done (${hoursText(h.doneHours)} of ${hoursText(h.scopeHours)}); ${idealText(h.behindIdealHours)}${h.idealHours === null ? "" : ` (ideal remaining ${hoursText(h.idealHours)})`}.`,
    `- **Score**: ${scoreText}${t.latest === null ? "" : `; level ${t.latest.level === null ? "unknown" : md(t.latest.level)} at snapshot ${t.latest.snapshotId}`}.`,
    `- **Forecast**: ${h.forecastP85 === null ? `unknown${t.forecast.reason === null ? "" : ` — ${md(t.forecast.reason)}`}` : t.forecast.remainingTasks === 0 ? `every task in scope is done (${h.forecastP85})` : `85 % of trials finish by ${h.forecastP85}`}.`,
    `- **Milestones**: ${ms.length === 0 ? "none" : ms.join(", ")}.`,
    `- **Blockers**: ${t.blockers.open.length} open · **Risks**: ${openRisks} open of ${t.risks.length} · **Alerts**: ${h.alerts}.`,
  ];
}

function dailyProgress(t: Tracker): string[] {
  const tracked = t.series.filter(isTracked);
  const out = ["## Daily progress vs targets", ""];
  if (tracked.length === 0) return [...out, "No metric has a target: add `targets:` to the plan."];
  out.push("Each cell: the day's value / its target (the difference), then its status. A day without a snapshot is not measured (the last reading is shown beside it).", "");
  out.push(...head(["Date", ...tracked.map((s) => md(seriesName(s)))]));
  const byDate = tracked.map(daysByDate);
  for (const date of tracked[0]?.days.map((d) => d.date) ?? []) {
    const cells = byDate.map((days) => {
      const d = days.get(date);
      if (d === undefined) return "not measured";
      if (!d.measured) return `${dayValue(d)}${d.target === null ? "" : ` / ${num(d.target)}`}`;
      if (d.target === null) return `${dayValue(d)} · no target`;
      return `${dayValue(d)} / ${num(d.target)} (${signed(d.difference)}) · ${statusWord(d.status)}`;
    });
    out.push(row([date, ...cells]));
  }
  return out;
}

function burndownSection(t: Tracker, charts: TrackerCharts): string[] {
  const out = ["## Burn-down and burn-up", ""];
  if (charts.burndown !== undefined) out.push(image("Burn-down: remaining tasks against the ideal line and the forecast cone", charts.burndown), "");
  if (charts.burnup !== undefined) out.push(image("Burn-up: done tasks against the scope line", charts.burnup), "");
  if (t.burndown.length === 0) return [...out, "No day in the window yet."];
  out.push(...head(["Date", "Scope (tasks)", "Done (tasks)", "Remaining (tasks)", "Scope (h)", "Done (h)", "Remaining (h)", "Ideal (h)", "Scope changes"]));
  for (const d of t.burndown) {
    const changes = [...d.added.map((id) => `+${md(id)}`), ...d.removed.map((id) => `−${md(id)}`), ...d.reestimated.map((r) => `${md(r.id)} ${num(r.from)} → ${num(r.to)} h`)];
    out.push(
      row([
        d.date,
        String(d.scopeTasks),
        String(d.doneTasks),
        String(d.remainingTasks),
        num(d.scopeHours),
        num(d.doneHours),
        num(d.remainingHours),
        d.idealHours === null ? "before the baseline" : num(d.idealHours),
        changes.join(", "),
      ]),
    );
  }
  return out;
}

const IMPACTS: RiskView["impact"][] = ["critical", "high", "medium", "low"];
const PROBABILITIES: RiskView["probability"][] = ["low", "medium", "high"];

function riskSection(risks: readonly RiskView[]): string[] {
  const out = ["## Risk matrix", ""];
  if (risks.length === 0) return [...out, "The plan lists no risks."];
  out.push(...head(["Impact \\ probability", ...PROBABILITIES]));
  for (const impact of IMPACTS) {
    const cells = PROBABILITIES.map((p) =>
      risks
        .filter((r) => r.impact === impact && r.probability === p)
        .map((r) => md(r.id))
        .join(", "),
    );
    out.push(row([impact, ...cells]));
  }
  out.push("", ...head(["Risk", "Description", "Impact", "Probability", "Exposure", "Status", "Owner", "Mitigation", "Last update"]));
  for (const r of risks) {
    const last = r.updates[r.updates.length - 1];
    const update = last === undefined ? "none" : `${minuteText(last.at)} ${last.status}${last.by === null ? "" : ` by ${md(last.by)}`}${last.note === null ? "" : `: ${md(last.note)}`}`;
    out.push(row([md(r.id), md(r.description), r.impact, r.probability, String(r.exposure), r.status, r.owner === null ? "—" : md(r.owner), r.mitigation === null ? "—" : md(r.mitigation), update]));
  }
  return out;
}

function blockerLog(t: Tracker): string[] {
  const out = ["## Blocker log", ""];
  if (t.blockers.log.length === 0) return [...out, "No task was blocked in the window."];
  out.push(...head(["Task", "Title", "By", "Reason", "Since", "Resolved", "Time to resolve"]));
  for (const b of t.blockers.log) out.push(row(blockerCells(b)));
  out.push("", `Median time to resolve: ${hoursText(t.blockers.medianHoursToResolve)}${t.blockers.medianHoursToResolve === null ? " (no blocker resolved yet)" : ""}.`);
  return out;
}

function blockerCells(b: BlockerEntry): string[] {
  return [
    md(b.task),
    md(b.title),
    b.by === null ? "unknown" : md(b.by),
    b.reason === null ? "—" : md(b.reason),
    minuteText(b.since),
    b.resolvedAt === null ? "open" : minuteText(b.resolvedAt),
    b.open ? `${hoursText(b.hours)} so far` : hoursText(b.hours),
  ];
}

function scoreBreakdown(t: Tracker): string[] {
  const out = ["## Score breakdown", ""];
  if (t.latest === null) return [...out, "No snapshot yet: run `shipgate assess`."];
  const l = t.latest;
  out.push(`Snapshot ${l.snapshotId} (${minuteText(l.takenAt)}${l.commit === null ? "" : `, commit \`${l.commit.slice(0, 10)}\``}): score **${num(l.score)}**, level ${l.level === null ? "unknown" : md(l.level)}.`, "");
  out.push(...head(["Category", "Score", "Weight"]));
  for (const c of l.categories) out.push(row([md(c.name), c.score === null ? "unknown" : num(c.score), num(c.weight)]));
  return out;
}

function coverageByComponent(t: Tracker): string[] {
  const out = ["## Coverage by component", ""];
  if (t.latest === null || t.latest.coverage.length === 0) return [...out, "Coverage not measured."];
  out.push(...head(["Component", "Lines", "Branches"]));
  for (const c of t.latest.coverage) out.push(row([c.component === null ? "(whole project)" : md(c.component), pct(c.lines), pct(c.branches)]));
  return out;
}

/** Project-level series of the score, the tests and the coverage, in the order they come. */
const isQuality = (s: MetricSeries): boolean => s.component === null && (s.metric === "score" || s.metric.startsWith("tests.") || s.metric.startsWith("coverage."));

function qualityTrends(t: Tracker, charts: TrackerCharts): string[] {
  const out = ["## Quality trends", ""];
  if (charts.score !== undefined) out.push(image("Score over the days against its target", charts.score), "");
  if (charts.coverage !== undefined) out.push(image("Coverage over the days against its target", charts.coverage), "");
  const series = t.series.filter(isQuality);
  if (series.length === 0) return [...out, "No score, test or coverage series."];
  out.push(...head(["Date", ...series.map((s) => md(s.metric))]));
  const byDate = series.map(daysByDate);
  for (const date of series[0]?.days.map((d) => d.date) ?? []) out.push(row([date, ...byDate.map((days) => dayValue(days.get(date)))]));
  return out;
}

const KINDS: { kind: AgentKind | "unknown"; label: string }[] = [
  { kind: "cli", label: "AI agents (cli)" },
  { kind: "script", label: "Scripts" },
  { kind: "human", label: "People" },
  { kind: "unknown", label: "Unknown agent" },
];

function flowSection(t: Tracker): string[] {
  const f = t.flow;
  const work = (x: { tasks: number; hours: number } | undefined) => (x === undefined ? "0" : `${x.tasks} (${hoursText(x.hours)})`);
  const byAgent = (p: ThroughputPeriod) =>
    Object.entries(p.byAgent)
      .map(([a, x]) => `${md(a)} ${work(x)}`)
      .join(", ");
  const out = ["## Flow", "", "Throughput per week: tasks done (their expected hours), by agent kind.", ""];
  out.push(...head(["Week of", "Tasks", "Hours", ...KINDS.map((k) => k.label), "By agent"]));
  for (const w of f.weekly) out.push(row([w.start, String(w.tasks), num(w.hours), ...KINDS.map((k) => work(w.byKind[k.kind])), byAgent(w) || "—"]));
  const c = f.cycleTime;
  out.push(
    "",
    `Cycle time (started → done, wall-clock): P50 ${hoursText(c.p50)} · P85 ${hoursText(c.p85)} · P95 ${hoursText(c.p95)} over ${c.count} task${c.count === 1 ? "" : "s"}.`,
    `Work in progress: ${f.wip.total}${f.wip.total === 0 ? "" : ` (${Object.entries(f.wip.byAgent).map(([a, n]) => `${md(a)} ${n}`).join(", ")})`}.`,
    "",
  );
  if (f.estimates.length === 0) {
    out.push("Estimate accuracy: unknown (no done task has runs).");
    return out;
  }
  out.push(`Estimate accuracy (hours the runs took against the PERT expected hours): actual / expected = ${num(f.estimateRatio)} overall.`, "");
  out.push(...head(["Task", "Expected (h)", "Actual (h)", "Actual / expected"]));
  for (const e of f.estimates) out.push(row([md(e.task), num(e.expectedHours), num(e.actualHours), e.ratio === null ? "unknown" : num(e.ratio)]));
  return out;
}

const MARK: Record<string, string> = { met: "✅", "not-met": "❌", unknown: "❔", missed: "❌", "at-risk": "⚠️", "on-track": "🟢" };

function milestoneSection(milestones: readonly MilestoneView[]): string[] {
  const out = ["## Milestones", ""];
  if (milestones.length === 0) return [...out, "The plan lists no milestones."];
  for (const m of milestones) {
    out.push(`### ${md(m.id)} — ${m.date} · ${MARK[m.status] ?? ""} ${m.status.replace("-", " ")}`, "");
    out.push(`${milestoneDetail(m)}${shownProbability(m) === null ? "" : " (share of forecast trials that finish the remaining work by the date)"}.`, "");
    out.push(...head(["Criterion", "Status", "Value", "Evidence"]));
    for (const c of m.criteria) {
      out.push(row([code(c.text), `${MARK[c.status] ?? ""} ${c.status.replace("-", " ")}`, c.kind === "gate" ? "—" : c.value === null ? "unknown" : num(c.value), c.evidence === null ? md(c.reason ?? "no evidence") : md(c.evidence)]));
    }
    out.push("");
  }
  return out;
}

function successMatrix(milestones: readonly MilestoneView[]): string[] {
  const out = ["## Success criteria", ""];
  const criteria: string[] = [];
  for (const m of milestones) for (const c of m.criteria) if (!criteria.includes(c.text)) criteria.push(c.text);
  if (criteria.length === 0) return [...out, "No milestone has criteria."];
  out.push(...head(["Milestone", ...criteria.map((c) => code(c))]));
  for (const m of milestones) {
    const cells = criteria.map((text) => {
      const c = m.criteria.find((x) => x.text === text);
      if (c === undefined) return "—";
      return `${MARK[c.status] ?? ""} ${c.status.replace("-", " ")}${c.kind === "condition" && c.value !== null ? ` (${num(c.value)})` : ""}`;
    });
    out.push(row([`${md(m.id)} (${m.date})`, ...cells]));
  }
  return out;
}

function alertSection(t: Tracker): string[] {
  const out = ["## Alerts", ""];
  if (t.alerts.length === 0) return [...out, "None."];
  out.push(...head(["When", "Kind", "Subject", "Message", "Stored"]));
  for (const a of t.alerts) out.push(row([minuteText(a.at), a.kind, md(a.subject), md(a.message), a.stored ? "yes" : "new"]));
  return out;
}

// ── standup and review ────────────────────────────────────────────────────────────────────────────────────────

const runText = (r: RunAt): string => `run ${r.id} (${r.agent}, attempt ${r.attempt}): ${r.outcome ?? "running"}${r.note === null ? "" : ` — ${md(r.note)}`}`;
const list = (items: string[], none: string): string[] => (items.length === 0 ? [none] : items.map((i) => `- ${i}`));

/** The standup document. */
export function renderStandupMarkdown(st: Standup): string {
  const out = [`# Standup — ${st.asOf}${st.agent === null ? "" : ` · ${md(st.agent)}`}`, "", `Since ${minuteText(st.since)} UTC.`, ""];
  out.push("## Done", "", ...list(st.done.map((d) => `**${md(d.task.id)}** ${md(d.task.title)}${d.runs.length === 0 ? "" : ` — ${d.runs.map(runText).join("; ")}`}`), "Nothing done in the period."), "");
  out.push(
    "## In progress",
    "",
    ...list(
      st.inProgress.map(
        (p) =>
          `**${md(p.task.id)}** ${md(p.task.title)} — ${md(p.task.by ?? p.task.owner)}${p.task.since === null ? "" : ` since ${minuteText(p.task.since)}`}${p.run === null ? ", no run" : `, run ${p.run.id}, last heartbeat ${ageText(p.leaseAgeSeconds)} ago`}`,
      ),
      "Nothing in progress.",
    ),
    "",
  );
  out.push("## Next", "", ...list(st.next.map((t) => `**${md(t.id)}** ${md(t.title)} (${md(t.owner)})`), "No task is ready."), "");
  out.push("## Blockers", "", ...list(st.blockers.map((b) => `**${md(b.task)}** ${md(b.title)} — ${b.by === null ? "" : `by ${md(b.by)} `}since ${minuteText(b.since)} (${hoursText(b.hours)})${b.reason === null ? "" : `: ${md(b.reason)}`}`), "None."), "");
  out.push("## Failed runs", "", ...list(st.failedRuns.map((r) => `**${md(r.task)}** ${runText(r)}, ended ${minuteText(r.endedAt ?? r.startedAt)}`), "None."), "");
  const m = st.metrics;
  out.push("## Metrics", "", ...head(["Metric", "Value"]));
  out.push(row(["Score", `${num(m.score)}${m.scoreChange === null ? "" : ` (${signed(m.scoreChange)} since ${st.since.slice(0, 10)})`}`]));
  out.push(row(["Failed tests", num(m.testsFailed)]), row(["Line coverage", pct(m.coverageLines)]), "");
  out.push("## Action items", "", ...(st.actions.length === 0 ? ["None."] : st.actions.map((a, i) => `${i + 1}. ${md(a)}`)));
  return `${out.join("\n").trimEnd()}\n`;
}

/** The review document. */
export function renderReviewMarkdown(rv: Review): string {
  const out = [`# Review — ${rv.since.slice(0, 10)} → ${rv.asOf}`, "", `The period from ${minuteText(rv.since)} UTC to the end of ${rv.asOf}.`, ""];
  out.push("## Goals", "");
  if (rv.goals.length === 0) out.push("No metric has a target: add `targets:` to the plan.");
  else {
    out.push(...head(["Metric", "Target", "Value", "Status"]));
    for (const g of rv.goals) out.push(row([md(seriesName(g)), g.target === null ? "no target" : num(g.target), dayValue(g), statusWord(g.status)]));
  }
  out.push("", "## Accomplishments", "", ...list(rv.accomplishments.map((a) => `**${md(a.task.id)}** ${md(a.task.title)} — ${md(a.task.by ?? a.task.owner)}, ${minuteText(a.doneAt)}`), "No task done in the period."), "");
  const c = rv.challenges;
  out.push("## Challenges", "");
  out.push("### Failed runs", "", ...list(c.failedRuns.map((r) => `**${md(r.task)}** ${runText(r)}`), "None."), "");
  out.push(
    "### Blockers",
    "",
    ...list(c.blockers.map((b) => `**${md(b.task)}** ${md(b.title)} — ${b.open ? `open for ${hoursText(b.hours)}` : `resolved in ${hoursText(b.hours)}`}${b.reason === null ? "" : `: ${md(b.reason)}`}`), "None."),
    "",
  );
  out.push("### Missed milestones", "", ...list(c.missedMilestones.map((m) => `**${md(m.id)}** (due ${m.date})`), "None."), "");
  out.push("### Behind target", "", ...list(c.behindTargets.map(md), "None."), "");
  out.push("### Alerts in the period", "", ...list(c.alerts.map((a) => `${minuteText(a.at)} **${a.kind}** — ${md(a.message)}`), "None."), "");
  const m = rv.metrics;
  out.push("## Metrics", "", ...head(["Metric", "Value"]));
  out.push(row(["Score", `${num(m.scoreFrom)} → ${num(m.scoreTo)}`]), row(["Tasks done", String(m.doneTasks)]));
  out.push(row(["Throughput", m.throughputPerDay === null ? "unknown" : `${num(m.throughputPerDay)} tasks a day`]), row(["Cycle time P50", hoursText(m.cycleTimeP50)]), "");
  out.push("## Next steps", "", ...(rv.nextSteps.length === 0 ? ["None."] : rv.nextSteps.map((n, i) => `${i + 1}. ${md(n)}`)));
  return `${out.join("\n").trimEnd()}\n`;
}

