import { relative, resolve } from "node:path";
import type { RiskContext } from "../../app/risk.js";
import { ShipgateError } from "../../errors.js";
import { stripControls } from "../../report/sanitize.js";
import type { RiskView } from "../../track/model.js";
import { now } from "../clock.js";
import { writeReport, type CliIo, type CommonOptions } from "../output.js";
import { parseDay } from "../parse-args.js";
import { shellWord } from "../queue-hints.js";

export interface RiskOptions extends CommonOptions {
  plan?: string;
  agent?: string;
  status?: string;
  note?: string;
  asOf?: string;
}

/**
 * Loads the plan (--plan, default shipgate.plan.yaml under --cwd), opens the store with the plan synced (imported
 * when the file changed) and hands both to `work`. `readOnly`: without a store, an empty one in memory (nothing created).
 */
async function withRisks<T>(
  options: RiskOptions,
  at: string,
  work: (ctx: RiskContext) => Promise<T>,
  { readOnly = false, check = () => undefined }: { readOnly?: boolean; check?: (plan: Pick<RiskContext, "plan" | "planFile">) => void } = {},
): Promise<T> {
  const [{ loadPlan, PLAN_FILE }, { withStore }, { syncPlan }] = await Promise.all([import("../../config/load-plan.js"), import("../../store/open-store.js"), import("../../app/sync-plan.js")]);
  const file = resolve(options.cwd, options.plan ?? PLAN_FILE);
  const loaded = await loadPlan(file, { cwd: process.cwd() });
  const planFile = relative(options.cwd, file) || file;
  // Refusals that the plan alone decides come before the store is opened (or created).
  check({ plan: loaded.plan, planFile });
  return withStore(options.db, { cwd: options.cwd, at, emptyIfMissing: readOnly }, async (store) => {
    await syncPlan(store, file, { cwd: process.cwd(), at, loaded });
    return work({ store, plan: loaded.plan, planFile });
  });
}

const oneLine = (text: string) => stripControls(text).split("\n")[0] ?? "";

/** "2026-12-02 09:30 by bob: fallback in place", or "as planned" without an update. */
function lastUpdate(risk: RiskView): string {
  const last = risk.updates.at(-1);
  if (!last) return "as planned";
  const when = last.at.slice(0, 16).replace("T", " ");
  return `${when}${last.by ? ` by ${oneLine(last.by)}` : ""}${last.note ? `: ${oneLine(last.note)}` : ""}`;
}

function riskTable(risks: RiskView[]): string {
  const header = ["ID", "STATUS", "IMPACT", "PROBABILITY", "EXPOSURE", "OWNER", "LAST UPDATE"];
  const rows = risks.map((r) => [oneLine(r.id), r.status, r.impact, r.probability, String(r.exposure), r.owner === null ? "-" : oneLine(r.owner), lastUpdate(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] as number))).join("  ").trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

/** `shipgate risk list [--as-of D]`: the plan's risks with their status at the end of D (default: now). */
export async function riskListCommand(options: RiskOptions, io: CliIo): Promise<number> {
  const at = now(io.env);
  const today = at.slice(0, 10);
  const asOf = options.asOf === undefined ? today : parseDay(options.asOf, "--as-of");
  // The end of a past (or future) day; today is replayed up to now.
  const moment = asOf === today ? at : `${asOf}T23:59:59.999Z`;
  const { listRisks, RISK_STATUSES } = await import("../../app/risk.js");
  const { risks, planFile } = await withRisks(options, at, async (ctx) => ({ risks: await listRisks(ctx, moment), planFile: ctx.planFile }), { readOnly: true });
  if (options.json) {
    io.stdout(`${JSON.stringify({ plan: planFile, asOf, at: moment, risks }, null, 2)}\n`);
    return 0;
  }
  if (risks.length === 0) {
    io.stdout(`${planFile} lists no risks (add them under risks:, docs/plan.md)\n`);
    return 0;
  }
  const summary = RISK_STATUSES.map((status) => [status, risks.filter((r) => r.status === status).length] as const)
    .filter(([, n]) => n > 0)
    .map(([status, n]) => `${n} ${status}`)
    .join(", ");
  writeReport(io, `risks of ${planFile} as of ${asOf}: ${summary}\n\n${riskTable(risks)}\n`);
  return 0;
}

/** `shipgate risk set ID --status S [--note TEXT] [--agent A]`: records a status update as a risk.updated event. */
export async function riskSetCommand(id: string, options: RiskOptions, io: CliIo): Promise<number> {
  const { RISK_STATUSES, findRisk, isRiskStatus, setRiskStatus } = await import("../../app/risk.js");
  const status = options.status ?? "";
  if (!isRiskStatus(status)) {
    throw new ShipgateError("USAGE", `[risk] --status must be one of ${RISK_STATUSES.join(", ")} (got "${status}")`, { hint: `e.g. shipgate risk set ${shellWord(id)} --status mitigated --note "what changed"` });
  }
  const at = now(io.env);
  const by = options.agent ?? (io.env.SHIPGATE_AGENT || null);
  const { previous, risk } = await withRisks(options, at, (ctx) => setRiskStatus(ctx, { id, status, note: options.note ?? null, by, at }), {
    check: (plan) => void findRisk(plan, id),
  });
  if (options.json) {
    io.stdout(`${JSON.stringify({ previous, risk }, null, 2)}\n`);
    return 0;
  }
  const note = risk.updates.at(-1)?.note;
  writeReport(io, `${oneLine(risk.id)}: ${previous} → ${risk.status}${by ? ` (by ${oneLine(by)})` : ""}${note ? `: ${oneLine(note)}` : ""}\n`);
  return 0;
}
