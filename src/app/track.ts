/**
 * The tracker use case (issue 12): reads the store's history in a constant number of queries — whatever the number
 * of snapshots, tasks and events — and hands it to the pure `buildTracker`. `track`, `track report`, `standup`,
 * `review`, `plan status` and (later) the server share it.
 */
import { isAbsolute, relative } from "node:path";
import type { Plan } from "../plan/types.js";
import type { FactPoint, Store, StoredPlan } from "../store/types.js";
import { alertEventData, TRACK_ALERT_EVENT } from "../track/alerts.js";
import type { Tracker } from "../track/model.js";
import { buildTracker, endOfDay, TRACKER_EVENT_TYPES, trackerFactKeys } from "../track/tracker.js";
import { TASK_BRANCH_PREFIX } from "./run-gate.js";

export interface TrackOptions {
  /** The clock (ISO 8601): SHIPGATE_NOW or the system's. */
  now: string;
  /** The day to replay (YYYY-MM-DD); default: today by `now`. A day after today is today. */
  asOf?: string;
  /** The branch whose snapshots count; default: the branch of the newest snapshot not on a task branch (shipgate/…). */
  branch?: string;
  /**
   * Store the alerts this tracker computes (forecast past a milestone, a task past the P95 cycle time, a stale
   * lease, WIP over a limit) as `track.alert` events — only for today's tracker, never a replayed past day.
   */
  storeAlerts?: boolean;
  trials?: number;
  seed?: number;
}

/** Reads the history up to the as-of moment and computes the tracker. */
export async function trackProgram(store: Store, options: TrackOptions): Promise<Tracker> {
  const today = options.now.slice(0, 10);
  const asOf = options.asOf === undefined || options.asOf >= today ? today : options.asOf;
  const at = asOf === today ? options.now : endOfDay(asOf);
  const to = nextMoment(at);
  const counted = countQueries(store);
  // The plans first: their targets and milestones name the facts to read.
  const plans = (await counted.store.listPlans({ to })).filter(hasPlanContent);
  const [events, facts, runs] = await Promise.all([
    counted.store.listEvents({ to, types: [...TRACKER_EVENT_TYPES] }),
    counted.store.listFactSeries({ to, keys: trackerFactKeys(plans) }),
    counted.store.listRuns({ to }),
  ]);
  const branch = options.branch ?? trackedBranch(facts);
  const [latest] = await counted.store.listSnapshots({ limit: 1, to, ...(branch === null ? {} : { branch }) });
  const tracker = buildTracker({
    asOf,
    at,
    plans,
    events,
    facts,
    runs,
    latest: latest ?? null,
    branch,
    queries: counted.count(),
    ...(options.trials === undefined ? {} : { trials: options.trials }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
  });
  if (options.storeAlerts && asOf === today) {
    for (const alert of tracker.alerts) {
      if (alert.stored) continue;
      await store.appendEvent({ at, type: TRACK_ALERT_EVENT, subject: alert.subject, data: alertEventData(alert) });
    }
  }
  return tracker;
}

/** The branch of the newest snapshot that is not a task attempt's (shipgate/<task>), or null without snapshots. */
function trackedBranch(facts: FactPoint[]): string | null {
  let newest: FactPoint | null = null;
  for (const f of facts) {
    if (f.branch !== null && f.branch.startsWith(TASK_BRANCH_PREFIX)) continue;
    if (newest === null || f.takenAt > newest.takenAt || (f.takenAt === newest.takenAt && f.snapshotId > newest.snapshotId)) newest = f;
  }
  return newest?.branch ?? null;
}

function hasPlanContent(p: StoredPlan): boolean {
  const content = p.content as Partial<Plan> | null;
  return content !== null && typeof content === "object" && Array.isArray(content.tasks);
}

/** The ISO time one millisecond later: ranges are `to`-exclusive, the as-of moment is included. */
function nextMoment(at: string): string {
  return new Date(Date.parse(at) + 1).toISOString();
}

/** The store, counting the calls made through it (every method is one query or one transaction). */
/**
 * The plan as the store names it (an absolute path when a command imported it), made relative to `cwd` when it lies
 * inside: what the CLI prints and the API answers (the server's folders are not the client's business).
 */
export function withRelativePlanSource(tracker: Tracker, cwd: string): Tracker {
  if (tracker.plan?.source == null || !isAbsolute(tracker.plan.source)) return tracker;
  const shown = relative(cwd, tracker.plan.source);
  return shown === "" || shown.startsWith("..") || isAbsolute(shown) ? tracker : { ...tracker, plan: { ...tracker.plan, source: shown } };
}

export function countQueries(store: Store): { store: Store; count: () => number } {
  let n = 0;
  const proxy = new Proxy(store, {
    get(target, key, receiver) {
      const value = Reflect.get(target, key, receiver) as unknown;
      if (typeof value !== "function") return value;
      return (...args: unknown[]) => {
        n++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, count: () => n };
}
