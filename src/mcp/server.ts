// `shipgate mcp`: the task queue as MCP tools over stdio, for an AI coding agent that is already running. An entry
// point like cli/: each tool parses its input, calls a queue use case or the store, and returns a structured result;
// every failure comes back as a tool error result in the domain's words (wording.ts), never as a crash.
import { relative } from "node:path";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import type { z } from "zod";
import { claimWithLease, nextTask, TASK_STATES, type BlockedTask, type CheckingQueueContext, type RunCheck } from "../app/queue.js";
import { syncPlan, type SyncedPlan } from "../app/sync-plan.js";
import { ShipgateError } from "../errors.js";
import { analyzePlan } from "../plan/analyze.js";
import { executionOf } from "../plan/execution.js";
import type { Plan, PlanTask } from "../plan/types.js";
import { commitExample, renderHandoff } from "../report/plan-docs.js";
import { boundLines } from "../report/sanitize.js";
import { openStore } from "../store/open-store.js";
import type { Store, TaskRun } from "../store/types.js";
import { renderTaskBrief } from "./brief.js";
import type { McpCheckout } from "./checkout.js";
import { describeFiles, judgeOwnership, MAX_LISTED_FILES } from "./ownership.js";
import * as s from "./schemas.js";
import { toolError } from "./wording.js";

export interface McpServerOptions {
  store: Store;
  /** The plan file, absolute; re-read (by hash) on every call, so an edited plan is picked up. */
  planFile: string;
  /** Where acceptance commands run, and what the handoff names the plan file relative to. */
  cwd: string;
  /** Every call acts as this agent; null: each call names its agent. */
  agent: string | null;
  /** The time stamped on every write (ISO 8601). */
  now: () => string;
  /** Runs a task's acceptance (and ready_when, for claims). */
  runCheck: RunCheck;
  /** Judges the plan's `execution.gate` in `root` (app/run/workspace-gate); absent: the gate is reported not checked. */
  checkGate?: ((store: Store, request: { root: string; gate: string; signal: AbortSignal }) => Promise<{ decision: "GO" | "NO-GO"; summary: string }>) | undefined;
  /** The git checkout at `cwd`, for complete_task's ownership check; null or absent (not in git): not checked. */
  checkout?: McpCheckout | null | undefined;
  /** Diagnostics: stderr, never stdout (stdout carries the protocol). */
  log: (line: string) => void;
  version: string;
}

/** Every tool says what it does to the queue; none reaches outside the project (openWorldHint false). */
const hints = (readOnly: boolean, destructive: boolean, idempotent: boolean): ToolAnnotations => ({
  readOnlyHint: readOnly,
  destructiveHint: destructive,
  idempotentHint: idempotent,
  openWorldHint: false,
});

const text = (summary: string) => [{ type: "text" as const, text: summary }];

/** A domain refusal of this entry point (a run that is not the fixed agent's). */
const blockedOf = (blocked: BlockedTask[]) => blocked.map((b) => `${b.id}: ${b.reason}`);

const refuse = (message: string, hint: string) => new ShipgateError("USAGE", `[mcp] ${message}`, { hint });

/** The MCP server over an open store. Connect it to a transport; closing the store is the caller's. */
export function createShipgateMcpServer(options: McpServerOptions): McpServer {
  const { store, agent: fixedAgent, now, log } = options;
  const fixed = fixedAgent !== null;
  const server = new McpServer(
    { name: "shipgate", version: options.version },
    {
      instructions:
        "shipgate's task queue for this project's plan. claim_task gives you a task with a lease and its brief; call heartbeat while you work, then complete_task (it runs the task's acceptance) or fail_task / release_task.",
    },
  );

  // The plan's content by hash: a claim or heartbeat on a 1 000-task plan should not parse it again each time.
  let cache: { hash: string; plan: Plan } | undefined;
  async function session(): Promise<{ ctx: CheckingQueueContext; plan: Plan; synced: SyncedPlan }> {
    const synced = await syncPlan(store, options.planFile, { cwd: options.cwd, at: now() });
    if (cache?.hash !== synced.stored.hash) {
      const stored = synced.stored.content === null ? await store.getPlan() : synced.stored;
      cache = { hash: synced.stored.hash, plan: stored?.content as Plan };
    }
    return { ctx: { store, plan: synced, now, runCheck: options.runCheck }, plan: cache.plan, synced };
  }

  /** Crashed agents' tasks come back before anything is listed or claimed. */
  async function expire(): Promise<void> {
    const lost = await store.expireLeases(now());
    for (const run of lost) log(`[mcp] run ${run.id} of ${run.taskId} (${run.agent}) lost its lease; the task is offered again`);
  }

  const agentOf = (args: { agent?: string | undefined }): string => {
    const agent = fixedAgent ?? args.agent;
    if (!agent) throw refuse("which agent? name yours as `agent`", "the handoff tool lists an agent's tasks");
    return agent;
  };

  /** The run, checked to belong to this server's agent when it has one. Epoch and lease: the store checks them. */
  async function heldRun(runId: number): Promise<TaskRun> {
    const run = await store.getRun(runId);
    if (!run) throw new ShipgateError("NOT_FOUND", `[mcp] no run ${runId}`, { hint: "use the run id claim_task returned" });
    if (fixed && run.agent !== fixedAgent) throw refuse(`run ${runId} is ${run.agent}'s, not ${fixedAgent}'s`, "use the run id your own claim_task returned");
    return run;
  }

  const leaseMs = (plan: Plan) => executionOf(plan).leaseSeconds * 1000;

  const checkout = options.checkout ?? null;
  /**
   * The commit each run's claim found checked out (null: no commit yet), for complete_task's ownership check. In
   * memory only: after a restart the server knows no run's, and checks only what is uncommitted.
   */
  const claimHeads = new Map<number, string | null>();

  /** Registers a tool whose handler's failures all become tool error results. */
  function tool<I extends z.ZodRawShape, O extends z.ZodObject>(
    name: string,
    config: { description: string; inputSchema: I; outputSchema: O; annotations: ToolAnnotations },
    handler: (args: z.infer<z.ZodObject<I>>) => Promise<{ structured: z.infer<O>; summary: string }>,
  ): void {
    server.registerTool(name, config, (async (args: z.infer<z.ZodObject<I>>): Promise<CallToolResult> => {
      try {
        const { structured, summary } = await handler(args);
        return { content: text(summary), structuredContent: structured };
      } catch (error) {
        if (!(error instanceof ShipgateError)) log(`[mcp] ${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
        return toolError(error);
      }
    }) as never);
  }

  tool(
    "next_task",
    {
      description: "The task claim_task would give you now, without claiming it; counts when none is ready.",
      inputSchema: s.agentInput(fixed, true),
      outputSchema: s.nextOutput,
      annotations: hints(true, false, true),
    },
    async (args) => {
      const agent = agentOf(args);
      const { ctx } = await session();
      await expire();
      const next = await nextTask(ctx, { agent });
      if (next.task) return { structured: { task: s.taskView(next.task) }, summary: `next for ${agent}: ${next.task.id} ${next.task.title}` };
      const c = next.counts;
      return { structured: { counts: { ...c } }, summary: `no ready task for ${agent}: ${c.done} done, ${c.inProgress} in progress, ${c.waiting} waiting, ${c.blocked} blocked` };
    },
  );

  tool(
    "claim_task",
    {
      description: "Claim your next ready task (or `id`) with a lease; returns the run, epoch, lease and the task's brief.",
      inputSchema: { ...s.agentInput(fixed, true), id: s.taskIdInput },
      outputSchema: s.claimOutput,
      annotations: hints(false, false, false),
    },
    async (args) => {
      const agent = agentOf(args);
      const { ctx, plan } = await session();
      await expire();
      const execution = executionOf(plan);
      const { claimed, blocked } = await claimWithLease(ctx, { agent, leaseMs: leaseMs(plan), id: args.id });
      if (!claimed) {
        const { counts } = await nextTask(ctx, { agent });
        const c = counts ?? { done: 0, inProgress: 0, waiting: 0, blocked: 0 };
        return {
          structured: { blocked: blockedOf(blocked) },
          summary: `no ready task for ${agent}: ${c.done} done, ${c.inProgress} in progress, ${c.waiting} waiting, ${c.blocked} blocked`,
        };
      }
      const { task, run } = claimed;
      let dirty: string[] = [];
      if (checkout) {
        claimHeads.set(run.id, await checkout.head());
        dirty = (await checkout.changes(undefined)).uncommitted;
      }
      // Done tasks' files are no longer off-limits; the states are read only when another task declares files (a plan
      // of 1 000 tasks without files should not load them all on each claim).
      const done = plan.tasks.some((t) => t.id !== task.id && t.files.length > 0) ? new Set((await store.listTasks()).filter((t) => t.state === "done").map((t) => t.id)) : new Set<string>();
      // The last attempt that failed (a cancelled or released one says nothing about the work).
      const previous = (await store.listRuns({ taskId: task.id })).filter((r) => r.id < run.id && r.outcome !== null && r.outcome !== "done" && r.outcome !== "cancelled").at(-1);
      const brief = renderTaskBrief({ plan, task, run, previous, heartbeatSeconds: execution.heartbeatSeconds, done, ownershipChecked: checkout !== null, dirty });
      return {
        structured: {
          task: s.taskView(task),
          lease: { run: run.id, epoch: run.epoch, leaseExpiresAt: run.leaseExpiresAt, heartbeatSeconds: execution.heartbeatSeconds },
          brief,
          blocked: blockedOf(blocked),
        },
        summary: `${task.id} claimed by ${agent}: run ${run.id}, epoch ${run.epoch}, lease until ${run.leaseExpiresAt}\n\n${brief}`,
      };
    },
  );

  tool(
    "heartbeat",
    {
      description: "Extend your lease on a run. LEASE_LOST: the task is no longer yours; stop working on it.",
      inputSchema: s.runInput,
      outputSchema: s.heartbeatOutput,
      annotations: hints(false, false, true),
    },
    async ({ run: runId, epoch }) => {
      await heldRun(runId);
      const { plan } = await session();
      const run = await store.heartbeat(runId, epoch, leaseMs(plan), { at: now() });
      const heartbeatSeconds = executionOf(plan).heartbeatSeconds;
      return { structured: { leaseExpiresAt: run.leaseExpiresAt, heartbeatSeconds }, summary: `lease of run ${run.id} until ${run.leaseExpiresAt}` };
    },
  );

  tool(
    "complete_task",
    {
      description: "Check the files you changed, run the acceptance; on pass the task is done. On failure you keep the lease: fix, call again.",
      inputSchema: s.runInput,
      outputSchema: s.completeOutput,
      annotations: hints(false, false, false),
    },
    async ({ run: runId, epoch }) => {
      const held = await heldRun(runId);
      const { plan } = await session();
      const lease = leaseMs(plan);
      // Renewed first: a stale epoch or an ended run is refused before anything runs.
      await store.heartbeat(runId, epoch, lease, { at: now() });
      const record = await store.getTask(held.taskId);
      if (!record || record.removed) {
        throw new ShipgateError("INVALID_TRANSITION", `[mcp] ${held.taskId} was removed from the plan; its acceptance is unknown`, { hint: "release_task gives the run back" });
      }
      const definition = plan.tasks.find((t) => t.id === held.taskId);
      const stays = `the task stays yours (run ${runId}, epoch ${epoch})`;
      // Ownership first: it is cheap, and a stray change should be reverted before acceptance judges the checkout.
      const owned = await checkOwnership(held, definition, plan);
      const judged = {
        ownership: owned.verdict,
        ...(owned.outside.length > 0 ? { outside: owned.outside.slice(0, MAX_LISTED_FILES) } : {}),
        ...(owned.uncommitted.length > 0 ? { uncommitted: owned.uncommitted.slice(0, MAX_LISTED_FILES) } : {}),
      };
      if (owned.verdict === "failed") {
        return {
          structured: { verdict: "failed" as const, task: record.id, state: record.state, ...judged },
          summary: `${held.taskId}: ${owned.outsideText}; ${stays}: revert ${owned.outside.length === 1 ? "it" : "them"} (a committed change with a commit that restores the file) and call complete_task again, or fail_task.${owned.note ? ` ${owned.note}` : ""}`,
        };
      }
      let acceptance: s.CompleteOutput["acceptance"];
      if (definition?.acceptance) {
        const run = await whileHeld(runId, epoch, lease, executionOf(plan).heartbeatSeconds, (signal) =>
          options.runCheck({ kind: "acceptance", id: held.taskId, command: definition.acceptance as string, timeoutSeconds: definition.acceptanceTimeout ?? null }, signal),
        );
        const tail = boundLines([run.stdoutTail.trim(), run.stderrTail.trim()].filter(Boolean).join("\n"), { maxLines: 40, maxLineLength: 400, keep: "tail" });
        acceptance = { command: definition.acceptance, ...(run.exitCode === null ? {} : { exitCode: run.exitCode }), timedOut: run.timedOut, tail };
        if (run.exitCode !== 0) {
          const how = run.timedOut ? `did not finish within ${run.timeoutSeconds} s` : run.spawnError ? `could not start (${run.spawnError})` : `exited with ${run.exitCode ?? run.signal}`;
          return {
            structured: { verdict: "failed" as const, task: record.id, state: record.state, acceptance, ...judged },
            summary: `${held.taskId}: acceptance \`${definition.acceptance}\` ${how}; ${stays}: fix it and call complete_task again, or fail_task.\n${tail}`,
          };
        }
      }
      // The plan's gate, judged on what this checkout holds now (the lease renewed meanwhile); NO-GO keeps the task the agent's.
      const gateName = executionOf(plan).gate;
      let gate: s.CompleteOutput["gate"];
      if (gateName && options.checkGate) {
        const check = options.checkGate;
        const verdict = await whileHeld(runId, epoch, lease, executionOf(plan).heartbeatSeconds, (signal) => check(store, { root: options.cwd, gate: gateName, signal }));
        gate = { name: gateName, verdict: verdict.decision === "GO" ? "passed" : "failed" };
        if (verdict.decision !== "GO") {
          return {
            structured: { verdict: "failed" as const, task: record.id, state: record.state, ...(acceptance ? { acceptance } : {}), gate, ...judged },
            summary: `${held.taskId}: gate ${gateName} said NO-GO (${verdict.summary}); ${stays}: fix it and call complete_task again, or fail_task.`,
          };
        }
      } else if (gateName) {
        gate = { name: gateName, verdict: "not-checked" };
      }
      const warning = owned.verdict === "warned" ? `warning: ${owned.outsideText}` : null;
      const { task } = await store.finishRun(runId, epoch, { outcome: "done", exitCode: acceptance ? 0 : null, note: warning, at: now() });
      claimHeads.delete(runId);
      const uncommitted = owned.uncommitted.length > 0 ? `not committed yet: ${describeFiles(owned.uncommitted)} — commit ${owned.uncommitted.length === 1 ? "it" : "them"} (e.g. \`${commitExample(plan.commitConvention, { id: task.id, title: task.title })}\`)` : null;
      return {
        structured: { verdict: "done" as const, task: task.id, state: task.state, ...(acceptance ? { acceptance } : {}), ...(gate ? { gate } : {}), ...judged },
        summary: [
          `${task.id} done${acceptance ? " (acceptance passed)" : " (no acceptance command)"}${gate ? (gate.verdict === "passed" ? `; gate ${gate.name} GO` : `; gate ${gate.name} not checked: the server has no shipgate.yaml gate checker`) : ""}`,
          warning,
          owned.note,
          uncommitted,
        ]
          .filter(Boolean)
          .join("; "),
      };
    },
  );

  tool(
    "fail_task",
    {
      description: "End your run as failed, with the reason; the task is retried while it has attempts left.",
      inputSchema: { ...s.runInput, reason: s.reasonInput },
      outputSchema: s.endOutput,
      annotations: hints(false, true, false),
    },
    async ({ run: runId, epoch, reason }) => {
      await heldRun(runId);
      const { task, run } = await store.finishRun(runId, epoch, { outcome: "failed", note: reason, at: now() });
      claimHeads.delete(runId);
      return { structured: { task: task.id, state: task.state, run: run.id, outcome: "failed" }, summary: `${task.id} failed (run ${run.id}): ${reason}; it is now ${task.state}` };
    },
  );

  tool(
    "release_task",
    {
      description: "Give the task back untouched: your run ends cancelled and the task is pending again.",
      inputSchema: s.runInput,
      outputSchema: s.endOutput,
      annotations: hints(false, false, false),
    },
    async ({ run: runId, epoch }) => {
      await heldRun(runId);
      const { task, run } = await store.finishRun(runId, epoch, { outcome: "cancelled", note: "released", at: now() });
      claimHeads.delete(runId);
      return { structured: { task: task.id, state: task.state, run: run.id, outcome: "cancelled" }, summary: `${task.id} released (run ${run.id}); it is ${task.state} again` };
    },
  );

  tool(
    "status",
    {
      description: "Tasks by state, the agent's tasks, and the runs holding a lease.",
      inputSchema: s.agentInput(fixed, false),
      outputSchema: s.statusOutput,
      annotations: hints(true, false, true),
    },
    async (args) => {
      const agent = fixedAgent ?? args.agent ?? null;
      await session();
      await expire();
      const tasks = (await store.listTasks()).filter((t) => !t.removed);
      const counts = Object.fromEntries(TASK_STATES.map((state) => [state, tasks.filter((t) => t.state === state).length]));
      const mine = agent === null ? [] : tasks.filter((t) => t.owner === agent);
      const running = await store.listRuns({ open: true });
      return {
        structured: {
          counts,
          tasks: mine.slice(0, 100).map(s.taskView),
          running: running.slice(0, 100).map((r) => ({ run: r.id, task: r.taskId, agent: r.agent, leaseExpiresAt: r.leaseExpiresAt })),
        },
        summary: `${TASK_STATES.map((state) => `${counts[state]} ${state.replace("_", " ")}`).join(", ")}; ${running.length} run(s) holding a lease`,
      };
    },
  );

  tool(
    "handoff",
    {
      description: "The agent's handoff document (markdown): tasks in order, files owned and off-limits, what to wait for.",
      inputSchema: s.agentInput(fixed, true),
      outputSchema: s.handoffOutput,
      annotations: hints(true, false, true),
    },
    async (args) => {
      const agent = agentOf(args);
      const { plan } = await session();
      await expire();
      if (!plan.agents.some((a) => a.id === agent)) {
        throw new ShipgateError("USAGE", `[mcp] "${agent}" is not an agent of the plan (${plan.agents.map((a) => a.id).join(", ")})`, { hint: "name one of them as `agent`" });
      }
      const today = now().slice(0, 10);
      const states = new Map((await store.listTasks()).map((t) => [t.id, t]));
      const markdown = renderHandoff(agent, { plan, analysis: analyzePlan(plan, { today }), states, planFile: relative(options.cwd, options.planFile) || options.planFile, today });
      return { structured: { agent, markdown }, summary: markdown };
    },
  );

  return server;

  /**
   * complete_task's ownership check: the files the checkout changed since the run's claim (committed since its commit,
   * plus uncommitted and untracked ones) against the task's `files`, as `shipgate run` checks an attempt's diff.
   */
  async function checkOwnership(run: TaskRun, definition: PlanTask | undefined, plan: Plan) {
    if (!checkout) {
      return { verdict: "not-checked" as const, outside: [], uncommitted: [], outsideText: "", note: "ownership not checked: the server's directory is not in a git repository" };
    }
    const known = claimHeads.has(run.id);
    const since = claimHeads.get(run.id);
    const changes = await checkout.changes(known ? since : undefined);
    const files = definition?.files ?? [];
    const judged = judgeOwnership({ id: run.taskId, files }, plan.tasks, changes, executionOf(plan).ownership);
    const n = judged.outside.length;
    return {
      verdict: judged.verdict,
      outside: judged.outside,
      uncommitted: judged.uncommitted,
      outsideText: `changed ${n} file${n === 1 ? "" : "s"} outside its files (${files.length > 0 ? files.join(", ") : "none declared"}): ${describeFiles(judged.outside, judged.owners)}`,
      note: known ? null : "only uncommitted changes were checked: the server restarted since the claim, so the commit it started from is unknown",
    };
  }

  /**
   * Runs `work` (an acceptance command) while renewing the lease every heartbeat interval, as the agent would have
   * to: a check longer than the lease must not lose the task. When a renewal is refused (LEASE_LOST), the check is
   * stopped and the refusal is thrown.
   */
  async function whileHeld<T>(runId: number, epoch: number, lease: number, everySeconds: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const stop = new AbortController();
    let lost: Error | undefined;
    const timer = setInterval(() => {
      store.heartbeat(runId, epoch, lease, { at: now() }).catch((error: unknown) => {
        lost ??= error instanceof Error ? error : new Error(String(error));
        stop.abort();
      });
    }, everySeconds * 1000);
    try {
      const result = await work(stop.signal);
      if (lost !== undefined) throw lost;
      return result;
    } finally {
      clearInterval(timer);
    }
  }
}

export interface ServeOptions extends Omit<McpServerOptions, "store"> {
  /** --db: a SQLite path or postgres:// URL; undefined: the default store under `cwd`. */
  db: string | undefined;
}

/**
 * Opens the store, checks the plan can be read, then serves MCP on stdin/stdout until the client closes stdin.
 * Refusals at start (no plan, store unavailable) reject before anything is served.
 */
export async function serveStdio(options: ServeOptions): Promise<void> {
  const store = await openStore(options.db, { cwd: options.cwd, at: options.now() });
  try {
    await syncPlan(store, options.planFile, { cwd: options.cwd, at: options.now() });
    const server = createShipgateMcpServer({ ...options, store });
    const closed = new Promise<void>((resolve) => {
      server.server.onclose = () => resolve();
      process.stdin.once("end", () => resolve());
    });
    const transport = new StdioServerTransport();
    await server.connect(transport);
    const answered = trackRequests(transport);
    options.log(`[mcp] shipgate ${options.version} serving ${store.location} for ${options.agent ?? "any agent"}; plan ${options.planFile}`);
    await closed;
    // A client may close stdin right after its last request: every request received is still answered.
    await answered();
    await server.close();
  } finally {
    await store.close();
  }
}

/**
 * Counts the requests the transport received and the responses it sent; the returned function resolves once every
 * request received so far has its response written.
 */
function trackRequests(transport: StdioServerTransport): () => Promise<void> {
  const open = new Set<string | number>();
  let wake: (() => void) | undefined;
  const receive = transport.onmessage;
  transport.onmessage = (message) => {
    if ("method" in message && "id" in message) open.add(message.id);
    receive?.(message);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message) => {
    await send(message);
    if (!("method" in message) && "id" in message && message.id !== undefined) {
      open.delete(message.id);
      if (open.size === 0) wake?.();
    }
  };
  return () => (open.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (wake = resolve)));
}
