import { access, mkdir, writeFile } from "node:fs/promises";
import { join, relative, resolve } from "node:path";
import { ShipgateError } from "../../errors.js";
import { isCalendarDate } from "../../plan/validate-plan.js";
import type { Store } from "../../store/types.js";
import type { Tracker } from "../../track/model.js";
import { now } from "../clock.js";
import { writeReport, type CliIo, type CommonOptions } from "../output.js";
import { parseCount } from "../parse-args.js";

export interface TrackOptions extends CommonOptions {
  plan?: string;
  asOf?: string;
  branch?: string;
  out?: string;
  failOnAlert?: boolean;
  agent?: string;
  since?: string;
  trials?: string;
  seed?: string;
}

/** Terminal and markdown documents end with a newline, so the shell's prompt starts on a line of its own. */
const withNewline = (text: string): string => (text.endsWith("\n") ? text : `${text}\n`);

/** The chart files `track report --out DIR` writes next to tracker.md. */
export const CHART_FILES = { burndown: "burndown.svg", burnup: "burnup.svg", score: "score.svg", coverage: "coverage.svg" } as const;

function checkDate(value: string | undefined, flag: string): void {
  if (value !== undefined && !isCalendarDate(value)) {
    throw new ShipgateError("USAGE", `[track] ${flag} "${value}" is not a date`, { hint: `write it as YYYY-MM-DD, e.g. ${flag} 2026-12-04` });
  }
}

/**
 * The tracker of the as-of day. The plan file (when there is one) is imported first, as `plan status` does, so the
 * tracker sees the plan as it is. Without a store there is no history, and none is created (the plan goes into an
 * empty one in memory); with one, `storeAlerts` stores today's computed alerts in it.
 */
async function tracker(options: TrackOptions, io: CliIo, extra: { storeAlerts?: boolean } = {}): Promise<Tracker> {
  checkDate(options.asOf, "--as-of");
  const at = now(io.env);
  const trials = options.trials === undefined ? undefined : parseCount(options.trials, "--trials");
  if (trials === 0) throw new ShipgateError("USAGE", "[track] --trials must be at least 1");
  const seed = options.seed === undefined ? undefined : parseCount(options.seed, "--seed");
  const [{ withStore }, { trackProgram, withRelativePlanSource }] = await Promise.all([import("../../store/open-store.js"), import("../../app/track.js")]);
  const planFile = await existingPlan(options);
  return withStore(options.db, { cwd: options.cwd, at, emptyIfMissing: true }, async (store: Store) => {
    if (planFile !== null) {
      const { syncPlan } = await import("../../app/sync-plan.js");
      await syncPlan(store, planFile, { cwd: process.cwd(), at });
    }
    const t = await trackProgram(store, {
      now: at,
      ...(options.asOf === undefined ? {} : { asOf: options.asOf }),
      ...(options.branch === undefined ? {} : { branch: options.branch }),
      ...(trials === undefined ? {} : { trials }),
      ...(seed === undefined ? {} : { seed }),
      storeAlerts: extra.storeAlerts === true,
    });
    return withRelativePlanSource(t, options.cwd);
  });
}

/** --plan, else shipgate.plan.yaml under --cwd when it exists; null when there is none (a named --plan must exist). */
async function existingPlan(options: TrackOptions): Promise<string | null> {
  const { PLAN_FILE } = await import("../../config/load-plan.js");
  const path = resolve(options.cwd, options.plan ?? PLAN_FILE);
  try {
    await access(path);
    return path;
  } catch {
    if (options.plan !== undefined) throw new ShipgateError("NOT_FOUND", `[track] --plan ${options.plan}: no such file`, { hint: "name the plan file, or leave --plan out to use the stored plan" });
    return null;
  }
}

/** Alerts that fail `--fail-on-alert`: raised on the as-of day, or computed from the state of that day. */
function failingAlerts(t: Tracker): number {
  return t.alerts.filter((a) => !a.stored || a.at.slice(0, 10) === t.asOf).length;
}

/** `shipgate track`: the tracker on the terminal (or --json). */
export async function trackCommand(options: TrackOptions, io: CliIo): Promise<number> {
  const t = await tracker(options, io, { storeAlerts: true });
  if (options.json) io.stdout(`${JSON.stringify(t, null, 2)}\n`);
  else if (options.markdown) {
    const { renderTrackerMarkdown } = await import("../../report/track-markdown.js");
    writeReport(io, withNewline(renderTrackerMarkdown(t, {})));
  } else {
    const { renderTracker } = await import("../../report/track-text.js");
    writeReport(io, withNewline(renderTracker(t, { color: io.color })));
  }
  return options.failOnAlert && failingAlerts(t) > 0 ? 1 : 0;
}

/** `shipgate track report`: the tracker document; with --out DIR, tracker.md and its SVG charts in DIR. */
export async function trackReportCommand(options: TrackOptions, io: CliIo): Promise<number> {
  const t = await tracker(options, io, { storeAlerts: true });
  if (options.json) {
    io.stdout(`${JSON.stringify(t, null, 2)}\n`);
    return options.failOnAlert && failingAlerts(t) > 0 ? 1 : 0;
  }
  const { renderTrackerMarkdown } = await import("../../report/track-markdown.js");
  if (options.out === undefined) {
    writeReport(io, withNewline(renderTrackerMarkdown(t, {})));
    return options.failOnAlert && failingAlerts(t) > 0 ? 1 : 0;
  }
  const dir = resolve(options.cwd, options.out);
  const { burndownSvg, burnupSvg, trendSvg } = await import("../../report/track-svg.js");
  const coverage = t.series.filter((s) => s.metric.startsWith("coverage.") && s.component === null);
  const files: [string, string][] = [
    [CHART_FILES.burndown, burndownSvg(t, { unit: "tasks" })],
    [CHART_FILES.burnup, burnupSvg(t, { unit: "tasks" })],
    [CHART_FILES.score, trendSvg(t.series.filter((s) => s.metric === "score" && s.component === null), { title: "Readiness score" })],
    [CHART_FILES.coverage, trendSvg(coverage, { title: "Coverage" })],
    ["tracker.md", renderTrackerMarkdown(t, { charts: { ...CHART_FILES } })],
  ];
  try {
    await mkdir(dir, { recursive: true });
    for (const [name, content] of files) await writeFile(join(dir, name), content);
  } catch (error) {
    throw new ShipgateError("WRITE_FAILED", `[track] --out ${options.out}: cannot write: ${(error as Error).message}`, { hint: "name a folder you can write to", cause: error });
  }
  io.stderr(`[track] tracker for ${t.asOf} written to ${relative(options.cwd, join(dir, "tracker.md")) || "tracker.md"} with ${files.length - 1} charts\n`);
  return options.failOnAlert && failingAlerts(t) > 0 ? 1 : 0;
}

/** `shipgate track standup`: done since the last standup, in progress, next, blockers, metrics, action items. */
export async function trackStandupCommand(options: TrackOptions, io: CliIo): Promise<number> {
  checkDate(options.since, "--since");
  const t = await tracker(options, io);
  const { standup } = await import("../../track/standup.js");
  const s = standup(t, { ...(options.since === undefined ? {} : { since: options.since }), ...(options.agent === undefined ? {} : { agent: options.agent }) });
  if (options.json) io.stdout(`${JSON.stringify(s, null, 2)}\n`);
  else if (options.markdown) writeReport(io, withNewline((await import("../../report/track-markdown.js")).renderStandupMarkdown(s)));
  else writeReport(io, withNewline((await import("../../report/track-text.js")).renderStandupText(s, { color: io.color })));
  return 0;
}

/** `shipgate track review`: goals vs targets, accomplishments, challenges, metrics, next steps. */
export async function trackReviewCommand(options: TrackOptions, io: CliIo): Promise<number> {
  checkDate(options.since, "--since");
  const t = await tracker(options, io);
  const { review } = await import("../../track/standup.js");
  const r = review(t, options.since === undefined ? {} : { since: options.since });
  if (options.json) io.stdout(`${JSON.stringify(r, null, 2)}\n`);
  else if (options.markdown) writeReport(io, withNewline((await import("../../report/track-markdown.js")).renderReviewMarkdown(r)));
  else writeReport(io, withNewline((await import("../../report/track-text.js")).renderReviewText(r, { color: io.color })));
  return 0;
}

/**
 * `shipgate track backtest`: replays every past working day of the program, forecasts from the days before it, and
 * counts how often the work done so far was actually reached on or before that forecast's P85 date.
 */
export async function trackBacktestCommand(options: TrackOptions, io: CliIo): Promise<number> {
  const t = await tracker(options, io);
  const { backtestTracker } = await import("../../track/backtest.js");
  const result = backtestTracker(t);
  if (options.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else {
    const { renderBacktest } = await import("../../report/track-backtest.js");
    writeReport(io, withNewline(renderBacktest(result)));
  }
  return 0;
}

