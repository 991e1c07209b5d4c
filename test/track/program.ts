/**
 * A three-week hardening program written into a store with explicit times (issue 12's hand-checkable history).
 * Every figure the tracker prints for it can be worked out by hand from this file; test/track/program.test.ts
 * asserts them. The story, working days Monday 2026-11-02 → Friday 2026-11-20 (targets window):
 *
 * - Plan v1 (11-02 08:00): ten tasks of 8 h — claude (cli) T01–T06, alice (human) T07–T10; T01 → T02 → T03.
 * - Plan v2 (11-05 08:00): adds T11–T16 (8 h each; claude T11–T13, alice T14–T16), removes T10, re-estimates
 *   T03 from 8 h to 16 h. Scope 9 + 6 = 15 tasks, 14 × 8 + 16 = 128 h.
 * - One task done every working day from 11-02 to 11-13:
 *   11-02 T01 (run 09:00–15:00) · 11-03 T02 (run 1 failed 09:00–10:00, run 2 10:30–16:30) · 11-04 T08 (alice
 *   09:00–17:00) · 11-05 T09 (alice 09:00–16:00) · 11-06 T04 (run 09:00–13:00) · 11-09 T05 (run 09:00–14:00) ·
 *   11-10 T07 (alice) · 11-11 T03 (run 11-10 09:00 → 11-11 12:00) · 11-12 T06 (run 09:00–15:00) ·
 *   11-13 T11 (run 09:00–13:00).
 * - T07: alice starts it 11-03 10:00, blocks it 11-04 11:00 ("waiting on staging credentials"), it goes back to
 *   pending 11-09 09:00 (118 h blocked), she starts it again 11-09 10:00 and finishes 11-10 15:00.
 * - 11-13: alice starts T14 at 09:00 (in progress at the end of the day); claude's T12 is claimed 13:00 and blocked
 *   14:00 ("flaky CI on the integration job", still blocked); claude claims T13 at 16:00 with a 60 s lease and
 *   never heartbeats (a stale lease).
 * - Risk R1 (high × medium, open in the plan) is set to mitigated on 11-05 10:00.
 * - Snapshots at 18:00 every working day but Friday 11-06 (not measured). Score 40, 44, 48, 52, —, 60, 56, 64,
 *   68, 72; coverage.lines 50, 52, 55, 58, —, 61, 61, 63, 65, 67; tests.failed 0 except 2 on 11-10 (the
 *   regression, with its score-decline alert 60 → 56).
 * - A `release` gate NO-GO is recorded on 11-13 18:05 (failed: coverage.lines).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadPlan } from "../../src/config/load-plan.js";
import { importLoaded } from "../../src/app/sync-plan.js";
import type { NewSnapshot, Store } from "../../src/store/types.js";

export const PROGRAM = {
  start: "2026-11-02",
  end: "2026-11-20",
  asOf: "2026-11-13",
  /** The day the tracker is asked for, and "now" at its end. */
  now: "2026-11-13T20:00:00.000Z",
} as const;

const header = `version: 1
project: three-week program
start: 2026-11-02
agents:
  - { id: claude, kind: cli, command: "claude -p {prompt}", capacity: 8 }
  - { id: alice, kind: human, capacity: 8 }
phases:
  - { id: p1, name: Hardening }
risks:
  - { id: R1, description: Staging credentials arrive late, impact: high, probability: medium, owner: alice }
  - { id: R2, description: Flaky integration tests hide regressions, impact: medium, probability: medium }
milestones:
  - { id: beta, date: 2026-11-11, criteria: ["coverage.lines >= 60"] }
  - { id: ga, date: 2026-11-20, criteria: ["score >= 80", "gate:release"] }
targets:
  start: 2026-11-02
  end: 2026-11-20
  working_days: true
  metrics:
    - { metric: score, points: { 2026-11-02: 40, 2026-11-20: 80 } }
    - { metric: coverage.lines, points: { 2026-11-02: 50, 2026-11-20: 80 } }
    - { metric: tests.failed, points: { 2026-11-02: 0 } }
tasks:
`;

function task(id: string, owner: string, hours: number, dependsOn: string[] = []): string {
  return `  - { id: ${id}, title: Task ${id}, phase: p1, owner: ${owner}, estimate: ${hours}${dependsOn.length ? `, depends_on: [${dependsOn.join(", ")}]` : ""} }\n`;
}

export const PLAN_V1 =
  header +
  task("T01", "claude", 8) +
  task("T02", "claude", 8, ["T01"]) +
  task("T03", "claude", 8, ["T02"]) +
  ["T04", "T05", "T06"].map((id) => task(id, "claude", 8)).join("") +
  ["T07", "T08", "T09", "T10"].map((id) => task(id, "alice", 8)).join("");

export const PLAN_V2 =
  header +
  task("T01", "claude", 8) +
  task("T02", "claude", 8, ["T01"]) +
  task("T03", "claude", 16, ["T02"]) +
  ["T04", "T05", "T06"].map((id) => task(id, "claude", 8)).join("") +
  ["T07", "T08", "T09"].map((id) => task(id, "alice", 8)).join("") +
  ["T11", "T12", "T13"].map((id) => task(id, "claude", 8)).join("") +
  ["T14", "T15", "T16"].map((id) => task(id, "alice", 8)).join("");

const SCORES: Record<string, { score: number; lines: number; failed: number }> = {
  "2026-11-02": { score: 40, lines: 50, failed: 0 },
  "2026-11-03": { score: 44, lines: 52, failed: 0 },
  "2026-11-04": { score: 48, lines: 55, failed: 0 },
  "2026-11-05": { score: 52, lines: 58, failed: 0 },
  "2026-11-09": { score: 60, lines: 61, failed: 0 },
  "2026-11-10": { score: 56, lines: 61, failed: 2 },
  "2026-11-11": { score: 64, lines: 63, failed: 0 },
  "2026-11-12": { score: 68, lines: 65, failed: 0 },
  "2026-11-13": { score: 72, lines: 67, failed: 0 },
};

function snapshot(date: string, previousScore: number | null): NewSnapshot {
  const m = SCORES[date] as { score: number; lines: number; failed: number };
  const fact = (key: string, value: number | null) => ({ key, value, component: null, sourceIndex: null });
  return {
    takenAt: `${date}T18:00:00.000Z`,
    git: { commit: `c-${date}`, branch: "main", dirty: false, tree: null },
    configHash: null,
    summary: {
      schemaVersion: 1,
      score: m.score,
      level: m.score >= 70 ? "CONDITIONAL_READY" : "NEEDS_IMPROVEMENT",
      categories: { tests: { score: m.failed > 0 ? 50 : 90, weight: 30 }, coverage: { score: m.lines, weight: 25 }, security: { score: null, weight: 15 } },
    },
    sources: [],
    facts: [
      fact("score", m.score),
      fact("coverage.lines.pct", m.lines),
      fact("tests.total", 100),
      fact("tests.passed", 100 - m.failed),
      fact("tests.failed", m.failed),
      fact("tests.skipped", 0),
      fact("category.tests", m.failed > 0 ? 50 : 90),
      fact("category.coverage", m.lines),
      fact("category.security", null),
    ],
    tests: [],
    coverageFiles: [],
    events:
      previousScore !== null && m.score < previousScore
        ? [{ type: "alert", data: { type: "score-decline", metric: "score", before: previousScore, after: m.score, changePct: -6.7, message: `score fell from ${previousScore} to ${m.score}` } }]
        : [],
  };
}

const LEASE = 3_600_000;

/** Writes the program into `store` (plan files go to `dir`). Everything is stamped with its own time. */
export async function writeProgram(store: Store, dir: string): Promise<void> {
  const importAt = async (text: string, name: string, at: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    const loaded = await loadPlan(file, { cwd: dir });
    await importLoaded(store, loaded.plan, loaded.hash, file, at);
  };
  const run = async (id: string, from: string, to: string, outcome: "done" | "failed" = "done") => {
    const claimed = await store.claimTask({ agent: "claude", at: from, leaseMs: LEASE * 48, taskId: id });
    if (!claimed) throw new Error(`program: ${id} is not ready at ${from}`);
    await store.finishRun(claimed.run.id, claimed.run.epoch, { at: to, outcome, exitCode: outcome === "done" ? 0 : 1, ...(outcome === "failed" ? { note: "tests failed" } : {}) });
  };
  const move = (id: string, to: "in_progress" | "done" | "blocked" | "pending", at: string, note?: string, agent: string | null = "alice") =>
    store.transitionTask(id, to, { agent, ...(note === undefined ? {} : { note }) }, at);

  await importAt(PLAN_V1, "plan-v1.yaml", "2026-11-02T08:00:00.000Z");
  let previous: number | null = null;
  const snap = async (date: string) => {
    await store.saveSnapshot(snapshot(date, previous));
    previous = (SCORES[date] as { score: number }).score;
  };

  await run("T01", "2026-11-02T09:00:00.000Z", "2026-11-02T15:00:00.000Z");
  await snap("2026-11-02");

  await run("T02", "2026-11-03T09:00:00.000Z", "2026-11-03T10:00:00.000Z", "failed");
  await move("T07", "in_progress", "2026-11-03T10:00:00.000Z");
  await run("T02", "2026-11-03T10:30:00.000Z", "2026-11-03T16:30:00.000Z");
  await snap("2026-11-03");

  await move("T08", "in_progress", "2026-11-04T09:00:00.000Z");
  await move("T07", "blocked", "2026-11-04T11:00:00.000Z", "waiting on staging credentials");
  await move("T08", "done", "2026-11-04T17:00:00.000Z");
  await snap("2026-11-04");

  await importAt(PLAN_V2, "plan-v2.yaml", "2026-11-05T08:00:00.000Z");
  await move("T09", "in_progress", "2026-11-05T09:00:00.000Z");
  await store.appendEvent({ at: "2026-11-05T10:00:00.000Z", type: "risk.updated", subject: "R1", data: { status: "mitigated", note: "credentials requested from ops", by: "alice" } });
  await move("T09", "done", "2026-11-05T16:00:00.000Z");
  await snap("2026-11-05");

  await run("T04", "2026-11-06T09:00:00.000Z", "2026-11-06T13:00:00.000Z");
  // No snapshot on Friday 11-06: not measured.

  await move("T07", "pending", "2026-11-09T09:00:00.000Z", "credentials arrived");
  await move("T07", "in_progress", "2026-11-09T10:00:00.000Z");
  await run("T05", "2026-11-09T09:00:00.000Z", "2026-11-09T14:00:00.000Z");
  await snap("2026-11-09");

  await run("T03", "2026-11-10T09:00:00.000Z", "2026-11-11T12:00:00.000Z");
  await move("T07", "done", "2026-11-10T15:00:00.000Z");
  await snap("2026-11-10");
  await snap("2026-11-11");

  await run("T06", "2026-11-12T09:00:00.000Z", "2026-11-12T15:00:00.000Z");
  await snap("2026-11-12");

  await move("T14", "in_progress", "2026-11-13T09:00:00.000Z");
  await run("T11", "2026-11-13T09:00:00.000Z", "2026-11-13T13:00:00.000Z");
  const t12 = await store.claimTask({ agent: "claude", at: "2026-11-13T13:00:00.000Z", leaseMs: LEASE, taskId: "T12" });
  if (!t12) throw new Error("program: T12 is not ready");
  await move("T12", "blocked", "2026-11-13T14:00:00.000Z", "flaky CI on the integration job", "claude");
  await store.claimTask({ agent: "claude", at: "2026-11-13T16:00:00.000Z", leaseMs: 60_000, taskId: "T13" });
  await snap("2026-11-13");
  const [latest] = await store.listSnapshots({ limit: 1 });
  await store.appendEvent({
    at: "2026-11-13T18:05:00.000Z",
    type: "gate.evaluated",
    subject: `snapshot:${latest?.id ?? 0}`,
    data: { gate: "release", verdict: "NO-GO", baseline: null, failed: ["coverage.lines"] },
  });
}
