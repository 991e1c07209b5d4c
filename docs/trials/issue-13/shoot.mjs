// Screenshots of every dashboard page of a running `shipgate serve` in Debian's Chromium (issue 13 trial), with the
// console errors, failed requests and HTTP errors of each page. Usage: node docs/trials/issue-13/shoot.mjs URL OUTDIR
import { chromium } from "playwright-core";
import { mkdirSync, writeFileSync } from "node:fs";
const [url, out] = process.argv.slice(2);
mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium" });
const report = {};
for (const name of ["overview", "tracker", "plan", "board", "tests", "gates", "alerts"]) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const log = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") log.push(`${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => log.push(`pageerror: ${e.message}`));
  page.on("requestfailed", (r) => { if (!r.url().includes("/api/events")) log.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`); });
  page.on("response", (r) => { if (r.status() >= 400) log.push(`HTTP ${r.status()} ${r.url()}`); });
  await page.goto(`${url}#/${name}`, { waitUntil: "load" });
  await page.waitForTimeout(2000);
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  writeFileSync(`${out}/${name}.txt`, await page.evaluate(() => document.body.innerText));
  report[name] = log;
  await page.close();
}
await browser.close();
console.log(JSON.stringify(report, null, 1));
