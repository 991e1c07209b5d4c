import { once } from "node:events";
import { ShipgateError } from "../../errors.js";
import type { Store } from "../../store/types.js";
import { now } from "../clock.js";
import { writeReport, type CliIo, type CommonOptions } from "../output.js";
import { parseCount } from "../parse-args.js";
import { shellWord } from "../queue-hints.js";

export interface TaskRunsOptions extends CommonOptions {
  agent?: string;
  open?: boolean;
  limit?: string;
  tail?: string;
}

/** How many runs `task runs` shows without --limit: the newest ones. */
export const DEFAULT_RUNS_LIMIT = 50;

/** Reads the store only: without one there are no runs, and none is created. */
async function withRunStore<T>(options: TaskRunsOptions, io: CliIo, work: (store: Store) => Promise<T>): Promise<T> {
  const { withStore } = await import("../../store/open-store.js");
  return withStore(options.db, { cwd: options.cwd, at: now(io.env), emptyIfMissing: true }, work);
}

/** `shipgate task runs [ID]`: the runs (attempts) of every task or one, oldest first, the newest --limit of them. */
export async function taskRunsCommand(id: string | undefined, options: TaskRunsOptions, io: CliIo): Promise<number> {
  const limit = options.limit === undefined ? DEFAULT_RUNS_LIMIT : parseCount(options.limit, "--limit");
  const at = now(io.env);
  const runs = await withRunStore(options, io, async (store) => {
    if (id !== undefined && !(await store.getTask(id))) {
      throw new ShipgateError("NOT_FOUND", `[task] no task "${id}" in ${store.location}`, { hint: "`shipgate task list` lists the tasks; `shipgate task runs` without an id lists every run" });
    }
    const all = await store.listRuns({
      ...(id === undefined ? {} : { taskId: id }),
      ...(options.agent === undefined ? {} : { agent: options.agent }),
      ...(options.open ? { open: true } : {}),
    });
    // The store reads runs in start order and limits from the oldest: the newest are the last ones.
    return all.slice(-limit);
  });
  const { renderRunsTable, runView } = await import("../../report/runs.js");
  if (options.json) io.stdout(`${JSON.stringify(runs.map(runView), null, 2)}\n`);
  else writeReport(io, renderRunsTable(runs, { now: at }));
  return 0;
}

/** Parses a run id as `task runs` shows it ("17" or "#17"). */
function runIdOf(value: string): number {
  const m = /^#?(\d+)$/.exec(value);
  if (!m) throw new ShipgateError("USAGE", `[task] "${value}" is not a run id: use the number \`shipgate task runs\` shows (e.g. 17)`);
  return Number(m[1]);
}

/** Writes and, when the pipe is full, waits until it drains: a 100 MB log is never held in memory. */
async function write(io: CliIo, text: string): Promise<void> {
  if (text === "") return;
  io.stdout(text);
  if (process.stdout.writableNeedDrain) await once(process.stdout, "drain");
}

/** `shipgate task log RUN [--tail N]`: prints a run's log file, streamed; cleaned of escape sequences on a terminal. */
export async function taskLogCommand(value: string, options: TaskRunsOptions, io: CliIo): Promise<number> {
  const runId = runIdOf(value);
  const tail = options.tail === undefined ? undefined : parseCount(options.tail, "--tail");
  const [{ locateRunLog, readRunLog, RUNS_DIR }, { createLogCleaner }] = await Promise.all([import("../../app/run/run-log.js"), import("../../report/runs.js")]);
  const { run, shared, location } = await withRunStore(options, io, async (store) => ({ run: await store.getRun(runId), shared: store.driver === "postgres", location: store.location }));
  if (!run) {
    throw new ShipgateError("NOT_FOUND", `[task] no run ${runId} in ${location}`, { hint: "`shipgate task runs` lists the runs and their ids" });
  }
  const found = await locateRunLog(options.cwd, run.log);
  const what = `run ${run.id} (${run.taskId}, attempt ${run.attempt} by ${run.agent})`;
  const runsHint = `\`shipgate task runs ${shellWord(run.taskId)}\` shows how it ended`;
  switch (found.kind) {
    case "none":
      throw new ShipgateError("NOT_FOUND", `[task] ${what} kept no log${run.note ? `; it ended with: ${run.note}` : ""}`, {
        hint: `a task started by hand (\`shipgate task start\`) or a person's task has none; ${runsHint}`,
      });
    case "outside":
      throw new ShipgateError("NOT_FOUND", `[task] ${what}: its log path "${found.path}" is refused: ${found.detail}`, {
        hint: `shipgate only prints logs kept under ${RUNS_DIR}/ of --cwd; check the store's run record, it was not written by shipgate's runners`,
      });
    case "missing":
      throw new ShipgateError("NOT_FOUND", `[task] ${what}: its log ${run.log ?? ""} is not on this machine (looked for ${found.path})`, {
        hint: shared
          ? `in a shared store each worker keeps its runs' logs on its own machine: run \`shipgate task log ${run.id}\` in the project folder of the machine whose ${run.agent} worker ran it; ${runsHint}`
          : `it was deleted, or --cwd is not the project that ran it (pass --cwd DIR); ${runsHint}`,
      });
    case "not-a-file":
      throw new ShipgateError("NOT_FOUND", `[task] ${what}: its log ${found.path} is not a file`, { hint: runsHint });
    case "file":
      break;
  }
  // Escape sequences in an agent's output would move the cursor, retitle the window or hide text: cleaned on a
  // terminal, kept as they are in a file or a pipe (`| less -R` shows colors).
  const cleaner = process.stdout.isTTY ? createLogCleaner() : null;
  let last = "";
  for await (const chunk of readRunLog(found.path, tail === undefined ? {} : { tail })) {
    const text = cleaner ? cleaner.push(chunk) : chunk;
    if (text !== "") last = text;
    await write(io, text);
  }
  const rest = cleaner ? cleaner.end() : "";
  if (rest !== "") last = rest;
  await write(io, rest);
  // A log that does not end its last line: end it, so the prompt starts on a line of its own.
  if (last !== "" && !last.endsWith("\n") && process.stdout.isTTY) io.stdout("\n");
  return 0;
}
