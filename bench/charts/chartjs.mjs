/* global document */
// Chart.js, tree-shaken: a linear x axis in milliseconds with dates as tick labels (its `time` scale needs a date
// adapter and a date library, more bytes); the cone is the high bound filled to the low one (`fill: "-1"`, Filler).
// Its performance advice is applied where it does not change the picture: no animation, data pre-parsed
// (`parsing: false`, `normalized: true`), no point markers.
import "./start.mjs"; // first: marks the start of evaluation
import { Chart, Filler, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from "chart.js";
import { COLORS, timeDraw } from "./page.mjs";

Chart.register(LineController, LineElement, PointElement, LinearScale, Filler, Legend, Tooltip);

const points = (x, values) => {
  const out = [];
  for (let i = 0; i < x.length; i++) out.push({ x: x[i] * 1000, y: values[i] });
  return out;
};

timeDraw((el, { x, done, ideal, scope, lo, hi }) => {
  const canvas = document.createElement("canvas");
  el.append(canvas);
  const line = (label, values, color) => ({ label, data: points(x, values), borderColor: color, borderWidth: 2, fill: false });
  return new Chart(canvas, {
    type: "line",
    data: {
      datasets: [
        line("done", done, COLORS.done),
        line("ideal", ideal, COLORS.ideal),
        line("scope", scope, COLORS.scope),
        { label: "P85", data: points(x, lo), borderWidth: 0, fill: false },
        { label: "P95", data: points(x, hi), borderWidth: 0, fill: "-1", backgroundColor: COLORS.cone },
      ],
    },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      maintainAspectRatio: false,
      elements: { point: { radius: 0 } },
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { labels: { filter: (item) => item.datasetIndex < 3 } } },
      scales: { x: { type: "linear", min: x[0] * 1000, max: x[x.length - 1] * 1000, ticks: { callback: (v) => new Date(v).toISOString().slice(0, 10) } } },
    },
  });
});
