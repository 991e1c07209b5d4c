/**
 * The plan model: what a plan file (shipgate.plan.yaml, or JSON) holds once validated, and what the pure
 * computations (src/plan) return. Hours are the unit of every estimate; dates are YYYY-MM-DD (UTC).
 */

export const PRIORITIES = ["P0", "P1", "P2", "P3"] as const;
export type Priority = (typeof PRIORITIES)[number];

/**
 * How shipgate runs an agent's tasks: `cli` runs the agent's `command` template (a coding agent's command line);
 * `script` runs each task's own `run` command; `human` is never run by shipgate (its tasks wait for `task done`).
 */
export const AGENT_KINDS = ["cli", "script", "human"] as const;
export type AgentKind = (typeof AGENT_KINDS)[number];

/** The placeholders a `cli` agent's command template may use. */
export const TEMPLATE_PLACEHOLDERS = ["prompt", "prompt_file", "task", "agent", "worktree"] as const;

export interface PlanAgent {
  id: string;
  kind: AgentKind;
  /** Command template of a cli agent, e.g. "claude -p {prompt}"; null for script and human agents. */
  command: string | null;
  /** How many of its tasks run at the same time (default 1; absent in plans stored by earlier versions). */
  maxParallel?: number;
  /** Variables added to the environment of its runs (absent in plans stored by earlier versions). */
  env?: Record<string, string>;
  /** Cost per hour (a per-day rate in the file is divided by `capacity`); null when unknown. */
  ratePerHour: number | null;
  /** Working hours per day (default 8). */
  capacity: number;
  /** Commit author emails that are this agent's (for `plan conflicts --git`). */
  emails: string[];
  /** Branch-name glob that is this agent's, e.g. "agent/claude/*" (for `plan conflicts --git`). */
  branch: string | null;
}

export interface PlanPhase {
  id: string;
  name: string;
  /** Earliest start date, or null. */
  start: string | null;
  dependsOn: string[];
}

/** PERT three-point estimate in hours; a single number n in the file is {n, n, n}. */
export interface Estimate {
  optimistic: number;
  likely: number;
  pessimistic: number;
}

export interface PlanTask {
  id: string;
  title: string;
  phase: string;
  priority: Priority;
  owner: string;
  estimate: Estimate;
  dependsOn: string[];
  /** Globs of the files the task creates or modifies. */
  files: string[];
  /** Globs of the files it may only read. */
  reads: string[];
  deliverables: string[];
  /** A command whose success proves the task done. */
  acceptance: string | null;
  /** Seconds `acceptance` may run before it is killed; null or absent (plans stored by earlier versions): the default, 10 minutes. */
  acceptanceTimeout?: number | null;
  /** A command whose success proves its prerequisites are in place. */
  readyWhen: string | null;
  /** Seconds `readyWhen` may run before it is killed; null or absent: the default, 10 minutes. */
  readyWhenTimeout?: number | null;
  tags: string[];
  /** The command a `script` agent runs for this task; null for tasks of other agents (or none given). */
  run?: string | null;
  /** Seconds one attempt may run before its process group is killed; null or absent: DEFAULT_RUN_TIMEOUT. */
  timeout?: number | null;
  /** Attempts after the first that a failed, errored or timed-out run gets (default 2; absent in older plans). */
  retries?: number;
}

/** Where a run works: its own git worktree on branch `shipgate/<task>`, or the project directory itself. */
export type Workspace = "worktree" | "in-place";

/** How `shipgate run`, `worker` and `mcp` execute tasks (the plan's `execution:` section, with defaults filled). */
export interface PlanExecution {
  /** null: `worktree` inside a git repository, else `in-place`. */
  workspace: Workspace | null;
  /** A claim lasts this long without a heartbeat (default 60 s). */
  leaseSeconds: number;
  /** How often a running attempt renews its lease (default lease / 4). */
  heartbeatSeconds: number;
  /** At most this many runs at once over all agents; null: only each agent's `max_parallel` limits. */
  maxParallel: number | null;
  /** `enforce`: files changed outside the task's `files` fail the attempt; `warn`: they are reported only. */
  ownership: "enforce" | "warn";
  /** A gate of shipgate.yaml every task must pass in its workspace before it counts as done; null: none. */
  gate: string | null;
}

export interface PlanRisk {
  id: string;
  description: string;
  impact: "low" | "medium" | "high" | "critical";
  probability: "low" | "medium" | "high";
  mitigation: string | null;
  owner: string | null;
  status: "open" | "mitigated" | "accepted" | "closed";
}

export interface PlanMilestone {
  id: string;
  date: string;
  /** Gate names or conditions ("coverage.lines >= 80") that say the milestone is met. */
  criteria: string[];
}

/**
 * A dated target for one metric of the program (the plan's `targets.metrics`), e.g. `score` from 45 on day one to
 * 85 at the end, or `tests.failed` at 0 from the second week. A day's target is interpolated linearly between the
 * dated points; before the first point there is none; after the last it stays at the last value.
 */
export interface MetricTarget {
  /** A fact key or gate metric: "score", "coverage.lines", "tests.failed", "lint.errors", … */
  metric: string;
  /** The component it is measured on (a snapshot's per-component facts); null: the whole project. */
  component: string | null;
  /**
   * Whether a higher value is better (score, coverage) or a lower one (failures, findings). The file's
   * `better:` defaults to "lower" for names like failures and findings (`defaultBetter` in validate-plan.ts).
   */
  better: "higher" | "lower";
  /** Target values by date (each inside the program window), in date order, one per date (at least one). */
  points: { date: string; value: number }[];
}

/** The program's window and what it aims for (the plan's `targets:` section), for the tracker. */
export interface PlanTargets {
  /** First and last day of the program (YYYY-MM-DD). */
  start: string;
  end: string;
  /** Count Monday–Friday only in series, burn-down and forecasts (default true). */
  workingDays: boolean;
  metrics: MetricTarget[];
}

export interface Plan {
  version: 1;
  project: string | null;
  /** Project start (default: the earliest phase start, else today). */
  start: string | null;
  /** How commit messages name tasks, e.g. "[{task}] {summary}" (shown in handoffs). */
  commitConvention: string;
  agents: PlanAgent[];
  phases: PlanPhase[];
  tasks: PlanTask[];
  risks: PlanRisk[];
  milestones: PlanMilestone[];
  /** Absent in plans stored by earlier versions: read it through `executionOf` (plan/execution.ts). */
  execution?: PlanExecution;
  /** The tracker's program window and dated targets; absent or null when the plan gives none. */
  targets?: PlanTargets | null;
}

/** One thing wrong with a plan, with where it is (file:line when known). */
export interface PlanProblem {
  /** Key path, e.g. ["tasks", 12, "depends_on", 0]. */
  path: (string | number)[];
  line: number | null;
  message: string;
}

export interface TaskTiming {
  id: string;
  /** PERT expected hours (O + 4M + P) / 6 and standard deviation (P − O) / 6. */
  expected: number;
  sigma: number;
  /** Critical path method on expected hours: earliest/latest start and finish from the project start, in hours. */
  earliestStart: number;
  earliestFinish: number;
  latestStart: number;
  latestFinish: number;
  slack: number;
  critical: boolean;
}

export interface DurationEstimate {
  /** Expected duration in hours (the longest expected path). */
  expected: number;
  /** Standard deviation along that path. */
  sigma: number;
  /** 80 % and 95 % confidence figures (expected + z·σ). */
  p80: number;
  p95: number;
}

export interface CriticalPathResult {
  tasks: TaskTiming[];
  /** The critical chain, first task first. */
  critical: string[];
  project: DurationEstimate;
  phases: Record<string, DurationEstimate>;
}

/** A task placed on the calendar by the capacity-aware schedule: each agent does one task at a time. */
export interface ScheduledTask {
  id: string;
  owner: string;
  /** Working hours from the project start at which the task starts and ends (agent capacity applied). */
  startHour: number;
  endHour: number;
  /** Calendar dates (working days, Monday–Friday). */
  startDate: string;
  endDate: string;
}

export interface Schedule {
  start: string;
  end: string;
  tasks: ScheduledTask[];
}

export interface CostLine {
  hours: number;
  /** null when a rate is missing for some of the hours. */
  cost: number | null;
}

export interface CostBreakdown {
  tasks: Record<string, CostLine>;
  agents: Record<string, CostLine>;
  phases: Record<string, CostLine>;
  project: CostLine;
}

/** Two tasks that may run at the same time (neither depends on the other) and touch the same files. */
export interface FileConflict {
  kind: "write-write" | "read-after-write";
  /** For read-after-write: `a` writes, `b` reads. */
  a: { task: string; owner: string; pattern: string };
  b: { task: string; owner: string; pattern: string };
  /** A path both patterns match (an existing file, or an example path when the files do not exist yet). */
  example: string;
  phase: string;
}

export interface ConflictReport {
  conflicts: FileConflict[];
  /** Per phase: file (or pattern) × agent → "W" (writes), "R" (reads), "W!" / "R!" when in a conflict. */
  matrix: Record<string, { files: string[]; agents: string[]; cells: Record<string, Record<string, string>> }>;
  /** Files (or patterns) declared in `files`, and how many of them two parallel tasks of different owners share. */
  summary: { files: number; overlapping: number };
  /** True when more conflicts exist than were listed (MAX_CONFLICTS): the list and the summary are then lower bounds. */
  truncated: boolean;
}
