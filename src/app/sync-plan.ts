import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import type { Plan } from "../plan/types.js";
import type { StoredPlan, Store } from "../store/types.js";
import { QueueError } from "./queue/errors.js";

export interface SyncedPlan {
  stored: StoredPlan;
  /** True when this call imported a new version of the plan. */
  imported: boolean;
}

/**
 * Makes the store hold the plan file as it is: re-imported only when its content hash changed, so task
 * states survive and an unchanged plan costs one file read and a hash (no YAML parsing). `loaded`: the
 * plan the caller already loaded from `planPath`.
 */
export async function syncPlan(store: Store, planPath: string, options: { cwd: string; at: string; loaded?: { plan: Plan; hash: string } }): Promise<SyncedPlan> {
  if (options.loaded) {
    // The caller already read and validated the file: compare its hash, parse nothing again.
    const current = await store.getPlan({ content: false });
    if (current?.hash === options.loaded.hash) return { stored: current, imported: false };
    const { stored } = await importLoaded(store, options.loaded.plan, options.loaded.hash, planPath, options.at);
    return { stored, imported: true };
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(planPath);
  } catch (error) {
    throw new QueueError("NOT_FOUND", `[plan] ${planPath}: ${(error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message}`, { kind: "plan-missing", file: planPath }, {
      hint: "write shipgate.plan.yaml, or name the plan file to use (docs/plan.md)",
      cause: error,
    });
  }
  const hash = createHash("sha256").update(bytes).digest("hex");
  const current = await store.getPlan({ content: false });
  if (current?.hash === hash) return { stored: current, imported: false };
  // Loaded here, not at the top: an unchanged plan (every `task next` an agent runs in a loop) needs neither the
  // YAML parser nor the plan schema (zod, ~100 modules), and loading them was most of that command's start-up.
  const { loadPlan } = await import("../config/load-plan.js");
  const loaded = await loadPlan(planPath, { cwd: options.cwd });
  const { stored } = await importLoaded(store, loaded.plan, loaded.hash, planPath, options.at);
  return { stored, imported: true };
}

/**
 * Per phase, every phase it waits for, directly or transitively (an empty phase in between does not break
 * the chain). Phases are few, so the closure is small; the queue checks it instead of copying phase order
 * into every task's dependencies. Pure.
 */
export function phaseWaits(plan: Plan): Record<string, string[]> {
  const direct = new Map(plan.phases.map((p) => [p.id, p.dependsOn]));
  const out: Record<string, string[]> = {};
  for (const phase of plan.phases) {
    const seen = new Set<string>();
    const stack = [...phase.dependsOn];
    while (stack.length > 0) {
      const next = stack.pop() as string;
      if (seen.has(next) || next === phase.id) continue;
      seen.add(next);
      stack.push(...(direct.get(next) ?? []));
    }
    if (seen.size > 0) out[phase.id] = [...seen].sort();
  }
  return out;
}

/** Imports a validated plan, its tasks in the plan order (src/plan/order.ts), which is the order the queue hands them out in. */
export async function importLoaded(store: Store, plan: Plan, hash: string, source: string, at: string): Promise<{ stored: StoredPlan; changed: boolean }> {
  // On demand, as loadPlan above: only an import needs the plan's analysis.
  const [{ criticalPath }, { planOrder }, { taskMaxAttempts }] = await Promise.all([import("../plan/critical-path.js"), import("../plan/order.js"), import("../plan/execution.js")]);
  const timing = criticalPath(plan);
  const slack = new Map(timing.tasks.map((t) => [t.id, t.slack]));
  const kinds = new Map(plan.agents.map((a) => [a.id, a.kind]));
  const result = await store.importPlan({
    hash,
    source,
    content: plan,
    tasks: planOrder(plan, timing).map((t) => ({ id: t.id, title: t.title, owner: t.owner, priority: t.priority, slack: slack.get(t.id) ?? 0, dependsOn: t.dependsOn, phase: t.phase, maxAttempts: taskMaxAttempts(t, kinds.get(t.owner)) })),
    phaseWaits: phaseWaits(plan),
  }, at);
  return { stored: result.plan, changed: result.changed };
}
