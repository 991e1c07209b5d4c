import { HOURS_PER_DAY } from "../plan/schedule.js";
import type { GanttBar, GanttChart, GanttState } from "../plan/gantt.js";
import { CHAR_WIDTH, CRITICAL, dateOf, dayOf, FONT_FAMILY, isWeekend, mondayOnOrBefore, num, PALETTE, TODAY, WEEKDAYS, WEEKEND, xml } from "./svg.js";

/** A horizontal run of a bar: one per stretch of consecutive working days (a weekend splits a bar). */
export interface BarSegment {
  x: number;
  width: number;
}

/** Where things go on the SVG: pure, so the geometry is tested without parsing SVG. */
export interface GanttLayout {
  /** Days since 1970-01-01 of the first column (a Monday) and the number of day columns. */
  first: number;
  days: number;
  /** Pixels per working day; its column is its working hours (09:00–17:00), so an hour is dayWidth / 8. Weekend columns are WEEKEND_SHARE of it. */
  dayWidth: number;
  /** Where the day columns start (after the label column). */
  left: number;
  /** Task id → its segments. */
  bars: Map<string, BarSegment[]>;
  /** x of the today line, or null when there is none or today is far outside the chart. */
  today: number | null;
  /** The label shown for each task: the whole id always, the title cut only when it does not fit. */
  labels: Map<string, string>;
  /** Width of the day columns together. */
  width: number;
  /** x where a calendar day's column starts. */
  xDay: (day: number) => number;
}

const MARGIN = 12;
const MIN_LABEL_WIDTH = 220;
const MAX_LABEL_WIDTH = 520;
const CHART_WIDTH = 1000;
const MAX_DAY_WIDTH = 200;
const WEEKEND_SHARE = 0.25;
const MIN_DAY_WIDTH = 3;
const ROW_HEIGHT = 22;
const PHASE_HEIGHT = 26;
const NOTE_WIDTH = 110;
const STATE_WORDS: Record<GanttState, string> = { pending: "", in_progress: "in progress", done: "done", failed: "failed", blocked: "blocked" };

/** Computes the SVG geometry of a chart. */
export function ganttLayout(chart: GanttChart): GanttLayout {
  const bars = chart.sections.flatMap((s) => s.bars);
  let low = dayOf(chart.start);
  let high = dayOf(chart.end);
  for (const bar of bars) {
    low = Math.min(low, dayOf(bar.start));
    high = Math.max(high, dayOf(bar.end));
  }
  for (const m of chart.milestones) {
    const d = dayOf(m.date);
    if (Number.isFinite(d)) {
      low = Math.min(low, d);
      high = Math.max(high, d);
    }
  }
  // Today widens the chart only when it is near: a plan viewed months early stays readable.
  const today = chart.today === null ? Number.NaN : dayOf(chart.today);
  if (Number.isFinite(today) && today >= low - 14 && today <= high + 14) {
    low = Math.min(low, today);
    high = Math.max(high, today);
  }
  if (!Number.isFinite(low)) low = 0;
  if (!Number.isFinite(high)) high = low;
  const first = mondayOnOrBefore(low);
  const days = Math.max(7, high + 1 - first);
  // Weekend columns are narrow (a quarter of a working day): shaded, but not wasting the width.
  let units = 0;
  for (let d = 0; d < days; d++) units += isWeekend(first + d) ? WEEKEND_SHARE : 1;
  const dayWidth = Math.max(MIN_DAY_WIDTH, Math.min(MAX_DAY_WIDTH, CHART_WIDTH / units));
  const longest = Math.max(0, ...bars.map((b) => [...`${b.id}  ${b.title}`].length));
  const labelWidth = Math.min(MAX_LABEL_WIDTH, Math.max(MIN_LABEL_WIDTH, Math.ceil(longest * CHAR_WIDTH) + 2 * MARGIN + 8));
  const left = labelWidth;
  const fits = Math.floor((labelWidth - 2 * MARGIN - 8) / CHAR_WIDTH);
  const labels = new Map<string, string>();
  for (const bar of bars) {
    const full = `${bar.id}  ${bar.title}`;
    const room = fits - [...bar.id].length - 2;
    labels.set(bar.id, [...full].length <= fits ? full : room >= 4 ? `${bar.id}  ${[...bar.title].slice(0, room - 1).join("")}…` : bar.id);
  }

  const columns = new Float64Array(days + 1);
  for (let d = 0; d < days; d++) columns[d + 1] = (columns[d] as number) + (isWeekend(first + d) ? WEEKEND_SHARE : 1) * dayWidth;
  const xDay = (day: number) => left + (columns[Math.min(Math.max(day - first, 0), days)] as number);
  const at = (stamp: string): { day: number; minute: number } => ({ day: dayOf(stamp), minute: minuteOf(stamp) });
  const x = (day: number, minute: number) => xDay(day) + (Math.min(Math.max(minute, 0), HOURS_PER_DAY * 60) / (HOURS_PER_DAY * 60)) * dayWidth;
  const layout = new Map<string, BarSegment[]>();
  for (const bar of bars) {
    const from = at(bar.start);
    const to = at(bar.end);
    const segments: BarSegment[] = [];
    if (!Number.isFinite(from.day) || !Number.isFinite(to.day)) {
      layout.set(bar.id, segments);
      continue;
    }
    let runStart: number | null = null;
    for (let day = from.day; day <= Math.max(from.day, to.day); day++) {
      const weekend = isWeekend(day);
      if (!weekend && runStart === null) runStart = day === from.day ? x(day, from.minute) : x(day, 0);
      const last = day === Math.max(from.day, to.day);
      if (runStart !== null && (last || isWeekend(day + 1))) {
        const end = last ? x(day, to.minute) : x(day, HOURS_PER_DAY * 60);
        segments.push({ x: round(runStart), width: round(Math.max(0, end - runStart)) });
        runStart = null;
      }
    }
    layout.set(bar.id, segments);
  }
  return {
    first,
    days,
    dayWidth,
    left,
    bars: layout,
    today: Number.isFinite(today) && today >= first && today <= first + days ? round(xDay(today)) : null,
    labels,
    width: columns[days] as number,
    xDay,
  };
}

/**
 * A Gantt chart as a standalone SVG. Day columns are working hours (09:00–17:00), so a bar's length is
 * its hours; weekends are shaded columns that split a bar running over them; tasks are rows in the
 * plan order under their phase's name, coloured by owner (legend), critical ones outlined in red; done
 * tasks are pale with a check mark, tasks in progress striped, blocked and failed ones hatched with the
 * word; each bar is followed by its hours; milestones are diamonds with their dates; a blue line marks
 * today. Ids are never cut from labels (titles are, when very long; the tooltip has everything). The
 * same input gives the same bytes.
 */
export function renderGanttSvg(chart: GanttChart): string {
  const layout = ganttLayout(chart);
  const { first, days, dayWidth, left, xDay } = layout;
  const right = left + layout.width;
  const bars = chart.sections.flatMap((s) => s.bars);
  const owners = [...new Set(bars.map((b) => b.owner))];
  const colour = new Map(owners.map((owner, i) => [owner, PALETTE[i % PALETTE.length] as string]));

  const out: string[] = [];
  let y = 0;
  out.push(`<text x="${MARGIN}" y="${(y += 24)}" font-size="16" font-weight="bold" fill="#111">${xml(chart.title ?? "Plan")} — ${xml(chart.start)} → ${xml(chart.end)}</text>`);

  // Axis: day names when a day is wide enough, else Mondays; hours inside wide days.
  const axisY = (y += dayWidth >= 96 ? 40 : 28);
  const labelEvery = dayWidth >= 56 ? 1 : 7 * Math.max(1, Math.ceil(64 / (dayWidth * 7)));
  for (let d = 0; d < days; d += labelEvery) {
    const day = first + d;
    if (isWeekend(day)) continue;
    const text = dayWidth >= 56 ? `${WEEKDAYS[(((day + 3) % 7) + 7) % 7]} ${dateOf(day).slice(5)}` : dateOf(day);
    out.push(`<text x="${num(xDay(day) + 3)}" y="${axisY - (dayWidth >= 96 ? 18 : 6)}" font-size="11" fill="#333">${text}</text>`);
  }
  if (dayWidth >= 96) {
    for (let d = 0; d < days; d++) {
      if (isWeekend(first + d)) continue;
      for (let h = 0; h < HOURS_PER_DAY; h += 2) out.push(`<text x="${num(xDay(first + d) + (h / HOURS_PER_DAY) * dayWidth + 2)}" y="${axisY - 4}" font-size="9" fill="#666">${9 + h}</text>`);
    }
  }
  out.push(`<line x1="${left}" y1="${axisY}" x2="${num(right)}" y2="${axisY}" stroke="#333"/>`);

  const milestoneY = chart.milestones.length > 0 ? (y += ROW_HEIGHT) - ROW_HEIGHT / 2 + 2 : 0;
  if (chart.milestones.length > 0) out.push(`<text x="${MARGIN}" y="${num(milestoneY + 4)}" font-weight="bold" fill="#111">Milestones</text>`);

  const chartTop = axisY;
  const rows: string[] = [];
  for (const section of chart.sections) {
    y += PHASE_HEIGHT;
    rows.push(`<rect x="0" y="${y - PHASE_HEIGHT + 4}" width="${num(right + NOTE_WIDTH)}" height="${PHASE_HEIGHT - 2}" fill="#e8ebef" fill-opacity="0.85"/>`);
    rows.push(`<text x="${MARGIN}" y="${y - 7}" font-weight="bold" fill="#111">${xml(section.name)}</text>`);
    for (const bar of section.bars) {
      y += ROW_HEIGHT;
      rows.push(barSvg(bar, layout, colour.get(bar.owner) ?? "#999", y));
    }
  }
  const chartBottom = y + 4;

  // Behind the rows: weekend columns and day / week lines. In front: milestones and the today line.
  const back: string[] = [];
  for (let d = 0; d < days; d++) {
    const day = first + d;
    if (isWeekend(day)) back.push(`<rect class="weekend" x="${num(xDay(day))}" y="${chartTop}" width="${num(xDay(day + 1) - xDay(day))}" height="${chartBottom - chartTop}" fill="${WEEKEND}"/>`);
    const monday = (((day + 3) % 7) + 7) % 7 === 0;
    if (monday || dayWidth >= 12) back.push(`<line x1="${num(xDay(day))}" y1="${chartTop}" x2="${num(xDay(day))}" y2="${chartBottom}" stroke="${monday ? "#b0b6bd" : "#e3e6ea"}"/>`);
  }
  const front: string[] = [];
  for (const m of chart.milestones) {
    const d = dayOf(m.date);
    if (!Number.isFinite(d)) continue;
    // A milestone is due by the end of its day.
    const mx = xDay(d + 1);
    front.push(
      `<g class="milestone" data-milestone="${xml(m.id)}" data-date="${xml(m.date)}"><title>${xml(`${m.id} ${m.date}${m.criteria.length > 0 ? `: ${m.criteria.join(", ")}` : ""}`)}</title>` +
        `<line x1="${num(mx)}" y1="${chartTop}" x2="${num(mx)}" y2="${chartBottom}" stroke="#111" stroke-dasharray="3 3"/>` +
        `<polygon points="${num(mx)},${num(milestoneY - 7)} ${num(mx + 7)},${num(milestoneY)} ${num(mx)},${num(milestoneY + 7)} ${num(mx - 7)},${num(milestoneY)}" fill="#111"/>` +
        `<text x="${num(mx + 10)}" y="${num(milestoneY + 4)}" font-size="11" fill="#111">${xml(`${m.id} · ${m.date.slice(5)}`)}</text></g>`,
    );
  }
  if (layout.today !== null) {
    front.push(
      `<g class="today" data-date="${xml(chart.today ?? "")}"><line x1="${num(layout.today)}" y1="${chartTop - 2}" x2="${num(layout.today)}" y2="${chartBottom}" stroke="${TODAY}" stroke-width="2"/>` +
        `<text x="${num(layout.today + 3)}" y="${chartBottom + 12}" font-size="11" fill="${TODAY}">today ${xml(chart.today ?? "")}</text></g>`,
    );
  }

  if (chart.omitted > 0) {
    y += 24;
    rows.push(`<text x="${MARGIN}" y="${y}" font-style="italic" fill="#111">… ${chart.omitted} more tasks not shown (critical tasks first, then the earliest to start)</text>`);
  }

  // Legend: owners, then what the marks mean.
  y += layout.today !== null ? 40 : 30;
  let lx = MARGIN;
  const legend: string[] = [];
  const swatch = (fill: string, extra: string, text: string, w: number) => {
    legend.push(`<rect x="${lx}" y="${y - 11}" width="16" height="12" fill="${fill}"${extra}/><text x="${lx + 20}" y="${y}" fill="#111">${text}</text>`);
    lx += 28 + w;
  };
  for (const owner of owners) swatch(colour.get(owner) ?? "#999", ` stroke="#0006"`, xml(owner), Math.min([...owner].length, 24) * CHAR_WIDTH);
  swatch("#fff", ` stroke="${CRITICAL}" stroke-width="2"`, "critical", 50);
  swatch("#888", ` fill-opacity="0.35" stroke="#0006"`, "✓ done", 44);
  swatch("url(#sg-stripes)", ` stroke="#0006"`, "in progress", 72);
  swatch("url(#sg-hatch)", ` stroke="#555" stroke-dasharray="3 2"`, "blocked / failed", 104);
  swatch(WEEKEND, "", "weekend", 52);
  legend.push(`<polygon points="${lx + 7},${y - 12} ${lx + 14},${y - 5} ${lx + 7},${y + 2} ${lx},${y - 5}" fill="#111"/><text x="${lx + 20}" y="${y}" fill="#111">milestone</text>`);
  lx += 90;
  if (layout.today !== null) {
    legend.push(`<line x1="${lx + 7}" y1="${y - 12}" x2="${lx + 7}" y2="${y + 2}" stroke="${TODAY}" stroke-width="2"/><text x="${lx + 14}" y="${y}" fill="#111">today</text>`);
    lx += 60;
  }
  legend.push(`<text x="${lx}" y="${y}" fill="#555">a day column is 09:00–17:00</text>`);
  lx += 190;

  const totalWidth = Math.ceil(Math.max(right + NOTE_WIDTH, lx + MARGIN));
  const totalHeight = y + 16;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalWidth}" height="${totalHeight}" viewBox="0 0 ${totalWidth} ${totalHeight}" font-family="${FONT_FAMILY}" font-size="12">`,
    `<defs><pattern id="sg-stripes" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="8" height="8" fill="#777"/><rect width="4" height="8" fill="#fff" fill-opacity="0.55"/></pattern>` +
      `<pattern id="sg-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><rect width="2" height="6" fill="#555"/></pattern></defs>`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...back,
    ...out,
    ...rows,
    ...front,
    `<g class="legend">${legend.join("")}</g>`,
    "</svg>",
    "",
  ].join("\n");
}

function barSvg(bar: GanttBar, layout: GanttLayout, fill: string, y: number): string {
  const segments = layout.bars.get(bar.id) ?? [];
  const state = bar.state ?? "pending";
  const top = y - ROW_HEIGHT + 5;
  const height = ROW_HEIGHT - 10;
  const outline = bar.critical ? ` stroke="${CRITICAL}" stroke-width="2"` : state === "blocked" || state === "failed" ? ` stroke="#555" stroke-dasharray="3 2"` : ` stroke="#0006"`;
  const paint =
    state === "done" ? `fill="${fill}" fill-opacity="0.35"` : state === "blocked" || state === "failed" ? `fill="url(#sg-hatch)"` : `fill="${fill}"`;
  const parts: string[] = [];
  segments.forEach((s, i) => {
    parts.push(`<rect class="bar" x="${num(s.x)}" y="${top}" width="${num(Math.max(1.5, s.width))}" height="${height}" rx="2" ${paint}${outline}/>`);
    if (state === "in_progress") parts.push(`<rect x="${num(s.x)}" y="${top}" width="${num(Math.max(1.5, s.width))}" height="${height}" rx="2" fill="url(#sg-stripes)" fill-opacity="0.45"/>`);
    const next = segments[i + 1];
    // A bar that runs over a weekend: a thin line across it.
    if (next) parts.push(`<line x1="${num(s.x + s.width)}" y1="${top + height / 2}" x2="${num(next.x)}" y2="${top + height / 2}" stroke="${fill}" stroke-dasharray="2 3"/>`);
  });
  const end = segments.length > 0 ? (segments.at(-1) as BarSegment).x + (segments.at(-1) as BarSegment).width : layout.left;
  const word = STATE_WORDS[state];
  const note = `${hoursText(bar.hours)}${word ? ` · ${word}` : ""}`;
  const noteColour = state === "blocked" || state === "failed" ? CRITICAL : "#333";
  const tip = `${bar.id} ${bar.title} — ${bar.owner}, ${hoursText(bar.hours)} of work, ${bar.start} → ${bar.end}${bar.critical ? " (critical)" : ""}${word ? `, ${word}` : ""}`;
  const label = layout.labels.get(bar.id) ?? bar.id;
  return (
    `<g class="task${bar.critical ? " critical" : ""}" data-task="${xml(bar.id)}" data-state="${state}" data-start="${bar.start}" data-end="${bar.end}"><title>${xml(tip)}</title>` +
    `<text x="${MARGIN + 8}" y="${y - 7}" fill="${state === "done" ? "#555" : "#111"}">${state === "done" ? "✓ " : ""}${xml(label)}</text>` +
    parts.join("") +
    `<text x="${num(end + 4)}" y="${y - 8}" font-size="10" fill="${noteColour}"${word === "blocked" || word === "failed" ? ' font-weight="bold"' : ""}>${xml(note)}</text></g>`
  );
}

/** Minutes after 09:00 of a "YYYY-MM-DD HH:MM" value (0 without a time). */
function minuteOf(value: string): number {
  const match = / (\d{2}):(\d{2})$/.exec(value);
  return match === null ? 0 : (Number(match[1]) - 9) * 60 + Number(match[2]);
}

const round = (n: number) => Math.round(n * 100) / 100;
const hoursText = (h: number) => `${Math.round(h * 10) / 10} h`;

