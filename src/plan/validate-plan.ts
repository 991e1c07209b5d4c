import { z } from "zod";
import { durationSchema, durationSeconds } from "./duration.js";
import { buildPlanGraph, cyclePaths, cyclicComponents, findCycles, indexGraph } from "./graph.js";
import type { PlanLineOf, PlanPath } from "./plan-lines.js";
import { DEFAULT_LEASE_SECONDS, DEFAULT_RETRIES, DEFAULT_RUN_TIMEOUT } from "./execution.js";
import { AGENT_KINDS, PRIORITIES, TEMPLATE_PLACEHOLDERS, type Plan, type PlanExecution, type PlanAgent, type MetricTarget, type PlanTargets, type PlanMilestone, type PlanPhase, type PlanProblem, type PlanRisk, type PlanTask } from "./types.js";

/** How commit messages name tasks when the plan does not say. */
export const DEFAULT_COMMIT_CONVENTION = "[{task}] {summary}";

/** Working hours per day of an agent that does not say. */
export const DEFAULT_CAPACITY = 8;

/** What `validatePlan` returns: the plan when there is no problem, and every problem found. */
export interface PlanValidation {
  /** The validated plan in camelCase with defaults filled; null when there is any problem. */
  plan: Plan | null;
  /** Every problem, in file order (those without a line first); each message starts with its key path. */
  problems: PlanProblem[];
}

// Ids may be written as numbers (`id: 12`); they are compared as text.
const id = z.preprocess((v) => (typeof v === "number" ? String(v) : v), z.string().min(1));
const text = z.string().min(1);
const date = z.string().superRefine((value, ctx) => {
  if (isCalendarDate(value)) return;
  const shaped = /^\d{4}-\d{2}-\d{2}$/.test(value);
  ctx.addIssue({ code: "custom", input: value, message: shaped ? "must be a real calendar date like 2026-03-02" : "must be a date like 2026-03-02" });
});
const hours = z.number().min(0);
const list = <T extends z.ZodType>(item: T) => z.array(item).nullish();

const rateSchema = z
  .strictObject({ per_hour: hours.optional(), per_day: hours.optional() })
  .refine((r) => (r.per_hour === undefined) !== (r.per_day === undefined), "must give one of per_hour or per_day");

export const agentSchema = z.strictObject({
  id,
  kind: z.enum(AGENT_KINDS).describe("cli: a coding agent run from `command`; script: runs each task's `run`; human: never run by shipgate."),
  command: text
    .nullish()
    .describe('Command template of a cli agent, e.g. "claude -p {prompt}"; placeholders {prompt} {prompt_file} {task} {agent} {worktree}.'),
  max_parallel: z.int().min(1).max(256).nullish().describe("How many of its tasks run at the same time (default 1)."),
  env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "must be an environment variable name"), z.string()).nullish().describe("Variables added to its runs' environment."),
  rate: rateSchema.nullish().describe("Cost: { per_hour: n } or { per_day: n } (a day is `capacity` hours)."),
  capacity: z.number().positive().max(24).nullish().describe(`Working hours per day (default ${DEFAULT_CAPACITY}).`),
  emails: list(text).describe("Commit author emails that are this agent's."),
  branch: text.nullish().describe('Branch-name glob that is this agent\'s, e.g. "agent/claude/*".'),
});

export const phaseSchema = z.strictObject({
  id,
  name: text,
  start: date.nullish().describe("Earliest start date."),
  depends_on: list(id).describe("Phases that must be done before this one starts."),
});

const estimateSchema = z.union(
  [hours, z.strictObject({ optimistic: hours, likely: hours, pessimistic: hours })],
  { error: "must be hours, as a number or { optimistic, likely, pessimistic }" },
);

/** `acceptance` / `ready_when`: a command, or { command, timeout } when the default 10 minutes do not fit. */
const planCommandSchema = z.union(
  [text, z.strictObject({ command: text, timeout: durationSchema.nullish().describe('Kill it after this long: seconds, or "90s", "10m", "1h" (default 10m).') })],
  { error: "must be a command (text) or { command, timeout }" },
);

export const taskSchema = z.strictObject({
  id,
  title: text,
  phase: id,
  priority: z.enum(PRIORITIES).nullish().describe("P0 (most urgent) … P3; default P2."),
  owner: id.describe("The agent that does it."),
  estimate: estimateSchema.describe("Hours: a number, or a PERT three-point estimate."),
  depends_on: list(id),
  files: list(text).describe("Globs of the files the task creates or modifies."),
  reads: list(text).describe("Globs of the files it only reads."),
  deliverables: list(text),
  acceptance: planCommandSchema.nullish().describe("A command whose success proves the task done; { command, timeout } to change its 10-minute timeout."),
  ready_when: planCommandSchema.nullish().describe("A command whose success proves its prerequisites are in place; { command, timeout } to change its 10-minute timeout."),
  tags: list(text),
  run: text.nullish().describe("The command a script agent runs for this task."),
  timeout: durationSchema.nullish().describe(`How long one attempt may run: seconds, or "90s", "10m", "1h" (default ${DEFAULT_RUN_TIMEOUT / 60}m).`),
  retries: z.int().min(0).max(100).nullish().describe(`Attempts after a failed, errored or timed-out first one (default ${DEFAULT_RETRIES}).`),
});

export const executionSchema = z.strictObject({
  workspace: z.enum(["worktree", "in-place"]).nullish().describe("worktree (default inside git): each attempt in its own git worktree; in-place: in the project directory."),
  lease: durationSchema.nullish().describe(`A claim lasts this long without a heartbeat (default ${DEFAULT_LEASE_SECONDS}s).`),
  heartbeat: durationSchema.nullish().describe("How often a running attempt renews its lease (default lease / 4)."),
  max_parallel: z.int().min(1).max(1024).nullish().describe("At most this many runs at once over all agents (default: each agent's max_parallel alone)."),
  ownership: z.enum(["enforce", "warn"]).nullish().describe("enforce (default): files changed outside a task's `files` fail the attempt; warn: reported only."),
  gate: text.nullish().describe("A gate of shipgate.yaml every task must pass in its workspace before it counts as done."),
});

export const riskSchema = z.strictObject({
  id,
  description: text,
  impact: z.enum(["low", "medium", "high", "critical"]),
  probability: z.enum(["low", "medium", "high"]),
  mitigation: text.nullish(),
  owner: id.nullish(),
  status: z.enum(["open", "mitigated", "accepted", "closed"]).nullish(),
});

export const milestoneSchema = z.strictObject({
  id,
  date,
  criteria: list(text).describe('Gate names or conditions ("coverage.lines >= 80") that say the milestone is met.'),
});

/**
 * Metric names whose lower values are better when a target does not say `better:`: a name with one of
 * these words as a part ("tests.failed", "lint.errors", "docs.broken_links"), or any `security.` metric.
 */
export const LOWER_IS_BETTER_WORDS = ["failed", "failures", "errored", "errors", "regressed", "flaky", "warnings", "findings", "vulnerabilities", "broken", "uncovered", "unreadable"] as const;

export const metricTargetSchema = z.strictObject({
  metric: text.describe('A fact key or gate metric: "score", "coverage.lines", "tests.failed", …'),
  component: id.nullish().describe("The component it is measured on; leave out for the whole project."),
  better: z.enum(["higher", "lower"]).nullish().describe("Whether a higher or lower value is better (default higher; lower for failures, errors, findings, vulnerabilities, broken links, security)."),
  points: z
    .record(z.string().regex(/^\d{4}-\d{2}-\d{2}$/).describe("A date like 2026-12-11, inside the program window."), z.number().describe("The target value on that date."))
    .describe("Target values by date: { 2026-11-23: 45, 2026-12-11: 85 } (at least one)."),
});

// Validation reads the points' values itself, so that one bad value hides no bad date beside it.
const metricTargetInput = metricTargetSchema.extend({ points: z.record(z.string(), z.unknown()) });

export const targetsSchema = z.strictObject({
  start: date.describe("First day of the program."),
  end: date.describe("Last day of the program (not before start)."),
  working_days: z.boolean().nullish().describe("Count Monday–Friday only in series, burn-down and forecasts (default true)."),
  metrics: z.array(z.unknown()).nullish().describe("Dated targets per metric (and component)."),
});

const sections = z.array(z.unknown());

/** The top level; each list's items are checked one by one so that one bad item hides nothing else. */
const topSchema = z.strictObject({
  version: z.literal(1),
  project: text.nullish(),
  start: date.nullish(),
  commit_convention: text.nullish(),
  agents: sections,
  phases: sections,
  tasks: sections,
  risks: sections.nullish(),
  milestones: sections.nullish(),
  execution: executionSchema.nullish(),
  // Checked on its own (targetsSettings), so that a bad target hides nothing else.
  targets: z.unknown().optional(),
});

/** The whole plan file, for a JSON Schema (editor completion); validation uses its parts. */
export const planFileSchema = topSchema.extend({
  agents: z.array(agentSchema),
  phases: z.array(phaseSchema),
  tasks: z.array(taskSchema),
  risks: z.array(riskSchema).nullish(),
  milestones: z.array(milestoneSchema).nullish(),
  targets: targetsSchema
    .extend({ metrics: z.array(metricTargetSchema).nullish().describe("Dated targets per metric (and component).") })
    .nullish()
    .describe("The tracker's program window and dated targets per metric."),
});

/**
 * Checks a parsed plan file (snake_case keys, as written) and turns it into a Plan. Collects every
 * problem in one go, each with its key path and line: shape (via zod, item by item), unknown and
 * duplicate ids, dependency cycles among tasks, among phases and through the phase order, estimates
 * out of order, bad dates. Linear in the size of the plan.
 */
export function validatePlan(data: unknown, line: PlanLineOf): PlanValidation {
  const problems: PlanProblem[] = [];
  const report = (path: PlanPath, message: string, at: PlanPath = path) => {
    problems.push({ path: [...at], line: line(at), message: `${formatPath(path)}: ${message}` });
  };
  /** The item's parsed value, or null after reporting its problems. */
  const check = <T extends z.ZodType>(schema: T, item: unknown, base: PlanPath): z.output<T> | null => {
    // Without options zod takes its compiled fast path; the input is only needed for messages.
    const quick = schema.safeParse(item);
    if (quick.success) return quick.data;
    const full = schema.safeParse(item, { reportInput: true });
    for (const issue of full.error?.issues ?? quick.error.issues) describeIssue(issue, base, report);
    return null;
  };

  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    report([], `a plan is a mapping with version, agents, phases and tasks (got ${shown(data)})`);
    return { plan: null, problems };
  }
  const raw = data as Record<string, unknown>;
  const top = check(topSchema, raw, []);
  const items = (key: string): unknown[] => {
    const value = raw[key];
    return Array.isArray(value) ? value : [];
  };

  // Agents.
  const agents: PlanAgent[] = [];
  const agentAt = new Map<string, number>();
  items("agents").forEach((item, i) => {
    const path = ["agents", i];
    const duplicate = !unique(agentAt, item, i, "agent", "agents");
    const a = check(agentSchema, item, path);
    if (a === null || duplicate) return;
    const capacity = a.capacity ?? DEFAULT_CAPACITY;
    agents.push({
      id: a.id,
      kind: a.kind,
      command: a.command ?? null,
      maxParallel: a.max_parallel ?? 1,
      env: a.env ?? {},
      ratePerHour: a.rate ? (a.rate.per_hour ?? (a.rate.per_day as number) / capacity) : null,
      capacity,
      emails: a.emails ?? [],
      branch: a.branch ?? null,
    });
    checkAgentCommand(agents.at(-1) as PlanAgent, path, report);
  });

  // Phases.
  const phases: PlanPhase[] = [];
  const phaseAt = new Map<string, number>();
  const phaseSource: number[] = [];
  const phaseDeps: (string | null)[][] = [];
  // What the order checks see: valid phases and, for a malformed one, the parts that are well-formed
  // (its id and depends_on), so that a shape error does not hide a reference or a cycle.
  const graphPhases: { id: string; dependsOn: string[] }[] = [];
  const graphPhaseSource: number[] = [];
  items("phases").forEach((item, i) => {
    const path = ["phases", i];
    const duplicate = !unique(phaseAt, item, i, "phase", "phases");
    const p = check(phaseSchema, item, path);
    if (duplicate) return;
    if (p === null) {
      const partial = salvage(item);
      phaseSource.push(i);
      phaseDeps.push(partial.dependsOn);
      if (partial.id !== null) {
        graphPhases.push({ id: partial.id, dependsOn: dedupe(partial.dependsOn.filter((d): d is string => d !== null)) });
        graphPhaseSource.push(i);
      }
      return;
    }
    phases.push({ id: p.id, name: p.name, start: p.start ?? null, dependsOn: dedupe(p.depends_on ?? []) });
    phaseSource.push(i);
    phaseDeps.push(p.depends_on ?? []);
    graphPhases.push(phases.at(-1) as PlanPhase);
    graphPhaseSource.push(i);
  });

  // Tasks: every id is registered first, so a dependency on a task that is itself malformed is not
  // also reported as unknown.
  const taskItems = items("tasks");
  const taskAt = new Map<string, number>();
  const tasks: PlanTask[] = [];
  // As for phases: valid tasks, and the well-formed parts (id, phase, depends_on) of malformed ones.
  const graphTasks: { id: string; phase: string; dependsOn: string[] }[] = [];
  const graphSource: number[] = [];
  const duplicateTask = new Uint8Array(taskItems.length);
  taskItems.forEach((item, i) => {
    if (!unique(taskAt, item, i, "task", "tasks")) duplicateTask[i] = 1;
  });
  taskItems.forEach((item, i) => {
    const path = ["tasks", i];
    const t = quickTask(item) ?? check(taskSchema, item, path);
    if (duplicateTask[i] === 1) return;
    if (t === null) {
      const partial = salvage(item);
      if (partial.phase !== null && !phaseAt.has(partial.phase)) report([...path, "phase"], `unknown phase "${partial.phase}"`);
      if (partial.owner !== null && !agentAt.has(partial.owner)) report([...path, "owner"], `unknown agent "${partial.owner}"`);
      partial.dependsOn.forEach((d, j) => {
        if (d !== null && !taskAt.has(d)) report([...path, "depends_on", j], `unknown task "${d}"`);
      });
      if (partial.id !== null) {
        graphTasks.push({ id: partial.id, phase: partial.phase ?? "", dependsOn: dedupe(partial.dependsOn.filter((d): d is string => d !== null)) });
        graphSource.push(i);
      }
      return;
    }
    let estimate = typeof t.estimate === "number" ? { optimistic: t.estimate, likely: t.estimate, pessimistic: t.estimate } : t.estimate;
    if (estimate.optimistic > estimate.likely || estimate.likely > estimate.pessimistic) {
      report([...path, "estimate"], `must be optimistic ≤ likely ≤ pessimistic (got ${estimate.optimistic}, ${estimate.likely}, ${estimate.pessimistic})`);
      estimate = { optimistic: 0, likely: 0, pessimistic: 0 };
    }
    if (!phaseAt.has(t.phase)) report([...path, "phase"], `unknown phase "${t.phase}"`);
    if (!agentAt.has(t.owner)) report([...path, "owner"], `unknown agent "${t.owner}"`);
    const dependsOn = t.depends_on ?? [];
    dependsOn.forEach((d, j) => {
      if (!taskAt.has(d)) report([...path, "depends_on", j], `unknown task "${d}"`);
    });
    const acceptance = planCommand(t.acceptance);
    const readyWhen = planCommand(t.ready_when);
    tasks.push({
      id: t.id,
      title: t.title,
      phase: t.phase,
      priority: t.priority ?? "P2",
      owner: t.owner,
      estimate,
      dependsOn: dedupe(dependsOn),
      files: t.files ?? [],
      reads: t.reads ?? [],
      deliverables: t.deliverables ?? [],
      acceptance: acceptance.command,
      acceptanceTimeout: acceptance.timeout,
      readyWhen: readyWhen.command,
      readyWhenTimeout: readyWhen.timeout,
      tags: t.tags ?? [],
      run: t.run ?? null,
      timeout: t.timeout == null ? null : durationSeconds(t.timeout),
      retries: t.retries ?? DEFAULT_RETRIES,
    });
    const kind = agents.find((a) => a.id === t.owner)?.kind;
    if (kind === "script" && !t.run) report([...path], `owner "${t.owner}" is a script agent: give the task a \`run\` command`, [...path, "owner"]);
    if (kind !== undefined && kind !== "script" && t.run) report([...path, "run"], `only a script agent's tasks have a run command (owner "${t.owner}" is a ${kind} agent)`);
    graphTasks.push(tasks.at(-1) as PlanTask);
    graphSource.push(i);
  });

  // Phase references, now that every phase id is known.
  phaseDeps.forEach((deps, k) => {
    deps.forEach((d, j) => {
      if (d !== null && !phaseAt.has(d)) report(["phases", phaseSource[k] as number, "depends_on", j], `unknown phase "${d}"`);
    });
  });

  const risks: PlanRisk[] = [];
  const riskAt = new Map<string, number>();
  items("risks").forEach((item, i) => {
    const path = ["risks", i];
    const duplicate = !unique(riskAt, item, i, "risk", "risks");
    const r = check(riskSchema, item, path);
    if (r === null && !duplicate) {
      const owner = salvage(item).owner;
      if (owner !== null && !agentAt.has(owner)) report([...path, "owner"], `unknown agent "${owner}"`);
    }
    if (r === null || duplicate) return;
    if (r.owner != null && !agentAt.has(r.owner)) report([...path, "owner"], `unknown agent "${r.owner}"`);
    risks.push({ id: r.id, description: r.description, impact: r.impact, probability: r.probability, mitigation: r.mitigation ?? null, owner: r.owner ?? null, status: r.status ?? "open" });
  });

  const milestones: PlanMilestone[] = [];
  const milestoneAt = new Map<string, number>();
  items("milestones").forEach((item, i) => {
    const duplicate = !unique(milestoneAt, item, i, "milestone", "milestones");
    const m = check(milestoneSchema, item, ["milestones", i]);
    if (m !== null && !duplicate) milestones.push({ id: m.id, date: m.date, criteria: m.criteria ?? [] });
  });

  // Cycles: among phases, among tasks, and — only when neither has one — through the phase order.
  const phaseIndex = new Map<string, number>();
  graphPhases.forEach((p, k) => {
    if (!phaseIndex.has(p.id)) phaseIndex.set(p.id, k);
  });
  const phaseCycles = findCycles(
    graphPhases.map((p) => p.id),
    (p) => graphPhases[phaseIndex.get(p) as number]?.dependsOn ?? [],
  );
  for (const cycle of phaseCycles) {
    report(["phases", graphPhaseSource[phaseIndex.get(cycle[0] as string) as number] as number], `dependency cycle ${[...cycle, cycle[0]].join(" → ")}`);
  }
  // Graph task k came from tasks[graphSource[k]]; graphOf maps back (−1: not in the graph).
  const graphOf = new Int32Array(taskItems.length).fill(-1);
  graphSource.forEach((i, k) => (graphOf[i] = k));
  const from: number[] = [];
  const to: number[] = [];
  graphTasks.forEach((t, k) => {
    for (const d of t.dependsOn) {
      const i = taskAt.get(d);
      const j = i === undefined ? -1 : (graphOf[i] as number);
      if (j !== -1) {
        from.push(k);
        to.push(j);
      }
    }
  });
  const taskGraph = indexGraph(graphTasks.length, from, to);
  const taskCycles = cyclePaths(taskGraph);
  for (const cycle of taskCycles) {
    const names = cycle.map((k) => (graphTasks[k] as { id: string }).id);
    report(["tasks", graphSource[cycle[0] as number] as number], `dependency cycle ${[...names, names[0]].join(" → ")}`);
  }
  // Only a phase order can add a cycle that neither of the above has.
  if (phaseCycles.length === 0 && taskCycles.length === 0 && graphPhases.some((p) => p.dependsOn.length > 0)) {
    const graph = buildPlanGraph({ tasks: graphTasks, phases: graphPhases });
    if (graph.order.length < graph.size) {
      const n = graph.tasks;
      for (const cycle of cyclePaths(graph.waitsFor, cyclicComponents(graph.waitsFor))) {
        const names: string[] = [];
        for (const v of cycle) {
          if (v < n) names.push((graphTasks[v] as { id: string }).id);
          else if (v >= n + graph.phases) names.push(`phase ${(graphPhases[v - n - graph.phases] as { id: string }).id}`);
        }
        const first = cycle[0] as number;
        const start = first < n ? graphSource[first] as number : 0;
        report(["tasks", start], `dependency cycle through the phase order: ${[...names, names[0]].join(" → ")}`);
      }
    }
  }

  const execution = top?.execution ? executionSettings(top.execution, report) : executionSettings({}, report);
  const targets = raw.targets == null ? null : targetsSettings(raw.targets, check, report, line);

  problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  if (problems.length > 0 || top === null) return { plan: null, problems };
  const plan: Plan = {
    version: 1,
    project: top.project ?? null,
    start: top.start ?? null,
    commitConvention: top.commit_convention ?? DEFAULT_COMMIT_CONVENTION,
    agents,
    phases,
    tasks,
    risks,
    milestones,
    execution,
    targets,
  };
  return { plan, problems };

  /** Registers the id of section[i]; reports and returns false when it is taken already (true without an id). */
  function unique(seen: Map<string, number>, item: unknown, i: number, what: string, section: string): boolean {
    const value = idOf(item);
    if (value === null) return true;
    const first = seen.get(value);
    if (first === undefined) {
      seen.set(value, i);
      return true;
    }
    const firstLine = line([section, first, "id"]);
    report([section, i, "id"], `duplicate ${what} id "${value}" (first used by ${section}[${first}]${firstLine === null ? "" : ` at line ${firstLine}`})`);
    return false;
  }
}

/**
 * A template names only known placeholders (`${VAR}` and `{a,b}` are the shell's). A cli agent without a command is
 * valid: it works the queue by hand or through `shipgate mcp`; `shipgate run` refuses to run it.
 */
function checkAgentCommand(agent: PlanAgent, path: PlanPath, report: (path: PlanPath, message: string) => void): void {
  if (agent.command === null) return;
  if (agent.kind !== "cli") {
    report([...path, "command"], `only a cli agent has a command (this one is ${agent.kind}${agent.kind === "script" ? ": it runs each task's `run`" : ""})`);
    return;
  }
  const known = new Set<string>(TEMPLATE_PLACEHOLDERS);
  for (const m of agent.command.matchAll(/(?<!\$)\{([A-Za-z_]+)\}/g)) {
    const name = m[1] as string;
    if (!known.has(name)) report([...path, "command"], `unknown placeholder {${name}}; a template may use ${TEMPLATE_PLACEHOLDERS.map((p) => `{${p}}`).join(" ")}`);
  }
}

/** The `execution:` section with defaults; a heartbeat must come before the lease runs out. */
function executionSettings(raw: z.output<typeof executionSchema>, report: (path: PlanPath, message: string) => void): PlanExecution {
  const leaseSeconds = raw.lease == null ? DEFAULT_LEASE_SECONDS : durationSeconds(raw.lease);
  const heartbeatSeconds = raw.heartbeat == null ? leaseSeconds / 4 : durationSeconds(raw.heartbeat);
  if (heartbeatSeconds >= leaseSeconds) report(["execution", "heartbeat"], `must be shorter than the lease (${leaseSeconds}s), or the lease runs out between heartbeats`);
  return {
    workspace: raw.workspace ?? null,
    leaseSeconds,
    heartbeatSeconds,
    maxParallel: raw.max_parallel ?? null,
    ownership: raw.ownership ?? "enforce",
    gate: raw.gate ?? null,
  };
}

type Check = <T extends z.ZodType>(schema: T, item: unknown, base: PlanPath) => z.output<T> | null;

/**
 * The `targets:` section: the window (end not before start), then each metric on its own: every point's
 * date real and inside the window, at least one point, one target per metric and component. Points are
 * returned in date order. Null when the window itself is malformed (the problems are reported).
 */
function targetsSettings(value: unknown, check: Check, report: (path: PlanPath, message: string) => void, line: PlanLineOf): PlanTargets | null {
  const head = check(targetsSchema, value, ["targets"]);
  if (head === null) return null;
  const window = head.start <= head.end;
  if (!window) report(["targets", "end"], `must not be before start ${head.start} (got ${head.end})`);
  const metrics: MetricTarget[] = [];
  const seen = new Map<string, number>();
  (head.metrics ?? []).forEach((item, i) => {
    const path = ["targets", "metrics", i];
    const m = check(metricTargetInput, item, path);
    if (m === null) return;
    const component = m.component ?? null;
    const key = `${m.metric}\u0000${component ?? ""}`;
    const first = seen.get(key);
    if (first !== undefined) {
      const firstLine = line(["targets", "metrics", first]);
      const what = component === null ? `"${m.metric}"` : `"${m.metric}" on component "${component}"`;
      report([...path, "metric"], `duplicate target for ${what} (first at targets.metrics[${first}]${firstLine === null ? "" : ` at line ${firstLine}`})`);
      return;
    }
    seen.set(key, i);
    const points: { date: string; value: number }[] = [];
    for (const [day, target] of Object.entries(m.points)) {
      const at = [...path, "points", day];
      if (!isCalendarDate(day)) {
        report(at, /^\d{4}-\d{2}-\d{2}$/.test(day) ? "must be a real calendar date like 2026-03-02" : "must be a date like 2026-03-02");
      } else if (window && (day < head.start || day > head.end)) {
        report(at, `is outside the program window ${head.start}…${head.end}`);
      } else if (typeof target !== "number" || !Number.isFinite(target)) {
        report(at, `must be a number (got ${shown(target)})`);
      } else points.push({ date: day, value: target });
    }
    if (Object.keys(m.points).length === 0) report([...path, "points"], "must have at least one date: value");
    points.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    metrics.push({ metric: m.metric, component, better: m.better ?? defaultBetter(m.metric), points });
  });
  return { start: head.start, end: head.end, workingDays: head.working_days ?? true, metrics };
}

/** "lower" for a metric named like failures or findings (LOWER_IS_BETTER_WORDS, or `security.`), else "higher". */
export function defaultBetter(metric: string): "higher" | "lower" {
  if (metric.startsWith("security.")) return "lower";
  const words = new Set<string>(LOWER_IS_BETTER_WORDS);
  return metric.split(/[._]/).some((part) => words.has(part)) ? "lower" : "higher";
}

/** A task's `acceptance` or `ready_when` as the Plan holds it: the command, and its timeout in seconds (null: the default). */
function planCommand(value: z.output<typeof planCommandSchema> | null | undefined): { command: string | null; timeout: number | null } {
  if (value == null) return { command: null, timeout: null };
  if (typeof value === "string") return { command: value, timeout: null };
  return { command: value.command, timeout: value.timeout == null ? null : durationSeconds(value.timeout) };
}

/** "tasks[12].depends_on[1]"; "(top level)" for the empty path. */
export function formatPath(path: PlanPath): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out === "" ? "(top level)" : out;
}

/** True for a YYYY-MM-DD string that names a real day. */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

type TaskInput = z.output<typeof taskSchema>;

const TASK_KEYS = new Set(Object.keys(taskSchema.shape));
const PRIORITY_SET = new Set<unknown>(PRIORITIES);

/**
 * The common case of a task without zod: zod on 100 000 tasks takes about as long as everything else
 * together. Accepts only what taskSchema accepts and returns what it would; anything else (null) goes
 * to taskSchema, which also writes the messages.
 */
function quickTask(item: unknown): TaskInput | null {
  if (typeof item !== "object" || item === null || Array.isArray(item) || Object.getPrototypeOf(item) !== Object.prototype) return null;
  const t = item as Record<string, unknown>;
  for (const key in t) if (!TASK_KEYS.has(key)) return null;
  const id = quickId(t.id);
  const phase = quickId(t.phase);
  const owner = quickId(t.owner);
  if (id === null || phase === null || owner === null || !isText(t.title)) return null;
  if (t.priority != null && !PRIORITY_SET.has(t.priority)) return null;
  let estimate: TaskInput["estimate"];
  const e = t.estimate;
  if (isHours(e)) estimate = e;
  else {
    if (typeof e !== "object" || e === null || Array.isArray(e) || Object.getPrototypeOf(e) !== Object.prototype) return null;
    const { optimistic, likely, pessimistic } = e as Record<string, unknown>;
    if (Object.keys(e).length !== 3 || !isHours(optimistic) || !isHours(likely) || !isHours(pessimistic)) return null;
    estimate = { optimistic, likely, pessimistic };
  }
  let dependsOn: string[] | null | undefined = t.depends_on as null | undefined;
  if (t.depends_on != null) {
    if (!Array.isArray(t.depends_on)) return null;
    dependsOn = [];
    for (const d of t.depends_on as unknown[]) {
      const dep = quickId(d);
      if (dep === null) return null;
      dependsOn.push(dep);
    }
  }
  if (!isTextList(t.files) || !isTextList(t.reads) || !isTextList(t.deliverables) || !isTextList(t.tags)) return null;
  if ((t.acceptance != null && !isPlanCommand(t.acceptance)) || (t.ready_when != null && !isPlanCommand(t.ready_when))) return null;
  if ((t.run != null && !isText(t.run)) || (t.timeout != null && !durationSchema.safeParse(t.timeout).success)) return null;
  if (t.retries != null && !(Number.isInteger(t.retries) && (t.retries as number) >= 0 && (t.retries as number) <= 100)) return null;
  return {
    ...(t as Omit<TaskInput, "id" | "phase" | "owner" | "estimate" | "depends_on">),
    id,
    phase,
    owner,
    estimate,
    depends_on: dependsOn,
  };
}

function quickId(value: unknown): string | null {
  if (typeof value === "string") return value === "" ? null : value;
  return typeof value === "number" && Number.isFinite(value) ? String(value) : null;
}

const isText = (value: unknown): value is string => typeof value === "string" && value !== "";
/** What planCommandSchema accepts: a command, or { command, timeout? }. */
function isPlanCommand(value: unknown): boolean {
  if (isText(value)) return true;
  if (typeof value !== "object" || value === null || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) return false;
  const { command, timeout, ...rest } = value as Record<string, unknown>;
  return isText(command) && Object.keys(rest).length === 0 && (timeout == null || durationSchema.safeParse(timeout).success);
}
const isHours = (value: unknown): value is number => typeof value === "number" && Number.isFinite(value) && value >= 0;
function isTextList(value: unknown): boolean {
  if (value == null) return true;
  if (!Array.isArray(value)) return false;
  for (const v of value as unknown[]) if (!isText(v)) return false;
  return true;
}

/**
 * The parts of a malformed phase or task item that are well-formed, for reference and cycle checks:
 * its id, phase, owner (each when it is an id) and depends_on (entries that are ids; null elsewhere,
 * so positions still name lines). What is malformed was reported by the schema already.
 */
function salvage(item: unknown): { id: string | null; phase: string | null; owner: string | null; dependsOn: (string | null)[] } {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return { id: null, phase: null, owner: null, dependsOn: [] };
  const t = item as Record<string, unknown>;
  return {
    id: quickId(t.id),
    phase: quickId(t.phase),
    owner: quickId(t.owner),
    dependsOn: Array.isArray(t.depends_on) ? (t.depends_on as unknown[]).map(quickId) : [],
  };
}

function idOf(item: unknown): string | null {
  if (typeof item !== "object" || item === null) return null;
  const value = (item as { id?: unknown }).id;
  return typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : null;
}

function dedupe(values: string[]): string[] {
  return values.length < 2 ? values : [...new Set(values)];
}

const TYPE_WORDS: Record<string, string> = {
  string: "text",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "a list",
  object: "a mapping",
  record: "a mapping",
};

/** A value as a message shows it: short, and in the file's words (list, mapping, nothing). */
function shown(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return typeof value;
}

/** Turns one zod issue into readable problems (one per unknown key, so each has its own line). */
function describeIssue(raw: z.core.$ZodIssue, base: PlanPath, report: (path: PlanPath, message: string, at?: PlanPath) => void): void {
  const issue = unwrapUnion(raw);
  const path = [...base, ...issue.path.map((p) => (typeof p === "number" ? p : String(p)))];
  const got = issue.input === undefined ? "" : ` (got ${shown(issue.input)})`;
  if (issue.input === undefined && (issue.code === "invalid_type" || issue.code === "invalid_value" || issue.code === "invalid_union")) {
    report(path, "is required");
    return;
  }
  switch (issue.code) {
    case "unrecognized_keys":
      for (const key of issue.keys) report(path, `unknown key "${key}"`, [...path, key]);
      return;
    case "invalid_type":
      report(path, `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}${got}`);
      return;
    case "invalid_value":
      report(path, issue.values.length === 1 ? `must be ${String(issue.values[0])}${got}` : `must be one of ${issue.values.map(String).join(" ")}${got}`);
      return;
    case "too_small":
      if (issue.origin === "string") report(path, "must not be empty");
      else if (issue.origin === "array") report(path, `must have at least ${String(issue.minimum)} item${issue.minimum === 1 ? "" : "s"}`);
      else report(path, `must be ${issue.inclusive ? "at least" : "more than"} ${String(issue.minimum)}${got}`);
      return;
    case "too_big":
      report(path, `must be ${issue.inclusive ? "at most" : "less than"} ${String(issue.maximum)}${got}`);
      return;
    case "invalid_format":
      report(path, `${issue.message}${got}`);
      return;
    default:
      // A refinement of a whole mapping (a rate) says what is wrong without echoing the mapping.
      report(path, `${issue.message}${typeof issue.input === "object" ? "" : got}`);
  }
}

/**
 * A union (an estimate as a number or as three points) fails as a whole; when the input has the
 * shape of one branch, that branch's first issue says what is actually wrong.
 */
function unwrapUnion(issue: z.core.$ZodIssue): z.core.$ZodIssue {
  if (issue.code !== "invalid_union") return issue;
  const branch = issue.errors.find((b) => b.length > 0 && !(b.length === 1 && b[0]?.code === "invalid_type" && b[0].path.length === 0));
  const inner = branch?.[0];
  return inner ? unwrapUnion({ ...inner, path: [...issue.path, ...inner.path] }) : issue;
}

/** The JSON Schema published for editors (schema/shipgate.plan.schema.json). */
export function planJsonSchema(): unknown {
  return z.toJSONSchema(planFileSchema, { io: "input", unrepresentable: "any" });
}
