import type { Plan } from "../plan/types.js";
import { codeSpan, mdEscape } from "../report/text.js";
import type { TaskRecord, TaskRun } from "../store/types.js";

export interface BriefInput {
  plan: Plan;
  task: TaskRecord;
  run: TaskRun;
  /** The task's previous attempt, when this claim is a retry. */
  previous: TaskRun | undefined;
  heartbeatSeconds: number;
}

/**
 * What an agent that claimed a task through MCP needs to do it: the task, what it owns and must leave alone, how it is
 * judged done, and the calls that keep and end the lease (in the MCP tools' words, never the CLI's flags).
 */
export function renderTaskBrief({ plan, task, run, previous, heartbeatSeconds }: BriefInput): string {
  const definition = plan.tasks.find((t) => t.id === task.id);
  const out: string[] = [`# ${task.id} — ${mdEscape(task.title)}`, ""];
  out.push(`${task.priority}, phase ${task.phase}, attempt ${run.attempt}${task.maxAttempts === null ? "" : ` of ${task.maxAttempts}`}; you hold it as run ${run.id}, epoch ${run.epoch}.`, "");
  if (definition) {
    for (const deliverable of definition.deliverables) out.push(`- Deliverable: ${mdEscape(deliverable)}`);
    if (definition.files.length) out.push(`- Change only: ${definition.files.map(codeSpan).join(", ")}`);
    if (definition.reads.length) out.push(`- Read only: ${definition.reads.map(codeSpan).join(", ")}`);
    const others = new Set(plan.tasks.filter((t) => t.owner !== task.owner).flatMap((t) => t.files));
    for (const own of definition.files) others.delete(own);
    if (others.size) out.push(`- Do not modify (other agents' files): ${[...others].slice(0, 30).map(codeSpan).join(", ")}${others.size > 30 ? `, and ${others.size - 30} more` : ""}`);
    out.push(`- Done when: ${definition.acceptance ? `${codeSpan(definition.acceptance)} passes (complete_task runs it)` : "its deliverables exist (it has no acceptance command)"}`);
  }
  if (previous) out.push(`- The previous attempt ended ${previous.outcome ?? "unfinished"}${previous.note ? `: ${mdEscape(previous.note.split("\n")[0] ?? "")}` : ""}`);
  out.push(
    "",
    `Call heartbeat (run ${run.id}, epoch ${run.epoch}) at least every ${heartbeatSeconds} s while you work; LEASE_LOST means another agent may take the task: stop.`,
    "When the work is in place, call complete_task; when it failed, fail_task with the reason; to give it back untouched, release_task.",
  );
  return `${out.join("\n")}\n`;
}
