/**
 * Gathers what a task's brief says besides the plan — what is done already, how the last attempt failed — and
 * renders it (report/brief.ts).
 */
import type { Plan, PlanTask } from "../../plan/types.js";
import type { TaskRun } from "../../store/types.js";
import type { QueueContext } from "../queue/types.js";

export async function renderAttemptBrief(ctx: QueueContext, input: { plan: Plan; task: PlanTask; run: TaskRun; cwd: string }): Promise<string> {
  const { task, run } = input;
  const runs = await ctx.store.listRuns({ taskId: task.id });
  const previous = runs.filter((r) => r.id !== run.id && r.endedAt !== null).at(-1);
  const lines = [`# ${task.id}: ${task.title}`, "", `Work in ${input.cwd}. Change only ${task.files.join(", ") || "nothing"}.`];
  if (task.acceptance) lines.push("", `Acceptance (shipgate runs it after you exit): ${task.acceptance}`);
  if (previous) lines.push("", `Attempt ${run.attempt}: the last attempt ended ${previous.outcome ?? "?"}: ${previous.note ?? ""}`);
  return `${lines.join("\n")}\n`;
}
