/**
 * The shipped Grafana dashboard (monitoring/grafana/shipgate.json): the committed file is what the builder
 * (scripts/grafana/dashboard.ts) generates, and its structure is one Grafana imports — one datasource input and
 * variable, stable uid and ids, panels inside the 24-column grid, units — reading only metrics /metrics writes.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDashboard, DASHBOARD_UID, renderDashboard } from "../../scripts/grafana/dashboard.js";
import type { Panel } from "../../scripts/grafana/grafana.js";
import { DASHBOARD_FILE } from "../../scripts/grafana/write.js";
import { renderMetrics } from "../../src/server/metrics.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/types.js";
import { PROGRAM, writeProgram } from "../track/program.js";
import { alertRules, dashboardQueries, metricNames } from "./queries.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dashboard = buildDashboard();
const panels = dashboard.panels.filter((p): p is Panel => p.type !== "row");

describe("the shipped Grafana dashboard", () => {
  it("the committed monitoring/grafana/shipgate.json is what the builder generates (run npm run monitoring:build)", () => {
    expect(readFileSync(join(root, DASHBOARD_FILE), "utf8")).toBe(renderDashboard());
  });

  it("is deterministic: two builds give the same bytes", () => {
    expect(renderDashboard()).toBe(renderDashboard());
  });

  it("asks for one Prometheus datasource, DS_PROMETHEUS: an import input and a datasource variable every panel and query uses", () => {
    expect(dashboard.__inputs.map((i) => [i.name, i.type, i.pluginId])).toEqual([["DS_PROMETHEUS", "datasource", "prometheus"]]);
    const ds = dashboard.templating.list.find((v) => v.name === "DS_PROMETHEUS");
    expect([ds?.type, ds?.query]).toEqual(["datasource", "prometheus"]);
    const text = renderDashboard();
    // No uid of a particular Grafana: every "uid" is the datasource placeholder or the dashboard's own.
    const uids = [...text.matchAll(/"uid": "([^"]*)"/g)].map((x) => x[1]);
    expect(new Set(uids)).toEqual(new Set(["${DS_PROMETHEUS}", DASHBOARD_UID]));
    for (const p of panels) {
      expect(p.datasource.uid).toBe("${DS_PROMETHEUS}");
      for (const t of p.targets) expect(t.datasource.uid).toBe("${DS_PROMETHEUS}");
    }
    expect(dashboard.id).toBeNull();
    expect(dashboard.uid).toBe("shipgate-program");
  });

  it("panel ids are 1…n in order and panels fit the 24-column grid without overlapping", () => {
    expect(dashboard.panels.map((p) => p.id)).toEqual(dashboard.panels.map((_, i) => i + 1));
    const cells = new Set<string>();
    for (const p of dashboard.panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x + w).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++)
        for (let j = y; j < y + h; j++) {
          expect(cells.has(`${i},${j}`), `${p.title} overlaps another panel at ${i},${j}`).toBe(false);
          cells.add(`${i},${j}`);
        }
    }
  });

  it("every panel has a title, a description, a unit and at least one query with unique refIds", () => {
    for (const p of panels) {
      expect(p.title).not.toBe("");
      expect(p.description).not.toBe("");
      expect(p.fieldConfig.defaults.unit).not.toBe("");
      expect(p.targets.length).toBeGreaterThan(0);
      expect(new Set(p.targets.map((t) => t.refId)).size).toBe(p.targets.length);
    }
  });

  it("shows each figure issue 13 asks for", () => {
    const exprs = dashboardQueries().map((q) => q.expr).join("\n");
    for (const name of [
      "shipgate_readiness_score", "shipgate_readiness_category_score", "shipgate_tests", "shipgate_coverage_ratio", "shipgate_tasks",
      "shipgate_runs_total", "shipgate_run_duration_seconds_bucket", "shipgate_lease_expirations_total", "shipgate_leases_stale", "shipgate_task_claim_conflicts_total",
      "shipgate_gate_passing", "shipgate_alerts", "shipgate_forecast_completion_timestamp_seconds", "shipgate_milestone_due_timestamp_seconds",
      "shipgate_agent_tokens_total", "shipgate_agent_cost_usd_total",
    ])
      expect(exprs, name).toContain(name);
    expect(exprs).toContain("histogram_quantile(0.5,");
    expect(exprs).toContain("histogram_quantile(0.95,");
    expect(exprs).toContain("agent_kind, state");
  });
});

describe("the dashboard and the alert rules read only what /metrics writes", () => {
  let store: Store;
  let body: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-grafana-"));
    store = await openStore(join(dir, "shipgate.db"), { at: "2026-11-02T07:00:00.000Z" });
    await writeProgram(store, dir);
    ({ body } = await renderMetrics(store, { now: PROGRAM.now }));
  });
  afterAll(async () => store.close());

  it("every metric name of a query is a metric the three-week program's /metrics exposes", () => {
    const exposed = new Set([...body.matchAll(/^# TYPE (\w+) (\w+)/gm)].flatMap(([, name, type]) => (type === "histogram" ? [`${name}_bucket`, `${name}_count`, `${name}_sum`] : [name])));
    const read = [...dashboardQueries().map((q) => q.expr), ...alertRules(root).map((r) => r.expr)].flatMap(metricNames).filter((n) => n !== "ALERTS");
    expect(read.filter((n) => !exposed.has(n))).toEqual([]);
  });
});
