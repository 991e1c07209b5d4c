/**
 * Burn-down (and burn-up) of a program's tasks, replayed from the store's history: the plans it imported (scope) and
 * the task moves it recorded (progress). Pure: the caller reads the store and derives each import's expected hours.
 *
 * A burn-up chart is the same data: plot `doneTasks`/`doneHours` rising against `scopeTasks`/`scopeHours`; there is
 * no separate function.
 */
import { ShipgateError } from "../errors.js";
import { weekdayIndex } from "../plan/schedule.js";
import { isCalendarDate } from "../plan/validate-plan.js";
import type { StoreEvent, TaskState } from "../store/types.js";
import { TASK_STATES } from "../store/task-state.js";
import { isoMs } from "./time.js";

/** One stored plan import, as the burn-down reads it. */
export interface BurndownImport {
  /** When the plan was imported (ISO 8601 date-time with a zone, the `plan.imported` event's `at`). */
  at: string;
  /**
   * Every task of that plan — the whole scope from that moment on, not a delta. `expectedHours` is the caller's PERT
   * expected value of the task's estimate ((optimistic + 4 × likely + pessimistic) / 6). An id listed twice: the last
   * entry counts.
   */
  tasks: { id: string; expectedHours: number }[];
}

/** One recorded task move (a `task.*` event): see `movesFromEvents`. */
export interface BurndownMove {
  /** When it happened (ISO 8601 date-time with a zone; the day is the UTC day). */
  at: string;
  task: string;
  /** The state the task entered. */
  to: TaskState;
}

export interface BurndownOptions {
  /** The plan imports, in any order (sorted here by `at`; equal times keep the given order). */
  imports: BurndownImport[];
  /** The task moves, in any order (sorted here by `at`; equal times keep the given order, so pass them by store id). */
  moves: BurndownMove[];
  /** The first day of the series (YYYY-MM-DD, UTC). Everything before it only sets that day's starting state. */
  from: string;
  /** The last day of the series, the "as of" day (YYYY-MM-DD, UTC). Anything after its end is ignored. */
  to: string;
  /**
   * The program's end date (YYYY-MM-DD, UTC): where the ideal line reaches 0. Not before `baseline`; may be after
   * `to` (the series stops at `to`, the line keeps its slope).
   */
  end: string;
  /**
   * The day the ideal line is frozen at (YYYY-MM-DD, UTC; default `from`, not before it): its scope at that day's end
   * is the line's start, and later scope changes do not move the line. Days before it have no ideal (null).
   */
  baseline?: string;
  /**
   * false (default): one row per calendar day, the ideal line falls by the same amount every calendar day.
   * true: one row per Monday–Friday day, as `schedulePlan` counts days; a weekend's events fall into the Monday's row
   * (its state is at the Monday's end, its annotations include Saturday's and Sunday's), the ideal line falls only on
   * working days, and a weekend `from`, `baseline` or `end` counts as the Monday after it.
   */
  workingDays?: boolean;
}

/** The burn-down's state at the END of one day (UTC). Hours are rounded to 0.01. */
export interface BurndownDay {
  /** YYYY-MM-DD. */
  date: string;
  /** Tasks of the latest plan imported by the day's end (removed tasks are out of scope, not "not done"). */
  scopeTasks: number;
  /** Their expected hours, as that import estimated them. */
  scopeHours: number;
  /** Scope tasks whose last move by the day's end entered `done` (done then reopened is not done). */
  doneTasks: number;
  doneHours: number;
  /** scopeTasks − doneTasks. */
  remainingTasks: number;
  /** scopeHours − doneHours. */
  remainingHours: number;
  /** The ideal remaining hours that day: linear from the baseline's scope to 0 at `end`; null before the baseline. */
  idealHours: number | null;
  /** The same line in tasks (fractional, rounded to 0.01); null before the baseline. */
  idealTasks: number | null;
  /**
   * Ids that entered the scope through an import during the day (a day of a weekend folded into Monday included),
   * in import order. The first import of all establishes the scope and is not annotated, nor is any import before
   * `from`. An import that adds a task another one removes the same day shows it in both lists.
   */
  added: string[];
  /** Ids that left the scope through an import during the day, by the same rules as `added`. */
  removed: string[];
  /** Ids kept by an import during the day with different expected hours than in the import before it. */
  reestimated: { id: string; from: number; to: number }[];
}

const DAY_MS = 86_400_000;
const STATES = new Set<string>(TASK_STATES);

/**
 * The burn-down, one row per day from `from` to `to` (calendar days, or Monday–Friday with `workingDays`). A task's
 * state on a day is its last move at or before the day's end; the scope is the latest import at or before it; a day
 * without events carries the state of the day before. O(S + E log E + D) for S task entries over all imports, E
 * imports and moves, D days: one pass over the time-sorted events updating running totals (an import is diffed
 * against the scope before it, in the size of both), and O(1) per day plus its annotations — never a rescan of all
 * tasks per day.
 *
 * Throws ShipgateError USAGE for a date that is not YYYY-MM-DD, `to` before `from`, `baseline` before `from`,
 * `end` before `baseline`, or an `at` that is not an ISO 8601 date (UTC) or date-time with a zone.
 */
export function burndown(options: BurndownOptions): BurndownDay[] {
  const { from, to, end } = options;
  const baseline = options.baseline ?? from;
  const working = options.workingDays ?? false;
  for (const [name, value] of [["from", from], ["to", to], ["end", end], ["baseline", baseline]] as const) {
    if (!isCalendarDate(value)) throw new ShipgateError("USAGE", `[track] the burn-down's ${name} must be a date YYYY-MM-DD (got "${value}")`);
  }
  if (to < from) throw new ShipgateError("USAGE", `[track] the burn-down's as-of day ${to} is before its first day ${from}`);
  if (baseline < from) throw new ShipgateError("USAGE", `[track] the burn-down's baseline ${baseline} is before its first day ${from}`);
  if (end < baseline) throw new ShipgateError("USAGE", `[track] the program ends ${end}, before its baseline ${baseline}: the ideal line has nowhere to go`);

  const imports = sortByTime(options.imports, (i) => `of ${i.tasks.length} task${i.tasks.length === 1 ? "" : "s"}`, "plan import");
  const moves = sortByTime(options.moves, (m) => `of ${m.task}`, "move");
  const fromMs = Date.parse(`${from}T00:00:00Z`);

  // Running state, updated per event: the scope (id → hours), each task's state, and the totals.
  let scope = new Map<string, number>();
  const state = new Map<string, TaskState>();
  let scopeHours = 0;
  let doneTasks = 0;
  let doneHours = 0;
  let importCount = 0;
  let added: string[] = [];
  let removed: string[] = [];
  let reestimated: BurndownDay["reestimated"] = [];

  const applyImport = (imp: BurndownImport, annotate: boolean) => {
    const next = new Map<string, number>();
    for (const t of imp.tasks) next.set(t.id, t.expectedHours);
    const note = annotate && importCount > 0;
    importCount++;
    for (const [id, hours] of scope) {
      if (next.has(id)) continue;
      scopeHours -= hours;
      if (state.get(id) === "done") {
        doneTasks--;
        doneHours -= hours;
      }
      if (note) removed.push(id);
    }
    for (const [id, hours] of next) {
      const before = scope.get(id);
      const isDone = state.get(id) === "done";
      if (before === undefined) {
        scopeHours += hours;
        if (isDone) {
          doneTasks++;
          doneHours += hours;
        }
        if (note) added.push(id);
      } else if (before !== hours) {
        scopeHours += hours - before;
        if (isDone) doneHours += hours - before;
        if (note) reestimated.push({ id, from: before, to: hours });
      }
    }
    scope = next;
  };
  const applyMove = (move: BurndownMove) => {
    const hours = scope.get(move.task);
    const wasDone = state.get(move.task) === "done";
    state.set(move.task, move.to);
    if (hours === undefined) return;
    const isDone = move.to === "done";
    if (wasDone && !isDone) {
      doneTasks--;
      doneHours -= hours;
    } else if (!wasDone && isDone) {
      doneTasks++;
      doneHours += hours;
    }
  };

  // The days, and where the ideal line starts and ends on their clock.
  const index = working ? weekdayIndex : (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
  const days: string[] = [];
  for (let ms = fromMs, last = Date.parse(`${to}T00:00:00Z`); ms <= last; ms += DAY_MS) {
    const date = new Date(ms).toISOString().slice(0, 10);
    const weekday = new Date(ms).getUTCDay();
    if (!working || (weekday !== 0 && weekday !== 6)) days.push(date);
  }
  const baselineIndex = index(baseline);
  const span = index(end) - baselineIndex;
  let ideal: { hours: number; tasks: number } | null = null;

  const out: BurndownDay[] = [];
  let i = 0;
  let m = 0;
  for (const date of days) {
    const dayEnd = Date.parse(`${date}T00:00:00Z`) + DAY_MS;
    // Imports before moves at the same instant: a task is in the plan before anyone moves it.
    while (i < imports.length || m < moves.length) {
      const imp = imports[i];
      const move = moves[m];
      const importFirst = imp !== undefined && imp.ms < dayEnd && (move === undefined || imp.ms <= move.ms);
      if (importFirst) {
        applyImport(imp.item, imp.ms >= fromMs);
        i++;
      } else if (move !== undefined && move.ms < dayEnd) {
        applyMove(move.item);
        m++;
      } else break;
    }
    const scopeTasks = scope.size;
    const dayIndex = index(date);
    if (ideal === null && dayIndex >= baselineIndex) ideal = { hours: scopeHours, tasks: scopeTasks };
    const share = ideal === null ? 0 : span > 0 ? Math.min(1, Math.max(0, (index(end) - dayIndex) / span)) : 0;
    out.push({
      date,
      scopeTasks,
      scopeHours: round(scopeHours),
      doneTasks,
      doneHours: round(doneHours),
      remainingTasks: scopeTasks - doneTasks,
      remainingHours: round(scopeHours - doneHours),
      idealHours: ideal === null ? null : round(ideal.hours * share),
      idealTasks: ideal === null ? null : round(ideal.tasks * share),
      added,
      removed,
      reestimated,
    });
    added = [];
    removed = [];
    reestimated = [];
  }
  return out;
}

/**
 * The task moves among stored events: every `task.*` event (task.started, task.done, task.failed, task.blocked,
 * task.pending) whose subject is the task id and whose `data.to` names a task state; other events are skipped.
 * Keeps the events' order (the store lists them by id).
 */
export function movesFromEvents(events: readonly StoreEvent[]): BurndownMove[] {
  const moves: BurndownMove[] = [];
  for (const e of events) {
    if (!e.type.startsWith("task.") || e.subject === null) continue;
    const to = typeof e.data === "object" && e.data !== null ? (e.data as { to?: unknown }).to : undefined;
    if (typeof to === "string" && STATES.has(to)) moves.push({ at: e.at, task: e.subject, to: to as TaskState });
  }
  return moves;
}

/** The items with their time in ms, stably sorted by it; an unreadable `at` is refused with what it belongs to. */
function sortByTime<T extends { at: string }>(items: readonly T[], label: (item: T) => string, kind: string): { ms: number; item: T }[] {
  const timed = items.map((item) => {
    // A time without a zone would be read in the machine's zone: the same history would burn down differently.
    const ms = isoMs(item.at);
    if (Number.isNaN(ms)) throw new ShipgateError("USAGE", `[track] the ${kind} ${label(item)} has a time that is not an ISO 8601 date-time with a zone, such as 2026-03-01T09:00:00Z (got "${item.at}")`);
    return { ms, item };
  });
  // Array.prototype.sort is stable: equal times keep the caller's (store id) order.
  return timed.sort((a, b) => a.ms - b.ms);
}

const round = (x: number) => Math.round(x * 100) / 100 + 0;
