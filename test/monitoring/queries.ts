/** The PromQL of the shipped dashboard and alert rules, as the monitoring tests send it to Prometheus. */
import { readFileSync } from "node:fs";
import { load } from "js-yaml";
import { ROWS } from "../../scripts/grafana/dashboard.js";

export interface DashboardQuery {
  panel: string;
  expr: string;
  /** Set when the panel documents that it may show no data. */
  mayBeEmpty: string | undefined;
}

export function dashboardQueries(): DashboardQuery[] {
  return ROWS.flatMap((row) => row.panels.flatMap((p) => p.queries.map((q) => ({ panel: `${row.title} / ${p.title}`, expr: q.expr, mayBeEmpty: p.mayBeEmpty }))));
}

/** Every alert rule of monitoring/prometheus/alerts.yml: its name and expression. */
export function alertRules(root: string): { alert: string; expr: string }[] {
  const doc = load(readFileSync(`${root}/monitoring/prometheus/alerts.yml`, "utf8")) as { groups: { rules: { alert: string; expr: string }[] }[] };
  return doc.groups.flatMap((g) => g.rules.map((r) => ({ alert: r.alert, expr: r.expr })));
}

/**
 * The expression as Grafana sends it: the dashboard's variables and Grafana's own (`$__range`, `$__rate_interval`,
 * `$__interval`) replaced by values. Throws on a variable it does not know, so a new one cannot slip through untested.
 */
export function substitute(expr: string, vars: Record<string, string>): string {
  const all: Record<string, string> = { __range: "1h", __rate_interval: "1m", __interval: "30s", ...vars };
  return expr.replace(/\$\{?(\w+)\}?/g, (_, name: string) => {
    const value = all[name];
    if (value === undefined) throw new Error(`unknown dashboard variable $${name} in ${expr}`);
    return value;
  });
}

/** The metric names an expression reads (shipgate_… and Prometheus' ALERTS). */
export function metricNames(expr: string): string[] {
  return [...new Set(expr.match(/\b(shipgate_\w+|ALERTS)\b/g) ?? [])];
}
