/**
 * The tracker's charts as standalone SVG (issue 12), in the Gantt's visual language (report/svg.ts): burn-down and
 * burn-up with the scope line, the ideal line and the forecast cone; metric trends against their targets.
 *
 * Renderers compute nothing: every value drawn is in the `Tracker` (or the `MetricSeries`) given. Units: the
 * burn charts draw tasks or expected hours (`unit`); the forecast is made in tasks (`ForecastView.cone`), so the
 * cone is drawn only on the charts in tasks, while its completion dates (P50 / P85 / P95) are marked on both.
 * The same input gives the same bytes; text is escaped; an empty history gives a "no data yet" chart.
 */
import type { BurndownDay } from "../track/burndown.js";
import type { MilestoneStatus, Tracker } from "../track/model.js";
import type { MetricSeries, SeriesDay } from "../track/series.js";
import { CHAR_WIDTH, CRITICAL, dateOf, dayOf, FONT_FAMILY, isWeekend, num, PALETTE, TODAY, WEEKDAYS, WEEKEND, weekdayOf, xml } from "./svg.js";

/** What a burn chart counts: tasks (with the forecast cone) or PERT expected hours. */
export type ChartUnit = "tasks" | "hours";

export interface BurnChartOptions {
  /** Default "tasks": the unit the forecast is made in, so the chart shows its cone. */
  unit?: ChartUnit;
}

export interface TrendOptions {
  /** The chart's title; default: the metrics' names. */
  title?: string;
}

// ── layout ─────────────────────────────────────────────────────────────────────────────────────────────────────

const WIDTH = 960;
const PLOT_LEFT = 72;
const PLOT_RIGHT = WIDTH - 40;
const PLOT_HEIGHT = 300;
/** Where the band of marks above the plot (scope changes, milestones, the as-of day) begins. */
const BAND_TOP = 56;
const BAND_ROW = 16;
const MAX_BAND_ROWS = 4;
/** A weekend column is this share of a working day's when the program counts working days (as the Gantt). */
const WEEKEND_SHARE = 0.25;
/** The chart reaches at most this far past the program's end (or the as-of day), in days: max(14, half the span so far). */
const MIN_LOOKAHEAD = 14;

const REMAINING = PALETTE[0] as string;
const FORECAST = PALETTE[1] as string;
const DONE = PALETTE[2] as string;
const CHANGE = PALETTE[5] as string;
const SCOPE = "#333";
const IDEAL = "#888";
const MET = "#2e7d32";
const MILESTONE: Record<MilestoneStatus, string> = { met: MET, missed: CRITICAL, "at-risk": "#ef6c00", "on-track": "#111", unknown: "#888" };

/** Where days go across the plot: one column per calendar day, weekends narrow when the program counts working days. */
interface XScale {
  first: number;
  last: number;
  dayWidth: number;
  narrowWeekends: boolean;
  /** x of the left edge of a day's column (days past the last extend at full width, for clipped forecasts). */
  start: (day: number) => number;
  /** Width of a day's column. */
  width: (day: number) => number;
  /** x of a day's value: the middle of its column (a value is the state at the end of its day). */
  at: (day: number) => number;
}

function xScale(first: number, last: number, narrowWeekends: boolean): XScale {
  const share = (day: number) => (narrowWeekends && isWeekend(day) ? WEEKEND_SHARE : 1);
  let units = 0;
  for (let d = first; d <= last; d++) units += share(d);
  const dayWidth = (PLOT_RIGHT - PLOT_LEFT) / Math.max(units, 1);
  const edges = new Float64Array(last - first + 2);
  edges[0] = PLOT_LEFT;
  for (let d = first; d <= last; d++) edges[d - first + 1] = (edges[d - first] as number) + share(d) * dayWidth;
  const start = (day: number) => {
    if (day <= first) return PLOT_LEFT + (day - first) * dayWidth;
    if (day > last + 1) return PLOT_RIGHT + (day - last - 1) * dayWidth;
    return edges[day - first] as number;
  };
  const width = (day: number) => (day < first || day > last ? dayWidth : share(day) * dayWidth);
  return { first, last, dayWidth, narrowWeekends, start, width, at: (day) => start(day) + width(day) / 2 };
}

interface YScale {
  lo: number;
  hi: number;
  ticks: number[];
  top: number;
  bottom: number;
  at: (value: number) => number;
}

/** A y axis over [lo, hi] with 4–8 round ticks (whole numbers only when `whole`). */
function yScale(lo: number, hi: number, top: number, whole: boolean): YScale {
  if (!(hi > lo)) hi = lo + (whole ? 1 : Math.max(1, Math.abs(lo) * 0.1));
  const raw = (hi - lo) / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  let step = (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * power;
  if (whole) step = step < 1 ? 1 : Number.isInteger(step) ? step : Math.ceil(step);
  const from = Math.floor(lo / step + 1e-9) * step;
  const to = Math.max(from + step, Math.ceil(hi / step - 1e-9) * step);
  const ticks: number[] = [];
  for (let v = from; v <= to + step / 2; v += step) ticks.push(clean(v));
  const bottom = top + PLOT_HEIGHT;
  return { lo: from, hi: to, ticks, top, bottom, at: (v) => bottom - ((v - from) / (to - from)) * PLOT_HEIGHT };
}

/** The plot's frame: weekend columns, grid, axes, tick labels, axis titles. */
function frame(x: XScale, y: YScale, yTitle: string): string[] {
  const out: string[] = [];
  const { top, bottom } = y;
  for (let d = x.first; d <= x.last; d++) {
    if (isWeekend(d)) out.push(`<rect class="weekend" x="${num(x.start(d))}" y="${top}" width="${num(x.width(d))}" height="${PLOT_HEIGHT}" fill="${WEEKEND}"/>`);
    if (weekdayOf(d) === 0 && d > x.first) out.push(`<line x1="${num(x.start(d))}" y1="${top}" x2="${num(x.start(d))}" y2="${bottom}" stroke="#d5d9de"/>`);
  }
  for (const t of y.ticks) {
    const ty = y.at(t);
    out.push(`<line x1="${PLOT_LEFT}" y1="${num(ty)}" x2="${PLOT_RIGHT}" y2="${num(ty)}" stroke="${t === y.lo ? "#333" : "#e3e6ea"}"/>`);
    out.push(`<text x="${PLOT_LEFT - 6}" y="${num(ty + 4)}" font-size="11" fill="#333" text-anchor="end">${numberText(t)}</text>`);
  }
  out.push(`<line x1="${PLOT_LEFT}" y1="${top}" x2="${PLOT_LEFT}" y2="${bottom}" stroke="#333"/>`);
  out.push(`<text x="12" y="${top - 8}" font-size="11" fill="#333">${xml(yTitle)}</text>`);
  // Date labels: every day when there is room, else Mondays (every few weeks on long programs).
  const wide = x.dayWidth >= 72;
  const weekWidth = x.dayWidth * (x.narrowWeekends ? 5 + 2 * WEEKEND_SHARE : 7);
  const daily = x.dayWidth >= (wide ? 64 : 40);
  const everyWeeks = Math.max(1, Math.ceil(48 / weekWidth));
  for (let d = x.first; d <= x.last; d++) {
    const weekday = weekdayOf(d);
    if (daily ? x.narrowWeekends && isWeekend(d) : weekday !== 0 || Math.floor((d - x.first) / 7) % everyWeeks !== 0) continue;
    const date = dateOf(d);
    const text = wide ? `${WEEKDAYS[weekday] as string} ${date.slice(5)}` : date.slice(5);
    const lx = daily ? x.at(d) : x.start(d);
    out.push(`<line x1="${num(lx)}" y1="${bottom}" x2="${num(lx)}" y2="${bottom + 4}" stroke="#333"/>`);
    out.push(`<text x="${num(lx)}" y="${bottom + 16}" font-size="11" fill="#333" text-anchor="middle">${text}</text>`);
  }
  return out;
}

/** A mark in the band above the plot, centred on `x` (its text starts right of a small symbol). */
interface BandMark {
  x: number;
  text: string;
  colour: string;
  symbol: "badge" | "diamond" | "line";
  tip: string;
  cls: string;
  data: string;
}

/** Places the marks in rows so that their labels do not overlap; returns the rows used and the SVG per mark. */
function placeBand(marks: readonly BandMark[]): { rows: number; draw: (plotTop: number, plotBottom: number) => string[] } {
  const ends: number[] = [];
  const placed = marks.map((m) => {
    const w = [...m.text].length * CHAR_WIDTH * 0.92;
    // A label that would run off the right edge is written to the left of its mark.
    const flip = m.x + 7 + w > WIDTH - 4;
    const from = flip ? m.x - 7 - w : m.x - 5;
    let row = ends.findIndex((end) => from > end + 6);
    if (row === -1) row = ends.length < MAX_BAND_ROWS ? ends.length : ends.indexOf(Math.min(...ends));
    ends[row] = flip ? m.x + 5 : m.x + 7 + w;
    return { m, row, flip };
  });
  const rows = ends.length;
  return {
    rows,
    draw: (plotTop, plotBottom) =>
      placed.map(({ m, row, flip }) => {
        const y = BAND_TOP + row * BAND_ROW + 11;
        const guide =
          m.symbol === "line" ? `stroke="${m.colour}" stroke-width="2"` : m.symbol === "diamond" ? `stroke="#111" stroke-dasharray="3 3"` : `stroke="${m.colour}" stroke-dasharray="2 3" stroke-opacity="0.8"`;
        const symbol =
          m.symbol === "diamond"
            ? `<polygon points="${num(m.x)},${y - 10} ${num(m.x + 5)},${y - 5} ${num(m.x)},${y} ${num(m.x - 5)},${y - 5}" fill="${m.colour}"/>`
            : m.symbol === "badge"
              ? `<circle cx="${num(m.x)}" cy="${y - 4}" r="4" fill="${m.colour}"/>`
              : "";
        return (
          `<g class="${m.cls}" ${m.data}><title>${xml(m.tip)}</title>` +
          `<line x1="${num(m.x)}" y1="${m.symbol === "line" ? plotTop - 2 : y}" x2="${num(m.x)}" y2="${plotBottom}" ${guide}/>` +
          symbol +
          `<text x="${num(flip ? m.x - 7 : m.x + 7)}" y="${y}" font-size="11" fill="${m.colour}"${flip ? ' text-anchor="end"' : ""}${m.symbol === "badge" ? ' font-weight="bold"' : ""}>${xml(m.text)}</text></g>`
        );
      }),
  };
}

/** One legend entry: a 16 × 12 mark and its words. */
interface LegendItem {
  mark: string;
  text: string;
}

const lineMark = (colour: string, dash: string | null = null, width = 2) =>
  `<line x1="0" y1="-4" x2="16" y2="-4" stroke="${colour}" stroke-width="${width}"${dash === null ? "" : ` stroke-dasharray="${dash}"`}/>`;
const dotMark = (fill: string, stroke = "#fff") => `<circle cx="8" cy="-4" r="4" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`;

/** The legend's rows from `y`: entries wrap at the chart's width. Returns the SVG and the y after it. */
function legendSvg(items: readonly LegendItem[], y: number): { svg: string; bottom: number } {
  const parts: string[] = [];
  let lx = PLOT_LEFT;
  let ly = y;
  for (const item of items) {
    const w = 24 + [...item.text].length * CHAR_WIDTH;
    if (lx + w > WIDTH - 12 && lx > PLOT_LEFT) {
      lx = PLOT_LEFT;
      ly += 20;
    }
    parts.push(`<g transform="translate(${num(lx)},${ly})">${item.mark}<text x="22" y="0" fill="#111">${xml(item.text)}</text></g>`);
    lx += w + 14;
  }
  return { svg: `<g class="legend">${parts.join("")}</g>`, bottom: ly };
}

/** The whole document around the drawn parts. */
function documentSvg(height: number, title: string, parts: readonly string[]): string {
  const h = Math.ceil(height);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${h}" viewBox="0 0 ${WIDTH} ${h}" font-family="${FONT_FAMILY}" font-size="12">`,
    `<title>${xml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...parts,
    "</svg>",
    "",
  ].join("\n");
}

function heading(title: string, subtitle: string): string[] {
  return [
    `<text x="12" y="24" font-size="16" font-weight="bold" fill="#111">${xml(title)}</text>`,
    subtitle === "" ? "" : `<text x="12" y="44" fill="#333">${xml(subtitle)}</text>`,
  ].filter((s) => s !== "");
}

/** A chart for when there is nothing to draw yet: the title, an empty frame and what will fill it. */
function noDataSvg(title: string, message: string, hint: string): string {
  const top = BAND_TOP;
  const height = 160;
  return documentSvg(top + height + 24, title, [
    ...heading(title, ""),
    `<g class="no-data"><rect x="${PLOT_LEFT}" y="${top}" width="${PLOT_RIGHT - PLOT_LEFT}" height="${height}" fill="#f6f7f9" stroke="#c5cad1" stroke-dasharray="4 3"/>`,
    `<text x="${(PLOT_LEFT + PLOT_RIGHT) / 2}" y="${top + height / 2 - 4}" font-size="15" fill="#333" text-anchor="middle">${xml(message)}</text>`,
    `<text x="${(PLOT_LEFT + PLOT_RIGHT) / 2}" y="${top + height / 2 + 18}" fill="#555" text-anchor="middle">${xml(hint)}</text></g>`,
  ]);
}

// ── burn-down and burn-up ──────────────────────────────────────────────────────────────────────────────────────

/**
 * The burn-down: remaining work per day (tasks by default, or expected hours), the scope as a step line, the ideal
 * line (dashed, frozen at the baseline, drawn on to 0 at the program's end), the days whose scope changed (added,
 * removed, re-estimated: a badge with counts, the ids in its tooltip), milestones, the as-of day, and after it the
 * forecast: in tasks, the P50 line and the P85–P95 band; in both units, the P50 / P85 / P95 completion dates on the
 * zero line.
 */
export function burndownSvg(t: Tracker, options: BurnChartOptions = {}): string {
  return burnSvg(t, "down", options.unit ?? "tasks");
}

/**
 * The burn-up: work done per day rising against the scope line (scope changes are steps, badged as in the
 * burn-down), the ideal done line (the baseline's scope less the ideal remaining), and after the as-of day the
 * forecast: in tasks, done at P50 (line) and P85–P95 (band) against the as-of day's scope, drawn on as a dotted line.
 */
export function burnupSvg(t: Tracker, options: BurnChartOptions = {}): string {
  return burnSvg(t, "up", options.unit ?? "tasks");
}

function burnSvg(t: Tracker, kind: "down" | "up", unit: ChartUnit): string {
  const name = kind === "down" ? "Burn-down" : "Burn-up";
  const days = t.burndown;
  const lastDay = days.at(-1);
  const firstDay = days[0];
  if (lastDay === undefined || firstDay === undefined) {
    return noDataSvg(`${name} (${unit}) — as of ${t.asOf}`, "No data yet", "It starts on the day the plan is first imported into the store (by shipgate task or shipgate run).");
  }
  const tasks = unit === "tasks";
  const scopeOf = (d: BurndownDay) => (tasks ? d.scopeTasks : d.scopeHours);
  const doneOf = (d: BurndownDay) => (tasks ? d.doneTasks : d.doneHours);
  const remainingOf = (d: BurndownDay) => (tasks ? d.remainingTasks : d.remainingHours);
  const idealRemaining = (d: BurndownDay) => (tasks ? d.idealTasks : d.idealHours);
  // The ideal is frozen at the baseline's scope: the scope of the first day that has an ideal.
  const baseline = days.find((d) => idealRemaining(d) !== null);
  const valueOf = kind === "down" ? remainingOf : doneOf;
  const idealOf = (d: BurndownDay): number | null => {
    const ideal = idealRemaining(d);
    if (ideal === null || baseline === undefined) return null;
    return kind === "down" ? ideal : clean(scopeOf(baseline) - ideal);
  };
  const f = t.forecast;
  const cone = tasks ? f.cone : [];
  const scopeNow = scopeOf(lastDay);
  const coneValue = (remaining: number) => (kind === "down" ? remaining : clean(scopeNow - remaining));
  const unitWord = (n: number) => (tasks ? `${numberText(n)} task${n === 1 ? "" : "s"}` : `${numberText(n)} h`);

  // The days shown: the window (or the history) and the forecast, at most MIN_LOOKAHEAD or half the span past them.
  const first = Math.min(dayOf(firstDay.date), t.window === null ? Infinity : dayOf(t.window.start));
  const known = Math.max(dayOf(lastDay.date), dayOf(t.asOf), t.window === null ? -Infinity : dayOf(t.window.end));
  const wanted = Math.max(known, ...[cone.at(-1)?.date, f.p50, f.p85, f.p95].filter((d): d is string => d !== undefined && d !== null).map(dayOf));
  const last = Math.min(wanted, known + Math.max(MIN_LOOKAHEAD, Math.ceil((known - first) / 2)));
  const x = xScale(first, last, t.window?.workingDays ?? false);
  const asOf = dayOf(t.asOf);

  // The band above the plot: scope changes, milestones, the as-of day.
  const marks: BandMark[] = [];
  for (const d of days) {
    if (d.added.length + d.removed.length + d.reestimated.length === 0) continue;
    const counts = [d.added.length > 0 ? `+${d.added.length}` : "", d.removed.length > 0 ? `−${d.removed.length}` : "", d.reestimated.length > 0 ? `~${d.reestimated.length}` : ""];
    const words = [
      d.added.length > 0 ? `added ${d.added.join(", ")}` : "",
      d.removed.length > 0 ? `removed ${d.removed.join(", ")}` : "",
      d.reestimated.length > 0 ? `re-estimated ${d.reestimated.map((r) => `${r.id} ${numberText(r.from)} h → ${numberText(r.to)} h`).join(", ")}` : "",
    ];
    marks.push({
      x: x.at(dayOf(d.date)),
      text: counts.filter(Boolean).join(" "),
      colour: CHANGE,
      symbol: "badge",
      tip: `${d.date}: scope ${words.filter(Boolean).join("; ")} (scope ${d.scopeTasks} tasks, ${numberText(d.scopeHours)} h)`,
      cls: "scope-change",
      data: `data-date="${xml(d.date)}" data-added="${d.added.length}" data-removed="${d.removed.length}" data-reestimated="${d.reestimated.length}"`,
    });
  }
  for (const m of t.milestones) {
    const day = dayOf(m.date);
    if (!(day >= first && day <= last)) continue;
    const probability = m.probability === null ? "" : `, ${Math.round(m.probability * 100)} % of forecast trials finish by then`;
    marks.push({
      x: x.at(day),
      text: `${m.id} (${m.status.replace("-", " ")})`,
      colour: MILESTONE[m.status],
      symbol: "diamond",
      tip: `milestone ${m.id} ${m.date}: ${m.status}${probability}${m.criteria.length > 0 ? ` — ${m.criteria.map((c) => `${c.text}: ${c.status}`).join("; ")}` : ""}`,
      cls: "milestone",
      data: `data-milestone="${xml(m.id)}" data-date="${xml(m.date)}" data-status="${m.status}"`,
    });
  }
  if (asOf >= first && asOf <= last) {
    marks.push({ x: x.at(asOf), text: `as of ${t.asOf.slice(5)}`, colour: TODAY, symbol: "line", tip: `as of ${t.asOf}: the tracker's day`, cls: "as-of", data: `data-date="${xml(t.asOf)}"` });
  }
  marks.sort((a, b) => a.x - b.x);
  const band = placeBand(marks);
  const top = BAND_TOP + Math.max(1, band.rows) * BAND_ROW + 8;

  // The y axis covers every value drawn.
  let high = 0;
  for (const d of days) high = Math.max(high, scopeOf(d), valueOf(d), idealOf(d) ?? 0);
  for (const c of cone) high = Math.max(high, coneValue(c.p50), coneValue(c.p85), coneValue(c.p95));
  const y = yScale(0, high, top, tasks);

  const parts: string[] = [];
  const title = `${name} (${unit}) — ${dateOf(first)} → ${t.window === null ? lastDay.date : t.window.end}`;
  const now = valueOf(lastDay);
  const idealNow = idealOf(lastDay);
  const forecastWords = f.p50 !== null ? `forecast P50 ${f.p50}, P85 ${f.p85 ?? "—"}, P95 ${f.p95 ?? "—"}` : `no forecast${f.reason === null ? "" : `: ${f.reason}`}`;
  const subtitle =
    `${numberText(now)} of ${unitWord(scopeNow)} ${kind === "down" ? "remaining" : "done"} at the end of ${lastDay.date}` +
    (idealNow === null ? "" : ` (ideal ${unitWord(idealNow)})`) +
    ` · ${forecastWords}`;
  parts.push(...heading(title, subtitle));
  parts.push(...frame(x, y, unit === "tasks" ? "tasks" : "hours"));
  parts.push(`<defs><clipPath id="sg-plot"><rect x="${PLOT_LEFT}" y="${top - 1}" width="${PLOT_RIGHT - PLOT_LEFT + 1}" height="${PLOT_HEIGHT + 2}"/></clipPath></defs>`);

  const px = (d: BurndownDay) => num(x.at(dayOf(d.date)));
  const lines: string[] = [];
  // Forecast cone first, under the lines.
  if (cone.length > 0) {
    const start = { x: x.at(dayOf(lastDay.date)), v: coneValue(remainingOf(lastDay)) };
    const pts = (key: "p50" | "p85" | "p95") => [`${num(start.x)},${num(y.at(start.v))}`, ...cone.map((c) => `${num(x.at(dayOf(c.date)))},${num(y.at(coneValue(c[key])))}`)];
    const band85 = pts("p85");
    const band95 = pts("p95");
    lines.push(
      `<g class="forecast-cone" clip-path="url(#sg-plot)"><title>${xml(`forecast (${f.trials} trials from ${f.historyDays} working days of throughput, seed ${f.seed}): P50 line, P85–P95 band`)}</title>` +
        `<polygon points="${[...band95, ...band85.reverse()].join(" ")}" fill="${FORECAST}" fill-opacity="0.22" stroke="${FORECAST}" stroke-opacity="0.5"/>` +
        `<polyline points="${pts("p50").join(" ")}" fill="none" stroke="${FORECAST}" stroke-width="2" stroke-dasharray="6 3"/></g>`,
    );
  }
  // Scope: a step line (the scope of a day holds until the next day's change), dotted on after the as-of day on a burn-up.
  const scopePts: string[] = [];
  days.forEach((d, i) => {
    const cx = x.at(dayOf(d.date));
    const prev = days[i - 1];
    if (prev !== undefined && scopeOf(prev) !== scopeOf(d)) scopePts.push(`${num(cx)},${num(y.at(scopeOf(prev)))}`);
    scopePts.push(`${num(cx)},${num(y.at(scopeOf(d)))}`);
  });
  lines.push(`<polyline class="scope" points="${scopePts.join(" ")}" fill="none" stroke="${SCOPE}" stroke-width="1.5"/>`);
  const coneEnd = cone.at(-1);
  if (kind === "up" && coneEnd !== undefined) {
    lines.push(`<line class="scope-ahead" x1="${px(lastDay)}" y1="${num(y.at(scopeNow))}" x2="${num(Math.min(x.at(dayOf(coneEnd.date)), PLOT_RIGHT))}" y2="${num(y.at(scopeNow))}" stroke="${SCOPE}" stroke-width="1.5" stroke-dasharray="2 3"/>`);
  }
  // Ideal: through the days that have one, then on to the program's end.
  const idealPts = days.flatMap((d) => {
    const v = idealOf(d);
    return v === null ? [] : [`${px(d)},${num(y.at(v))}`];
  });
  if (baseline !== undefined && t.window !== null && dayOf(t.window.end) > dayOf(lastDay.date)) {
    const end = kind === "down" ? 0 : scopeOf(baseline);
    idealPts.push(`${num(x.at(dayOf(t.window.end)))},${num(y.at(end))}`);
  }
  if (idealPts.length > 0) lines.push(`<polyline class="ideal" points="${idealPts.join(" ")}" fill="none" stroke="${IDEAL}" stroke-width="1.5" stroke-dasharray="6 4" clip-path="url(#sg-plot)"/>`);
  // The measured line and its points.
  const colour = kind === "down" ? REMAINING : DONE;
  lines.push(`<polyline class="${kind === "down" ? "remaining" : "done"}" points="${days.map((d) => `${px(d)},${num(y.at(valueOf(d)))}`).join(" ")}" fill="none" stroke="${colour}" stroke-width="2.5" stroke-linejoin="round"/>`);
  if (x.dayWidth >= 6) {
    for (const d of days) lines.push(`<circle cx="${px(d)}" cy="${num(y.at(valueOf(d)))}" r="${x.dayWidth >= 14 ? 3 : 2}" fill="${colour}"/>`);
  }
  parts.push(...lines);

  // Forecast dates on the zero line (both units): small triangles with their percentiles (drawn over the tooltips' columns).
  const dateMarks: string[] = [];
  const dates = new Map<string, string[]>();
  for (const [label, date] of [["P50", f.p50], ["P85", f.p85], ["P95", f.p95]] as const) {
    if (date !== null) dates.set(date, [...(dates.get(date) ?? []), label]);
  }
  const zeroY = y.at(kind === "down" ? 0 : scopeNow);
  let stack = 0;
  let lastEnd = -Infinity;
  for (const [date, labels] of dates) {
    const day = dayOf(date);
    const beyond = day > last;
    const fx = beyond ? PLOT_RIGHT : x.at(day);
    const text = `${labels.join(" = ")}${beyond ? ` ${date} →` : ""}`;
    const textWidth = [...text].length * 6.6;
    // Past the chart, or too near its right edge: the label ends at the mark instead of starting there.
    const flip = beyond || fx + 4 + textWidth > WIDTH - 4;
    const from = flip ? fx - 2 - textWidth : fx - 5;
    stack = from > lastEnd + 4 ? 0 : stack + 1;
    lastEnd = Math.max(lastEnd, flip ? fx : fx + 4 + textWidth);
    // Above the zero line of a burn-down; below the scope line of a burn-up (the band of marks is above it).
    const ty = kind === "down" ? zeroY - 10 - stack * 13 : zeroY + 20 + stack * 13;
    const anchor = flip ? ' text-anchor="end"' : "";
    dateMarks.push(
      `<g class="forecast-date" data-date="${xml(date)}" data-percentiles="${labels.join(" ")}"><title>${xml(`${labels.join(", ")}: done by ${date} in ${labels.map((l) => l.slice(1)).join(" / ")} % of ${f.trials} trials`)}</title>` +
        `<polygon points="${num(fx)},${num(zeroY)} ${num(fx - 5)},${num(zeroY + 7)} ${num(fx + 5)},${num(zeroY + 7)}" fill="${FORECAST}"/>` +
        `<text x="${num(flip ? fx - 2 : fx + 4)}" y="${num(ty)}" font-size="11" font-weight="bold" fill="#b35900"${anchor}>${xml(text)}</text></g>`,
    );
  }

  // Tooltips: one transparent column per day (history and forecast) over the lines.
  const hit = (day: number, tip: string, date: string) =>
    `<rect class="day" data-date="${xml(date)}" x="${num(x.start(day))}" y="${top}" width="${num(x.width(day))}" height="${PLOT_HEIGHT}" fill="#fff" fill-opacity="0"><title>${xml(tip)}</title></rect>`;
  for (const d of days) {
    const ideal = idealOf(d);
    const tip =
      `${d.date}: ${d.remainingTasks} of ${d.scopeTasks} tasks remaining, ${d.doneTasks} done; ` +
      `${numberText(d.remainingHours)} of ${numberText(d.scopeHours)} h remaining, ${numberText(d.doneHours)} h done` +
      (ideal === null ? "" : `; ideal ${kind === "down" ? "remaining" : "done"} ${unitWord(ideal)}`);
    parts.push(hit(dayOf(d.date), tip, d.date));
  }
  for (const c of cone) {
    const day = dayOf(c.date);
    if (day > last) break;
    parts.push(hit(day, `${c.date} (forecast): ${kind === "down" ? "remaining" : "done"} P50 ${unitWord(coneValue(c.p50))}, P85 ${unitWord(coneValue(c.p85))}, P95 ${unitWord(coneValue(c.p95))}`, c.date));
  }
  parts.push(...dateMarks, ...band.draw(top, y.bottom));

  const legend: LegendItem[] = [
    { mark: `${lineMark(colour)}<circle cx="8" cy="-4" r="3" fill="${colour}"/>`, text: kind === "down" ? `remaining ${unit}` : `done ${unit}` },
    { mark: `<polyline points="0,0 8,0 8,-8 16,-8" fill="none" stroke="${SCOPE}" stroke-width="1.5"/>`, text: "scope" },
  ];
  if (baseline !== undefined) legend.push({ mark: lineMark(IDEAL, "6 4", 1.5), text: `ideal (frozen at ${baseline.date})` });
  if (marks.some((m) => m.cls === "scope-change")) legend.push({ mark: dotMark(CHANGE, CHANGE), text: "scope change: +added −removed ~re-estimated" });
  if (marks.some((m) => m.cls === "milestone")) legend.push({ mark: `<polygon points="8,-10 13,-5 8,0 3,-5" fill="#111"/>`, text: "milestone (green met, orange at risk, red missed)" });
  legend.push({ mark: `<line x1="8" y1="-12" x2="8" y2="2" stroke="${TODAY}" stroke-width="2"/>`, text: "as of" });
  if (cone.length > 0) {
    legend.push({ mark: lineMark(FORECAST, "6 3"), text: "forecast P50" });
    legend.push({ mark: `<rect x="0" y="-10" width="16" height="12" fill="${FORECAST}" fill-opacity="0.22" stroke="${FORECAST}" stroke-opacity="0.5"/>`, text: "P85–P95" });
  }
  if (dates.size > 0) legend.push({ mark: `<polygon points="8,-8 3,-1 13,-1" fill="${FORECAST}"/>`, text: tasks ? "completion date" : "completion date (forecast in tasks; the cone is on the tasks chart)" });
  if (x.narrowWeekends) legend.push({ mark: `<rect x="0" y="-10" width="16" height="12" fill="${WEEKEND}"/>`, text: "weekend" });
  const { svg, bottom } = legendSvg(legend, y.bottom + 44);
  parts.push(svg);
  return documentSvg(bottom + 16, title, parts);
}

// ── trends ─────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Metric trends against their targets (score, coverage, per component…): one colour per series; a value per
 * measured day, joined only between consecutive measured days — a day not measured leaves a gap, never a 0 nor a
 * line across it, and shows the previous reading as a hollow marker when there is one; the target as a dashed line;
 * each value's marker green when it meets the day's target, red when behind it.
 */
export function trendSvg(series: readonly MetricSeries[], options: TrendOptions = {}): string {
  const names = series.map(seriesName);
  const title = options.title ?? (names.length > 0 ? `${names.join(", ")} — trend` : "Trend");
  const allDays = series.flatMap((s) => s.days);
  const firstDate = allDays.reduce<string | null>((m, d) => (m === null || d.date < m ? d.date : m), null);
  const lastDate = allDays.reduce<string | null>((m, d) => (m === null || d.date > m ? d.date : m), null);
  if (firstDate === null || lastDate === null || !allDays.some((d) => d.measured || d.previous !== null)) {
    const what = names.length > 0 ? names.join(", ") : "these metrics";
    return noDataSvg(title, "No data yet", firstDate === null ? `No day to show for ${what}.` : `No snapshot measured ${what} from ${firstDate} to ${lastDate}.`);
  }
  const first = dayOf(firstDate);
  const last = dayOf(lastDate);
  // Series of working days (no weekend row although the range has a weekend) get narrow weekend columns.
  const weekendRows = allDays.some((d) => isWeekend(dayOf(d.date)));
  const x = xScale(first, last, !weekendRows && last - first >= 2);

  let lo = Infinity;
  let hi = -Infinity;
  for (const d of allDays) {
    for (const v of [d.value, d.previous?.value ?? null, d.target]) {
      if (v === null) continue;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  // Zero stays on the axis unless the values sit far above it (a score between 70 and 85 is drawn at that scale).
  if (lo >= 0 && lo <= hi / 2) lo = 0;
  const top = BAND_TOP + 16;
  // Counts (failed tests, findings) get whole ticks: every number drawn is whole.
  const whole = allDays.every((d) => [d.value, d.previous?.value ?? null, d.target].every((v) => v === null || Number.isInteger(v)));
  const y = yScale(lo, hi, top, whole);

  const parts: string[] = [];
  const subtitle = series
    .slice(0, 3)
    .map((s) => {
      const d = s.days.at(-1);
      if (d === undefined) return `${seriesName(s)}: no days`;
      const value = d.value === null ? `not measured on ${d.date}${d.previous === null ? "" : ` (previous ${numberText(d.previous.value)} on ${d.previous.date})`}` : `${numberText(d.value)} on ${d.date}`;
      const target = d.target === null ? "" : `, target ${numberText(d.target)}${d.status === "met" || d.status === "behind" ? ` (${d.status})` : ""}`;
      return `${seriesName(s)} ${value}${target}`;
    })
    .join(" · ");
  parts.push(...heading(title, subtitle + (series.length > 3 ? ` · ${series.length - 3} more in the legend` : "")));
  parts.push(...frame(x, y, series.length === 1 ? seriesName(series[0] as MetricSeries) : "value"));

  const seen = { met: false, behind: false, previous: false };
  series.forEach((s, i) => {
    const colour = PALETTE[i % PALETTE.length] as string;
    const g: string[] = [];
    // Target: dashed, split where a day has none.
    for (const run of runs(s.days, (d) => d.target !== null)) {
      g.push(`<polyline class="target" points="${run.map((d) => `${num(x.at(dayOf(d.date)))},${num(y.at(d.target as number))}`).join(" ")}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-dasharray="6 4" stroke-opacity="0.8"/>`);
    }
    // Values: joined only across consecutive measured days.
    for (const run of runs(s.days, (d) => d.measured)) {
      if (run.length > 1) g.push(`<polyline class="value" points="${run.map((d) => `${num(x.at(dayOf(d.date)))},${num(y.at(d.value as number))}`).join(" ")}" fill="none" stroke="${colour}" stroke-width="2" stroke-linejoin="round"/>`);
    }
    for (const d of s.days) {
      const cx = num(x.at(dayOf(d.date)));
      if (d.measured) {
        const fill = d.status === "met" ? MET : d.status === "behind" ? CRITICAL : colour;
        if (d.status === "met") seen.met = true;
        if (d.status === "behind") seen.behind = true;
        g.push(`<circle class="point" data-date="${xml(d.date)}" data-value="${d.value}" data-status="${d.status}" cx="${cx}" cy="${num(y.at(d.value as number))}" r="4" fill="${fill}" stroke="${colour}" stroke-width="1.5"/>`);
      } else if (d.previous !== null) {
        seen.previous = true;
        g.push(`<circle class="previous" data-date="${xml(d.date)}" data-previous="${d.previous.value}" cx="${cx}" cy="${num(y.at(d.previous.value))}" r="3.5" fill="#fff" stroke="${colour}" stroke-width="1.5" stroke-dasharray="2 1.5"/>`);
      }
    }
    parts.push(`<g class="series" data-metric="${xml(s.metric)}" data-component="${xml(s.component ?? "")}">${g.join("")}</g>`);
  });

  // Tooltips: one transparent column per day naming every series' reading.
  const byDate = series.map((s) => new Map(s.days.map((d) => [d.date, d])));
  for (let day = first; day <= last; day++) {
    const date = dateOf(day);
    const lines = series.flatMap((s, i) => {
      const d = byDate[i]?.get(date);
      return d === undefined ? [] : [`${seriesName(s)}: ${dayWords(d)}`];
    });
    if (lines.length === 0) continue;
    parts.push(`<rect class="day" data-date="${date}" x="${num(x.start(day))}" y="${top}" width="${num(x.width(day))}" height="${PLOT_HEIGHT}" fill="#fff" fill-opacity="0"><title>${xml(`${date}\n${lines.join("\n")}`)}</title></rect>`);
  }

  const legend: LegendItem[] = series.map((s, i) => {
    const colour = PALETTE[i % PALETTE.length] as string;
    return { mark: `${lineMark(colour)}<circle cx="8" cy="-4" r="3" fill="${colour}"/>`, text: `${seriesName(s)}${s.better === "lower" ? " (lower is better)" : ""}` };
  });
  if (series.some((s) => s.days.some((d) => d.target !== null))) legend.push({ mark: lineMark(series.length === 1 ? (PALETTE[0] as string) : "#555", "6 4", 1.5), text: series.length === 1 ? "target" : "target (dashed, in the series' colour)" });
  if (seen.met) legend.push({ mark: dotMark(MET), text: "target met" });
  if (seen.behind) legend.push({ mark: dotMark(CRITICAL), text: "behind target" });
  if (seen.previous) legend.push({ mark: `<circle cx="8" cy="-4" r="3.5" fill="#fff" stroke="#555" stroke-width="1.5" stroke-dasharray="2 1.5"/>`, text: "not measured: the previous reading" });
  if (x.narrowWeekends) legend.push({ mark: `<rect x="0" y="-10" width="16" height="12" fill="${WEEKEND}"/>`, text: "weekend" });
  const { svg, bottom } = legendSvg(legend, y.bottom + 44);
  parts.push(svg);
  return documentSvg(bottom + 16, title, parts);
}

/** What one day of a series says, in words (tooltips). */
function dayWords(d: SeriesDay): string {
  const target = d.target === null ? "" : `, target ${numberText(d.target)}`;
  if (d.value === null) {
    const why = d.unknown ? `unknown (snapshot ${d.snapshotId ?? "?"} could not measure it)` : "not measured";
    return `${why}${d.previous === null ? "" : `; previous ${numberText(d.previous.value)} on ${d.previous.date}`}${target}`;
  }
  const status = d.status === "met" ? " — met" : d.status === "behind" ? ` — behind by ${numberText(Math.abs(d.difference ?? 0))}` : "";
  return `${numberText(d.value)}${target}${status}${d.snapshotId === null ? "" : ` (snapshot ${d.snapshotId})`}`;
}

const seriesName = (s: MetricSeries) => `${s.metric}${s.component === null ? "" : ` (${s.component})`}`;

/** The maximal runs of consecutive days that pass `keep`. */
function runs(days: readonly SeriesDay[], keep: (d: SeriesDay) => boolean): SeriesDay[][] {
  const out: SeriesDay[][] = [];
  let run: SeriesDay[] = [];
  for (const d of days) {
    if (keep(d)) run.push(d);
    else if (run.length > 0) {
      out.push(run);
      run = [];
    }
  }
  if (run.length > 0) out.push(run);
  return out;
}

/** A number as a person reads it: at most two decimals, no float noise. */
const numberText = (n: number) => String(Math.round(n * 100) / 100 + 0);
/** Drops floating-point noise without rounding real digits away. */
const clean = (n: number) => Math.round(n * 1e9) / 1e9 + 0;
