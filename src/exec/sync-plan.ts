import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { loadPlan } from "../config/load-plan.js";
import { ShipgateError } from "../errors.js";
import { criticalPath } from "../plan/critical-path.js";
import type { Plan } from "../plan/types.js";
import type { StoredPlan, Store } from "../store/types.js";

export interface SyncedPlan {
  stored: StoredPlan;
  /** True when this call imported a new version of the plan. */
  imported: boolean;
}

/**
 * Makes the store hold the plan file as it is: re-imported only when its content hash changed, so task
 * states survive and an unchanged plan costs one file read and a hash (no YAML parsing).
 */
export async function syncPlan(store: Store, planPath: string, options: { cwd: string }): Promise<SyncedPlan> {
  let bytes: Buffer;
  try {
    bytes = await readFile(planPath);
  } catch (error) {
    throw new ShipgateError("NOT_FOUND", `[plan] ${planPath}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`, {
      hint: "pass --plan FILE, or write shipgate.plan.yaml (docs/plan.md)",
      cause: error,
    });
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  const current = await store.getPlan({ content: false });
  if (current?.hash === hash) return { stored: current, imported: false };
  const loaded = await loadPlan(planPath, { cwd: options.cwd });
  const { stored } = await importLoaded(store, loaded.plan, loaded.hash, planPath);
  return { stored, imported: true };
}

/**
 * Each task's dependencies as the task queue sees them: its own, plus — when its phase depends on other
 * phases — the last tasks of those phases (the ones no other task of the same phase waits for), so that
 * a task of "release" is not ready before "tests" is finished. Pure.
 */
export function effectiveDependencies(plan: Plan): Map<string, string[]> {
  const phaseOf = new Map(plan.tasks.map((t) => [t.id, t.phase]));
  const waitedOn = new Set<string>();
  for (const t of plan.tasks) for (const d of t.dependsOn) if (phaseOf.get(d) === t.phase) waitedOn.add(d);
  const sinks = new Map<string, string[]>();
  for (const t of plan.tasks) if (!waitedOn.has(t.id)) sinks.set(t.phase, [...(sinks.get(t.phase) ?? []), t.id]);
  const phaseDeps = new Map(plan.phases.map((p) => [p.id, p.dependsOn]));
  const out = new Map<string, string[]>();
  for (const t of plan.tasks) {
    const extra = (phaseDeps.get(t.phase) ?? []).flatMap((p) => sinks.get(p) ?? []);
    out.set(t.id, extra.length === 0 ? t.dependsOn : [...new Set([...t.dependsOn, ...extra])]);
  }
  return out;
}

/** Imports a validated plan with each task's slack (the claim order uses it). */
export async function importLoaded(store: Store, plan: Plan, hash: string, source: string): Promise<{ stored: StoredPlan; changed: boolean }> {
  const slack = new Map(criticalPath(plan).tasks.map((t) => [t.id, t.slack]));
  const deps = effectiveDependencies(plan);
  const result = await store.importPlan({
    hash,
    source,
    content: plan,
    tasks: plan.tasks.map((t) => ({ id: t.id, title: t.title, owner: t.owner, priority: t.priority, slack: slack.get(t.id) ?? 0, dependsOn: deps.get(t.id) ?? t.dependsOn })),
  });
  return { stored: result.plan, changed: result.changed };
}
