// Saving one 100 000-test snapshot: SQLite (a fresh file) against PostgreSQL (a fresh database on a throwaway server
// started by scripts/pg-test-server.mjs, or SHIPGATE_BENCH_PG_URL's server), the same snapshot, alternating, each
// RUNS times (default 5); prints medians and the ratio (issue 10's target: PostgreSQL within 2× of SQLite). Also
// claims: WORKERS concurrent claimers (default 16, each its own connection pool) draining 2 000 ready tasks
// from each store, printed as claims per second (one process, so it measures the store, not process start-up).
//
//   npm run build && node bench/store-save.mjs
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { openStore } from "../dist/store/open-store.js";
import { startServer, stopServer } from "../scripts/pg-test-server.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const WORKERS = Number(process.env.BENCH_WORKERS ?? 16);
const AT = "2026-12-01T09:00:00.000Z";

function snapshot(tests) {
  return {
    takenAt: AT,
    git: { commit: "c0ffee", branch: "main", dirty: false, tree: null },
    configHash: "abc",
    summary: { tests },
    sources: [{ path: "reports/junit.xml", sha256: "a".repeat(64), bytes: 12_000_000, format: "junit", tool: { name: "vitest", version: "4.1.12" }, collector: null }],
    facts: [{ key: "tests.total", value: tests, component: null, sourceIndex: 0 }],
    tests: Array.from({ length: tests }, (_, i) => ({
      testId: `test/f${i % 500}.test.ts › suite ${i % 37} › case ${i}`, file: `test/f${i % 500}.test.ts`, suite: `suite ${i % 37}`, name: `case ${i}`,
      status: i % 50 ? "passed" : "failed", durationMs: (i % 97) / 3, message: i % 50 ? null : `expected ${i} to be ${i + 1}`, flaky: i % 333 === 0, sourceIndex: 0,
    })),
    coverageFiles: [],
  };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function freshPg(url, name) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name}`);
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function timeSave(db, data) {
  const store = await openStore(db, { at: AT });
  const start = process.hrtime.bigint();
  await store.saveSnapshot(data);
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  await store.close();
  return ms;
}

async function claims(db) {
  const seed = await openStore(db, { at: AT });
  const tasks = Array.from({ length: 2000 }, (_, i) => ({ id: `T${i}`, title: `t${i}`, owner: "o", priority: "P1", slack: 0, dependsOn: [], phase: "p", maxAttempts: null }));
  await seed.importPlan({ hash: "h", source: "bench", content: {}, tasks, phaseWaits: {} }, AT);
  await seed.close();
  const stores = await Promise.all(Array.from({ length: WORKERS }, () => openStore(db, { at: AT })));
  const start = process.hrtime.bigint();
  const got = await Promise.all(
    stores.map(async (store, w) => {
      const ids = [];
      for (let c = await store.claimTask({ agent: `w${w}`, at: AT, leaseMs: 60_000, ownedOnly: false }); c; c = await store.claimTask({ agent: `w${w}`, at: AT, leaseMs: 60_000, ownedOnly: false })) {
        ids.push(c.task.id);
        await store.finishRun(c.run.id, c.run.epoch, { at: AT, outcome: "done" });
      }
      return ids;
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await Promise.all(stores.map((s) => s.close()));
  const all = got.flat();
  return { perSecond: all.length / seconds, claimed: all.length, doubleClaims: all.length - new Set(all).size };
}

const given = process.env.SHIPGATE_BENCH_PG_URL;
const server = given ? null : await startServer();
const pgUrl = given ?? server.url;
const dir = mkdtempSync(join(tmpdir(), "shipgate-bench-store-"));
try {
  const data = snapshot(100_000);
  const times = { sqlite: [], postgres: [] };
  for (let run = 0; run < RUNS; run++) {
    times.sqlite.push(await timeSave(join(dir, `save-${run}.db`), data));
    times.postgres.push(await timeSave(await freshPg(pgUrl, `bench_save_${run}`), data));
  }
  const s = median(times.sqlite);
  const p = median(times.postgres);
  console.log(`save 100 000 tests, median of ${RUNS}: sqlite ${s.toFixed(0)} ms, postgres ${p.toFixed(0)} ms, postgres/sqlite ${(p / s).toFixed(2)}× (target ≤ 2×)`);
  console.log(`  sqlite runs:   ${times.sqlite.map((t) => t.toFixed(0)).join(" ")}`);
  console.log(`  postgres runs: ${times.postgres.map((t) => t.toFixed(0)).join(" ")}`);
  for (const [name, db] of [["sqlite", join(dir, "claims.db")], ["postgres", await freshPg(pgUrl, "bench_claims")]]) {
    const r = await claims(db);
    console.log(`claim + finish, ${WORKERS} concurrent claimers, ${name}: ${r.perSecond.toFixed(0)}/s (${r.claimed} claimed, double claims ${r.doubleClaims})`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
  if (server) stopServer(server.dir);
}
