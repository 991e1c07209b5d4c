/**
 * Alerts: the tracker's alerts for its window, newest first (GET /api/tracker's `alerts`: stored ones and those it
 * computes now), and the alert events stored over the whole history (`alert` from assess, `track.alert` from the
 * tracker), live. How each alert is raised: docs/track.md, Alerts.
 */
import { Badge, Card, Loaded, Stat, Table, when, type Tone } from "../components/ui.js";
import { api, type Api } from "../api.js";
import { useResource } from "../live.js";

const ALERT_EVENT_TYPES = ["alert", "track.alert"] as const;
/** Computed alerts depend on tasks, runs and the forecast; stored ones on the alert and verdict events. */
const TRACKER_ALERT_EVENTS = ["alert", "track.alert", "gate.evaluated", "snapshot.", "task.", "run.", "plan."];
const PAGE = 1000;
/** Alert events are few (one per key and day): this many pages is far more than a program makes. */
const MAX_PAGES = 20;

/** The colour of a kind: a verdict or a broken run is red, a trend to watch amber (the model has no severity). */
const KIND_TONE: Record<Api.Tracker["alerts"][number]["kind"], Tone> = {
  "gate-no-go": "bad",
  "test-regressed": "bad",
  "stale-lease": "bad",
  "score-decline": "warn",
  "metric-worse": "warn",
  "forecast-past-milestone": "warn",
  "task-past-p95": "warn",
  "wip-over-limit": "warn",
};

export function AlertsPage() {
  const tracker = useResource((signal) => api.trackerSummary({}, signal), [], TRACKER_ALERT_EVENTS);
  const events = useResource((signal) => alertEvents(signal), [], [...ALERT_EVENT_TYPES]);
  return (
    <div class="page">
      <Card title="The tracker's alerts" wide id="tracker-alerts">
        <Loaded resource={tracker} what="the tracker's alerts">
          {(t) => <TrackerAlerts t={t} />}
        </Loaded>
      </Card>
      <Card title="Stored alert events" wide id="alert-events">
        <Loaded resource={events} what="the alert events">
          {(list) => <AlertEvents events={list} />}
        </Loaded>
      </Card>
    </div>
  );
}

function TrackerAlerts({ t }: { t: Api.TrackerSummaryResponse }) {
  const computed = t.alerts.filter((a) => !a.stored).length;
  return (
    <>
      <div class="stats">
        <Stat label="Alerts" value={t.alerts.length} tone={t.alerts.length > 0 ? "warn" : "good"} testId="alerts-count" />
        <Stat label="Raised now" value={computed} />
      </div>
      <p class="muted">
        {t.window ? `The program's window so far, ${t.window.start} → ${t.asOf}, newest first. ` : "Newest first. "}
        &quot;Raised now&quot;: computed by this tracker from today's state (a stale lease, work over a limit, …) and stored when <code>shipgate track</code> runs; the others are recorded
        verdicts and stored alerts.
      </p>
      <Table
        label="The tracker's alerts, newest first"
        rows={t.alerts}
        rowKey={(a) => `${a.key}@${a.at}`}
        empty="No alert in the window."
        columns={[
          { title: "When", cell: (a) => when(a.at) },
          { title: "Kind", cell: (a) => <Badge tone={KIND_TONE[a.kind] ?? "neutral"}>{a.kind}</Badge> },
          { title: "About", cell: (a) => <code>{a.subject}</code> },
          { title: "Message", cell: (a) => a.message },
          { title: "Source", cell: (a) => <span class="muted">{a.stored ? "recorded" : "raised now"}</span> },
        ]}
      />
    </>
  );
}

/** Every stored `alert` and `track.alert` event, newest first (the API pages oldest first). */
async function alertEvents(signal: AbortSignal): Promise<{ events: Api.StoreEvent[]; complete: boolean }> {
  const all: Api.StoreEvent[] = [];
  let complete = true;
  for (const type of ALERT_EVENT_TYPES) {
    let afterId = 0;
    for (let page = 0; ; page++) {
      if (page === MAX_PAGES) {
        complete = false;
        break;
      }
      const batch = await api.events({ type, afterId, limit: PAGE }, signal);
      all.push(...batch);
      if (batch.length < PAGE) break;
      afterId = batch.at(-1)!.id;
    }
  }
  all.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : b.id - a.id));
  return { events: all, complete };
}

const dataOf = (e: Api.StoreEvent) => (typeof e.data === "object" && e.data !== null ? (e.data as Record<string, unknown>) : {});
const text = (value: unknown) => (typeof value === "string" ? value : null);

function AlertEvents({ events: { events, complete } }: { events: { events: Api.StoreEvent[]; complete: boolean } }) {
  return (
    <>
      <p class="muted">
        Every alert shipgate stored: <code>alert</code> events from <code>shipgate assess</code> (score decline, a metric worse by more than 10 %) and <code>track.alert</code> events from <code>shipgate track</code> (once
        per alert and day). A gate's NO-GO is its recorded verdict (see Gates).
        {complete ? "" : ` Showing the oldest ${PAGE * MAX_PAGES} of each type.`}
      </p>
      <Table
        label="Stored alert events, newest first"
        rows={events}
        rowKey={(e) => String(e.id)}
        empty="No alert event stored yet."
        columns={[
          { title: "When", cell: (e) => when(e.at) },
          { title: "Event", cell: (e) => <code>{e.type}</code> },
          {
            title: "Kind",
            cell: (e) => {
              const kind = text(dataOf(e).kind) ?? text(dataOf(e).type);
              return kind ? <Badge tone={KIND_TONE[kind as keyof typeof KIND_TONE] ?? "neutral"}>{kind}</Badge> : null;
            },
          },
          { title: "About", cell: (e) => <code>{text(dataOf(e).subject) ?? text(dataOf(e).metric) ?? e.subject ?? ""}</code> },
          { title: "Message", cell: (e) => text(dataOf(e).message) ?? "" },
        ]}
      />
    </>
  );
}
