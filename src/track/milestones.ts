/**
 * The plan's milestones evaluated on a day (issue 12): each criterion — a gate name or a condition
 * "metric op number" — judged on the last evidence on or before the milestone's date (or the as-of day when that
 * is earlier), and the milestone's status by the rules documented on `MilestoneStatus` (track/model.ts).
 *
 * Pure: the caller reads the store (`listFactSeries` for the tracked branch, `listEvents({ type: "gate.evaluated" })`)
 * and passes a probability function that wraps forecast.ts `milestoneProbability`. Linear in facts + events
 * (+ n log n to order each metric's readings), and in criteria × log(readings).
 */
import { ShipgateError } from "../errors.js";
import { compare } from "../gate/evaluate.js";
import { OPS, type Op } from "../gate/types.js";
import { CONDITION } from "../score/score.js";
import { weekdayIndex } from "../plan/schedule.js";
import type { PlanMilestone } from "../plan/types.js";
import { isCalendarDate } from "../plan/validate-plan.js";
import type { FactPoint, StoreEvent } from "../store/types.js";
import type { CriterionView, MilestoneStatus, MilestoneView } from "./model.js";
import { factKeyOf } from "./series.js";

/** The event `app/run-gate.ts` records for every gate it evaluates. */
export const GATE_EVALUATED_EVENT = "gate.evaluated";

/** The probability at or above which a milestone whose criteria are not met yet is on track. */
export const ON_TRACK_PROBABILITY = 0.85;

const DAY_MS = 86_400_000;
/** A gate's name as shipgate.yaml accepts it (config/schema.ts). No nested quantifier: linear. */
const GATE_NAME = /^[A-Za-z0-9][\w.-]*$/;
/** A metric name as CONDITION reads it. */
const METRIC = /^[a-z_][\w.]*$/;
/** A gate may also be written "gate:release" (docs/plan.md). */
const GATE_PREFIX = "gate:";

export interface MilestonesInput {
  milestones: readonly PlanMilestone[];
  /** The day the tracker is for (YYYY-MM-DD, UTC). */
  asOf: string;
  /**
   * Facts of snapshots (`Store.listFactSeries`) of the tracked branch, in any order. Only project-level facts
   * (component null) count; branches are not filtered here.
   */
  facts: readonly FactPoint[];
  /** The store's events, in any order; only `gate.evaluated` ones are read (data `{ gate, verdict, baseline, failed }`). */
  gateEvents: readonly StoreEvent[];
  /**
   * The share of forecast trials finishing the remaining work by a date (forecast.ts `milestoneProbability` from the
   * as-of day); null without a forecast. Called only for milestones not yet due.
   */
  probabilityBy: (date: string) => number | null;
  /** The completion forecast's P85 date (YYYY-MM-DD), or null without a forecast. */
  forecastP85: string | null;
}

/** A criterion as written, read: a condition, a gate name, or neither (with why). */
export type ParsedCriterion =
  | { kind: "condition"; metric: string; op: Op; threshold: number }
  | { kind: "gate"; gate: string }
  | { kind: "invalid"; reason: string };

/**
 * Reads a criterion: "metric op number" as every condition of shipgate.yaml is written (score/score.ts `CONDITION`:
 * a lowercase metric name, one of gate/types.ts `OPS`, a plain decimal number; spaces optional) is a condition; "gate:NAME", or a word a gate may be named (letters, digits, '.', '_', '-'), is a gate; anything else
 * is invalid.
 */
export function parseCriterion(text: string): ParsedCriterion {
  const s = text.trim();
  if (s.startsWith(GATE_PREFIX)) {
    const gate = s.slice(GATE_PREFIX.length).trim();
    return GATE_NAME.test(gate) ? { kind: "gate", gate } : { kind: "invalid", reason: `"${text}" must name a gate after "${GATE_PREFIX}" (letters, digits, '.', '_' or '-')` };
  }
  let i = 0;
  while (i < s.length && !isOpChar(s.charCodeAt(i))) i++;
  if (i === s.length) {
    return GATE_NAME.test(s)
      ? { kind: "gate", gate: s }
      : { kind: "invalid", reason: `"${text}" is neither a condition "metric op number" (${OPS.join(" ")}) nor a gate name` };
  }
  // The grammar of every other condition shipgate reads (score levels, gates: score/score.ts CONDITION); the scan
  // above only finds which part is wrong.
  const m = CONDITION.exec(s);
  if (m) return { kind: "condition", metric: m[1] as string, op: m[2] as Op, threshold: Number(m[3]) };
  const metric = s.slice(0, i).trim();
  const two = s.slice(i, i + 2);
  const op = (OPS as readonly string[]).includes(two) ? (two as Op) : (OPS as readonly string[]).includes(s[i] as string) ? (s[i] as Op) : null;
  if (op === null) return { kind: "invalid", reason: `"${text}" has no comparison shipgate knows: write one of ${OPS.join(" ")}` };
  if (!METRIC.test(metric)) return { kind: "invalid", reason: `"${text}" must start with one metric name: lowercase letters, digits, '.' and '_' (e.g. "coverage.lines >= 80")` };
  return { kind: "invalid", reason: `"${text}" must end with a number after ${op}, like 80, -1 or 0.5 (got "${s.slice(i + op.length).trim()}")` };
}

/** Every milestone of the plan, in plan order, evaluated at the end of `asOf`. Throws USAGE for a bad date. */
export function milestones(input: MilestonesInput): MilestoneView[] {
  checkDate("as-of day", input.asOf);
  const readings = readingsByKey(input.facts);
  const gates = gateRunsByName(input.gateEvents);
  return input.milestones.map((m) => {
    checkDate(`date of milestone ${m.id}`, m.date);
    const judgedOn = m.date < input.asOf ? m.date : input.asOf;
    const cutoff = Date.parse(`${judgedOn}T00:00:00Z`) + DAY_MS; // end of that day, exclusive
    const criteria = m.criteria.map((text) => judge(text, judgedOn, cutoff, readings, gates));
    const due = m.date < input.asOf;
    const probability = due ? null : input.probabilityBy(m.date);
    return {
      id: m.id,
      date: m.date,
      status: statusOf(criteria, due, m.date, probability, input.forecastP85),
      criteria,
      probability,
      daysLeft: weekdayIndex(m.date) - weekdayIndex(input.asOf),
    };
  });
}

/** The rules of `MilestoneStatus` (model.ts). A milestone without criteria is judged by the forecast alone while due, unknown after. */
function statusOf(criteria: readonly CriterionView[], due: boolean, date: string, probability: number | null, p85: string | null): MilestoneStatus {
  const notMet = criteria.some((c) => c.status === "not-met");
  const unknown = criteria.some((c) => c.status === "unknown");
  if (criteria.length > 0 && !notMet && !unknown) return "met";
  if (notMet) {
    if (due) return "missed";
    const atRisk = (p85 !== null && p85 > date) || probability === null || probability < ON_TRACK_PROBABILITY;
    return atRisk ? "at-risk" : "on-track";
  }
  if (criteria.length === 0 && !due) {
    return (p85 !== null && p85 > date) || probability === null || probability < ON_TRACK_PROBABILITY ? "at-risk" : "on-track";
  }
  return "unknown";
}

interface Reading {
  ms: number;
  snapshotId: number;
  value: number | null;
}

/** One recorded gate evaluation. */
export interface GateRun {
  ms: number;
  id: number;
  at: string;
  verdict: "GO" | "NO-GO";
  snapshotId: number | null;
  failed: string[];
}

function judge(text: string, judgedOn: string, cutoff: number, readings: Map<string, Reading[]>, gates: Map<string, GateRun[]>): CriterionView {
  const parsed = parseCriterion(text);
  if (parsed.kind === "invalid") return { text, kind: text.trim().startsWith(GATE_PREFIX) ? "gate" : "condition", status: "unknown", value: null, evidence: null, reason: parsed.reason };
  if (parsed.kind === "gate") {
    const run = lastBefore(gates.get(parsed.gate), cutoff);
    if (!run) {
      return { text, kind: "gate", status: "unknown", value: null, evidence: null, reason: `no \`shipgate gate --gate ${parsed.gate}\` recorded on or before ${judgedOn}` };
    }
    const on = `${run.verdict} on ${dayOf(run.ms)}${run.snapshotId === null ? "" : ` (snapshot ${run.snapshotId})`}`;
    const failed = run.verdict === "NO-GO" && run.failed.length > 0 ? `: failed ${run.failed.join(", ")}` : "";
    return { text, kind: "gate", status: run.verdict === "GO" ? "met" : "not-met", value: null, evidence: `gate ${parsed.gate}: ${on}${failed}`, reason: null };
  }
  const reading = lastBefore(readings.get(factKeyOf(parsed.metric)), cutoff);
  if (!reading) {
    return { text, kind: "condition", status: "unknown", value: null, evidence: null, reason: `no snapshot on or before ${judgedOn} has ${parsed.metric}` };
  }
  const evidence = `snapshot ${reading.snapshotId} (${dayOf(reading.ms)})`;
  if (reading.value === null) {
    return { text, kind: "condition", status: "unknown", value: null, evidence, reason: `${evidence} stored ${parsed.metric} as unknown (not measured)` };
  }
  return { text, kind: "condition", status: compare(reading.value, parsed.op, parsed.threshold) ? "met" : "not-met", value: reading.value, evidence, reason: null };
}

/** The last entry (by time, then id) strictly before `cutoff`: entries are sorted ascending. */
function lastBefore<T extends { ms: number }>(list: readonly T[] | undefined, cutoff: number): T | null {
  if (!list) return null;
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((list[mid] as T).ms < cutoff) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? null : (list[lo - 1] as T);
}

function readingsByKey(facts: readonly FactPoint[]): Map<string, Reading[]> {
  const out = new Map<string, Reading[]>();
  for (const f of facts) {
    if (f.component !== null) continue;
    const ms = Date.parse(f.takenAt);
    if (!Number.isFinite(ms)) continue;
    let list = out.get(f.key);
    if (!list) out.set(f.key, (list = []));
    list.push({ ms, snapshotId: f.snapshotId, value: f.value });
  }
  for (const list of out.values()) list.sort((a, b) => a.ms - b.ms || a.snapshotId - b.snapshotId);
  return out;
}

function gateRunsByName(events: readonly StoreEvent[]): Map<string, GateRun[]> {
  const out = new Map<string, GateRun[]>();
  for (const e of events) {
    const run = gateRunOf(e);
    if (!run) continue;
    let list = out.get(run.gate);
    if (!list) out.set(run.gate, (list = []));
    list.push(run.run);
  }
  for (const list of out.values()) list.sort((a, b) => a.ms - b.ms || a.id - b.id);
  return out;
}

/** A `gate.evaluated` event as the tracker reads it; null for any other event or a malformed one. */
export function gateRunOf(e: StoreEvent): { gate: string; run: GateRun } | null {
  if (e.type !== GATE_EVALUATED_EVENT || typeof e.data !== "object" || e.data === null) return null;
  const data = e.data as { gate?: unknown; verdict?: unknown; failed?: unknown };
  if (typeof data.gate !== "string" || (data.verdict !== "GO" && data.verdict !== "NO-GO")) return null;
  const ms = Date.parse(e.at);
  if (!Number.isFinite(ms)) return null;
  const failed = Array.isArray(data.failed) ? data.failed.filter((x): x is string => typeof x === "string") : [];
  return { gate: data.gate, run: { ms, id: e.id, at: e.at, verdict: data.verdict, snapshotId: snapshotIdOf(e.subject), failed } };
}

/** `snapshot:12` → 12. */
export function snapshotIdOf(subject: string | null): number | null {
  if (subject === null || !subject.startsWith("snapshot:")) return null;
  const n = Number(subject.slice("snapshot:".length));
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}

/** The UTC day of a moment. */
function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function isOpChar(c: number): boolean {
  return c === 60 /* < */ || c === 62 /* > */ || c === 61 /* = */ || c === 33 /* ! */;
}

function checkDate(name: string, value: string): void {
  if (typeof value !== "string" || !isCalendarDate(value)) {
    throw new ShipgateError("USAGE", `[track] the ${name} must be a date YYYY-MM-DD (got "${String(value)}")`, { hint: "write dates as YYYY-MM-DD" });
  }
}
