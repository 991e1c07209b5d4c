import { z } from "zod";
import { formats } from "../ingest/detect.js";
import { durationSchema, durationSeconds } from "../plan/duration.js";
import { DEFAULT_ALERT_METRICS } from "../gate/alerts.js";
import { OPS, SCOPES } from "../gate/types.js";
import { CATEGORIES, CONDITION, DEFAULT_SCORE_SETTINGS } from "../score/score.js";

/** "90", "90s", "10m", "1h" → seconds: one syntax for collector and plan timeouts (plan/duration.ts). */
const duration = durationSchema;

const reportSpec = z.union([
  z.string().min(1),
  z.strictObject({
    path: z.string().min(1).describe("Report file, relative to the repository root; globs allowed."),
    format: z.enum(formats as [string, ...string[]]).optional().describe("Force the format instead of detecting it."),
  }),
]);

export const collectorSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][\w.-]*$/, "letters, digits, '.', '_' or '-'").describe("Unique name, shown in output and provenance."),
  command: z.string().min(1).optional().describe("Shell command that runs the tool and writes the reports. Without it the reports are only read."),
  cwd: z.string().optional().describe("Directory to run the command in, relative to the repository root."),
  timeout: duration.default("10m").describe("Kill the command after this long (seconds, or 30s / 10m / 1h)."),
  env: z.record(z.string(), z.string()).optional().describe("Extra environment variables for the command."),
  fail_on_exit: z.boolean().default(false).describe(
    "Treat a non-zero exit as a failed collection even when fresh reports were written. Off by default: test runners exit 1 when tests fail.",
  ),
  exit_without_failing_test: z
    .enum(["error", "warn"])
    .default("error")
    .describe(
      "A non-zero exit while the collector's JUnit reports list no failing test: `error` adds one errored test (a test file that failed to load stays visible), `warn` only warns (for a runner that also exits 1 on an unmet coverage threshold you track elsewhere).",
    ),
  reports: z.array(reportSpec).min(1).describe("Report files the command leaves (or that already exist)."),
});

const condition = z.string().regex(CONDITION, 'a condition like "coverage.lines >= 80" (metric, one of < <= > >= == !=, a number)');

const num = () => z.number().min(0).optional();

const levelSchema = z.strictObject({
  name: z.string().min(1),
  min_score: z.number().min(0).max(100).default(0).describe("The score this level needs."),
  min_measured: z.number().min(0).max(1).default(0).describe("Share of the weight that must be measured (0–1)."),
  require: z.array(condition).default([]).describe("Conditions that must all hold; an unmeasured one does not."),
});

const weights = z.strictObject(Object.fromEntries(CATEGORIES.map((c) => [c, z.number().min(0).optional()])) as Record<(typeof CATEGORIES)[number], z.ZodOptional<z.ZodNumber>>);

export const scoreSchema = z
  .strictObject({
    weights: weights.default({}).describe("Weight of each category (defaults in docs/scoring.md); 0 leaves a category out on purpose."),
    coverage_targets: z.strictObject({ lines: z.number().min(1).max(100).default(80), branches: z.number().min(1).max(100).default(70) }).default({ lines: 80, branches: 70 }),
    rules: z
      .strictObject({
        static_analysis: z.strictObject({ error: num(), warning: num() }).optional(),
        security: z.strictObject({ critical: num(), high: num(), moderate: num(), low: num(), sast_error: num(), sast_warning: num() }).optional(),
        documentation: z.strictObject({ readme: num(), license: num(), contributing: num(), docs_index: num(), links: num(), per_broken_link: num() }).optional(),
        operability: z
          .strictObject({ ci: num(), lockfile: num(), security_policy: num(), metrics: num(), tracing: num(), structured_logging: num(), health_endpoint: num() })
          .optional(),
      })
      .default({})
      .describe("Points per finding, vulnerability or present fact; only what differs from docs/scoring.md."),
    base_level: z.string().min(1).default(DEFAULT_SCORE_SETTINGS.baseLevel),
    levels: z.array(levelSchema).optional().describe("Cumulative levels, lowest first; each includes the ones before it."),
    blocked_level: z.string().min(1).default(DEFAULT_SCORE_SETTINGS.blockedLevel),
    critical: z.array(condition).default(DEFAULT_SCORE_SETTINGS.critical).describe("Checks that make the level BLOCKED when they fail, whatever the score."),
  })
  .default({ weights: {}, rules: {}, coverage_targets: { lines: 80, branches: 70 }, base_level: DEFAULT_SCORE_SETTINGS.baseLevel, blocked_level: DEFAULT_SCORE_SETTINGS.blockedLevel, critical: DEFAULT_SCORE_SETTINGS.critical });

const isoDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "a date like 2026-12-31")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), "a real calendar date like 2026-12-31");

export const gateConditionSchema = z.union([
  condition,
  z.strictObject({
    id: z.string().regex(/^[\w.:-]+$/, "letters, digits and . _ : -").optional().describe("Name a waiver uses; default: the metric (overall), new:metric or delta:metric."),
    metric: z.string().min(1).describe("What to measure: see docs/gates.md for the metrics of each scope."),
    op: z.enum(OPS).describe("Comparison: < <= > >= == !="),
    threshold: z.number().describe("The number the value is compared with."),
    scope: z.enum(SCOPES).default("overall").describe("overall: the snapshot's value; new: what is new since the baseline; delta: now − baseline."),
    severity: z.enum(["block", "warn"]).default("block").describe("block: a failure makes the gate NO-GO; warn: reported only."),
    when_missing: z.enum(["fail", "pass"]).default("fail").describe("Without data the condition fails unless this says pass (the report then says \"no data\")."),
    description: z.string().optional(),
  }),
]);

export const waiverSchema = z.strictObject({
  condition: z.string().min(1).describe("The id of the condition it waives (the metric, new:metric, delta:metric or the condition's own id)."),
  reason: z.string().min(1).describe("Why shipping is acceptable anyway."),
  owner: z.string().min(1).describe("Who answers for it."),
  expires: isoDay.describe("Last day it applies (YYYY-MM-DD, UTC); after it the condition counts again and the waiver is listed as expired."),
});

export const gateSchema = z.strictObject({
  description: z.string().optional(),
  baseline: z
    .string()
    .min(1)
    .default("previous")
    .describe("What new and delta conditions compare against: previous, a baseline name (shipgate baseline set), branch:NAME, ref:GIT_REF or snapshot:ID."),
  conditions: z
    .array(gateConditionSchema)
    .min(1)
    .optional()
    .describe('Conditions: "metric op number" (overall, blocking) or an object with scope, severity, when_missing. Leave out to keep a built-in gate\'s conditions (and only add waivers or change its baseline).'),
  waivers: z.array(waiverSchema).default([]),
});

export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).describe("Config format version."),
  project: z.string().optional().describe("Project name, for reports."),
  collectors: z.array(collectorSchema).default([]).describe("Tools to run and the reports they leave."),
  score: scoreSchema,
  components: z
    .array(z.string().min(1))
    .optional()
    .describe("Globs of the directories that are components (each gets its own score). Default: the npm/yarn/pnpm workspaces, else every directory with a manifest."),
  docs: z
    .strictObject({
      check: z.boolean().default(true).describe("Check markdown links offline on every assess."),
      paths: z.array(z.string()).optional().describe("Files or folders to check (default: every markdown file in the repository)."),
      ignore: z
        .array(z.string().min(1))
        .optional()
        .describe(
          "Links not to check (globs): a link is skipped when a pattern matches its destination as written (`../../issues/new`, `https://localhost/**`) or the repository path it points to (`docs/generated/**`). Used by assess and `docs check`.",
        ),
    })
    .default({ check: true }),
  gates: z
    .record(z.string().regex(/^[A-Za-z0-9][\w.-]*$/, "letters, digits, '.', '_' or '-'"), gateSchema)
    .default({})
    .describe("Quality gates by name; `release` and `new-code` are built in (docs/gates.md) and can be replaced here."),
  alerts: z
    .strictObject({
      score_decline: z.boolean().default(true).describe("Alert when the score is lower than in the previous snapshot."),
      worse_by_pct: z.number().min(0).default(10).describe("Alert when a tracked metric is worse than in the previous snapshot by more than this percentage."),
      metrics: z.array(z.string()).default(DEFAULT_ALERT_METRICS).describe("The tracked metrics."),
    })
    .default({ score_decline: true, worse_by_pct: 10, metrics: DEFAULT_ALERT_METRICS }),
  flaky: z
    .strictObject({ window: z.number().int().min(2).default(5).describe("How many recent snapshots (this one included) a test's pass/fail history covers.") })
    .default({ window: 5 }),
  paths: z
    .strictObject({
      resolve_threshold: z.number().min(0).max(1).default(0.8).describe(
        "Share of report paths that must resolve to repository files; below it the coverage signal is degraded.",
      ),
    })
    .default({ resolve_threshold: 0.8 }),
});

export type ShipgateConfig = z.output<typeof configSchema>;
export type CollectorConfig = z.output<typeof collectorSchema>;
export type ReportSpec = z.output<typeof reportSpec>;

/** Seconds of a duration value. */
/** Seconds of a duration the schema accepted. */
export function toSeconds(value: number | string): number {
  return durationSeconds(value);
}

/** The JSON Schema published for editors (schema/shipgate.schema.json). */
export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: "input" });
}
