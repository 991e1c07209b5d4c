/**
 * Which ready tasks the dispatcher may start now, beside the ones running. Pure. Two tasks collide when one's `files`
 * overlap the other's `files` or `reads` (plan/glob-overlap.ts decides overlap, as `plan conflicts` does): in
 * separate worktrees both would succeed alone and conflict at the merge, or one would read files the other is
 * rewriting. Limits: each agent's `max_parallel`, and the overall one.
 */
import { globsOverlap } from "./glob-overlap.js";

/** What selection reads of a task. */
export interface SlotTask {
  id: string;
  owner: string;
  files: readonly string[];
  reads: readonly string[];
}

export interface SlotLimits {
  /** Per agent id: at most this many of its tasks at once (absent: 1). */
  perAgent: ReadonlyMap<string, number>;
  /** At most this many in all; null: no overall limit. */
  total: number | null;
}

/** Remembers pattern pairs already compared (a plan repeats a few globs across many tasks). */
export function createOverlapCheck(): (a: string, b: string) => boolean {
  const seen = new Map<string, boolean>();
  return (a, b) => {
    const key = a < b ? `${a}\0${b}` : `${b}\0${a}`;
    let hit = seen.get(key);
    if (hit === undefined) {
      hit = globsOverlap(a, b) !== null;
      seen.set(key, hit);
    }
    return hit;
  };
}

const anyOverlap = (a: readonly string[], b: readonly string[], overlap: (x: string, y: string) => boolean): boolean => a.some((x) => b.some((y) => overlap(x, y)));

/** True when `a` and `b` may not run at the same time. */
export function collides(a: SlotTask, b: SlotTask, overlap: (x: string, y: string) => boolean): boolean {
  return anyOverlap(a.files, b.files, overlap) || anyOverlap(a.reads, b.files, overlap) || anyOverlap(a.files, b.reads, overlap);
}

/** A ready task that waits, and for what: an agent's or the overall limit, or a running task it collides with. */
export interface HeldBack {
  id: string;
  reason: { kind: "agent-limit"; agent: string; limit: number } | { kind: "total-limit"; limit: number } | { kind: "collides"; with: string };
}

/**
 * Walks `ready` in its order (the queue's: dependencies, phases, priority, slack) and takes every task that fits
 * beside `running` and the tasks taken before it. Returns the tasks to start, in order, and why each other one waits.
 */
export function selectStartable<T extends SlotTask>(
  ready: readonly T[],
  running: readonly SlotTask[],
  limits: SlotLimits,
  overlap: (x: string, y: string) => boolean,
  /** Tasks other processes run (workers sharing the queue): they collide, but count against none of these limits. */
  elsewhere: readonly SlotTask[] = [],
): { start: T[]; held: HeldBack[] } {
  const busy: SlotTask[] = [...running];
  const perAgent = new Map<string, number>();
  for (const r of running) perAgent.set(r.owner, (perAgent.get(r.owner) ?? 0) + 1);
  const start: T[] = [];
  const held: HeldBack[] = [];
  for (const task of ready) {
    if (limits.total !== null && busy.length >= limits.total) {
      held.push({ id: task.id, reason: { kind: "total-limit", limit: limits.total } });
      continue;
    }
    const limit = limits.perAgent.get(task.owner) ?? 1;
    if ((perAgent.get(task.owner) ?? 0) >= limit) {
      held.push({ id: task.id, reason: { kind: "agent-limit", agent: task.owner, limit } });
      continue;
    }
    const blocker = busy.find((b) => collides(task, b, overlap)) ?? elsewhere.find((b) => collides(task, b, overlap));
    if (blocker) {
      held.push({ id: task.id, reason: { kind: "collides", with: blocker.id } });
      continue;
    }
    start.push(task);
    busy.push(task);
    perAgent.set(task.owner, (perAgent.get(task.owner) ?? 0) + 1);
  }
  return { start, held };
}

/**
 * Capped, jittered exponential backoff before retry number `retry` (1 for the first retry): 2 s, 4 s, 8 s … up to
 * 60 s, each scaled by a factor in [0.5, 1) from `unit` (a value in [0, 1): derived from the task and attempt, so that
 * every worker computes the same delay).
 */
export function retryDelayMs(retry: number, unit: number, baseMs = 2000, capMs = 60_000): number {
  const full = Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
  return Math.round(full * (0.5 + unit / 2));
}

/** A stable value in [0, 1) from text (FNV-1a), for jitter every process agrees on. */
export function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}

/** What `planWaves` reads of a task. */
export interface WaveTask extends SlotTask {
  phase: string;
  dependsOn: readonly string[];
}

export interface WavePlan {
  /** Tasks started together, wave after wave, each wave assumed done before the next. */
  waves: string[][];
  /** Tasks no wave reaches, each with why: a person's task, a blocked one, or what it waits for. */
  left: { id: string; reason: string }[];
}

/**
 * What `shipgate run --dry-run` prints: the tasks in queue order grouped into waves, as the dispatcher would start
 * them if every attempt succeeded and took as long as the others. `state` gives the stored state (done tasks count
 * as done; blocked ones never start); `runnable` says which owners shipgate runs (not people, not agents left out).
 */
export function planWaves(
  tasks: readonly WaveTask[],
  state: (id: string) => string,
  phaseWaits: Readonly<Record<string, readonly string[]>>,
  runnable: (owner: string) => boolean,
  limits: SlotLimits,
  overlap: (x: string, y: string) => boolean,
): WavePlan {
  const done = new Set(tasks.filter((t) => state(t.id) === "done").map((t) => t.id));
  const openInPhase = new Map<string, number>();
  for (const t of tasks) if (!done.has(t.id)) openInPhase.set(t.phase, (openInPhase.get(t.phase) ?? 0) + 1);
  const waves: string[][] = [];
  let open = tasks.filter((t) => !done.has(t.id));
  const isReady = (t: WaveTask) =>
    runnable(t.owner) && state(t.id) !== "blocked" && t.dependsOn.every((d) => done.has(d)) && (phaseWaits[t.phase] ?? []).every((p) => (openInPhase.get(p) ?? 0) === 0);
  for (;;) {
    const { start } = selectStartable(open.filter(isReady), [], limits, overlap);
    if (start.length === 0) break;
    waves.push(start.map((t) => t.id));
    for (const t of start) {
      done.add(t.id);
      openInPhase.set(t.phase, (openInPhase.get(t.phase) ?? 1) - 1);
    }
    open = open.filter((t) => !done.has(t.id));
  }
  const left = open.map((t) => {
    const waits = t.dependsOn.filter((d) => !done.has(d));
    const reason = !runnable(t.owner)
      ? `${t.owner}'s task: not run by shipgate here`
      : state(t.id) === "blocked"
        ? "blocked"
        : waits.length > 0
          ? `waits for ${waits.join(", ")}`
          : `waits for phase ${(phaseWaits[t.phase] ?? []).filter((p) => (openInPhase.get(p) ?? 0) > 0).join(", ")}`;
    return { id: t.id, reason };
  });
  return { waves, left };
}
