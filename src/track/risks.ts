/**
 * The risk matrix (issue 12): the plan's risks with the status updates recorded for them, as of a moment. Pure.
 *
 * A status update is a store event (`shipgate risk set ID --status S --note N` appends it):
 * - `type`: `risk.updated` (`RISK_EVENT`);
 * - `subject`: the risk id, as the plan's `risks[].id` spells it;
 * - `data`: `{ status, note, by }` (`riskEventData`) — `status` one of `RISK_STATUSES`, `note` the reason in words or
 *   null, `by` who set it (an agent or person id) or null;
 * - `at`: when it was set.
 * Readers go through `parseRiskEvent`, which ignores a malformed payload (returns null) rather than failing the whole
 * tracker on one bad row. An update naming a risk the plan does not list (a typo, or a risk since removed from the
 * plan) is ignored: the matrix shows the plan's risks only.
 */
import type { PlanRisk } from "../plan/types.js";
import type { StoreEvent } from "../store/types.js";
import type { RiskStatus, RiskView } from "./model.js";
import { instantMs } from "./replay.js";

/** The event type of a risk's status update. */
export const RISK_EVENT = "risk.updated";

/** Every risk status, in the plan's words. */
export const RISK_STATUSES: readonly RiskStatus[] = ["open", "mitigated", "accepted", "closed"];

export const isRiskStatus = (value: string): value is RiskStatus => (RISK_STATUSES as readonly string[]).includes(value);

/** The data of a `risk.updated` event. */
export interface RiskEventData {
  status: RiskStatus;
  note: string | null;
  by: string | null;
}

/** The payload of a `risk.updated` event (what `shipgate risk set` appends). An empty note is stored as null. */
export function riskEventData(status: RiskStatus, note: string | null, by: string | null): RiskEventData {
  return { status, note: note === null || note === "" ? null : note, by };
}

/**
 * A `risk.updated` payload, checked: null unless it is an object whose `status` is one of `RISK_STATUSES`; `note` and
 * `by` are read when they are strings (anything else: null). Never throws.
 */
export function parseRiskEvent(data: unknown): RiskEventData | null {
  if (typeof data !== "object" || data === null) return null;
  const { status, note, by } = data as Record<string, unknown>;
  if (typeof status !== "string" || !isRiskStatus(status)) return null;
  return { status, note: typeof note === "string" && note !== "" ? note : null, by: typeof by === "string" ? by : null };
}

export interface RisksInput {
  /** The plan's risks, in plan order. */
  planRisks: readonly PlanRisk[];
  /** The store's events, oldest first (by id); only `risk.updated` ones are read. */
  events: readonly StoreEvent[];
  /** The as-of moment (ISO 8601 date-time with a zone); later updates are ignored. */
  at: string;
}

/** impact on the risk matrix: low 1 … critical 4. */
export const IMPACT_WEIGHT: Readonly<Record<PlanRisk["impact"], number>> = { low: 1, medium: 2, high: 3, critical: 4 };
/** probability on the risk matrix: low 1 … high 3. */
export const PROBABILITY_WEIGHT: Readonly<Record<PlanRisk["probability"], number>> = { low: 1, medium: 2, high: 3 };

/**
 * The plan's risks at `at`: each with its updates at or before `at` (in the given order), its status the last
 * update's (else the plan's), and its exposure impact × probability (1 … 12). Sorted by exposure, highest first, then
 * plan order. O(R + E). Throws USAGE when `at` or an update's time is not an ISO 8601 date-time with a zone.
 */
export function risks(input: RisksInput): RiskView[] {
  const atMs = instantMs(input.at, "the risk matrix's moment");
  const updates = new Map<string, RiskView["updates"]>(input.planRisks.map((r) => [r.id, []]));
  for (const event of input.events) {
    if (event.type !== RISK_EVENT || event.subject === null) continue;
    const list = updates.get(event.subject);
    const data = parseRiskEvent(event.data);
    if (list === undefined || data === null) continue;
    if (instantMs(event.at, `the time of event ${event.id} (${RISK_EVENT} ${event.subject})`) > atMs) continue;
    list.push({ at: event.at, status: data.status, note: data.note, by: data.by });
  }
  const views = input.planRisks.map((risk, order) => {
    const list = updates.get(risk.id) ?? [];
    const last = list[list.length - 1];
    const view: RiskView = { ...risk, status: last?.status ?? risk.status, exposure: IMPACT_WEIGHT[risk.impact] * PROBABILITY_WEIGHT[risk.probability], updates: list };
    return { view, order };
  });
  return views.sort((a, b) => b.view.exposure - a.view.exposure || a.order - b.order).map((v) => v.view);
}
