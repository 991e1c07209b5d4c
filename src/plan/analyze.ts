import { findConflicts } from "./conflicts.js";
import { planCost } from "./cost.js";
import { criticalPath } from "./critical-path.js";
import { createReachability } from "./graph.js";
import { schedulePlan } from "./schedule.js";
import type { ConflictReport, CostBreakdown, CriticalPathResult, Plan, Schedule } from "./types.js";

/** Everything `plan check` computes from a valid plan. */
export interface PlanAnalysis {
  timing: CriticalPathResult;
  schedule: Schedule;
  cost: CostBreakdown;
  conflicts: ConflictReport;
}

/** The project's start: the plan's, else the earliest phase start, else `today`. */
export function planStart(plan: Plan, today: string): string {
  if (plan.start) return plan.start;
  const starts = plan.phases.map((p) => p.start).filter((s): s is string => s !== null).sort();
  return starts[0] ?? today;
}

/** Pure: PERT and the critical path, the capacity-aware schedule, cost, and file-ownership conflicts. */
export function analyzePlan(plan: Plan, options: { today: string; repoFiles?: string[] }): PlanAnalysis {
  const timing = criticalPath(plan);
  const schedule = schedulePlan(plan, timing, planStart(plan, options.today));
  const cost = planCost(plan, timing);
  const reach = createReachability(plan);
  const conflicts = findConflicts(plan, { dependsOn: (a, b) => reach.dependsOn(a, b), ...(options.repoFiles ? { repoFiles: options.repoFiles } : {}) });
  return { timing, schedule, cost, conflicts };
}
