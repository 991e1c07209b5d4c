import type { TrackerBacktest } from "../track/backtest.js";

/** `shipgate track backtest` on the terminal: the calibration figure, then each cut point. */
export function renderBacktest(b: TrackerBacktest): string {
  const out: string[] = [];
  out.push(`Forecast backtest as of ${b.asOf}: ${b.days} working days of history${b.from === null ? "" : ` from ${b.from}`}, ${b.total} tasks done; ${b.trials} trials per cut, seed ${b.seed}`);
  const boundWords = b.bound > 0 ? ` ${b.bound} cut point${b.bound === 1 ? " has" : "s have"} a P85 on or after ${b.asOf}, the day whose work they are judged on: they could not fail and are not counted.` : "";
  const skippedWords = b.skipped > 0 ? ` ${b.skipped} cut point${b.skipped === 1 ? "" : "s"} had too little history to forecast.` : "";
  if (b.rate === null) {
    out.push(`No calibration figure: ${b.reason ?? "no cut point could forecast"}.${boundWords}${skippedWords}`);
  } else {
    const pct = Math.round(b.rate * 1000) / 10;
    const verdict = b.cuts < 10 ? "too few cut points to judge" : pct < 75 ? "optimistic: finishes came later than P85 too often" : pct > 95 ? "pessimistic: P85 dates were later than needed" : "calibrated";
    out.push(`P85 held in ${b.withinP85} of ${b.cuts} cut points that could fail (${pct} %; a calibrated forecast is near 85 %) — ${verdict}.${boundWords}${skippedWords}`);
  }
  if (b.points.length === 0) return `${out.join("\n")}\n`;
  out.push("", "cut day     to reach  P85 date    reached     within P85");
  for (const p of b.points) {
    out.push(`${p.date}  ${String(p.remaining).padStart(8)}  ${(p.p85 ?? "—").padEnd(10)}  ${p.actual}  ${p.withinP85 ? (p.couldFail ? "yes" : "yes (could not fail)") : "no"}`);
  }
  return `${out.join("\n")}\n`;
}
