/**
 * The part of Grafana's dashboard JSON model (schemaVersion 39, Grafana 10.4 / 11) the shipped dashboard uses, and
 * the helpers that lay panels out. Every panel queries the `${DS_PROMETHEUS}` datasource: an import input (the
 * import form asks for it) and a datasource variable of the same name (file provisioning ignores `__inputs`,
 * grafana/grafana#10786, and then the variable picks the default Prometheus).
 */

export const DATASOURCE = { type: "prometheus", uid: "${DS_PROMETHEUS}" } as const;

/** One PromQL query of a panel. */
export interface Target {
  datasource: typeof DATASOURCE;
  refId: string;
  expr: string;
  legendFormat: string;
  /** Instant: one value per series (stat, bar gauge); range: a line over the time range. */
  instant: boolean;
  range: boolean;
}

export interface GridPos {
  h: number;
  w: number;
  x: number;
  y: number;
}

export interface Threshold {
  color: string;
  value: number | null;
}

export interface ValueMapping {
  type: "value";
  options: Record<string, { text: string; color: string; index: number }>;
}

export interface FieldConfig {
  defaults: {
    unit: string;
    min?: number;
    max?: number;
    decimals?: number;
    color: { mode: "palette-classic" | "thresholds" };
    thresholds: { mode: "absolute"; steps: Threshold[] };
    mappings: ValueMapping[];
    custom?: Record<string, unknown>;
  };
  overrides: never[];
}

export type PanelType = "timeseries" | "stat" | "bargauge";

export interface Panel {
  id: number;
  type: PanelType;
  title: string;
  description: string;
  datasource: typeof DATASOURCE;
  gridPos: GridPos;
  fieldConfig: FieldConfig;
  options: Record<string, unknown>;
  targets: Target[];
}

export interface RowPanel {
  id: number;
  type: "row";
  title: string;
  collapsed: false;
  gridPos: GridPos;
  panels: [];
}

export interface Variable {
  name: string;
  label: string;
  type: "datasource" | "query";
  query: string | { query: string; refId: string };
  definition?: string;
  datasource?: typeof DATASOURCE;
  current: Record<string, never>;
  hide: 0;
  includeAll: false;
  multi: false;
  refresh: 1 | 2;
  regex: string;
  sort?: 1;
  options: [];
}

export interface Dashboard {
  __inputs: { name: string; label: string; description: string; type: "datasource"; pluginId: "prometheus"; pluginName: "Prometheus" }[];
  __requires: { type: "grafana" | "datasource" | "panel"; id: string; name: string; version: string }[];
  annotations: { list: unknown[] };
  description: string;
  editable: true;
  graphTooltip: 1;
  id: null;
  links: unknown[];
  panels: (Panel | RowPanel)[];
  refresh: string;
  schemaVersion: number;
  tags: string[];
  templating: { list: Variable[] };
  time: { from: string; to: string };
  timepicker: Record<string, never>;
  timezone: "utc";
  title: string;
  uid: string;
  version: 1;
}

/** A query as the builder writes it; `mayBeEmpty` says when it has no data (shown in the panel's description). */
export interface QuerySpec {
  expr: string;
  legend?: string;
}

export interface PanelSpec {
  type: PanelType;
  title: string;
  description: string;
  unit: string;
  queries: QuerySpec[];
  /** Grid width (24 columns) and height. */
  w: number;
  h: number;
  min?: number;
  max?: number;
  decimals?: number;
  thresholds?: Threshold[];
  mappings?: ValueMapping["options"];
  /** Stacked areas (timeseries), bars instead of lines. */
  stacked?: boolean;
  bars?: boolean;
  /** Stat: show the series name (a level, a status) instead of the value. */
  showName?: boolean;
  /** Why the panel may show no data in a healthy setup; the Prometheus test only asks its queries to be valid. */
  mayBeEmpty?: string;
}

export interface RowSpec {
  title: string;
  panels: PanelSpec[];
}

const NEUTRAL: Threshold[] = [{ color: "green", value: null }];

/** Panels flow left to right in rows of 24 columns; ids are their order (stable while the spec is). */
export function layout(rows: readonly RowSpec[]): (Panel | RowPanel)[] {
  const out: (Panel | RowPanel)[] = [];
  let id = 0;
  let y = 0;
  for (const row of rows) {
    out.push({ id: ++id, type: "row", title: row.title, collapsed: false, gridPos: { h: 1, w: 24, x: 0, y }, panels: [] });
    y += 1;
    let x = 0;
    let lineHeight = 0;
    for (const spec of row.panels) {
      if (x + spec.w > 24) {
        y += lineHeight;
        x = 0;
        lineHeight = 0;
      }
      out.push(panel(++id, spec, { h: spec.h, w: spec.w, x, y }));
      x += spec.w;
      lineHeight = Math.max(lineHeight, spec.h);
    }
    y += lineHeight;
  }
  return out;
}

function panel(id: number, spec: PanelSpec, gridPos: GridPos): Panel {
  const instant = spec.type !== "timeseries";
  const targets = spec.queries.map((q, i): Target => ({
    datasource: DATASOURCE,
    refId: String.fromCharCode(65 + i),
    expr: q.expr,
    legendFormat: q.legend ?? "__auto",
    instant,
    range: !instant,
  }));
  const description = spec.mayBeEmpty === undefined ? spec.description : `${spec.description} Empty when ${spec.mayBeEmpty}.`;
  const mappings: ValueMapping[] = spec.mappings === undefined ? [] : [{ type: "value", options: spec.mappings }];
  const defaults: FieldConfig["defaults"] = {
    unit: spec.unit,
    ...(spec.min === undefined ? {} : { min: spec.min }),
    ...(spec.max === undefined ? {} : { max: spec.max }),
    ...(spec.decimals === undefined ? {} : { decimals: spec.decimals }),
    color: { mode: spec.type === "timeseries" ? "palette-classic" : "thresholds" },
    thresholds: { mode: "absolute", steps: spec.thresholds ?? NEUTRAL },
    mappings,
    ...(spec.type === "timeseries"
      ? {
          custom: {
            drawStyle: spec.bars === true ? "bars" : "line",
            fillOpacity: spec.stacked === true || spec.bars === true ? 60 : 10,
            lineWidth: 1,
            showPoints: "never",
            spanNulls: false,
            stacking: { group: "A", mode: spec.stacked === true ? "normal" : "none" },
          },
        }
      : {}),
  };
  const options: Record<string, unknown> =
    spec.type === "timeseries"
      ? { legend: { displayMode: "list", placement: "bottom", showLegend: true }, tooltip: { mode: "multi", sort: "desc" } }
      : spec.type === "stat"
        ? {
            colorMode: "value",
            graphMode: "none",
            justifyMode: "auto",
            orientation: "auto",
            reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false },
            textMode: spec.showName === true ? "name" : "auto",
          }
        : { displayMode: "basic", orientation: "horizontal", showUnfilled: true, reduceOptions: { calcs: ["lastNotNull"], fields: "", values: false } };
  return { id, type: spec.type, title: spec.title, description, datasource: DATASOURCE, gridPos, fieldConfig: { defaults, overrides: [] }, options, targets };
}
