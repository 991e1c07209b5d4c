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
  out.push("", "cut day     remaining  P85 date    reached     within P85");
  for (const p of b.points) {
    out.push(`${p.date}  ${String(p.remaining).padStart(9)}  ${(p.p85 ?? "—").padEnd(10)}  ${p.actual}  ${p.withinP85 ? "yes" : "no"}`);
  }
  return `${out.join("\n")}\n`;
}
