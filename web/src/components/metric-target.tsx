/**
 * A tracked metric against its dated target (one `MetricSeries` of `GET /api/tracker`): the daily value as a line
 * with gaps on days not measured (never a 0, never a line across), the target dashed, and the as-of day in words.
 */
import { figure } from "./figure.js";
import { useMemo } from "preact/hooks";
import type { Api } from "../api.js";
import { seconds, TimeChart } from "./chart.js";
import { Badge, type Tone } from "./ui.js";

export type Series = Api.Tracker["series"][number];
type SeriesDay = Series["days"][number];

/** "coverage.lines" or "coverage.lines · packages/api". */
/** A component at the repository root is named "." in the store: shown as "root package", not a bare dot. */
export const seriesName = (s: Series): string => (s.component === null ? s.metric : `${s.metric} · ${s.component === "." ? "root package" : s.component}`);

const STATUS_TONE: Record<SeriesDay["status"], Tone> = { met: "good", behind: "bad", "not-measured": "neutral", "no-target": "" };

export function seriesTone(status: SeriesDay["status"]): Tone {
  return STATUS_TONE[status];
}

export function MetricTargetChart({ series }: { series: Series }) {
  const chart = useMemo(
    () => ({
      x: series.days.map((d) => seconds(d.date)),
      series: [
        { label: series.metric, color: "#2563eb", values: series.days.map((d) => d.value), width: 2 },
        // A value alone between two gaps has no line to draw: the points show it.
        { label: "measured", color: "#2563eb", values: series.days.map((d) => d.value), points: true },
        { label: "target", color: "#dc2626", values: series.days.map((d) => d.target), dash: [6, 4], width: 1.5 },
      ],
    }),
    [series],
  );
  return <TimeChart label={`${seriesName(series)} vs target`} x={chart.x} series={chart.series} height={180} />;
}

/** The as-of day's value against its target, "not measured (last 85 on 2026-11-17)" or "unknown" when so. */
export function DayValue({ day }: { day: SeriesDay | undefined }) {
  if (day === undefined) return <span class="muted">no day in the window yet</span>;
  if (day.value === null) {
    const what = day.unknown ? "unknown" : "not measured";
    return (
      <span class="muted">
        {what}
        {day.previous ? ` (last ${figure(day.previous.value)} on ${day.previous.date})` : ""}
      </span>
    );
  }
  return <span>{figure(day.value)}</span>;
}

export function StatusBadge({ status }: { status: SeriesDay["status"] }) {
  return <Badge tone={seriesTone(status)}>{status}</Badge>;
}
