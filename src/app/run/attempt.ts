/**
 * One attempt at a task, from its claim to its recorded end: the workspace, the brief, the runner under a heartbeat,
 * then the judgement — the change committed, its files checked against the task's, acceptance, the gate, the merge —
 * and `finishRun` with the lease's epoch. Done only when every step passed.
 */
import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { isShipgateError } from "../../errors.js";
import { agentEnv, executionOf, taskTimeout } from "../../plan/execution.js";
import { filesOutside, projectPath } from "../../plan/task-files.js";
import type { Plan, PlanAgent, PlanTask } from "../../plan/types.js";
import { stripControls } from "../../report/sanitize.js";
import type { RunOutcome, TaskRecord, TaskRun, RunUsage } from "../../store/types.js";
import type { RunnerResult } from "../../exec/runners/types.js";
import { renderAttemptBrief } from "./brief-input.js";
import type { DispatchContext, RunWorkspace, TaskWorktree } from "./types.js";
import { traceEnv, type TraceResult, type TraceSpan, type TraceStepKind } from "../tracing.js";

/** Where attempts keep their logs and briefs, relative to the project root. */
export const RUNS_DIR = ".shipgate/runs";
/** Where task worktrees are created, relative to the project root. */
export const WORKTREES_DIR = ".shipgate/worktrees";

export interface AttemptInput {
  plan: Plan;
  task: PlanTask;
  agent: PlanAgent;
  claimed: { task: TaskRecord; run: TaskRun };
  workspace: RunWorkspace;
  /** Ctrl-C / SIGTERM of the whole dispatcher. */
  signal: AbortSignal;
}

export interface AttemptResult {
  outcome: RunOutcome;
  exitCode: number | null;
  note: string | null;
  usage: RunUsage | null;
  durationMs: number;
  /** The log file, relative to the project root. */
  log: string;
  /** The task as the store left it (undefined when the lease was lost: another claim may hold it now). */
  task: TaskRecord | undefined;
}

/** A step that ends the attempt with this outcome and note (thrown from a step, caught by the attempt). */
export class Verdict extends Error {
  constructor(
    readonly outcome: Exclude<RunOutcome, "lost" | "done">,
    readonly note: string,
  ) {
    super(note);
  }
}

/** Words that mark the line of a failure that says why (a test runner's FAIL, an Error, an assertion). */
const TELLING = /\b(?:error|fail|failed|failure|failing|assert|assertion|assertionerror|expected|exception|traceback|panic|not ok)\b|[✗×✖]/i;

/**
 * The line of a command's output that best says why it failed: the last of its last 40 lines that names a failure
 * ("FAIL boxed …", "AssertionError: …", "1 failed, 16 passed"), else the last line ("Duration: 5 ms" and
 * "Node.js v20" are what runners print last, and say nothing).
 */
export function reasonLine(text: string): string {
  const lines = stripControls(text)
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-40);
  return (lines.findLast((l) => TELLING.test(l)) ?? lines.at(-1) ?? "").slice(0, 300);
}

/** Why the runner's result fails the attempt, or null when it exited 0 with no error reported. */
export function runnerVerdict(result: RunnerResult, timeoutSeconds: number, kind: PlanAgent["kind"] = "cli"): Verdict | null {
  const who = kind === "script" ? "its run command" : "the agent";
  if (result.spawnError) return new Verdict("error", `could not start: ${result.spawnError}`);
  if (result.timedOut) return new Verdict("timeout", `ran longer than its timeout (${timeoutSeconds} s) and was killed`);
  if (result.exitCode !== 0) {
    const tail = reasonLine(`${result.stdoutTail}\n${result.stderrTail}`);
    return new Verdict("failed", `${who} exited with ${result.exitCode ?? result.signal ?? "?"}${tail ? `: ${tail}` : ""}`);
  }
  if (result.report.error) return new Verdict("failed", `the agent reported an error: ${reasonLine(result.report.error)}`);
  return null;
}

const quoteList = (items: readonly string[], max = 10): string =>
  items.slice(0, max).join(", ") + (items.length > max ? ` and ${items.length - max} more` : "");

/** Runs one claimed attempt to its recorded end. Never rejects for the task's own failures. */
export async function runAttempt(ctx: DispatchContext, input: AttemptInput): Promise<AttemptResult> {
  const { plan, task, agent, claimed, workspace } = input;
  const { run } = claimed;
  const execution = executionOf(plan);
  const leaseMs = execution.leaseSeconds * 1000;
  const started = Date.now();
  const log = `${RUNS_DIR}/${run.id}.log`;
  const logFile = join(workspace.root, log);
  const briefFile = join(workspace.root, RUNS_DIR, `${run.id}.brief.md`);
  const note = (text: string) => appendFile(logFile, `\n# shipgate: ${text}\n`).catch(() => undefined);

  // The attempt stops when the dispatcher is interrupted or the lease is lost. Listening starts before the first
  // await, and an interruption that came before it counts: a Ctrl-C right after the claim was once missed.
  const controller = new AbortController();
  const onAbort = () => controller.abort(input.signal.reason);
  input.signal.addEventListener("abort", onAbort, { once: true });
  if (input.signal.aborted) onAbort();
  let leaseLost: string | null = null;
  let usage: RunUsage | null = null;
  const beat = setInterval(() => {
    ctx.store.heartbeat(run.id, run.epoch, leaseMs, { at: ctx.now(), usage }).catch((error: unknown) => {
      if (isShipgateError(error) && (error.code === "LEASE_LOST" || error.code === "NOT_FOUND")) {
        leaseLost = error.message;
        controller.abort(error);
      }
      // Anything else (the store briefly unreachable): the next beat tries again; the lease outlives a few misses.
    });
  }, execution.heartbeatSeconds * 1000);

  const step = (name: "agent" | "commit" | "ownership" | "acceptance" | "gate" | "merge") => ctx.onEvent?.({ type: "run-step", at: ctx.now(), task: task.id, run: run.id, step: name });
  const span = ctx.trace?.taskRun({ task: task.id, run: run.id, attempt: run.attempt, agent: agent.id, agentKind: agent.kind });
  const traced = <T>(kind: TraceStepKind, work: (step: TraceSpan | undefined) => Promise<T>): Promise<T> => tracedStep(span, kind, task.id, work);
  let worktree: TaskWorktree | null = null;
  /** The attempt changed nothing: there is nothing to merge. */
  let unchanged = false;
  let outcome: RunOutcome = "done";
  let exitCode: number | null = null;
  let why: string | null = null;
  try {
    await mkdir(join(workspace.root, RUNS_DIR), { recursive: true });
    await writeFile(logFile, `# shipgate run ${run.id}: task ${task.id}, attempt ${run.attempt}, agent ${agent.id} (${agent.kind}), ${run.startedAt}\n`);
    if (controller.signal.aborted) throw controller.signal.reason;
    let cwd = workspace.root;
    if (workspace.mode === "worktree" && workspace.repo && workspace.integration) {
      worktree = await ctx.git.createTaskWorktree(workspace.repo, { task: task.id, run: run.id, integration: workspace.integration, parent: join(workspace.root, WORKTREES_DIR) });
      cwd = join(worktree.path, relative(workspace.repo, workspace.root));
    }
    // Only a coding agent reads a brief; a script runs its task's own command.
    const brief = agent.kind === "cli" ? await renderAttemptBrief(ctx, { plan, task, run, cwd, root: workspace.root, maxAttempts: claimed.task.maxAttempts }) : "";
    if (agent.kind === "cli") await writeFile(briefFile, brief);

    step("agent");
    const timeoutSeconds = taskTimeout(task);
    const result = await ctx.runnerFor(agent.kind).run({
      task,
      agent,
      runId: run.id,
      attempt: run.attempt,
      cwd,
      brief,
      briefFile,
      logFile,
      env: {
        ...process.env,
        ...agentEnv(agent),
        SHIPGATE_TASK: task.id,
        SHIPGATE_RUN: String(run.id),
        SHIPGATE_AGENT: agent.id,
        SHIPGATE_ATTEMPT: String(run.attempt),
        SHIPGATE_WORKTREE: cwd,
        ...traceEnv(span),
        ...(agent.kind === "cli" ? { SHIPGATE_PROMPT_FILE: briefFile } : {}),
      },
      timeoutMs: timeoutSeconds * 1000,
      signal: controller.signal,
      onOutput: ctx.wantsOutput ? (stream, text) => ctx.onEvent?.({ type: "run-output", task: task.id, run: run.id, stream, text }) : undefined,
    });
    exitCode = result.exitCode;
    usage = result.report.usage;
    if (controller.signal.aborted) throw controller.signal.reason;
    const failed = runnerVerdict(result, timeoutSeconds, agent.kind);
    if (failed) throw failed;

    if (worktree && workspace.repo && workspace.integration) {
      step("commit");
      const convention = plan.commitConvention.replaceAll("{task}", task.id).replaceAll("{summary}", task.title);
      const { head, branch } = await ctx.git.commitAll(worktree.path, { message: convention, author: authorOf(agent) });
      if (branch !== worktree.branch) throw new Verdict("failed", `the agent left the task branch ${worktree.branch} (now on ${branch ?? "a detached HEAD"}); only that branch is merged`);
      if (head === worktree.base) unchanged = true;
      step("ownership");
      const prefix = relative(workspace.repo, workspace.root);
      const changed = (await ctx.git.changedFiles(worktree.path, worktree.base)).map((f) => projectPath(f, prefix));
      const outside = filesOutside(changed, task.files);
      if (outside.length > 0) {
        const message = `changed ${outside.length} file${outside.length === 1 ? "" : "s"} outside its files (${task.files.length > 0 ? task.files.join(", ") : "none declared"}): ${quoteList(outside)}`;
        if (execution.ownership === "enforce") throw new Verdict("failed", message);
        ctx.onEvent?.({ type: "warning", at: ctx.now(), task: task.id, message });
        await note(`warning: ${message}`);
      }
    }
    if (task.acceptance) await traced("acceptance", async (stepSpan) => {
      if (!task.acceptance) return;
      step("acceptance");
      await note(`acceptance: ${task.acceptance}`);
      const check = await ctx.runCheck({ kind: "acceptance", id: task.id, command: task.acceptance, timeoutSeconds: task.acceptanceTimeout ?? null, cwd, env: traceEnv(stepSpan) }, controller.signal);
      if (controller.signal.aborted) throw controller.signal.reason;
      await appendFile(logFile, check.stdoutTail + check.stderrTail).catch(() => undefined);
      if (check.exitCode !== 0) {
        const how = check.timedOut ? `did not finish within ${check.timeoutSeconds} s` : check.spawnError ? `could not start (${check.spawnError})` : `exited ${check.exitCode ?? check.signal ?? "?"}`;
        const tail = reasonLine(`${check.stdoutTail}\n${check.stderrTail}`);
        throw new Verdict("failed", `acceptance ${how}${tail ? `: ${tail}` : ""}`);
      }
    });
    if (execution.gate) await traced("gate", async () => {
      if (!execution.gate) return;
      step("gate");
      if (!ctx.checkGate) throw new Verdict("error", `the plan's gate "${execution.gate}" cannot be judged here`);
      const gate = await ctx.checkGate({ root: cwd, gate: execution.gate, signal: controller.signal });
      await note(`gate ${execution.gate}: ${gate.decision} ${gate.summary}`);
      if (gate.decision !== "GO") throw new Verdict("failed", `gate ${execution.gate} said NO-GO: ${gate.summary}`);
    });
    if (worktree && workspace.repo && workspace.integration && !unchanged) await traced("merge", async () => {
      if (!worktree || !workspace.repo || !workspace.integration) return;
      step("merge");
      const merged = await ctx.git.mergeTask(workspace.repo, { integration: workspace.integration, branch: worktree.branch, message: `shipgate: merge ${task.id} (${task.title}), run ${run.id}`, author: authorOf(agent) });
      if (!merged.merged) throw new Verdict("failed", `merge into ${workspace.integration} conflicts in ${quoteList(merged.conflicts)}; branch ${worktree.branch} is kept`);
      await note(`merged into ${workspace.integration} as ${merged.commit}`);
    });
  } catch (error) {
    if (error instanceof Verdict) {
      outcome = error.outcome;
      why = error.note;
    } else if (leaseLost !== null) {
      outcome = "lost";
      why = leaseLost;
    } else if (input.signal.aborted) {
      outcome = "cancelled";
      why = "stopped: the dispatcher was interrupted";
    } else {
      outcome = "error";
      // shipgate's own messages say what is wrong on their first line.
      why = (error instanceof Error ? error.message : String(error)).split("\n")[0]?.slice(0, 300) ?? "";
    }
  } finally {
    clearInterval(beat);
    input.signal.removeEventListener("abort", onAbort);
  }
  if (why) await note(`${outcome}: ${why}`);

  let after: TaskRecord | undefined;
  // The run's own span as the store keeps it (claim to end), so `task runs` and the events agree.
  let durationMs = Date.now() - started;
  if (outcome !== "lost") {
    try {
      const finished = await ctx.store.finishRun(run.id, run.epoch, { at: ctx.now(), outcome, exitCode, note: why, log, usage });
      after = finished.task;
      if (finished.run.endedAt) durationMs = Date.parse(finished.run.endedAt) - Date.parse(finished.run.startedAt);
    } catch (error) {
      if (!(isShipgateError(error) && error.code === "LEASE_LOST")) throw error;
      outcome = "lost";
      why = error.message;
    }
  }
  if (worktree && workspace.repo) {
    // The branch keeps the work (merged, or for a look at what failed); the worktree itself goes.
    if (outcome !== "done" && outcome !== "lost") await ctx.git.commitAll(worktree.path, { message: `[${task.id}] attempt ${run.attempt} (${outcome}): ${why ?? ""}`.slice(0, 200), author: authorOf(agent) }).catch(() => undefined);
    await ctx.git.removeTaskWorktree(workspace.repo, worktree.path).catch(() => undefined);
    // Only a merged branch goes (a done task's, or an attempt that committed nothing); one holding work stays.
    if (outcome !== "lost") await ctx.git.deleteMergedBranch(workspace.repo, worktree.branch, workspace.integration ?? undefined).catch(() => undefined);
  }
  span?.end(TRACE_RESULT[outcome], why);
  return { outcome, exitCode, note: why, usage, durationMs, log, task: after };
}

/** An attempt's outcome as a task run's `cicd.pipeline.task.run.result`. */
const TRACE_RESULT: Record<RunOutcome, TraceResult> = { done: "success", failed: "failure", error: "error", timeout: "timeout", cancelled: "cancellation", lost: "error" };

/**
 * Runs one step of an attempt under its own span (handed to `work`, so a command it starts gets its TRACEPARENT): a
 * Verdict ends it with the verdict's outcome, anything else as an error.
 */
async function tracedStep<T>(span: TraceSpan | undefined, kind: TraceStepKind, name: string, work: (step: TraceSpan | undefined) => Promise<T>): Promise<T> {
  const child = span?.step(kind, name);
  try {
    const result = await work(child);
    child?.end("success");
    return result;
  } catch (error) {
    if (error instanceof Verdict) child?.end(TRACE_RESULT[error.outcome], error.note);
    else child?.end("error", error instanceof Error ? error.message.split("\n")[0] : String(error));
    throw error;
  }
}

/** The commit author for an agent's work: its first email in the plan, else a local address naming it. */
function authorOf(agent: PlanAgent): { name: string; email: string } {
  return { name: agent.id, email: agent.emails[0] ?? `${agent.id}@shipgate.invalid` };
}
