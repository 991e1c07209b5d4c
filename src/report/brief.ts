/**
 * The brief a `cli` agent receives for one attempt at one task (the `{prompt}` and `{prompt_file}` of its command
 * template): the task, the files it may change, read, and must leave alone, how its work is judged, how to commit,
 * what is done already, and on a retry why the last attempt failed. Pure: the dispatcher gathers the input.
 * Every list is bounded, so a plan of 100 000 tasks still gives a brief of a few KB.
 */
import { executionOf, taskRetries } from "../plan/execution.js";
import type { Plan } from "../plan/types.js";
import type { RunOutcome } from "../store/types.js";
import { agentKindPhrase, commitExample, fileOwnership } from "./plan-docs.js";
import { boundLines, stripControls } from "./sanitize.js";
import { codeSpan, mdEscape } from "./text.js";

/** The longest list a brief shows (files, tasks); the rest is counted. */
export const BRIEF_MAX_LIST = 50;
/** The most lines of the last attempt's output a retry's brief quotes. */
export const BRIEF_MAX_TAIL_LINES = 80;

export interface BriefFailure {
  outcome: RunOutcome;
  /** Why, in shipgate's words ("acceptance exited 1", "changed files it does not own: a.ts"); null when not known. */
  note: string | null;
  /** The end of its output (terminal escapes and all: the brief cleans it). */
  tail: string;
}

export interface BriefInput {
  plan: Plan;
  taskId: string;
  /** The tasks done already, in the order they were done. */
  done: readonly { id: string; title: string }[];
  /** This attempt's number (1 for the first). */
  attempt: number;
  /** Attempts the task gets in all; default 1 + its retries. */
  maxAttempts?: number;
  /** How the previous attempt failed; null on a first attempt (or when nothing is known of it). */
  previousFailure: BriefFailure | null;
  /** How commit messages name tasks; default the plan's `commit_convention`. */
  commitConvention?: string;
  /** Where the attempt works (its git worktree, or the project directory). */
  workspace: string;
}

/** A list of at most BRIEF_MAX_LIST items, then how many more. */
function bounded(items: readonly string[]): string[] {
  if (items.length <= BRIEF_MAX_LIST) return [...items];
  return [...items.slice(0, BRIEF_MAX_LIST), `- … and ${items.length - BRIEF_MAX_LIST} more`];
}

/** Text as a fenced block: controls and escapes removed, fenced with more backticks than any run inside. */
function fenced(text: string, info: string): string[] {
  const body = stripControls(text).replace(/\n+$/, "");
  let longest = 0;
  let run = 0;
  for (let i = 0; i < body.length; i++) {
    run = body.charCodeAt(i) === 0x60 ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const fence = "`".repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, body, fence];
}

const OUTCOME_WORDS: Record<RunOutcome, string> = {
  done: "done",
  failed: "failed",
  error: "could not run",
  timeout: "timed out",
  cancelled: "cancelled",
  lost: "lost: its worker stopped renewing the lease",
};

/** The brief for `input.taskId`, as markdown. Throws when the plan has no such task (a caller's bug). */
export function renderBrief(input: BriefInput): string {
  const { plan } = input;
  const task = plan.tasks.find((t) => t.id === input.taskId);
  if (!task) throw new Error(`no task ${input.taskId} in the plan`);
  const agent = plan.agents.find((a) => a.id === task.owner);
  const execution = executionOf(plan);
  const doneIds = new Set(input.done.map((d) => d.id));
  const open = plan.tasks.filter((t) => t.id !== task.id && !doneIds.has(t.id));
  const { own, foreign, shared } = fileOwnership([task], open);
  const maxAttempts = Math.max(input.maxAttempts ?? 1 + taskRetries(task), input.attempt);
  const phase = plan.phases.find((p) => p.id === task.phase);
  const convention = input.commitConvention ?? plan.commitConvention;
  const out: string[] = [];

  out.push(`# ${task.id} — ${mdEscape(task.title)}`, "");
  out.push(
    `You are **${task.owner}**${agent ? `, ${agentKindPhrase(agent)}` : ""}, working on one task of the plan${plan.project ? ` **${mdEscape(plan.project)}**` : ""}, run by shipgate. ` +
      `Work in ${codeSpan(input.workspace)} and nowhere else. When you exit, shipgate checks your work (see *When you are done*); the task is done only when every check passes.`,
    "",
  );
  out.push(`- Task **${task.id}**, phase **${task.phase}**${phase && phase.name !== task.phase ? ` (${mdEscape(phase.name)})` : ""}, priority **${task.priority}**`);
  out.push(`- Attempt ${input.attempt} of ${maxAttempts}`, "");

  if (input.attempt > 1 || input.previousFailure) {
    out.push("## The last attempt", "");
    const failure = input.previousFailure;
    if (failure === null) {
      out.push(`Attempt ${input.attempt} of ${maxAttempts}: an earlier attempt did not finish. Check what it left in the workspace before you start over.`, "");
    } else {
      const how = failure.outcome === "failed" ? "" : ` (${OUTCOME_WORDS[failure.outcome]})`;
      out.push(`Attempt ${input.attempt} of ${maxAttempts}: the last attempt failed${how}${failure.note ? `: ${mdEscape(failure.note)}` : "."}`, "");
      const tail = boundLines(failure.tail, { maxLines: BRIEF_MAX_TAIL_LINES, keep: "tail" }).trim();
      if (tail !== "") out.push("Its output ended with:", "", ...fenced(tail, "text"), "");
      out.push("Fix the cause; do not repeat what failed.", "");
    }
  }

  out.push("## Deliverables", "");
  if (task.deliverables.length === 0) out.push("None listed: the title says what to do.");
  for (const deliverable of bounded(task.deliverables.map((d) => `- ${mdEscape(d)}`))) out.push(deliverable);
  out.push("");

  out.push("## Files", "");
  const check =
    execution.ownership === "enforce" ? "a change to any other file fails the attempt" : "a change to any other file is reported";
  if (own.size === 0) {
    out.push(`This task changes no files: shipgate checks your diff, and ${check}.`);
  } else {
    out.push(`You may change only these (shipgate checks your diff: ${check}):`, "");
    const ownLines = [...own.keys()].map((pattern) => {
      const others = shared.get(pattern);
      return `- ${codeSpan(pattern)}${others ? ` — also in ${[...new Set(others)].join(", ")}, not done yet: change only what this task needs` : ""}`;
    });
    out.push(...bounded(ownLines));
  }
  out.push("");
  if (task.reads.length > 0) {
    out.push("Read these for context; do not change them:", "", ...bounded(task.reads.map((r) => `- ${codeSpan(r)}`)), "");
  }
  const forbidden = [...foreign].filter(([pattern]) => !own.has(pattern)).sort((a, b) => a[0].localeCompare(b[0]));
  if (forbidden.length > 0) {
    out.push("Do not touch these, except where they are your files above: they belong to tasks not done yet.", "");
    out.push(...bounded(forbidden.map(([pattern, owners]) => `- ${codeSpan(pattern)} — ${[...owners].join(", ")}`)), "");
  }

  out.push("## When you are done", "");
  out.push(`Commit your work with a message in the plan's convention ${codeSpan(convention)}, e.g. ${codeSpan(commitExample(convention, task))}. Then exit.`, "");
  if (task.acceptance) {
    out.push("The acceptance command: shipgate runs it in your workspace after you exit; your work counts only when it passes.", "");
    out.push(...fenced(task.acceptance, "sh"), "");
  } else {
    out.push("This task has no acceptance command: it counts as done when you exit with status 0 and your changes stay within your files.", "");
  }
  if (execution.gate) out.push(`Then the quality gate **${mdEscape(execution.gate)}** of shipgate.yaml must pass in your workspace (${codeSpan(`shipgate gate --gate ${execution.gate}`)}).`, "");

  out.push("## Done already", "");
  if (input.done.length === 0) out.push("Nothing yet: this is among the first tasks.");
  // The task's own prerequisites first: they are what it builds on.
  const deps = new Set(task.dependsOn);
  const doneOrdered = [...input.done.filter((d) => deps.has(d.id)), ...input.done.filter((d) => !deps.has(d.id))];
  out.push(...bounded(doneOrdered.map((d) => `- ${d.id} — ${mdEscape(d.title)}${deps.has(d.id) ? " (this task builds on it)" : ""}`)));
  return `${out.join("\n")}\n`;
}

