import type { Plan, PlanTask, Schedule, ScheduledTask } from "./types.js";

/** Tasks a Mermaid chart shows at most: Mermaid renders a few hundred bars legibly, not thousands. */
export const MERMAID_MAX_TASKS = 200;
/** Tasks an SVG chart shows by default. */
export const SVG_MAX_TASKS = 500;

export interface GanttOptions {
  /** Tasks shown at most; beyond it the critical ones are kept first, then the earliest. */
  maxTasks?: number;
}

/**
 * The schedule as a Mermaid `gantt` diagram: a section per phase (plan order), a line per task
 * (`title :crit, id, start, end`, by start), and a "Milestones" section. Mermaid's end date is
 * exclusive, so a task's end is the day after its last working day (`ScheduledTask.endDate`).
 * Beyond `maxTasks` (default `MERMAID_MAX_TASKS`) a comment line says how many tasks were left out.
 */
export function ganttMermaid(plan: Plan, schedule: Schedule, critical: Set<string>, options: GanttOptions = {}): string {
  const { rows, omitted, total } = layOut(plan, schedule, critical, options.maxTasks ?? MERMAID_MAX_TASKS);
  const lines = ["gantt"];
  if (plan.project !== null) lines.push(`  title ${mermaidText(plan.project)}`);
  lines.push("  dateFormat YYYY-MM-DD");
  if (omitted > 0) {
    lines.push(`  %% ${omitted} of ${total} tasks left out: shown are the critical ones first, then the earliest to start`);
  }
  const ids = mermaidIds(rows.flatMap((row) => row.tasks.map(({ task }) => task.id)));
  for (const row of rows) {
    lines.push(`  section ${mermaidText(row.name)}`);
    for (const { task, title } of row.tasks) {
      const tags = critical.has(task.id) ? "crit, " : "";
      lines.push(`  ${mermaidText(title)} :${tags}${ids.get(task.id) ?? task.id}, ${task.startDate}, ${addDays(task.endDate, 1)}`);
    }
  }
  if (plan.milestones.length > 0) {
    lines.push("  section Milestones");
    for (const milestone of sortedMilestones(plan)) lines.push(`  ${mermaidText(milestone.id)} :milestone, ${milestone.date}, 0d`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The schedule as a standalone SVG: a date axis with week ticks (every few weeks on long plans), a
 * row per task grouped under its phase's name, bars coloured by owner (with a legend), critical tasks
 * outlined in red, ids and titles as text, and the plan's milestones as diamonds on their dates.
 * Beyond `maxTasks` (default `SVG_MAX_TASKS`) the critical tasks are kept first and a note says how
 * many were left out. The same input gives the same bytes.
 */
export function ganttSvg(plan: Plan, schedule: Schedule, critical: Set<string>, options: GanttOptions = {}): string {
  const { rows, omitted } = layOut(plan, schedule, critical, options.maxTasks ?? SVG_MAX_TASKS);

  // The date range: the schedule (only as far as the tasks shown when some are left out), the tasks
  // shown and the milestones, in whole weeks from a Monday.
  const dayNumbers = omitted > 0 ? [dayOf(schedule.start)] : [dayOf(schedule.start), dayOf(schedule.end) + 1];
  for (const row of rows) for (const { task } of row.tasks) dayNumbers.push(dayOf(task.startDate), dayOf(task.endDate) + 1);
  for (const milestone of plan.milestones) dayNumbers.push(dayOf(milestone.date), dayOf(milestone.date) + 1);
  let low = Infinity;
  let high = -Infinity;
  for (const day of dayNumbers) {
    if (!Number.isFinite(day)) continue;
    low = Math.min(low, day);
    high = Math.max(high, day);
  }
  const first = mondayOnOrBefore(Number.isFinite(low) ? low : 0);
  const last = Math.max(first + 7, high);
  const days = Math.ceil((last - first) / 7) * 7;
  // Short plans get 24 px a day; long ones are squeezed into CHART_WIDTH.
  const perDay = Math.min(24, CHART_WIDTH / days);
  const width = days * perDay;
  const x = (day: number) => LABEL_WIDTH + (day - first) * perDay;

  const owners = ownerOrder(plan, rows);
  const colour = new Map(owners.map((owner, i) => [owner, PALETTE[i % PALETTE.length] as string]));

  const out: string[] = [];
  let y = 0;
  const title = plan.project ?? "Plan";
  out.push(`<text x="${MARGIN}" y="${(y += 24)}" font-size="16" font-weight="bold">${xml(title)} — ${xml(schedule.start)} → ${xml(schedule.end)}</text>`);

  // Axis: a tick every `step` weeks, a label wherever there is room for one.
  const axisY = (y += 28);
  const step = Math.max(1, Math.ceil(MIN_TICK_GAP / (7 * perDay)));
  const labelEvery = Math.max(1, Math.ceil(MIN_LABEL_GAP / (7 * perDay * step)));
  const ticks: number[] = [];
  for (let day = first, n = 0; day <= first + days; day += 7 * step, n++) {
    ticks.push(day);
    if (n % labelEvery === 0 && day < first + days) out.push(`<text x="${num(x(day) + 2)}" y="${axisY - 6}" font-size="10" fill="#555">${dateOf(day)}</text>`);
  }
  out.push(`<line x1="${LABEL_WIDTH}" y1="${axisY}" x2="${num(LABEL_WIDTH + width)}" y2="${axisY}" stroke="#333"/>`);

  // Milestones: a row of diamonds under the axis.
  const milestones = sortedMilestones(plan).filter((m) => Number.isFinite(dayOf(m.date)));
  if (milestones.length > 0) {
    const my = (y += ROW_HEIGHT) - ROW_HEIGHT / 2 + 2;
    out.push(`<text x="${MARGIN}" y="${num(my + 4)}" font-weight="bold">Milestones</text>`);
    for (const m of milestones) {
      const mx = x(dayOf(m.date));
      out.push(
        `<g class="milestone" data-milestone="${xml(m.id)}"><title>${xml(`${m.id} ${m.date}${m.criteria.length > 0 ? `: ${m.criteria.join(", ")}` : ""}`)}</title>` +
          `<polygon points="${num(mx)},${num(my - 6)} ${num(mx + 6)},${num(my)} ${num(mx)},${num(my + 6)} ${num(mx - 6)},${num(my)}" fill="#111"/>` +
          `<text x="${num(mx + 9)}" y="${num(my + 4)}" font-size="11">${xml(m.id)}</text></g>`,
      );
    }
  }

  const chartTop = y + 4;
  for (const row of rows) {
    y += PHASE_HEIGHT;
    out.push(`<rect x="0" y="${y - PHASE_HEIGHT + 4}" width="${num(LABEL_WIDTH + width + MARGIN)}" height="${PHASE_HEIGHT - 2}" fill="#eef0f3"/>`);
    out.push(`<text x="${MARGIN}" y="${y - 7}" font-weight="bold">${xml(row.name)}</text>`);
    for (const { task, title } of row.tasks) {
      y += ROW_HEIGHT;
      const isCritical = critical.has(task.id);
      const start = dayOf(task.startDate);
      const end = dayOf(task.endDate) + 1;
      const left = x(Number.isFinite(start) ? start : first);
      const barWidth = Math.max(2, (Number.isFinite(end) && Number.isFinite(start) ? end - start : 1) * perDay);
      const label = truncate(`${task.id} ${title}`, LABEL_CHARS);
      const tip = `${task.id} ${title} — ${task.owner}, ${task.startDate} → ${task.endDate}${isCritical ? " (critical)" : ""}`;
      out.push(
        `<g class="task${isCritical ? " critical" : ""}" data-task="${xml(task.id)}"><title>${xml(tip)}</title>` +
          `<text x="${MARGIN + 8}" y="${y - 7}">${xml(label)}</text>` +
          `<rect class="bar" x="${num(left)}" y="${y - ROW_HEIGHT + 4}" width="${num(barWidth)}" height="${ROW_HEIGHT - 8}" rx="2" fill="${colour.get(task.owner) ?? "#999"}"` +
          (isCritical ? ` stroke="${CRITICAL}" stroke-width="2"` : "") +
          "/></g>",
      );
    }
  }
  const chartBottom = y + 4;
  // Grid lines behind the bars (inserted before the rows), milestone lines across them.
  const grid = ticks.map((day) => `<line x1="${num(x(day))}" y1="${axisY}" x2="${num(x(day))}" y2="${chartBottom}" stroke="#e3e5e8"/>`);
  const milestoneLines = milestones.map(
    (m) => `<line x1="${num(x(dayOf(m.date)))}" y1="${chartTop}" x2="${num(x(dayOf(m.date)))}" y2="${chartBottom}" stroke="#111" stroke-dasharray="3 3"/>`,
  );

  if (omitted > 0) {
    out.push(`<text x="${MARGIN}" y="${(y += 22)}" font-style="italic">… ${omitted} more tasks not shown (critical tasks first, then the earliest to start)</text>`);
  }

  // Legend: owners, then what the outline and the diamond mean.
  y += 30;
  let lx = MARGIN;
  const legend: string[] = [];
  for (const owner of owners) {
    legend.push(`<rect x="${lx}" y="${y - 11}" width="14" height="12" fill="${colour.get(owner) ?? "#999"}"/><text x="${lx + 18}" y="${y}">${xml(owner)}</text>`);
    lx += 28 + Math.min(owner.length, 24) * 7;
  }
  legend.push(`<rect x="${lx}" y="${y - 11}" width="14" height="12" fill="#fff" stroke="${CRITICAL}" stroke-width="2"/><text x="${lx + 18}" y="${y}">critical</text>`);
  lx += 80;
  legend.push(`<polygon points="${lx + 6},${y - 11} ${lx + 12},${y - 5} ${lx + 6},${y + 1} ${lx},${y - 5}" fill="#111"/><text x="${lx + 18}" y="${y}">milestone</text>`);
  lx += 90;

  const totalWidth = Math.ceil(Math.max(LABEL_WIDTH + width + MARGIN, lx + MARGIN));
  const totalHeight = y + 16;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${totalWidth}" height="${totalHeight}" viewBox="0 0 ${totalWidth} ${totalHeight}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    ...grid,
    ...out,
    ...milestoneLines,
    `<g class="legend">${legend.join("")}</g>`,
    "</svg>",
    "",
  ].join("\n");
}

const MARGIN = 12;
const LABEL_WIDTH = 340;
/** Characters of "id title" that fit in LABEL_WIDTH at 12 px. */
const LABEL_CHARS = 46;
const CHART_WIDTH = 1200;
const ROW_HEIGHT = 22;
const PHASE_HEIGHT = 26;
const MIN_TICK_GAP = 14;
const MIN_LABEL_GAP = 72;
const CRITICAL = "#d62728";
// Tableau 10 without its red, which marks critical tasks.
const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#17becf"];

interface Row {
  name: string;
  tasks: { task: ScheduledTask; title: string }[];
}

/** Scheduled tasks under their phases (plan order, then unknown phases by id), each by start; at most `max` of them. */
function layOut(plan: Plan, schedule: Schedule, critical: Set<string>, max: number): { rows: Row[]; omitted: number; total: number } {
  const planned = new Map<string, { task: PlanTask; index: number }>(plan.tasks.map((task, index) => [task.id, { task, index }]));
  const order = (t: ScheduledTask) => planned.get(t.id)?.index ?? Infinity;
  const byStart = (a: ScheduledTask, b: ScheduledTask) => a.startHour - b.startHour || order(a) - order(b) || compare(a.id, b.id);

  let shown = schedule.tasks;
  const limit = Math.max(0, Math.floor(max));
  if (shown.length > limit) {
    const kept = new Set(
      [...shown]
        .sort((a, b) => Number(critical.has(b.id)) - Number(critical.has(a.id)) || byStart(a, b))
        .slice(0, limit)
        .map((t) => t.id),
    );
    shown = shown.filter((t) => kept.has(t.id));
  }

  const phaseNames = new Map(plan.phases.map((phase) => [phase.id, phase.name || phase.id]));
  const phaseOrder = new Map(plan.phases.map((phase, i) => [phase.id, i]));
  const groups = new Map<string, ScheduledTask[]>();
  for (const task of shown) {
    const phase = planned.get(task.id)?.task.phase ?? "";
    const list = groups.get(phase);
    if (list === undefined) groups.set(phase, [task]);
    else list.push(task);
  }
  const rows = [...groups]
    .sort(([a], [b]) => (phaseOrder.get(a) ?? Infinity) - (phaseOrder.get(b) ?? Infinity) || compare(a, b))
    .map(([phase, tasks]) => ({
      name: phaseNames.get(phase) ?? (phase === "" ? "(no phase)" : phase),
      tasks: [...tasks].sort(byStart).map((task) => ({ task, title: planned.get(task.id)?.task.title || task.id })),
    }));
  return { rows, omitted: schedule.tasks.length - shown.length, total: schedule.tasks.length };
}

function ownerOrder(plan: Plan, rows: readonly Row[]): string[] {
  const declared = plan.agents.map((agent) => agent.id);
  const seen = new Set<string>();
  for (const row of rows) for (const { task } of row.tasks) seen.add(task.owner);
  const known = declared.filter((id) => seen.has(id));
  const others = [...seen].filter((id) => !declared.includes(id)).sort(compare);
  return [...known, ...others];
}

const sortedMilestones = (plan: Plan) => [...plan.milestones].sort((a, b) => compare(a.date, b.date) || compare(a.id, b.id));

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date; NaN when it is not one. */
function dayOf(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (match === null) return Number.NaN;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

const dateOf = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

function addDays(date: string, n: number): string {
  const day = dayOf(date);
  return Number.isFinite(day) ? dateOf(day + n) : date;
}

/** 1970-01-01 was a Thursday. */
const mondayOnOrBefore = (day: number) => day - ((((day + 3) % 7) + 7) % 7);

/** Mermaid reads ":" as the start of a task's data, "#" as an entity and ";" as a statement end: entity codes for each. */
const mermaidText = (text: string) =>
  text.replace(/\s+/g, " ").trim().replace(/[:#;]/g, (c) => `#${c.charCodeAt(0)};`) || "_";

/** Mermaid task ids: letters, digits, "_" and "-" only, unique. */
function mermaidIds(ids: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const id of ids) {
    let safe = id.replace(/[^A-Za-z0-9_-]/g, "_") || "task";
    if (used.has(safe)) {
      let n = 2;
      while (used.has(`${safe}_${n}`)) n++;
      safe = `${safe}_${n}`;
    }
    used.add(safe);
    out.set(id, safe);
  }
  return out;
}

const xml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : c === ">" ? "&gt;" : c === '"' ? "&quot;" : "&apos;"))
    // Characters XML 1.0 does not allow at all.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "");

const num = (n: number) => String(Math.round(n * 10) / 10);

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}
