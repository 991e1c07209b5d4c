import { mkdirSync, mkdtempSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { GateResponse, GateSpec } from "../../src/server/api-types.js";
import { repoRoot, shipgate } from "../cli/run-cli.js";
import { browse, type Browsing, closeDashboard, DEMO_NOW, demoCopy, openDashboard, openPage, screenshot, serve, type Served, webDescribe } from "./support.js";

/** As the pages print figures (web/src/components/figure.ts): the CLI's numbers, up to two decimals. */
const fig = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 2 });

webDescribe("dashboard: gates, in Chromium on the example's history", () => {
  let server: Served;
  let browsing: Browsing;
  let dir: string;
  const cli = (args: string[]) => shipgate([...args, "--json", "--cwd", dir], { env: { SHIPGATE_NOW: DEMO_NOW } });
  beforeAll(async () => {
    // A copy: `shipgate gate` records its verdict.
    ({ dir: dir, server, browsing } = await openDashboard(await demoCopy()));
  }, 420_000);
  afterAll(() => closeDashboard(server, browsing));

  it("shows every gate's verdict now, condition by condition, as `shipgate gate --json` gives it, with no console error", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "gates");
    const listed = cli(["gate", "--list"]);
    expect(listed.code).toBe(0);
    const gates = JSON.parse(listed.stdout) as GateSpec[];
    expect(gates.map((g) => g.name)).toEqual(["release", "new-code"]);
    // What the example's history recorded: `assess --gate release` each measured day, never new-code.
    expect(await page.getByTestId("last-release").innerText()).toBe("Last recorded: GO on 2026-11-24 18:00 (snapshot 11)");
    expect(await page.getByTestId("last-new-code").innerText()).toContain("Last recorded: none");
    await screenshot(page, "gates");

    for (const gate of gates) {
      const run = cli(["gate", "--gate", gate.name]);
      const result = JSON.parse(run.stdout) as GateResponse;
      expect([gate.name, run.code]).toEqual([gate.name, result.verdict === "GO" ? 0 : 1]);
      expect(await page.getByTestId(`verdict-${gate.name}`).innerText()).toBe(result.verdict);
      const rows = page.getByLabel(`Conditions of gate ${gate.name}`).locator("tbody tr");
      const shown = (await rows.allInnerTexts()).map((r) => r.split("\t").slice(0, 4));
      expect(shown).toEqual(result.conditions.map((c) => [c.id, `${c.op} ${fig(c.threshold)}`, c.value === null ? "unknown" : fig(c.value), c.verdict]));
    }
    // The verdicts the CLI just recorded reach the page over the event stream.
    // A locator, not waitForFunction: the dashboard's CSP forbids evaluating strings.
    await page.getByTestId("last-new-code").filter({ hasText: "GO on 2026-11-24 19:00" }).waitFor({ timeout: 10_000 });
    expect(await page.getByTestId("last-release").innerText()).toBe("Last recorded: GO on 2026-11-24 19:00 (snapshot 11)");
    expect(errors).toEqual([]);
  });
});

webDescribe("dashboard: gates on a store with no snapshot yet", () => {
  it("shows each gate's verdict as unknown with its conditions, and asks for no verdict (a 404 was logged and shown in red)", async () => {
    mkdirSync(join(repoRoot, ".test-tmp"), { recursive: true });
    const server = await serve(mkdtempSync(join(repoRoot, ".test-tmp", "web-empty-")));
    const { page, errors, close } = await browse();
    try {
      await openPage(page, server.url, "gates");
      expect(await page.locator("#gate-release .verdict").innerText()).toBe("unknown");
      expect(await page.locator("#gate-release").innerText()).toContain("No snapshot yet");
      expect(await page.locator(".error").count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
      server.stop();
    }
  });
});
