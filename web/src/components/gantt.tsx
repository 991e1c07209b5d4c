/**
 * The plan's Gantt chart drawn as DOM bars from `GET /api/plan/gantt` (the model `shipgate plan gantt` draws): rows in
 * the plan order under their phase, bars placed by the schedule's working hours, coloured by owner as the CLI's SVG
 * colours them (src/report/plan-gantt-svg.ts: the same palette, done pale with a check mark, in progress striped,
 * blocked and failed hatched, the critical path outlined in red), milestones as diamonds, a line for today.
 * The axis is working days only (09:00–17:00 each; weekends left out), so a bar's length is its hours.
 * Everything shown comes from the chart; the only arithmetic here is placing it.
 */
import type { Api } from "../api.js";

/** Working hours per day column: the schedule's HOURS_PER_DAY (src/plan/schedule.ts; bars are in these hours). */
const HOURS_PER_DAY = 8;
/** The CLI's owner palette and marks (src/report/svg.ts). */
const PALETTE = ["#4e79a7", "#f28e2b", "#59a14f", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac", "#17becf"];
const STATE_WORDS: Record<Api.TaskState, string> = { pending: "", in_progress: "in progress", done: "done", failed: "failed", blocked: "blocked" };
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

const DAY_MS = 86_400_000;
/** Days since 1970-01-01 of "YYYY-MM-DD" (NaN when it is not one). */
const dayOf = (date: string): number => Math.floor(Date.parse(`${date.slice(0, 10)}T00:00:00Z`) / DAY_MS);
const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;
const isWeekend = (day: number): boolean => weekday(day) === 0 || weekday(day) === 6;
const dateOf = (day: number): string => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** How far past the plan's ends a today line or milestone still widens the axis (as the CLI's SVG: two weeks). */
const NEAR_DAYS = 14;

export interface GanttGeometry {
  /** Working-day columns, each with its calendar day. */
  columns: number[];
  /** x of a working hour from the first column, in percent of the track. */
  x: (hour: number) => number;
  /** x of a bar's hour (hours from the schedule's start, which may follow earlier columns). */
  bar: (hour: number) => number;
  /** Working hour of the start of a calendar day (a weekend: the next working day's start). */
  hourOfDay: (day: number) => number;
  /** Whether a calendar day is on the axis. */
  shows: (day: number) => boolean;
  today: number | null;
}

export function ganttGeometry(chart: Api.GanttChart): GanttGeometry {
  const start = dayOf(chart.start);
  const end = dayOf(chart.end);
  const bars = chart.sections.flatMap((s) => s.bars);
  const lastBar = Math.max(0, ...bars.map((b) => b.endHour));
  // Milestones and today widen the axis when they are near the schedule (a plan viewed months early stays readable).
  const near = (day: number) => Number.isFinite(day) && day >= start - NEAR_DAYS && day <= end + NEAR_DAYS;
  const marks = [...chart.milestones.map((m) => dayOf(m.date)), chart.today === null ? Number.NaN : dayOf(chart.today)].filter(near);
  const first = Math.min(start, ...marks);
  const lastDay = Math.max(end, ...marks);
  const columns: number[] = [];
  let offset = 0;
  for (let day = first; day <= lastDay || columns.length * HOURS_PER_DAY < offset + lastBar; day++) {
    if (day === start) offset = columns.length * HOURS_PER_DAY;
    if (!isWeekend(day)) columns.push(day);
  }
  if (columns.length === 0) columns.push(start);
  const total = columns.length * HOURS_PER_DAY;
  const hourOfDay = (day: number): number => {
    let n = 0;
    while (n < columns.length && (columns[n] as number) < day) n++;
    return n * HOURS_PER_DAY;
  };
  const today = chart.today === null ? Number.NaN : dayOf(chart.today);
  return {
    columns,
    x: (hour) => (Math.min(Math.max(hour, 0), total) / total) * 100,
    bar: (hour) => (Math.min(Math.max(offset + hour, 0), total) / total) * 100,
    hourOfDay,
    shows: (day) => Number.isFinite(day) && day >= first && day <= lastDay,
    today: Number.isFinite(today) && today >= first && today <= lastDay ? hourOfDay(today) : null,
  };
}

export function GanttView(props: { chart: Api.GanttChart; selected: string | null; onSelect: (task: string) => void }) {
  const { chart } = props;
  const g = ganttGeometry(chart);
  const bars = chart.sections.flatMap((s) => s.bars);
  const owners = [...new Set(bars.map((b) => b.owner))];
  const colour = new Map(owners.map((owner, i) => [owner, PALETTE[i % PALETTE.length] as string]));
  const daily = g.columns.length <= 32;
  const minWidth = 300 + 120 + g.columns.length * (daily ? 36 : 12);
  const hoursText = (h: number) => `${Math.round(h * 10) / 10} h`;
  return (
    <div class="gantt-scroll">
      <div class="gantt" style={{ minWidth: `${minWidth}px` }} data-testid="gantt">
        <div class="g-row g-axis">
          <div class="g-label muted">Task</div>
          <div class="g-track">
            {g.columns.map((day, i) =>
              daily || weekday(day) === 1 || i === 0 ? (
                <span class={weekday(day) === 1 ? "g-tick week" : "g-tick"} style={{ left: `${g.x(i * HOURS_PER_DAY)}%` }}>
                  {daily ? `${WEEKDAYS[weekday(day)]} ${dateOf(day).slice(5)}` : dateOf(day).slice(5)}
                </span>
              ) : null,
            )}
          </div>
        </div>
        {chart.milestones.length > 0 ? (
          <div class="g-row g-milestones">
            <div class="g-label">
              <strong>Milestones</strong>
            </div>
            <div class="g-track">
              {chart.milestones.map((m) => {
                const day = dayOf(m.date);
                if (!g.shows(day)) return null;
                // Due by the end of its day.
                const x = g.x(g.hourOfDay(day + 1));
                return (
                  <span class="g-milestone" data-milestone={m.id} style={{ left: `${x}%` }} title={`${m.id} ${m.date}${m.criteria.length > 0 ? `: ${m.criteria.join(", ")}` : ""}`}>
                    <span class="diamond" />
                    {m.id} · {m.date.slice(5)}
                  </span>
                );
              })}
            </div>
          </div>
        ) : null}
        <div class="g-body">
          <div class="g-overlay" aria-hidden="true">
            {g.columns.map((day, i) => (weekday(day) === 1 || daily ? <span class={weekday(day) === 1 ? "g-line week" : "g-line"} style={{ left: `${g.x(i * HOURS_PER_DAY)}%` }} /> : null))}
            {chart.milestones.map((m) => (g.shows(dayOf(m.date)) ? <span class="g-line milestone" style={{ left: `${g.x(g.hourOfDay(dayOf(m.date) + 1))}%` }} /> : null))}
            {g.today !== null ? (
              <span class="g-line today" data-testid="today" style={{ left: `${g.x(g.today)}%` }}>
                <span>today {chart.today}</span>
              </span>
            ) : null}
          </div>
          {chart.sections.map((section) => (
            <div class="g-section" role="rowgroup" aria-label={section.name}>
              <div class="g-phase">{section.name}</div>
              {section.bars.map((bar) => {
                const state = bar.state ?? "pending";
                const word = STATE_WORDS[state];
                const tip = `${bar.id} ${bar.title} — ${bar.owner}, ${hoursText(bar.hours)} of work, ${bar.start} → ${bar.end}${bar.critical ? " (critical)" : ""}${word ? `, ${word}` : ""}`;
                const left = g.bar(bar.startHour);
                const right = g.bar(bar.endHour);
                return (
                  <div class={props.selected === bar.id ? "g-row g-task selected" : "g-row g-task"} data-task={bar.id} data-state={state} data-critical={bar.critical ? "true" : "false"} title={tip} onClick={() => props.onSelect(bar.id)}>
                    <div class={state === "done" ? "g-label done" : "g-label"}>
                      {state === "done" ? "✓ " : ""}
                      <strong>{bar.id}</strong> {bar.title}
                    </div>
                    <div class="g-track">
                      <button
                        type="button"
                        class={`g-bar ${state}${bar.critical ? " critical" : ""}`}
                        style={{ left: `${left}%`, width: `max(3px, ${right - left}%)`, "--owner": colour.get(bar.owner) ?? "#999" }}
                        aria-label={tip}
                      />
                      <span class={state === "blocked" || state === "failed" ? "g-note bad" : "g-note"} style={{ left: `calc(${right}% + 4px)` }}>
                        {hoursText(bar.hours)}
                        {word ? ` · ${word}` : ""}
                      </span>
                    </div>
                  </div>
                );
              })}
            </div>
          ))}
        </div>
      </div>
      {chart.today !== null && g.today === null ? <p class="muted">Today ({chart.today}) is outside the plan's days: no today line.</p> : null}
      <div class="g-legend" aria-label="Legend">
        {owners.map((owner) => (
          <span>
            <i class="g-bar pending" style={{ "--owner": colour.get(owner) ?? "#999" }} />
            {owner}
          </span>
        ))}
        <span>
          <i class="g-bar critical" style={{ "--owner": "#fff" }} />
          critical path
        </span>
        <span>
          <i class="g-bar done" style={{ "--owner": "#888" }} />✓ done
        </span>
        <span>
          <i class="g-bar in_progress" style={{ "--owner": "#888" }} />
          in progress
        </span>
        <span>
          <i class="g-bar blocked" />
          blocked / failed
        </span>
        <span>
          <i class="diamond" />
          milestone
        </span>
        <span>
          <i class="g-legend-today" />
          today
        </span>
        <span class="muted">a column is a working day, 09:00–17:00; weekends left out</span>
      </div>
    </div>
  );
}
