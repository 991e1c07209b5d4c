/**
 * The readiness score: categories scored 0–100 from facts by documented rules (docs/scoring.md),
 * a weighted total over the measured categories, and cumulative levels. Pure: no IO.
 */

export const CATEGORIES = ["tests", "coverage", "static_analysis", "security", "documentation", "operability"] as const;
export type CategoryId = (typeof CATEGORIES)[number];

/** The facts the score reads. `null` means "not measured". */
export interface ScoreFacts {
  tests: { total: number; passed: number; failed: number; errored: number; skipped: number } | null;
  /** Coverage percentages; `trusted` false when the coverage signal is degraded. */
  coverage: { lines: number | null; branches: number | null; trusted: boolean; reason: string | null } | null;
  lint: { errors: number; warnings: number } | null;
  typeErrors: number | null;
  security: { critical: number; high: number; moderate: number; low: number } | null;
  /** SAST findings (SARIF security rules), part of the security category when present. */
  sast: { errors: number; warnings: number } | null;
  docs: { readme: boolean; license: boolean; contributing: boolean; docsIndex: boolean; brokenLinks: number | null };
  operability: { ci: boolean; lockfile: boolean; securityPolicy: boolean; metrics: boolean; tracing: boolean; structuredLogging: boolean; healthEndpoint: boolean };
}

export interface LevelSpec {
  name: string;
  minScore: number;
  /** Share (0–1) of the weight that must be measured. */
  minMeasured: number;
  /** Conditions such as "tests.failed == 0"; each must hold, and an unmeasured one does not. */
  require: string[];
}

export interface ScoreSettings {
  weights: Record<CategoryId, number>;
  /** Coverage that earns the full coverage score. */
  coverageTargets: { lines: number; branches: number };
  /** Points taken per finding or vulnerability, and points given per present fact (docs/scoring.md). */
  rules: ScoreRules;
  /** Lowest level, given when no level's conditions hold. */
  baseLevel: string;
  /** Ascending; each includes the ones before it (cumulative). */
  levels: LevelSpec[];
  /** Given whatever the score when a critical check fails. */
  blockedLevel: string;
  critical: string[];
}

export interface ScoreRules {
  staticAnalysis: { error: number; warning: number };
  security: { critical: number; high: number; moderate: number; low: number; sastError: number; sastWarning: number };
  documentation: { readme: number; license: number; contributing: number; docsIndex: number; links: number; perBrokenLink: number };
  operability: { ci: number; lockfile: number; securityPolicy: number; metrics: number; tracing: number; structuredLogging: number; healthEndpoint: number };
}

export const DEFAULT_RULES: ScoreRules = {
  staticAnalysis: { error: 5, warning: 0.5 },
  security: { critical: 40, high: 15, moderate: 5, low: 1, sastError: 10, sastWarning: 2 },
  documentation: { readme: 40, license: 15, contributing: 10, docsIndex: 15, links: 20, perBrokenLink: 2 },
  operability: { ci: 20, lockfile: 15, securityPolicy: 15, metrics: 15, tracing: 10, structuredLogging: 15, healthEndpoint: 10 },
};

export const DEFAULT_SCORE_SETTINGS: ScoreSettings = {
  weights: { tests: 25, coverage: 20, static_analysis: 15, security: 20, documentation: 10, operability: 10 },
  coverageTargets: { lines: 80, branches: 70 },
  rules: DEFAULT_RULES,
  baseLevel: "NOT_READY",
  levels: [
    { name: "NEEDS_IMPROVEMENT", minScore: 50, minMeasured: 0, require: [] },
    { name: "CONDITIONAL_READY", minScore: 70, minMeasured: 0.6, require: ["tests.failed == 0", "tests.errored == 0", "coverage.lines >= 60"] },
    {
      name: "PRODUCTION_READY",
      minScore: 85,
      minMeasured: 0.9,
      require: ["coverage.lines >= 80", "type_errors == 0", "lint.errors == 0", "security.high == 0", "docs.broken_links == 0"],
    },
  ],
  blockedLevel: "BLOCKED",
  critical: ["security.critical == 0"],
};

export interface CategoryScore {
  id: CategoryId;
  weight: number;
  /** 0–100 with one decimal, or null when unknown. */
  score: number | null;
  /** Why it is unknown, or how the score was made. */
  explanation: string;
  /** The checks that made it: name → points earned / possible, or a penalty. */
  checks: { name: string; earned: number; possible: number; measured: boolean }[];
}

export interface RequirementResult {
  condition: string;
  /** The measured value, or null for "no data". */
  value: number | null;
  met: boolean;
}

export interface LevelResult {
  name: string;
  /** Which critical checks failed, when the level is the blocked one. */
  blockedBy: RequirementResult[];
  /** The next level up and exactly what it still needs; null at the top. */
  next: { name: string; needs: string[] } | null;
}

export interface ScoreResult {
  /** Weighted mean over measured categories, one decimal; null when nothing is measured. */
  score: number | null;
  /** Share of the total weight that was measured (0–1). */
  measuredWeight: number;
  categories: CategoryScore[];
  level: LevelResult;
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const clamp = (n: number) => Math.max(0, Math.min(100, n));

function points(checks: CategoryScore["checks"]): number {
  const possible = checks.reduce((s, c) => s + c.possible, 0);
  return possible === 0 ? 0 : (checks.reduce((s, c) => s + c.earned, 0) / possible) * 100;
}

/** Each category from its facts; the rules are written down in docs/scoring.md. */
export function scoreCategories(facts: ScoreFacts, settings: ScoreSettings): CategoryScore[] {
  const w = settings.weights;
  const out: CategoryScore[] = [];

  const t = facts.tests;
  const executed = t ? t.passed + t.failed + t.errored : 0;
  out.push(
    !t || executed === 0
      ? { id: "tests", weight: w.tests, score: null, explanation: t ? "the test reports hold no executed test" : "no test report", checks: [] }
      : {
          id: "tests",
          weight: w.tests,
          score: round1((t.passed / executed) * 100),
          explanation: `${t.passed} of ${executed} executed tests pass (skipped tests are not counted)`,
          checks: [{ name: "passing tests", earned: t.passed, possible: executed, measured: true }],
        },
  );

  const c = facts.coverage;
  if (!c || c.lines === null) {
    out.push({ id: "coverage", weight: w.coverage, score: null, explanation: c ? "no line coverage in the reports" : "no coverage report", checks: [] });
  } else if (!c.trusted) {
    out.push({ id: "coverage", weight: w.coverage, score: null, explanation: `coverage is degraded and earns no credit: ${c.reason ?? "paths did not resolve"}`, checks: [] });
  } else {
    const lineScore = clamp((c.lines / settings.coverageTargets.lines) * 100);
    const branchScore = c.branches === null ? null : clamp((c.branches / settings.coverageTargets.branches) * 100);
    const score = branchScore === null ? lineScore : 0.7 * lineScore + 0.3 * branchScore;
    out.push({
      id: "coverage",
      weight: w.coverage,
      score: round1(score),
      explanation: `lines ${c.lines} % against a target of ${settings.coverageTargets.lines} %${
        branchScore === null ? "" : ` (70 %), branches ${c.branches} % against ${settings.coverageTargets.branches} % (30 %)`
      }`,
      checks: [
        { name: "line coverage", earned: lineScore, possible: 100, measured: true },
        ...(branchScore === null ? [] : [{ name: "branch coverage", earned: branchScore, possible: 100, measured: true }]),
      ],
    });
  }

  if (!facts.lint && facts.typeErrors === null) {
    out.push({ id: "static_analysis", weight: w.static_analysis, score: null, explanation: "no lint or type-check report", checks: [] });
  } else {
    const errors = (facts.lint?.errors ?? 0) + (facts.typeErrors ?? 0);
    const warnings = facts.lint?.warnings ?? 0;
    const r = settings.rules.staticAnalysis;
    out.push({
      id: "static_analysis",
      weight: w.static_analysis,
      score: round1(clamp(100 - r.error * errors - r.warning * warnings)),
      explanation: `100 − ${r.error} per error (${errors}: lint ${facts.lint ? facts.lint.errors : "not measured"}, type ${facts.typeErrors ?? "not measured"}) − ${r.warning} per warning (${warnings})`,
      checks: [],
    });
  }

  const s = facts.security;
  if (!s && !facts.sast) {
    out.push({ id: "security", weight: w.security, score: null, explanation: "no dependency audit or security scan report", checks: [] });
  } else {
    const v = s ?? { critical: 0, high: 0, moderate: 0, low: 0 };
    const sast = facts.sast ?? { errors: 0, warnings: 0 };
    const r = settings.rules.security;
    out.push({
      id: "security",
      weight: w.security,
      score: round1(clamp(100 - r.critical * v.critical - r.high * v.high - r.moderate * v.moderate - r.low * v.low - r.sastError * sast.errors - r.sastWarning * sast.warnings)),
      explanation: `100 − ${r.critical}/critical (${v.critical}) − ${r.high}/high (${v.high}) − ${r.moderate}/moderate (${v.moderate}) − ${r.low}/low (${v.low})${
        facts.sast ? ` − ${r.sastError} per SAST error (${sast.errors}) − ${r.sastWarning} per SAST warning (${sast.warnings})` : ""
      }${s ? "" : "; dependencies not audited"}`,
      checks: [],
    });
  }

  const d = facts.docs;
  const dr = settings.rules.documentation;
  const has = (name: string, present: boolean, points: number) => ({ name, earned: present ? points : 0, possible: points, measured: true });
  const docChecks = [
    has("README", d.readme, dr.readme),
    has("LICENSE", d.license, dr.license),
    has("CONTRIBUTING", d.contributing, dr.contributing),
    has("docs index", d.docsIndex, dr.docsIndex),
    { name: "no broken links", earned: d.brokenLinks === null ? 0 : Math.max(0, dr.links - dr.perBrokenLink * d.brokenLinks), possible: dr.links, measured: d.brokenLinks !== null },
  ];
  out.push({ id: "documentation", weight: w.documentation, score: round1(points(docChecks)), explanation: describe(docChecks), checks: docChecks });

  const o = facts.operability;
  const or = settings.rules.operability;
  const opsChecks = [
    has("CI configuration", o.ci, or.ci),
    has("lockfile", o.lockfile, or.lockfile),
    has("SECURITY.md", o.securityPolicy, or.securityPolicy),
    has("metrics", o.metrics, or.metrics),
    has("tracing", o.tracing, or.tracing),
    has("structured logging", o.structuredLogging, or.structuredLogging),
    has("health endpoint", o.healthEndpoint, or.healthEndpoint),
  ];
  out.push({ id: "operability", weight: w.operability, score: round1(points(opsChecks)), explanation: describe(opsChecks), checks: opsChecks });
  return out;
}

function describe(checks: CategoryScore["checks"]): string {
  return checks.map((c) => `${c.name} ${c.measured ? `${round1(c.earned)}/${c.possible}` : `not measured (0/${c.possible})`}`).join(", ");
}

/** Values a level condition can name. `null` = not measured. */
export function metricValues(facts: ScoreFacts, total: number | null, measuredWeight: number, categories: CategoryScore[]): Record<string, number | null> {
  const values: Record<string, number | null> = {
    score: total,
    measured_weight: measuredWeight,
    "tests.total": facts.tests?.total ?? null,
    "tests.failed": facts.tests?.failed ?? null,
    "tests.errored": facts.tests?.errored ?? null,
    "tests.skipped": facts.tests?.skipped ?? null,
    "coverage.lines": facts.coverage?.trusted ? facts.coverage.lines : null,
    "coverage.branches": facts.coverage?.trusted ? facts.coverage.branches : null,
    "lint.errors": facts.lint?.errors ?? null,
    "lint.warnings": facts.lint?.warnings ?? null,
    type_errors: facts.typeErrors,
    "security.critical": facts.security?.critical ?? null,
    "security.high": facts.security?.high ?? null,
    "security.moderate": facts.security?.moderate ?? null,
    "security.low": facts.security?.low ?? null,
    "docs.broken_links": facts.docs.brokenLinks,
  };
  for (const c of categories) values[`categories.${c.id}`] = c.score;
  return values;
}

export const CONDITION = /^\s*([a-z_][\w.]*)\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/;

/** Evaluates "metric op number". Throws on a malformed condition or an unknown metric (config validation calls this early). */
export function evaluateCondition(condition: string, values: Record<string, number | null>): RequirementResult {
  const m = CONDITION.exec(condition);
  if (!m) throw new Error(`"${condition}" is not a condition like "coverage.lines >= 80"`);
  const [, metric = "", op = "", raw = ""] = m;
  if (!(metric in values)) throw new Error(`"${condition}" names an unknown metric "${metric}"; known: ${Object.keys(values).join(", ")}`);
  const value = values[metric] ?? null;
  if (value === null) return { condition, value: null, met: false };
  const threshold = Number(raw);
  const met = { "<": value < threshold, "<=": value <= threshold, ">": value > threshold, ">=": value >= threshold, "==": value === threshold, "!=": value !== threshold }[op] ?? false;
  return { condition, value, met };
}

/** Scores the categories, the total, and the level. */
export function computeScore(facts: ScoreFacts, settings: ScoreSettings = DEFAULT_SCORE_SETTINGS): ScoreResult {
  const categories = scoreCategories(facts, settings);
  const totalWeight = categories.reduce((s, c) => s + c.weight, 0);
  const measured = categories.filter((c) => c.score !== null && c.weight > 0);
  const measuredWeightAbs = measured.reduce((s, c) => s + c.weight, 0);
  const score = measuredWeightAbs === 0 ? null : round1(measured.reduce((s, c) => s + c.weight * (c.score as number), 0) / measuredWeightAbs);
  const measuredWeight = totalWeight === 0 ? 0 : Math.round((measuredWeightAbs / totalWeight) * 1000) / 1000;
  const values = metricValues(facts, score, measuredWeight, categories);

  const needsOf = (level: LevelSpec): string[] => {
    const needs: string[] = [];
    if (score === null || score < level.minScore) needs.push(`score ≥ ${level.minScore} (now ${score ?? "unknown"})`);
    if (measuredWeight < level.minMeasured) needs.push(`measured weight ≥ ${Math.round(level.minMeasured * 100)} % (now ${Math.round(measuredWeight * 100)} %: measure ${categories.filter((c) => c.score === null).map((c) => c.id).join(", ")})`);
    for (const condition of level.require) {
      const r = evaluateCondition(condition, values);
      if (!r.met) needs.push(`${condition} (now ${r.value ?? "no data"})`);
    }
    return needs;
  };

  let reached = settings.baseLevel;
  let next: LevelResult["next"] = null;
  for (const level of settings.levels) {
    const needs = needsOf(level);
    if (needs.length > 0) {
      next = { name: level.name, needs };
      break;
    }
    reached = level.name;
  }
  const blockedBy = settings.critical.map((c) => evaluateCondition(c, values)).filter((r) => r.value !== null && !r.met);
  return {
    score,
    measuredWeight,
    categories,
    level: { name: blockedBy.length > 0 ? settings.blockedLevel : reached, blockedBy, next },
  };
}

/** Every metric a level or critical condition may name. */
export function metricNames(): string[] {
  const facts: ScoreFacts = {
    tests: null, coverage: null, lint: null, typeErrors: null, security: null, sast: null,
    docs: { readme: false, license: false, contributing: false, docsIndex: false, brokenLinks: null },
    operability: { ci: false, lockfile: false, securityPolicy: false, metrics: false, tracing: false, structuredLogging: false, healthEndpoint: false },
  };
  return Object.keys(metricValues(facts, null, 0, CATEGORIES.map((id) => ({ id, weight: 0, score: null, explanation: "", checks: [] }))));
}
