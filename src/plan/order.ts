import { ShipgateError } from "../errors.js";
import { criticalPath, timingLookup } from "./critical-path.js";
import { buildPlanGraph } from "./graph.js";
import { RankHeap } from "./rank-heap.js";
import { PRIORITIES, type CriticalPathResult, type Plan, type PlanTask } from "./types.js";

/**
 * The plan order: the one sequence in which every view lists tasks (`plan show`, the Gantt chart,
 * `plan handoff`, `plan status`, `task list`) and in which the queue offers them (`task next` gives
 * the first task of this order whose prerequisites are done).
 *
 * It is a topological order — no task comes before a task it waits for, through `depends_on` or
 * through the phase order — and among the tasks that could come next it takes the one with the least
 * key: its phase's place in the phase order (phases sorted by their `depends_on`, ties in file order),
 * then priority (P0 first), then slack (least first, from `timing`), then id as people read it (T2
 * before T10). So tasks come phase by phase as far as their dependencies allow. Deterministic: it
 * depends on the plan's content, not on where a task sits in the file (except for phase ties).
 */
export function planOrder(plan: Plan, timing: CriticalPathResult = criticalPath(plan)): PlanTask[] {
  return Array.from(planOrderIndices(plan, timing), (i) => plan.tasks[i] as PlanTask);
}

/** `planOrder` as indices into `plan.tasks`. O((V + E) log V). */
export function planOrderIndices(plan: Plan, timing: CriticalPathResult = criticalPath(plan), rank: Int32Array = taskRank(plan, timing)): Int32Array {
  const graph = buildPlanGraph(plan);
  const { size, waitsFor, dependents } = graph;
  const n = graph.tasks;
  if (graph.order.length < size) {
    throw new ShipgateError("PLAN_INVALID", "[plan] the plan has a dependency cycle, so its tasks have no order", { hint: "run `shipgate plan check` to see the cycle" });
  }
  const waiting = new Int32Array(size);
  for (let v = 0; v < size; v++) waiting[v] = (waitsFor.offsets[v + 1] as number) - (waitsFor.offsets[v] as number);
  const ready = new RankHeap(rank);
  // Phase nodes take no time: they pass as soon as they are free, before the next task is chosen.
  const passing: number[] = [];
  const free = (v: number) => (v < n ? ready.push(v) : passing.push(v));
  for (let v = 0; v < size; v++) if (waiting[v] === 0) free(v);
  const order = new Int32Array(n);
  let at = 0;
  for (;;) {
    let v: number;
    if (passing.length > 0) v = passing.pop() as number;
    else if (ready.size > 0) v = order[at++] = ready.pop();
    else break;
    for (let e = dependents.offsets[v] as number; e < (dependents.offsets[v + 1] as number); e++) {
      const w = dependents.targets[e] as number;
      if (--waiting[w]! === 0) free(w);
    }
  }
  return order;
}

/**
 * Each task's place by the plan order's key alone (phase, priority, slack, id), ignoring dependencies:
 * among tasks that are ready together, the least rank goes first. The schedule uses it too, so that
 * the timeline shows each agent taking its tasks as the queue would hand them out.
 */
export function taskRank(plan: Plan, timing: CriticalPathResult): Int32Array {
  const n = plan.tasks.length;
  const phaseRank = phaseOrder(plan);
  const timingOf = timingLookup(plan, timing);
  // Native numeric sorts of packed keys (a comparator sort of 100 000 tasks costs several times more):
  // first by slack in cents, then by (phase, priority, slack's rank), then ids within runs of equal keys.
  const cents = new Float64Array(n);
  plan.tasks.forEach((_, i) => (cents[i] = Math.max(0, Math.round((timingOf(i)?.slack ?? 0) * 100)) * n + i));
  cents.sort();
  const slackRank = new Float64Array(n);
  let previous = -1;
  let r = -1;
  cents.forEach((packed, k) => {
    const i = packed % n;
    const slack = Math.floor(packed / n);
    if (k === 0 || slack !== previous) r = k;
    previous = slack;
    slackRank[i] = r;
  });
  const keys = new Float64Array(n);
  const packed = new Float64Array(n);
  const phases = plan.phases.length + 1;
  plan.tasks.forEach((t, i) => {
    const phase = phaseRank.get(t.phase) ?? phases - 1;
    const key = (phase * PRIORITIES.length + Math.max(0, PRIORITIES.indexOf(t.priority))) * n + (slackRank[i] as number);
    keys[i] = key;
    packed[i] = key * n + i;
  });
  packed.sort();
  const byRank = Array.from(packed, (x) => x % n);
  for (let from = 0; from < n; ) {
    let to = from + 1;
    while (to < n && keys[byRank[to] as number] === keys[byRank[from] as number]) to++;
    if (to - from > 1) {
      const run = byRank.slice(from, to).sort((x, y) => compareIds(plan.tasks[x]!.id, plan.tasks[y]!.id) || x - y);
      for (let k = 0; k < run.length; k++) byRank[from + k] = run[k] as number;
    }
    from = to;
  }
  const rank = new Int32Array(n);
  byRank.forEach((task, k) => (rank[task] = k));
  return rank;
}

/** Phase id → its place: phases after the phases they depend on, ties (and phases on a cycle) in file order. */
export function phaseOrder(plan: Pick<Plan, "phases">): Map<string, number> {
  const index = new Map<string, number>();
  plan.phases.forEach((p, i) => {
    if (!index.has(p.id)) index.set(p.id, i);
  });
  const waiting = plan.phases.map((p) => new Set(p.dependsOn.filter((d) => d !== p.id && index.has(d))).size);
  const dependents = plan.phases.map((): number[] => []);
  plan.phases.forEach((p, i) => {
    for (const d of new Set(p.dependsOn)) {
      const j = index.get(d);
      if (j !== undefined && d !== p.id) dependents[j]!.push(i);
    }
  });
  const rank = new Map<string, number>();
  const done = new Uint8Array(plan.phases.length);
  for (;;) {
    // Phases are few: take the first free one in file order each time.
    let next = waiting.findIndex((w, i) => w === 0 && done[i] === 0);
    if (next === -1) next = done.indexOf(0);
    if (next === -1) break;
    done[next] = 1;
    const id = plan.phases[next]!.id;
    if (!rank.has(id)) rank.set(id, rank.size);
    for (const d of dependents[next]!) waiting[d]!--;
  }
  return rank;
}

/** Orders ids as people read them: digit runs by value, so T2 comes before T10. */
export function compareIds(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(j);
    if (isDigit(ca) && isDigit(cb)) {
      let ei = i;
      let ej = j;
      while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
      while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
      let si = i;
      let sj = j;
      while (si < ei - 1 && a.charCodeAt(si) === 48) si++;
      while (sj < ej - 1 && b.charCodeAt(sj) === 48) sj++;
      const diff = ei - si - (ej - sj) || (a.slice(si, ei) < b.slice(sj, ej) ? -1 : a.slice(si, ei) > b.slice(sj, ej) ? 1 : 0);
      if (diff !== 0) return diff;
      i = ei;
      j = ej;
      continue;
    }
    if (ca !== cb) return ca - cb;
    i++;
    j++;
  }
  return a.length - i - (b.length - j) || (a < b ? -1 : a > b ? 1 : 0);
}

const isDigit = (c: number) => c >= 48 && c <= 57;
