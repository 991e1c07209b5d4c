import type { TrackerBacktest } from "../track/backtest.js";

/** `shipgate track backtest` on the terminal: the calibration figure, then each cut point. */
export function renderBacktest(b: TrackerBacktest): string {
  const out: string[] = [];
  out.push(`Forecast backtest as of ${b.asOf}: ${b.days} working days of history${b.from === null ? "" : ` from ${b.from}`}, ${b.total} tasks done; ${b.trials} trials per cut, seed ${b.seed}`);
  if (b.rate === null) {
    out.push(`No calibration figure: ${b.reason ?? "no cut point could forecast"}.`);
    return `${out.join("\n")}\n`;
  }
  const pct = Math.round(b.rate * 1000) / 10;
  const verdict = pct < 75 ? "optimistic: finishes came later than P85 too often" : pct > 95 ? "pessimistic: P85 dates were later than needed" : "calibrated";
  out.push(`P85 held in ${b.withinP85} of ${b.cuts} cut points (${pct} %; a calibrated forecast is near 85 %) — ${verdict}.${b.skipped > 0 ? ` ${b.skipped} cut points had too little history to forecast.` : ""}`);
  // The target of every cut is the work done by the as-of day, so it is reached by then at the latest: a cut whose P85
  // is on or after the as-of day holds whatever happened. Say how many, and the figure over the cuts that could fail.
  const bound = (p: TrackerBacktest["points"][number]) => p.p85 !== null && p.p85 >= b.asOf;
  const open = b.points.filter((p) => p.p85 !== null && !bound(p));
  const boundCount = b.points.filter(bound).length;
  if (boundCount > 0) {
    const held = open.filter((p) => p.withinP85).length;
    out.push(
      `${boundCount} of the ${b.cuts} cut points have a P85 on or after ${b.asOf}, the day whose work they are judged on: they could not fail. ` +
        (open.length === 0 ? "No cut point could fail yet." : `Over the ${open.length} that could, P85 held in ${held} (${Math.round((held / open.length) * 1000) / 10} %).`),
    );
  }
  out.push("", "cut day     to reach  P85 date    reached     within P85");
  for (const p of b.points) {
    out.push(`${p.date}  ${String(p.remaining).padStart(8)}  ${(p.p85 ?? "—").padEnd(10)}  ${p.actual}  ${p.withinP85 ? (bound(p) ? "yes (could not fail)" : "yes") : "no"}`);
  }
  return `${out.join("\n")}\n`;
}
