import picomatch from "picomatch";
import { isGlobPattern, normalizePattern, PLAN_GLOB_OPTIONS } from "./glob-overlap.js";
import type { Plan, PlanAgent } from "./types.js";

/** One commit as `commitsSince` reads it from git. */
export interface CommitChange {
  sha: string;
  /** Author email (after .mailmap). */
  email: string;
  /** Branches known to hold the commit; may be empty (a detached checkout). */
  branches: string[];
  /** Paths the commit added, modified or deleted, relative to the repository root. */
  files: string[];
}

export interface OwnershipViolation {
  sha: string;
  /** The agent the commit is from. */
  agent: string;
  /** A file it touched that none of that agent's tasks declares in `files`. */
  file: string;
  /** Agents whose tasks do declare it (plan order); empty when nobody's do. */
  owners: string[];
}

export interface OwnershipResult {
  /** Every agent of the plan, with the commits mapped to it and the files they touched (sorted). */
  byAgent: Record<string, { commits: number; files: string[] }>;
  /** Commits whose author email and branches belong to no agent. */
  unmapped: CommitChange[];
  violations: OwnershipViolation[];
}

/**
 * Checks commits against the plan's file ownership. A commit belongs to the agent that lists its
 * author email in `emails` (case-insensitive), else to the first agent (plan order) whose `branch`
 * glob matches one of its branches. Each file it touched that no `files` glob of that agent's tasks
 * matches is a violation — `reads` grant no right to change a file.
 */
export function checkOwnership(plan: Plan, commits: readonly CommitChange[]): OwnershipResult {
  const byEmail = new Map<string, PlanAgent>();
  for (const agent of plan.agents) {
    for (const email of agent.emails) {
      const key = email.trim().toLowerCase();
      if (!byEmail.has(key)) byEmail.set(key, agent);
    }
  }
  const branchMatchers = plan.agents
    .filter((agent) => agent.branch !== null && agent.branch !== "")
    .map((agent) => ({ agent, matches: picomatch(agent.branch as string, PLAN_GLOB_OPTIONS) }));

  // Per agent: literal paths in a set (plans declare thousands), globs in one matcher.
  const declared = new Map<string, { literals: Set<string>; globs: string[]; matches?: (path: string) => boolean }>();
  for (const task of plan.tasks) {
    let owned = declared.get(task.owner);
    if (owned === undefined) declared.set(task.owner, (owned = { literals: new Set(), globs: [] }));
    for (const pattern of task.files) {
      const norm = normalizePattern(pattern);
      if (isGlobPattern(norm)) owned.globs.push(norm);
      else owned.literals.add(norm);
    }
  }
  const owns = (agent: string, file: string): boolean => {
    const owned = declared.get(agent);
    if (owned === undefined) return false;
    if (owned.literals.has(file)) return true;
    if (owned.globs.length === 0) return false;
    owned.matches ??= picomatch(owned.globs, PLAN_GLOB_OPTIONS);
    return owned.matches(file);
  };
  const ownersOf = new Map<string, string[]>();
  const owners = (file: string) => {
    let list = ownersOf.get(file);
    if (list === undefined) ownersOf.set(file, (list = plan.agents.map((a) => a.id).filter((id) => owns(id, file))));
    return list;
  };

  const touched = new Map<string, { commits: number; files: Set<string> }>(plan.agents.map((agent) => [agent.id, { commits: 0, files: new Set() }]));
  const unmapped: CommitChange[] = [];
  const violations: OwnershipViolation[] = [];
  for (const commit of commits) {
    const agent =
      byEmail.get(commit.email.trim().toLowerCase()) ??
      branchMatchers.find(({ matches }) => commit.branches.some((branch) => matches(branch)))?.agent;
    if (agent === undefined) {
      unmapped.push(commit);
      continue;
    }
    const record = touched.get(agent.id) as { commits: number; files: Set<string> };
    record.commits++;
    for (const file of commit.files) {
      record.files.add(file);
      if (!owns(agent.id, file)) violations.push({ sha: commit.sha, agent: agent.id, file, owners: owners(file) });
    }
  }

  const byAgent: OwnershipResult["byAgent"] = {};
  for (const [id, { commits: count, files }] of touched) byAgent[id] = { commits: count, files: [...files].sort() };
  return { byAgent, unmapped, violations };
}
