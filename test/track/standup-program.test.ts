/**
 * The standup, the review and the renderers on a tracker the app computed from a real SQLite store: the three-week
 * program of test/track/program.ts as of Friday 2026-11-13 20:00 (its story is in that file's comment).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trackProgram } from "../../src/app/track.js";
import { renderReviewMarkdown, renderStandupMarkdown, renderTrackerMarkdown } from "../../src/report/track-markdown.js";
import { renderTracker } from "../../src/report/track-text.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/types.js";
import type { Tracker } from "../../src/track/model.js";
import { review, standup } from "../../src/track/standup.js";
import { PROGRAM, writeProgram } from "./program.js";

let store: Store;
let t: Tracker;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-standup-"));
  store = await openStore(join(dir, "shipgate.db"), { at: "2026-11-02T07:00:00.000Z" });
  await writeProgram(store, dir);
  t = await trackProgram(store, { now: PROGRAM.now });
});
afterAll(async () => store.close());

describe("standup and review of the three-week program, as of 2026-11-13 20:00", () => {
  it("standup since Thursday: T06 and T11 done with their runs; T13 (stale run) and T14 (no run) in progress; T15, T16 ready", () => {
    const st = standup(t);
    expect(st.since).toBe("2026-11-12T00:00:00.000Z");
    expect(st.done.map((d) => [d.task.id, d.runs.map((r) => `${r.task} ${r.outcome}`)])).toEqual([
      ["T06", ["T06 done"]],
      ["T11", ["T11 done"]],
    ]);
    // T13's run: claimed 16:00, never heartbeated → 4 h = 14 400 s at 20:00; alice works T14 by hand (no run)
    expect(st.inProgress.map((p) => [p.task.id, p.run === null ? null : p.run.task, p.leaseAgeSeconds])).toEqual([
      ["T13", "T13", 14_400],
      ["T14", null, null],
    ]);
    expect(st.next.map((x) => x.id)).toEqual(["T15", "T16"]);
    expect(st.blockers.map((b) => [b.task, b.by, b.reason, b.hours])).toEqual([["T12", "claude", "flaky CI on the integration job", 6]]);
    expect(st.failedRuns).toEqual([]);
    // 72 on 11-13 against 64 on 11-11, the last reading before Thursday 11-12
    expect(st.metrics).toEqual({ score: 72, scoreChange: 8, testsFailed: 0, coverageLines: 67 });
    const run13 = st.inProgress[0]?.run?.id;
    expect(st.actions).toEqual([
      "unblock T12 (blocked by claude since 2026-11-13 14:00: flaky CI on the integration job)",
      `run ${run13} of T13 (claude): lease expired 2026-11-13 16:01, no heartbeat since 2026-11-13 16:00 — check the worker or reset T13`,
      // coverage target 50 + 30 × 9/14 = 69.29 on day 10 of 15; the score (72 ≥ 65.71) and tests.failed (0) are met
      "coverage.lines is behind its target: 67 on 2026-11-13, target 69.29",
    ]);
  });

  it("review of the week (Saturday 11-07 on): five tasks in five working days, cycle P50 6 h, score 52 → 72", () => {
    const rv = review(t);
    expect(rv.since).toBe("2026-11-07T00:00:00.000Z");
    expect(rv.goals.map((g) => [g.metric, g.value, g.target, g.status])).toEqual([
      ["score", 72, 65.71, "met"],
      ["coverage.lines", 67, 69.29, "behind"],
      ["tests.failed", 0, 0, "met"],
    ]);
    expect(rv.accomplishments.map((a) => a.task.id)).toEqual(["T05", "T07", "T03", "T06", "T11"]);
    // T07's 118 h block was resolved 11-09 09:00, in the period; T12's is open
    expect(rv.challenges.blockers.map((b) => [b.task, b.open])).toEqual([
      ["T07", false],
      ["T12", true],
    ]);
    // cycles ended in the period: T11 4, T05 5, T06 6, T03 27, T07 29 h → nearest-rank median 6; score: 11-05's 52
    // (11-06 was not measured) → 72
    expect(rv.metrics).toEqual({ scoreFrom: 52, scoreTo: 72, doneTasks: 5, throughputPerDay: 1, cycleTimeP50: 6 });
    expect(rv.nextSteps.slice(-2)).toEqual(["start T15 Task T15 (alice): ready", "start T16 Task T16 (alice): ready"]);
  });

  it("renders the app's tracker on the terminal and as documents", () => {
    const text = renderTracker(t);
    expect(text).toContain("  score           72  target 65.71  +6.29  met\n  coverage.lines  67  target 69.29  -2.29  behind");
    expect(text).toContain("  done 10/15 tasks, 88 h of 128 h · remaining 5 tasks, 40 h\n  ideal remaining 28.57 h → 11.43 h behind the ideal line");
    expect(text).toContain("P50 2026-11-20 · P85 2026-11-20 · P95 2026-11-20 (5 tasks left; 10,000 trials over 10 days of throughput, seed 1; the remaining critical path takes at least 1 working day)");
    const doc = renderTrackerMarkdown(t);
    // 11-06 (Friday, working day 5 of 15) had no snapshot: targets 40 + 40 × 4/14 = 51.43 and 50 + 30 × 4/14 = 58.57
    expect(doc).toContain("| 2026-11-06 | not measured (last 52 on 2026-11-05) / 51.43 | not measured (last 58 on 2026-11-05) / 58.57 | not measured (last 0 on 2026-11-05) / 0 |");
    // the branch coverage was never measured: no "last" reading to show
    expect(doc).toContain("| 2026-11-06 | not measured (last 52 on 2026-11-05) | not measured (last 58 on 2026-11-05) | not measured (last 0 on 2026-11-05) | not measured (last 100 on 2026-11-05) | not measured |");
    expect(doc).toContain("| T07 | Task T07 | alice | waiting on staging credentials | 2026-11-04 11:00 | 2026-11-09 09:00 | 118 h |");
    expect(renderStandupMarkdown(standup(t))).toContain("## Next\n\n- **T15** Task T15 (alice)\n- **T16** Task T16 (alice)\n");
    expect(renderReviewMarkdown(review(t))).toContain("| coverage.lines | 69.29 | 67 | behind |");
  });
});
