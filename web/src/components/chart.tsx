/**
 * Time-series charts with uPlot (chosen by measurement: bench/charts.mjs, docs/decisions.md). One wrapper: the pages
 * describe series, this draws them, follows the container's width and marks `data-chart-ready` once drawn (what the
 * Chromium tests and bench:serve's first-load figure wait for).
 */
import { useEffect, useRef } from "preact/hooks";
import uPlot, { type AlignedData, type Options } from "uplot";
import "uplot/dist/uPlot.min.css";

export interface ChartSeries {
  label: string;
  color: string;
  /** One value per x; null draws a gap (a day not measured is not a zero). */
  values: (number | null)[];
  dash?: number[];
  /** Fill under the line (alpha colour). */
  fill?: string;
  width?: number;
  /** Draw points only (milestones, single measurements). */
  points?: boolean;
  /** Join the values across nulls (a line defined only at some x, like the ideal line's end); default: gaps. */
  spanGaps?: boolean;
}

export interface ChartProps {
  /** Unix seconds, ascending. */
  x: number[];
  series: ChartSeries[];
  height?: number;
  /** The y axis' unit, shown in its label ("tasks", "%", "h"). */
  unit?: string;
  yRange?: [number, number];
  /** Fill between two series (indices into `series`): the forecast cone. */
  band?: { upper: number; lower: number; fill: string };
  /** Accessible name of the chart. */
  label: string;
}

export function TimeChart(props: ChartProps) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = host.current;
    if (!element) return;
    const data: AlignedData = [props.x, ...props.series.map((s) => s.values)];
    const options: Options = {
      width: Math.max(200, element.clientWidth),
      height: props.height ?? 240,
      legend: { live: false },
      // The API's days and times are UTC (as the CLI prints them): label the axis in UTC, not the browser's zone, or a
      // day would show as the day before west of Greenwich.
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1e3), "Etc/UTC"),
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: props.yRange ? { range: props.yRange } : { auto: true } },
      axes: [{ stroke: "#667085", grid: { stroke: "#eef0f3" } }, { stroke: "#667085", grid: { stroke: "#eef0f3" }, label: props.unit ?? "", size: 56 }],
      series: [
        {},
        ...props.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          width: s.width ?? 2,
          ...(s.dash ? { dash: s.dash } : {}),
          ...(s.fill ? { fill: s.fill } : {}),
          ...(s.points ? { paths: () => null, points: { show: true, size: 8, fill: s.color } } : { points: { show: false } }),
          spanGaps: s.spanGaps === true,
        })),
      ],
      ...(props.band ? { bands: [{ series: [props.band.upper + 1, props.band.lower + 1] as [number, number], fill: props.band.fill }] } : {}),
      hooks: { draw: [() => element.setAttribute("data-chart-ready", "true")] },
    };
    const plot = new uPlot(options, data, element);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(200, element.clientWidth), height: props.height ?? 240 }));
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
      element.removeAttribute("data-chart-ready");
    };
  }, [props.x, props.series, props.height, props.unit, props.yRange, props.band]);
  return <div class="chart" ref={host} role="img" aria-label={props.label} data-chart={props.label} />;
}

/** Unix seconds of an ISO date or time (the x values). */
export const seconds = (iso: string): number => Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso) / 1000;
