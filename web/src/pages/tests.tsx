/**
 * Tests & coverage of the latest snapshot (`GET /api/snapshots/latest`: the summary `shipgate show --json` prints and
 * its test and coverage rows): failing tests, those that regressed since the previous snapshot (`GET /api/diff`,
 * `shipgate diff --json` newlyFailing), flaky ones; coverage per component and per file, sortable, and a file's
 * uncovered line ranges. Re-read when a snapshot is stored.
 */
import { useState } from "preact/hooks";
import { SortableTable } from "../components/sortable-table.js";
import { Badge, Card, Loaded, percent, Stat, stateTone, Table, when } from "../components/ui.js";
import { api, type Api } from "../api.js";
import { useResource, type Resource } from "../live.js";

type Detail = Api.SnapshotDetailResponse;
type TestRow = Detail["tests"][number];
type CoverageRow = Detail["coverageFiles"][number];
type Diff = Api.SnapshotDiff;

export function TestsPage() {
  // The newest two snapshots say what exists: without them the snapshot and the diff would be 404s (which the browser
  // logs as errors), and no snapshot or a single one is a state to show, not a failure.
  const latest = useResource(async (signal) => ((await api.snapshots({ limit: 1 }, signal)).length === 0 ? null : api.snapshot("latest", signal)), [], ["snapshot."]);
  const diff = useResource(async (signal): Promise<Diff | null> => ((await api.snapshots({ limit: 2 }, signal)).length < 2 ? null : api.diff({}, signal)), [], ["snapshot."]);
  return (
    <div class="page">
      <Loaded resource={latest} what="the latest snapshot">
        {(detail) =>
          detail === null ? (
            <Card title="Tests & coverage" wide>
              <p class="empty">No snapshot yet: `shipgate assess` stores one.</p>
            </Card>
          ) : (
            <TestsAndCoverage detail={detail} diff={diff} />
          )
        }
      </Loaded>
    </div>
  );
}

function TestsAndCoverage({ detail, diff }: { detail: Detail; diff: Resource<Diff | null> }) {
  const { summary } = detail;
  const t = summary.tests;
  const unknown = t.status === "unknown";
  const failing = detail.tests.filter((r) => r.status === "failed" || r.status === "errored");
  const flaky = detail.tests.filter((r) => r.flaky);
  const regressed = new Set(diff.data?.tests.newlyFailing.map((c) => c.id) ?? []);
  return (
    <>
      <Card title="Tests" wide>
        <div class="stats">
          <Stat label="Total" value={unknown ? null : t.total} testId="tests-total" />
          <Stat label="Passed" value={unknown ? null : t.passed} testId="tests-passed" tone={unknown ? "" : "good"} />
          <Stat label="Failed" value={unknown ? null : t.failed} testId="tests-failed" tone={t.failed > 0 ? "bad" : ""} />
          <Stat label="Errored" value={unknown ? null : t.errored} testId="tests-errored" tone={t.errored > 0 ? "bad" : ""} />
          <Stat label="Skipped" value={unknown ? null : t.skipped} testId="tests-skipped" />
          <Stat label="Flaky" value={unknown ? null : t.flaky} testId="tests-flaky" tone={t.flaky > 0 ? "warn" : ""} />
          <Stat label="Regressed" value={diff.data === undefined || diff.data === null ? null : diff.data.tests.newlyFailing.length} testId="tests-regressed" tone={regressed.size > 0 ? "bad" : ""} hint={diff.data ? `since snapshot ${diff.data.from.id}` : diff.data === null ? "no previous snapshot" : undefined} />
        </div>
        <p class="muted">
          Snapshot {summary.snapshot.id ?? "?"} of {when(summary.snapshot.takenAt)}
          {t.status !== "ok" ? ` · tests ${t.status}${t.reasons.length > 0 ? `: ${t.reasons.join("; ")}` : ""}` : ""}
        </p>
      </Card>
      <Card title={`Failing (${failing.length})`} wide>
        <Table
          label="Failing tests"
          rows={failing}
          rowKey={(r) => r.testId}
          empty={unknown ? "No test report in this snapshot: unknown." : "No failing test."}
          columns={[
            { title: "Test", cell: (r) => <TestName row={r} /> },
            { title: "Status", cell: (r) => <Badge tone={stateTone(r.status)}>{r.status}</Badge> },
            { title: "Since", cell: (r) => (regressed.has(r.testId) ? <Badge tone="bad" title={diff.data ? `passed or skipped in snapshot ${diff.data.from.id}` : ""}>regressed</Badge> : diff.data ? <span class="muted">already failing</span> : <span class="muted">unknown</span>) },
            { title: "Message", cell: (r) => <Message text={r.message} /> },
          ]}
        />
      </Card>
      <Card title="Regressed since the previous snapshot">
        <Loaded resource={diff} what="the difference with the previous snapshot">
          {(d) =>
            d === null ? (
              <p class="empty">No previous snapshot to compare with.</p>
            ) : (
              <>
                <p class="muted">
                  Snapshot {d.from.id} ({when(d.from.takenAt)}) → {d.to.id} ({when(d.to.takenAt)})
                </p>
                <Table
                  label="Regressed tests"
                  rows={d.tests.newlyFailing}
                  rowKey={(c) => c.id}
                  empty="None: no test that passed then fails now."
                  columns={[
                    { title: "Test", cell: (c) => <code class="wrap">{c.id}</code> },
                    { title: "Was → is", cell: (c) => `${c.before ?? "absent"} → ${c.after ?? "absent"}` },
                  ]}
                />
              </>
            )
          }
        </Loaded>
      </Card>
      <Card title={`Flaky (${flaky.length})`}>
        <Table
          label="Flaky tests"
          rows={flaky}
          rowKey={(r) => r.testId}
          empty={unknown ? "unknown" : "No flaky test: none passed only on a retry."}
          columns={[
            { title: "Test", cell: (r) => <TestName row={r} /> },
            { title: "Status", cell: (r) => <Badge tone={stateTone(r.status)}>{r.status}</Badge> },
          ]}
        />
      </Card>
      <Coverage detail={detail} />
    </>
  );
}

function TestName({ row }: { row: TestRow }) {
  return (
    <div class="test-name">
      <div>
        {row.suite ? <span class="muted">{row.suite} › </span> : null}
        {row.name}
      </div>
      {row.file ? <code class="muted">{row.file}</code> : null}
    </div>
  );
}

/** A test's failure message: its first line, the whole text on demand. */
function Message({ text }: { text: string | null }) {
  if (!text) return <span class="muted">—</span>;
  const first = text.split("\n", 1)[0] ?? "";
  if (first === text) return <span class="message">{text}</span>;
  return (
    <details class="message">
      <summary>{first}</summary>
      <pre>{text}</pre>
    </details>
  );
}

function Coverage({ detail }: { detail: Detail }) {
  const { coverage, components } = detail.summary;
  const [file, setFile] = useState<string | null>(null);
  const rows = new Map(detail.coverageFiles.map((r) => [r.path, r]));
  const score = new Map(components.map((c) => [c.name, c]));
  const picked = file === null ? undefined : rows.get(file);
  const pct = (v: number | null) => (v === null ? <span class="unknown">unknown</span> : percent(v));
  return (
    <>
      <Card title="Coverage" wide>
        <div class="stats">
          <Stat label="Lines" value={coverage.lines === null ? null : percent(coverage.lines)} testId="coverage-lines" hint={coverage.counts.lines ? `${coverage.counts.lines.covered} / ${coverage.counts.lines.total}` : undefined} />
          <Stat label="Branches" value={coverage.branches === null ? null : percent(coverage.branches)} testId="coverage-branches" hint={coverage.counts.branches ? `${coverage.counts.branches.covered} / ${coverage.counts.branches.total}` : undefined} />
          <Stat label="Functions" value={coverage.functions === null ? null : percent(coverage.functions)} testId="coverage-functions" />
          <Stat label="Statements" value={coverage.statements === null ? null : percent(coverage.statements)} testId="coverage-statements" />
          <Stat label="Files" value={coverage.paths.total} hint={`${coverage.paths.resolved} found in the repository`} />
        </div>
        {coverage.status !== "ok" && coverage.reasons.length > 0 ? <p class="muted">Coverage {coverage.status}: {coverage.reasons.join("; ")}</p> : null}
        <h3>By component</h3>
        <SortableTable
          label="Coverage by component"
          rows={coverage.packages}
          rowKey={(p) => p.name}
          empty="No component: the coverage reports name no package."
          columns={[
            { title: "Component", cell: (p) => p.name || "(root)", sort: (p) => p.name },
            { title: "Score", cell: (p) => { const s = score.get(p.name)?.score; return s === undefined ? <span class="muted">—</span> : s === null ? <span class="unknown">unknown</span> : Math.round(s * 10) / 10; }, sort: (p) => score.get(p.name)?.score ?? null, numeric: true },
            { title: "Lines", cell: (p) => pct(p.lines), sort: (p) => p.lines, numeric: true },
            { title: "Branches", cell: (p) => pct(p.branches), sort: (p) => p.branches, numeric: true },
            { title: "Functions", cell: (p) => pct(p.functions), sort: (p) => p.functions, numeric: true },
            { title: "Statements", cell: (p) => pct(p.statements), sort: (p) => p.statements, numeric: true },
          ]}
        />
      </Card>
      <Card title={`Coverage by file (${coverage.files.length})`} wide>
        <p class="muted">Click a column to sort, a file for its uncovered lines.</p>
        <SortableTable
          label="Coverage by file"
          rows={coverage.files}
          rowKey={(f) => f.name}
          initial={{ column: 2 }}
          selected={file}
          onRow={(f) => setFile(f.name === file ? null : f.name)}
          empty="No coverage report in this snapshot: unknown."
          columns={[
            { title: "File", cell: (f) => <code class={f.resolved ? "wrap" : "wrap unresolved"} title={f.resolved ? "" : "not found in the repository"}>{f.name}</code>, sort: (f) => f.name },
            { title: "Component", cell: (f) => f.package || "(root)", sort: (f) => f.package },
            { title: "Lines", cell: (f) => pct(f.lines), sort: (f) => f.lines, numeric: true },
            { title: "Branches", cell: (f) => pct(f.branches), sort: (f) => f.branches, numeric: true },
            { title: "Functions", cell: (f) => pct(f.functions), sort: (f) => f.functions, numeric: true },
            { title: "Uncovered lines", cell: (f) => <Ranges text={rows.get(f.name)?.uncoveredLines ?? null} short />, sort: (f) => rows.get(f.name)?.uncoveredLines ?? null },
          ]}
        />
      </Card>
      {file !== null ? <FileDetail path={file} row={picked} onClose={() => setFile(null)} /> : null}
    </>
  );
}

const RANGES_SHORT = 6;

/** Line ranges as stored ("1-4,9"): each a chip; `short` shows the first few. Null: the report has no per-line detail. */
function Ranges({ text, short }: { text: string | null; short?: boolean }) {
  if (text === null) return <span class="unknown">unknown</span>;
  if (text === "") return <span class="muted">none</span>;
  const ranges = text.split(",");
  const shown = short ? ranges.slice(0, RANGES_SHORT) : ranges;
  return (
    <span class="ranges">
      {shown.map((r) => (
        <code class="range">{r}</code>
      ))}
      {shown.length < ranges.length ? <span class="muted"> +{ranges.length - shown.length} more</span> : null}
    </span>
  );
}

function FileDetail({ path, row, onClose }: { path: string; row: CoverageRow | undefined; onClose: () => void }) {
  const counts = (covered: number | null, total: number | null) => (covered === null || total === null ? "unknown" : `${covered} / ${total}`);
  return (
    <Card title="Uncovered lines" wide id="file-detail">
      <div class="runs-head">
        <code>{path}</code>
        <button type="button" class="link" onClick={onClose}>
          close
        </button>
      </div>
      {row === undefined ? (
        <p class="empty">No stored row for this file.</p>
      ) : (
        <>
          <div class="stats">
            <Stat label="Lines covered" value={counts(row.linesCovered, row.linesTotal)} />
            <Stat label="Branches covered" value={counts(row.branchesCovered, row.branchesTotal)} />
            <Stat label="Functions covered" value={counts(row.functionsCovered, row.functionsTotal)} />
          </div>
          <p data-testid="uncovered-lines">
            Uncovered: <Ranges text={row.uncoveredLines} />
          </p>
          <p class="muted">Line numbers as the coverage report gave them; the source itself is not shown here (open the file at those lines in your editor).</p>
        </>
      )}
    </Card>
  );
}
