/** The live table `shipgate run` keeps under its event lines on a terminal: one row per running attempt. */

export interface LiveRow {
  task: string;
  agent: string;
  attempt: string;
  step: string;
  /** When the attempt started (ms since the epoch). */
  since: number;
}

const fit = (text: string, width: number): string => (text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width));

/**
 * The table's lines (none when nothing runs), at most `maxRows` rows (then "… and N more"), each cut to `columns`.
 * Pure: the caller moves the cursor.
 */
export function renderRunTable(rows: readonly LiveRow[], now: number, columns: number, maxRows: number): string[] {
  if (rows.length === 0) return [];
  const taskWidth = Math.min(24, Math.max(4, ...rows.map((r) => r.task.length)));
  const agentWidth = Math.min(16, Math.max(5, ...rows.map((r) => r.agent.length)));
  const line = (task: string, agent: string, attempt: string, step: string, time: string) =>
    `  ${fit(task, taskWidth)}  ${fit(agent, agentWidth)}  ${fit(attempt, 7)}  ${fit(step, 10)}  ${time}`.trimEnd().slice(0, Math.max(10, columns - 1));
  const shown = rows.length > maxRows ? rows.slice(0, Math.max(1, maxRows - 1)) : rows;
  const out = [line("TASK", "AGENT", "ATTEMPT", "STEP", "TIME")];
  for (const r of shown) out.push(line(r.task, r.agent, r.attempt, r.step, elapsed(now - r.since)));
  if (shown.length < rows.length) out.push(`  … and ${rows.length - shown.length} more running`);
  return out;
}

/** "7s", "3m 05s", "1h 02m". */
export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}
