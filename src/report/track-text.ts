/**
 * The tracker on the terminal (`shipgate track`), and the short terminal forms of the standup and the review.
 * Renders only: every figure comes from the `Tracker` (track/model.ts); what is unknown prints as "unknown" or
 * "not measured", never as 0. Text people or tools wrote (titles, notes, reasons, messages) goes through
 * `forTerminal` (report/sanitize.ts): no escape sequence, no control, one line.
 */
import type { MetricSeries, SeriesDay, SeriesStatus } from "../track/series.js";
import type { MilestoneView, Review, RunAt, Standup, Tracker } from "../track/model.js";
import { forTerminal, MAX_INLINE } from "./sanitize.js";
import { styles, type Styles } from "./style.js";

export interface TrackTextOptions {
  color?: boolean;
  /** The terminal's width: free text is cut to fit (at least 40); absent, text is cut at 500 characters only. */
  width?: number;
}

// ── shared formatting (the markdown renderer uses it too) ─────────────────────────────────────────────────────────

/** A number as measured, or "unknown". Never turns null into 0. */
export const num = (v: number | null | undefined): string => (v === null || v === undefined ? "unknown" : String(clean(v)));
/** A difference with its sign ("+0.3", "-1.8", "0"); "" when unknown. */
export const signed = (v: number | null): string => (v === null ? "" : v > 0 ? `+${clean(v)}` : String(clean(v)));
/** Hours as "34 h" (0.01 precision kept), or "unknown". */
export const hoursText = (v: number | null): string => (v === null ? "unknown" : `${clean(v)} h`);
/** A 0–1 share as "41 %", or "unknown". */
export const percentText = (v: number | null): string => (v === null ? "unknown" : `${Math.round(v * 100)} %`);
/** "2026-12-02 10:00" (UTC) from an ISO time. */
export const minuteText = (iso: string): string => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : new Date(ms).toISOString().slice(0, 16).replace("T", " ");
};
/** "not measured (last 71.2 on 2026-12-03)", or the value. */
export function dayValue(day: Pick<SeriesDay, "value" | "previous"> | null | undefined): string {
  if (day === null || day === undefined) return "not measured";
  if (day.value !== null) return String(clean(day.value));
  return day.previous === null ? "not measured" : `not measured (last ${clean(day.previous.value)} on ${day.previous.date})`;
}
/** The series' row of `date`, else its last row before it (a weekend with working days). */
export function seriesDayOn(s: MetricSeries, date: string): SeriesDay | null {
  let found: SeriesDay | null = null;
  for (const d of s.days) if (d.date <= date) found = d;
  return found;
}
/** A tracked metric: its series has a target on some day. */
export const isTracked = (s: MetricSeries): boolean => s.days.some((d) => d.target !== null);
export const seriesName = (s: Pick<MetricSeries, "metric" | "component">): string => (s.component === null ? s.metric : `${s.metric} (${s.component})`);
/** "19 h behind the ideal line", "4 h ahead of the ideal line", "on the ideal line", or why there is none. */
export function idealText(behind: number | null): string {
  if (behind === null) return "no ideal line yet (before the baseline)";
  if (behind > 0) return `${clean(behind)} h behind the ideal line`;
  if (behind < 0) return `${clean(-behind)} h ahead of the ideal line`;
  return "on the ideal line";
}
export const statusWord = (s: SeriesStatus | null): string => (s === null ? "unknown" : s.replace("-", " "));

/** Drops floating-point noise (0.30000000000000004 → 0.3) without rounding real digits away. */
const clean = (x: number): number => Math.round(x * 1e9) / 1e9 + 0;

// ── the tracker ───────────────────────────────────────────────────────────────────────────────────────────────

/** `shipgate track`: today vs target, burn-down, forecast, milestones, open blockers, alerts. */
export function renderTracker(t: Tracker, options: TrackTextOptions = {}): string {
  const s = styles(options.color === true);
  const room = roomOf(options);
  const text = (value: string, used = 0) => forTerminal(value, Math.max(20, room - used));
  const out: string[] = [];

  const plan = t.plan === null ? "no plan imported" : `plan ${text(t.plan.source ?? "(unknown file)", 60)} (${t.plan.tasks} tasks)`;
  const window = t.window === null ? "no window" : `${t.window.start} → ${t.window.end}${t.window.workingDays ? " (working days)" : ""}`;
  out.push(`${s.bold(`Tracker ${t.asOf}`)}  ${s.dim(`${plan} · ${window}${t.branch === null ? "" : ` · branch ${text(t.branch, 80)}`}`)}`);
  out.push(
    t.latest === null
      ? s.dim("  no snapshot yet: run `shipgate assess`")
      : s.dim(`  latest snapshot ${t.latest.snapshotId} on ${minuteText(t.latest.takenAt)}${t.latest.commit === null ? "" : ` at ${t.latest.commit.slice(0, 10)}`} · level ${t.latest.level ?? "unknown"}`),
  );
  out.push("");

  out.push(s.bold("Today vs target"));
  const tracked = t.series.filter(isTracked);
  const rows: string[][] = [];
  if (!tracked.some((x) => x.metric === "score" && x.component === null)) {
    // Untracked score: its series still says whether the day was measured (and the last reading when it was not).
    const h = t.headline.score;
    const score = t.series.find((x) => x.metric === "score" && x.component === null);
    const d = score === undefined ? null : seriesDayOn(score, t.asOf);
    rows.push(["score", d === null ? num(h.value) : dayValue(d), h.target === null ? "no target" : `target ${num(h.target)}`, "", statusWord(h.status)]);
  }
  for (const x of tracked) {
    const d = seriesDayOn(x, t.asOf);
    rows.push([
      seriesName(x),
      dayValue(d),
      d === null || d.target === null ? "no target" : `target ${num(d.target)}`,
      d === null ? "" : signed(d.difference),
      statusWord(d?.status ?? "not-measured"),
    ]);
  }
  out.push(...table(rows, s, (row) => row[4] === "behind" ? s.red : row[4] === "met" ? s.green : s.dim, text));
  out.push("");

  const h = t.headline;
  // The burn-down's own remaining hours (from unrounded estimates): the headline's rounded scope − done can be 0.01 off.
  const remainingHours = t.burndown.find((d) => d.date === t.asOf)?.remainingHours ?? clean(h.scopeHours - h.doneHours);
  out.push(s.bold("Burn-down"));
  out.push(`  done ${h.doneTasks}/${h.scopeTasks} tasks, ${hoursText(h.doneHours)} of ${hoursText(h.scopeHours)} · remaining ${h.scopeTasks - h.doneTasks} task${h.scopeTasks - h.doneTasks === 1 ? "" : "s"}, ${hoursText(remainingHours)}`);
  const ideal = idealText(h.behindIdealHours);
  out.push(`  ideal remaining ${hoursText(h.idealHours)} → ${h.behindIdealHours !== null && h.behindIdealHours > 0 ? s.red(ideal) : s.green(ideal)}`);
  out.push("");

  out.push(s.bold("Forecast"));
  out.push(`  ${forecastLine(t)}`);
  out.push("");

  out.push(s.bold(`Milestones (${t.milestones.length})`));
  if (t.milestones.length === 0) out.push(s.dim("  none in the plan"));
  const idWidth = Math.max(0, ...t.milestones.map((m) => Math.min(24, m.id.length)));
  for (const m of t.milestones) {
    out.push(`  ${milestoneMark(m, s)} ${text(m.id, 60).padEnd(idWidth)}  ${m.date}  ${m.status.padEnd(8)}  ${s.dim(milestoneDetail(m))}`);
    for (const c of m.criteria.filter((x) => x.status !== "met")) {
      const what = c.status === "unknown" ? `unknown: ${c.reason ?? "no evidence"}` : `not met${c.value === null ? "" : ` (${num(c.value)})`}${c.evidence === null ? "" : `: ${c.evidence}`}`;
      out.push(`      ${c.status === "unknown" ? s.yellow("?") : s.red("✗")} ${text(`${c.text} — ${what}`, 10)}`);
    }
  }
  out.push("");

  const open = t.blockers.open;
  out.push(s.bold(`Blockers (${open.length} open)`));
  if (open.length === 0) out.push(s.dim("  none"));
  for (const b of open) {
    out.push(`  ${s.red("■")} ${text(`${b.task} ${b.title}`, 60)} — ${text(`${b.by === null ? "" : `by ${b.by} `}since ${minuteText(b.since)} (${hoursText(b.hours)})${b.reason === null ? "" : `: ${b.reason}`}`, 40)}`);
  }
  out.push("");

  out.push(s.bold(`Alerts (${t.alerts.length})`));
  if (t.alerts.length === 0) out.push(s.dim("  none"));
  for (const a of t.alerts) out.push(`  ${s.yellow("▲")} ${minuteText(a.at)}  ${a.kind.padEnd(23)} ${text(a.message, 45)}${a.stored ? "" : s.dim(" (new)")}`);
  return out.join("\n");
}

/** "P50 2026-12-21 · P85 2026-12-29 · P95 2027-01-05 (…)" or the reason there is none. */
export function forecastLine(t: Tracker): string {
  const f = t.forecast;
  if (f.p50 === null && f.p85 === null && f.p95 === null) return `unknown: ${forTerminal(f.reason ?? "no forecast")}`;
  if (f.remainingTasks === 0) return `every task in scope is done (the last on ${f.p50 ?? "an unknown day"})`;
  return `P50 ${f.p50 ?? "unknown"} · P85 ${f.p85 ?? "unknown"} · P95 ${f.p95 ?? "unknown"} (${f.remainingTasks} task${f.remainingTasks === 1 ? "" : "s"} left; ${f.trials.toLocaleString("en-US")} trials over ${f.historyDays} days of throughput, seed ${f.seed}; the remaining critical path takes at least ${f.floorDays} working day${f.floorDays === 1 ? "" : "s"})`;
}

function milestoneMark(m: MilestoneView, s: Styles): string {
  if (m.status === "met") return s.green("✓");
  if (m.status === "missed") return s.red("✗");
  if (m.status === "at-risk") return s.yellow("!");
  if (m.status === "on-track") return s.green("·");
  return s.yellow("?");
}

/**
 * The milestone's probability as a reader should see it: none once it is met — the share of trials that finish the
 * program's remaining work says nothing more about a milestone whose criteria already hold ("met, 0 % likely").
 */
export const shownProbability = (m: MilestoneView): number | null => (m.status === "met" ? null : m.probability);

/** "41 % likely · 5 working days left" / "5 working days ago". */
export function milestoneDetail(m: MilestoneView): string {
  const days = m.daysLeft >= 0 ? `${m.daysLeft} working day${m.daysLeft === 1 ? "" : "s"} left` : `${-m.daysLeft} working day${m.daysLeft === -1 ? "" : "s"} ago`;
  const probability = shownProbability(m);
  return probability === null ? days : `${percentText(probability)} likely · ${days}`;
}

/** Aligned rows; the first cell of a row is its name. */
function table(rows: string[][], s: Styles, paint: (row: string[]) => (x: string) => string, text: (v: string, used?: number) => string): string[] {
  const cells = rows.map((r) => r.map((c, i) => (i === 0 ? text(c, 60) : c)));
  const widths = (cells[0] ?? []).map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  return cells.map((r) => {
    const last = r.length - 1;
    const line = r.map((c, i) => (i === last ? paint(r)(c) : c.padEnd(widths[i] as number))).join("  ");
    return `  ${line}`.trimEnd();
  });
}

// ── standup and review, short forms ───────────────────────────────────────────────────────────────────────────

function runLine(r: RunAt): string {
  return `run ${r.id} ${r.outcome ?? "running"}${r.note === null ? "" : `: ${r.note}`}`;
}

/** `shipgate track standup` on the terminal: one line per item. */
export function renderStandupText(st: Standup, options: TrackTextOptions = {}): string {
  const s = styles(options.color === true);
  const room = roomOf(options);
  const text = (value: string, used = 4) => forTerminal(value, Math.max(20, room - used));
  const out: string[] = [s.bold(`Standup ${st.asOf}${st.agent === null ? "" : ` · ${text(st.agent, 40)}`}`) + s.dim(`  since ${minuteText(st.since)}`)];
  const section = (title: string, lines: string[]) => {
    out.push(s.bold(`${title} (${lines.length})`));
    out.push(...(lines.length === 0 ? [s.dim("  none")] : lines.map((l) => `  ${l}`)));
  };
  section("Done", st.done.map((d) => text(`${d.task.id} ${d.task.title}${d.runs.length === 0 ? "" : ` — ${d.runs.map(runLine).join(", ")}`}`)));
  section(
    "In progress",
    st.inProgress.map((p) =>
      text(`${p.task.id} ${p.task.title} — ${p.task.by ?? p.task.owner}${p.task.since === null ? "" : ` since ${minuteText(p.task.since)}`}${p.run === null ? ", no run" : `, run ${p.run.id}, heartbeat ${ageText(p.leaseAgeSeconds)} ago`}`),
    ),
  );
  section("Next", st.next.map((t) => text(`${t.id} ${t.title} (${t.owner})`)));
  section("Blockers", st.blockers.map((b) => text(`${b.task} ${b.title} — ${b.by === null ? "" : `by ${b.by} `}since ${minuteText(b.since)}${b.reason === null ? "" : `: ${b.reason}`}`)));
  section("Failed runs", st.failedRuns.map((r) => text(`${r.task} ${runLine(r)} (${r.agent}, ended ${minuteText(r.endedAt ?? r.startedAt)})`)));
  const m = st.metrics;
  out.push(`${s.bold("Metrics")}  score ${num(m.score)}${m.scoreChange === null ? "" : ` (${signed(m.scoreChange)} since ${st.since.slice(0, 10)})`} · tests failed ${num(m.testsFailed)} · line coverage ${m.coverageLines === null ? "unknown" : `${num(m.coverageLines)} %`}`);
  section("Actions", st.actions.map((a) => text(a)));
  return out.join("\n");
}

/** `shipgate track review` on the terminal. */
export function renderReviewText(rv: Review, options: TrackTextOptions = {}): string {
  const s = styles(options.color === true);
  const room = roomOf(options);
  const text = (value: string, used = 4) => forTerminal(value, Math.max(20, room - used));
  const out: string[] = [s.bold(`Review ${rv.since.slice(0, 10)} → ${rv.asOf}`)];
  const section = (title: string, lines: string[]) => {
    out.push(s.bold(`${title} (${lines.length})`));
    out.push(...(lines.length === 0 ? [s.dim("  none")] : lines.map((l) => `  ${l}`)));
  };
  section("Goals", rv.goals.map((g) => text(`${seriesName(g)}: ${dayValue(g)}, ${g.target === null ? "no target" : `target ${num(g.target)}`} — ${statusWord(g.status)}`)));
  section("Accomplishments", rv.accomplishments.map((a) => text(`${a.task.id} ${a.task.title} (${a.task.by ?? a.task.owner}, ${minuteText(a.doneAt)})`)));
  const c = rv.challenges;
  section("Challenges", [
    ...c.failedRuns.map((r) => text(`run ${r.id} of ${r.task} ${r.outcome ?? "running"}${r.note === null ? "" : `: ${r.note}`}`)),
    ...c.blockers.map((b) => text(`${b.task} blocked${b.open ? " (open)" : `, resolved in ${hoursText(b.hours)}`}${b.reason === null ? "" : `: ${b.reason}`}`)),
    ...c.missedMilestones.map((m) => `milestone ${text(m.id, 40)} missed (due ${m.date})`),
    ...c.behindTargets.map((b) => text(b)),
  ]);
  section("Alerts in the period", c.alerts.map((a) => text(`${minuteText(a.at)} ${a.kind}: ${a.message}`)));
  const m = rv.metrics;
  out.push(
    `${s.bold("Metrics")}  score ${num(m.scoreFrom)} → ${num(m.scoreTo)} · ${m.doneTasks} task${m.doneTasks === 1 ? "" : "s"} done · ${m.throughputPerDay === null ? "throughput unknown" : `${num(m.throughputPerDay)} tasks a day`} · cycle time P50 ${hoursText(m.cycleTimeP50)}`,
  );
  section("Next steps", rv.nextSteps.map((n) => text(n)));
  return out.join("\n");
}

/** Columns a line may take. */
const roomOf = (options: TrackTextOptions): number => (options.width === undefined ? MAX_INLINE + 80 : Math.max(40, options.width));

/** "18h 00m" from seconds; "unknown" for null. */
export function ageText(seconds: number | null): string {
  if (seconds === null) return "unknown";
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
