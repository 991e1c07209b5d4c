// Store benchmark (issue 10, "Performance"), side by side in one run:
//  1. claim + complete cycles per second with 32 concurrent workers, each with its own connection, on a plan of
//     N independent ready tasks: shipgate on SQLite (WAL, one file) — target ≥ 1 000/s — and on PostgreSQL —
//     target ≥ 2 000/s; p50/p99 claim latency; double claims counted by the workers AND checked in the store
//     afterwards (every task done, exactly one run each);
//  2. pg-boss (`fetch` + `complete`) on the same PostgreSQL server, 32 workers, the same number of jobs: shipgate
//     must be at least as fast, with 0 double claims;
//  3. saving a 100 000-test snapshot: PostgreSQL within 2× of SQLite.
// PostgreSQL is a throwaway cluster started by scripts/pg-test-server.mjs and stopped at the end (never a server
// of the machine); its settings that matter are printed, and shipgate and pg-boss share them.
//   npm run build && node bench/store.mjs
//   BENCH_RUNS=3 (runs per measurement) BENCH_TASKS=20000 BENCH_WORKERS=32 BENCH_PG_THREADS=2 (threads the 32
//   PostgreSQL workers are spread over; SQLite always uses one thread per worker)
// Exits 0 when every measurement ran and every exactly-once check held (targets print MET / MISSED); 1 when a
// measurement failed or a check did not hold; 2 when it cannot start (no build, no PostgreSQL binaries).
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { startServer, stopServer } from "../scripts/pg-test-server.mjs";
import { bossVersion, insertJobs, startBoss } from "./pg-boss.mjs";
import { fail, median, printMachine } from "./stats.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DATA = join(ROOT, "bench", ".data");
// SHIPGATE_BENCH_DIST: another build of shipgate (a driver patch built with `tsc --outDir`) to compare with dist/.
const DIST = process.env.SHIPGATE_BENCH_DIST ? resolve(process.env.SHIPGATE_BENCH_DIST) : join(ROOT, "dist");
const TARGETS = { sqlitePerSec: 1_000, postgresPerSec: 2_000, vsPgBoss: 1, snapshotRatio: 2 };
const SNAPSHOT_TESTS = 100_000;
const SNAPSHOT_COVERAGE = 5_000;

const positive = (name, fallback) => {
  const value = Number(process.env[name] ?? fallback);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
};

const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);
const fmtMs = (ms) => (Number.isFinite(ms) ? (ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`) : "n/a");
const fmtInt = (n) => Math.round(n).toLocaleString("en-US");
const verdict = (met) => (met ? "MET" : "MISSED");

/** The plan the claim benchmark imports: `count` independent tasks, all ready, one owner. */
function benchPlan(count) {
  const tasks = Array.from({ length: count }, (_, i) => ({
    id: `t${String(i + 1).padStart(6, "0")}`, title: `Bench task ${i + 1}`, owner: "bench", priority: "P1", slack: 0, dependsOn: [], phase: "p1", maxAttempts: null,
  }));
  return { hash: `bench-${count}`, source: "bench/store.mjs", content: { version: 1, tasks: count }, tasks, phaseWaits: {} };
}

/** A snapshot of `tests` test results and `coverage` coverage rows, as `assess` would save it. */
function bigSnapshot(n, tests, coverage) {
  const statuses = ["passed", "passed", "passed", "passed", "passed", "passed", "passed", "failed", "skipped", "errored"];
  return {
    takenAt: new Date(Date.UTC(2026, 11, 1, 10, n)).toISOString(),
    git: { commit: `c0ffee${n}`, branch: "main", dirty: false, tree: null },
    configHash: "abc",
    summary: { schemaVersion: 1, n, tests },
    sources: [
      { path: "reports/junit.xml", sha256: "a".repeat(64), bytes: 12_000_000, format: "junit", tool: { name: "vitest", version: "4.1.12" }, collector: null },
      { path: "reports/lcov.info", sha256: "b".repeat(64), bytes: 68_000_000, format: "lcov", tool: null, collector: null },
    ],
    facts: Array.from({ length: 40 }, (_, i) => ({ key: `bench.fact.${i}`, value: i % 7 === 0 ? null : i * 1.5, component: i % 2 ? `packages/p${i}` : null, sourceIndex: i % 3 === 2 ? null : i % 2 })),
    tests: Array.from({ length: tests }, (_, i) => {
      const file = `src/module${Math.floor(i / 50)}/file${Math.floor(i / 10)}.test.ts`;
      const status = statuses[i % statuses.length];
      return {
        testId: `${file} › suite ${i % 10} › does thing ${i}`, file, suite: `suite ${i % 10}`, name: `does thing ${i}`, status,
        durationMs: i % 13 === 0 ? null : (i % 97) * 0.75, message: status === "failed" || status === "errored" ? `expected ${i} to be ${i + 1}` : null, flaky: i % 101 === 0, sourceIndex: 0,
      };
    }),
    coverageFiles: Array.from({ length: coverage }, (_, i) => ({
      path: `src/module${Math.floor(i / 20)}/file${i}.ts`, package: `packages/p${i % 8}`, resolved: true,
      linesCovered: 80 + (i % 20), linesTotal: 100, branchesCovered: 10, branchesTotal: 12, functionsCovered: 5, functionsTotal: 6, statementsCovered: null, statementsTotal: null,
      coveredLines: "1-40,45-84,90-99", uncoveredLines: "41-44,85-89,100", sourceIndex: 1,
    })),
  };
}

function rmDb(file) {
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${file}${suffix}`, { force: true });
}

/** A client on the server for setup and checks (pg, as the driver uses it). */
async function sql(url) {
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => undefined);
  await client.connect();
  return client;
}

/** `url` with another database. */
const withDb = (url, db) => {
  const u = new URL(url);
  u.pathname = `/${db}`;
  return u.toString();
};

/**
 * Runs `workers` claim+complete workers spread over `threads` worker threads; resolves to the cycles, the wall time
 * from "go" to the last worker's end, and the latencies. `countConnections` (optional) is asked once every worker is
 * connected, before "go".
 */
async function claimRun({ kind, url, workers, threads, agent, queue, countConnections }) {
  const perThread = Array.from({ length: threads }, (_, i) => Math.floor(workers / threads) + (i < workers % threads ? 1 : 0)).filter((n) => n > 0);
  const started = perThread.map((loops, i) => new Worker(new URL("./store-worker.mjs", import.meta.url), { workerData: { kind, url, loops, agent: `${agent}${i}`, queue, dist: pathToFileURL(DIST).href } }));
  const errors = [];
  const ready = started.map(
    (w) =>
      new Promise((resolve) => {
        w.once("error", (e) => resolve({ error: e.message }));
        w.on("message", function first(m) {
          if (m.ready || m.error) {
            w.off("message", first);
            resolve(m);
          }
        });
      }),
  );
  for (const m of await Promise.all(ready)) if (m.error) errors.push(m.error);
  if (errors.length) {
    await Promise.all(started.map((w) => w.terminate()));
    return { errors };
  }
  const connections = countConnections ? await countConnections() : undefined;
  const results = started.map(
    (w) =>
      new Promise((resolve) => {
        w.once("error", (e) => resolve({ error: e.message }));
        w.on("message", (m) => {
          if (m.error) errors.push(m.error);
          if (m.ids) resolve(m);
        });
        w.once("exit", () => resolve({ error: "worker exited early" }));
      }),
  );
  const go = performance.now() + performance.timeOrigin;
  for (const w of started) w.postMessage("go");
  const done = await Promise.all(results);
  for (const d of done) if (d.error) errors.push(d.error);
  const ok = done.filter((d) => d.ids);
  const ids = ok.flatMap((d) => d.ids);
  const ms = Math.max(...ok.map((d) => d.ended)) - go;
  const claimMs = ok.flatMap((d) => Array.from(d.claimMs));
  const finishMs = ok.flatMap((d) => Array.from(d.finishMs));
  const busy = ok.flatMap((d) => d.busy);
  return { ids, ms, claimMs, finishMs, busy, connections, errors };
}

/** Claims seen twice by the workers (a claim count above the number of distinct ids). */
const doubles = (ids) => ids.length - new Set(ids).size;

async function shipgateCheck(url, count) {
  const { openStore } = await import(pathToFileURL(join(DIST, "store", "open-store.js")).href);
  const store = await openStore(url);
  try {
    const tasks = await store.listTasks();
    const runs = await store.listRuns();
    const perTask = new Map();
    for (const r of runs) perTask.set(r.taskId, (perTask.get(r.taskId) ?? 0) + 1);
    const problems = [];
    const notDone = tasks.filter((t) => t.state !== "done").length;
    if (tasks.length !== count) problems.push(`${tasks.length} tasks stored, expected ${count}`);
    if (notDone) problems.push(`${notDone} tasks not done`);
    const twice = [...perTask.values()].filter((n) => n > 1).length;
    if (twice) problems.push(`${twice} tasks have more than one run`);
    if (runs.length !== count) problems.push(`${runs.length} runs, expected ${count}`);
    const notEnded = runs.filter((r) => r.outcome !== "done").length;
    if (notEnded) problems.push(`${notEnded} runs not ended done`);
    return { storeDoubles: twice, problems };
  } finally {
    await store.close();
  }
}

async function pgBossCheck(url, queue, count) {
  const client = await sql(url);
  try {
    const rows = (await client.query("SELECT state::text, retry_count, count(*)::int AS n FROM pgboss.job WHERE name = $1 GROUP BY 1, 2", [queue])).rows;
    const total = rows.reduce((s, r) => s + r.n, 0);
    const problems = [];
    const notDone = rows.filter((r) => r.state !== "completed").reduce((s, r) => s + r.n, 0);
    const retried = rows.filter((r) => r.retry_count > 0).reduce((s, r) => s + r.n, 0);
    if (total !== count) problems.push(`${total} jobs stored, expected ${count}`);
    if (notDone) problems.push(`${notDone} jobs not completed`);
    if (retried) problems.push(`${retried} jobs were retried`);
    return { storeDoubles: retried, problems };
  } finally {
    await client.end();
  }
}

function summarizeClaims(label, runs) {
  const ok = runs.filter((r) => !r.errors?.length && !r.problems?.length);
  const rates = runs.filter((r) => r.ms).map((r) => r.ids.length / (r.ms / 1000)).sort((a, b) => a - b);
  const claim = runs.flatMap((r) => r.claimMs ?? []).sort((a, b) => a - b);
  const finish = runs.flatMap((r) => r.finishMs ?? []).sort((a, b) => a - b);
  return {
    label,
    rate: rates.length ? median(rates) : undefined,
    min: rates[0],
    max: rates[rates.length - 1],
    claimP50: pct(claim, 50),
    claimP99: pct(claim, 99),
    finishP50: pct(finish, 50),
    finishP99: pct(finish, 99),
    claimMax: claim[claim.length - 1],
    finishMax: finish[finish.length - 1],
    busy: runs.flatMap((r) => r.busy ?? []),
    doubles: runs.reduce((s, r) => s + (r.ids ? doubles(r.ids) : 0) + (r.storeDoubles ?? 0), 0),
    connections: runs.map((r) => r.connections).filter((c) => c !== undefined),
    problems: runs.flatMap((r) => [...(r.errors ?? []), ...(r.problems ?? [])]),
    allOk: ok.length === runs.length,
  };
}

async function main() {
  const runs = positive("BENCH_RUNS", 3);
  const count = positive("BENCH_TASKS", 20_000);
  const workers = positive("BENCH_WORKERS", 32);
  const pgThreads = positive("BENCH_PG_THREADS", 2);
  if (!runs || !count || !workers || !pgThreads) return fail("BENCH_RUNS, BENCH_TASKS, BENCH_WORKERS and BENCH_PG_THREADS must be positive integers");
  if (!existsSync(join(DIST, "store", "open-store.js"))) return fail("dist/store/open-store.js is missing: run `npm run build` first");
  mkdirSync(DATA, { recursive: true });
  printMachine(runs);

  let server;
  try {
    server = await startServer();
  } catch (error) {
    return fail(`cannot start the throwaway PostgreSQL server (scripts/pg-test-server.mjs): ${error.message}`);
  }
  const stop = () => {
    if (server) stopServer(server.dir);
    server = undefined;
  };
  process.once("SIGINT", () => {
    stop();
    process.exit(130);
  });
  try {
    return await measureAll({ runs, count, workers, pgThreads, url: server.url });
  } catch (error) {
    console.error(`[bench] a measurement failed: ${error.message}`);
    return 1;
  } finally {
    stop();
  }
}

/** 3. Saves a 100 000-test snapshot `runs` times into a fresh SQLite file and a fresh PostgreSQL database; true when all went well. */
async function measureSnapshot({ runs, url, admin, openStore }) {
  let failed = false;
  console.log(`\nsaveSnapshot, ${fmtInt(SNAPSHOT_TESTS)} tests + ${fmtInt(SNAPSHOT_COVERAGE)} coverage rows (built in memory; median of ${runs} [min–max])`);
  const snapFile = join(DATA, "store-bench-snapshot.db");
  rmDb(snapFile);
  await admin.query("CREATE DATABASE sg_snapshot");
  const stores = { SQLite: await openStore(snapFile), PostgreSQL: await openStore(withDb(url, "sg_snapshot")) };
  const times = { SQLite: [], PostgreSQL: [] };
  try {
    for (let r = 1; r <= runs; r++) {
      const snapshot = bigSnapshot(r, SNAPSHOT_TESTS, SNAPSHOT_COVERAGE);
      for (const [name, store] of Object.entries(stores)) {
        try {
          const started = performance.now();
          const saved = await store.saveSnapshot({ ...snapshot });
          times[name].push(performance.now() - started);
          const stored = (await store.getTestResults(saved.id)).length;
          if (stored !== SNAPSHOT_TESTS) throw new Error(`${stored} test results read back, expected ${SNAPSHOT_TESTS}`);
        } catch (error) {
          console.log(`    ✗ ${name}: ${error.message}`);
          failed = true;
        }
      }
    }
  } finally {
    for (const store of Object.values(stores)) await store.close();
  }
  const snap = {};
  for (const [name, list] of Object.entries(times)) {
    const sorted = [...list].sort((a, b) => a - b);
    if (!sorted.length) continue;
    snap[name] = median(sorted);
    console.log(`  ${name.padEnd(40)} ${fmtMs(snap[name]).padStart(10)} [${fmtMs(sorted[0])}–${fmtMs(sorted[sorted.length - 1])}]  ${fmtInt((SNAPSHOT_TESTS + SNAPSHOT_COVERAGE) / (snap[name] / 1000))} rows/s`);
  }
  const snapRatio = snap.PostgreSQL / snap.SQLite;
  if (Number.isFinite(snapRatio)) console.log(`  PostgreSQL / SQLite: ${snapRatio.toFixed(2)}× the time (target ≤ ${TARGETS.snapshotRatio}×: ${verdict(snapRatio <= TARGETS.snapshotRatio)})`);
  return !failed;
}

async function measureAll({ runs, count, workers, pgThreads, url }) {
  const { openStore } = await import(pathToFileURL(join(DIST, "store", "open-store.js")).href);

  const admin = await sql(url);
  try {
    return await measureWith({ runs, count, workers, pgThreads, url, admin, openStore });
  } finally {
    await admin.end().catch(() => undefined);
  }
}

async function measureWith({ runs, count, workers, pgThreads, url, admin, openStore }) {
  const pgVersion = JSON.parse(readFileSync(join(ROOT, "node_modules", "pg", "package.json"), "utf8")).version;
  const sqliteVersion = JSON.parse(readFileSync(join(ROOT, "node_modules", "better-sqlite3", "package.json"), "utf8")).version;
  const { default: Database } = await import("better-sqlite3");
  const settings = {};
  for (const name of ["server_version", "fsync", "synchronous_commit", "full_page_writes", "wal_level", "shared_buffers", "max_connections", "work_mem"]) {
    settings[name] = (await admin.query(`SHOW ${name}`)).rows[0][name];
  }
  const probe = new Database(":memory:");
  const sqliteLib = probe.prepare("SELECT sqlite_version() AS v").get().v;
  probe.close();
  console.log(`PostgreSQL ${settings.server_version} (throwaway cluster, scripts/pg-test-server.mjs): fsync=${settings.fsync} synchronous_commit=${settings.synchronous_commit} full_page_writes=${settings.full_page_writes} wal_level=${settings.wal_level} shared_buffers=${settings.shared_buffers} max_connections=${settings.max_connections} work_mem=${settings.work_mem}`);
  console.log(`SQLite ${sqliteLib} (better-sqlite3 ${sqliteVersion}): journal_mode=WAL synchronous=NORMAL lock wait 10 s with short random pauses (src/store/sqlite/connection.ts)`);
  if (DIST !== join(ROOT, "dist")) console.log(`shipgate build: ${DIST} (SHIPGATE_BENCH_DIST)`);
  console.log(`clients: pg ${pgVersion}, pg-boss ${bossVersion}; ${fmtInt(count)} independent ready tasks/jobs, ${workers} workers, ${runs} run(s) each`);

  const countConnections = (db) => async () => (await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1 AND backend_type = 'client backend'", [db])).rows[0].n;
  // The snapshot first, on an idle server: after the claim runs, autovacuum works on their databases for a while.
  let failed = !(await measureSnapshot({ runs, url, admin, openStore }));

  const plan = benchPlan(count);
  const results = { sqlite: [], postgres: [], pgboss: [] };
  console.log("");

  for (let r = 1; r <= runs; r++) {
    process.stdout.write(`run ${r}/${runs}: `);
    // SQLite: a fresh file, the plan imported, then one worker thread per worker (see README: better-sqlite3 is synchronous).
    const file = join(DATA, "store-bench.db");
    rmDb(file);
    const sqliteStore = await openStore(file);
    await sqliteStore.importPlan(plan, new Date().toISOString());
    await sqliteStore.close();
    const s = await claimRun({ kind: "shipgate", url: file, workers, threads: workers, agent: "sqlite" });
    if (!s.errors.length) Object.assign(s, await shipgateCheck(file, count));
    results.sqlite.push(s);
    process.stdout.write(`sqlite ${s.ms ? fmtInt(s.ids.length / (s.ms / 1000)) : "failed"}/s, `);

    // shipgate on PostgreSQL: a fresh database.
    const sgDb = `sg_claims_${r}`;
    await admin.query(`CREATE DATABASE ${sgDb}`);
    const sgUrl = withDb(url, sgDb);
    const pgStore = await openStore(sgUrl);
    await pgStore.importPlan(plan, new Date().toISOString());
    await pgStore.close();
    const p = await claimRun({ kind: "shipgate", url: sgUrl, workers, threads: pgThreads, agent: "pg", countConnections: countConnections(sgDb) });
    if (!p.errors.length) Object.assign(p, await shipgateCheck(sgUrl, count));
    results.postgres.push(p);
    process.stdout.write(`postgres ${p.ms ? fmtInt(p.ids.length / (p.ms / 1000)) : "failed"}/s, `);

    // pg-boss: a fresh database, its schema and queue made by one instance, the jobs inserted in batches.
    const bossDb = `boss_${r}`;
    await admin.query(`CREATE DATABASE ${bossDb}`);
    const bossUrl = withDb(url, bossDb);
    const queue = "bench";
    const setup = await startBoss({ connectionString: bossUrl, max: 2 });
    setup.on("error", () => undefined);
    await setup.createQueue(queue);
    await insertJobs(setup, queue, count);
    await setup.stop({ graceful: false, close: true });
    const b = await claimRun({ kind: "pgboss", url: bossUrl, workers, threads: pgThreads, agent: "boss", queue, countConnections: countConnections(bossDb) });
    if (!b.errors.length) Object.assign(b, await pgBossCheck(bossUrl, queue, count));
    results.pgboss.push(b);
    console.log(`pg-boss ${b.ms ? fmtInt(b.ids.length / (b.ms / 1000)) : "failed"}/s`);
  }

  const rows = [
    summarizeClaims(`shipgate SQLite (${workers} threads × 1)`, results.sqlite),
    summarizeClaims(`shipgate PostgreSQL (${pgThreads} threads × ${Math.ceil(workers / pgThreads)})`, results.postgres),
    summarizeClaims(`pg-boss ${bossVersion} (${pgThreads} threads × ${Math.ceil(workers / pgThreads)})`, results.pgboss),
  ];
  console.log(`\nclaim + complete, ${fmtInt(count)} tasks, ${workers} workers with their own connection (median of ${runs} [min–max]; latencies over all runs)`);
  console.log(`  ${"".padEnd(40)} ${"cycles/s".padStart(17)}  ${"claim p50".padStart(9)} ${"p99".padStart(8)}  ${"complete p50".padStart(12)} ${"p99".padStart(8)}  double claims  conns`);
  for (const row of rows) {
    const rate = row.rate === undefined ? "failed".padStart(17) : `${fmtInt(row.rate).padStart(6)} [${fmtInt(row.min)}–${fmtInt(row.max)}]`.padStart(17);
    console.log(
      `  ${row.label.padEnd(40)} ${rate}  ${fmtMs(row.claimP50).padStart(9)} ${fmtMs(row.claimP99).padStart(8)}  ${fmtMs(row.finishP50).padStart(12)} ${fmtMs(row.finishP99).padStart(8)}  ${String(row.doubles).padStart(13)}  ${row.connections.length ? row.connections.join("/") : "—"}`,
    );
    console.log(`  ${"".padEnd(40)} ${"slowest".padStart(17)}  ${"".padStart(9)} ${fmtMs(row.claimMax).padStart(8)}  ${"".padStart(12)} ${fmtMs(row.finishMax).padStart(8)}`);
    if (row.busy.length) {
      const waited = row.busy.map((b) => b.ms).sort((a, b) => a - b);
      const ops = ["claim", "complete"].map((op) => `${row.busy.filter((b) => b.op === op).length} ${op}`).join(", ");
      console.log(`    ⚠ ${row.busy.length} calls refused "database is locked" (${ops}) after waiting ${fmtMs(waited[0])}–${fmtMs(waited[waited.length - 1])}; retried, as the hint says`);
    }
    for (const problem of [...new Set(row.problems)].slice(0, 3)) console.log(`    ✗ ${problem}`);
    failed ||= !row.allOk || row.doubles > 0;
  }
  const [sq, pg, boss] = rows;
  console.log(`  SQLite ≥ ${fmtInt(TARGETS.sqlitePerSec)}/s: ${sq.rate ? `${verdict(sq.rate >= TARGETS.sqlitePerSec)} (${fmtInt(sq.rate)}/s)` : "n/a"}`);
  console.log(`  PostgreSQL ≥ ${fmtInt(TARGETS.postgresPerSec)}/s: ${pg.rate ? `${verdict(pg.rate >= TARGETS.postgresPerSec)} (${fmtInt(pg.rate)}/s)` : "n/a"}`);
  if (pg.rate && boss.rate) {
    const ratio = pg.rate / boss.rate;
    console.log(`  shipgate PostgreSQL / pg-boss: ${ratio.toFixed(2)}× (target ≥ ${TARGETS.vsPgBoss}×: ${verdict(ratio >= TARGETS.vsPgBoss)}); SQLite / pg-boss ${sq.rate ? (sq.rate / boss.rate).toFixed(2) : "n/a"}×`);
  }
  console.log(`  exactly once (0 double claims, every task done with one run): ${rows.every((r) => r.allOk && r.doubles === 0) ? "MET" : "MISSED"}`);

  return failed ? 1 : 0;
}

process.exitCode = await main();
