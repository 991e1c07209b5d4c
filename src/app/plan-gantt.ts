import { ShipgateError } from "../errors.js";
import { analyzePlan } from "../plan/analyze.js";
import { ganttChart, SVG_MAX_TASKS, type GanttChart } from "../plan/gantt.js";
import type { Plan } from "../plan/types.js";
import type { Store } from "../store/types.js";

/**
 * The stored plan's Gantt chart with the stored task states (what `shipgate plan gantt` draws, for the dashboard):
 * the plan the store holds, not a file, so a server watching a shared store shows the program the agents work on.
 * NOT_FOUND before the first import.
 */
export async function storedPlanGantt(store: Store, options: { today: string; maxTasks?: number }): Promise<GanttChart> {
  const [stored, tasks] = await Promise.all([store.getPlan(), store.listTasks()]);
  if (!stored) throw new ShipgateError("NOT_FOUND", "the store holds no plan yet", { hint: "import one: run a task command in the project (docs/plan.md)" });
  const plan = stored.content as Plan;
  const analysis = analyzePlan(plan, { today: options.today });
  const states = new Map(tasks.filter((t) => !t.removed).map((t) => [t.id, t.state]));
  return ganttChart({ plan, schedule: analysis.schedule, critical: new Set(analysis.timing.critical), order: analysis.order, states, today: options.today, maxTasks: options.maxTasks ?? SVG_MAX_TASKS });
}
