import { ShipgateError } from "../errors.js";
import { buildPlanGraph, type PlanGraph } from "./graph.js";
import type { CriticalPathResult, DurationEstimate, Plan, TaskTiming } from "./types.js";

/** z-scores of the one-sided 80 % and 95 % confidence figures of a normal distribution. */
export const Z80 = 0.8416;
export const Z95 = 1.6449;

/**
 * PERT and the critical path method on a validated plan (no cycles). Per task: expected hours
 * (O + 4M + P) / 6 and σ (P − O) / 6; earliest and latest start and finish on expected hours from the
 * project start, honoring task depends_on and the phase order (a task of a phase that depends on phase
 * X starts after every task of X); slack; critical when the slack is zero (within 1e-9 of the
 * project's length, since sums of sixths are not exact in binary).
 *
 * The project's expected duration is the longest path; its σ is √(Σ σ²) along the critical chain
 * returned, first task first. A phase's figures are those of its own longest chain, counting only the
 * dependencies between its tasks (the phase's work as if it ran alone). Agents and calendars play no
 * part here: that is `schedulePlan`. Numbers are rounded to 2 decimals.
 */
export function criticalPath(plan: Plan): CriticalPathResult {
  const graph = buildPlanGraph(plan);
  const { size, order, waitsFor, dependents } = graph;
  const n = graph.tasks;
  if (order.length < size) {
    throw new ShipgateError("PLAN_INVALID", "[plan] the plan has a dependency cycle, so it has no critical path", { hint: "run `shipgate plan check` to see the cycle" });
  }
  // Work in sixths of an hour: with whole-hour estimates every sum below is exact.
  const duration = new Float64Array(size);
  const variance = new Float64Array(size);
  plan.tasks.forEach((t, i) => {
    const { optimistic: o, likely: m, pessimistic: p } = t.estimate;
    duration[i] = o + 4 * m + p;
    variance[i] = (p - o) * (p - o);
  });

  const es = new Float64Array(size);
  const ef = new Float64Array(size);
  let end = 0;
  for (const v of order) {
    let start = 0;
    for (let e = waitsFor.offsets[v] as number; e < (waitsFor.offsets[v + 1] as number); e++) {
      const w = waitsFor.targets[e] as number;
      if ((ef[w] as number) > start) start = ef[w] as number;
    }
    es[v] = start;
    ef[v] = start + (duration[v] as number);
    if (ef[v] > end) end = ef[v];
  }
  const tolerance = 1e-9 * Math.max(1, end);

  const ls = new Float64Array(size);
  const lf = new Float64Array(size);
  for (let k = order.length - 1; k >= 0; k--) {
    const v = order[k] as number;
    let finish = end;
    for (let e = dependents.offsets[v] as number; e < (dependents.offsets[v + 1] as number); e++) {
      const w = dependents.targets[e] as number;
      if ((ls[w] as number) < finish) finish = ls[w] as number;
    }
    lf[v] = finish;
    ls[v] = finish - (duration[v] as number);
  }
  const isCritical = (v: number) => (ls[v] as number) - (es[v] as number) <= tolerance;

  // The critical chain: from the first task that ends the project, back through critical nodes that
  // finish exactly when the current one starts (phase nodes are passed through, not listed).
  const critical: string[] = [];
  let chainVariance = 0;
  let v = -1;
  for (let i = 0; i < n; i++) {
    if (end - (ef[i] as number) <= tolerance && isCritical(i)) {
      v = i;
      break;
    }
  }
  while (v !== -1) {
    if (v < n) {
      critical.push(plan.tasks[v]!.id);
      chainVariance += variance[v] as number;
    }
    let next = -1;
    for (let e = waitsFor.offsets[v] as number; e < (waitsFor.offsets[v + 1] as number); e++) {
      const w = waitsFor.targets[e] as number;
      if (Math.abs((ef[w] as number) - (es[v] as number)) <= tolerance && isCritical(w)) {
        next = w;
        break;
      }
    }
    v = next;
  }
  critical.reverse();

  const tasks: TaskTiming[] = plan.tasks.map((t, i) => ({
    id: t.id,
    expected: hours(duration[i] as number),
    sigma: round((t.estimate.pessimistic - t.estimate.optimistic) / 6),
    earliestStart: hours(es[i] as number),
    earliestFinish: hours(ef[i] as number),
    latestStart: hours(ls[i] as number),
    latestFinish: hours(lf[i] as number),
    slack: hours(Math.max(0, (ls[i] as number) - (es[i] as number))),
    critical: isCritical(i),
  }));

  return { tasks, critical, project: estimate(end, chainVariance), phases: phaseEstimates(plan, graph, duration, variance) };
}

/**
 * The timing of plan.tasks[i]: criticalPath returns them in plan order, so by index when the ids
 * match, else (a timing from elsewhere) by id.
 */
export function timingLookup(plan: Plan, timing: CriticalPathResult): (index: number) => TaskTiming | undefined {
  let byId: Map<string, TaskTiming> | null = null;
  return (index) => {
    const id = plan.tasks[index]?.id;
    const same = timing.tasks[index];
    if (same !== undefined && same.id === id) return same;
    byId ??= new Map(timing.tasks.map((t) => [t.id, t]));
    return id === undefined ? undefined : byId.get(id);
  };
}

/** Each phase's longest chain through dependencies between its own tasks, with the variance along it. */
function phaseEstimates(plan: Plan, graph: PlanGraph, duration: Float64Array, variance: Float64Array): Record<string, DurationEstimate> {
  const n = plan.tasks.length;
  const { waitsFor, order } = graph;
  const phaseOf = new Int32Array(n).fill(-1);
  plan.tasks.forEach((t, i) => (phaseOf[i] = graph.phaseIndex.get(t.phase) ?? -1));
  const finish = new Float64Array(n);
  const chain = new Float64Array(n);
  const bestFinish = new Float64Array(plan.phases.length).fill(-1);
  const bestVariance = new Float64Array(plan.phases.length);
  for (const v of order) {
    if (v >= n) continue;
    const phase = phaseOf[v] as number;
    let start = 0;
    let before = 0;
    for (let e = waitsFor.offsets[v] as number; e < (waitsFor.offsets[v + 1] as number); e++) {
      const w = waitsFor.targets[e] as number;
      if (w >= n || phaseOf[w] !== phase) continue;
      if ((finish[w] as number) > start || (finish[w] === start && (chain[w] as number) > before)) {
        start = finish[w] as number;
        before = chain[w] as number;
      }
    }
    finish[v] = start + (duration[v] as number);
    chain[v] = before + (variance[v] as number);
    if (phase >= 0 && finish[v] > (bestFinish[phase] as number)) {
      bestFinish[phase] = finish[v];
      bestVariance[phase] = chain[v];
    }
  }
  const phases: Record<string, DurationEstimate> = {};
  plan.phases.forEach((phase, k) => {
    phases[phase.id] ??= estimate(Math.max(0, bestFinish[k] as number), bestVariance[k] as number);
  });
  return phases;
}

/** From a length in sixths of an hour and a variance in (sixths of an hour)². */
function estimate(sixths: number, variance: number): DurationEstimate {
  const expected = sixths / 6;
  const sigma = Math.sqrt(variance) / 6;
  return { expected: round(expected), sigma: round(sigma), p80: round(expected + Z80 * sigma), p95: round(expected + Z95 * sigma) };
}

const hours = (sixths: number) => round(sixths / 6);
const round = (x: number) => Math.round(x * 100) / 100 + 0;
