import { parseBaselineSpec } from "../gate/baseline-spec.js";
import { conditionSpec, DEFAULT_GATES } from "../gate/defaults.js";
import { gateMetricNames } from "../gate/metrics.js";
import type { ConditionSpec, GateSpec, Op } from "../gate/types.js";
import { CONDITION } from "../score/score.js";
import type { ShipgateConfig } from "./schema.js";

type GateConfig = ShipgateConfig["gates"][string];
type ConditionConfig = NonNullable<GateConfig["conditions"]>[number];

function toCondition(c: ConditionConfig): ConditionSpec {
  if (typeof c === "string") {
    const [, metric = "", op = "", threshold = "0"] = CONDITION.exec(c) ?? [];
    return conditionSpec({ metric, op: op as Op, threshold: Number(threshold) });
  }
  return conditionSpec({
    ...(c.id ? { id: c.id } : {}),
    metric: c.metric,
    op: c.op,
    threshold: c.threshold,
    scope: c.scope,
    severity: c.severity,
    whenMissing: c.when_missing,
    ...(c.description ? { description: c.description } : {}),
  });
}

/** Every gate: the built-in ones, replaced or extended by shipgate.yaml's, then the config's own. */
export function gateSpecs(config: ShipgateConfig): GateSpec[] {
  const out = new Map<string, GateSpec>(DEFAULT_GATES.map((g) => [g.name, g]));
  for (const [name, g] of Object.entries(config.gates)) {
    const builtIn = out.get(name);
    const baseline = parseBaselineSpec(g.baseline);
    out.set(name, {
      name,
      description: g.description ?? (g.conditions ? null : (builtIn?.description ?? null)),
      baseline: "error" in baseline ? { kind: "previous" } : baseline,
      conditions: g.conditions ? g.conditions.map(toCondition) : (builtIn?.conditions ?? []),
      waivers: g.waivers,
    });
  }
  return [...out.values()];
}

/** A problem in the gates section, with the key path so the loader can name the line. */
export interface GateProblem {
  path: (string | number)[];
  message: string;
}

/** What zod cannot check: metrics per scope (and of alerts), waivers naming real conditions, baseline specs, built-in names. */
export function gateProblems(config: ShipgateConfig): GateProblem[] {
  const problems: GateProblem[] = [];
  const overall = gateMetricNames("overall");
  config.alerts.metrics.forEach((metric, i) => {
    if (!overall.includes(metric)) problems.push({ path: ["alerts", "metrics", i], message: `unknown metric "${metric}"; known: ${overall.join(", ")}` });
  });
  const builtIn = new Map(DEFAULT_GATES.map((g) => [g.name, g]));
  for (const [name, g] of Object.entries(config.gates)) {
    const baseline = parseBaselineSpec(g.baseline);
    if ("error" in baseline) problems.push({ path: ["gates", name, "baseline"], message: `baseline ${baseline.error}` });
    if (!g.conditions && !builtIn.has(name)) {
      problems.push({ path: ["gates", name], message: `gate "${name}" has no conditions (only the built-in gates ${[...builtIn.keys()].join(", ")} may leave them out)` });
      continue;
    }
    const conditions = g.conditions ? g.conditions.map(toCondition) : (builtIn.get(name)?.conditions ?? []);
    const seen = new Set<string>();
    (g.conditions ?? []).forEach((raw, i) => {
      const c = conditions[i] as ConditionSpec;
      const known = gateMetricNames(c.scope);
      if (!known.includes(c.metric)) {
        const at = typeof raw === "string" ? ["gates", name, "conditions", i] : ["gates", name, "conditions", i, "metric"];
        problems.push({ path: at, message: `unknown metric "${c.metric}" for scope ${c.scope}; known: ${known.join(", ")}` });
      }
      if (seen.has(c.id)) problems.push({ path: ["gates", name, "conditions", i], message: `two conditions have the id "${c.id}": give one an explicit id so waivers can tell them apart` });
      seen.add(c.id);
    });
    g.waivers.forEach((w, i) => {
      if (!conditions.some((c) => c.id === w.condition)) {
        problems.push({ path: ["gates", name, "waivers", i, "condition"], message: `waiver names no condition of gate "${name}": "${w.condition}"; its conditions: ${conditions.map((c) => c.id).join(", ")}` });
      }
    });
  }
  return problems;
}

