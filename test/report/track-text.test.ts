import { describe, expect, it } from "vitest";
import { renderReviewText, renderStandupText, renderTracker } from "../../src/report/track-text.js";
import { review, standup } from "../../src/track/standup.js";
import type { Tracker } from "../../src/track/model.js";
import { sampleTracker } from "../track/sample-tracker.js";

const ESC = "\u001b";
/** A title a plan author (or an agent's note) could write: an OSC 8 hyperlink, a colour, a pipe, line breaks. */
const HOSTILE = `${ESC}]8;;https://evil.example${ESC}\\click${ESC}]8;;${ESC}\\ ${ESC}[31mred${ESC}[0m | cell\n::error::x\r\nend`;

/** A tracker where nothing could be measured or forecast. */
function unknownTracker(): Tracker {
  const t = sampleTracker();
  t.series = [];
  t.latest = null;
  t.headline = { ...t.headline, idealHours: null, behindIdealHours: null, score: { value: null, target: null, status: null }, forecastP85: null };
  t.forecast = { ...t.forecast, p50: null, p85: null, p95: null, reason: "5 working days of throughput are needed, 2 measured", cone: [] };
  t.flow = { ...t.flow, cycleTime: { p50: null, p85: null, p95: null, count: 0 }, estimates: [], estimateRatio: null };
  t.blockers = { open: [], log: [], medianHoursToResolve: null };
  for (const m of t.milestones) m.probability = null;
  return t;
}

describe("renderTracker", () => {
  const lines = renderTracker(sampleTracker()).split("\n");

  it("prints today vs target for every tracked metric, a day without a snapshot as not measured with the last reading", () => {
    expect(lines[0]).toBe("Tracker 2026-12-04  plan shipgate.plan.yaml (9 tasks) · 2026-11-16 → 2026-12-11 (working days) · branch main");
    expect(lines[1]).toBe("  latest snapshot 13 on 2026-12-03 17:00 at a1b2c3d4e5 · level CONDITIONAL_READY");
    expect(lines.slice(3, 7)).toEqual([
      "Today vs target",
      "  score           not measured (last 71.2 on 2026-12-03)  target 74    not measured",
      "  coverage.lines  not measured (last 80.3 on 2026-12-03)  target 80    not measured",
      "  tests.failed    not measured (last 0 on 2026-12-03)     target 0     not measured",
    ]);
  });

  it("prints a measured day's value, target, difference and status", () => {
    const t = sampleTracker();
    t.asOf = "2026-12-03";
    const out = renderTracker(t).split("\n");
    expect(out.slice(4, 7)).toEqual([
      "  score           71.2  target 73  -1.8  behind",
      "  coverage.lines  80.3  target 80  +0.3  met",
      "  tests.failed    0     target 0   0     met",
    ]);
  });

  it("sums up the burn-down, the forecast, the milestones, the open blockers and the alerts", () => {
    const text = lines.join("\n");
    expect(text).toContain("Burn-down\n  done 5/9 tasks, 30 h of 64 h · remaining 4 tasks, 34 h\n  ideal remaining 15 h → 19 h behind the ideal line");
    expect(text).toContain(
      "Forecast\n  P50 2026-12-21 · P85 2026-12-29 · P95 2027-01-04 (4 tasks left; 10,000 trials over 15 days of throughput, seed 1; the remaining critical path takes at least 3 working days)",
    );
    expect(text).toContain(
      [
        "Milestones (2)",
        "  ✓ beta     2026-11-27  met       5 working days ago",
        "  ! release  2026-12-11  at-risk   4 % likely · 5 working days left",
        "      ✗ release — not met: gate release: NO-GO on 2026-12-01 (snapshot 11): failed new:tests.regressed",
        "      ✗ score >= 80 — not met (71.2): snapshot 13 (2026-12-03)",
        "      ? docs.broken_links == 0 — unknown: no snapshot on or before 2026-12-04 has docs.broken_links",
      ].join("\n"),
    );
    expect(text).toContain("Blockers (1 open)\n  ■ T5 Security review — by ana since 2026-12-02 10:00 (50 h): waiting for the vendor's answer");
    expect(text).toContain(
      "Alerts (5)\n  ▲ 2026-12-04 12:00  forecast-past-milestone the forecast's P85 completion 2026-12-29 is after milestone release (2026-12-11); 4 % of forecast trials finish by then (new)",
    );
    expect(text).toContain("  ▲ 2026-12-01 17:00  score-decline           score fell from 70 to 67.4 (−2.6) (snapshot 11 against snapshot 10)");
    expect(text).not.toContain(ESC);
  });

  it("says ahead of the ideal line when remaining work is below it", () => {
    const t = sampleTracker();
    t.headline.behindIdealHours = -4.5;
    expect(renderTracker(t)).toContain("ideal remaining 15 h → 4.5 h ahead of the ideal line");
  });

  it("prints every unknown as unknown or not measured, never as 0", () => {
    const text = renderTracker(unknownTracker());
    expect(text).toContain("Today vs target\n  score  unknown  no target    unknown");
    expect(text).toContain("  no snapshot yet: run `shipgate assess`");
    expect(text).toContain("ideal remaining unknown → no ideal line yet (before the baseline)");
    expect(text).toContain("Forecast\n  unknown: 5 working days of throughput are needed, 2 measured");
    expect(text).toContain("  ! release  2026-12-11  at-risk   5 working days left");
    expect(text).not.toMatch(/score\s+0\b/);
  });

  it("colours only with color on", () => {
    expect(renderTracker(sampleTracker(), { color: true })).toContain(`${ESC}[1mTracker 2026-12-04${ESC}[0m`);
  });

  it("cuts free text to the width asked", () => {
    const t = sampleTracker();
    const first = t.blockers.open[0];
    if (first !== undefined) first.reason = "x".repeat(300);
    const line = renderTracker(t, { width: 80 })
      .split("\n")
      .find((l) => l.includes("■ T5")) as string;
    expect(line.length).toBeLessThanOrEqual(80 + 20);
    expect(line.endsWith("…")).toBe(true);
  });

  it("keeps escape sequences and line breaks in titles, notes and messages off the terminal", () => {
    const t = sampleTracker();
    for (const b of [...t.blockers.open, ...t.blockers.log]) {
      b.title = HOSTILE;
      b.reason = HOSTILE;
    }
    for (const a of t.alerts) a.message = HOSTILE;
    for (const m of t.milestones) for (const c of m.criteria) c.evidence = HOSTILE;
    const text = renderTracker(t);
    expect(text).not.toContain(ESC);
    expect(text).not.toContain("\r");
    expect(text.split("\n").some((l) => l.startsWith("::"))).toBe(false);
    expect(text).toContain("■ T5 click red | cell ::error::x end — by ana since 2026-12-02 10:00 (50 h): click red | cell ::error::x end");
  });
});

describe("standup and review on the terminal", () => {
  it("prints the standup's sections and action items", () => {
    expect(renderStandupText(standup(sampleTracker()))).toBe(
      [
        "Standup 2026-12-04  since 2026-12-03 00:00",
        "Done (1)",
        "  T9 Docs links — run 5 timeout: timed out after 1h, run 6 done",
        "In progress (1)",
        "  T6 Dashboard — claude since 2026-12-03 16:00, run 7, heartbeat 18h 00m ago",
        "Next (1)",
        "  T7 Release notes (ana)",
        "Blockers (1)",
        "  T5 Security review — by ana since 2026-12-02 10:00: waiting for the vendor's answer",
        "Failed runs (1)",
        "  T9 run 5 timeout: timed out after 1h (claude, ended 2026-12-03 10:00)",
        "Metrics  score 71.2 (+1.1 since 2026-12-03) · tests failed 0 · line coverage 80.3 %",
        "Actions (5)",
        "  unblock T5 (blocked by ana since 2026-12-02 10:00: waiting for the vendor's answer)",
        "  look at run 5 of T9 (timeout: timed out after 1h)",
        "  milestone release is at risk: due 2026-12-11, 4 % likely to finish by then",
        "  run 7 of T6 (claude): lease expired 2026-12-03 18:30, no heartbeat since 2026-12-03 18:00 — check the worker or reset T6",
        "  score is behind its target: 71.2 on 2026-12-03, target 73",
      ].join("\n"),
    );
  });

  it("prints unknown standup metrics as unknown", () => {
    const t = sampleTracker();
    t.latest = null;
    t.series = [];
    expect(renderStandupText(standup(t))).toContain("Metrics  score unknown · tests failed unknown · line coverage unknown");
  });

  it("prints the review's goals, challenges, metrics and next steps", () => {
    const text = renderReviewText(review(sampleTracker()));
    expect(text).toContain("Review 2026-11-28 → 2026-12-04\nGoals (3)\n  score: not measured (last 71.2 on 2026-12-03), target 74 — not measured");
    expect(text).toContain("Challenges (3)\n  run 5 of T9 timeout: timed out after 1h\n  T5 blocked (open): waiting for the vendor's answer\n  score is behind its target: 71.2 on 2026-12-03, target 73");
    expect(text).toContain("Metrics  score 69.3 → 71.2 · 1 task done · 0.2 tasks a day · cycle time P50 6 h");
    expect(text).toContain("Next steps (6)");
    expect(text.endsWith("  start T7 Release notes (ana): ready")).toBe(true);
  });

  it("keeps hostile task titles and notes on one clean line", () => {
    const t = sampleTracker();
    for (const task of t.tasks) task.title = HOSTILE;
    for (const r of t.runs) r.note = HOSTILE;
    const text = renderStandupText(standup(t)) + renderReviewText(review(t));
    expect(text).not.toContain(ESC);
    expect(text).not.toContain("\r");
    expect(text.split("\n").some((l) => l.startsWith("::"))).toBe(false);
  });
});

describe("renderTracker on a real program's untracked score (issue 12 trial, unjs/pathe)", () => {
  it("prints an untracked score on a day without a snapshot as not measured with the last reading, not as unknown", () => {
    const t = sampleTracker();
    const score = t.series.find((s) => s.metric === "score" && s.component === null);
    if (score === undefined) throw new Error("the sample tracks the score");
    for (const d of score.days) {
      d.target = null;
      d.difference = null;
      if (d.status !== "not-measured") d.status = "no-target";
    }
    t.headline = { ...t.headline, score: { value: null, target: null, status: "not-measured" } };
    const row = renderTracker(t).split("\n").find((l) => l.startsWith("  score "));
    expect(row).toMatch(/^ {2}score +not measured \(last 71\.2 on 2026-12-03\) +no target +not measured$/);
  });

  it("says 1 task, not 1 tasks, in the burn-down and the forecast", () => {
    const t = sampleTracker();
    t.headline = { ...t.headline, doneTasks: t.headline.scopeTasks - 1 };
    t.forecast = { ...t.forecast, remainingTasks: 1 };
    const text = renderTracker(t);
    expect(text).toContain("· remaining 1 task, ");
    expect(text).toContain("(1 task left;");
  });
});

describe("renderTracker: a milestone already met (issue 12 trial, unjs/pathe)", () => {
  it("regression: a met milestone due today read 'met 0 % likely'; a met milestone shows no probability", () => {
    const t = sampleTracker();
    const release = t.milestones.find((m) => m.id === "release");
    if (release === undefined) throw new Error("the sample has a release milestone");
    Object.assign(release, { status: "met", probability: 0, daysLeft: 0 });
    for (const c of release.criteria) c.status = "met";
    const row = renderTracker(t).split("\n").find((l) => l.startsWith("  ✓ release"));
    expect(row).toBe("  ✓ release  2026-12-11  met       0 working days left");
  });
});
