/**
 * `shipgate track` and its subcommands through the built CLI, on the three-week program of test/track/program.ts
 * (written into the project's default store with explicit times), with SHIPGATE_NOW on its Friday evening.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { withStore } from "../../src/store/open-store.js";
import type { TrackerBacktest } from "../../src/track/backtest.js";
import type { Review, Standup, Tracker } from "../../src/track/model.js";
import { PROGRAM, writeProgram } from "../track/program.js";
import { shipgate, tempDir } from "./run-cli.js";

let dir: string;
const now = { SHIPGATE_NOW: PROGRAM.now };
const run = (args: string[], env: NodeJS.ProcessEnv = now) => shipgate(args, { cwd: dir, env });
const json = <T>(args: string[]): T => JSON.parse(run([...args, "--json"]).stdout) as T;

beforeAll(async () => {
  dir = tempDir();
  mkdirSync(join(dir, ".shipgate"));
  await withStore(join(dir, ".shipgate/shipgate.db"), { cwd: dir, at: "2026-11-02T07:00:00.000Z" }, (store) => writeProgram(store, dir));
  // The plan file as the store last imported it: the commands find it and import nothing new.
  copyFileSync(join(dir, "plan-v2.yaml"), join(dir, "shipgate.plan.yaml"));
});

describe("shipgate track", () => {
  it("--json has the documented burndown and forecast, and the figures of the program", () => {
    const r = run(["track", "--json"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as Tracker;
    expect(t.asOf).toBe("2026-11-13");
    expect(t.burndown.at(-1)).toMatchObject({ date: "2026-11-13", remainingTasks: 5, remainingHours: 40, doneTasks: 10, scopeTasks: 15, idealHours: 28.57 });
    expect(t.forecast).toMatchObject({ p50: "2026-11-20", p85: "2026-11-20", p95: "2026-11-20" });
    expect(t.queries).toBe(5);
  });

  it("prints today vs target, the burn-down, the forecast, milestones, blockers and alerts on the terminal", () => {
    const r = run(["track"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("72");
    expect(r.stdout).toContain("65.71");
    expect(r.stdout).toContain("2026-11-20");
    expect(r.stdout).toContain("T12");
    expect(r.stdout).toMatch(/beta/);
    expect(r.stdout).toMatch(/stale/i);
  });

  it("--as-of replays a past day: Friday 11-06 was not measured and T07 was blocked", () => {
    const t = json<Tracker>(["track", "--as-of", "2026-11-06"]);
    expect(t.at).toBe("2026-11-06T23:59:59.999Z");
    expect(t.headline.score).toEqual({ value: null, target: 51.43, status: "not-measured" });
    expect(t.blockers.open.map((b) => b.task)).toEqual(["T07"]);
  });

  it("refuses a bad --as-of, --since and --trials with exit 2 and a hint", () => {
    for (const args of [["track", "--as-of", "2026-11-31"], ["track", "standup", "--since", "yesterday"], ["track", "--trials", "0"]]) {
      const r = run(args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    }
  });

  it("--fail-on-alert exits 1 on the program's Friday (a stale lease and a NO-GO that day), 0 without the flag", () => {
    expect(run(["track", "--fail-on-alert"]).code).toBe(1);
    expect(run(["track"]).code).toBe(0);
  });

  it("stores today's computed alerts once per day as track.alert events, and a replayed day stores nothing", async () => {
    run(["track"]);
    run(["track"]);
    run(["track", "--as-of", "2026-11-10"]);
    const events = await withStore(join(dir, ".shipgate/shipgate.db"), { cwd: dir }, (store) => store.listEvents({ type: "track.alert" }));
    expect(events.map((e) => (e.data as { kind: string }).kind)).toEqual(["stale-lease"]);
  });
});

describe("shipgate track report", () => {
  it("--out writes tracker.md and four SVG charts, and the document names every section", () => {
    const out = join(dir, "tracker");
    const r = run(["track", "report", "--out", "tracker"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("tracker.md");
    expect(readdirSync(out).sort()).toEqual(["burndown.svg", "burnup.svg", "coverage.svg", "score.svg", "tracker.md"]);
    const md = readFileSync(join(out, "tracker.md"), "utf8");
    for (const chart of ["burndown.svg", "burnup.svg", "score.svg", "coverage.svg"]) {
      expect(md).toContain(chart);
      expect(readFileSync(join(out, chart), "utf8")).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
    }
    expect(md).toContain("2026-11-20");
    expect(md).toContain("waiting on staging credentials");
  });

  it("is deterministic: the same history gives the same bytes", () => {
    const a = run(["track", "report"]).stdout;
    const b = run(["track", "report"]).stdout;
    expect(a).toBe(b);
    expect(a.length).toBeGreaterThan(1000);
  });
});

describe("shipgate track standup, review, backtest", () => {
  it("standup: T11 done today with its run, T14 and T13 in progress, T12 blocked, action items", () => {
    const r = run(["track", "standup"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("T11");
    expect(r.stdout).toContain("T14");
    expect(r.stdout).toContain("T12");
    const s = json<Standup>(["track", "standup"]);
    expect(s.done.map((d) => d.task.id)).toContain("T11");
    expect(s.inProgress.map((d) => d.task.id).sort()).toEqual(["T13", "T14"]);
    expect(s.actions.length).toBeGreaterThan(0);
  });

  it("standup --agent alice keeps alice's tasks", () => {
    const s = json<Standup>(["track", "standup", "--agent", "alice"]);
    expect(s.inProgress.map((d) => d.task.id)).toEqual(["T14"]);
  });

  it("review: five tasks done in the last 7 days; since the start, ten, with T02's failed run as a challenge", () => {
    expect(json<Review>(["track", "review"]).accomplishments).toHaveLength(5);
    const r = json<Review>(["track", "review", "--since", "2026-11-02"]);
    expect(r.accomplishments).toHaveLength(10);
    expect(r.challenges.failedRuns.map((x) => x.task)).toContain("T02");
    expect(run(["track", "review", "--since", "2026-11-02"]).stdout).toContain("T02");
    expect(run(["track", "review", "--markdown"]).stdout).toMatch(/^# /m);
  });

  it("backtest: one task a day every day, so every cut's P85 is the as-of day: none could fail, no figure, the reason", () => {
    const b = json<TrackerBacktest>(["track", "backtest"]);
    expect(b).toMatchObject({ days: 10, total: 10, cuts: 0, rate: null, bound: 5 });
    expect(run(["track", "backtest"]).stdout).toContain("No calibration figure: every cut point's P85 falls on or after 2026-11-13");
  });
});

describe("shipgate plan status", () => {
  it("starts with the tracker's headline", () => {
    const r = run(["plan", "status"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("## Tracker");
    expect(r.stdout).toContain("10/15 tasks");
    expect(r.stdout).toContain("behind the ideal line");
    expect(r.stdout).toContain("done by 2026-11-20 (P50)");
    expect(existsSync(join(dir, ".shipgate/shipgate.db"))).toBe(true);
  });
});

describe("shipgate track without a plan or a store", () => {
  it("regression: an empty project forecast '85 % of trials finish by' a date; now no date, the reason, and no store created", () => {
    const empty = tempDir();
    const r = shipgate(["track", "--json"], { cwd: empty, env: now });
    expect(r.code).toBe(0);
    const t = JSON.parse(r.stdout) as Tracker;
    expect(t.forecast).toMatchObject({ p50: null, p85: null, p95: null });
    expect(t.forecast.reason).toContain("no plan imported");
    expect(shipgate(["track", "report"], { cwd: empty, env: now }).stdout).not.toMatch(/trials finish by/);
    expect(existsSync(join(empty, ".shipgate"))).toBe(false);
  });
});

describe("shipgate track on the terminal (issue 12 trial, unjs/pathe)", () => {
  it("regression: track, standup and review left the shell's prompt on their last line; every document now ends with a newline", () => {
    for (const args of [["track"], ["track", "--markdown"], ["track", "report"], ["track", "standup"], ["track", "standup", "--markdown"], ["track", "review"], ["track", "review", "--markdown"], ["track", "backtest"]]) {
      const r = run(args);
      expect(r.stdout.endsWith("\n"), args.join(" ")).toBe(true);
      expect(r.stdout.endsWith("\n\n\n"), args.join(" ")).toBe(false);
    }
  });
});
