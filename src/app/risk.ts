/**
 * Risk status updates (issue 12): `shipgate risk set` records one as an event, `shipgate risk list` shows the plan's
 * risks with the status each has at a moment. The plan says what the risks are; the store says what happened to them.
 *
 * The event's shape, its builder and its reader live in src/track/risks.ts (`RISK_EVENT`, `riskEventData`,
 * `parseRiskEvent`), which the tracker's risk matrix shares: `risk.updated`, subject the risk id, data `{ status, note, by }`.
 */
import { ShipgateError } from "../errors.js";
import type { Plan, PlanRisk } from "../plan/types.js";
import type { StoreEvent, Store } from "../store/types.js";
import type { RiskStatus, RiskView } from "../track/model.js";
import { isRiskStatus, RISK_EVENT, RISK_STATUSES, riskEventData, risks } from "../track/risks.js";

export { isRiskStatus, RISK_STATUSES };

/**
 * The plan's risks at `at` (ISO 8601 with a zone): each with its updates at or before `at`, its status the last
 * update's (else the plan's), its exposure impact × probability (1 … 12). Highest exposure first, then plan order.
 * Updates naming a risk the plan does not list, or with a malformed payload, are left out (track/risks.ts `risks`).
 */
export const riskViews = (planRisks: readonly PlanRisk[], events: readonly StoreEvent[], at: string): RiskView[] => risks({ planRisks, events, at });

export interface RiskContext {
  store: Store;
  /** The plan as loaded from its file. */
  plan: Plan;
  /** The plan file as messages name it. */
  planFile: string;
}

export interface RiskUpdate {
  id: string;
  status: RiskStatus;
  note: string | null;
  /** Who set it (an agent or a person), or null. */
  by: string | null;
  at: string;
}

/** How many ids a NOT_FOUND message names before "and N more". */
const LISTED_IDS = 20;

/** The plan's risk `id`; NOT_FOUND naming the plan's risk ids when it has none such. */
export function findRisk(ctx: Pick<RiskContext, "plan" | "planFile">, id: string): PlanRisk {
  const risk = ctx.plan.risks.find((r) => r.id === id);
  if (!risk) throw unknownRisk(ctx, id);
  return risk;
}

function unknownRisk(ctx: Pick<RiskContext, "plan" | "planFile">, id: string): ShipgateError {
  const ids = ctx.plan.risks.map((r) => r.id);
  if (ids.length === 0) {
    return new ShipgateError("NOT_FOUND", `[risk] ${ctx.planFile} lists no risks, so there is no risk "${id}"`, {
      hint: "add it to the plan's risks: section (id, description, impact, probability; docs/plan.md)",
    });
  }
  const shown = ids.slice(0, LISTED_IDS).join(", ") + (ids.length > LISTED_IDS ? ` and ${ids.length - LISTED_IDS} more` : "");
  return new ShipgateError("NOT_FOUND", `[risk] ${ctx.planFile} has no risk "${id}" (its risks: ${shown})`, {
    hint: "use one of the plan's risk ids, or add the risk to its risks: section",
  });
}

/**
 * Records a risk's new status (and why) as a `risk.updated` event stamped `at`. The risk must be one of the plan's
 * (NOT_FOUND naming the plan's ids otherwise, nothing written). Setting the status it already has is recorded too: the
 * note is news. Resolves to the status before and the risk as it stands after, in two store calls.
 */
export async function setRiskStatus(ctx: RiskContext, update: RiskUpdate): Promise<{ previous: RiskStatus; risk: RiskView }> {
  const risk = findRisk(ctx, update.id);
  const event = await ctx.store.appendEvent({ type: RISK_EVENT, subject: risk.id, data: riskEventData(update.status, update.note, update.by), at: update.at });
  const events = await ctx.store.listEvents({ type: RISK_EVENT, to: afterMs(update.at) });
  // The view of this risk alone, up to and including the event just written (another update stamped the same
  // millisecond by a concurrent caller may sort after it).
  const [view] = riskViews([risk], events.filter((e) => e.id <= event.id), update.at);
  const updates = (view as RiskView).updates;
  return { previous: updates.at(-2)?.status ?? risk.status, risk: view as RiskView };
}

/** The plan's risks as they stood at `at` (`riskViews`), from ONE store read. */
export async function listRisks(ctx: RiskContext, at: string): Promise<RiskView[]> {
  const events = await ctx.store.listEvents({ type: RISK_EVENT, to: afterMs(at) });
  return riskViews(ctx.plan.risks, events, at);
}

/** The exclusive end of a range that takes in `at` itself. */
const afterMs = (at: string) => new Date(Date.parse(at) + 1).toISOString();
