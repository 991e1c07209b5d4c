import { WORKDAY_START, type GanttChart } from "../plan/gantt.js";
import { HOURS_PER_DAY } from "../plan/schedule.js";

const STATE_TAG: Record<string, string> = { done: "done, ", in_progress: "active, " };
const STATE_WORD: Record<string, string> = { blocked: "[blocked] ", failed: "[failed] " };

/**
 * A Gantt chart as a Mermaid `gantt` diagram with minute granularity (`dateFormat YYYY-MM-DD HH:mm`),
 * so a task that waits for another never overlaps it. Mermaid draws whole calendar days, nights
 * included, so a task running into the next morning would look longer than a longer task within one
 * day: the working day (09:00–17:00) is stretched over the whole day instead (a comment in the output
 * says so; 13:00 is written 12:00), and bar lengths follow hours of work. A section per
 * run of one phase in the plan order, a line per task (`id title :tags, id, start, end`), weekends
 * excluded (Mermaid shades them), done / active / critical tags, blocked and failed tasks marked in
 * their label, and a "Milestones" section (each due by the end of its date). Mermaid itself draws the today line (at the time of
 * viewing). Beyond the chart's task limit a comment says how many tasks were left out.
 */
export function renderGanttMermaid(chart: GanttChart): string {
  const lines = ["gantt"];
  if (chart.title !== null) lines.push(`  title ${mermaidText(chart.title)}`);
  lines.push("  dateFormat YYYY-MM-DD HH:mm", "  axisFormat %a %d %b", "  excludes weekends");
  const days = (Date.parse(chart.end) - Date.parse(chart.start)) / 86_400_000;
  if (days <= 21) lines.push("  tickInterval 1day");
  lines.push("  %% times are working time stretched over the day: 00:00 is 09:00, 12:00 is 13:00, 24:00 is 17:00");
  if (chart.omitted > 0) {
    lines.push(`  %% ${chart.omitted} of ${chart.total} tasks left out: shown are the critical ones first, then the earliest to start`);
  }
  const ids = mermaidIds(chart.sections.flatMap((s) => s.bars.map((b) => b.id)));
  for (const section of chart.sections) {
    lines.push(`  section ${mermaidText(section.name)}`);
    for (const bar of section.bars) {
      const tags = `${bar.critical ? "crit, " : ""}${(bar.state && STATE_TAG[bar.state]) ?? ""}`;
      const label = `${(bar.state && STATE_WORD[bar.state]) ?? ""}${bar.id} ${bar.title}`;
      lines.push(`  ${mermaidText(label)} :${tags}${ids.get(bar.id) ?? bar.id}, ${stretched(bar.start)}, ${stretched(bar.end)}`);
    }
  }
  if (chart.milestones.length > 0) {
    lines.push("  section Milestones");
    for (const m of chart.milestones) lines.push(`  ${mermaidText(`${m.id} ${m.date}`)} :milestone, ${m.date} 23:59, 0d`);
  }
  return `${lines.join("\n")}\n`;
}

/** "YYYY-MM-DD HH:MM" of working time (09:00–17:00) as the same point of the day stretched to 00:00–24:00. */
export function stretched(stamp: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(stamp);
  if (match === null) return stamp;
  const minutes = Math.min(Math.max((Number(match[4]) - WORKDAY_START) * 60 + Number(match[5]), 0), HOURS_PER_DAY * 60) * (24 / HOURS_PER_DAY);
  const at = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) + Math.round(minutes) * 60_000).toISOString();
  return `${at.slice(0, 10)} ${at.slice(11, 16)}`;
}

/**
 * Mermaid reads ":" as the start of a task's data, "#" as an entity and ";" as a statement end: entity codes
 * for each. A backtick too: three of them in a task title closed the ```mermaid fence of the status document.
 */
const mermaidText = (text: string) =>
  text.replace(/\s+/g, " ").trim().replace(/[:#;`]/g, (c) => `#${c.charCodeAt(0)};`) || "_";

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
