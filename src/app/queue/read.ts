import type { TaskRecord, TaskState } from "../../store/types.js";
import type { QueueContext } from "./types.js";

export const TASK_STATES: readonly TaskState[] = ["pending", "in_progress", "done", "failed", "blocked"];

export interface TaskFilter {
  /** Only this agent's tasks (by owner). */
  owner?: string | null | undefined;
  state?: TaskState | undefined;
}

/** The tasks of the latest plan, in plan order (removed ones left out). */
export async function listTasks(ctx: Pick<QueueContext, "store">, filter: TaskFilter = {}): Promise<TaskRecord[]> {
  const owner = filter.owner ?? null;
  return (await ctx.store.listTasks()).filter((t) => !t.removed && (owner === null || t.owner === owner) && (filter.state === undefined || t.state === filter.state));
}

/** Where the tasks an agent could take stand, when none is ready. */
export interface QueueCounts {
  done: number;
  inProgress: number;
  /** Pending tasks: they wait for their dependencies (or their phase's). */
  waiting: number;
  blocked: number;
}

export type NextTaskResult = { task: TaskRecord; counts?: undefined } | { task: undefined; counts: QueueCounts };

/**
 * The agent's next ready task (any agent's with `any`): the one a claim would take now, without claiming it. When
 * none is ready, the counts of the tasks it looked at say why.
 */
export async function nextTask(ctx: Pick<QueueContext, "store">, request: { agent: string | null; any?: boolean | undefined }): Promise<NextTaskResult> {
  const any = request.any === true;
  // The claim's own query, read-only: one indexed lookup, not the whole task list.
  const task = await ctx.store.nextTask(request.agent ?? "", { ownedOnly: !any });
  if (task) return { task };
  const mine = (await ctx.store.listTasks()).filter((t) => !t.removed && (any || t.owner === request.agent));
  const count = (state: TaskState) => mine.filter((t) => t.state === state).length;
  return { task: undefined, counts: { done: count("done"), inProgress: count("in_progress"), waiting: count("pending"), blocked: count("blocked") } };
}

/** Every stored task by id, removed ones included (plan views look them up by the plan's ids). */
export async function taskStates(ctx: Pick<QueueContext, "store">): Promise<Map<string, TaskRecord>> {
  return new Map((await ctx.store.listTasks()).map((t) => [t.id, t]));
}
