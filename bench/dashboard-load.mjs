// The dashboard's first load (issue 13, "Performance"): in Debian's Chromium (playwright-core), a new browser context
// per run (cold cache: nothing cached, the event stream opened anew), the time from navigation start to the overview's
// first chart drawn (uPlot's draw hook sets data-chart-ready), median of BENCH_RUNS (5); and the bundle that load
// fetched: dist/web's JS and CSS, raw and gzip. Target: under 1 s to the first chart.
//   node bench/dashboard-load.mjs URL        (a running `shipgate serve`; bench/serve.mjs calls it on its server)
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const FIRST_CHART_TARGET_MS = 1000;

/** dist/web's files by kind: raw and gzip bytes (what a browser downloads without and with compression). */
export function bundleSizes(dir = join(ROOT, "dist", "web")) {
  const sizes = { js: { raw: 0, gzip: 0 }, css: { raw: 0, gzip: 0 }, html: { raw: 0, gzip: 0 } };
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const kind = entry.name.endsWith(".js") ? "js" : entry.name.endsWith(".css") ? "css" : entry.name.endsWith(".html") ? "html" : null;
    if (!kind) continue;
    const bytes = readFileSync(join(entry.parentPath, entry.name));
    sizes[kind].raw += bytes.length;
    sizes[kind].gzip += gzipSync(bytes, { level: 9 }).length;
  }
  return sizes;
}

/**
 * `runs` cold loads of `url` (#/overview): ms from navigation start to the first chart drawn, to DOMContentLoaded,
 * and the bytes transferred (every response's body). Throws when the page shows no chart within 15 s.
 */
export async function measureFirstLoad(url, { runs = 5, executablePath = process.env.SHIPGATE_CHROMIUM ?? "/usr/bin/chromium" } = {}) {
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath, args: ["--no-sandbox"] });
  const samples = [];
  try {
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      let bytes = 0;
      page.on("response", async (response) => {
        const length = Number((await response.allHeaders())["content-length"] ?? 0);
        bytes += Number.isFinite(length) ? length : 0;
      });
      await page.goto(new URL("#/overview", url).toString());
      await page.waitForSelector("[data-chart-ready]", { timeout: 15_000 });
      const timing = await page.evaluate(`(() => { const nav = performance.getEntriesByType("navigation")[0]; return { chart: performance.now(), dom: nav ? nav.domContentLoadedEventEnd : null }; })()`);
      samples.push({ chartMs: timing.chart, domMs: timing.dom, bytes });
      await context.close();
    }
  } finally {
    await browser.close();
  }
  const sorted = (key) => samples.map((s) => s[key]).filter((v) => v !== null).sort((a, b) => a - b);
  const mid = (list) => (list.length === 0 ? null : list[Math.floor((list.length - 1) / 2)]);
  return { runs, firstChartMs: mid(sorted("chartMs")), firstChartMaxMs: Math.max(...samples.map((s) => s.chartMs)), domContentLoadedMs: mid(sorted("domMs")), samples };
}

/** Prints the figures; returns whether the target was met. */
export function printDashboardLoad(load, sizes) {
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`\ndashboard first load (Chromium, cold cache, ${load.runs} runs, #/overview on the bench's store)`);
  console.log(`  bundle: JS ${kb(sizes.js.raw)} (${kb(sizes.js.gzip)} gzip), CSS ${kb(sizes.css.raw)} (${kb(sizes.css.gzip)} gzip), HTML ${kb(sizes.html.raw)}`);
  console.log(`  to DOMContentLoaded: ${load.domContentLoadedMs?.toFixed(0) ?? "n/a"} ms median`);
  const met = load.firstChartMs !== null && load.firstChartMs < FIRST_CHART_TARGET_MS;
  console.log(`  to the first chart drawn: ${load.firstChartMs?.toFixed(0)} ms median (slowest ${load.firstChartMaxMs.toFixed(0)} ms) — target < ${FIRST_CHART_TARGET_MS} ms: ${met ? "MET" : "MISSED"}`);
  return met;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const url = process.argv[2];
  if (!url) {
    console.error("usage: node bench/dashboard-load.mjs URL (a running shipgate serve)");
    process.exit(2);
  }
  printDashboardLoad(await measureFirstLoad(url, { runs: Number(process.env.BENCH_RUNS ?? 5) }), bundleSizes());
}
