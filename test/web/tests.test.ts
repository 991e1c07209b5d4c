import { execFileSync, spawnSync } from "node:child_process";
import { join } from "node:path";
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { shipgate } from "../cli/run-cli.js";
import { type Browsing, closeDashboard, DEMO_NOW, demoCopy, demoHistory, openDashboard, openPage, screenshot, type Served, webDescribe } from "./support.js";

interface Shown {
  snapshot: { id: number };
  tests: { total: number; passed: number; failed: number; errored: number; skipped: number; flaky: number };
  coverage: { lines: number | null; branches: number | null; files: { name: string; lines: number | null }[]; packages: { name: string; lines: number | null }[] };
}
interface Diffed {
  from: { id: number };
  tests: { newlyFailing: { id: string }[] };
}

const cli = (project: string, args: string[], now = DEMO_NOW) => shipgate(args, { cwd: project, env: { SHIPGATE_NOW: now } });
/** An attribute of every element a locator finds, in order (no function runs in the page: the tests have no DOM types). */
const attributes = async (found: Locator, name: string) => Promise.all((await found.all()).map((one) => one.getAttribute(name)));
const pct = (value: number | null) => (value === null ? "unknown" : `${Math.round(value * 100) / 100} %`);

webDescribe("dashboard: tests & coverage, in Chromium on the example's history", () => {
  let server: Served;
  let browsing: Browsing;
  let project: string;
  beforeAll(async () => {
    ({ dir: project, server, browsing } = await openDashboard(await demoHistory()));
  }, 420_000);
  afterAll(() => closeDashboard(server, browsing));

  it("shows the latest snapshot's test counts, regressions and coverage as `show` and `diff` print them, with no console error", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "tests");
    const shown = JSON.parse(cli(project, ["show", "--json"]).stdout) as Shown;
    const diffed = JSON.parse(cli(project, ["diff", "--json"]).stdout) as Diffed;
    for (const key of ["total", "passed", "failed", "errored", "skipped", "flaky"] as const) {
      expect(await page.getByTestId(`tests-${key}`).innerText(), key).toContain(String(shown.tests[key]));
    }
    expect(shown.tests).toMatchObject({ total: 42, passed: 40, failed: 0 });
    expect(await page.getByTestId("tests-regressed").innerText()).toContain(`${diffed.tests.newlyFailing.length}\nsince snapshot ${diffed.from.id}`);
    expect(await page.getByTestId("coverage-lines").innerText()).toContain(pct(shown.coverage.lines));
    expect(await page.getByTestId("coverage-branches").innerText()).toContain(pct(shown.coverage.branches));

    const components = page.getByRole("table", { name: "Coverage by component" });
    for (const p of shown.coverage.packages) expect(await components.locator("tr", { hasText: p.name }).innerText()).toContain(pct(p.lines));
    const files = page.getByRole("table", { name: "Coverage by file" });
    expect(await files.locator("tbody tr").count()).toBe(shown.coverage.files.length);
    // Sorted by line coverage, lowest first, unknown last; a click on the header reverses it.
    const order = () => attributes(files.locator("tbody tr"), "data-row");
    const known = shown.coverage.files.filter((f) => f.lines !== null).sort((a, b) => a.lines! - b.lines!);
    const unknown = shown.coverage.files.filter((f) => f.lines === null).map((f) => f.name);
    expect((await order()).slice(0, known.length).map((name) => shown.coverage.files.find((f) => f.name === name)!.lines)).toEqual(known.map((f) => f.lines));
    expect((await order()).slice(known.length)).toEqual(unknown);
    await files.getByRole("button", { name: "Lines", exact: true }).click();
    expect((await order()).slice(0, known.length).map((name) => shown.coverage.files.find((f) => f.name === name)!.lines)).toEqual(known.map((f) => f.lines).reverse());
    expect((await order()).slice(known.length)).toEqual(unknown);
    await screenshot(page, "tests");
    expect(errors).toEqual([]);
  });

  it("shows a file's uncovered line ranges, as the snapshot stored them, when the file is clicked", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "tests");
    const detail = (await (await fetch(new URL("api/snapshots/latest", server.url))).json()) as { coverageFiles: { path: string; uncoveredLines: string | null }[] };
    const file = detail.coverageFiles.find((f) => f.uncoveredLines !== null && f.uncoveredLines.includes(","))!;
    expect(file).toBeDefined();
    await page.getByRole("table", { name: "Coverage by file" }).locator(`tr[data-row="${file.path}"]`).click();
    const ranges = page.getByTestId("uncovered-lines").locator("code.range");
    expect(await ranges.allInnerTexts()).toEqual(file.uncoveredLines!.split(","));
    expect(errors).toEqual([]);
  });
});

webDescribe("dashboard: tests & coverage, live on a copy where a fixed bug comes back", () => {
  let server: Served;
  let browsing: Browsing;
  let project: string;
  beforeAll(async () => {
    ({ dir: project, server, browsing } = await openDashboard(await demoCopy()));
  }, 420_000);
  afterAll(() => closeDashboard(server, browsing));

  it("lists the tests that fail again as regressed once the new snapshot is stored, as `diff` finds them", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "tests");
    expect(await page.getByTestId("tests-failed").innerText()).toContain("0");
    // FIX-MONEY undone, the example's vitest really run (junit + coverage), and the day's snapshot stored.
    const fix = execFileSync("git", ["log", "--format=%H", "--grep", "^\\[FIX-MONEY\\]"], { cwd: project, encoding: "utf8" }).trim();
    execFileSync("git", ["revert", "--no-commit", fix], { cwd: project });
    const vitest = spawnSync(process.execPath, ["../../agents/vitest.mjs", "run"], { cwd: join(project, "packages/api"), encoding: "utf8", env: { ...process.env, CI: "", NO_COLOR: "1" } });
    expect(vitest.status, vitest.stderr).toBe(1);
    const assessed = cli(project, ["assess", "--no-run"], "2026-11-25T18:00:00.000Z");
    expect([0, 1], assessed.stderr).toContain(assessed.code);
    const diffed = JSON.parse(cli(project, ["diff", "--json"], "2026-11-25T19:00:00.000Z").stdout) as Diffed;
    const regressed = diffed.tests.newlyFailing.map((c) => c.id);
    expect(regressed.length).toBeGreaterThan(0);

    // The page follows the snapshot.created event: no reload.
    const failing = page.getByRole("table", { name: "Failing tests" });
    await failing.waitFor({ timeout: 5000 });
    expect(await failing.locator("tbody tr").count()).toBe(regressed.length);
    expect(await failing.getByText("regressed").count()).toBe(regressed.length);
    expect(await page.getByTestId("tests-regressed").innerText()).toContain(`${regressed.length}\nsince snapshot ${diffed.from.id}`);
    const listed = await page.getByRole("table", { name: "Regressed tests" }).locator("tbody code").allInnerTexts();
    expect(listed).toEqual(regressed);
    await screenshot(page, "tests-regressed");
    expect(errors).toEqual([]);
  });
});
