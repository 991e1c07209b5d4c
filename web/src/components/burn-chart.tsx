/**
 * The tracker's burn-down and burn-up on uPlot, drawn from `GET /api/tracker` as the CLI's SVGs draw them
 * (src/report/track-svg.ts): the work per day, the scope, the ideal line (frozen at the baseline, on to 0 at the
 * window's end) and, after the as-of day, the forecast cone. The forecast is made in tasks, so the cone is drawn only
 * in tasks; its P50 / P85 / P95 dates are listed under both.
 */
import { useMemo } from "preact/hooks";
import type { Api } from "../api.js";
import { seconds, TimeChart, type ChartSeries } from "./chart.js";

export type BurnUnit = "tasks" | "hours";
type Day = Api.Tracker["burndown"][number];

const COLORS = { work: "#2563eb", scope: "#64748b", ideal: "#16a34a", p50: "#7c3aed", p85: "#a855f7", p95: "#c084fc", band: "rgba(124, 58, 237, 0.12)" };

const round = (n: number) => Math.round(n * 100) / 100;

export function BurnChart(props: { tracker: Pick<Api.Tracker, "burndown" | "forecast" | "window">; kind: "down" | "up"; unit: BurnUnit }) {
  const { tracker: t, kind, unit } = props;
  const chart = useMemo(() => {
    const days = t.burndown;
    const last = days.at(-1);
    // Nothing to burn before a plan with tasks is imported (an empty store still has the as-of day's row).
    if (last === undefined || days.every((d) => d.scopeTasks === 0)) return null;
    const tasks = unit === "tasks";
    const scopeOf = (d: Day) => (tasks ? d.scopeTasks : d.scopeHours);
    const idealRemaining = (d: Day) => (tasks ? d.idealTasks : d.idealHours);
    const workOf = (d: Day) => (kind === "down" ? (tasks ? d.remainingTasks : d.remainingHours) : tasks ? d.doneTasks : d.doneHours);
    // The ideal is frozen at the baseline: the scope of the first day that has an ideal (as track-svg.ts draws it).
    const baseline = days.find((d) => idealRemaining(d) !== null);
    const idealOf = (remaining: number | null) => (remaining === null || baseline === undefined ? null : kind === "down" ? remaining : round(scopeOf(baseline) - remaining));
    const cone = tasks ? t.forecast.cone : [];
    const scopeNow = scopeOf(last);
    const coneValue = (remaining: number) => (kind === "down" ? remaining : round(scopeNow - remaining));

    // One x per day: the history, the window's end (where the ideal reaches 0), the cone's days.
    const dates = new Set(days.map((d) => d.date));
    const windowEnd = t.window && t.window.end > last.date ? t.window.end : null;
    if (windowEnd) dates.add(windowEnd);
    for (const c of cone) dates.add(c.date);
    const xs = [...dates].sort();
    const byDate = new Map(days.map((d) => [d.date, d]));
    const coneByDate = new Map(cone.map((c) => [c.date, c]));
    const pick = (date: string, value: (d: Day) => number | null) => {
      const d = byDate.get(date);
      return d === undefined ? null : value(d);
    };
    const series: ChartSeries[] = [
      { label: kind === "down" ? `remaining (${unit})` : `done (${unit})`, color: COLORS.work, values: xs.map((x) => pick(x, workOf)), width: 2.5 },
      { label: `scope (${unit})`, color: COLORS.scope, values: xs.map((x) => pick(x, scopeOf)), width: 1.5, dash: [2, 3] },
      {
        label: "ideal",
        color: COLORS.ideal,
        values: xs.map((x) => (x === windowEnd ? idealOf(0) : pick(x, (d) => idealOf(idealRemaining(d))))),
        width: 1.5,
        dash: [6, 4],
        // Defined on the history's days and at the window's end, where it reaches 0: one straight line between.
        spanGaps: true,
      },
    ];
    let band: { upper: number; lower: number; fill: string } | undefined;
    if (cone.length > 0) {
      // The cone starts at the as-of day's value and joins it to each quantile's completion day.
      const quantile = (q: "p50" | "p85" | "p95") =>
        xs.map((x) => {
          if (x === last.date) return coneValue(last.remainingTasks);
          const c = coneByDate.get(x);
          return c === undefined ? null : coneValue(c[q]);
        });
      series.push(
        { label: "forecast P50", color: COLORS.p50, values: quantile("p50"), width: 1.5 },
        { label: "P85", color: COLORS.p85, values: quantile("p85"), width: 1, dash: [4, 3] },
        { label: "P95", color: COLORS.p95, values: quantile("p95"), width: 1, dash: [2, 3] },
      );
      // Remaining work: P95 is the upper edge; done work: P50 is.
      band = kind === "down" ? { upper: 5, lower: 3, fill: COLORS.band } : { upper: 3, lower: 5, fill: COLORS.band };
    }
    return { x: xs.map(seconds), series, band };
  }, [t, kind, unit]);

  const name = kind === "down" ? "Burn-down" : "Burn-up";
  if (chart === null) return <p class="empty">No data yet: the burn-down starts on the day the plan is first imported into the store (by `shipgate task` or `shipgate run`).</p>;
  return <TimeChart label={`${name} (${unit})`} x={chart.x} series={chart.series} unit={unit} {...(chart.band ? { band: chart.band } : {})} height={260} />;
}

/** The forecast's dates in words: "P50 2026-12-16 · P85 … · P95 …", or why there is none. */
export function ForecastLine({ forecast }: { forecast: Api.Tracker["forecast"] }) {
  if (forecast.p50 === null && forecast.p85 === null && forecast.p95 === null) {
    return (
      <p class="muted" data-testid="forecast">
        Forecast: unknown{forecast.reason ? ` — ${forecast.reason}` : ""}.
      </p>
    );
  }
  if (forecast.remainingTasks === 0) {
    return (
      <p class="muted" data-testid="forecast">
        Every task in scope is done (the last on {forecast.p50 ?? "unknown"}).
      </p>
    );
  }
  return (
    <p class="muted" data-testid="forecast">
      Forecast of the last task done: <strong>P50 {forecast.p50 ?? "unknown"}</strong> · <strong>P85 {forecast.p85 ?? "unknown"}</strong> · <strong>P95 {forecast.p95 ?? "unknown"}</strong>{" "}
      ({forecast.remainingTasks} task{forecast.remainingTasks === 1 ? "" : "s"} remaining, {forecast.trials.toLocaleString("en-US")} trials over {forecast.historyDays} measured working days; the remaining critical path takes at least {forecast.floorDays} working day{forecast.floorDays === 1 ? "" : "s"})
      {forecast.reason ? ` — ${forecast.reason}` : ""}
    </p>
  );
}
