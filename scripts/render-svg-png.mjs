#!/usr/bin/env node
// Renders SVG files to PNG in real headless Chromium (Debian's /usr/bin/chromium, or $CHROMIUM), so a person can look
// at the charts shipgate draws: `node scripts/render-svg-png.mjs chart.svg [more.svg …]` writes chart.png beside each,
// at the size the SVG's width and height attributes give. Never downloads a browser.
//
// The tracker's charts of the test's sample program: SHIPGATE_SVG_OUT=/tmp/charts npx vitest run
// test/report/track-svg.test.ts, then node scripts/render-svg-png.mjs /tmp/charts/*.svg.
// Exit code: 0 all rendered, 2 usage error, no browser, or a file Chromium could not render.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const browser = process.env.CHROMIUM ?? "/usr/bin/chromium";
const files = process.argv.slice(2);
if (files.length === 0) fail("usage: node scripts/render-svg-png.mjs FILE.svg [FILE.svg …]  (writes FILE.png beside each)");
if (!existsSync(browser)) fail(`no Chromium at ${browser}: install Debian's chromium package (apt-get install chromium) or set CHROMIUM to its path`);

for (const file of files) {
  const path = resolve(file);
  if (!path.endsWith(".svg")) fail(`${file}: not an .svg file`);
  const { width, height } = sizeOf(path);
  const out = path.replace(/\.svg$/, ".png");
  // A profile of its own: two renders at once (or a running browser) do not share a lock.
  const profile = mkdtempSync(join(tmpdir(), "shipgate-chromium-"));
  try {
    execFileSync(
      browser,
      [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        `--user-data-dir=${profile}`,
        `--window-size=${width},${height}`,
        `--screenshot=${out}`,
        pathToFileURL(path).href,
      ],
      { stdio: ["ignore", "ignore", "pipe"], timeout: 120_000 },
    );
  } catch (error) {
    fail(`${file}: Chromium failed: ${String(error.stderr ?? error.message).trim().split("\n").slice(-3).join(" ")}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  if (!existsSync(out) || statSync(out).size === 0) fail(`${file}: Chromium wrote no screenshot`);
  console.log(`${out} (${width} × ${height})`);
}

/** The width and height attributes of the root <svg> element (whole pixels). */
function sizeOf(path) {
  const head = readFileSync(path, "utf8").slice(0, 4096);
  const tag = head.slice(head.indexOf("<svg"), head.indexOf(">", head.indexOf("<svg")) + 1);
  const width = Number(/\swidth="(\d+)"/.exec(tag)?.[1]);
  const height = Number(/\sheight="(\d+)"/.exec(tag)?.[1]);
  if (!(width > 0 && height > 0)) fail(`${path}: the <svg> element has no width and height in pixels`);
  return { width, height };
}

function fail(message) {
  console.error(`render-svg-png: ${message}`);
  process.exit(2);
}
