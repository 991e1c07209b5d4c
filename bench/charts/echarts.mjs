// Apache ECharts, tree-shaken as its docs show (echarts/core + LineChart + the grid, tooltip and legend components +
// the canvas renderer): a `time` x axis in milliseconds, the cone as its stacked-area band (the low bound, then the
// width stacked on it with an area style). No animation, no symbols.
import "./start.mjs"; // first: marks the start of evaluation
import { LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import * as echarts from "echarts/core";
import { CanvasRenderer } from "echarts/renderers";
import { COLORS, timeDraw } from "./page.mjs";

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const pairs = (x, values) => {
  const out = [];
  for (let i = 0; i < x.length; i++) out.push([x[i] * 1000, values[i]]);
  return out;
};

timeDraw((el, { x, done, ideal, scope, lo, hi }) => {
  const chart = echarts.init(el);
  const line = (name, values, color) => ({ name, type: "line", data: pairs(x, values), showSymbol: false, lineStyle: { color, width: 2 }, itemStyle: { color } });
  const width = hi.map((v, i) => (v === null ? null : v - lo[i]));
  chart.setOption({
    animation: false,
    tooltip: { trigger: "axis" },
    legend: { data: ["done", "ideal", "scope"] },
    xAxis: { type: "time" },
    yAxis: { type: "value" },
    series: [
      line("done", done, COLORS.done),
      line("ideal", ideal, COLORS.ideal),
      line("scope", scope, COLORS.scope),
      { name: "P85", type: "line", data: pairs(x, lo), stack: "cone", showSymbol: false, lineStyle: { opacity: 0 } },
      { name: "P95", type: "line", data: pairs(x, width), stack: "cone", showSymbol: false, lineStyle: { opacity: 0 }, areaStyle: { color: COLORS.cone } },
    ],
  });
  return chart; // setOption renders synchronously (zrender's flush)
});
