import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { repoRoot, shipgate } from "../cli/run-cli.js";
import { type Browsing, closeDashboard, DEMO_NOW, demoCopy, openDashboard, openPage, screenshot, type Served, webDescribe } from "./support.js";

interface ShownTask {
  id: string;
  state: string | null;
}

const PLAN = "shipgate.run.yaml";

/** An attribute of every element a locator finds, in order (no function runs in the page: the tests have no DOM types). */
const attributes = async (found: Locator, name: string) => Promise.all((await found.all()).map((one) => one.getAttribute(name)));

webDescribe("dashboard: plan, in Chromium on the example's history", () => {
  let server: Served;
  let browsing: Browsing;
  let project: string;
  const cli = (args: string[]) => shipgate(args, { cwd: project, env: { SHIPGATE_NOW: DEMO_NOW } });
  beforeAll(async () => {
    // A copy: the CLI commands below may import a plan into the store they read (the shared history is read-only).
    ({ dir: project, server, browsing } = await openDashboard(await demoCopy()));
  }, 420_000);
  afterAll(() => closeDashboard(server, browsing));

  it("draws every task of the plan with its stored state and the critical path the CLI computes, with no console error", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "plan");
    // The chart outlines the critical chain (`plan check`'s timing.critical), as `plan gantt --svg` does.
    const checked = JSON.parse(cli(["plan", "check", "--json", "--plan", PLAN]).stdout) as { timing: { critical: string[] }; schedule: { start: string; end: string } };
    const shown = JSON.parse(cli(["plan", "show", "--json", "--plan", PLAN]).stdout) as ShownTask[];
    const listed = JSON.parse(cli(["task", "list", "--json", "--plan", PLAN]).stdout) as { id: string; state: string }[];
    expect(listed.length).toBeGreaterThan(0);

    const ids = await attributes(page.locator(".g-task"), "data-task");
    const states = await attributes(page.locator(".g-task"), "data-state");
    const critic = await attributes(page.locator(".g-task"), "data-critical");
    const rows = ids.map((id, i) => ({ id, state: states[i], critical: critic[i] === "true" }));
    expect(rows.map((r) => r.id)).toEqual(listed.map((t) => t.id));
    expect(rows.map((r) => r.state)).toEqual(listed.map((t) => t.state));
    expect(await page.getByTestId("plan-tasks").innerText()).toContain(String(listed.length));
    expect(await page.getByTestId("plan-done").innerText()).toContain(String(listed.filter((t) => t.state === "done").length));

    const critical = checked.timing.critical;
    expect(critical).toEqual(["FIX-MONEY", "TEST-MONEY", "OPS-HEALTH", "CI-API"]);
    expect(shown.map((t) => t.state)).toEqual(listed.map((t) => t.state));
    expect(await page.getByTestId("plan-schedule").innerText()).toContain(`${checked.schedule.start} → ${checked.schedule.end}`);
    expect(rows.filter((r) => r.critical).map((r) => r.id)).toEqual(critical);
    expect(await page.getByTestId("critical-path").innerText()).toBe(critical.join(" → "));
    expect(await page.locator(".g-bar.critical").count()).toBe(critical.length + 1); // + the legend's swatch
    expect(await page.getByTestId("today").innerText()).toContain("2026-11-24");
    expect(await page.getByTestId("omitted").count()).toBe(0);
    await screenshot(page, "plan");
    expect(errors).toEqual([]);
  });

  it("shows a task's runs and the log of its latest run when its bar is clicked", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "plan");
    const runs = JSON.parse(cli(["task", "runs", "TEST-WORKER", "--json"]).stdout) as { run: number; outcome: string }[];
    expect(runs.map((r) => r.outcome)).toEqual(["failed", "done"]);
    await page.locator('.g-task[data-task="TEST-WORKER"] .g-bar').click();
    const table = page.getByLabel("Runs of TEST-WORKER", { exact: true }).locator("table");
    await table.waitFor();
    expect(await table.locator("tbody tr").count()).toBe(runs.length);
    expect(await table.innerText()).toContain("failed");
    const log = page.getByTestId("run-log");
    await log.waitFor();
    expect((await log.innerText()).length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it("shows no runs of the task picked before while the next task's runs load (it listed them under the new task's name)", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "plan");
    await page.locator('.g-task[data-task="TEST-WORKER"] .g-bar').click();
    await page.getByLabel("Runs of TEST-WORKER", { exact: true }).locator("table").waitFor();
    const other = (JSON.parse(cli(["task", "list", "--json", "--plan", PLAN]).stdout) as { id: string }[]).map((t) => t.id).find((id) => id !== "TEST-WORKER") as string;
    // The real answer, held back until the card has been looked at while it loads.
    let release: () => void = () => undefined;
    const held = new Promise<void>((done) => (release = done));
    await page.route(`**/api/runs?task=${other}*`, async (route) => {
      await held;
      await route.continue();
    });
    await page.locator(`.g-task[data-task="${other}"] .g-bar`).click();
    const card = page.getByLabel(`Runs of ${other}`, { exact: true });
    await card.getByText(`Loading the runs of ${other}`).waitFor();
    expect(await card.locator("table").count()).toBe(0);
    release();
    await card.locator("table, .empty").first().waitFor();
    await page.unroute(`**/api/runs?task=${other}*`);
    expect(errors).toEqual([]);
  });

  it("says how many tasks a capped chart leaves out", async () => {
    const { page, errors } = browsing;
    // The API caps the chart at 500 bars (maxTasks); the page shows what it omitted.
    await page.goto("about:blank");
    await page.route("**/api/plan/gantt", (route) => route.continue({ url: new URL("api/plan/gantt?maxTasks=3", server.url).toString() }));
    await openPage(page, server.url, "plan");
    expect(await page.locator(".g-task").count()).toBe(3);
    expect(await page.getByTestId("omitted").innerText()).toMatch(/^\d+ of \d+ tasks not shown/);
    await page.unroute("**/api/plan/gantt");
    expect(errors).toEqual([]);
  });
});

webDescribe("dashboard: plan and tests pages on a store without a plan or a snapshot", () => {
  let server: Served;
  let browsing: Browsing;
  beforeAll(async () => {
    mkdirSync(join(repoRoot, ".test-tmp"), { recursive: true });
    ({ server, browsing } = await openDashboard(mkdtempSync(join(repoRoot, ".test-tmp", "web-empty-"))));
  }, 60_000);
  afterAll(() => closeDashboard(server, browsing));

  it("says no plan and no snapshot yet instead of asking for 404s the browser logs as errors", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "plan");
    expect(await page.locator("main").innerText()).toContain("No plan imported yet");
    await openPage(page, server.url, "tests");
    expect(await page.locator("main").innerText()).toContain("No snapshot yet");
    expect(errors).toEqual([]);
  });
});
