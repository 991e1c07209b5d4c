import { dateOfWeekday, HOURS_PER_DAY, weekdayIndex } from "./schedule.js";
import type { Plan, PlanMilestone, PlanTask, Schedule } from "./types.js";

/** Tasks a Mermaid chart shows at most: Mermaid renders a few hundred bars legibly, not thousands. */
export const MERMAID_MAX_TASKS = 200;
/** Tasks an SVG chart shows by default. */
export const SVG_MAX_TASKS = 500;
/** The working day the schedule's hours are laid on: WORKDAY_START + HOURS_PER_DAY hours (09:00–17:00). */
export const WORKDAY_START = 9;

/** A task's state as the chart draws it (the store's states; null when the plan was never imported). */
export type GanttState = "pending" | "in_progress" | "done" | "failed" | "blocked";

/** One task on the chart. */
export interface GanttBar {
  id: string;
  title: string;
  owner: string;
  phase: string;
  /** Expected hours of work (PERT). */
  hours: number;
  /** Working hours from the project start, as the schedule places the task (HOURS_PER_DAY per working day). */
  startHour: number;
  endHour: number;
  /**
   * When it starts and ends on the calendar, "YYYY-MM-DD HH:MM": a working day runs from 09:00 for
   * HOURS_PER_DAY hours, so a task that ends with the day ends at 17:00, not at 09:00 the next day.
   */
  start: string;
  end: string;
  critical: boolean;
  state: GanttState | null;
}

/** A run of consecutive bars (in the plan order) of one phase. */
export interface GanttSection {
  phase: string;
  name: string;
  bars: GanttBar[];
}

/** What every Gantt renderer draws. */
export interface GanttChart {
  title: string | null;
  /** The schedule's first and last working days. */
  start: string;
  end: string;
  /** The bars in the plan order, cut into a section wherever the phase changes. */
  sections: GanttSection[];
  /** By date, then id. */
  milestones: PlanMilestone[];
  /** The date of the today line, or null for none. */
  today: string | null;
  /** Tasks left out (beyond `maxTasks`) and the plan's task count. */
  omitted: number;
  total: number;
}

export interface GanttInput {
  plan: Plan;
  schedule: Schedule;
  /** Ids of the tasks on the critical path. */
  critical: ReadonlySet<string>;
  /** Task ids in the plan order (`PlanAnalysis.order`). */
  order: readonly string[];
  /** Stored task states by id; tasks without one are drawn as not started. */
  states?: ReadonlyMap<string, GanttState>;
  /** Where the today line goes (YYYY-MM-DD); none when absent. */
  today?: string;
  /** Tasks shown at most; beyond it the critical ones are kept first, then the earliest to start. */
  maxTasks?: number;
}

/**
 * Pure: the bars of a Gantt chart. Each bar is the schedule's placement of a task in hours, on the
 * calendar (working days Monday–Friday, 09:00–17:00), so a task that waits for another starts no
 * earlier than that one ends, and bar lengths follow hours, not days. Bars come in the plan order.
 */
export function ganttChart(input: GanttInput): GanttChart {
  const { plan, schedule, critical } = input;
  const planned = new Map<string, PlanTask>(plan.tasks.map((task) => [task.id, task]));
  const position = new Map(input.order.map((id, i) => [id, i]));
  const inOrder = [...schedule.tasks].sort((a, b) => (position.get(a.id) ?? Infinity) - (position.get(b.id) ?? Infinity));

  let shown = inOrder;
  const limit = Math.max(0, Math.floor(input.maxTasks ?? Infinity));
  if (shown.length > limit) {
    const kept = new Set(
      [...inOrder]
        .sort((a, b) => Number(critical.has(b.id)) - Number(critical.has(a.id)) || a.startHour - b.startHour || (position.get(a.id) ?? 0) - (position.get(b.id) ?? 0))
        .slice(0, limit)
        .map((t) => t.id),
    );
    shown = inOrder.filter((t) => kept.has(t.id));
  }

  const origin = weekdayIndex(schedule.start);
  const phaseNames = new Map(plan.phases.map((phase) => [phase.id, phase.name || phase.id]));
  const sections: GanttSection[] = [];
  for (const t of shown) {
    const task = planned.get(t.id);
    const phase = task?.phase ?? "";
    const e = task?.estimate;
    const bar: GanttBar = {
      id: t.id,
      title: task?.title || t.id,
      owner: t.owner,
      phase,
      hours: e ? Math.round(((e.optimistic + 4 * e.likely + e.pessimistic) / 6) * 100) / 100 : 0,
      startHour: t.startHour,
      endHour: t.endHour,
      start: clockOf(origin, t.startHour, false),
      end: clockOf(origin, t.endHour, t.endHour > t.startHour),
      critical: critical.has(t.id),
      state: input.states?.get(t.id) ?? null,
    };
    const last = sections.at(-1);
    if (last !== undefined && last.phase === phase) last.bars.push(bar);
    else sections.push({ phase, name: phaseNames.get(phase) ?? (phase === "" ? "(no phase)" : phase), bars: [bar] });
  }
  const milestones = [...plan.milestones].sort((a, b) => compare(a.date, b.date) || compare(a.id, b.id));
  return { title: plan.project, start: schedule.start, end: schedule.end, sections, milestones, today: input.today ?? null, omitted: schedule.tasks.length - shown.length, total: schedule.tasks.length };
}

/**
 * "YYYY-MM-DD HH:MM" of a point `hour` working hours after the start of working day `origin`
 * (weekdayIndex). An end that falls on a day boundary belongs to the day it closes (17:00).
 */
export function clockOf(origin: number, hour: number, isEnd: boolean): string {
  const exact = hour / HOURS_PER_DAY;
  let day = Math.floor(exact + 1e-9);
  if (isEnd && day > 0 && Math.abs(exact - day) < 1e-9) day -= 1;
  const minutes = Math.round((hour - day * HOURS_PER_DAY) * 60) + WORKDAY_START * 60;
  return `${dateOfWeekday(origin + day)} ${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

const pad = (n: number) => String(n).padStart(2, "0");
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
