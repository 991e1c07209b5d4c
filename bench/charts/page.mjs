/* global document, window, location, requestAnimationFrame, MessageChannel, URLSearchParams */
// What every page of `bench/charts.mjs` shares: the chart's data and how its drawing is timed.
// Each page draws the dashboard's typical chart, a burn-up: three series (done, ideal, scope) over N days and a
// forecast cone (a band between a low and a high bound, from today to the end), 960 × 400 CSS pixels, no animation.

export const WIDTH = 960;
export const HEIGHT = 400;
export const COLORS = { done: "#1f77b4", ideal: "#7f7f7f", scope: "#d62728", cone: "rgba(31, 119, 180, 0.2)" };

/** N from the page's `?n=` (default 365). */
export function pointCount() {
  const n = Number(new URLSearchParams(location.search).get("n") ?? 365);
  return Number.isInteger(n) && n >= 2 ? n : 365;
}

/**
 * A deterministic burn-up over `n` days: `x` in Unix seconds (one a day), `done` cumulative up to today (80 % of the
 * span, null after), `ideal` linear from 0 to the first scope, `scope` with two steps up, and the cone `lo`/`hi` from
 * today on (null before). Plain arrays with nulls, the shape a JSON API answers; each page converts as its library
 * needs, and that conversion is timed with the drawing.
 */
export function burnUp(n) {
  const t0 = Date.UTC(2026, 0, 1) / 1000;
  const today = Math.floor(n * 0.8);
  const scope0 = n * 2;
  const x = new Array(n);
  const done = new Array(n);
  const ideal = new Array(n);
  const scope = new Array(n);
  const lo = new Array(n);
  const hi = new Array(n);
  let seed = 0x9e3779b9;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 4294967296;
  };
  let sum = 0;
  for (let i = 0; i < n; i++) {
    x[i] = t0 + i * 86400;
    scope[i] = scope0 * (i < n / 4 ? 1 : i < n / 2 ? 1.1 : 1.2);
    ideal[i] = (scope0 * i) / (n - 1);
    if (i <= today) sum += random() * 2.2;
    done[i] = i <= today ? Math.round(sum) : null;
  }
  const rate = sum / Math.max(1, today);
  for (let i = 0; i < n; i++) {
    const k = i - today;
    lo[i] = k < 0 ? null : Math.min(scope[i], sum + k * rate * 0.7);
    hi[i] = k < 0 ? null : Math.min(scope[i], sum + k * rate * 1.3);
  }
  return { n, x, done, ideal, scope, lo, hi };
}

/** Resolves after the next frame is painted: a rAF callback runs before the paint, a message posted from it after. */
function afterNextPaint() {
  return new Promise((resolve) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = resolve;
      channel.port2.postMessage(0);
    }),
  );
}

/** What was drawn, counted after the timing (a page that draws nothing must not look fast). */
function inspect(el) {
  let canvasPixels = 0;
  for (const canvas of el.querySelectorAll("canvas")) {
    const { width, height } = canvas;
    if (!width || !height) continue;
    const pixels = canvas.getContext("2d").getImageData(0, 0, width, height).data;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) canvasPixels++;
  }
  let svgPaths = 0;
  for (const path of el.querySelectorAll("svg path")) if ((path.getAttribute("d") ?? "").length > 100) svgPaths++;
  return { canvasPixels, svgPaths };
}

/**
 * Marks `chart-start`, calls `draw(el, data)` (it may return a promise), waits for the next paint, marks `chart-drawn`
 * and publishes `window.__bench`. Marks are relative to the navigation start (performance.timeOrigin).
 */
export async function timeDraw(draw) {
  const data = burnUp(pointCount());
  const el = document.getElementById("chart");
  el.style.width = `${WIDTH}px`;
  el.style.height = `${HEIGHT}px`;
  try {
    performance.mark("chart-start");
    window.__chart = await draw(el, data);
    await afterNextPaint();
    performance.mark("chart-drawn");
    window.__bench = { n: data.n, ...inspect(el) };
  } catch (error) {
    window.__bench = { n: data.n, error: String(error?.stack ?? error) };
  }
}
