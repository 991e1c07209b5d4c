import { timingLookup } from "./critical-path.js";
import type { CostBreakdown, CostLine, CriticalPathResult, Plan } from "./types.js";

/**
 * What the plan costs: each task's expected hours (from `timing`) times its owner's rate per hour,
 * summed per agent, per phase and for the project. Hours are always summed; a cost is null when any
 * of its hours has no known rate (an owner without `rate`, or one missing from `agents`), so a total
 * never silently leaves work out. Numbers are rounded to 2 decimals.
 */
export function planCost(plan: Plan, timing: CriticalPathResult): CostBreakdown {
  const rates = new Map(plan.agents.map((a) => [a.id, a.ratePerHour]));
  const timingOf = timingLookup(plan, timing);
  const tasks: Record<string, CostLine> = {};
  const agents: Record<string, CostLine> = {};
  const phases: Record<string, CostLine> = {};
  for (const a of plan.agents) agents[a.id] = { hours: 0, cost: 0 };
  for (const p of plan.phases) phases[p.id] = { hours: 0, cost: 0 };
  const project: CostLine = { hours: 0, cost: 0 };

  const add = (line: CostLine, hours: number, cost: number | null) => {
    line.hours += hours;
    line.cost = line.cost === null || cost === null ? null : line.cost + cost;
  };
  plan.tasks.forEach((t, i) => {
    // timing's figure is rounded to 2 decimals; where it is this PERT figure, take the exact one so
    // that 100 000 roundings do not add up in the totals.
    const exact = (t.estimate.optimistic + 4 * t.estimate.likely + t.estimate.pessimistic) / 6;
    const given = timingOf(i)?.expected;
    const hours = given === undefined || Math.abs(given - exact) < 0.005 + 1e-9 ? exact : given;
    const rate = rates.get(t.owner) ?? null;
    const cost = rate === null ? null : hours * rate;
    tasks[t.id] = { hours: round(hours), cost: cost === null ? null : round(cost) };
    add((agents[t.owner] ??= { hours: 0, cost: 0 }), hours, cost);
    add((phases[t.phase] ??= { hours: 0, cost: 0 }), hours, cost);
    add(project, hours, cost);
  });
  for (const group of [agents, phases]) for (const line of Object.values(group)) rounded(line);
  rounded(project);
  return { tasks, agents, phases, project };
}

const round = (x: number) => Math.round(x * 100) / 100;

function rounded(line: CostLine): void {
  line.hours = round(line.hours);
  if (line.cost !== null) line.cost = round(line.cost);
}
