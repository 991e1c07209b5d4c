/**
 * One task's runs (`GET /api/runs?task=ID`) and, for the run picked, its log's tail (`GET /api/runs/:id/log?tail=N`)
 * shown as text in a <pre>: the Plan and Board pages open it when a task is clicked. Live: re-read on run and task
 * events, so a running attempt's outcome and log follow the worker.
 */
import { useEffect, useState } from "preact/hooks";
import { ApiFailure, api, runLog } from "../api.js";
import { useResource } from "../live.js";
import { age, Badge, Card, Loaded, stateTone, Table, when } from "./ui.js";

/** A short length of time: seconds under 90 s (leases last seconds), else as `age` words it. */
export const span = (ms: number): string => (Math.abs(ms) < 90_000 ? `${Math.max(0, Math.round(ms / 1000))} s` : age(ms));

/** Lines of a log shown at most (the server sends the tail). */
const LOG_TAIL = 400;

export function TaskRuns(props: { task: string; title?: string; onClose: () => void }) {
  const runs = useResource((signal) => api.runs({ task: props.task, limit: 200 }, signal), [props.task], ["run.", "task."]);
  const [picked, setPicked] = useState<number | null>(null);
  // A newly chosen task starts without a log open.
  useEffect(() => setPicked(null), [props.task]);
  return (
    <Card title={`Runs of ${props.task}`} wide id="task-runs">
      <div class="runs-head">
        {props.title ? <span class="muted">{props.title}</span> : null}
        <button type="button" class="link" onClick={props.onClose}>
          close
        </button>
      </div>
      <Loaded resource={runs} what={`the runs of ${props.task}`}>
        {(rows) => {
          const shown = picked ?? rows.at(-1)?.run ?? null;
          return (
            <>
              <Table
                label={`Runs of ${props.task}`}
                rows={rows}
                rowKey={(r) => String(r.run)}
                empty={`${props.task} has no run yet.`}
                onRow={(r) => setPicked(r.run)}
                columns={[
                  { title: "Run", cell: (r) => (r.run === shown ? <strong>#{r.run}</strong> : `#${r.run}`) },
                  { title: "Attempt", cell: (r) => r.attempt, numeric: true },
                  { title: "Agent", cell: (r) => r.agent },
                  { title: "Outcome", cell: (r) => (r.outcome === null ? <Badge tone="warn">running</Badge> : <Badge tone={stateTone(r.outcome === "done" ? "done" : r.outcome === "cancelled" ? "pending" : "failed")}>{r.outcome}</Badge>) },
                  { title: "Started", cell: (r) => when(r.startedAt) },
                  { title: "Duration", cell: (r) => (r.durationMs === null ? "running" : span(r.durationMs)), numeric: true },
                  { title: "Exit", cell: (r) => (r.exitCode === null ? "—" : r.exitCode), numeric: true },
                  { title: "Note", cell: (r) => <span class="muted">{r.note ?? ""}</span> },
                ]}
              />
              {shown !== null ? <RunLog run={shown} hasLog={rows.find((r) => r.run === shown)?.log !== null} /> : null}
            </>
          );
        }}
      </Loaded>
    </Card>
  );
}

function RunLog(props: { run: number; hasLog: boolean }) {
  const log = useResource(
    async (signal) => {
      if (!props.hasLog) return null;
      try {
        return await runLog(props.run, LOG_TAIL, signal);
      } catch (error) {
        // A run whose log is not on this machine is a fact to show, not a failure of the page.
        if (error instanceof ApiFailure && error.status === 404) return { missing: error.message };
        throw error;
      }
    },
    [props.run, props.hasLog],
    ["run."],
  );
  return (
    <div class="run-log">
      <h3>
        Log of run #{props.run} <span class="muted">(last {LOG_TAIL} lines)</span>
      </h3>
      <Loaded resource={log} what={`the log of run ${props.run}`}>
        {(text) =>
          text === null ? (
            <p class="empty">This run kept no log.</p>
          ) : typeof text === "object" ? (
            <p class="empty">{text.missing}</p>
          ) : (
            <pre class="log" data-testid="run-log">
              {text === "" ? "(empty)" : text}
            </pre>
          )
        }
      </Loaded>
    </div>
  );
}
