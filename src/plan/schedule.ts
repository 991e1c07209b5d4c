import { ShipgateError } from "../errors.js";
import { timingLookup } from "./critical-path.js";
import { buildPlanGraph } from "./graph.js";
import { taskRank } from "./order.js";
import { RankHeap } from "./rank-heap.js";
import { type CriticalPathResult, type Plan, type Schedule, type ScheduledTask } from "./types.js";
import { DEFAULT_CAPACITY } from "./validate-plan.js";

/** The hours of a standard working day: ScheduledTask.startHour / HOURS_PER_DAY is the working day it starts in. */
export const HOURS_PER_DAY = 8;

/**
 * Places a validated plan on the calendar so that dependencies (task and phase order, phase start
 * dates) hold and each agent does one task at a time. List scheduling on a working-day clock: whenever
 * an agent is free it starts, of its tasks whose prerequisites are done, the first by the plan order's
 * key (`taskRank`: phase, priority, least slack from `timing`, id), as `task next` would hand it out. A task lasts its
 * expected hours divided by its owner's capacity (hours per day), in working days; dates skip
 * Saturdays and Sundays, and a start on a weekend moves to the Monday. O((V + E) log V).
 */
export function schedulePlan(plan: Plan, timing: CriticalPathResult, start: string, options: { rank?: Int32Array } = {}): Schedule {
  const graph = buildPlanGraph(plan);
  const { size, waitsFor, dependents } = graph;
  const n = graph.tasks;
  if (graph.order.length < size) {
    throw new ShipgateError("PLAN_INVALID", "[plan] the plan has a dependency cycle, so it cannot be scheduled", { hint: "run `shipgate plan check` to see the cycle" });
  }
  const origin = weekdayIndex(start);

  // Agents: one resource per owner (an owner missing from `agents` gets one of default capacity).
  const agentOf = new Map<string, number>();
  const capacity: number[] = [];
  for (const a of plan.agents) {
    if (agentOf.has(a.id)) continue;
    agentOf.set(a.id, capacity.length);
    capacity.push(a.capacity > 0 ? a.capacity : DEFAULT_CAPACITY);
  }
  const owner = new Int32Array(n);
  const days = new Float64Array(size);
  const timingOf = timingLookup(plan, timing);
  plan.tasks.forEach((t, i) => {
    let a = agentOf.get(t.owner);
    if (a === undefined) {
      a = capacity.length;
      agentOf.set(t.owner, a);
      capacity.push(DEFAULT_CAPACITY);
    }
    owner[i] = a;
    const e = timingOf(i)?.expected ?? (t.estimate.optimistic + 4 * t.estimate.likely + t.estimate.pessimistic) / 6;
    days[i] = e / (capacity[a] as number);
  });

  // Who goes first among ready tasks of one agent: the plan order's key, as the queue hands them out.
  const rank = options.rank ?? taskRank(plan, timing);

  // Earliest day of each node: phase start dates hold the phase's start node back.
  const readyAt = new Float64Array(size);
  plan.phases.forEach((p, k) => {
    if (p.start !== null) readyAt[n + k] = Math.max(0, weekdayIndex(p.start) - origin);
  });
  const waiting = new Int32Array(size);
  for (let v = 0; v < size; v++) waiting[v] = (waitsFor.offsets[v + 1] as number) - (waitsFor.offsets[v] as number);

  // Events are task finishes and phase start dates; a node whose prerequisites are done "now" goes to
  // `released` instead, so the event heap holds little more than one running task per agent.
  const events = new Heap<{ time: number; node: number; finish: boolean }>((x, y) => x.time - y.time || x.node - y.node);
  const ready = capacity.map(() => new RankHeap(rank));
  const freeAt = new Float64Array(capacity.length);
  let dirty: number[] = [];
  let spare: number[] = [];
  const isDirty = new Uint8Array(capacity.length);
  const released: number[] = [];
  const startDay = new Float64Array(n);
  const endDay = new Float64Array(n);
  let now = 0;
  const touch = (a: number) => {
    if (isDirty[a] === 0) {
      isDirty[a] = 1;
      dirty.push(a);
    }
  };
  const release = (v: number) => {
    if ((readyAt[v] as number) > now) events.push({ time: readyAt[v] as number, node: v, finish: false });
    else released.push(v);
  };
  /** A task finished or a phase node (which takes no time) passed: release what waited for it. */
  const complete = (v: number) => {
    for (let e = dependents.offsets[v] as number; e < (dependents.offsets[v + 1] as number); e++) {
      const w = dependents.targets[e] as number;
      if ((readyAt[w] as number) < now) readyAt[w] = now;
      if (--waiting[w]! === 0) release(w);
    }
  };
  /** Hands out everything released now, then lets each free agent start its best ready task. */
  const settle = () => {
    while (released.length > 0 || dirty.length > 0) {
      while (released.length > 0) {
        const v = released.pop() as number;
        if (v < n) {
          ready[owner[v] as number]!.push(v);
          touch(owner[v] as number);
        } else complete(v);
      }
      const agents = dirty;
      dirty = spare;
      spare = agents;
      for (const a of agents) {
        isDirty[a] = 0;
        const queue = ready[a]!;
        if ((freeAt[a] as number) > now || queue.size === 0) continue;
        const task = queue.pop();
        startDay[task] = now;
        endDay[task] = now + (days[task] as number);
        freeAt[a] = endDay[task];
        if (endDay[task] > now) events.push({ time: endDay[task], node: task, finish: true });
        else {
          touch(a);
          complete(task);
        }
      }
      agents.length = 0;
    }
  };

  for (let v = 0; v < size; v++) if (waiting[v] === 0) release(v);
  settle();
  while (events.size > 0) {
    now = (events.peek() as { time: number }).time;
    while (events.size > 0 && (events.peek() as { time: number }).time === now) {
      const { node, finish } = events.pop() as { node: number; finish: boolean };
      if (finish) {
        touch(owner[node] as number);
        complete(node);
      } else released.push(node);
    }
    settle();
  }

  const dates = new Map<number, string>();
  const dateOf = (offset: number) => {
    let d = dates.get(offset);
    if (d === undefined) {
      d = dateOfWeekday(origin + offset);
      dates.set(offset, d);
    }
    return d;
  };
  let last = 0;
  const tasks: ScheduledTask[] = plan.tasks.map((t, i) => {
    const from = Math.floor((startDay[i] as number) + 1e-9);
    const to = Math.max(from, Math.ceil((endDay[i] as number) - 1e-9) - 1);
    if (to > last) last = to;
    return {
      id: t.id,
      owner: t.owner,
      startHour: round((startDay[i] as number) * HOURS_PER_DAY),
      endHour: round((endDay[i] as number) * HOURS_PER_DAY),
      startDate: dateOf(from),
      endDate: dateOf(to),
    };
  });
  return { start: dateOf(0), end: dateOf(last), tasks };
}

/**
 * The number of Monday–Friday days from Monday 1969-12-29 to `date` (YYYY-MM-DD); a Saturday or
 * Sunday counts as the Monday after it.
 */
export function weekdayIndex(date: string): number {
  const day = Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000) + 3;
  const week = Math.floor(day / 7);
  return week * 5 + Math.min(day - week * 7, 5);
}

/** The inverse of `weekdayIndex`: the date of a working day. */
export function dateOfWeekday(index: number): string {
  const week = Math.floor(index / 5);
  const day = week * 7 + (index - week * 5) - 3;
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

const round = (x: number) => Math.round(x * 100) / 100 + 0;

/** A binary min-heap. */
class Heap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(items[parent] as T, item) <= 0) break;
      items[i] = items[parent] as T;
      i = parent;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= items.length) break;
      if (child + 1 < items.length && this.less(items[child + 1] as T, items[child] as T) < 0) child++;
      if (this.less(last, items[child] as T) <= 0) break;
      items[i] = items[child] as T;
      i = child;
    }
    items[i] = last;
    return top;
  }
}

export { compareIds } from "./order.js";
