/** Overview: the readiness score, its level, what the next level needs, the score trend, and the program at a glance. */
import { useMemo } from "preact/hooks";
import { seconds, TimeChart } from "../components/chart.js";
import { Badge, Card, Loaded, percent, Stat, stateTone, when } from "../components/ui.js";
import { api, type Api } from "../api.js";
import { useResource } from "../live.js";

export function OverviewPage() {
  // Asked only once a snapshot exists: `latest` of an empty store is a 404 the browser would log as an error.
  const latest = useResource(
    async (signal) => {
      const [newest] = await api.snapshots({ limit: 1 }, signal);
      return newest ? api.snapshot(newest.id, signal) : null;
    },
    [],
    ["snapshot."],
  );
  const history = useResource((signal) => api.snapshots({ limit: 1000 }, signal), [], ["snapshot."]);
  const tasks = useResource((signal) => api.tasks({}, signal), [], ["task.", "plan."]);
  return (
    <div class="page">
      <Loaded resource={latest} what="the latest snapshot">
        {(detail) =>
          detail ? (
            <Readiness summary={detail.summary} />
          ) : (
            <Card title="Readiness">
              <p class="empty" data-testid="no-snapshot">
                No snapshot yet: run `shipgate assess` in the project.
              </p>
            </Card>
          )
        }
      </Loaded>
      <Card title="Score trend" wide>
        <Loaded resource={history} what="the snapshots">
          {(rows) => <ScoreTrend rows={rows} />}
        </Loaded>
      </Card>
      <Card title="Tasks">
        <Loaded resource={tasks} what="the tasks">
          {(list) => <TaskCounts tasks={list} />}
        </Loaded>
      </Card>
    </div>
  );
}

function Readiness({ summary }: { summary: Api.AssessSummary }) {
  const categories = Object.entries(summary.categories);
  return (
    <>
      <Card title="Readiness">
        <div class="stats">
          <Stat label="Score" value={summary.score === null ? null : Math.round(summary.score * 10) / 10} unit="/ 100" testId="score" hint={`measured weight ${percent(summary.measuredWeight * 100)}`} />
          <Stat label="Level" value={summary.level} testId="level" tone={summary.blockedBy.length > 0 ? "bad" : ""} />
          <Tests tests={summary.tests} />
          <Stat label="Line coverage" value={summary.coverage.lines === null ? null : percent(summary.coverage.lines)} />
        </div>
        <p class="muted">
          Snapshot {summary.snapshot.id ?? "?"} of {when(summary.snapshot.takenAt)} on {summary.snapshot.git.branch ?? "no branch"} {summary.snapshot.git.commit ? `@ ${summary.snapshot.git.commit.slice(0, 8)}` : ""}
        </p>
        {summary.blockedBy.length > 0 ? (
          <div class="blocked">
            <strong>Blocked by:</strong>
            <ul>
              {summary.blockedBy.map((b) => (
                <li>{b.condition}</li>
              ))}
            </ul>
          </div>
        ) : null}
      </Card>
      <Card title={summary.nextLevel ? `Next level: ${summary.nextLevel.name}` : "Next level"}>
        {summary.nextLevel ? (
          <ul class="needs" data-testid="next-level">
            {summary.nextLevel.needs.map((need) => (
              <li>{need}</li>
            ))}
          </ul>
        ) : (
          <p class="muted">At the top level.</p>
        )}
      </Card>
      <Card title="Categories" wide>
        <table aria-label="Score per category">
          <thead>
            <tr>
              <th>Category</th>
              <th class="num">Score</th>
              <th class="num">Weight</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {categories.map(([id, c]) => (
              <tr key={id}>
                <td>{id}</td>
                <td class="num">{c.score === null ? <Badge tone="neutral">unknown</Badge> : Math.round(c.score * 10) / 10}</td>
                <td class="num">{c.weight}</td>
                <td class="muted">{c.explanation}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Card>
    </>
  );
}

/** Passed of total; unknown (no test report) is neither "none failing" nor good. */
function Tests({ tests }: { tests: Api.AssessSummary["tests"] }) {
  if (tests.status === "unknown") return <Stat label="Tests" value={null} testId="tests" />;
  const failing = tests.failed + tests.errored;
  return <Stat label="Tests" value={`${tests.passed} / ${tests.total}`} hint={failing > 0 ? `${failing} failing` : "none failing"} tone={failing > 0 ? "bad" : "good"} testId="tests" />;
}

function ScoreTrend({ rows }: { rows: Api.SnapshotListResponse }) {
  const chart = useMemo(() => {
    const ordered = [...rows].reverse();
    return {
      x: ordered.map((r) => seconds(r.takenAt)),
      series: [
        { label: "score", color: "#2563eb", values: ordered.map((r) => r.score), width: 2 },
        { label: "line coverage %", color: "#16a34a", values: ordered.map((r) => r.coverage.lines), dash: [6, 4], width: 1.5 },
      ],
    };
  }, [rows]);
  if (rows.length === 0) return <p class="empty">No snapshot yet: run `shipgate assess`.</p>;
  return <TimeChart label="Score trend" x={chart.x} series={chart.series} yRange={[0, 100]} unit="score / %" />;
}

const STATES: Api.TaskState[] = ["pending", "in_progress", "blocked", "failed", "done"];

function TaskCounts({ tasks }: { tasks: Api.TaskRecord[] }) {
  if (tasks.length === 0) return <p class="empty">No plan imported.</p>;
  const count = (state: Api.TaskState) => tasks.filter((t) => t.state === state).length;
  return (
    <div class="stats">
      {STATES.map((state) => (
        <Stat label={state.replace("_", " ")} value={count(state)} tone={count(state) > 0 ? stateTone(state) : ""} testId={`tasks-${state}`} />
      ))}
    </div>
  );
}
