import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Tracker } from "../../src/track/model.js";
import { repoRoot, shipgate } from "../cli/run-cli.js";
import { runsOf } from "./project.js";

const PLAN = "shipgate.run.yaml";
const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

/** The days the script measures (18:00 UTC): not the weekends, not Wednesday 2026-11-18. */
const MEASURED = ["2026-11-09", "2026-11-10", "2026-11-11", "2026-11-12", "2026-11-13", "2026-11-16", "2026-11-17", "2026-11-19", "2026-11-20", "2026-11-23", "2026-11-24"];
/** Which task the day's `shipgate run --max-tasks 1` did (the queue's order), as the script's calendar has it. */
const DONE_ON: Record<string, string> = {
  "FIX-MONEY": "2026-11-10",
  "TEST-MONEY": "2026-11-11",
  "TEST-WORKER": "2026-11-12",
  "SEC-JITTER": "2026-11-13",
  "SEC-POLICY": "2026-11-16",
  "OPS-VERSION": "2026-11-17",
  "OPS-HEALTH": "2026-11-19",
  "CI-API": "2026-11-23",
  "CI-WORKER": "2026-11-24",
};

describe("npm run demo:track (scripts/demo-history.mjs): three weeks of the example's program, then its tracker", () => {
  it("stores a snapshot for each measured day, none for the weekends and the not-measured Wednesday, the tasks done day by day, and writes the tracker", { timeout: 420_000 }, () => {
    mkdirSync(join(repoRoot, ".test-tmp"), { recursive: true });
    const copy = mkdtempSync(join(repoRoot, ".test-tmp", "demo-history-test-"));
    copies.push(copy);
    const script = spawnSync(process.execPath, [join(repoRoot, "scripts/demo-history.mjs"), "--no-copy", "--dir", copy], {
      cwd: repoRoot,
      encoding: "utf8",
      env: { ...process.env, NO_COLOR: "1", CI: "", GITHUB_ACTIONS: "" },
      timeout: 400_000,
    });
    const dir = /^project: (.+)$/m.exec(script.stdout)?.[1];
    expect(dir, script.stdout + script.stderr).toBe(copy);
    expect(script.status, script.stdout + script.stderr).toBe(0);
    expect(script.stdout).toContain("== 2026-11-18 Wed: not measured");
    expect(script.stdout).toContain("TEST-WORKER failed");

    // One snapshot per measured day, at 18:00, each on the commit the day's tasks left.
    const history = (JSON.parse(shipgate(["history", "--json", "--cwd", dir!]).stdout) as { takenAt: string; tests: { failed: number } }[]).reverse();
    expect(history.map((s) => s.takenAt)).toEqual(MEASURED.map((d) => `${d}T18:00:00.000Z`));
    // The money test fails on the kickoff day only: FIX-MONEY fixed it the next morning, and vitest said so that evening.
    expect(history.map((s) => s.tests.failed)).toEqual(MEASURED.map((_, i) => (i === 0 ? 1 : 0)));

    // Each task done on its day, by one run (TEST-WORKER: a failed attempt, then the retry), all at 09:00.
    const runs = runsOf(dir!);
    expect(Object.fromEntries(runs.filter((r) => r.outcome === "done").map((r) => [r.task, r.startedAt.slice(0, 10)]))).toEqual(DONE_ON);
    expect(runs.filter((r) => r.task === "TEST-WORKER").map((r) => [r.attempt, r.outcome, r.startedAt])).toEqual([
      [1, "failed", "2026-11-12T09:00:00.000Z"],
      [2, "done", "2026-11-12T09:00:00.000Z"],
    ]);

    // The tracker as of the last day, read back as the renderers read it.
    const tracked = shipgate(["track", "--json", "--plan", PLAN, "--cwd", dir!], { env: { SHIPGATE_NOW: "2026-11-24T18:30:00Z" } });
    expect(tracked.code, tracked.stderr).toBe(0);
    const tracker = JSON.parse(tracked.stdout) as Tracker;
    expect(tracker.asOf).toBe("2026-11-24");
    expect(tracker.window).toMatchObject({ start: "2026-11-09", end: "2026-11-27", workingDays: true, source: "targets" });
    const score = tracker.series.find((s) => s.metric === "score" && s.component === null)!;
    const measured = score.days.filter((d) => d.date <= "2026-11-24");
    expect(measured.filter((d) => d.measured).map((d) => d.date)).toEqual(MEASURED);
    // The not-measured weekday shows the reading before it, never carries it over; weekends are not rows.
    expect(score.days.find((d) => d.date === "2026-11-18")).toMatchObject({ measured: false, value: null, previous: { date: "2026-11-17" } });
    expect(score.days.some((d) => d.date === "2026-11-14" || d.date === "2026-11-15")).toBe(false);
    // Scores rise as the money test is fixed and tests and SECURITY.md are added.
    const values = measured.flatMap((d) => (d.value === null ? [] : [d.value]));
    expect(values.at(-1)!).toBeGreaterThan(values[0]!);
    expect(tracker.tasks.map((t) => t.id).sort()).toEqual(Object.keys(DONE_ON).sort());
    expect(tracker.tasks.filter((t) => t.state !== "done")).toEqual([]);
    expect(tracker.headline).toMatchObject({ doneTasks: 9, scopeTasks: 9 });
    // Nothing is left: the forecast says why it has no dates.
    expect(tracker.forecast.p50 !== null || (tracker.forecast.reason ?? "") !== "", JSON.stringify(tracker.forecast)).toBe(true);
    // The block by hand on Friday, resolved by the reset on Wednesday; the risks' updates by hand.
    expect(tracker.blockers.log).toEqual([
      expect.objectContaining({ task: "OPS-HEALTH", since: "2026-11-13T08:30:00.000Z", resolvedAt: "2026-11-18T10:00:00.000Z", open: false }),
    ]);
    expect(tracker.risks.map((r) => [r.id, r.status])).toEqual([
      ["R1", "mitigated"],
      ["R2", "closed"],
    ]);

    // The files the script wrote for examples/demo/tracker/.
    const files = readdirSync(join(dir!, "tracker"));
    expect(files).toEqual(expect.arrayContaining(["tracker.md", "standup.md", "review.md"]));
    expect(files.some((f) => f.endsWith(".svg"))).toBe(true);
    // The replay is deterministic: what it wrote is what examples/demo/tracker/ holds — but the plan's path, which
    // names the copy, and the commit ids, which change with any file of examples/demo. When a renderer changes on
    // purpose, `npm run demo:track` regenerates them.
    const committed = join(repoRoot, "examples/demo/tracker");
    expect(files.sort()).toEqual(readdirSync(committed).sort());
    const text = (folder: string, file: string) => readFileSync(join(folder, file), "utf8").replace(/plan `[^`]*shipgate\.run\.yaml`/, "plan `shipgate.run.yaml`").replace(/commit `[0-9a-f]{10}`/g, "commit `…`");
    for (const file of files) expect(text(join(dir!, "tracker"), file), `${file} differs from examples/demo/tracker/${file}: run npm run demo:track`).toBe(text(committed, file));
  });
});
