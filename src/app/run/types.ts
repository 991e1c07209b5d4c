/**
 * The dispatcher's contract: what `shipgate run` and `shipgate worker` hand the use case (ports for git, runners and
 * the gate), and the events it reports while it works (the CLI renders them: a live table, plain lines, JSON lines).
 */
import type { Runner } from "../../exec/runners/types.js";
import type * as worktree from "../../git/worktree.js";
import type { AgentKind, Workspace } from "../../plan/types.js";
import type { RunOutcome, RunUsage } from "../../store/types.js";
import type { CheckingQueueContext } from "../queue/types.js";
import type { TraceSpan } from "../tracing.js";

/** The git operations an attempt needs: git/worktree.ts (its doc comments say what each does). */
export type WorkspaceGit = Pick<typeof worktree, "createTaskWorktree" | "commitAll" | "changedFiles" | "mergeTask" | "removeTaskWorktree" | "deleteMergedBranch">;
export type { TaskWorktree } from "../../git/worktree.js";

/** A gate judged in a task's workspace (app/run/workspace-gate.ts). */
export type WorkspaceGateCheck = (request: { root: string; gate: string; signal: AbortSignal }) => Promise<{ decision: "GO" | "NO-GO"; summary: string }>;

/** Where attempts run. */
export interface RunWorkspace {
  mode: Workspace;
  /** The project directory (where the plan and .shipgate/ are). */
  root: string;
  /** The git repository's top level (worktree mode). */
  repo: string | null;
  /** The branch finished tasks are merged into (worktree mode). */
  integration: string | null;
}

/** What the dispatcher reports, in the order it happens. `run`: the store's run id. */
export type RunEvent =
  | { type: "started"; at: string; tasks: number; ready: number; workspace: Workspace; integration: string | null; maxParallel: number | null }
  | { type: "run-started"; at: string; task: string; agent: string; kind: AgentKind; run: number; attempt: number; maxAttempts: number | null; cwd: string; log: string }
  | { type: "run-step"; at: string; task: string; run: number; step: "agent" | "commit" | "ownership" | "acceptance" | "gate" | "merge" }
  | { type: "run-output"; task: string; run: number; stream: "stdout" | "stderr"; text: string }
  | {
      type: "run-finished";
      at: string;
      task: string;
      agent: string;
      run: number;
      attempt: number;
      outcome: RunOutcome;
      exitCode: number | null;
      note: string | null;
      durationMs: number;
      usage: RunUsage | null;
      /** Set when the task will be tried again: how long the dispatcher waits first. */
      retryInMs: number | null;
      log: string;
    }
  | { type: "task-blocked"; at: string; task: string; reason: string }
  | { type: "lease-expired"; at: string; task: string; run: number; agent: string }
  | { type: "warning"; at: string; task: string | null; message: string }
  | { type: "finished"; at: string; summary: RunSummary };

export interface RunSummary {
  /** Task counts by state at the end (of the tasks of the agents this dispatcher ran). */
  done: number;
  failed: number;
  blocked: number;
  pending: number;
  inProgress: number;
  /** People's tasks that are not done (not counted by a worker). */
  waitingOnPeople: number;
  /** Other agents' tasks (left out with --agent) that are not done (not counted by a worker). */
  notRunHere: number;
  runs: number;
  /** Tasks this dispatcher claimed (retries of one task count once) that did not end done. */
  claimedNotDone: number;
  /** True when the run stopped on Ctrl-C / SIGTERM. */
  interrupted: boolean;
}

/** What the dispatcher needs besides the queue's context. */
export interface DispatchContext extends CheckingQueueContext {
  git: WorkspaceGit;
  runnerFor: (kind: AgentKind) => Runner;
  /** Judges the plan's `execution.gate` in a workspace; absent: a plan with a gate is refused. */
  checkGate?: WorkspaceGateCheck | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** Whether `onEvent` wants `run-output` events (a live display); default false. */
  wantsOutput?: boolean | undefined;
  /** The pipeline run this dispatcher is (tracing): each attempt is a task run under it, its runner gets TRACEPARENT. */
  trace?: TraceSpan | undefined;
}

export interface DispatchOptions {
  workspace: RunWorkspace;
  /** Only these agents' tasks (default: every agent shipgate can run). */
  agents?: readonly string[] | undefined;
  /** Overrides the plan's `execution.max_parallel`. */
  maxParallel?: number | undefined;
  /**
   * `run`: stop when nothing is ready, running or waiting for a retry. `worker`: keep polling for work until the
   * signal fires.
   */
  untilIdle: boolean;
  /** Count only these agents' tasks at the end (a worker); default: the whole plan (`run`). */
  onlyOwn?: boolean | undefined;
  /**
   * Claim at most this many tasks (`run --max-tasks`): then no new task is claimed, the running ones (and their
   * retries) finish, and the dispatcher stops when idle. Default: no limit.
   */
  maxTasks?: number | undefined;
  /** How often an idle worker looks for work again and expires others' leases (ms; default: the heartbeat, at most 1 s). */
  pollMs?: number | undefined;
}
