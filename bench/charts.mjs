/* global window */
// The dashboard's charting library, chosen by measurement (issue 13: "a small charting library chosen by measurement
// (bundle size, render time), not hand-drawn canvas code"). Side by side in one run, for each candidate:
//  1. bytes: a minimal page drawing the dashboard's typical chart (bench/charts/<id>.mjs: a burn-up with done, ideal
//     and scope over N days and a forecast cone as a filled band), built by Vite (production build, minified) into a
//     temp folder — JS and CSS, raw and gzip -9;
//  2. time and memory in real headless Chromium (/usr/bin/chromium, never a downloaded browser), a cold page each time
//     (a new browser context: empty HTTP and code caches) for N = 30, 365, 10 000: navigation start → chart drawn
//     (performance marks; "drawn" is the message posted from a requestAnimationFrame after the draw, i.e. after that
//     frame's paint), split into navigation → draw call and the draw itself; the JS heap after a forced GC (CDP
//     Runtime.getHeapUsage). Medians of BENCH_RUNS (5) runs, interleaved; ratios to the best candidate.
// The floor (bench/charts/canvas.mjs, a hand-drawn 2D canvas with no axes) is printed for reference, not ranked.
// Candidates are found in the repository's node_modules (uplot, chart.js: devDependencies) or in BENCH_CHARTS_PEERS
// (default /tmp/charts-peers: `npm install --prefix /tmp/charts-peers echarts@6.1.0 apexcharts@7.9.1`); one that is
// not installed is skipped and said so.
//   node bench/charts.mjs     (BENCH_RUNS=5; BENCH_POINTS=30,365,10000; BENCH_ONLY=uplot,chartjs,…; BENCH_CHROMIUM=path)
// Screenshots of each chart (first run) and the results go to bench/.data/charts/.
// Exits 0 when every page drew; 1 when a page failed or drew nothing; 2 when it cannot start.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { build } from "vite";
import { fail, median, printMachine } from "./stats.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PAGES = join(ROOT, "bench", "charts");
const OUT = join(ROOT, "bench", ".data", "charts");
const PEERS = process.env.BENCH_CHARTS_PEERS ?? "/tmp/charts-peers";
const CHROMIUM = process.env.BENCH_CHROMIUM ?? "/usr/bin/chromium";
const INSTALL_PEERS = `npm install --prefix ${PEERS} echarts@6.1.0 apexcharts@7.9.1`;

/** `packages`: every bare specifier prefix the page imports; the first one names the version printed. */
const CANDIDATES = [
  { id: "canvas", name: "floor: hand-drawn canvas", packages: [], floor: true },
  { id: "uplot", name: "uPlot", packages: ["uplot"], license: "MIT" },
  { id: "chartjs", name: "Chart.js", packages: ["chart.js"], license: "MIT" },
  { id: "echarts", name: "ECharts", packages: ["echarts", "zrender"], license: "Apache-2.0" },
  { id: "apexcharts", name: "ApexCharts", packages: ["apexcharts"], license: "own (paid ≥ $2M revenue or embedded)" },
];

const MIME = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".png": "image/png" };

// ── building ───────────────────────────────────────────────────────────────────────────────────────────────────────

/** Where a package is installed (the folder holding its node_modules) and its version, or undefined. */
function locate(name) {
  for (const base of [ROOT, PEERS]) {
    const manifest = join(base, "node_modules", name, "package.json");
    if (existsSync(manifest)) return { base, version: JSON.parse(readFileSync(manifest, "utf8")).version };
  }
  return undefined;
}

/** Resolves the candidate's bare imports as if imported from `base` (the repository or the peers folder). */
function resolveFrom(base, packages) {
  return {
    name: "bench-charts-resolve",
    enforce: "pre",
    resolveId(source, _importer, options) {
      if (!packages.some((p) => source === p || source.startsWith(`${p}/`))) return null;
      return this.resolve(source, join(base, "bench-charts-importer.mjs"), { ...options, skipSelf: true });
    },
  };
}

async function buildPage(candidate, base, work) {
  const src = join(work, "src", candidate.id);
  mkdirSync(src, { recursive: true });
  writeFileSync(join(src, "index.html"), `<!doctype html>\n<html><head><meta charset="utf-8"><title>${candidate.name}</title><link rel="icon" href="data:,"></head>\n<body style="margin:0;font:12px sans-serif"><div id="chart"></div><script type="module" src="./entry.mjs"></script></body></html>\n`);
  writeFileSync(join(src, "entry.mjs"), `import ${JSON.stringify(join(PAGES, `${candidate.id}.mjs`))};\n`);
  const outDir = join(work, "www", candidate.id);
  await build({
    root: src,
    base: `/${candidate.id}/`,
    configFile: false,
    logLevel: "error",
    plugins: candidate.packages.length ? [resolveFrom(base, candidate.packages)] : [],
    build: { outDir, emptyOutDir: true, reportCompressedSize: false },
  });
  return outDir;
}

/** Bytes of the built JS and CSS, raw and gzip -9 (what a server compressing them sends). */
function sizes(dir) {
  const total = { js: 0, jsGzip: 0, css: 0, cssGzip: 0 };
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      const kind = { ".js": "js", ".css": "css" }[extname(entry.name)];
      if (!entry.isFile() || !kind) continue;
      const bytes = readFileSync(path);
      total[kind] += bytes.length;
      total[`${kind}Gzip`] += gzipSync(bytes, { level: 9 }).length;
    }
  };
  walk(dir);
  return total;
}

// ── measuring ──────────────────────────────────────────────────────────────────────────────────────────────────────

function serve(dir) {
  const server = createServer((req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname).replace(/\/$/, "/index.html"));
    if (!path.startsWith(dir) || !existsSync(path) || !statSync(path).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": MIME[extname(path)] ?? "application/octet-stream", "Cache-Control": "no-store" });
    res.end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** One cold page: a new browser context, navigation, the page's marks, the heap after GC; a screenshot if asked. */
async function measurePage(browser, url, screenshot) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const errors = [];
  try {
    const page = await context.newPage();
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
    await page.goto(url);
    await page.waitForFunction(() => window.__bench, null, { timeout: 120_000 });
    const result = await page.evaluate(() => ({
      ...window.__bench,
      evalMs: performance.getEntriesByName("page-eval")[0]?.startTime,
      startMs: performance.getEntriesByName("chart-start")[0]?.startTime,
      scriptMs: Math.max(...performance.getEntriesByType("resource").filter((r) => r.initiatorType === "script").map((r) => r.responseEnd)),
      drawnMs: performance.getEntriesByName("chart-drawn")[0]?.startTime,
    }));
    const cdp = await context.newCDPSession(page);
    await cdp.send("HeapProfiler.collectGarbage");
    const heap = await cdp.send("Runtime.getHeapUsage");
    if (screenshot) await page.locator("#chart").screenshot({ path: screenshot });
    if (result.error) errors.push(result.error);
    if (!(result.canvasPixels > 1000 || result.svgPaths >= 3)) errors.push(`nothing drawn (${result.canvasPixels} canvas pixels, ${result.svgPaths} SVG paths)`);
    return { ...result, heapMB: heap.usedSize / 1e6, ...(errors.length ? { error: errors.join("; ") } : {}) };
  } catch (error) {
    return { error: [...errors, error.message].join("; ") };
  } finally {
    await context.close();
  }
}

// ── printing ───────────────────────────────────────────────────────────────────────────────────────────────────────

const kB = (bytes) => `${(bytes / 1000).toFixed(1)} kB`; // 1 000 bytes, as Vite prints them
const ms = (x) => (x === undefined ? "n/a" : x < 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(0)} ms`);
const ratio = (x, best) => (x === undefined || !best ? "" : `${(x / best).toFixed(2)}×`);
const pad = (cells, widths) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join("  ");

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  console.log(pad(header, widths));
  for (const row of rows) console.log(pad(row, widths));
}

function bestOf(values) {
  const ok = values.filter((v) => v !== undefined);
  return ok.length ? Math.min(...ok) : undefined;
}

function instructionCounts() {
  const probe = spawnSync("perf", ["stat", "-x,", "-e", "instructions:u", "true"], { encoding: "utf8" });
  const line = (probe.stderr ?? "").split("\n").find((l) => l.includes("instructions"));
  return line && /^\d+,/.test(line)
    ? "instruction counts: not measured (perf counts here, but the chart runs in Chromium's renderer process)"
    : "instruction counts: not available (perf cannot count instructions on this VM)";
}

// ── main ───────────────────────────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const runs = Number(process.env.BENCH_RUNS ?? 5);
  const points = (process.env.BENCH_POINTS ?? "30,365,10000").split(",").map(Number);
  if (!Number.isInteger(runs) || runs < 1) return fail("BENCH_RUNS must be a positive whole number");
  if (!points.every((n) => Number.isInteger(n) && n >= 2)) return fail("BENCH_POINTS must be whole numbers ≥ 2, comma-separated (e.g. 30,365,10000)");
  if (!existsSync(CHROMIUM)) return fail(`${CHROMIUM} not found: install Debian's chromium (apt-get update && apt-get install -y chromium) or set BENCH_CHROMIUM; never a downloaded browser`);
  const only = process.env.BENCH_ONLY?.split(",");
  printMachine(runs);
  console.log(instructionCounts());

  const work = mkdtempSync(join(tmpdir(), "shipgate-bench-charts-"));
  mkdirSync(OUT, { recursive: true });
  let server;
  let browser;
  try {
    const built = [];
    const vite = JSON.parse(readFileSync(join(ROOT, "node_modules", "vite", "package.json"), "utf8")).version;
    console.log(`\nbuilding each page with Vite ${vite} (production, minified) into ${work}`);
    for (const candidate of CANDIDATES.filter((c) => !only || only.includes(c.id))) {
      const found = candidate.packages.map((p) => [p, locate(p)]);
      const missing = found.filter(([, where]) => !where).map(([p]) => p);
      if (missing.length) {
        console.log(`  ${candidate.name}: SKIPPED — not installed (${missing.join(", ")}); ${INSTALL_PEERS}`);
        continue;
      }
      const where = found[0]?.[1];
      const dir = await buildPage(candidate, where?.base ?? ROOT, work);
      built.push({ ...candidate, version: where?.version ?? "", from: where?.base === PEERS ? PEERS : "", size: sizes(dir), samples: new Map() });
      console.log(`  ${candidate.name}${where ? ` ${where.version}` : ""}${where?.base === PEERS ? ` (from ${PEERS})` : ""}: built`);
    }
    const ranked = built.filter((c) => !c.floor);

    console.log(`\nbundle: JS and CSS of the page (chart + data + timing code, ≈ the floor's bytes), gzip -9`);
    const bestGzip = bestOf(ranked.map((c) => c.size.jsGzip + c.size.cssGzip));
    table(
      ["library", "version", "license", "JS raw", "JS gzip", "CSS raw", "CSS gzip", "JS+CSS gzip ×best"],
      built.map((c) => [c.name, c.version, c.license ?? "", kB(c.size.js), kB(c.size.jsGzip), kB(c.size.css), kB(c.size.cssGzip), c.floor ? "" : ratio(c.size.jsGzip + c.size.cssGzip, bestGzip)]),
    );

    server = await serve(join(work, "www"));
    const origin = `http://127.0.0.1:${server.address().port}`;
    browser = await chromium.launch({ executablePath: CHROMIUM });
    console.log(`\nChromium ${browser.version()} headless, viewport 1280 × 800, chart 960 × 400 CSS px; a new context (cold cache) per page`);
    const started = performance.now();
    let failures = 0;
    for (let run = 0; run < runs; run++) {
      for (const n of points) {
        // Rotate the order each run so no library always goes first (or last) after a GC or a context switch.
        for (let k = 0; k < built.length; k++) {
          const c = built[(k + run) % built.length];
          const shot = run === 0 ? join(OUT, `${c.id}-${n}.png`) : undefined;
          const sample = await measurePage(browser, `${origin}/${c.id}/?n=${n}`, shot);
          if (sample.error) {
            failures++;
            console.log(`  ✗ ${c.name}, N = ${n}, run ${run + 1}: ${sample.error.slice(0, 400)}`);
          }
          c.samples.set(n, [...(c.samples.get(n) ?? []), sample]);
        }
      }
      process.stdout.write(`  run ${run + 1}/${runs} done (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
    }

    const results = { machine: { runs, points }, vite, chromium: browser.version(), candidates: [] };
    for (const n of points) {
      const stats = built.map((c) => {
        const ok = (c.samples.get(n) ?? []).filter((s) => !s.error);
        const of = (f) => (ok.length ? median(ok.map(f).sort((a, b) => a - b)) : undefined);
        const drawn = ok.map((s) => s.drawnMs).sort((a, b) => a - b);
        return { c, ok: ok.length, drawn: of((s) => s.drawnMs), min: drawn[0], max: drawn[drawn.length - 1], script: of((s) => s.scriptMs), eval: of((s) => s.evalMs), run: of((s) => s.startMs - s.evalMs), start: of((s) => s.startMs), draw: of((s) => s.drawnMs - s.startMs), heap: of((s) => s.heapMB) };
      });
      const ranks = stats.filter((s) => !s.c.floor);
      const best = { drawn: bestOf(ranks.map((s) => s.drawn)), draw: bestOf(ranks.map((s) => s.draw)), heap: bestOf(ranks.map((s) => s.heap)) };
      console.log(`\nN = ${n.toLocaleString("en-US")} points per series — median of ${runs} cold page(s) [min–max]`);
      table(
        ["library", "navigation → drawn", "×best", "JS loaded", "evaluation starts", "evaluation → draw call", "draw (call → painted)", "×best", "JS heap", "×best"],
        stats.map((s) => [
          s.c.name,
          s.drawn === undefined ? "failed" : `${ms(s.drawn)} [${ms(s.min)}–${ms(s.max)}]`,
          s.c.floor ? "" : ratio(s.drawn, best.drawn),
          ms(s.script),
          ms(s.eval),
          ms(s.run),
          ms(s.draw),
          s.c.floor ? "" : ratio(s.draw, best.draw),
          s.heap === undefined ? "n/a" : `${s.heap.toFixed(2)} MB`,
          s.c.floor ? "" : ratio(s.heap, best.heap),
        ]),
      );
      for (const s of stats) {
        let entry = results.candidates.find((e) => e.id === s.c.id);
        if (!entry) results.candidates.push((entry = { id: s.c.id, name: s.c.name, version: s.c.version, size: s.c.size, byPoints: {} }));
        entry.byPoints[n] = { drawnMs: s.drawn, minMs: s.min, maxMs: s.max, scriptLoadedMs: s.script, evalStartMs: s.eval, evalToCallMs: s.run, startMs: s.start, drawMs: s.draw, heapMB: s.heap, pages: s.ok };
      }
    }
    writeFileSync(join(OUT, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\nscreenshots (first run) and results.json in ${OUT}; ${((performance.now() - started) / 1000).toFixed(0)} s of page loads`);
    const skipped = CANDIDATES.filter((c) => (!only || only.includes(c.id)) && !built.some((b) => b.id === c.id)).map((c) => c.name);
    if (skipped.length) console.log(`skipped (not installed): ${skipped.join(", ")} — ${INSTALL_PEERS}`);
    return failures ? 1 : 0;
  } finally {
    await browser?.close();
    server?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = await main().catch((error) => fail(error.stack ?? String(error)));
