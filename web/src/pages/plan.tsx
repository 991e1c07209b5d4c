/**
 * Plan: the stored plan's Gantt chart with the live task states and the critical path (`GET /api/plan/gantt`, the
 * model of `shipgate plan gantt`), re-read on every task, run and plan event. A click on a task shows its runs.
 */
import { useState } from "preact/hooks";
import { GanttView } from "../components/gantt.js";
import { TaskRuns } from "../components/task-runs.js";
import { Card, Loaded, Stat, when } from "../components/ui.js";
import { api, type Api } from "../api.js";
import { useResource } from "../live.js";

export function PlanPage() {
  // Before the first import the chart is a 404 (which the browser logs as an error): ask whether a plan came first.
  const gantt = useResource(async (signal) => ((await api.events({ type: "plan.imported", limit: 1 }, signal)).length === 0 ? null : api.gantt({}, signal)), [], ["task.", "run.", "plan."]);
  const [selected, setSelected] = useState<string | null>(null);
  const select = (task: string) => {
    setSelected(task);
    // The runs card is below a possibly long chart: bring it into view.
    requestAnimationFrame(() => document.getElementById("task-runs")?.scrollIntoView({ behavior: "smooth", block: "nearest" }));
  };
  const title = gantt.data?.sections.flatMap((s) => s.bars).find((b) => b.id === selected)?.title;
  return (
    <div class="page">
      <Loaded resource={gantt} what="the plan's Gantt chart">
        {(chart) =>
          chart === null ? (
            <Card title="Plan" wide>
              <p class="empty">No plan imported yet: a task command (`shipgate task list`) imports shipgate.plan.yaml.</p>
            </Card>
          ) : (
            <>
              <Card title={chart.title ? `Plan: ${chart.title}` : "Plan"} wide>
                <PlanFigures chart={chart} />
              </Card>
              <Card title="Gantt" wide>
                {chart.omitted > 0 ? (
                  <p class="note" data-testid="omitted">
                    {chart.omitted} of {chart.total} tasks not shown: the chart keeps {chart.total - chart.omitted} (critical tasks first, then the earliest to start). `shipgate plan show` lists them all.
                  </p>
                ) : null}
                {chart.total === 0 ? <p class="empty">The plan has no task.</p> : <GanttView chart={chart} selected={selected} onSelect={select} />}
                <p class="muted">
                  Click a task for its runs. The same chart as an SVG:{" "}
                  <a href={api.ganttSvgUrl()} target="_blank" rel="noopener">
                    gantt.svg
                  </a>
                </p>
              </Card>
            </>
          )
        }
      </Loaded>
      {selected !== null ? <TaskRuns task={selected} {...(title ? { title } : {})} onClose={() => setSelected(null)} /> : null}
    </div>
  );
}

const STATES: { state: Api.TaskState; label: string }[] = [
  { state: "done", label: "done" },
  { state: "in_progress", label: "in progress" },
  { state: "blocked", label: "blocked" },
  { state: "failed", label: "failed" },
  { state: "pending", label: "pending" },
];

/** Ids of the critical chain listed at most; the whole chain is in the tooltip. */
const CHAIN_SHOWN = 12;

function PlanFigures({ chart }: { chart: Api.GanttChart }) {
  const bars = chart.sections.flatMap((s) => s.bars);
  const critical = bars.filter((b) => b.critical).map((b) => b.id);
  const chain = critical.length > CHAIN_SHOWN ? `${critical.slice(0, CHAIN_SHOWN).join(" → ")} → … (${critical.length - CHAIN_SHOWN} more)` : critical.join(" → ");
  return (
    <>
      <div class="stats">
        <Stat label="Tasks" value={chart.total} testId="plan-tasks" />
        <Stat label="Schedule" value={`${chart.start} → ${chart.end}`} testId="plan-schedule" />
        <Stat label="Critical path" value={critical.length} unit="tasks" testId="plan-critical" hint="the longest chain" />
        {/* State counts of a capped chart would be counts of what it kept: the Board counts them all. */}
        {chart.omitted === 0 ? STATES.map(({ state, label }) => <Stat label={label} value={bars.filter((b) => (b.state ?? "pending") === state).length} testId={`plan-${state}`} />) : null}
      </div>
      <p class="muted">
        Critical path:{" "}
        <span data-testid="critical-path" title={critical.join(" → ")}>
          {chain || "none"}
        </span>
        {chart.milestones.length > 0 ? ` · milestones: ${chart.milestones.map((m) => `${m.id} ${when(m.date)}`).join(", ")}` : ""}
        {chart.omitted > 0 ? " · task states by column: the Board" : ""}
      </p>
    </>
  );
}
