import { resolve } from "node:path";
import { ShipgateError } from "../../errors.js";
import type { Plan } from "../../plan/types.js";
import { PRIORITIES } from "../../plan/types.js";
import type { Store, TaskRecord, TaskState } from "../../store/types.js";
import type { CliIo, CommonOptions } from "../output.js";

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

/** Opens the store with the plan imported (re-imported only when the file changed). */
async function withTasks<T>(options: TaskOptions, work: (store: Store, planFile: string) => Promise<T>): Promise<T> {
  const [{ openStore }, { syncPlan }, { PLAN_FILE }] = await Promise.all([
    import("../../store/open-store.js"),
    import("../../exec/sync-plan.js"),
    import("../../config/load-plan.js"),
  ]);
  const planFile = resolve(options.cwd, options.plan ?? PLAN_FILE);
  const store = openStore(options.db, options.cwd);
  try {
    await syncPlan(store, planFile, { cwd: process.cwd() });
    return await work(store, planFile);
  } finally {
    await store.close();
  }
}

const rank = (t: TaskRecord) => PRIORITIES.indexOf(t.priority);

/** Ready tasks in claim order: priority, then least slack, then id. */
export function readyTasks(tasks: TaskRecord[], agent: string | null): TaskRecord[] {
  const state = new Map(tasks.map((t) => [t.id, t.state]));
  return tasks
    .filter((t) => !t.removed && (t.state === "pending" || t.state === "failed") && (agent === null || t.owner === agent) && t.dependsOn.every((d) => state.get(d) === "done"))
    .sort((a, b) => rank(a) - rank(b) || a.slack - b.slack || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function line(t: TaskRecord): string {
  return `${t.id}  ${t.priority}  ${t.state.padEnd(11)}  ${t.owner.padEnd(10)}  ${t.title}${t.claimedBy && t.state === "in_progress" ? `  (by ${t.claimedBy})` : ""}`;
}

/** `shipgate task list`. */
export async function taskListCommand(options: TaskOptions, io: CliIo): Promise<number> {
  return withTasks(options, async (store) => {
    const agent = options.agent ?? null;
    const tasks = (await store.listTasks()).filter((t) => !t.removed && (agent === null || t.owner === agent) && (options.state === undefined || t.state === options.state));
    if (options.json) io.stdout(`${JSON.stringify(tasks, null, 2)}\n`);
    else io.stdout(tasks.length ? `${tasks.map(line).join("\n")}\n` : "no tasks\n");
    return 0;
  });
}

/** `shipgate task next --agent A`: the next ready task (dependencies done; priority, least slack, id). Does not claim it. */
export async function taskNextCommand(options: TaskOptions, io: CliIo): Promise<number> {
  const agent = agentOf(options, io, !options.any);
  return withTasks(options, async (store) => {
    const tasks = await store.listTasks();
    const next = readyTasks(tasks, options.any ? null : agent)[0];
    if (options.json) {
      io.stdout(`${JSON.stringify(next ?? null, null, 2)}\n`);
      return next ? 0 : 1;
    }
    if (!next) {
      const mine = tasks.filter((t) => !t.removed && (options.any || t.owner === agent));
      const waiting = mine.filter((t) => t.state === "pending");
      io.stdout(`no ready task${options.any ? "" : ` for ${agent ?? ""}`}: ${mine.filter((t) => t.state === "done").length} done, ${mine.filter((t) => t.state === "in_progress").length} in progress, ${waiting.length} waiting for dependencies, ${mine.filter((t) => t.state === "blocked").length} blocked\n`);
      return 1;
    }
    io.stdout(`${line(next)}\n  start it: shipgate task start ${next.id}${agent ? ` --agent ${agent}` : ""}\n`);
    return 0;
  });
}

function planTask(content: unknown, id: string) {
  return (content as Plan).tasks.find((t) => t.id === id);
}

async function runCheck(kind: "acceptance" | "ready_when", id: string, command: string, options: TaskOptions, io: CliIo): Promise<void> {
  const { runPlanCommand } = await import("../../exec/run-command.js");
  io.stderr(`[task] ${id}: running ${kind} \`${command}\`\n`);
  const run = await runPlanCommand(command, { root: options.cwd, name: `${kind}:${id}` });
  if (run.exitCode === 0) return;
  const tail = (run.stderrTail.trim() || run.stdoutTail.trim()).split("\n").slice(-10).join("\n");
  const how = run.timedOut ? "timed out" : run.spawnError ? `could not start (${run.spawnError})` : `exited with ${run.exitCode ?? run.signal}`;
  throw new ShipgateError("NOT_READY", `[task] ${id}: ${kind} \`${command}\` ${how}${tail ? `; its last output:\n${tail}` : ""}`, {
    hint: kind === "acceptance" ? `fix it and try again, or record it anyway with --force --reason "…"` : `its prerequisites are not in place yet; --force starts it anyway`,
  });
}

/** `shipgate task start [ID] --agent A`: claims a task atomically (the next ready one without ID). */
export async function taskStartCommand(id: string | undefined, options: TaskOptions, io: CliIo): Promise<number> {
  const agent = agentOf(options, io, true) as string;
  return withTasks(options, async (store) => {
    let task: TaskRecord | undefined;
    if (id === undefined) {
      task = await store.claimNextTask(agent, { ownedOnly: !options.any });
      if (!task) {
        io.stdout(`no ready task for ${agent}\n`);
        return 1;
      }
    } else {
      const readyWhen = planTask((await store.getPlan())?.content, id)?.readyWhen;
      if (readyWhen && !options.force) await runCheck("ready_when", id, readyWhen, options, io);
      task = await store.transitionTask(id, "in_progress", { agent, ...(options.reason ? { note: options.reason } : {}), ...(options.force ? { force: true } : {}) });
    }
    io.stdout(options.json ? `${JSON.stringify(task, null, 2)}\n` : `${task.id} started by ${agent}: ${task.title}\n`);
    return 0;
  });
}

/** `shipgate task done ID`: runs the task's acceptance command and records it done only when it passes (or with --force and a reason). */
export async function taskDoneCommand(id: string, options: TaskOptions, io: CliIo): Promise<number> {
  const agent = agentOf(options, io, false);
  if (options.force && !options.reason) throw new ShipgateError("USAGE", "[task] --force needs --reason: say why it is done without its acceptance passing");
  return withTasks(options, async (store) => {
    const acceptance = planTask((await store.getPlan())?.content, id)?.acceptance;
    if (acceptance && !options.force) await runCheck("acceptance", id, acceptance, options, io);
    const task = await store.transitionTask(id, "done", { agent, ...(options.reason ? { note: options.reason } : {}), ...(options.force ? { force: true } : {}) });
    io.stdout(options.json ? `${JSON.stringify(task, null, 2)}\n` : `${task.id} done${acceptance && !options.force ? " (acceptance passed)" : options.force ? ` (forced: ${options.reason ?? ""})` : ""}\n`);
    return 0;
  });
}

/** `shipgate task fail ID` / `task block ID` / `task reset ID`. */
export async function taskMoveCommand(id: string, to: TaskState, options: TaskOptions, io: CliIo): Promise<number> {
  const agent = agentOf(options, io, false);
  if ((to === "blocked" || to === "failed") && !options.reason) throw new ShipgateError("USAGE", `[task] --reason is required: say why ${id} is ${to}`);
  return withTasks(options, async (store) => {
    const task = await store.transitionTask(id, to, { agent, ...(options.reason ? { note: options.reason } : {}) });
    io.stdout(options.json ? `${JSON.stringify(task, null, 2)}\n` : `${task.id} ${to.replace("_", " ")}${options.reason ? `: ${options.reason}` : ""}\n`);
    return 0;
  });
}
