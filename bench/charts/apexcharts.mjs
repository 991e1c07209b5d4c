// ApexCharts, tree-shaken as its README shows (apexcharts/core + the line and rangeArea types + the legend), with its
// canvas series renderer for dense series (`renderer: "auto"`, opt-in feature); the cone is a rangeArea series. A
// `datetime` x axis in milliseconds. No animation, no markers, no toolbar.
import "./start.mjs"; // first: marks the start of evaluation
import ApexCharts from "apexcharts/core";
import "apexcharts/line";
import "apexcharts/rangeArea";
import "apexcharts/features/legend";
import "apexcharts/features/renderer-canvas";
import { COLORS, HEIGHT, timeDraw } from "./page.mjs";

timeDraw(async (el, { x, done, ideal, scope, lo, hi }) => {
  const pairs = (values) => {
    const out = [];
    for (let i = 0; i < x.length; i++) out.push({ x: x[i] * 1000, y: values[i] });
    return out;
  };
  const cone = [];
  for (let i = 0; i < x.length; i++) if (lo[i] !== null) cone.push({ x: x[i] * 1000, y: [lo[i], hi[i]] });
  const chart = new ApexCharts(el, {
    chart: { type: "rangeArea", height: HEIGHT, animations: { enabled: false }, toolbar: { show: false }, zoom: { enabled: false }, renderer: "auto" },
    series: [
      { type: "rangeArea", name: "cone", data: cone },
      { type: "line", name: "done", data: pairs(done) },
      { type: "line", name: "ideal", data: pairs(ideal) },
      { type: "line", name: "scope", data: pairs(scope) },
    ],
    colors: [COLORS.done, COLORS.done, COLORS.ideal, COLORS.scope],
    fill: { opacity: [0.2, 1, 1, 1] },
    stroke: { curve: "straight", width: [0, 2, 2, 2] },
    markers: { size: 0 },
    dataLabels: { enabled: false },
    xaxis: { type: "datetime" },
    yaxis: { decimalsInFloat: 0 },
  });
  await chart.render();
  return chart;
});
