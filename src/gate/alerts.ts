import type { Alert } from "../snapshot/types.js";
import { higherIsBetter } from "./metrics.js";

/** The metrics watched by default between consecutive snapshots. */
export const DEFAULT_ALERT_METRICS = [
  "coverage.lines",
  "coverage.branches",
  "tests.failed",
  "tests.errored",
  "lint.errors",
  "type_errors",
  "security.critical",
  "security.high",
  "docs.broken_links",
];

export interface AlertSettings {
  scoreDecline: boolean;
  /** A tracked metric worse by more than this percentage of its previous value raises an alert. */
  worseByPct: number;
  metrics: string[];
}


const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * What got worse from the previous snapshot to this one. Pure. A metric unknown on either side raises
 * nothing (there is nothing to compare); a lower-is-better metric that was 0 and is not any more always
 * alerts, since no percentage of 0 says how much worse it is.
 */
export function computeAlerts(before: Record<string, number | null>, after: Record<string, number | null>, settings: AlertSettings): Alert[] {
  const alerts: Alert[] = [];
  const b = before.score ?? null;
  const a = after.score ?? null;
  if (settings.scoreDecline && b !== null && a !== null && a < b) {
    alerts.push({ type: "score-decline", metric: "score", before: b, after: a, changePct: b === 0 ? null : round1(((a - b) / b) * 100), message: `score fell from ${b} to ${a}` });
  }
  for (const metric of settings.metrics) {
    if (metric === "score" && settings.scoreDecline) continue;
    const x = before[metric] ?? null;
    const y = after[metric] ?? null;
    if (x === null || y === null || x === y) continue;
    const worse = higherIsBetter(metric) ? y < x : y > x;
    if (!worse) continue;
    const changePct = x === 0 ? null : round1((Math.abs(y - x) / Math.abs(x)) * 100);
    if (changePct !== null && changePct <= settings.worseByPct) continue;
    alerts.push({
      type: "metric-worse",
      metric,
      before: x,
      after: y,
      changePct,
      message: `${metric} went from ${x} to ${y}${changePct === null ? "" : ` (${changePct} % worse, over the ${settings.worseByPct} % limit)`}`,
    });
  }
  return alerts;
}
