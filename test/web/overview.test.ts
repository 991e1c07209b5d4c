import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { browse, demoHistory, openPage, screenshot, serve, type Browsing, type Served } from "./support.js";

describe("dashboard: overview, in Chromium on the example's history", () => {
  let server: Served;
  let browsing: Browsing;
  beforeAll(async () => {
    server = await serve(await demoHistory());
    browsing = await browse();
  }, 420_000);
  afterAll(async () => {
    await browsing?.close();
    server?.stop();
  });

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
