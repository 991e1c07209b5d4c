/**
 * Tracker: the program's day as `shipgate track` tells it (GET /api/tracker; how each figure is made: docs/track.md) —
 * the headline, burn-down and burn-up with the scope, the ideal line and the forecast cone, each tracked metric
 * against its target, the milestones with their evidence, blockers and risks. A past day with the as-of picker.
 */
import { figure, signed } from "../components/figure.js";
import { useState } from "preact/hooks";
import { BurnChart, ForecastLine, type BurnUnit } from "../components/burn-chart.js";
import { DayValue, MetricTargetChart, seriesName, StatusBadge, type Series } from "../components/metric-target.js";
import { Badge, Card, Loaded, Stat, stateTone, Table, when } from "../components/ui.js";
import { api, type Api } from "../api.js";
import { useResource } from "../live.js";

/** The events the tracker reads (src/track/tracker.ts TRACKER_EVENT_TYPES, plus new plans, snapshots and runs). */
const TRACKER_EVENTS = ["task.", "plan.", "snapshot.", "run.", "gate.evaluated", "alert", "track.alert", "risk.updated"];

export function TrackerPage() {
  const [asOf, setAsOf] = useState<string>("");
  const tracker = useResource((signal) => api.trackerSummary(asOf ? { asOf } : {}, signal), [asOf], TRACKER_EVENTS);
  return (
    <div class="page">
      <Loaded resource={tracker} what="the tracker">
        {(t) => <Tracker t={t} asOf={asOf} setAsOf={setAsOf} />}
      </Loaded>
    </div>
  );
}

function Tracker({ t, asOf, setAsOf }: { t: Api.TrackerSummaryResponse; asOf: string; setAsOf: (day: string) => void }) {
  const [unit, setUnit] = useState<BurnUnit>("tasks");
  return (
    <>
      <Headline t={t} asOf={asOf} setAsOf={setAsOf} />
      <Card title="Burn-down" id="burndown">
        <UnitSwitch unit={unit} setUnit={setUnit} />
        <BurnChart tracker={t} kind="down" unit={unit} />
      </Card>
      <Card title="Burn-up" id="burnup">
        <UnitSwitch unit={unit} setUnit={setUnit} />
        <BurnChart tracker={t} kind="up" unit={unit} />
      </Card>
      <Card title="Forecast" wide>
        <ForecastLine forecast={t.forecast} />
        {unit === "hours" && t.forecast.cone.length > 0 ? <p class="muted">The forecast is made in tasks: switch to tasks to see its cone.</p> : null}
      </Card>
      <Targets t={t} />
      <Milestones milestones={t.milestones} />
      <Card title="Blockers">
        <Blockers blockers={t.blockers} />
      </Card>
      <Card title="Risks">
        <Risks risks={t.risks} />
      </Card>
    </>
  );
}

function Headline({ t, asOf, setAsOf }: { t: Api.TrackerSummaryResponse; asOf: string; setAsOf: (day: string) => void }) {
  const h = t.headline;
  const behind = h.behindIdealHours;
  const milestones = Object.entries(h.milestones).filter(([, n]) => n > 0);
  return (
    <Card title={`Tracker — ${t.asOf}`} wide id="headline">
      <div class="stats">
        <Stat label="Tasks done" value={`${h.doneTasks} / ${h.scopeTasks}`} testId="done-tasks" tone={h.scopeTasks > 0 && h.doneTasks === h.scopeTasks ? "good" : ""} />
        <Stat label="Hours done" value={`${figure(h.doneHours)} / ${figure(h.scopeHours)}`} unit="h" testId="done-hours" hint="PERT expected hours" />
        <Stat
          label="Against the ideal line"
          value={behind === null || t.plan === null ? null : behind > 0 ? `${figure(behind)} h behind` : behind < 0 ? `${figure(-behind)} h ahead` : "on the line"}
          tone={behind === null || t.plan === null ? "" : behind > 0 ? "bad" : "good"}
          hint={t.plan === null ? "no plan imported" : h.idealHours === null ? "no ideal line yet" : `ideal remaining ${figure(h.idealHours)} h`}
          testId="behind-ideal"
        />
        <Stat
          label="Score"
          value={h.score.value === null ? null : figure(h.score.value)}
          testId="headline-score"
          tone={h.score.status === "met" ? "good" : h.score.status === "behind" ? "bad" : ""}
          hint={h.score.target === null ? "no target" : `target ${figure(h.score.target)}${h.score.status ? ` · ${h.score.status}` : ""}`}
        />
        <Stat label="Forecast P85" value={h.forecastP85} testId="forecast-p85" hint={t.forecast.p85 === null ? (t.forecast.reason ?? undefined) : "the last task done, 85 % of trials"} />
        <Stat label="Milestones" value={milestones.length === 0 ? "none" : milestones.map(([status, n]) => `${n} ${status}`).join(" · ")} testId="headline-milestones" tone={h.milestones.missed > 0 ? "bad" : h.milestones["at-risk"] > 0 ? "warn" : ""} />
        <Stat label="Alerts" value={h.alerts} testId="headline-alerts" tone={h.alerts > 0 ? "warn" : ""} hint={h.alerts > 0 ? "see the Alerts page" : undefined} />
      </div>
      <p class="muted">
        As of {when(t.at)} UTC
        {t.plan ? (
          <>
            {" · plan "}
            <span title={t.plan.source ?? undefined}>{t.plan.source ? fileName(t.plan.source) : "(stored)"}</span>
            {`, ${t.plan.tasks} tasks`}
          </>
        ) : (
          " · no plan imported"
        )}
        {t.window ? ` · window ${t.window.start} → ${t.window.end}${t.window.workingDays ? " (working days)" : ""}, ${t.window.source === "targets" ? "from the plan's targets" : "derived"}` : ""}
        {t.branch ? ` · branch ${t.branch}` : ""}
        {t.latest ? ` · snapshot ${t.latest.snapshotId} of ${when(t.latest.takenAt)}` : " · no snapshot yet"}
      </p>
      <label class="as-of">
        As of{" "}
        <input type="date" value={asOf} max={asOf ? undefined : t.asOf} onChange={(e) => setAsOf((e.target as HTMLInputElement).value)} aria-label="As of day" data-testid="as-of" />{" "}
        {asOf ? (
          <button type="button" onClick={() => setAsOf("")}>
            today
          </button>
        ) : (
          <span class="muted">today (pick a past day to replay it)</span>
        )}
      </label>
    </Card>
  );
}

/** The plan file's name (the store keeps the path it was imported from; the full path is the tooltip). */
const fileName = (path: string) => path.split(/[\\/]/).pop() ?? path;

function UnitSwitch({ unit, setUnit }: { unit: BurnUnit; setUnit: (u: BurnUnit) => void }) {
  return (
    <div class="switch" role="group" aria-label="Unit">
      {(["tasks", "hours"] as const).map((u) => (
        <button type="button" aria-pressed={unit === u} onClick={() => setUnit(u)}>
          {u}
        </button>
      ))}
    </div>
  );
}

/** Targets vs actuals: every series on the as-of day, and a chart for each one with a target. */
function Targets({ t }: { t: Api.TrackerSummaryResponse }) {
  const today = (s: Series) => s.days.find((d) => d.date === t.asOf) ?? s.days.at(-1);
  const targeted = t.series.filter((s) => s.days.some((d) => d.target !== null));
  return (
    <>
      <Card title="Targets vs actuals" wide id="targets">
        <Table
          label="Metrics on the as-of day against their targets"
          rows={t.series}
          rowKey={seriesName}
          empty="No metric measured yet: run `shipgate assess`."
          columns={[
            { title: "Metric", cell: (s) => seriesName(s) },
            { title: "Day", cell: (s) => today(s)?.date ?? "—" },
            { title: "Value", numeric: true, cell: (s) => <DayValue day={today(s)} /> },
            { title: "Target", numeric: true, cell: (s) => (today(s)?.target == null ? <span class="muted">none</span> : figure(today(s)!.target!)) },
            { title: "Difference", numeric: true, cell: (s) => (today(s)?.difference == null ? "" : signed(today(s)!.difference!)) },
            { title: "Status", cell: (s) => (today(s) ? <StatusBadge status={today(s)!.status} /> : null) },
          ]}
        />
      </Card>
      {targeted.map((s) => (
        <Card title={`${seriesName(s)} vs target`}>
          <MetricTargetChart series={s} />
          <p class="muted">
            {s.better === "higher" ? "Higher is better." : "Lower is better."} A day not measured is a gap, never a 0.
          </p>
        </Card>
      ))}
    </>
  );
}

function Milestones({ milestones }: { milestones: Api.Tracker["milestones"] }) {
  return (
    <Card title="Milestones" wide id="milestones">
      {milestones.length === 0 ? (
        <p class="empty">The plan names no milestone.</p>
      ) : (
        <table aria-label="Milestones">
          <thead>
            <tr>
              <th>Milestone</th>
              <th>Date</th>
              <th>Status</th>
              <th class="num">Working days left</th>
              <th class="num">Chance by then</th>
              <th>Criterion</th>
              <th class="num">Value</th>
              <th>Evidence</th>
            </tr>
          </thead>
          <tbody>
            {milestones.flatMap((m) =>
              (m.criteria.length > 0 ? m.criteria : [null]).map((c, i) => (
                <tr key={`${m.id}-${i}`} data-milestone={m.id}>
                  {i === 0 ? (
                    <>
                      <td rowSpan={Math.max(1, m.criteria.length)}>
                        <strong>{m.id}</strong>
                      </td>
                      <td rowSpan={Math.max(1, m.criteria.length)}>{m.date}</td>
                      <td rowSpan={Math.max(1, m.criteria.length)}>
                        <Badge tone={stateTone(m.status)}>{m.status}</Badge>
                      </td>
                      <td class="num" rowSpan={Math.max(1, m.criteria.length)}>
                        {m.daysLeft < 0 ? `${-m.daysLeft} ago` : m.daysLeft}
                      </td>
                      <td class="num" rowSpan={Math.max(1, m.criteria.length)}>
                        {m.probability !== null ? `${Math.round(m.probability * 100)} %` : <span class="muted">{m.daysLeft < 0 ? "date passed" : "unknown"}</span>}
                      </td>
                    </>
                  ) : null}
                  {c === null ? (
                    <td colSpan={3} class="muted">
                      no criterion
                    </td>
                  ) : (
                    <>
                      <td>
                        <code>{c.text}</code> <Badge tone={c.status === "met" ? "good" : c.status === "not-met" ? "bad" : "neutral"}>{c.status}</Badge>
                      </td>
                      <td class="num">{c.kind === "gate" ? "" : c.value === null ? <span class="muted">unknown</span> : figure(c.value)}</td>
                      <td class="muted">{c.evidence ?? c.reason ?? ""}</td>
                    </>
                  )}
                </tr>
              )),
            )}
          </tbody>
        </table>
      )}
      {milestones.some((m) => m.probability !== null && m.status === "met") ? (
        <p class="muted">"Chance by then": the share of forecast trials that finish the remaining tasks by the milestone's date (a met milestone's criteria are already met).</p>
      ) : null}
    </Card>
  );
}

function Blockers({ blockers }: { blockers: Api.Tracker["blockers"] }) {
  return (
    <>
      <div class="stats">
        <Stat label="Open" value={blockers.open.length} tone={blockers.open.length > 0 ? "bad" : "good"} testId="blockers-open" />
        <Stat label="Median time to resolve" value={blockers.medianHoursToResolve === null ? null : figure(blockers.medianHoursToResolve)} unit="h" />
      </div>
      <Table
        label="Blocker log"
        rows={blockers.log}
        rowKey={(b) => `${b.task}-${b.since}`}
        empty="No task was blocked in the window."
        columns={[
          { title: "Task", cell: (b) => <span title={b.title}>{b.task}</span> },
          { title: "Reason", cell: (b) => <span class="muted">{b.reason ?? "—"}</span> },
          { title: "Since", cell: (b) => when(b.since) },
          { title: "Resolved", cell: (b) => (b.open ? <Badge tone="bad">open</Badge> : when(b.resolvedAt)) },
          { title: "Hours", numeric: true, cell: (b) => figure(b.hours) },
        ]}
      />
    </>
  );
}

const RISK_TONE: Record<string, "bad" | "warn" | "good" | "neutral"> = { open: "bad", accepted: "warn", mitigated: "good", closed: "neutral" };

function Risks({ risks }: { risks: Api.Tracker["risks"] }) {
  const open = risks.filter((r) => r.status === "open").length;
  return (
    <>
      <div class="stats">
        <Stat label="Open" value={`${open} of ${risks.length}`} tone={open > 0 ? "warn" : "good"} testId="risks-open" />
      </div>
      <Table
        label="Risks"
        rows={[...risks].sort((a, b) => b.exposure - a.exposure)}
        rowKey={(r) => r.id}
        empty="The plan names no risk."
        columns={[
          {
            title: "Risk",
            cell: (r) => (
              <>
                <strong>{r.id}</strong> <span class="muted">{r.description}</span>
              </>
            ),
          },
          { title: "Impact × probability", cell: (r) => `${r.impact} × ${r.probability}` },
          { title: "Exposure", numeric: true, cell: (r) => r.exposure },
          { title: "Status", cell: (r) => <Badge tone={RISK_TONE[r.status] ?? "neutral"}>{r.status}</Badge> },
          {
            title: "Last update",
            cell: (r) => {
              const u = r.updates.at(-1);
              return u ? <span class="muted">{`${when(u.at)}${u.by ? ` by ${u.by}` : ""}${u.note ? `: ${u.note}` : ""}`}</span> : <span class="muted">none (as in the plan)</span>;
            },
          },
        ]}
      />
    </>
  );
}
