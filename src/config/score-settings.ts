import { CATEGORIES, DEFAULT_RULES, DEFAULT_SCORE_SETTINGS, type ScoreRules, type ScoreSettings } from "../score/score.js";
import type { ShipgateConfig } from "./schema.js";

/** The score settings a config asks for, over the defaults. */
export function scoreSettings(config: ShipgateConfig): ScoreSettings {
  const s = config.score;
  const weights = { ...DEFAULT_SCORE_SETTINGS.weights };
  for (const c of CATEGORIES) {
    const w = s.weights[c];
    if (w !== undefined) weights[c] = w;
  }
  return {
    weights,
    coverageTargets: s.coverage_targets,
    rules: mergeRules(s.rules),
    baseLevel: s.base_level,
    levels: s.levels ? s.levels.map((l) => ({ name: l.name, minScore: l.min_score, minMeasured: l.min_measured, require: l.require })) : DEFAULT_SCORE_SETTINGS.levels,
    blockedLevel: s.blocked_level,
    critical: s.critical,
  };
}

/** snake_case keys of the config → the camelCase rules, over the defaults. */
function mergeRules(rules: ShipgateConfig["score"]["rules"]): ScoreRules {
  const camel = (o: Record<string, number | undefined> | undefined) =>
    Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined).map(([k, v]) => [k.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()), v]));
  return {
    staticAnalysis: { ...DEFAULT_RULES.staticAnalysis, ...camel(rules.static_analysis) },
    security: { ...DEFAULT_RULES.security, ...camel(rules.security) },
    documentation: { ...DEFAULT_RULES.documentation, ...camel(rules.documentation) },
    operability: { ...DEFAULT_RULES.operability, ...camel(rules.operability) },
  };
}
