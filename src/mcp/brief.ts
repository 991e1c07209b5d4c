import { executionOf } from "../plan/execution.js";
import type { Plan } from "../plan/types.js";
import { commitExample, fileOwnership } from "../report/plan-docs.js";
import { codeSpan, mdEscape } from "../report/text.js";
import type { TaskRecord, TaskRun } from "../store/types.js";

export interface BriefInput {
  plan: Plan;
  task: TaskRecord;
  run: TaskRun;
  /** The task's previous attempt, when this claim is a retry. */
  previous: TaskRun | undefined;
  heartbeatSeconds: number;
  /** Ids of the tasks done: their files are no longer off-limits. */
  done: ReadonlySet<string>;
  /** The server's directory is in git: complete_task checks what changed against the task's files. */
  ownershipChecked: boolean;
  /** Files the checkout had not committed when the task was claimed (they will count as the task's changes). */
  dirty: readonly string[];
}

/** The longest list of files a brief names; the rest is counted. */
const MAX_LIST = 30;
const listed = (items: readonly string[], separator = ", ") => `${items.slice(0, MAX_LIST).join(separator)}${items.length > MAX_LIST ? `${separator}and ${items.length - MAX_LIST} more` : ""}`;

/**
 * What an agent that claimed a task through MCP needs to do it: the task, what it owns and must leave alone, how it is
 * judged done, and the calls that keep and end the lease (in the MCP tools' words, never the CLI's flags).
 */
export function renderTaskBrief({ plan, task, run, previous, heartbeatSeconds, done, ownershipChecked, dirty }: BriefInput): string {
  const definition = plan.tasks.find((t) => t.id === task.id);
  const out: string[] = [`# ${task.id} — ${mdEscape(task.title)}`, ""];
  out.push(`${task.priority}, phase ${task.phase}, attempt ${run.attempt}${task.maxAttempts === null ? "" : ` of ${task.maxAttempts}`}; you hold it as run ${run.id}, epoch ${run.epoch}.`, "");
  if (definition) {
    for (const deliverable of definition.deliverables) out.push(`- Deliverable: ${mdEscape(deliverable)}`);
    // The rule of `shipgate run`'s brief: the files of every task not done yet, whoever's, are off-limits.
    const open = plan.tasks.filter((t) => t.id !== definition.id && !done.has(t.id));
    const { own, foreign, shared } = fileOwnership([definition], open);
    const sharedNote = (pattern: string) => {
      const partners = shared.get(pattern);
      return partners ? ` (also ${[...new Set(partners)].join(", ")}'s, not done yet: change only what this task needs)` : "";
    };
    if (own.size) out.push(`- Change only: ${listed([...own.keys()].map((p) => `${codeSpan(p)}${sharedNote(p)}`))}`);
    if (definition.reads.length) out.push(`- Read only: ${listed(definition.reads.map(codeSpan))}`);
    const forbidden = [...foreign].filter(([pattern]) => !own.has(pattern)).sort((a, b) => a[0].localeCompare(b[0]));
    if (forbidden.length) out.push(`- Do not modify (tasks not done yet): ${listed(forbidden.map(([pattern, owners]) => `${codeSpan(pattern)} ${[...owners].join(", ")}`), "; ")}`);
    if (ownershipChecked) {
      const mode = executionOf(plan).ownership === "enforce" ? "fails complete_task until reverted" : "is reported";
      out.push(`- complete_task checks every file changed in this checkout since your claim, committed or not: a change ${own.size ? "outside your files" : "to any file (this task declares none)"} ${mode}`);
    } else {
      out.push("- Not a git repository: complete_task cannot check which files you changed; keep to your files");
    }
    out.push(`- Done when: ${definition.acceptance ? `${codeSpan(definition.acceptance)} passes (complete_task runs it)` : "its deliverables exist (it has no acceptance command)"}`);
  }
  if (dirty.length) out.push(`- Uncommitted already when you claimed it (they count as your changes): ${listed(dirty.map(codeSpan))}`);
  if (previous) out.push(`- The previous attempt ended ${previous.outcome ?? "unfinished"}${previous.note ? `: ${mdEscape(previous.note.split("\n")[0] ?? "")}` : ""}`);
  out.push(
    "",
    `Call heartbeat (run ${run.id}, epoch ${run.epoch}) at least every ${heartbeatSeconds} s while you work; LEASE_LOST means another agent may take the task: stop.`,
    `When the work is in place, commit it (e.g. ${codeSpan(commitExample(plan.commitConvention, task))}), then call complete_task; when it failed, fail_task with the reason; to give it back untouched, release_task.`,
  );
  return `${out.join("\n")}\n`;
}
