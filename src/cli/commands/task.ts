import { resolve } from "node:path";
import { ShipgateError, throwIfInterrupted } from "../../errors.js";
import type { Plan } from "../../plan/types.js";
import type { Store, TaskRecord, TaskState } from "../../store/types.js";
import { now } from "../clock.js";
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

/** A word as a POSIX shell reads it back unchanged (ids and agent names are free text in the plan). */
const shellWord = (word: string) => (/^[\w.:/@%+=-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`);

/**
 * Opens the store with the plan imported (re-imported only when the file changed). `readOnly` commands (list, next)
 * create no store: without one, the plan is imported into an empty store in memory, so every task is pending.
 */
async function withTasks<T>(options: TaskOptions, work: (store: Store, planFile: string, planHash: string) => Promise<T>, { readOnly = false } = {}): Promise<T> {
  const [{ openStore }, { syncPlan }, { PLAN_FILE }] = await Promise.all([
    import("../../store/open-store.js"),
    import("../../exec/sync-plan.js"),
    import("../../config/load-plan.js"),
  ]);
  const planFile = resolve(options.cwd, options.plan ?? PLAN_FILE);
  const store = await openStore(options.db, { cwd: options.cwd, emptyIfMissing: readOnly });
  try {
    const { stored } = await syncPlan(store, planFile, { cwd: process.cwd(), at: now(process.env) });
    return await work(store, planFile, stored.hash);
  } finally {
    await store.close();
  }
}

function line(t: TaskRecord): string {
  return `${t.id}  ${t.priority}  ${t.state.padEnd(11)}  ${t.owner.padEnd(10)}  ${t.title}${t.claimedBy && t.state === "in_progress" ? `  (by ${t.claimedBy})` : ""}`;
}

/** `shipgate task list`. */
export async function taskListCommand(options: TaskOptions, io: CliIo): Promise<number> {
  const states = ["pending", "in_progress", "done", "failed", "blocked"];
  if (options.state !== undefined && !states.includes(options.state)) {
    throw new ShipgateError("USAGE", `[task] --state must be one of ${states.join(", ")} (got "${options.state}")`);
  }
  return withTasks(options, async (store) => {
    const agent = options.agent ?? null;
    const tasks = (await store.listTasks()).filter((t) => !t.removed && (agent === null || t.owner === agent) && (options.state === undefined || t.state === options.state));
    if (options.json) io.stdout(`${JSON.stringify(tasks, null, 2)}\n`);
    else io.stdout(tasks.length ? `${tasks.map(line).join("\n")}\n` : "no tasks\n");
    return 0;
  }, { readOnly: true });
}

/** `shipgate task next --agent A`: the next ready task (dependencies done; priority, least slack, id). Does not claim it. */
export async function taskNextCommand(options: TaskOptions, io: CliIo): Promise<number> {
  const agent = agentOf(options, io, !options.any);
  return withTasks(options, async (store) => {
    // The claim's own query, read-only: one indexed lookup, not the whole task list.
    const next = await store.nextTask(agent ?? "", { ownedOnly: !options.any });
    if (options.json) {
      io.stdout(`${JSON.stringify(next ?? null, null, 2)}\n`);
      return next ? 0 : 1;
    }
    if (!next) {
      const tasks = await store.listTasks();
      const mine = tasks.filter((t) => !t.removed && (options.any || t.owner === agent));
      const waiting = mine.filter((t) => t.state === "pending");
      io.stdout(`no ready task${options.any ? "" : ` for ${agent ?? ""}`}: ${mine.filter((t) => t.state === "done").length} done, ${mine.filter((t) => t.state === "in_progress").length} in progress, ${waiting.length} waiting for dependencies, ${mine.filter((t) => t.state === "blocked").length} blocked\n`);
      return 1;
    }
    io.stdout(`${line(next)}\n  start it: shipgate task start ${shellWord(next.id)}${agent ? ` --agent ${shellWord(agent)}` : ""}\n`);
    return 0;
  }, { readOnly: true });
}

/** The plan this command synced (never another file imported meanwhile by someone else), and one task of it. */
async function syncedPlan(store: Store, hash: string): Promise<Plan> {
  const stored = await store.getPlan();
  if (!stored || stored.hash !== hash) {
    throw new ShipgateError("USAGE", "[task] another plan file was imported into this store while the command ran", {
      hint: "agents sharing a store must share one plan file; run the command again",
    });
  }
  return stored.content as Plan;
}

/** Runs a task's acceptance or ready_when; an interruption ends its processes and leaves the task as it was. */
async function runCheck(kind: "acceptance" | "ready_when", id: string, check: { command: string; timeoutSeconds: number | null }, options: TaskOptions, io: CliIo, signal: AbortSignal | undefined): Promise<void> {
  const { runPlanCommand, DEFAULT_PLAN_COMMAND_TIMEOUT_SECONDS } = await import("../../exec/run-command.js");
  const { command } = check;
  io.stderr(`[task] ${id}: running ${kind} \`${command}\`\n`);
  const run = await runPlanCommand(command, { root: options.cwd, name: `${kind}:${id}`, timeoutSeconds: check.timeoutSeconds, ...(signal ? { signal } : {}) });
  throwIfInterrupted(signal, "task", `${id}'s ${kind} \`${command}\` was stopped; ${kind === "acceptance" ? `${id} was not recorded done` : `${id} was not started`}`);
  if (run.exitCode === 0) return;
  const tail = (run.stderrTail.trim() || run.stdoutTail.trim()).split("\n").slice(-10).join("\n");
  const how = run.timedOut ? `did not finish within ${check.timeoutSeconds ?? DEFAULT_PLAN_COMMAND_TIMEOUT_SECONDS} s and was killed` : run.spawnError ? `could not start (${run.spawnError})` : `exited with ${run.exitCode ?? run.signal}`;
  throw new ShipgateError("NOT_READY", `[task] ${id}: ${kind} \`${command}\` ${how}${tail ? `; its last output:\n${tail}` : ""}`, {
    hint: run.timedOut ? `if it is just slow, give ${id}'s ${kind} a longer timeout in the plan: ${kind}: { command: …, timeout: 30m } (docs/plan.md)` : kind === "acceptance" ? `fix it and try again, or record it anyway with --force --reason "…"` : `its prerequisites are not in place yet; --force starts it anyway`,
  });
}

/** `shipgate task start [ID] --agent A`: claims a task atomically (the next ready one without ID), after its ready_when passes. */
export async function taskStartCommand(id: string | undefined, options: TaskOptions, io: CliIo): Promise<number> {
  const agent = agentOf(options, io, true) as string;
  // Ctrl-C / SIGTERM: a running ready_when is ended and no task is claimed (exit 130 / 143).
  const signal = io.interruptible?.();
  return withTasks(options, async (store, _file, hash) => {
    const plan = await syncedPlan(store, hash);
    if (!plan.agents.some((a) => a.id === agent) && !options.any) {
      throw new ShipgateError("USAGE", `[task] "${agent}" is not an agent of the plan (${plan.agents.map((a) => a.id).join(", ")})`, { hint: "pass --agent with one of them, or --any to work on any agent's task" });
    }
    const claim = async (target: string): Promise<TaskRecord> => {
      throwIfInterrupted(signal, "task", "no task was started");
      const definition = plan.tasks.find((t) => t.id === target);
      if (definition && definition.owner !== agent && !options.any && !options.force) {
        throw new ShipgateError("USAGE", `[task] ${target} is ${definition.owner}'s task, not ${agent}'s`, { hint: "pass --any to take another agent's task (the handoffs say who owns what)" });
      }
      // Checked before the claim: a task whose prerequisites are not in place stays free for later.
      if (definition?.readyWhen && !options.force) {
        await runCheck("ready_when", target, { command: definition.readyWhen, timeoutSeconds: definition.readyWhenTimeout ?? null }, options, io, signal);
      }
      // The claim itself is atomic: of two agents starting the same task, one gets INVALID_TRANSITION.
      return store.transitionTask(target, "in_progress", { agent, ...(options.reason ? { note: options.reason } : {}) }, now(io.env));
    };
    let task: TaskRecord | undefined;
    if (id !== undefined) task = await claim(id);
    // Without an id: the next ready task; when another agent claims it first, the one after it.
    for (let attempt = 0; task === undefined && attempt < 50; attempt++) {
      const next = await store.nextTask(agent, { ownedOnly: !options.any });
      if (!next) break;
      try {
        task = await claim(next.id);
      } catch (error) {
        if (!(error instanceof ShipgateError)) throw error;
        if (error.code === "NOT_READY") {
          // Its prerequisites are not in place: block it (visible, with the reason) so the queue moves on.
          await store.transitionTask(next.id, "blocked", { agent, note: error.message.split("\n")[0] ?? "ready_when failed" }, now(io.env)).catch(() => undefined);
          io.stderr(`[task] ${next.id} blocked: its ready_when failed (\`shipgate task reset ${shellWord(next.id)}\` when it is in place)\n`);
          continue;
        }
        if (error.code !== "INVALID_TRANSITION") throw error;
      }
    }
    if (!task) {
      io.stdout(`no ready task for ${agent}\n`);
      return 1;
    }
    io.stdout(options.json ? `${JSON.stringify(task, null, 2)}\n` : `${task.id} started by ${agent}: ${task.title}\n`);
    return 0;
  });
}

/** `shipgate task done ID`: runs the task's acceptance command and records it done only when it passes (or with --force and a reason). */
export async function taskDoneCommand(id: string, options: TaskOptions, io: CliIo): Promise<number> {
  const agent = agentOf(options, io, false);
  if (options.force && !options.reason) throw new ShipgateError("USAGE", "[task] --force needs --reason: say why it is done without its acceptance passing");
  // Ctrl-C / SIGTERM: a running acceptance is ended and the task stays as it was (exit 130 / 143).
  const signal = io.interruptible?.();
  return withTasks(options, async (store, _file, hash) => {
    const plan = await syncedPlan(store, hash);
    const record = await store.getTask(id);
    if (!record) throw new ShipgateError("NOT_FOUND", `[task] no task ${id} in the plan`, { hint: "`shipgate task list` lists them" });
    if (record.removed && !options.force) throw new ShipgateError("INVALID_TRANSITION", `[task] ${id} was removed from the plan; its acceptance is unknown`, { hint: 'record it anyway with --force --reason "…"' });
    if (record.state !== "in_progress" && !options.force) {
      throw new ShipgateError("INVALID_TRANSITION", `[task] ${id} is ${record.state}; only a started task can be done`, { hint: `start it first (shipgate task start ${shellWord(id)}), or --force --reason "…"` });
    }
    // Like fail, block and reset: the claimer records it, and a caller who names no agent is not the claimer.
    if (record.claimedBy && record.claimedBy !== agent && !options.force) {
      throw new ShipgateError("USAGE", `[task] ${id} was started by ${record.claimedBy}${agent ? `, not ${agent}` : ""}`, {
        hint: `${agent ? "the agent that started it records it done" : `pass --agent ${shellWord(record.claimedBy)} if you are ${record.claimedBy}`}; --force --reason overrides`,
      });
    }
    const definition = plan.tasks.find((t) => t.id === id);
    const acceptance = definition?.acceptance;
    if (acceptance && !options.force) await runCheck("acceptance", id, { command: acceptance, timeoutSeconds: definition?.acceptanceTimeout ?? null }, options, io, signal);
    throwIfInterrupted(signal, "task", `${id} was not recorded done`);
    // The claimer checked above must still hold it once the acceptance has run (compare-and-set in the store).
    const task = await store.transitionTask(id, "done", { agent, ...(options.reason ? { note: options.reason } : {}), ...(options.force ? { force: true } : { expectHolder: record.claimedBy }) }, now(io.env));
    io.stdout(options.json ? `${JSON.stringify(task, null, 2)}\n` : `${task.id} done${acceptance && !options.force ? " (acceptance passed)" : options.force ? ` (forced: ${options.reason ?? ""})` : ""}\n`);
    return 0;
  });
}

/** `shipgate task fail ID` / `task block ID` / `task reset ID`. A task another agent holds is theirs to move, as with `done`. */
export async function taskMoveCommand(id: string, to: TaskState, options: TaskOptions, io: CliIo): Promise<number> {
  const agent = agentOf(options, io, false);
  if ((to === "blocked" || to === "failed") && !options.reason) throw new ShipgateError("USAGE", `[task] --reason is required: say why ${id} is ${to}`);
  if (options.any && !options.reason) throw new ShipgateError("USAGE", "[task] --any needs --reason: say why you move a task another agent may hold");
  return withTasks(options, async (store) => {
    const record = await store.getTask(id);
    // Started (in progress) or parked by its claimer (blocked): the claimer holds it. A failed task is free to retry.
    const holder = record && (record.state === "in_progress" || record.state === "blocked") ? record.claimedBy : null;
    if (record && holder && holder !== agent && !options.any) {
      throw new ShipgateError("USAGE", `[task] ${id} is ${record.state.replace("_", " ")}, held by ${holder}${agent ? `, not ${agent}` : ""}`, {
        hint: `${agent ? `${holder} moves it` : `pass --agent ${shellWord(holder)} if you are ${holder}`}; to move another agent's task anyway: --any --reason "…"`,
      });
    }
    const task = await store.transitionTask(id, to, { agent, ...(options.reason ? { note: options.reason } : {}), ...(record ? { expectHolder: record.claimedBy } : {}) }, now(io.env));
    io.stdout(options.json ? `${JSON.stringify(task, null, 2)}\n` : `${task.id} ${to.replace("_", " ")}${options.reason ? `: ${options.reason}` : ""}\n`);
    return 0;
  });
}
