import type { RunOutcome, RunUsage, TaskRun } from "../store/types.js";
import { stripControls } from "./sanitize.js";
import { oneLine } from "./text.js";

/** One run as `shipgate task runs --json` prints it (docs/json-output.md). */
export interface RunView {
  run: number;
  task: string;
  agent: string;
  attempt: number;
  /** Null while the run holds its task (running). */
  outcome: RunOutcome | null;
  exitCode: number | null;
  startedAt: string;
  endedAt: string | null;
  /** endedAt − startedAt; null while running. */
  durationMs: number | null;
  /** As the runner stored it: relative to the project root (`.shipgate/runs/17.log`), or null. */
  log: string | null;
  usage: RunUsage | null;
  note: string | null;
  /** When the run is lost without a heartbeat; meaningful while it runs. */
  leaseExpiresAt: string;
}

const ms = (iso: string) => Date.parse(iso);

export function runView(run: TaskRun): RunView {
  return {
    run: run.id,
    task: run.taskId,
    agent: run.agent,
    attempt: run.attempt,
    outcome: run.outcome,
    exitCode: run.exitCode,
    startedAt: run.startedAt,
    endedAt: run.endedAt,
    durationMs: run.endedAt === null ? null : Math.max(0, ms(run.endedAt) - ms(run.startedAt)),
    log: run.log,
    usage: run.usage,
    note: run.note,
    leaseExpiresAt: run.leaseExpiresAt,
  };
}

/** A length of time as people read it: "850 ms", "42 s", "3m 05s", "2h 03m". */
export function durationText(millis: number): string {
  const d = Math.max(0, Math.round(millis));
  if (d < 1000) return `${d} ms`;
  // Tenths below 10 s: 1 972 ms is "2.0 s", never "1 s".
  if (d < 10_000) return `${(d / 1000).toFixed(1)} s`;
  const s = Math.round(d / 1000);
  if (s < 60) return `${s} s`;
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 3600) return `${Math.floor(s / 60)}m ${pad(s % 60)}s`;
  return `${Math.floor(s / 3600)}h ${pad(Math.floor(s / 60) % 60)}m`;
}

/** "running, lease expires in 42 s" / "running, lease expired 3m 05s ago" (a worker that stopped heartbeating). */
export function leaseText(run: Pick<TaskRun, "leaseExpiresAt">, now: string): string {
  const left = ms(run.leaseExpiresAt) - ms(now);
  return left >= 0 ? `lease expires in ${durationText(left)}` : `lease expired ${durationText(-left)} ago`;
}

const count = (n: number) => (n >= 10_000 ? `${Math.round(n / 1000).toLocaleString("en-US")}k` : n.toLocaleString("en-US"));

/** Tokens and cost as far as the agent reported them: "12k in, 804 out, $0.42"; "" when it reported nothing. */
export function usageText(usage: RunUsage | null): string {
  if (!usage) return "";
  const parts: string[] = [];
  if (usage.inputTokens !== undefined) parts.push(`${count(usage.inputTokens)} in`);
  if (usage.outputTokens !== undefined) parts.push(`${count(usage.outputTokens)} out`);
  if (usage.costUsd !== undefined) parts.push(`$${usage.costUsd.toFixed(2)}`);
  return parts.join(", ");
}

/** A stored time as "2026-12-01 09:00:05" (UTC, as stored). */
const timeText = (iso: string) => iso.replace("T", " ").slice(0, 19);

/**
 * The table of `shipgate task runs`: one row per run in the order given (oldest first), the run's note on an
 * indented line under it. Store text (agents, notes, log paths) is put on one line with no control characters.
 */
export function renderRunsTable(runs: TaskRun[], options: { now: string }): string {
  if (runs.length === 0) return "no runs\n";
  const header = ["RUN", "TASK", "AGENT", "ATTEMPT", "OUTCOME", "EXIT", "STARTED (UTC)", "DURATION", "USAGE", "LOG"];
  const rows = runs.map((run) => {
    const running = run.endedAt === null;
    const duration = running ? `${durationText(ms(options.now) - ms(run.startedAt))} so far` : durationText(ms(run.endedAt as string) - ms(run.startedAt));
    return [
      String(run.id),
      oneLine(run.taskId),
      oneLine(run.agent),
      String(run.attempt),
      running ? `running, ${leaseText(run, options.now)}` : (run.outcome ?? ""),
      run.exitCode === null ? "" : String(run.exitCode),
      timeText(run.startedAt),
      duration,
      usageText(run.usage),
      run.log === null ? "" : oneLine(run.log),
    ];
  });
  // The last column is not padded: no trailing spaces.
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join("  ").trimEnd();
  const out = [line(header)];
  runs.forEach((run, i) => {
    out.push(line(rows[i] as string[]));
    if (run.note) out.push(`    ↳ ${oneLine(run.note)}`);
  });
  return `${out.join("\n")}\n`;
}

/** Longest stretch without a line break held back before it is cleaned anyway (an escape sequence never spans a line). */
const HOLD_MAX = 64 * 1024;

/**
 * Cleans a log streamed to a terminal, chunk by chunk: escape sequences, controls and bidi overrides removed
 * (report/sanitize `stripControls`), so an agent's output cannot move the cursor, retitle the window or hide text.
 * Text is cleaned a whole line at a time, so a sequence split between two chunks is still recognized; `end` flushes
 * the rest.
 */
export function createLogCleaner(): { push: (chunk: string) => string; end: () => string } {
  let held = "";
  return {
    push(chunk) {
      const text = held + chunk;
      const cut = text.lastIndexOf("\n") + 1;
      if (cut === 0 && text.length < HOLD_MAX) {
        held = text;
        return "";
      }
      const at = cut === 0 ? text.length : cut;
      held = text.slice(at);
      return stripControls(text.slice(0, at));
    },
    end() {
      const rest = held;
      held = "";
      return stripControls(rest);
    },
  };
}
