import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { repoRoot, shipgate } from "../cli/run-cli.js";
import { browse, type Browsing, closeDashboard, demoHistory, openDashboard, openPage, screenshot, serve, type Served, webDescribe } from "./support.js";


webDescribe("dashboard: overview, in Chromium on the example's history", () => {
  let server: Served;
  let browsing: Browsing;
  beforeAll(async () => {
    ({ server, browsing } = await openDashboard(await demoHistory()));
  }, 420_000);
  afterAll(() => closeDashboard(server, browsing));

  it("shows the latest snapshot's score, level and tests, the score trend and the task counts, with no console error", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "overview");
    expect(await page.getByTestId("score").innerText()).toContain("85");
    expect(await page.getByTestId("level").innerText()).toContain("PRODUCTION_READY");
    expect(await page.getByLabel("Readiness").innerText()).toContain("40 / 42");
    // regression: the overview rounded coverage to one decimal (86.7 %) where every other view says 86.72.
    expect(await page.getByLabel("Readiness").innerText()).toContain("86.72 %");
    expect(await page.getByTestId("tasks-done").innerText()).toContain("9");
    expect(await page.locator('[data-chart="Score trend"] canvas').count()).toBe(1);
    await screenshot(page, "overview");
    expect(errors).toEqual([]);
  });

  it("serves the dashboard with a content security policy that allows only itself", async () => {
    const response = await fetch(server.url);
    expect(response.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(await response.text()).toContain('<div id="app">');
    expect((await fetch(new URL("../../etc/passwd", server.url))).status).toBe(404);
    expect((await fetch(new URL("assets/..%2f..%2fpackage.json", server.url))).status).toBe(404);
  });
});

webDescribe("dashboard: overview of a snapshot without a test report", () => {
  it("shows tests as unknown with no 'none failing' and no good tone (unknown tests read as all passing)", async () => {
    mkdirSync(join(repoRoot, ".test-tmp"), { recursive: true });
    const project = mkdtempSync(join(repoRoot, ".test-tmp", "web-no-tests-"));
    const env = { SHIPGATE_NOW: "2026-11-24T18:00:00.000Z" };
    expect(shipgate(["init"], { cwd: project, env }).code).toBe(0);
    const lcov = join(repoRoot, "test/fixtures/ingest/lcov/c8-10.1-same-name-arrows.info");
    const assessed = shipgate(["assess", "--no-run", "--report", lcov], { cwd: project, env });
    expect([0, 1], assessed.stderr).toContain(assessed.code);
    const server = await serve(project);
    const browsing = await browse();
    try {
      await openPage(browsing.page, server.url, "overview");
      const tests = browsing.page.getByTestId("tests");
      expect(await tests.innerText()).toContain("unknown");
      expect(await tests.innerText()).not.toContain("none failing");
      expect(await tests.getAttribute("class")).not.toContain("good");
      expect(browsing.errors).toEqual([]);
    } finally {
      await browsing.close();
      server.stop();
    }
  }, 120_000);
});

webDescribe("dashboard: overview of an empty store", () => {
  it("regression: says there is no snapshot yet instead of asking for the latest one (a 404 the browser logged as an error)", async () => {
    mkdirSync(join(repoRoot, ".test-tmp"), { recursive: true });
    const project = mkdtempSync(join(repoRoot, ".test-tmp", "web-empty-"));
    const server = await serve(project);
    const browsing = await browse();
    try {
      await openPage(browsing.page, server.url, "overview");
      expect(await browsing.page.getByTestId("no-snapshot").innerText()).toContain("No snapshot yet");
      expect(browsing.errors).toEqual([]);
    } finally {
      await browsing.close();
      server.stop();
    }
  }, 120_000);
});
