import { createPatternCache, normalizePattern, type PatternInfo } from "./glob-overlap.js";
import type { ConflictReport, FileConflict, Plan, PlanTask } from "./types.js";

/** Rows kept per phase in `ConflictReport.matrix`: conflicting patterns first, then the others in declaration order. */
export const MATRIX_MAX_ROWS = 100;

/** One phase of `ConflictReport.matrix`; `omitted` counts the patterns left out by `MATRIX_MAX_ROWS`. */
export interface PhaseMatrix {
  files: string[];
  agents: string[];
  cells: Record<string, Record<string, string>>;
  omitted: number;
}

export interface FindConflictsOptions {
  /**
   * Whether task `a` depends on task `b`, directly or transitively (ids). Called only for pairs of tasks
   * of different owners whose patterns overlap, in both directions; the answer is cached per pair.
   */
  dependsOn: (a: string, b: string) => boolean;
  /** The repository's files (relative, "/"-separated): a path of these that two globs match is the preferred example. */
  repoFiles?: readonly string[];
}

/**
 * Pairs of tasks that may run at the same time (neither depends on the other) and whose owners differ,
 * where one writes what the other writes ("write-write") or reads ("read-after-write"); with a
 * per-phase pattern × agent matrix and a summary. Patterns are compared through an index (literal
 * paths by value, globs by their literal directory prefix), so a plan of 100 000 tasks costs about
 * what its overlapping pairs cost, never all pairs. See `globsOverlap` (glob-overlap.ts) for when two globs overlap.
 */
export function findConflicts(plan: Plan, options: FindConflictsOptions): ConflictReport & { matrix: Record<string, PhaseMatrix> } {
  const tasks = plan.tasks;
  const patterns = createPatternCache(options.repoFiles ?? []);

  // The index: literal paths by value; globs grouped by pattern under their literal prefix.
  const literals = new Map<string, Entry[]>();
  const globs = new Map<string, Map<string, { info: PatternInfo; entries: Entry[] }>>();
  const add = (entry: Entry) => {
    const { info } = entry;
    if (info.literal) {
      const list = literals.get(info.norm);
      if (list === undefined) literals.set(info.norm, [entry]);
      else list.push(entry);
      return;
    }
    let bucket = globs.get(info.prefix);
    if (bucket === undefined) globs.set(info.prefix, (bucket = new Map<string, { info: PatternInfo; entries: Entry[] }>()));
    const group = bucket.get(info.norm);
    if (group === undefined) bucket.set(info.norm, { info, entries: [entry] });
    else group.entries.push(entry);
  };
  tasks.forEach((task, index) => {
    const written = new Set<string>();
    for (const pattern of task.files) {
      const info = patterns.info(pattern);
      if (written.has(info.norm)) continue;
      written.add(info.norm);
      add({ task: index, pattern, info, write: true });
    }
    const read = new Set<string>();
    for (const pattern of task.reads) {
      const info = patterns.info(pattern);
      // Writing a file includes reading it.
      if (written.has(info.norm) || read.has(info.norm)) continue;
      read.add(info.norm);
      add({ task: index, pattern, info, write: false });
    }
  });

  const found: { a: number; b: number; conflict: FileConflict }[] = [];
  let truncated = false;
  const dependent = new Map<number, boolean>();
  const isDependent = (x: number, y: number) => {
    const key = Math.min(x, y) * tasks.length + Math.max(x, y);
    let answer = dependent.get(key);
    if (answer === undefined) {
      const a = (tasks[x] as PlanTask).id;
      const b = (tasks[y] as PlanTask).id;
      answer = options.dependsOn(a, b) || options.dependsOn(b, a);
      dependent.set(key, answer);
    }
    return answer;
  };
  // Every pair of entries whose patterns overlap (with `example`) is offered here exactly once.
  const offer = (xs: readonly Entry[], ys: readonly Entry[], example: string, same: boolean) => {
    // Many tasks declaring one broad glob make conflicts quadratic in number: past the cap, stop looking.
    if (truncated) return;
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as Entry;
      for (let j = same ? i + 1 : 0; j < ys.length; j++) {
        const y = ys[j] as Entry;
        if (x.task === y.task || (!x.write && !y.write)) continue;
        const tx = tasks[x.task] as PlanTask;
        const ty = tasks[y.task] as PlanTask;
        if (tx.owner === ty.owner || isDependent(x.task, y.task)) continue;
        // Write-write: the earlier task of the plan is `a`; read-after-write: the writer is.
        const [a, b]: [Entry, Entry] = (x.write && y.write ? x.task < y.task : x.write) ? [x, y] : [y, x];
        const ta = tasks[a.task] as PlanTask;
        const tb = tasks[b.task] as PlanTask;
        if (found.length >= MAX_CONFLICTS) {
          truncated = true;
          return;
        }
        found.push({
          a: a.task,
          b: b.task,
          conflict: {
            kind: b.write ? "write-write" : "read-after-write",
            a: { task: ta.id, owner: ta.owner, pattern: a.pattern },
            b: { task: tb.id, owner: tb.owner, pattern: b.pattern },
            example,
            // A conflict belongs to the phase of its writer (`a`); both tasks show it in the matrix.
            phase: ta.phase,
          },
        });
      }
    }
  };

  // Literal × literal: the same path.
  for (const [path, entries] of literals) if (entries.length > 1) offer(entries, entries, path, true);

  if (globs.size > 0) {
    // Literal × glob: a glob can only match a path equal to its prefix or under it.
    for (const [path, entries] of literals) {
      for (const prefix of prefixesOf(path, true)) {
        const bucket = globs.get(prefix);
        if (bucket === undefined) continue;
        for (const glob of bucket.values()) if (glob.info.matches(path)) offer(entries, glob.entries, path, false);
      }
    }
    // Glob × glob: two globs can only share a path when one prefix contains the other; each pair is
    // met once, from the deeper prefix (or within one bucket).
    for (const [prefix, bucket] of globs) {
      const groups = [...bucket.values()];
      groups.forEach((a, i) => {
        for (let j = i; j < groups.length; j++) {
          const b = groups[j] as (typeof groups)[number];
          const example = patterns.overlap(a.info, b.info);
          if (example !== null) offer(a.entries, b.entries, example, i === j);
        }
        for (const ancestor of prefixesOf(prefix, false)) {
          for (const b of globs.get(ancestor)?.values() ?? []) {
            const example = patterns.overlap(a.info, b.info);
            if (example !== null) offer(a.entries, b.entries, example, false);
          }
        }
      });
    }
  }

  found.sort(
    (x, y) =>
      x.a - y.a ||
      x.b - y.b ||
      // Write-write first: the worse of the two.
      compare(y.conflict.kind, x.conflict.kind) ||
      compare(x.conflict.a.pattern, y.conflict.a.pattern) ||
      compare(x.conflict.b.pattern, y.conflict.b.pattern),
  );
  const conflicts = found.map((f) => f.conflict);
  return { conflicts, matrix: buildMatrix(plan, found), summary: summarize(plan, conflicts), truncated };
}

/** Conflicts listed at most; past it the report says `truncated` and stops looking for more. */
export const MAX_CONFLICTS = 20_000;

interface Entry {
  task: number;
  /** As declared. */
  pattern: string;
  info: PatternInfo;
  write: boolean;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `path` itself (when `self`), then each directory above it, up to "" (the root). */
function* prefixesOf(path: string, self: boolean): Generator<string> {
  if (path === "") return;
  if (self) yield path;
  for (let i = path.lastIndexOf("/"); i !== -1; i = path.lastIndexOf("/", i - 1)) {
    yield path.slice(0, i);
    if (i === 0) return;
  }
  yield "";
}

// ---- Matrix and summary -----------------------------------------------------------------------------

function buildMatrix(plan: Plan, found: readonly { a: number; b: number; conflict: FileConflict }[]): Record<string, PhaseMatrix> {
  const agentOrder = new Map(plan.agents.map((agent, i) => [agent.id, i]));
  const phaseOrder = new Map(plan.phases.map((phase, i) => [phase.id, i]));
  const byPhase = new Map<string, PlanTask[]>();
  for (const task of plan.tasks) {
    const list = byPhase.get(task.phase);
    if (list === undefined) byPhase.set(task.phase, [task]);
    else list.push(task);
  }
  const marked = new Set<string>();
  const mark = (task: PlanTask, pattern: string) => marked.add(`${task.phase}\0${pattern}\0${task.owner}`);
  for (const { a, b, conflict } of found) {
    mark(plan.tasks[a] as PlanTask, conflict.a.pattern);
    mark(plan.tasks[b] as PlanTask, conflict.b.pattern);
  }

  const phases = [...byPhase.keys()].sort(
    (x, y) => (phaseOrder.get(x) ?? Infinity) - (phaseOrder.get(y) ?? Infinity) || compare(x, y),
  );
  const matrix: Record<string, PhaseMatrix> = {};
  for (const phase of phases) {
    const rows = new Map<string, Map<string, "W" | "R">>();
    const owners = new Set<string>();
    for (const task of byPhase.get(phase) ?? []) {
      owners.add(task.owner);
      for (const [list, letter] of [[task.files, "W"], [task.reads, "R"]] as const) {
        for (const pattern of list) {
          let row = rows.get(pattern);
          if (row === undefined) rows.set(pattern, (row = new Map<string, "W" | "R">()));
          if (row.get(task.owner) !== "W") row.set(task.owner, letter);
        }
      }
    }
    const isMarked = (pattern: string, row: Map<string, string>) => [...row.keys()].some((owner) => marked.has(`${phase}\0${pattern}\0${owner}`));
    let files = [...rows.keys()];
    if (files.length > MATRIX_MAX_ROWS) {
      const hot = new Set(files.filter((f) => isMarked(f, rows.get(f) as Map<string, string>)).slice(0, MATRIX_MAX_ROWS));
      const room = MATRIX_MAX_ROWS - hot.size;
      const cold = new Set(files.filter((f) => !hot.has(f)).slice(0, room));
      files = files.filter((f) => hot.has(f) || cold.has(f));
    }
    const cells: Record<string, Record<string, string>> = {};
    for (const pattern of files) {
      const row: Record<string, string> = {};
      for (const [owner, letter] of rows.get(pattern) ?? []) {
        row[owner] = marked.has(`${phase}\0${pattern}\0${owner}`) ? `${letter}!` : letter;
      }
      cells[pattern] = row;
    }
    const agents = [...owners].sort((x, y) => (agentOrder.get(x) ?? Infinity) - (agentOrder.get(y) ?? Infinity) || compare(x, y));
    matrix[phase] = { files, agents, cells, omitted: rows.size - files.length };
  }
  return matrix;
}

function summarize(plan: Plan, conflicts: readonly FileConflict[]): ConflictReport["summary"] {
  const declared = new Set<string>();
  for (const task of plan.tasks) for (const pattern of task.files) declared.add(normalizePattern(pattern));
  const overlapping = new Set<string>();
  for (const c of conflicts) {
    overlapping.add(normalizePattern(c.a.pattern));
    if (c.kind === "write-write") overlapping.add(normalizePattern(c.b.pattern));
  }
  return { files: declared.size, overlapping: overlapping.size };
}
