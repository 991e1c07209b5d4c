/**
 * Board: the latest plan's tasks by state, one column each (`GET /api/tasks`, `shipgate task list --json`), with the
 * agent, the attempts and, for a task in progress, its open run's lease (`GET /api/runs?open=true`). Live: re-read on
 * task, run and plan events. A click on a task shows its runs and a run's log.
 */
import { useEffect, useState } from "preact/hooks";
import { span, TaskRuns } from "../components/task-runs.js";
import { Badge, Card, Loaded, when } from "../components/ui.js";
import { api, type Api } from "../api.js";
import { useResource } from "../live.js";

const COLUMNS: { state: Api.TaskState; label: string }[] = [
  { state: "pending", label: "Pending" },
  { state: "in_progress", label: "In progress" },
  { state: "blocked", label: "Blocked" },
  { state: "failed", label: "Failed" },
  { state: "done", label: "Done" },
];

export function BoardPage() {
  const tasks = useResource((signal) => api.tasks({}, signal), [], ["task.", "run.", "plan."]);
  const open = useResource((signal) => api.runs({ open: true, limit: 10_000 }, signal), [], ["task.", "run."]);
  const [selected, setSelected] = useState<string | null>(null);
  const now = useNow();
  const select = (task: string) => {
    setSelected(task);
    requestAnimationFrame(() => document.getElementById("task-runs")?.scrollIntoView({ behavior: "smooth", block: "nearest" }));
  };
  const title = tasks.data?.find((t) => t.id === selected)?.title;
  return (
    <div class="page">
      <Card title="Board" wide>
        <Loaded resource={tasks} what="the tasks">
          {(list) =>
            list.length === 0 ? (
              <p class="empty">No plan imported: `shipgate plan check` then `shipgate task list` imports it.</p>
            ) : (
              <Columns tasks={list} open={open.data ?? []} now={now} selected={selected} onSelect={select} />
            )
          }
        </Loaded>
        {open.error ? <p class="error">Could not load the open runs: {open.error.message} (leases not shown)</p> : null}
      </Card>
      {selected !== null ? <TaskRuns task={selected} {...(title ? { title } : {})} onClose={() => setSelected(null)} /> : null}
    </div>
  );
}

/** The clock the lease ages are read against, ticking every 30 s so they grow while the page stays open. */
function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

function Columns(props: { tasks: Api.TaskRecord[]; open: Api.RunView[]; now: number; selected: string | null; onSelect: (task: string) => void }) {
  const runOf = new Map(props.open.map((r) => [r.task, r]));
  return (
    <div class="board" data-testid="board">
      {COLUMNS.map(({ state, label }) => {
        const inColumn = props.tasks.filter((t) => t.state === state);
        return (
          <section class={`board-column col-${state}`} aria-label={label} data-state={state}>
            <h3>
              {label} <span class="count" data-testid={`count-${state}`}>{inColumn.length}</span>
            </h3>
            {inColumn.length === 0 ? <p class="empty">none</p> : null}
            {inColumn.map((task) => (
              <TaskCard task={task} run={runOf.get(task.id)} now={props.now} selected={props.selected === task.id} onSelect={props.onSelect} />
            ))}
          </section>
        );
      })}
    </div>
  );
}

function TaskCard(props: { task: Api.TaskRecord; run: Api.RunView | undefined; now: number; selected: boolean; onSelect: (task: string) => void }) {
  const { task, run } = props;
  const expiresIn = run ? Date.parse(run.leaseExpiresAt) - props.now : null;
  return (
    <button type="button" class={props.selected ? "task-card selected" : "task-card"} data-task={task.id} onClick={() => props.onSelect(task.id)}>
      <div class="task-card-head">
        <strong>{task.id}</strong>
        <span class="badges">
          {task.slack === 0 ? (
            <Badge tone="warn" title="zero slack: any delay delays the plan's end">
              no slack
            </Badge>
          ) : null}
          <Badge tone="neutral">{task.priority}</Badge>
          {task.removed ? (
            <Badge tone="warn" title="the latest plan no longer lists it">
              removed
            </Badge>
          ) : null}
        </span>
      </div>
      <div class="task-card-title">{task.title}</div>
      <div class="task-card-meta muted">
        <span data-testid="agent" title="the agent that started or claimed it last, and the plan's owner">
          {task.claimedBy === null ? `unclaimed · owner ${task.owner}` : task.claimedBy === task.owner ? task.claimedBy : `${task.claimedBy} · owner ${task.owner}`}
        </span>
        {" · "}
        <span data-testid="attempts" title="attempts of the current budget used">
          {task.attempts}
          {task.maxAttempts === null ? "" : ` / ${task.maxAttempts}`} attempt{task.attempts === 1 && task.maxAttempts === null ? "" : "s"}
        </span>
      </div>
      {run && expiresIn !== null ? (
        <div class={expiresIn < 0 ? "task-card-lease bad" : "task-card-lease"} data-testid="lease" title={`run #${run.run} by ${run.agent}, started ${when(run.startedAt)}, lease until ${when(run.leaseExpiresAt)}`}>
          run #{run.run} · {run.agent} · held {span(props.now - Date.parse(run.startedAt))} · {expiresIn < 0 ? `lease expired ${span(-expiresIn)} ago` : `lease ends in ${span(expiresIn)}`}
        </div>
      ) : task.state === "in_progress" ? (
        <div class="task-card-lease muted">no open run (started by hand)</div>
      ) : null}
      {task.note && task.state !== "done" ? <div class="task-card-note">{task.note}</div> : null}
    </button>
  );
}
