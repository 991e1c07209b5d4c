// Tracker benchmark (issue 12, "Tests and figures"), side by side in one run:
//  1. `shipgate track report --out DIR` and `shipgate track --json` (the whole CLI, dist/cli/main.js, SHIPGATE_NOW fixed)
//     on a generated SQLite store of 1 000 snapshots over 60 days, a 10 000-task plan imported 3 times, and 100 000
//     events — median wall time and peak RSS, target under 1 s;
//  2. the same on a store 10× smaller: the tracker's store query count (`--json` `queries`) must be the same for both
//     (the "constant number of queries" figure);
//  3. the floor: a Node script that only reads the rows the tracker reads (every plan import, event, fact and run, the
//     newest snapshot) with better-sqlite3 SELECTs and parses their JSON columns; printed as the ratio tracker / floor.
//   npm run build && node bench/track.mjs     (BENCH_RUNS=5 for more runs; BENCH_KEEP=1 keeps the generated stores;
//   BENCH_PROFILE=1 adds a `node --cpu-prof` run of `track report` and prints where its time goes)
// There is no off-the-shelf peer for a tracker (the hand-kept tracker document is what it replaces): the floor is the
// reference. Exits 0 when every measurement ran; 1 when one failed or the query counts differ; 2 when it cannot start.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { findGnuTime, printCpuProfile } from "./measure.mjs";
import { benchRuns, fail, fmtMB, fmtTime, printMachine, summarize } from "./stats.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = process.env.SHIPGATE_BENCH_DIST ?? join(ROOT, "dist");
const BIN = join(DIST, "cli", "main.js");
const SELF = fileURLToPath(import.meta.url);
const TARGET_MS = 1000;

// ── the generated history ─────────────────────────────────────────────────────────────────────────────────────────
// Everything below is a function of the scale (1 = the issue's figure, 0.1 = the store 10× smaller) and a fixed seed.

const DAY = 86_400_000;
const HOUR = 3_600_000;
const START = Date.parse("2026-09-07T00:00:00.000Z"); // a Monday
const DAYS = 60;
/** The tracker's "now": noon of the day after the generated history. */
export const NOW = new Date(START + DAYS * DAY + 12 * HOUR).toISOString();
const END = START + DAYS * DAY + 11 * HOUR;
const BRANCH = "main";
const iso = (ms) => new Date(ms).toISOString();
const day = (ms) => iso(ms).slice(0, 10);

/** xorshift32, seeded: the same scale gives the same store, byte for byte in every row. */
function rng(seed) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 0x100000000;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), pick: (xs) => xs[Math.floor(next() * xs.length)] };
}

/** A minimal binary heap of scheduled happenings, earliest first (ties: scheduling order). */
function heap() {
  const items = [];
  let seq = 0;
  const less = (a, b) => a.t < b.t || (a.t === b.t && a.seq < b.seq);
  return {
    get size() {
      return items.length;
    },
    peek: () => items[0],
    push(item) {
      item.seq = seq++;
      items.push(item);
      let i = items.length - 1;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (!less(items[i], items[p])) break;
        [items[i], items[p]] = [items[p], items[i]];
        i = p;
      }
    },
    pop() {
      const top = items[0];
      const last = items.pop();
      if (items.length > 0) {
        items[0] = last;
        let i = 0;
        for (;;) {
          const l = 2 * i + 1;
          const r = l + 1;
          let m = i;
          if (l < items.length && less(items[l], items[m])) m = l;
          if (r < items.length && less(items[r], items[m])) m = r;
          if (m === i) break;
          [items[i], items[m]] = [items[m], items[i]];
          i = m;
        }
      }
      return top;
    },
  };
}

// Agents as a program of AI coding agents, a CI script and two people would have them. `share`: of the tasks they own.
const AGENTS = [
  { id: "claude", kind: "cli", slots: 6, share: 0.3, hours: 2.4 },
  { id: "codex", kind: "cli", slots: 6, share: 0.3, hours: 2.4 },
  { id: "gemini", kind: "cli", slots: 4, share: 0.2, hours: 2.4 },
  { id: "ci-bot", kind: "script", slots: 2, share: 0.1, hours: 0.6 },
  { id: "human-1", kind: "human", slots: 2, share: 0.05, hours: 6 },
  { id: "human-2", kind: "human", slots: 2, share: 0.05, hours: 6 },
];
const PHASES = ["baseline", "tests", "security", "operability"];
const WORDS = ["core", "api", "store", "auth", "billing", "queue", "cache", "ingest", "report", "gate", "plan", "exec", "web", "util", "model"];

/**
 * The master list of tasks (10 500 at scale 1): import 1 holds the first 9 000, import 2 adds 1 000, removes 300 still
 * untouched ones and re-estimates 500, import 3 adds 500 and removes 200 more — 10 000 tasks in the final plan.
 */
function masterTasks(scale, r) {
  const total = Math.round(10_500 * scale);
  const owners = AGENTS.flatMap((a) => Array.from({ length: Math.round(a.share * 100) }, () => a.id));
  const tasks = [];
  for (let n = 0; n < total; n++) {
    const deps = new Set();
    if (n > 0) for (let k = r.int(0, 2); k > 0; k--) deps.add(r.int(Math.max(0, n - Math.round(300 * scale) - 1), n - 1));
    const o = r.int(1, 4);
    const m = o + r.int(0, 4);
    tasks.push({
      id: `T${n}`,
      title: `${r.pick(WORDS)} ${r.pick(WORDS)} task ${n}`,
      phase: PHASES[Math.min(PHASES.length - 1, Math.floor((n / total) * PHASES.length))],
      priority: r.pick(["P0", "P1", "P2", "P2", "P3"]),
      owner: r.pick(owners),
      estimate: { optimistic: o, likely: m, pessimistic: m + r.int(0, 8) },
      depends_on: [...deps].map((d) => `T${d}`),
      files: [`src/${r.pick(WORDS)}/${r.pick(WORDS)}_${n}.ts`],
    });
  }
  return tasks;
}

/** One plan file's content: the tasks given (dependencies on absent tasks dropped, as a re-plan does), targets, milestones, risks. */
function planContent(tasks, risks) {
  const ids = new Set(tasks.map((t) => t.id));
  return {
    version: 1,
    project: "generated hardening program (bench:track)",
    start: day(START),
    agents: AGENTS.map((a) => ({ id: a.id, kind: a.kind, max_parallel: a.slots })),
    phases: PHASES.map((id) => ({ id, name: id })),
    tasks: tasks.map((t) => ({ ...t, depends_on: t.depends_on.filter((d) => ids.has(d)), ...(t.owner === "ci-bot" ? { run: "make check" } : {}) })),
    risks,
    milestones: [
      { id: "M1", date: day(START + 18 * DAY), criteria: ["score >= 50"] },
      { id: "M2", date: day(START + 46 * DAY), criteria: ["coverage.lines >= 70", "gate:release"] },
      { id: "M3", date: day(START + 74 * DAY), criteria: ["score >= 75", "tests.failed == 0"] },
      { id: "M4", date: day(START + 102 * DAY), criteria: ["gate:release", "score >= 85"] },
    ],
    targets: {
      start: day(START),
      end: day(START + 102 * DAY),
      working_days: true,
      metrics: [
        { metric: "score", points: { [day(START)]: 45, [day(START + 39 * DAY)]: 65, [day(START + 102 * DAY)]: 85 } },
        { metric: "coverage.lines", points: { [day(START)]: 55, [day(START + 102 * DAY)]: 85 } },
        { metric: "coverage.lines", component: "packages/api", points: { [day(START + 25 * DAY)]: 70, [day(START + 102 * DAY)]: 85 } },
        { metric: "tests.failed", points: { [day(START + 53 * DAY)]: 0 } },
        { metric: "lint.errors", points: { [day(START)]: 40, [day(START + 60 * DAY)]: 0 } },
      ],
    },
  };
}

/**
 * The template snapshot: what a real `shipgate assess --no-run` of examples/demo stores (summary, sources, facts, test
 * results, coverage files, findings). Each generated snapshot is this one with its numbers moved along the program.
 */
function demoTemplate(dir) {
  const db = join(dir, "demo.db");
  const run = spawnSync(process.execPath, [BIN, "assess", "--cwd", join(ROOT, "examples", "demo"), "--no-run", "--json", "--db", db], {
    encoding: "utf8",
    maxBuffer: 64 << 20,
    env: { ...process.env, SHIPGATE_NOW: iso(START) },
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`[bench] assess of examples/demo failed (exit ${run.status}): ${run.stderr.slice(-500)}`);
  return db;
}

async function readTemplate(openStore, db) {
  const store = await openStore(db);
  try {
    const [snapshot] = await store.listSnapshots({ limit: 1 });
    const id = snapshot.id;
    const sources = await store.getSources(id);
    const index = new Map(sources.map((s, i) => [s.id, i]));
    const toIndex = ({ sourceId, ...row }) => ({ ...row, sourceIndex: sourceId === null ? null : index.get(sourceId) });
    return {
      summary: snapshot.summary,
      configHash: snapshot.configHash,
      sources: sources.map(({ id: _id, ...s }) => s),
      facts: (await store.getFacts(id)).map(toIndex),
      tests: (await store.getTestResults(id)).map(toIndex),
      coverageFiles: (await store.getCoverageFiles(id)).map(toIndex),
      findings: (await store.getFindings(id)).map(toIndex),
    };
  } finally {
    await store.close();
  }
}

const round = (x, d = 2) => Math.round(x * 10 ** d) / 10 ** d;

/** The facts of snapshot k of n: the program's numbers rising (with noise and one regression around 60 %). */
function factsAt(template, k, n, r) {
  const p = n === 1 ? 1 : k / (n - 1);
  const dip = p > 0.58 && p < 0.62 ? 8 : 0;
  const noise = (w) => (r.next() - 0.5) * w;
  const score = round(Math.min(100, 45 + 37 * p - dip + noise(2)), 1);
  const lines = round(Math.min(100, 55 + 28 * p - dip / 2 + noise(1)));
  const total = Math.round(600 + 1400 * p);
  const failed = Math.max(0, Math.round(20 * (1 - p / 0.7) + dip + noise(3)));
  const skipped = Math.round(10 + noise(4));
  const values = {
    "tests.total": total,
    "tests.failed": failed,
    "tests.passed": total - failed - skipped,
    "tests.skipped": skipped,
    "coverage.lines.pct": lines,
    "coverage.branches.pct": round(lines - 12 + noise(2)),
    "coverage.functions.pct": round(lines - 6 + noise(2)),
    score,
    "lint.errors": Math.max(0, Math.round(40 * (1 - p / 0.9) + noise(4))),
    "lint.warnings": Math.max(0, Math.round(120 * (1 - p) + noise(10))),
  };
  const facts = template.facts.map((f) => {
    if (f.component !== null) {
      if (f.key === "score") return { ...f, value: round(Math.min(100, score + noise(6)), 1) };
      if (f.value !== null && f.key.startsWith("coverage.")) return { ...f, value: round(Math.min(100, (values[f.key] ?? lines) + noise(4))) };
      return f;
    }
    if (f.key in values) return { ...f, value: values[f.key] };
    if (f.key.startsWith("category.") && f.value !== null) return { ...f, value: round(Math.min(100, f.value * (0.5 + 0.5 * p) + noise(3)), 1) };
    return f;
  });
  return { facts, score, failed, lines };
}

/**
 * Writes the store: snapshots (with their `snapshot.created`, `alert` and `gate.evaluated` events), three plan imports,
 * and the task queue's history — claims, runs that finish done / failed / error / timeout / cancelled, lost leases,
 * blocks and unblocks, resets of failed-out tasks — through the store API with explicit `at`, in time order (event ids
 * follow time). Events of a type no part of shipgate reads (`bench.padding`) bring the total to exactly 100 000 × scale.
 */
export async function generate({ dir, scale }) {
  const { openStore } = await import(pathToFileURL(join(DIST, "store", "open-store.js")).href);
  const { importLoaded } = await import(pathToFileURL(join(DIST, "app", "sync-plan.js")).href);
  const { loadPlan } = await import(pathToFileURL(join(DIST, "config", "load-plan.js")).href);
  mkdirSync(dir, { recursive: true });
  const template = await readTemplate(openStore, demoTemplate(dir));
  const db = join(dir, "shipgate.db");
  const r = rng(0x5eed + Math.round(scale * 1000));
  const store = await openStore(db, { at: iso(START) });
  const targetEvents = Math.round(100_000 * scale);
  const snapshotsTotal = Math.round(1000 * scale);
  const counts = { events: 0, byType: {}, claims: 0, outcomes: {}, blocks: 0, resets: 0, lost: 0 };
  const count = (type, k = 1) => {
    counts.events += k;
    counts.byType[type] = (counts.byType[type] ?? 0) + k;
  };

  // Plans: three files, each loaded with loadPlan and imported with importLoaded (as `shipgate plan …` would).
  const master = masterTasks(scale, r);
  const risks = Array.from({ length: 20 }, (_, i) => ({
    id: `R${i + 1}`,
    description: `${r.pick(WORDS)} risk ${i + 1}`,
    impact: r.pick(["low", "medium", "high", "critical"]),
    probability: r.pick(["low", "medium", "high"]),
    mitigation: "watch it",
    owner: r.pick(AGENTS).id,
    status: "open",
  }));
  const n1 = Math.round(9000 * scale);
  const n2 = Math.round(10_000 * scale);
  const removed = new Set();
  const state = new Map(); // task id → what the simulation knows: "pending" until touched
  const plans = [];
  const writePlan = async (i, tasks, at) => {
    const path = join(dir, `plan-${i}.json`);
    writeFileSync(path, JSON.stringify(planContent(tasks, risks)));
    const loaded = await loadPlan(path, { cwd: dir });
    await importLoaded(store, loaded.plan, loaded.hash, path, at);
    count("plan.imported");
    plans.push({ path, tasks: tasks.length });
  };
  const untouched = (from, to, k) => {
    const out = [];
    for (let n = to - 1; n >= from && out.length < k; n -= 3) if (!state.has(`T${n}`) && !removed.has(`T${n}`)) out.push(`T${n}`);
    return out;
  };
  const imports = [
    { t: START + 1000, run: () => writePlan(1, master.slice(0, n1), clockIso()) },
    {
      t: START + 15 * DAY + 9 * HOUR,
      run: async () => {
        for (const id of untouched(Math.round(6000 * scale), n1, Math.round(300 * scale))) removed.add(id);
        const reestimate = new Set(untouched(Math.round(3000 * scale), Math.round(8000 * scale), Math.round(500 * scale)));
        for (const t of master) if (reestimate.has(t.id)) t.estimate = { ...t.estimate, likely: t.estimate.likely + 2, pessimistic: t.estimate.pessimistic + 4 };
        await writePlan(2, master.slice(0, n2).filter((t) => !removed.has(t.id)), clockIso());
      },
    },
    {
      t: START + 35 * DAY + 9 * HOUR,
      run: async () => {
        for (const id of untouched(Math.round(8000 * scale), n2, Math.round(200 * scale))) removed.add(id);
        await writePlan(3, master.filter((t) => !removed.has(t.id)), clockIso());
      },
    },
  ];

  // The clock: every write is stamped at or after the previous one, so event ids follow time.
  let clock = START;
  const tick = (t) => {
    clock = Math.max(clock + 1, t);
    return clock;
  };
  const clockIso = () => iso(clock);

  const queue = heap();
  for (const imp of imports) queue.push({ t: imp.t, kind: "import", run: imp.run });
  for (let k = 0; k < snapshotsTotal; k++) queue.push({ t: START + 2 * HOUR + Math.floor((k * (END - START - 3 * HOUR)) / (snapshotsTotal - 1)), kind: "snapshot", k });
  for (let i = 0; i < 60; i++) queue.push({ t: START + r.int(1, DAYS - 1) * DAY + r.int(8, 18) * HOUR, kind: "risk" });
  // Padding: spread evenly over the days, sized from the natural events of a calibration at this scale; the rest (or
  // none, when the natural events came close) is added at the end.
  const padding = Math.max(0, targetEvents - Math.round(NATURAL_EVENTS_PER_SCALE * scale));
  for (let i = 0; i < padding; i++) queue.push({ t: START + 3 * HOUR + Math.floor((i * (DAYS * DAY - 6 * HOUR)) / padding), kind: "padding" });

  const agents = new Map(AGENTS.map((a) => [a.id, { ...a, busy: 0, idle: false }]));
  let lastScore = null;
  const commits = [];

  const claimFor = async (agent) => {
    const leaseLost = r.next() < 0.04;
    const hours = agent.hours * (0.25 + 1.5 * r.next()) / scale;
    const ms = Math.round(hours * HOUR);
    const at = tick(clock);
    const claimed = await store.claimTask({ agent: agent.id, at: iso(at), leaseMs: leaseLost ? 30 * 60_000 : ms + 15 * 60_000, ownedOnly: true });
    if (!claimed) return false;
    counts.claims += 1;
    count("task.started");
    count("run.started");
    state.set(claimed.task.id, "in_progress");
    agent.busy += 1;
    const { run } = claimed;
    if (leaseLost) {
      queue.push({ t: at + 31 * 60_000, kind: "expire", agent: agent.id, run });
      return true;
    }
    const x = r.next();
    if (x < 0.07) {
      queue.push({ t: at + Math.round(ms / 2), kind: "block", agent: agent.id, run });
    } else {
      const outcome = x < 0.1 ? "cancelled" : x < 0.13 ? "error" : x < 0.15 ? "timeout" : x < 0.4 ? "failed" : "done";
      queue.push({ t: at + ms, kind: "finish", agent: agent.id, run, outcome });
    }
    return true;
  };
  const fill = async () => {
    for (const agent of agents.values()) {
      while (!agent.idle && agent.busy < agent.slots) {
        if (!(await claimFor(agent))) agent.idle = true;
      }
    }
  };
  const wake = () => {
    for (const agent of agents.values()) agent.idle = false;
  };
  const afterFailure = (task) => {
    state.set(task.id, task.state);
    if (task.state === "failed" && task.maxAttempts !== null && task.attempts >= task.maxAttempts) {
      queue.push({ t: clock + r.int(6, 30) * HOUR, kind: "reset", task: task.id });
    }
  };

  while (queue.size > 0 && queue.peek().t <= END) {
    const item = queue.pop();
    const at = iso(tick(item.t));
    switch (item.kind) {
      case "import":
        await item.run();
        wake();
        break;
      case "snapshot": {
        const { facts, score, failed, lines } = factsAt(template, item.k, snapshotsTotal, r);
        const commit = (0x1000000 + item.k * 7919).toString(16).padEnd(40, "0");
        commits.push(commit);
        const alerts = lastScore !== null && score < lastScore - 2 ? [{ type: "score-decline", metric: "score", before: lastScore, after: score, changePct: round(((score - lastScore) / lastScore) * 100), message: `score fell from ${lastScore} to ${score}` }] : [];
        const summary = { ...template.summary, snapshot: { ...template.summary.snapshot, takenAt: at, git: { commit, branch: BRANCH, dirty: false, tree: null } }, score, alerts };
        const saved = await store.saveSnapshot({
          takenAt: at,
          git: { commit, branch: BRANCH, dirty: false, tree: null },
          configHash: template.configHash,
          summary,
          sources: template.sources,
          facts,
          tests: template.tests,
          coverageFiles: template.coverageFiles,
          findings: template.findings,
          events: alerts.map((alert) => ({ type: "alert", data: { ...alert, previousSnapshotId: null } })),
        });
        count("snapshot.created");
        count("alert", alerts.length);
        lastScore = score;
        const failedConditions = [...(failed > 0 ? ["tests.failed"] : []), ...(lines < 70 ? ["coverage.lines"] : [])];
        await store.appendEvent({
          at: iso(tick(clock)),
          type: "gate.evaluated",
          subject: `snapshot:${saved.id}`,
          data: { gate: "release", verdict: failedConditions.length ? "NO-GO" : "GO", baseline: null, failed: failedConditions },
        });
        count("gate.evaluated");
        break;
      }
      case "risk": {
        const risk = `R${r.int(1, 20)}`;
        await store.appendEvent({ at, type: "risk.updated", subject: risk, data: { status: r.pick(["open", "mitigated", "accepted", "closed"]), note: "reviewed at the weekly risk review", by: "human-1" } });
        count("risk.updated");
        break;
      }
      case "padding":
        await store.appendEvent({ at, type: "bench.padding", subject: null, data: { n: counts.events } });
        count("bench.padding");
        break;
      case "finish": {
        const { task } = await store.finishRun(item.run.id, item.run.epoch, { at, outcome: item.outcome, exitCode: item.outcome === "done" ? 0 : item.outcome === "failed" ? 1 : null, note: item.outcome === "done" ? null : `${item.outcome} (generated)`, usage: { inputTokens: 20_000, outputTokens: 4_000, costUsd: 0.35 } });
        counts.outcomes[item.outcome] = (counts.outcomes[item.outcome] ?? 0) + 1;
        count("run.finished");
        count(`task.${task.state}`);
        agents.get(item.agent).busy -= 1;
        afterFailure(task);
        wake();
        break;
      }
      case "block": {
        const task = await store.transitionTask(item.run.taskId, "blocked", { agent: item.agent, note: `waiting for ${r.pick(WORDS)} review` }, at);
        counts.blocks += 1;
        count("task.blocked");
        count("run.finished");
        state.set(task.id, "blocked");
        agents.get(item.agent).busy -= 1;
        queue.push({ t: clock + r.int(4, 48) * HOUR, kind: "unblock", task: task.id });
        wake();
        break;
      }
      case "unblock":
      case "reset": {
        const task = await store.transitionTask(item.task, "pending", { agent: "human-1", note: item.kind === "unblock" ? "unblocked" : "reset after a fix" }, at);
        if (item.kind === "reset") counts.resets += 1;
        count("task.pending");
        state.set(task.id, "pending");
        wake();
        break;
      }
      case "expire": {
        const ended = await store.expireLeases(at);
        for (const run of ended) {
          counts.lost += 1;
          count("run.finished");
          const task = await store.getTask(run.taskId);
          count(`task.${task.state}`);
          agents.get(run.agent).busy -= 1;
          afterFailure(task);
        }
        wake();
        break;
      }
    }
    await fill();
  }
  // Top up to the exact count at the end of the history (a few, when the calibration was close).
  for (let i = counts.events; i < targetEvents; i++) {
    await store.appendEvent({ at: iso(tick(clock)), type: "bench.padding", subject: null, data: { n: i } });
    count("bench.padding");
  }
  const tables = await store.admin.counts();
  const tasks = await store.listTasks();
  await store.close();
  const byState = {};
  for (const t of tasks) if (!t.removed) byState[t.state] = (byState[t.state] ?? 0) + 1;
  return { db, dir, tables, counts, byState, plans: plans.map((p) => p.tasks), planFile: plans.at(-1).path };
}

/**
 * Natural (task, run, snapshot, gate, alert, risk, plan) events of a calibration run at scale 1, per unit of scale: the
 * padding is sized from it so that it is spread over the days rather than appended at the end.
 */
const NATURAL_EVENTS_PER_SCALE = 56_000;

// ── the floor: reading the same rows, nothing else ────────────────────────────────────────────────────────────────

/** Runs in a child process (`node bench/track.mjs floor DB`): every row the tracker needs, read and parsed. */
async function floor(db) {
  const started = performance.now();
  const { default: Database } = await import("better-sqlite3");
  const sqlite = new Database(db, { readonly: true });
  const rows = {};
  const all = (name, sql, ...params) => {
    const out = sqlite.prepare(sql).all(...params);
    rows[name] = out.length;
    return out;
  };
  const json = (list, column) => {
    for (const row of list) if (row[column] !== null) row[column] = JSON.parse(row[column]);
  };
  // What app/track.ts reads, in its five queries: every plan import with its content, the events of the types the
  // tracker uses, the facts of the keys it follows of every snapshot (all branches), every run, and the newest snapshot.
  const { TRACKER_EVENT_TYPES, trackerFactKeys } = await import("../dist/track/tracker.js");
  const plans = all("plans", "SELECT id, hash, source, imported_at, content FROM plan ORDER BY id");
  json(plans, "content");
  const keys = trackerFactKeys(plans.map((p) => ({ content: p.content })));
  json(all("events", "SELECT id, at, type, subject, data FROM event WHERE type IN (SELECT value FROM json_each(?)) ORDER BY id", JSON.stringify(TRACKER_EVENT_TYPES)), "data");
  all("facts", "SELECT s.id AS snapshot_id, s.taken_at, s.git_branch, f.key, f.value, f.component FROM snapshot s JOIN fact f ON f.snapshot_id = s.id WHERE f.key IN (SELECT value FROM json_each(?)) ORDER BY s.taken_at, s.id, f.rowid", JSON.stringify(keys));
  json(all("runs", "SELECT * FROM task_run ORDER BY id"), "usage");
  json(all("latest snapshot", "SELECT * FROM snapshot WHERE git_branch = ? ORDER BY taken_at DESC, id DESC LIMIT 1", BRANCH), "summary");
  sqlite.close();
  const readMs = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ readMs, rows, rssMB: process.resourceUsage().maxRSS / 1024 })}\n`);
}

// ── measuring ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** A whole command `runs` times after one warm-up: wall time, CPU and peak RSS (GNU time) per run; `check` validates the warm-up's output. */
function measure(args, { cwd, env, runs, gnuTime, check }) {
  const samples = [];
  let first;
  for (let i = 0; i <= runs; i++) {
    const rssFile = join(cwd, ".rss");
    const [exe, argv] = gnuTime ? [gnuTime, ["-f", "%M %U %S", "-o", rssFile, process.execPath, ...args]] : [process.execPath, args];
    const started = performance.now();
    const run = spawnSync(exe, argv, { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 512 << 20 });
    const ms = performance.now() - started;
    if (i === 0) {
      const problem = run.error?.message ?? check(run);
      if (problem) return { errors: [problem] };
      first = run;
      continue;
    }
    if (run.status !== first.status) {
      samples.push({ error: `exit ${run.status}: ${run.stderr.slice(-300)}` });
      continue;
    }
    const [rssKB, user, sys] = gnuTime ? readFileSync(rssFile, "utf8").trim().split("\n").at(-1).split(" ").map(Number) : [];
    samples.push({ ms, ...(gnuTime ? { rssMB: rssKB / 1024, cpuMs: (user + sys) * 1000 } : {}) });
  }
  return { ...summarize(samples), first };
}

/** `perf stat -e instructions` when the machine counts them (not in most VMs); undefined otherwise. */
function instructionCounter() {
  const probe = spawnSync("perf", ["stat", "-x,", "-e", "instructions:u", "true"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) return undefined;
  const line = probe.stderr.split("\n").find((l) => l.includes("instructions"));
  return line && /^\d+,/.test(line) ? "perf" : undefined;
}

function instructions(args, { cwd, env }) {
  const run = spawnSync("perf", ["stat", "-x,", "-e", "instructions:u", process.execPath, ...args], { cwd, env: { ...process.env, ...env }, encoding: "utf8", maxBuffer: 512 << 20 });
  const line = run.stderr.split("\n").find((l) => l.includes("instructions"));
  return line ? Number(line.split(",")[0]) : undefined;
}

const row = (name, s, extra = "") =>
  console.log(`  ${name.padEnd(36)} ${s.errors?.length ? `FAILED: ${s.errors[0]}` : `${fmtTime(s.ms)}  [${fmtTime(s.minMs)}–${fmtTime(s.maxMs)}]  CPU ${s.cpuMs === undefined ? "n/a" : fmtTime(s.cpuMs)}  peak RSS ${fmtMB(s.rssMB)}`}${extra}`);

function parseJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The tracker's commands on one store; returns their summaries and the query count of `--json`. */
function measureStore(label, gen, { runs, gnuTime, counter }) {
  const env = { SHIPGATE_NOW: NOW, NO_COLOR: "1" };
  // --plan: the file of the latest import, as a repository holds it (the command hashes it and imports nothing).
  const base = ["--db", gen.db, "--cwd", gen.dir, "--plan", gen.planFile];
  const out = join(gen.dir, "report");
  const json = measure([BIN, "track", "--json", ...base], {
    cwd: gen.dir,
    env,
    runs,
    gnuTime,
    check: (r) => (r.status === 0 || r.status === 1 ? (typeof parseJson(r.stdout)?.queries === "number" ? undefined : "--json has no `queries`") : `exit ${r.status}: ${r.stderr.slice(-400)}`),
  });
  const report = measure([BIN, "track", "report", "--out", out, ...base], {
    cwd: gen.dir,
    env,
    runs,
    gnuTime,
    check: (r) => (r.status === 0 || r.status === 1 ? (existsSync(out) && readdirSync(out).length > 0 ? undefined : `nothing written to ${out}`) : `exit ${r.status}: ${r.stderr.slice(-400)}`),
  });
  const floorRun = measure([SELF, "floor", gen.db], { cwd: gen.dir, env: {}, runs, gnuTime, check: (r) => (r.status === 0 ? undefined : `exit ${r.status}: ${r.stderr.slice(-300)}`) });
  const floorRead = floorRun.first ? parseJson(floorRun.first.stdout.trim()) : undefined;
  const tracker = json.first ? parseJson(json.first.stdout) : undefined;
  console.log(`\n${label}`);
  row("shipgate track report --out DIR", report, report.ms !== undefined ? `  target < ${fmtTime(TARGET_MS)}: ${report.ms < TARGET_MS ? "met" : `MISSED by ${fmtTime(report.ms - TARGET_MS)}`}` : "");
  row("shipgate track --json", json, json.ms !== undefined ? `  target < ${fmtTime(TARGET_MS)}: ${json.ms < TARGET_MS ? "met" : `MISSED by ${fmtTime(json.ms - TARGET_MS)}`}` : "");
  row("floor: read the same rows", floorRun, floorRead ? `  (reading itself ${fmtTime(floorRead.readMs)})` : "");
  if (tracker?.headline) {
    const h = tracker.headline;
    console.log(`  tracker: ${h.doneTasks} of ${h.scopeTasks} tasks done, score ${h.score.value} (target ${h.score.target}), forecast P50/P85/P95 ${tracker.forecast.p50} / ${tracker.forecast.p85} / ${tracker.forecast.p95}, milestones ${Object.entries(h.milestones).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ")}, ${h.alerts} alerts, ${tracker.blockers?.log?.length ?? 0} blocked periods; --json ${(json.first.stdout.length / 1e6).toFixed(1)} MB`);
  }
  if (floorRead) console.log(`  rows read by the floor: ${Object.entries(floorRead.rows).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  for (const [name, s] of [["track report", report], ["track --json", json]]) {
    if (s.ms !== undefined && floorRun.ms !== undefined) {
      // CPU time moves less than wall time with the machine's load: both ratios are printed.
      const cpu = s.cpuMs !== undefined && floorRun.cpuMs !== undefined ? `, CPU ${(s.cpuMs / floorRun.cpuMs).toFixed(1)}×` : "";
      console.log(`  ratio ${name} / floor: wall ${(s.ms / floorRun.ms).toFixed(1)}×${cpu}`);
    }
  }
  if (report.first) {
    const files = readdirSync(out);
    const bytes = files.reduce((sum, f) => sum + statSync(join(out, f)).size, 0);
    console.log(`  report: ${files.length} file(s), ${(bytes / 1e3).toFixed(0)} kB (${files.join(", ")})`);
  }
  let instr;
  if (counter) {
    instr = {
      report: instructions([BIN, "track", "report", "--out", out, ...base], { cwd: gen.dir, env }),
      json: instructions([BIN, "track", "--json", ...base], { cwd: gen.dir, env }),
      floor: instructions([SELF, "floor", gen.db], { cwd: gen.dir, env: {} }),
    };
    console.log(`  instructions (user): report ${(instr.report / 1e9).toFixed(2)} G, --json ${(instr.json / 1e9).toFixed(2)} G, floor ${(instr.floor / 1e9).toFixed(2)} G → ${(instr.report / instr.floor).toFixed(1)}× the floor`);
  }
  return { report, json, floorRun, floorRead, queries: tracker?.queries, instr };
}

/**
 * BENCH_PROFILE=1: one more `track report` under `node --cpu-prof`; prints where the time goes — self time per function
 * (top 12) and per source file of dist/ (top 8) — and keeps the .cpuprofile for Chrome DevTools or speedscope.
 */
function profile(gen, dir) {
  const out = join(dir, "profile");
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const run = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", out, BIN, "track", "report", "--out", join(gen.dir, "report"), "--db", gen.db, "--cwd", gen.dir, "--plan", gen.planFile], {
    cwd: gen.dir,
    env: { ...process.env, SHIPGATE_NOW: NOW },
    encoding: "utf8",
  });
  const file = readdirSync(out).find((f) => f.endsWith(".cpuprofile"));
  if (!file) return console.log(`  profile: none written (exit ${run.status})`);
  printCpuProfile(join(out, file), { root: ROOT, inclusiveTop: 25 });
}

function describe(gen) {
  const t = gen.tables;
  const types = Object.entries(gen.counts.byType).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(", ");
  console.log(`  store: ${(statSync(gen.db).size / 1e6).toFixed(1)} MB — ${t.snapshot} snapshots, ${t.fact} facts, ${t.plan} plan imports (${gen.plans.join(" → ")} tasks), ${t.task} task rows, ${t.task_run} runs, ${t.event} events`);
  console.log(`  events: ${types}`);
  console.log(`  runs: ${Object.entries(gen.counts.outcomes).map(([k, v]) => `${k} ${v}`).join(", ")}, lost ${gen.counts.lost}; blocks ${gen.counts.blocks}, resets ${gen.counts.resets}; tasks now ${Object.entries(gen.byState).map(([k, v]) => `${k} ${v}`).join(", ")}`);
}

async function main() {
  const runs = benchRuns();
  if (runs === undefined) return fail(`BENCH_RUNS must be a positive integer (got "${process.env.BENCH_RUNS}")`);
  if (!existsSync(BIN)) return fail(`${BIN} is missing: run \`npm run build\` first`);
  printMachine(runs);
  const gnuTime = findGnuTime();
  const counter = instructionCounter();
  console.log(`peak RSS: ${gnuTime ? "GNU time" : "not measured (no working /usr/bin/time)"}; instruction counts: ${counter ? "perf stat -e instructions:u" : "not measured (perf cannot count instructions on this machine)"}`);
  console.log(`SHIPGATE_NOW=${NOW}`);
  const work = mkdtempSync(join(tmpdir(), "shipgate-bench-track-"));
  let failed;
  try {
    const sizes = [];
    for (const [label, scale] of [["full: 1 000 snapshots, 10 000 tasks, 100 000 events", 1], ["10× smaller: 100 snapshots, 1 000 tasks, 10 000 events", 0.1]]) {
      const started = performance.now();
      const gen = await generate({ dir: join(work, `scale-${scale}`), scale });
      console.log(`\ngenerated ${gen.db} in ${fmtTime(performance.now() - started)} (not measured)`);
      describe(gen);
      sizes.push({ label, gen });
    }
    const results = sizes.map(({ label, gen }) => measureStore(label, gen, { runs, gnuTime, counter }));
    if (process.env.BENCH_PROFILE) {
      console.log("\nprofile (BENCH_PROFILE=1), full store");
      profile(sizes[0].gen, join(ROOT, "bench", ".data", "track"));
    }
    failed = results.some((x) => x.report.errors?.length || x.json.errors?.length || x.floorRun.errors?.length);
    const [big, small] = results;
    console.log(`\nstore queries of \`track --json\`: ${big.queries ?? "n/a"} (full) and ${small.queries ?? "n/a"} (10× smaller): ${big.queries !== undefined && big.queries === small.queries ? "constant" : "NOT constant"}`);
    if (big.queries === undefined || big.queries !== small.queries) failed = true;
    if (big.report.ms !== undefined && small.report.ms !== undefined) console.log(`time full / 10× smaller: track report ${(big.report.ms / small.report.ms).toFixed(1)}×, floor ${(big.floorRun.ms / small.floorRun.ms).toFixed(1)}×`);
  } finally {
    if (process.env.BENCH_KEEP) console.log(`\nkept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

if (process.argv[2] === "floor") await floor(process.argv[3]);
else if (process.argv[2] === "generate") {
  // `node bench/track.mjs generate DIR [SCALE]`: only writes the store (for profiling by hand).
  const gen = await generate({ dir: process.argv[3], scale: Number(process.argv[4] ?? 1) });
  describe(gen);
} else process.exitCode = await main();
