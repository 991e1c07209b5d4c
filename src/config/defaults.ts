import { DEFAULT_ALERT_METRICS } from "../gate/alerts.js";
import type { ShipgateConfig } from "./schema.js";

/**
 * The config of a folder without shipgate.yaml: what the schema makes of `version: 1`. Written out
 * rather than parsed so that such a run (`shipgate assess --report F`) never loads zod and the schema
 * (about 100 modules, a tenth of its start-up); test/config/defaults.test.ts holds it equal to the
 * schema's defaults. A fresh object each call: callers adjust it (the collectors to run).
 */
export function defaultConfig(): ShipgateConfig {
  return {
    version: 1,
    collectors: [],
    score: {
      weights: {},
      rules: {},
      coverage_targets: { lines: 80, branches: 70 },
      base_level: "NOT_READY",
      blocked_level: "BLOCKED",
      critical: ["security.critical == 0"],
    },
    docs: { check: true },
    gates: {},
    alerts: { score_decline: true, worse_by_pct: 10, metrics: [...DEFAULT_ALERT_METRICS] },
    flaky: { window: 5 },
    paths: { resolve_threshold: 0.8 },
  };
}
