import { existsSync, realpathSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DispatchContext, RunEvent, RunSummary, RunWorkspace, WorkspaceGateCheck } from "../../app/run/types.js";
import type { QueueContext } from "../../app/queue.js";
import type { TraceResult } from "../../app/tracing.js";
import type { checkWorkspaceGate } from "../../app/run/workspace-gate.js";
import { InterruptedError, ShipgateError } from "../../errors.js";
import type { Plan, Workspace } from "../../plan/types.js";
import { stripControls } from "../../report/sanitize.js";
import { now } from "../clock.js";
import { readVersion } from "../version.js";
import type { CliIo } from "../output.js";
import { renderRunTable, type LiveRow } from "../run-table.js";
import { commandRunner, withQueue, type TaskOptions } from "./task.js";

export interface RunOptions extends TaskOptions {
  agents?: string[];
  maxParallel?: string;
  maxTasks?: string;
  dryRun?: boolean;
  untilIdle?: boolean;
  workspace?: string;
  integration?: string;
}

/** `shipgate run`: the dispatcher on this machine until nothing is ready or running. */
export function runCommand(options: RunOptions, io: CliIo): Promise<number> {
  return dispatchCommand(options, io, { worker: false });
}

/** `shipgate worker --agent A`: one agent's runner loop, for as long as it lives (or until idle). */
export function workerCommand(options: RunOptions, io: CliIo): Promise<number> {
  const agent = options.agent ?? io.env.SHIPGATE_AGENT;
  if (!agent) throw new ShipgateError("USAGE", "[worker] which agent? pass --agent ID (or set SHIPGATE_AGENT)");
  return dispatchCommand({ ...options, agents: [agent] }, io, { worker: true });
}

function parseCount(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ShipgateError("USAGE", `[run] ${flag} must be a whole number from 1 to ${max} (got "${value}")`);
  return n;
}

async function dispatchCommand(options: RunOptions, io: CliIo, mode: { worker: boolean }): Promise<number> {
  const maxParallel = parseCount("--max-parallel", options.maxParallel, 1024);
  const maxTasks = parseCount("--max-tasks", options.maxTasks, 1_000_000);
  if (options.workspace !== undefined && options.workspace !== "worktree" && options.workspace !== "in-place") {
    throw new ShipgateError("USAGE", `[run] --workspace must be worktree or in-place (got "${options.workspace}")`);
  }
  const { gitTopLevel } = await import("../../git/process.js");
  const repo = await gitTopLevel(projectRoot(options));
  refuseSecondStore(options, repo);
  if (options.dryRun) return withQueue(options, io, (ctx) => dryRun(ctx, options, maxParallel, io), { readOnly: true });
  const signal = io.interruptible?.();
  const [{ dispatch }, git, { runnerFor }, { checkWorkspaceGate }] = await Promise.all([
    import("../../app/run/dispatch.js"),
    import("../../git/worktree.js"),
    import("../../exec/runners/index.js"),
    import("../../app/run/workspace-gate.js"),
  ]);
  const render = createRenderer(io, options);
  // Tracing (OTEL_EXPORTER_OTLP_ENDPOINT): this dispatcher is a pipeline run; its trace is sent before the exit, also on an error or Ctrl-C.
  const { withPipelineTrace } = await import("../../telemetry/tracing.js");
  const traceOptions = { env: io.env, pipeline: mode.worker ? "shipgate worker" : "shipgate run", version: readVersion, resultOf: traceResult };
  const summary = await withPipelineTrace(traceOptions, (trace) => withQueue(options, io, async (queue) => {
    const { syncedPlanContent } = await import("../../app/queue/checks.js");
    const plan = await syncedPlanContent(queue);
    const workspace = await resolveWorkspace(options, plan, repo, io);
    const ctx: DispatchContext = {
      ...queue,
      runCheck: await commandRunner(options.cwd),
      signal,
      git,
      runnerFor,
      checkGate: plan.execution?.gate ? await gateChecker(options, queue, workspace, checkWorkspaceGate) : undefined,
      onEvent: render.event,
      wantsOutput: false,
      trace,
    };
    return dispatch(ctx, { workspace, agents: options.agents, maxParallel, untilIdle: !mode.worker || options.untilIdle === true, onlyOwn: mode.worker, maxTasks });
  }));
  render.end(summary);
  if (summary.interrupted && signal?.aborted) throw signal.reason instanceof InterruptedError ? signal.reason : new InterruptedError("interrupted", "SIGINT");
  // With --max-tasks the tasks it did not claim are not failures: only the ones it claimed must end done.
  if (maxTasks !== undefined) return summary.claimedNotDone === 0 ? 0 : 1;
  const open = summary.failed + summary.blocked + summary.pending + summary.inProgress + summary.waitingOnPeople + summary.notRunHere;
  return open === 0 ? 0 : 1;
}

/** How a dispatcher's end is a pipeline run's result: interrupted, every claimed task done, or not. */
function traceResult(summary: RunSummary): TraceResult {
  if (summary.interrupted) return "cancellation";
  return summary.claimedNotDone === 0 && summary.failed === 0 && summary.blocked === 0 ? "success" : "failure";
}

/**
 * The plan's execution.gate, judged in a task's workspace with the project's shipgate.yaml (loaded once, before any
 * task runs) against the newest snapshot of the integration branch.
 */
async function gateChecker(
  options: RunOptions,
  queue: QueueContext,
  workspace: RunWorkspace,
  check: typeof checkWorkspaceGate,
): Promise<WorkspaceGateCheck> {
  const { loadConfig, CONFIG_FILE } = await import("../../config/load-config.js");
  const config = await loadConfig(resolve(options.cwd, options.config ?? CONFIG_FILE), { required: true, cwd: process.cwd() });
  return (request) =>
    check({ ...request, config, store: queue.store, at: queue.now(), ...(workspace.integration ? { baseline: `branch:${workspace.integration}` } : {}) });
}

/**
 * --cwd without symbolic links, as git names the repository's top level: the project's path inside the repository
 * (which maps a diff's paths to the plan's) is computed between the two.
 */
const projectRoot = (options: RunOptions): string => realpathSync(resolve(options.cwd));

/** From a subfolder of a project whose store is at the top, a second, empty store would run every task again. */
function refuseSecondStore(options: RunOptions, repo: string | null): void {
  const root = projectRoot(options);
  if (options.db !== undefined || existsSync(join(root, ".shipgate"))) return;
  if (repo && repo !== root && existsSync(join(repo, ".shipgate", "shipgate.db"))) {
    throw new ShipgateError("USAGE", `[run] ${root} has no store, but the repository's top level has one (${join(repo, ".shipgate", "shipgate.db")})`, {
      hint: `run from the project's folder (--cwd ${repo}), or name the store with --db; the plan's files globs are relative to --cwd`,
    });
  }
}

/** worktree inside a git repository (unless the plan or --workspace says in-place); the integration branch is the one checked out. */
async function resolveWorkspace(options: RunOptions, plan: Plan, repo: string | null, io: CliIo): Promise<RunWorkspace> {
  const root = projectRoot(options);
  const asked = (options.workspace as Workspace | undefined) ?? plan.execution?.workspace ?? null;
  const mode: Workspace = asked ?? (repo ? "worktree" : "in-place");
  // The store, logs, briefs and worktrees must never be committed, by shipgate or by an agent's `git add -A`.
  if (repo) await (await import("../../git/worktree.js")).ensureIgnored(repo, ".shipgate/");
  if (mode === "in-place") return { mode, root, repo, integration: null };
  if (!repo) throw new ShipgateError("USAGE", `[run] ${root} is not in a git repository, so tasks cannot run in worktrees`, { hint: "run `git init` and commit, or set execution.workspace: in-place in the plan (or pass --workspace in-place)" });
  const { assertIntegrationClean, currentBranch } = await import("../../git/worktree.js");
  const integration = options.integration ?? (await currentBranch(repo));
  if (!integration) throw new ShipgateError("USAGE", "[run] HEAD is detached: which branch should finished tasks be merged into?", { hint: "check out a branch, or pass --integration BRANCH" });
  // Every merge would be refused: say so before any agent works.
  await assertIntegrationClean(repo, integration);
  if (!options.json) io.stderr(`[run] tasks run in git worktrees under .shipgate/worktrees and merge into ${integration}\n`);
  return { mode, root, repo, integration };
}

/** `--dry-run`: the waves the dispatcher would start, from the stored states; nothing is claimed or run. */
async function dryRun(ctx: QueueContext, options: RunOptions, maxParallel: number | undefined, io: CliIo): Promise<number> {
  const [{ runnableAgents }, { planWaves, createOverlapCheck }, { planOrder }, { phaseWaits }, { agentMaxParallel, executionOf }] = await Promise.all([
    import("../../app/run/dispatch.js"),
    import("../../plan/slots.js"),
    import("../../plan/order.js"),
    import("../../app/sync-plan.js"),
    import("../../plan/execution.js"),
  ]);
  const { syncedPlanContent } = await import("../../app/queue/checks.js");
  const plan = await syncedPlanContent(ctx);
  const agents = runnableAgents(plan, options.agents);
  const ids = new Set(agents.map((a) => a.id));
  const states = new Map((await ctx.store.listTasks()).map((t) => [t.id, t.state]));
  const limits = { perAgent: new Map(agents.map((a) => [a.id, agentMaxParallel(a)])), total: maxParallel ?? executionOf(plan).maxParallel };
  const { waves, left } = planWaves(planOrder(plan), (id) => states.get(id) ?? "pending", phaseWaits(plan), (owner) => ids.has(owner), limits, createOverlapCheck());
  if (options.json) {
    io.stdout(`${JSON.stringify({ waves, left }, null, 2)}\n`);
    return 0;
  }
  const owner = new Map(plan.tasks.map((t) => [t.id, t.owner]));
  const lines = waves.map((wave, i) => `wave ${i + 1}: ${wave.map((id) => `${id} (${owner.get(id) ?? "?"})`).join(", ")}`);
  if (waves.length === 0) lines.push("nothing would run: no task of these agents is ready");
  for (const l of left) lines.push(`not run: ${l.id} — ${l.reason}`);
  io.stdout(`${lines.join("\n")}\n`);
  return 0;
}

const SYMBOL: Record<string, string> = { done: "✓", failed: "✗", error: "✗", timeout: "⏱", cancelled: "·", lost: "?" };

/** Plain lines (CI, pipes), a live status line on a terminal, or one JSON event per line with --json. */
function createRenderer(io: CliIo, options: RunOptions): { event: (e: RunEvent) => void; end: (s: RunSummary) => void } {
  if (options.json) {
    return {
      event: (e) => {
        if (e.type !== "run-output") io.stdout(`${JSON.stringify(e)}\n`);
      },
      end: (summary) => {
        const finished: RunEvent = { type: "finished", at: now(io.env), summary };
        io.stdout(`${JSON.stringify(finished)}\n`);
      },
    };
  }
  const live = io.isTty && !io.isCi;
  const running = new Map<number, LiveRow>();
  /** How many table lines are on the screen under the last event line. */
  let drawn = 0;
  const clear = () => {
    // Back to the table's first line, and clear from there down.
    if (live && drawn > 0) io.stderr(`\x1b[${drawn}A\r\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    if (!live) return;
    clear();
    const rows = renderRunTable([...running.values()], Date.now(), process.stderr.columns || 100, Math.max(3, (process.stderr.rows || 24) - 4));
    if (rows.length > 0) io.stderr(`${rows.join("\n")}\n`);
    drawn = rows.length;
  };
  const line = (text: string) => {
    clear();
    io.stderr(`${stripControls(text)}\n`);
    draw();
  };
  const timer = live ? setInterval(draw, 1000) : undefined;
  timer?.unref();
  return {
    event: (e) => {
      switch (e.type) {
        case "started":
          line(`[run] ${e.ready} task${e.ready === 1 ? "" : "s"} ready of ${e.tasks}; ${e.workspace}${e.maxParallel === null ? "" : `, at most ${e.maxParallel} at once`}`);
          break;
        case "run-started":
          running.set(e.run, { task: e.task, agent: e.agent, attempt: e.maxAttempts === null ? String(e.attempt) : `${e.attempt}/${e.maxAttempts}`, step: "agent", since: Date.now() });
          line(`▶ ${e.task} by ${e.agent} (attempt ${e.attempt}${e.maxAttempts === null ? "" : ` of ${e.maxAttempts}`}, run ${e.run}, log ${e.log})`);
          break;
        case "run-step": {
          const r = running.get(e.run);
          if (r) r.step = e.step;
          if (!live && e.step !== "agent") line(`  ${e.task}: ${e.step}`);
          else draw();
          break;
        }
        case "run-finished":
          running.delete(e.run);
          line(
            `${SYMBOL[e.outcome] ?? "·"} ${e.task} ${e.outcome} in ${(e.durationMs / 1000).toFixed(1)}s${e.note ? `: ${e.note}` : ""}${e.retryInMs === null ? "" : ` — retry in ${Math.ceil(e.retryInMs / 1000)}s`}`,
          );
          break;
        case "task-blocked":
          line(`⛔ ${e.task} blocked: ${e.reason}`);
          break;
        case "lease-expired":
          line(`? run ${e.run} of ${e.task} (${e.agent}) lost: its lease expired; the task is offered again`);
          break;
        case "warning":
          line(`! ${e.task ? `${e.task}: ` : ""}${e.message}`);
          break;
        default:
          break;
      }
    },
    end: (s) => {
      if (timer) clearInterval(timer);
      clear();
      const parts = [`${s.done} done`, `${s.failed} failed`, `${s.blocked} blocked`, `${s.pending} pending`];
      if (s.inProgress > 0) parts.push(`${s.inProgress} in progress elsewhere`);
      if (s.waitingOnPeople > 0) parts.push(`${s.waitingOnPeople} waiting on people`);
      if (s.notRunHere > 0) parts.push(`${s.notRunHere} of other agents`);
      io.stdout(`${s.interrupted ? "interrupted: " : ""}${parts.join(", ")} (${s.runs} run${s.runs === 1 ? "" : "s"}; \`shipgate task runs\` lists them)\n`);
      if (s.blocked > 0) {
        io.stderr("[run] blocked tasks wait for you: `shipgate task list --state blocked` says why; `shipgate task reset ID --agent AGENT` gives one new attempts\n");
      }
    },
  };
}
