/**
 * Gathers what a task's brief says besides the plan — what is done already, how the last attempt failed (its note and
 * the end of its log) — and renders it (report/brief.ts).
 */
import { open } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import type { Plan, PlanTask } from "../../plan/types.js";
import { renderBrief } from "../../report/brief.js";
import type { TaskRun } from "../../store/types.js";
import type { QueueContext } from "../queue/types.js";

/** How much of the last attempt's log the brief quotes (its end). */
const TAIL_BYTES = 8 * 1024;

export async function renderAttemptBrief(ctx: QueueContext, input: { plan: Plan; task: PlanTask; run: TaskRun; cwd: string; root: string; maxAttempts: number | null }): Promise<string> {
  const { plan, task, run } = input;
  const [tasks, runs] = await Promise.all([ctx.store.listTasks(), ctx.store.listRuns({ taskId: task.id })]);
  const titles = new Map(plan.tasks.map((t) => [t.id, t.title]));
  const done = tasks.filter((t) => t.state === "done" && !t.removed).map((t) => ({ id: t.id, title: titles.get(t.id) ?? t.title }));
  // The last attempt that failed: a cancelled one (Ctrl-C) says nothing about the work.
  const previous = runs.filter((r) => r.id !== run.id && r.endedAt !== null && r.outcome !== "done" && r.outcome !== "cancelled").at(-1);
  const previousFailure = previous ? { outcome: previous.outcome ?? "failed", note: previous.note, tail: previous.log ? await logTail(isAbsolute(previous.log) ? previous.log : join(input.root, previous.log)) : "" } : null;
  return renderBrief({
    plan,
    taskId: task.id,
    done,
    attempt: run.attempt,
    ...(input.maxAttempts === null ? {} : { maxAttempts: input.maxAttempts }),
    previousFailure,
    commitConvention: plan.commitConvention,
    workspace: input.cwd,
  });
}

/** The last TAIL_BYTES of a log, from its first whole line; empty when it cannot be read (another machine's). */
async function logTail(path: string): Promise<string> {
  try {
    const file = await open(path, "r");
    try {
      const { size } = await file.stat();
      const start = Math.max(0, size - TAIL_BYTES);
      const buffer = Buffer.alloc(size - start);
      await file.read(buffer, 0, buffer.length, start);
      const text = buffer.toString("utf8");
      return start === 0 ? text : text.slice(text.indexOf("\n") + 1);
    } finally {
      await file.close();
    }
  } catch {
    return "";
  }
}
