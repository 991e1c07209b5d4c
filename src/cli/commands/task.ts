import { resolve } from "node:path";
import type { CheckingQueueContext, MoveTarget, QueueContext, QueueProgress, RunCheck } from "../../app/queue.js";
import { ShipgateError } from "../../errors.js";
import type { TaskRecord, TaskState } from "../../store/types.js";
import { stripControls } from "../../report/sanitize.js";
import { now } from "../clock.js";
import type { CliIo, CommonOptions } from "../output.js";
import { shellWord, withCliWording } from "../queue-hints.js";

export interface TaskOptions extends CommonOptions {
  plan?: string;
  agent?: string;
  reason?: string;
  force?: boolean;
  any?: boolean;
  state?: string;
}

const agentOf = (options: TaskOptions, io: CliIo, required: boolean): string | null => {
  const agent = options.agent ?? io.env.SHIPGATE_AGENT ?? null;
  if (required && !agent) throw new ShipgateError("USAGE", "[task] which agent? pass --agent ID (or set SHIPGATE_AGENT)");
  return agent;
};

/** Runs acceptance and ready_when through exec/run-command at --cwd (or the request's own directory). */
export async function commandRunner(cwd: string): Promise<RunCheck> {
  const { runPlanCommand, DEFAULT_PLAN_COMMAND_TIMEOUT_SECONDS } = await import("../../exec/run-command.js");
  return async (request, signal) => {
    const run = await runPlanCommand(request.command, { root: request.cwd ?? cwd, name: `${request.kind}:${request.id}`, timeoutSeconds: request.timeoutSeconds, ...(signal ? { signal } : {}), ...(request.env ? { env: request.env } : {}) });
    return { ...run, timeoutSeconds: request.timeoutSeconds ?? DEFAULT_PLAN_COMMAND_TIMEOUT_SECONDS };
  };
}

const progress = (io: CliIo) => (event: QueueProgress) => {
  if (event.type === "check-started") io.stderr(`[task] ${event.id}: running ${event.check} \`${event.command}\`\n`);
  else io.stderr(`[task] ${event.id} blocked: its ready_when failed (\`shipgate task reset ${shellWord(event.id)}\` when it is in place)\n`);
};

/**
 * Opens the store with the plan synced (re-imported only when the file changed) and hands the queue's context to
 * `work`. `readOnly` commands (list, next) create no store: without one, the plan is imported into an empty store in
 * memory, so every task is pending. Queue refusals come back in the CLI's words (its flags).
 */
export async function withQueue<T>(options: TaskOptions, io: CliIo, work: (ctx: QueueContext) => Promise<T>, { readOnly = false } = {}): Promise<T> {
  // A malformed SHIPGATE_NOW is refused before anything is opened.
  const at = now(io.env);
  const [{ withStore }, { syncPlan }, { PLAN_FILE }] = await Promise.all([import("../../store/open-store.js"), import("../../app/sync-plan.js"), import("../../config/plan-file.js")]);
  const planFile = resolve(options.cwd, options.plan ?? PLAN_FILE);
  try {
    return await withStore(options.db, { cwd: options.cwd, at, emptyIfMissing: readOnly }, async (store) => {
      const plan = await syncPlan(store, planFile, { cwd: process.cwd(), at });
      return work({ store, plan, now: () => now(io.env) });
    });
  } catch (error) {
    throw withCliWording(error);
  }
}

/** A request check of the queue, refused in the CLI's words. */
function cliChecked(check: () => void): void {
  try {
    check();
  } catch (error) {
    throw withCliWording(error);
  }
}

/** The context of start and done: the real command runner, progress on stderr, Ctrl-C / SIGTERM as an AbortSignal. */
async function checking(ctx: QueueContext, options: TaskOptions, io: CliIo, signal: AbortSignal | undefined): Promise<CheckingQueueContext> {
  return { ...ctx, runCheck: await commandRunner(options.cwd), signal, onProgress: progress(io) };
}

function line(t: TaskRecord): string {
  const by = t.claimedBy && t.state === "in_progress" ? `  (by ${t.claimedBy})` : "";
  // Why a task is parked or failed ("3 attempts failed: acceptance exited 1"), on its own line.
  const why = (t.state === "blocked" || t.state === "failed") && t.note ? `\n    ${stripControls(t.note).split("\n")[0]}` : "";
  return `${t.id}  ${t.priority}  ${t.state.padEnd(11)}  ${t.owner.padEnd(10)}  ${t.title}${by}${why}`;
}

/** `shipgate task list`. */
export async function taskListCommand(options: TaskOptions, io: CliIo): Promise<number> {
  // The read use cases on their own, not the queue's index: list and next need none of the claim and finish modules.
  const { listTasks, TASK_STATES } = await import("../../app/queue/read.js");
  const state = options.state as TaskState | undefined;
  if (state !== undefined && !TASK_STATES.includes(state)) {
    throw new ShipgateError("USAGE", `[task] --state must be one of ${TASK_STATES.join(", ")} (got "${options.state}")`);
  }
  const tasks = await withQueue(options, io, (ctx) => listTasks(ctx, { owner: options.agent ?? null, state }), { readOnly: true });
  if (options.json) io.stdout(`${JSON.stringify(tasks, null, 2)}\n`);
  else io.stdout(tasks.length ? `${tasks.map(line).join("\n")}\n` : "no tasks\n");
  return 0;
}

/** `shipgate task next --agent A`: the next ready task (dependencies done; priority, least slack, id). Does not claim it. */
export async function taskNextCommand(options: TaskOptions, io: CliIo): Promise<number> {
  const agent = agentOf(options, io, !options.any);
  const { nextTask } = await import("../../app/queue/read.js");
  const next = await withQueue(options, io, (ctx) => nextTask(ctx, { agent, any: options.any }), { readOnly: true });
  if (options.json) {
    io.stdout(`${JSON.stringify(next.task ?? null, null, 2)}\n`);
    return next.task ? 0 : 1;
  }
  if (!next.task) {
    const c = next.counts;
    io.stdout(`no ready task${options.any ? "" : ` for ${agent ?? ""}`}: ${c.done} done, ${c.inProgress} in progress, ${c.waiting} waiting for dependencies, ${c.blocked} blocked\n`);
    return 1;
  }
  io.stdout(`${line(next.task)}\n  start it: shipgate task start ${shellWord(next.task.id)}${agent ? ` --agent ${shellWord(agent)}` : ""}\n`);
  return 0;
}

/** `shipgate task start [ID] --agent A`: claims a task atomically (the next ready one without ID), after its ready_when passes. */
export async function taskStartCommand(id: string | undefined, options: TaskOptions, io: CliIo): Promise<number> {
  const agent = agentOf(options, io, true) as string;
  // Ctrl-C / SIGTERM: a running ready_when is ended and no task is claimed (exit 130 / 143).
  const signal = io.interruptible?.();
  const { startTask } = await import("../../app/queue.js");
  const { task } = await withQueue(options, io, async (ctx) => startTask(await checking(ctx, options, io, signal), { agent, id, any: options.any, force: options.force, reason: options.reason }));
  if (!task) {
    io.stdout(`no ready task for ${agent}\n`);
    return 1;
  }
  io.stdout(options.json ? `${JSON.stringify(task, null, 2)}\n` : `${task.id} started by ${agent}: ${task.title}\n`);
  return 0;
}

/** `shipgate task done ID`: runs the task's acceptance command and records it done only when it passes (or with --force and a reason). */
export async function taskDoneCommand(id: string, options: TaskOptions, io: CliIo): Promise<number> {
  const agent = agentOf(options, io, false);
  // Ctrl-C / SIGTERM: a running acceptance is ended and the task stays as it was (exit 130 / 143).
  const signal = io.interruptible?.();
  const { checkFinishRequest, finishTask } = await import("../../app/queue.js");
  const request = { id, agent, force: options.force, reason: options.reason };
  cliChecked(() => checkFinishRequest(request));
  const { task, acceptance } = await withQueue(options, io, async (ctx) => finishTask(await checking(ctx, options, io, signal), request));
  io.stdout(options.json ? `${JSON.stringify(task, null, 2)}\n` : `${task.id} done${acceptance === "passed" ? " (acceptance passed)" : acceptance === "forced" ? ` (forced: ${options.reason ?? ""})` : ""}\n`);
  return 0;
}

/** `shipgate task fail ID` / `task block ID` / `task reset ID`. A task another agent holds is theirs to move, as with `done`. */
export async function taskMoveCommand(id: string, to: MoveTarget, options: TaskOptions, io: CliIo): Promise<number> {
  const agent = agentOf(options, io, false);
  const { checkMoveRequest, moveTask } = await import("../../app/queue.js");
  const request = { id, to, agent, any: options.any, reason: options.reason };
  cliChecked(() => checkMoveRequest(request));
  const task = await withQueue(options, io, (ctx) => moveTask(ctx, request));
  io.stdout(options.json ? `${JSON.stringify(task, null, 2)}\n` : `${task.id} ${to.replace("_", " ")}${options.reason ? `: ${options.reason}` : ""}\n`);
  return 0;
}
