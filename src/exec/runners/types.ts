/**
 * The Runner contract: how one attempt at a task is run for its agent. One implementation per agent kind
 * (runners/cli.ts, script.ts, human.ts). The dispatcher (app/run) prepares the workspace, the brief and the log file,
 * calls `run`, and judges the result (diff, acceptance, gate, merge); a runner only runs and reports.
 */
import type { AgentReport } from "../agent-output.js";
import type { AgentKind, PlanAgent, PlanTask } from "../../plan/types.js";

export interface RunRequest {
  task: PlanTask;
  agent: PlanAgent;
  /** The store's run id and the task's attempt number (1 for the first). */
  runId: number;
  attempt: number;
  /** Where the attempt works: its git worktree, or the project directory (in-place). */
  cwd: string;
  /** The brief (markdown) and the file it was written to (the `{prompt}` and `{prompt_file}` placeholders). */
  brief: string;
  briefFile: string;
  /**
   * Where the attempt's output goes: stdout and stderr as they arrive, interleaved, appended (the file exists and
   * may already hold a header). The runner never truncates it.
   */
  logFile: string;
  /** The whole environment of the command: the caller's, the agent's `env`, SHIPGATE_TASK / _RUN / _AGENT / _ATTEMPT / _WORKTREE. */
  env: NodeJS.ProcessEnv;
  /** The attempt's process group is ended after this long. */
  timeoutMs: number;
  /** Aborting it ends the process group (Ctrl-C, a lost lease); the result then says `aborted`. */
  signal: AbortSignal;
  /** Each chunk of output as it arrives (for a live display); optional. */
  onOutput?: ((stream: "stdout" | "stderr", text: string) => void) | undefined;
}

/** How an attempt's command ended. Never a thrown error: a runner that cannot start says so in `spawnError`. */
export interface RunnerResult {
  /**
   * The command as run (the template filled in, or the task's `run`), for the log and messages; a brief filled in for
   * `{prompt}` is shown as `<the brief: N bytes, as in FILE>`, not as its text. Empty when there was no command.
   */
  command: string;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  aborted: boolean;
  spawnError: string | null;
  durationMs: number;
  /** What the agent's own output reported (usage, an error result); all null for a script. */
  report: AgentReport;
  /** The last lines of output (≤ 4 KB per stream), for the failure message and the next attempt's brief. */
  stdoutTail: string;
  stderrTail: string;
}

export interface Runner {
  readonly kind: AgentKind;
  /** Runs one attempt and resolves when its process group has ended. Never rejects. */
  run(request: RunRequest): Promise<RunnerResult>;
}
