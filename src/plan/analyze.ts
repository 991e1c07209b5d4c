import { findConflicts } from "./conflicts.js";
import { planCost } from "./cost.js";
import { criticalPath } from "./critical-path.js";
import { createReachability } from "./graph.js";
import { planOrderIndices, taskRank } from "./order.js";
import { schedulePlan } from "./schedule.js";
import type { ConflictReport, CostBreakdown, CriticalPathResult, Plan, PlanTask, Schedule } from "./types.js";

/** Everything `plan check` computes from a valid plan. */
export interface PlanAnalysis {
  timing: CriticalPathResult;
  /** Task ids in the plan order (src/plan/order.ts): every view lists tasks in this order. */
  order: string[];
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
  const rank = taskRank(plan, timing);
  const order = Array.from(planOrderIndices(plan, timing, rank), (i) => plan.tasks[i]!.id);
  const schedule = schedulePlan(plan, timing, planStart(plan, options.today), { rank });
  const cost = planCost(plan, timing);
  const reach = createReachability(plan);
  const conflicts = findConflicts(plan, { dependsOn: (a, b) => reach.dependsOn(a, b), ...(options.repoFiles ? { repoFiles: options.repoFiles } : {}) });
  return { timing, order, schedule, cost, conflicts };
}

/** The plan's tasks in `analysis.order` (tasks the order does not name, if any, after it in file order). */
export function tasksInOrder(plan: Plan, order: readonly string[]): PlanTask[] {
  const byId = new Map(plan.tasks.map((t) => [t.id, t]));
  const out: PlanTask[] = [];
  for (const id of order) {
    const task = byId.get(id);
    if (task !== undefined) {
      out.push(task);
      byId.delete(id);
    }
  }
  for (const task of byId.values()) out.push(task);
  return out;
}
