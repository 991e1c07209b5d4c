import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Tracker } from "../../src/server/api-types.js";
import { openStore } from "../../src/store/open-store.js";
import { shipgate } from "../cli/run-cli.js";
import { type Browsing, closeDashboard, DEMO_NOW, demoCopy, openDashboard, openPage, screenshot, type Served, webDescribe } from "./support.js";

/** "2026-11-24 18:00" as the pages print times (UTC). */
const minute = (iso: string) => iso.replace("T", " ").slice(0, 16);

webDescribe("dashboard: alerts, in Chromium on the example's history", () => {
  let server: Served;
  let browsing: Browsing;
  let dir: string;
  beforeAll(async () => {
    // A copy: the live test appends events to its store.
    ({ dir: dir, server, browsing } = await openDashboard(await demoCopy()));
  }, 420_000);
  afterAll(() => closeDashboard(server, browsing));

  const trackerAlerts = async () => (await browsing.page.getByLabel("The tracker's alerts, newest first").locator("tbody tr").allInnerTexts()).map((r) => r.split("\t"));

  it("lists the tracker's alerts newest first as `shipgate track --json` gives them, with no console error", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "alerts");
    const run = shipgate(["track", "--json", "--cwd", dir, "--plan", "shipgate.run.yaml", "--as-of", DEMO_NOW.slice(0, 10)], { env: { SHIPGATE_NOW: DEMO_NOW } });
    const t = JSON.parse(run.stdout) as Tracker;
    // The example's two NO-GO verdicts of the release gate (examples/demo/tracker/tracker.md, Alerts).
    expect(t.alerts.map((a) => [a.kind, a.at])).toEqual([
      ["gate-no-go", "2026-11-19T18:00:00.000Z"],
      ["gate-no-go", "2026-11-09T18:00:00.000Z"],
    ]);
    expect(await trackerAlerts()).toEqual(t.alerts.map((a) => [minute(a.at), a.kind, a.subject, a.message, a.stored ? "recorded" : "raised now"]));
    expect(await page.getByTestId("alerts-count").innerText()).toContain(String(t.headline.alerts));
    expect(await page.getByLabel("Stored alert events").innerText()).toContain("No alert event stored yet.");
    await screenshot(page, "alerts");
    expect(errors).toEqual([]);
  });

  it("shows alert and track.alert events appended to the store while the page is open, newest first, without a reload", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "alerts");
    const store = await openStore(join(dir, ".shipgate", "shipgate.db"));
    try {
      // The shapes assess (gate/alerts.ts) and the tracker (track/alerts.ts alertEventData) store.
      await store.appendEvent({
        at: "2026-11-24T18:20:00.000Z",
        type: "alert",
        subject: "snapshot:11",
        data: { type: "score-decline", metric: "score", before: 85, after: 80, changePct: -5.9, message: "score fell from 85 to 80", previousSnapshotId: 10 },
      });
      await store.appendEvent({
        at: "2026-11-24T18:40:00.000Z",
        type: "track.alert",
        subject: "codex",
        data: { kind: "wip-over-limit", at: "2026-11-24T18:40:00.000Z", subject: "codex", message: "codex has 2 tasks in progress, over its max_parallel of 1", key: "wip-over-limit:codex" },
      });
    } finally {
      await store.close();
    }
    // Locators, not waitForFunction: the dashboard's CSP forbids evaluating strings.
    await page.getByLabel("Stored alert events, newest first").locator("tbody tr").nth(1).waitFor({ timeout: 10_000 });
    const stored = (await page.getByLabel("Stored alert events, newest first").locator("tbody tr").allInnerTexts()).map((r) => r.split("\t"));
    expect(stored).toEqual([
      ["2026-11-24 18:40", "track.alert", "wip-over-limit", "codex", "codex has 2 tasks in progress, over its max_parallel of 1"],
      ["2026-11-24 18:20", "alert", "score-decline", "score", "score fell from 85 to 80"],
    ]);
    // The tracker reads them too: four alerts, the new ones first.
    await page.getByLabel("The tracker's alerts, newest first").locator("tbody tr").nth(3).waitFor({ timeout: 10_000 });
    expect((await trackerAlerts()).map((r) => [r[0], r[1]])).toEqual([
      ["2026-11-24 18:40", "wip-over-limit"],
      ["2026-11-24 18:20", "score-decline"],
      ["2026-11-19 18:00", "gate-no-go"],
      ["2026-11-09 18:00", "gate-no-go"],
    ]);
    await screenshot(page, "alerts-live");
    expect(errors).toEqual([]);
  });
});
