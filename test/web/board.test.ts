import { execFileSync, spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Locator } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { bin, shipgate } from "../cli/run-cli.js";
import { type Browsing, closeDashboard, DEMO_NOW, demoCopy, openDashboard, openPage, screenshot, type Served, webDescribe } from "./support.js";

const PLAN = "shipgate.run.yaml";

/** An attribute of every element a locator finds, in order (no function runs in the page: the tests have no DOM types). */
const attributes = async (found: Locator, name: string) => Promise.all((await found.all()).map((one) => one.getAttribute(name)));

/** Two tasks added to the copy's plan (every task of the example is done by its end, and done is final). */
const NEW_TASKS = `  - id: DOCS-BOARD
    title: Document the dashboard's board
    phase: verify
    priority: P2
    owner: codex
    estimate: 2
    files: [docs/board.md]
  - id: CI-SLOW
    title: Regenerate the slow reports
    phase: verify
    priority: P2
    owner: ci
    estimate: 1
    files: [reports/slow.txt]
    run: sleep 4
`;

webDescribe("dashboard: board, in Chromium on a copy of the example's history", () => {
  let server: Served;
  let browsing: Browsing;
  let project: string;
  const cli = (args: string[]) => shipgate(args, { cwd: project, env: { SHIPGATE_NOW: DEMO_NOW } });
  beforeAll(async () => {
    ({ dir: project, server, browsing } = await openDashboard(await demoCopy()));
    // Lease ages are read against the browser's clock: the example's moment, as the server's.
    await browsing.page.clock.setFixedTime(new Date(DEMO_NOW));
  }, 420_000);
  afterAll(() => closeDashboard(server, browsing));

  it("shows every task in its state's column with its agent and attempts, as `task list` lists them, with no console error", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "board");
    const listed = JSON.parse(cli(["task", "list", "--json", "--plan", PLAN]).stdout) as { id: string; state: string; attempts: number; maxAttempts: number | null; claimedBy: string | null }[];
    expect(listed.length).toBe(9);
    for (const state of ["pending", "in_progress", "blocked", "failed", "done"]) {
      const ids = listed.filter((t) => t.state === state).map((t) => t.id);
      expect(await page.getByTestId(`count-${state}`).innerText()).toBe(String(ids.length));
      expect(await attributes(page.locator(`.board-column[data-state="${state}"] .task-card`), "data-task")).toEqual(ids);
    }
    const retried = listed.find((t) => t.id === "TEST-WORKER")!;
    const card = page.locator('.task-card[data-task="TEST-WORKER"]');
    expect(await card.getByTestId("attempts").innerText()).toBe(`${retried.attempts} / ${retried.maxAttempts} attempts`);
    expect(await card.getByTestId("agent").innerText()).toBe(retried.claimedBy);
    await screenshot(page, "board");
    expect(errors).toEqual([]);
  });

  it("moves a task started with the CLI into In progress within 2 s, through the event stream", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "board");
    const plan = join(project, PLAN);
    writeFileSync(plan, readFileSync(plan, "utf8").replace("\n# For the tracker", `\n${NEW_TASKS}\n# For the tracker`));
    const started = cli(["task", "start", "DOCS-BOARD", "--agent", "codex", "--plan", PLAN]);
    expect(started.stderr).toBe("");
    expect(started.code).toBe(0);
    const card = page.locator('.board-column[data-state="in_progress"] .task-card[data-task="DOCS-BOARD"]');
    await card.waitFor({ timeout: 2000 });
    expect(await card.innerText()).toContain("no open run (started by hand)");
    expect(await page.getByTestId("count-in_progress").innerText()).toBe("1");
    expect(errors).toEqual([]);
  });

  it("shows an open run's lease while a worker holds the task, then the task done", async () => {
    const { page, errors } = browsing;
    // The page reads its clock when it loads: set it first, and load it afresh (a hash change keeps the page).
    await page.goto("about:blank");
    await page.clock.setFixedTime(new Date("2026-11-24T19:02:05.000Z"));
    await openPage(page, server.url, "board");
    // A real dispatch: `shipgate run` claims CI-SLOW with a lease (20 s in the example) and runs its script for 4 s.
    execFileSync("git", ["commit", "-qm", "plan: two tasks more", PLAN], { cwd: project });
    const run = spawn(process.execPath, [bin, "run", "--max-tasks", "1", "--plan", PLAN], { cwd: project, env: { ...process.env, NO_COLOR: "1", CI: "", SHIPGATE_NOW: "2026-11-24T19:02:00.000Z" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    run.stdout.on("data", (d: Buffer) => (output += d.toString()));
    run.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((done) => run.once("exit", done));
    try {
      const lease = page.locator('.task-card[data-task="CI-SLOW"]').getByTestId("lease");
      await lease.waitFor({ timeout: 4000 });
      const runs = JSON.parse(cli(["task", "runs", "CI-SLOW", "--json"]).stdout) as { run: number; agent: string; leaseExpiresAt: string }[];
      expect(runs.at(-1)!.leaseExpiresAt).toBe("2026-11-24T19:02:20.000Z");
      expect(await lease.innerText()).toBe(`run #${runs.at(-1)!.run} · ci · held 5 s · lease ends in 15 s`);
      expect(await exited).toBe(0);
    } finally {
      if (run.exitCode === null) run.kill("SIGTERM");
    }
    await page.locator('.board-column[data-state="done"] .task-card[data-task="CI-SLOW"]').waitFor({ timeout: 2000 });
    expect(output).toContain("CI-SLOW");
    expect(errors).toEqual([]);
  });

  it("shows a task's runs and a run's log as text when its card is clicked", async () => {
    const { page, errors } = browsing;
    await openPage(page, server.url, "board");
    await page.locator('.task-card[data-task="CI-SLOW"]').click();
    const runs = page.getByLabel("Runs of CI-SLOW", { exact: true }).locator("table");
    await runs.waitFor();
    expect(await runs.locator("tbody tr").count()).toBe(1);
    expect(await runs.innerText()).toContain("done");
    const log = page.getByTestId("run-log");
    await log.waitFor();
    // The log is text in a <pre>: what the run wrote, never markup.
    expect(await log.locator("*").count()).toBe(0);
    expect(await log.innerText()).toContain("CI-SLOW");
    expect(errors).toEqual([]);
  });
});
