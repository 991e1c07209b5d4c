// complete_task's ownership check, as `shipgate run` does it on an attempt's diff: every file the checkout changed since
// the claim must match the task's `files`. Pure: the server gathers the changes (checkout.ts).
import { filesOutside, taskFilesMatcher } from "../plan/task-files.js";
import type { PlanExecution, PlanTask } from "../plan/types.js";
import type { CheckoutChanges } from "./checkout.js";

/** The most paths a result lists; the text counts the rest. */
export const MAX_LISTED_FILES = 100;

export interface OwnershipJudgement {
  /** `failed` only under `execution.ownership: enforce`; `warned` under `warn`. */
  verdict: "passed" | "failed" | "warned";
  /** Changed files outside the task's `files`, sorted (committed since the claim or not). */
  outside: string[];
  /** The uncommitted changes, sorted (allowed: the agent commits them; listed so that it knows). */
  uncommitted: string[];
  /** For the first outside files, the other tasks whose `files` hold them. */
  owners: Map<string, string[]>;
}

/** Judges `changes` against `task`'s files; `others` are the plan's other tasks (to say whose a stray file is). */
export function judgeOwnership(task: Pick<PlanTask, "id" | "files">, others: readonly Pick<PlanTask, "id" | "files">[], changes: CheckoutChanges, mode: PlanExecution["ownership"]): OwnershipJudgement {
  const changed = [...new Set([...changes.committed, ...changes.uncommitted])].sort();
  const outside = filesOutside(changed, task.files);
  const owners = new Map<string, string[]>();
  if (outside.length > 0) {
    const named = outside.slice(0, 10);
    for (const other of others) {
      if (other.id === task.id || other.files.length === 0) continue;
      const match = taskFilesMatcher(other.files);
      for (const file of named) if (match(file)) owners.set(file, [...(owners.get(file) ?? []), other.id]);
    }
  }
  const verdict = outside.length === 0 ? "passed" : mode === "enforce" ? "failed" : "warned";
  return { verdict, outside, uncommitted: [...new Set(changes.uncommitted)].sort(), owners };
}

/** `a, b and 3 more`, each file with the tasks it belongs to. */
export function describeFiles(files: readonly string[], owners: ReadonlyMap<string, string[]> = new Map(), max = 10): string {
  const named = files.slice(0, max).map((f) => {
    const tasks = owners.get(f);
    return tasks ? `${f} (belongs to ${tasks.slice(0, 3).join(", ")}${tasks.length > 3 ? "…" : ""})` : f;
  });
  return named.join(", ") + (files.length > max ? ` and ${files.length - max} more` : "");
}
