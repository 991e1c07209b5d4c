/**
 * /metrics (issue 13): the figures of the three-week program of test/track/program.ts as Prometheus reads them, the
 * series count on a 10 000-task plan, `promtool check metrics` on the output and `promtool test rules` on the shipped
 * alert rules (both skipped, saying why, when promtool is not installed: scripts/ci-deps.sh installs it).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { claimWithLease, type RunCheck } from "../../src/app/queue.js";
import { importLoaded, syncPlan } from "../../src/app/sync-plan.js";
import { trackProgram } from "../../src/app/track.js";
import { loadPlan } from "../../src/config/load-plan.js";
import { percentToRatio, renderMetrics } from "../../src/server/metrics.js";
import { openStore } from "../../src/store/open-store.js";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import type { Store } from "../../src/store/types.js";
import type { Tracker } from "../../src/track/model.js";
import { freshDatabase, postgresAvailable } from "../support/postgres.js";
import { PROGRAM, writeProgram } from "../track/program.js";
import { countQueries } from "../../src/app/track.js";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a text exposition (the label values in these tests hold no quote, comma or backslash). */
function samples(body: string): Sample[] {
  const out: Sample[] = [];
  for (const line of body.split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const space = line.lastIndexOf(" ");
    const series = line.slice(0, space);
    const brace = series.indexOf("{");
    const labels: Record<string, string> = {};
    if (brace >= 0) {
      for (const pair of series.slice(brace + 1, -1).split(",")) {
        const eq = pair.indexOf("=");
        labels[pair.slice(0, eq)] = pair.slice(eq + 2, -1);
      }
    }
    out.push({ name: brace >= 0 ? series.slice(0, brace) : series, labels, value: Number(line.slice(space + 1)) });
  }
  return out;
}

/** The value of the one sample with exactly these labels; undefined when absent. */
function valueOf(all: Sample[], name: string, labels: Record<string, string> = {}): number | undefined {
  const wanted = JSON.stringify(Object.entries(labels).sort());
  return all.find((s) => s.name === name && JSON.stringify(Object.entries(s.labels).sort()) === wanted)?.value;
}

const promtool = spawnSync("promtool", ["--version"], { encoding: "utf8" });
const noPromtool = promtool.error === undefined && promtool.status === 0 ? null : "promtool is not installed (scripts/ci-deps.sh installs Debian's prometheus package, which brings it)";

let program: Store;
let tracker: Tracker;
let body: string;
let contentType: string;
let programQueries: number;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "shipgate-metrics-"));
  program = await openStore(join(dir, "shipgate.db"), { at: "2026-11-02T07:00:00.000Z" });
  await writeProgram(program, dir);
  tracker = await trackProgram(program, { now: PROGRAM.now });
  const counted = countQueries(program);
  ({ body, contentType } = await renderMetrics(counted.store, { now: PROGRAM.now }));
  programQueries = counted.count();
});
afterAll(async () => program.close());

describe("/metrics of the three-week program as of 2026-11-13 20:00", () => {
  it("is Prometheus' text format", () => {
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(body).toContain("# TYPE shipgate_runs_total counter");
    expect(body).toContain("# TYPE shipgate_run_duration_seconds histogram");
  });

  it("readiness: score 72, categories as the latest snapshot (security unknown: a weight, no score), tests, coverage 0.67", () => {
    const s = samples(body);
    expect(tracker.latest?.score).toBe(72);
    expect(valueOf(s, "shipgate_readiness_score")).toBe(72);
    expect(valueOf(s, "shipgate_readiness_level", { level: "CONDITIONAL_READY" })).toBe(1);
    expect(valueOf(s, "shipgate_snapshot_timestamp_seconds")).toBe(Date.parse("2026-11-13T18:00:00.000Z") / 1000);
    for (const c of tracker.latest?.categories ?? []) {
      expect(valueOf(s, "shipgate_readiness_category_score", { category: c.id })).toBe(c.score ?? undefined);
      expect(valueOf(s, "shipgate_readiness_category_weight", { category: c.id })).toBe(c.weight);
    }
    expect(valueOf(s, "shipgate_readiness_category_score", { category: "coverage" })).toBe(67);
    expect(valueOf(s, "shipgate_readiness_category_score", { category: "security" })).toBeUndefined();
    expect(valueOf(s, "shipgate_readiness_category_weight", { category: "security" })).toBe(15);
    expect([valueOf(s, "shipgate_tests", { status: "passed" }), valueOf(s, "shipgate_tests", { status: "failed" }), valueOf(s, "shipgate_tests", { status: "skipped" })]).toEqual([100, 0, 0]);
    expect(valueOf(s, "shipgate_coverage_ratio", { kind: "lines" })).toBe(0.67);
  });

  it("tasks by state and owner kind: done 7 cli + 3 human, in progress T13 (cli) and T14 (human), T12 (cli) blocked, alice's T15 and T16 pending; T10 removed", async () => {
    const s = samples(body);
    const stored = (await program.listTasks()).filter((t) => !t.removed);
    expect(stored).toHaveLength(15);
    const at = (state: string, kind: string) => valueOf(s, "shipgate_tasks", { state, agent_kind: kind });
    expect([at("done", "cli"), at("done", "human")]).toEqual([7, 3]);
    expect([at("in_progress", "cli"), at("in_progress", "human")]).toEqual([1, 1]);
    expect([at("blocked", "cli"), at("pending", "cli"), at("pending", "human"), at("failed", "cli")]).toEqual([1, 0, 2, 0]);
    const total = s.filter((x) => x.name === "shipgate_tasks").reduce((sum, x) => sum + x.value, 0);
    expect(total).toBe(stored.length);
  });

  it("runs: claude's nine ended runs (7 done, T02's first failed, T12 cancelled by the block) over 60 h; T13's expired lease is stale", async () => {
    const s = samples(body);
    const runs = await program.listRuns();
    expect(runs).toHaveLength(10);
    expect(valueOf(s, "shipgate_runs_total", { agent_kind: "cli", outcome: "done" })).toBe(7);
    expect(valueOf(s, "shipgate_runs_total", { agent_kind: "cli", outcome: "failed" })).toBe(1);
    expect(valueOf(s, "shipgate_runs_total", { agent_kind: "cli", outcome: "cancelled" })).toBe(1);
    expect(valueOf(s, "shipgate_runs_total", { agent_kind: "cli", outcome: "lost" })).toBe(0);
    expect(valueOf(s, "shipgate_lease_expirations_total", { agent_kind: "cli" })).toBe(0);
    // 6 + 1 + 6 + 4 + 5 + 27 (T03, 11-10 09:00 → 11-11 12:00) + 6 + 4 + 1 (T12, claimed 13:00, blocked 14:00) = 60 h.
    expect(valueOf(s, "shipgate_run_duration_seconds_count", { agent_kind: "cli" })).toBe(9);
    expect(valueOf(s, "shipgate_run_duration_seconds_sum", { agent_kind: "cli" })).toBe(60 * 3600);
    // Under an hour: T02's failed run (1 h exactly falls in le=3600) and T12's; up to 4 h: + T04, T11.
    expect(valueOf(s, "shipgate_run_duration_seconds_bucket", { agent_kind: "cli", le: "3600" })).toBe(2);
    expect(valueOf(s, "shipgate_run_duration_seconds_bucket", { agent_kind: "cli", le: "14400" })).toBe(4);
    expect(valueOf(s, "shipgate_run_duration_seconds_bucket", { agent_kind: "cli", le: "+Inf" })).toBe(9);
    // T13 was claimed 16:00 with a 60 s lease and never heartbeat: at 20:00 it still holds the task, stale.
    expect(valueOf(s, "shipgate_leases_stale", { agent_kind: "cli" })).toBe(1);
    expect(valueOf(s, "shipgate_runs_in_progress", { agent_kind: "cli" })).toBe(0);
    expect(valueOf(s, "shipgate_run_last_heartbeat_timestamp_seconds", { agent_kind: "cli" })).toBe(Date.parse("2026-11-13T16:00:00.000Z") / 1000);
    expect(valueOf(s, "shipgate_agent_tokens_total", { agent_kind: "cli", direction: "input" })).toBe(0);
  });

  it("gates: release evaluated once, NO-GO, not passing", () => {
    const s = samples(body);
    expect(valueOf(s, "shipgate_gate_evaluations_total", { gate: "release", verdict: "NO-GO" })).toBe(1);
    expect(valueOf(s, "shipgate_gate_evaluations_total", { gate: "release", verdict: "GO" })).toBe(0);
    expect(valueOf(s, "shipgate_gate_passing", { gate: "release" })).toBe(0);
  });

  it("alerts, forecast and milestones equal the tracker's", () => {
    const s = samples(body);
    const kinds = new Map<string, number>();
    for (const a of tracker.alerts) kinds.set(a.kind, (kinds.get(a.kind) ?? 0) + 1);
    expect(kinds.size).toBeGreaterThan(0);
    for (const sample of s.filter((x) => x.name === "shipgate_alerts")) expect(sample.value).toBe(kinds.get(sample.labels.kind ?? "") ?? 0);
    expect(valueOf(s, "shipgate_alerts", { kind: "stale-lease" })).toBe(1);
    for (const p of ["p50", "p85", "p95"] as const) {
      const date = tracker.forecast[p];
      expect(date).not.toBeNull();
      expect(valueOf(s, "shipgate_forecast_completion_timestamp_seconds", { percentile: p })).toBe(Date.parse(`${date}T00:00:00.000Z`) / 1000 + 86_400);
    }
    expect(valueOf(s, "shipgate_forecast_remaining_tasks")).toBe(tracker.forecast.remainingTasks);
    for (const m of tracker.milestones) {
      expect(valueOf(s, "shipgate_milestone_status", { milestone: m.id, status: m.status })).toBe(1);
      expect(valueOf(s, "shipgate_milestone_due_timestamp_seconds", { milestone: m.id })).toBe(Date.parse(`${m.date}T00:00:00.000Z`) / 1000 + 86_400);
      expect(valueOf(s, "shipgate_milestone_probability_ratio", { milestone: m.id })).toBe(m.probability ?? undefined);
    }
    expect([valueOf(s, "shipgate_plan_scope_tasks"), valueOf(s, "shipgate_plan_done_tasks")]).toEqual([15, 10]);
  });

  it("labels never name a task, a run or an agent", () => {
    for (const s of samples(body)) for (const [name, value] of Object.entries(s.labels)) if (name !== "le") expect(value).not.toMatch(/^(T\d\d|claude|alice|\d+)$/);
  });

  if (noPromtool) {
    it.skip(`promtool check metrics — skipped: ${noPromtool}`, () => {});
  } else {
    it("passes promtool check metrics", () => {
      const check = spawnSync("promtool", ["check", "metrics"], { input: body, encoding: "utf8" });
      expect(check.stdout + check.stderr).toBe("");
      expect(check.status).toBe(0);
    });
  }
});

it("regression: coverage ratios carry no float noise (97.53 % was 0.9753000000000001)", () => {
  expect(percentToRatio(97.53)).toBe(0.9753);
  expect(String(percentToRatio(86.72))).toBe("0.8672");
  expect(percentToRatio(100)).toBe(1);
  for (const line of body.split("\n").filter((l) => l.startsWith("shipgate_coverage_ratio{"))) {
    expect(line.split(" ").at(-1), line).toMatch(/^\d(\.\d{1,4})?$/);
  }
  expect(body).toContain("shipgate_coverage_ratio{");
});

describe("/metrics of an empty store", () => {
  it("has zeros for the queue and runs and no readiness score before the first snapshot (prom-client wrote a score of 0 for a gauge never set)", async () => {
    const store = await openStore(join(mkdtempSync(join(tmpdir(), "shipgate-metrics-empty-")), "shipgate.db"), { at: PROGRAM.now });
    try {
      const { body: empty } = await renderMetrics(store, { now: PROGRAM.now });
      const s = samples(empty);
      expect(valueOf(s, "shipgate_readiness_score")).toBeUndefined();
      expect(valueOf(s, "shipgate_snapshot_timestamp_seconds")).toBeUndefined();
      expect(valueOf(s, "shipgate_tasks", { state: "pending", agent_kind: "unknown" })).toBe(0);
      expect(valueOf(s, "shipgate_runs_total", { agent_kind: "cli", outcome: "done" })).toBe(0);
      expect(s.filter((x) => x.name === "shipgate_gate_passing")).toEqual([]);
      // regression: a store without a plan said scope 0 and done 0 (the trial's dashboard said "No plan imported").
      expect(valueOf(s, "shipgate_plan_scope_tasks")).toBeUndefined();
      expect(valueOf(s, "shipgate_plan_done_tasks")).toBeUndefined();
      if (!noPromtool) expect(spawnSync("promtool", ["check", "metrics"], { input: empty, encoding: "utf8" }).status).toBe(0);
    } finally {
      await store.close();
    }
  });
});

const pgSkip = postgresAvailable().skip;
describe.skipIf(pgSkip !== null)("/metrics on PostgreSQL", () => {
  it("is the body SQLite gives for the three-week program", async () => {
    const store = await openPostgresStore({ url: await freshDatabase("metrics"), at: "2026-11-02T07:00:00.000Z" });
    try {
      await writeProgram(store, mkdtempSync(join(tmpdir(), "shipgate-metrics-pg-")));
      expect((await renderMetrics(store, { now: PROGRAM.now })).body).toBe(body);
    } finally {
      await store.close();
    }
  });
});

const RACE_PLAN = `version: 1
agents:
  - { id: worker-cli, kind: cli }
  - { id: worker-script, kind: script }
phases:
  - { id: p, name: P }
tasks:
  - { id: T1, title: one, phase: p, owner: worker-cli, estimate: 1 }
`;

describe("shipgate_task_claim_conflicts_total", () => {
  it("is 0 for every agent kind on the three-week program (no claim was refused there)", () => {
    const s = samples(body).filter((x) => x.name === "shipgate_task_claim_conflicts_total");
    expect(Object.fromEntries(s.map((x) => [x.labels.agent_kind, x.value]))).toEqual({ cli: 0, script: 0, human: 0, unknown: 0 });
    expect(body).toContain("# TYPE shipgate_task_claim_conflicts_total counter");
  });

  it.skipIf(pgSkip !== null)("counts the loser of a real race: two PostgreSQL store handles claim one task at once, one conflict for the refused agent's kind", async () => {
    const url = await freshDatabase("conflict");
    const dir = mkdtempSync(join(tmpdir(), "shipgate-conflict-"));
    writeFileSync(join(dir, "shipgate.plan.yaml"), RACE_PLAN);
    const at = "2026-12-01T09:00:00.000Z";
    const [one, two] = await Promise.all([openPostgresStore({ url, at }), openPostgresStore({ url, at })]);
    try {
      const plan = await syncPlan(one, join(dir, "shipgate.plan.yaml"), { cwd: dir, at });
      const runCheck: RunCheck = () => Promise.reject(new Error("the race plan has no checks"));
      const results = await Promise.allSettled(
        ([[one, "worker-cli"], [two, "worker-script"]] as const).map(([store, agent]) => claimWithLease({ store, plan, now: () => at, runCheck }, { agent, leaseMs: 60_000, id: "T1", any: true })),
      );
      const winner = (await one.getTask("T1"))?.claimedBy;
      expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
      const s = samples((await renderMetrics(two, { now: at })).body);
      const loserKind = winner === "worker-cli" ? "script" : "cli";
      expect(valueOf(s, "shipgate_task_claim_conflicts_total", { agent_kind: loserKind })).toBe(1);
      expect(valueOf(s, "shipgate_task_claim_conflicts_total", { agent_kind: loserKind === "cli" ? "script" : "cli" })).toBe(0);
      expect(valueOf(s, "shipgate_runs_in_progress", { agent_kind: loserKind === "cli" ? "script" : "cli" })).toBe(1);
    } finally {
      await Promise.all([one.close(), two.close()]);
    }
  });
});

describe("/metrics on a 10 000-task plan", () => {
  let big: Store;
  let bigBody: string;
  let bigQueries: number;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "shipgate-metrics-big-"));
    big = await openStore(join(dir, "shipgate.db"), { at: "2026-11-02T07:00:00.000Z" });
    const agents = Array.from({ length: 20 }, (_, i) => (i < 14 ? { id: `agent-${i}`, kind: "cli", command: "agent {prompt}" } : { id: `person-${i}`, kind: "human" }));
    const tasks = Array.from({ length: 10_000 }, (_, i) => ({
      id: `T${String(i).padStart(5, "0")}`,
      title: `Task ${i}`,
      phase: "p1",
      owner: (agents[i % agents.length] as { id: string }).id,
      estimate: 1 + (i % 8),
      // Every seventh task waits for its owner's previous one.
      ...(i >= 20 && i % 7 === 6 ? { depends_on: [`T${String(i - 20).padStart(5, "0")}`] } : {}),
    }));
    const plan = {
      version: 1,
      project: "ten thousand tasks",
      start: "2026-11-02",
      agents,
      phases: [{ id: "p1", name: "All" }],
      milestones: [
        { id: "m1", date: "2026-11-20", criteria: ["score >= 60"] },
        { id: "m2", date: "2026-12-18", criteria: ["coverage.lines >= 80"] },
      ],
      tasks,
    };
    const file = join(dir, "plan.json");
    writeFileSync(file, JSON.stringify(plan));
    const loaded = await loadPlan(file, { cwd: dir });
    await importLoaded(big, loaded.plan, loaded.hash, file, "2026-11-02T08:00:00.000Z");
    // 300 runs by 14 cli agents over six days with reported usage, a tenth of them lost; three gates evaluated.
    const outcomes = ["done", "failed", "timeout", "error", "cancelled"] as const;
    for (let i = 0; i < 300; i++) {
      const start = Date.parse("2026-11-02T09:00:00.000Z") + Math.floor(i / 50) * 86_400_000 + (i % 50) * 60_000;
      const agent = `agent-${i % 14}`;
      const claimed = await big.claimTask({ agent, at: new Date(start).toISOString(), leaseMs: 600_000, ownedOnly: true });
      if (!claimed) throw new Error(`no task ready for ${agent}`);
      if (i % 10 === 3) continue; // left to expire
      const at = new Date(start + (i % 7) * 450_000 + 30_000).toISOString();
      await big.heartbeat(claimed.run.id, claimed.run.epoch, 600_000, { at, usage: { inputTokens: 1000, outputTokens: 100, costUsd: 0.25 } });
      await big.finishRun(claimed.run.id, claimed.run.epoch, { at, outcome: outcomes[i % outcomes.length] ?? "done" });
    }
    await big.expireLeases("2026-11-09T00:00:00.000Z");
    for (let i = 0; i < 30; i++) {
      await big.appendEvent({ at: `2026-11-0${2 + (i % 6)}T18:00:00.000Z`, type: "gate.evaluated", subject: "snapshot:0", data: { gate: ["ci", "release", "nightly"][i % 3], verdict: i % 4 === 0 ? "NO-GO" : "GO", baseline: null, failed: [] } });
    }
    const counted = countQueries(big);
    bigBody = (await renderMetrics(counted.store, { now: "2026-11-09T12:00:00.000Z" })).body;
    bigQueries = counted.count();
  });
  afterAll(async () => big.close());

  it("has fewer than 1 000 series, none labelled by a task or an agent", () => {
    const s = samples(bigBody);
    expect(s.length).toBeLessThan(1000);
    expect(bigBody).not.toMatch(/T\d{5}|agent-\d|person-\d/);
    expect(s.filter((x) => x.name === "shipgate_tasks").reduce((sum, x) => sum + x.value, 0)).toBe(10_000);
  });

  it("counts the usage, lost leases and gate verdicts of the store", () => {
    const s = samples(bigBody);
    // 30 of the 300 runs were never finished: lost when their leases expired.
    expect(valueOf(s, "shipgate_lease_expirations_total", { agent_kind: "cli" })).toBe(30);
    expect(valueOf(s, "shipgate_runs_total", { agent_kind: "cli", outcome: "lost" })).toBe(30);
    const ended = s.filter((x) => x.name === "shipgate_runs_total").reduce((sum, x) => sum + x.value, 0);
    expect(ended).toBe(300);
    expect(valueOf(s, "shipgate_agent_tokens_total", { agent_kind: "cli", direction: "input" })).toBe(270 * 1000);
    expect(valueOf(s, "shipgate_agent_tokens_total", { agent_kind: "cli", direction: "output" })).toBe(270 * 100);
    expect(valueOf(s, "shipgate_agent_cost_usd_total", { agent_kind: "cli" })).toBe(270 * 0.25);
    expect(valueOf(s, "shipgate_gate_evaluations_total", { gate: "ci", verdict: "NO-GO" })).toBe(3);
    expect(valueOf(s, "shipgate_gate_evaluations_total", { gate: "ci", verdict: "GO" })).toBe(7);
  });

  it("reads the store in the same constant number of queries as for the three-week program", () => {
    expect(bigQueries).toBe(programQueries);
    expect(programQueries).toBeLessThanOrEqual(10);
  });

  if (noPromtool) {
    it.skip(`promtool check metrics — skipped: ${noPromtool}`, () => {});
  } else {
    it("passes promtool check metrics", () => {
      const check = spawnSync("promtool", ["check", "metrics"], { input: bigBody, encoding: "utf8" });
      expect(check.stdout + check.stderr).toBe("");
      expect(check.status).toBe(0);
    });
  }
});

describe("the shipped alert rules (monitoring/prometheus/alerts.yml)", () => {
  if (noPromtool) {
    it.skip(`promtool check rules / test rules — skipped: ${noPromtool}`, () => {});
    return;
  }
  it("pass promtool check rules", () => {
    const check = spawnSync("promtool", ["check", "rules", "monitoring/prometheus/alerts.yml"], { encoding: "utf8" });
    expect(check.stdout).toContain("SUCCESS: 5 rules found");
    expect(check.status).toBe(0);
  });

  it("read only names /metrics writes: on the program's scrape held for an hour, only ShipgateStaleLease fires (T13's lease)", () => {
    const rules = readFileSync("monitoring/prometheus/alerts.yml", "utf8");
    const written = new Set(samples(body).map((x) => x.name));
    const read = [...new Set(rules.match(/\bshipgate_[a-z_]+/g) ?? [])];
    expect(read.filter((name) => !written.has(name))).toEqual([]);
    const series = samples(body).map((x) => {
      const labels = Object.entries(x.labels).map(([k, v]) => `${k}="${v}"`).join(",");
      return `      - series: '${x.name}{${labels}}'\n        values: '${x.value}x60'`;
    });
    const dir = mkdtempSync(join(tmpdir(), "shipgate-rules-"));
    const expected = ["ShipgateScoreDrop", "ShipgateGateRegression", "ShipgateStaleLease", "ShipgateForecastPastMilestone", "ShipgateNoWorkerAlive"].map((name) =>
      name === "ShipgateStaleLease"
        ? `      - { eval_time: 30m, alertname: ${name}, exp_alerts: [{ exp_labels: { severity: warning, agent_kind: cli }, exp_annotations: { summary: "1 stale lease(s) held by cli agents", description: "Task runs kept their task after their lease expired. Start a worker (\`shipgate worker\`) or \`shipgate run\` to release them." } }] }`
        : `      - { eval_time: 30m, alertname: ${name}, exp_alerts: [] }`,
    );
    writeFileSync(
      join(dir, "program.test.yml"),
      [`rule_files: ["${join(process.cwd(), "monitoring/prometheus/alerts.yml")}"]`, "evaluation_interval: 1m", "tests:", "  - interval: 1m", "    input_series:", ...series, "    alert_rule_test:", ...expected, ""].join("\n"),
    );
    const run = spawnSync("promtool", ["test", "rules", join(dir, "program.test.yml")], { encoding: "utf8" });
    expect(run.stdout + run.stderr).toContain("SUCCESS");
    expect(run.status).toBe(0);
  });

  it("fire in promtool test rules: score drop, gate regression, stale lease, forecast past a milestone, no worker alive", () => {
    const run = spawnSync("promtool", ["test", "rules", "monitoring/prometheus/alerts.test.yml"], { encoding: "utf8" });
    expect(run.stdout + run.stderr).toContain("SUCCESS");
    expect(run.status).toBe(0);
  });
});
