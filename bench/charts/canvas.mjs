/* global document */
// The floor, not a candidate: the same lines and band drawn by hand on a 2D canvas (no axes, labels, legend or
// tooltip). It shows what the page itself costs (navigation, data, one paint), so a library's share can be read off.
import "./start.mjs"; // first: marks the start of evaluation
import { COLORS, HEIGHT, WIDTH, timeDraw } from "./page.mjs";

timeDraw((el, { n, done, ideal, scope, lo, hi }) => {
  const canvas = document.createElement("canvas");
  canvas.width = WIDTH;
  canvas.height = HEIGHT;
  el.append(canvas);
  const ctx = canvas.getContext("2d");
  let top = 0;
  for (const v of scope) top = Math.max(top, v);
  const px = (i) => (i * (WIDTH - 1)) / (n - 1);
  const py = (v) => HEIGHT - 1 - (v * (HEIGHT - 1)) / top;
  const first = lo.findIndex((v) => v !== null);
  ctx.fillStyle = COLORS.cone;
  ctx.beginPath();
  for (let i = first; i < n; i++) ctx.lineTo(px(i), py(hi[i]));
  for (let i = n - 1; i >= first; i--) ctx.lineTo(px(i), py(lo[i]));
  ctx.fill();
  for (const [values, color] of [[done, COLORS.done], [ideal, COLORS.ideal], [scope, COLORS.scope]]) {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.beginPath();
    for (let i = 0; i < n && values[i] !== null; i++) ctx.lineTo(px(i), py(values[i]));
    ctx.stroke();
  }
  return canvas;
});
