// uPlot: columnar arrays as they come (x in Unix seconds is its native time scale), the cone as a band between two series.
import "./start.mjs"; // first: marks the start of evaluation
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { COLORS, HEIGHT, WIDTH, timeDraw } from "./page.mjs";

timeDraw(
  (el, { x, done, ideal, scope, lo, hi }) =>
    new uPlot(
      {
        width: WIDTH,
        height: HEIGHT - 60, // the legend below the plot takes the rest of the 400 px
        series: [
          {},
          { label: "done", stroke: COLORS.done, width: 2 },
          { label: "ideal", stroke: COLORS.ideal, width: 2 },
          { label: "scope", stroke: COLORS.scope, width: 2 },
          { label: "P85", stroke: "transparent", points: { show: false } },
          { label: "P95", stroke: "transparent", points: { show: false } },
        ],
        bands: [{ series: [5, 4], fill: COLORS.cone }],
      },
      [x, done, ideal, scope, lo, hi],
      el,
    ),
);
