/**
 * The blocker log (issue 12): every period a task spent blocked, who blocked it and why, since when, and when it was
 * resolved — replayed from the `task.*` events, so a past day's tracker shows that day's blockers. Pure.
 *
 * A period begins with a move into `blocked` (`task.blocked`: by hand, `shipgate task block`, or by the dispatcher when
 * a `ready_when` check fails or a task's attempts are used up — its note "3 attempts failed: …" is the reason, like any
 * other) and ends with the task's next move, to any state.
 */
import { ShipgateError } from "../errors.js";
import { isCalendarDate } from "../plan/validate-plan.js";
import type { StoreEvent } from "../store/types.js";
import type { BlockerEntry, Blockers } from "./model.js";
import { instantMs, taskMoveOf } from "./replay.js";

export interface BlockersInput {
  /** The store's events, oldest first (by id); events other than task moves are skipped. */
  events: readonly StoreEvent[];
  /** Task id → title; a task not in it is titled by its id. */
  titles: ReadonlyMap<string, string>;
  /** The first day of the log's window (YYYY-MM-DD, from its 00:00 UTC). */
  from: string;
  /** The as-of moment (ISO 8601 date-time with a zone): the window's end; later events are ignored. */
  at: string;
}

const HOUR_MS = 3_600_000;

/**
 * The blockers at `at`:
 * - `open`: every period still open at `at` (whenever it began), oldest first; `hours` runs to `at`.
 * - `log`: every period that began in [`from` 00:00Z, `at`], in start order, open ones included.
 * - `medianHoursToResolve`: the median `hours` of the log's resolved periods (the mean of the two middle ones for an
 *   even count), rounded to 0.01; null without any.
 *
 * Events are taken in the given (store id) order, which is also the order periods start in; an event after `at` is
 * ignored wherever it stands, so a period resolved after `at` is open at `at`. O(E) plus sorting the resolved hours.
 * Throws USAGE when `from` is not a date, `at` or an event's time not an ISO 8601 date-time with a zone, or `from` is
 * after `at`'s day.
 */
export function blockers(input: BlockersInput): Blockers {
  if (!isCalendarDate(input.from)) throw new ShipgateError("USAGE", `[track] the blocker log's first day must be a date YYYY-MM-DD (got "${input.from}")`);
  const atMs = instantMs(input.at, "the blocker log's moment");
  const fromMs = Date.parse(`${input.from}T00:00:00Z`);
  if (fromMs > atMs) throw new ShipgateError("USAGE", `[track] the blocker log's first day ${input.from} is after its moment ${input.at}`);

  /** Every period in start order; the open one of each task, while it is open. */
  const periods: { entry: BlockerEntry; startMs: number }[] = [];
  const openOf = new Map<string, { entry: BlockerEntry; startMs: number }>();
  for (const event of input.events) {
    const move = taskMoveOf(event);
    if (move === null) continue;
    const ms = instantMs(move.at, `the time of event ${move.id} (${event.type} ${move.task})`);
    if (ms > atMs) continue;
    const open = openOf.get(move.task);
    if (open !== undefined) {
      open.entry.resolvedAt = move.at;
      open.entry.open = false;
      open.entry.hours = hoursBetween(open.startMs, ms);
      openOf.delete(move.task);
    }
    if (move.to === "blocked") {
      const period = {
        entry: { task: move.task, title: input.titles.get(move.task) ?? move.task, by: move.agent, reason: move.note, since: move.at, resolvedAt: null, hours: 0, open: true },
        startMs: ms,
      };
      periods.push(period);
      openOf.set(move.task, period);
    }
  }

  const open: BlockerEntry[] = [];
  const log: BlockerEntry[] = [];
  const resolved: number[] = [];
  for (const { entry, startMs } of periods) {
    if (entry.open) {
      entry.hours = hoursBetween(startMs, atMs);
      open.push(entry);
    }
    if (startMs >= fromMs) {
      log.push(entry);
      if (!entry.open) resolved.push(entry.hours);
    }
  }
  return { open, log, medianHoursToResolve: median(resolved) };
}

const hoursBetween = (fromMs: number, toMs: number) => round((toMs - fromMs) / HOUR_MS);

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = values.sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}

const round = (x: number) => Math.round(x * 100) / 100 + 0;
