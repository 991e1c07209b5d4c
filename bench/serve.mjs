// `shipgate serve` under load (issue 13, "Performance"), side by side in one run:
//  1. the real `shipgate serve` (dist/cli/main.js, a free loopback port, a token file, SHIPGATE_NOW fixed) on the store
//     `bench/track.mjs generate` writes (1 000 snapshots, 10 000 tasks, 100 000 events), loaded by autocannon at 50
//     connections for BENCH_DURATION (10) s per route after a warm-up, each request with `Accept-Encoding: gzip,
//     deflate, br` as a browser sends it: GET /api/snapshots/latest, /api/tasks, /metrics and /api/tracker —
//     requests/s, p50 / p99 latency, errors and non-2xx answers, the target "p99 < 50 ms", and the server's peak RSS;
//  2. the floor: a bare `node:http` server (its own process) answering the same bytes (gzipped as shipgate sent them)
//     from memory, under the same load — what this machine gives at best; printed as the ratio;
//  3. cold reads: after an event appended by another process (which makes every cached answer stale), the first
//     request of each route, one at a time (BENCH_COLD_RUNS, 3, each after a new event) — what the cache does not hide;
//     and the first read of a snapshot never read before (latest~N).
//   npm run build && node bench/serve.mjs     (BENCH_DURATION=SEC per route; BENCH_CONNECTIONS=50; BENCH_SERVE_STORE=DIR
//   reuses a store written by `node bench/track.mjs generate DIR`; BENCH_PROFILE=1 runs the routes that missed the
//   target once more under `node --cpu-prof` and prints where the server's time goes)
// Exits 0 when every measurement ran (targets missed are printed, not failed); 1 when a route did not answer as
// expected; 2 when it cannot start.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createServer, get as httpGet } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { clearTimeout } from "node:timers";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import autocannon from "autocannon";
import { printCpuProfile } from "./measure.mjs";
import { fail, fmtTime, printMachine } from "./stats.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = process.env.SHIPGATE_BENCH_DIST ?? join(ROOT, "dist");
const BIN = join(DIST, "cli", "main.js");
const TRACK = fileURLToPath(new URL("track.mjs", import.meta.url));
const SELF = fileURLToPath(import.meta.url);
const TARGET_P99_MS = 50;
const TOKEN = "bench-serve-token-0123456789abcdef";
/** What Chromium sends (zstd aside): the server answers gzip. */
const ACCEPT_ENCODING = "gzip, deflate, br";

/** The routes of the issue, each with what its answer must hold (a broken server must not look fast). */
const ROUTES = [
  { path: "/api/snapshots/latest", check: (b) => (Array.isArray(JSON.parse(b).tests) ? undefined : "no `tests` in the answer") },
  { path: "/api/tasks", check: (b) => ((n) => (n >= 1000 ? undefined : `${n} task(s)`))(JSON.parse(b).length ?? 0) },
  // A client that pages (X-Total-Count says how many): 100 tasks per answer.
  { path: "/api/tasks?limit=100&offset=5000", check: (b) => ((n) => (n === 100 ? undefined : `${n} task(s), not a page of 100`))(JSON.parse(b).length ?? 0) },
  { path: "/metrics", check: (b) => (b.includes("shipgate_tasks{") ? undefined : "no shipgate_tasks series") },
  { path: "/api/tracker", check: (b) => (JSON.parse(b).headline ? undefined : "no `headline` in the answer") },
  // What the dashboard reads: the tracker without its per-task and per-run rows.
  { path: "/api/tracker?view=summary", check: (b) => (JSON.parse(b).headline && !("runs" in JSON.parse(b)) ? undefined : "not the summary view") },
];

// ── the floor: a bare node:http server answering stored bytes ──────────────────────────────────────────────────────

/** `node bench/serve.mjs floor DIR`: serves DIR/routes.json's bodies from memory on a free loopback port. */
function floor(dir) {
  const routes = new Map(JSON.parse(readFileSync(join(dir, "routes.json"), "utf8")).map((r) => [r.path, { type: r.type, encoding: r.encoding, body: readFileSync(join(dir, r.file)) }]));
  const server = createServer((req, res) => {
    const route = routes.get(req.url);
    if (!route) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "Content-Type": route.type, "Content-Length": route.body.length, ...(route.encoding ? { "Content-Encoding": route.encoding, Vary: "Accept-Encoding" } : {}) });
    res.end(route.body);
  });
  server.listen(0, "127.0.0.1", () => process.stdout.write(`floor: http://127.0.0.1:${server.address().port}/\n`));
  process.on("SIGTERM", () => server.close(() => process.exit(0)));
}

// ── processes ──────────────────────────────────────────────────────────────────────────────────────────────────────

/** Spawns a server and resolves with { child, url } once it prints its URL (`pattern` group 1). */
function startServer(args, { env = {}, pattern }) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = pattern.exec(out);
      if (m) resolvePromise({ child, url: m[1].replace(/\/$/, ""), stderr: () => err });
    });
    child.stderr.on("data", (d) => (err += d));
    child.once("exit", (code, signal) => reject(new Error(`server exited (${signal ?? `exit ${code}`}) before listening: ${err.slice(-400)}`)));
  });
}

function stopServer(child, signal = "SIGTERM") {
  return new Promise((resolvePromise) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolvePromise();
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolvePromise();
    });
    child.kill(signal);
  });
}

/** Peak resident set size of a running process in MB (Linux: VmHWM), or undefined. */
function peakRssMB(pid) {
  try {
    const m = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Waits until the server answers a 404 within 50 ms again (requests abandoned by a load run are still being served). */
async function waitIdle(url, limitMs = 180_000) {
  const started = performance.now();
  while (performance.now() - started < limitMs) {
    const t = performance.now();
    try {
      await (await globalThis.fetch(`${url}/bench-idle-probe`, { signal: globalThis.AbortSignal.timeout(limitMs) })).arrayBuffer();
    } catch {
      // the server is busy or restarting: try again
    }
    if (performance.now() - t < 50) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 200));
  }
  return performance.now() - started;
}

function load(url, { connections, duration, ifNoneMatch }) {
  // timeout 60 s: a slow route shows its latency instead of timing out at autocannon's default 10 s.
  const headers = { "accept-encoding": ACCEPT_ENCODING, ...(ifNoneMatch ? { "if-none-match": ifNoneMatch } : {}) };
  return new Promise((resolvePromise, reject) => autocannon({ url, connections, duration, timeout: 60, headers }, (error, result) => (error ? reject(error) : resolvePromise(result))));
}

/** One GET as a browser sends it; the bytes as they came over the wire (not decoded), and the time to the last byte. */
function rawGet(url) {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const req = httpGet(url, { headers: { "accept-encoding": ACCEPT_ENCODING } }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolvePromise({ status: res.statusCode, headers: res.headers, wire: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}

const decoded = (answer) => (answer.headers["content-encoding"] === "gzip" ? gunzipSync(answer.wire) : answer.wire);

// ── one route ─────────────────────────────────────────────────────────────────────────────────────────────────────

/** Answers larger than this are also loaded as a browser's next visit: If-None-Match with the ETag (304, no body). */
const REVALIDATE_FROM_BYTES = 100_000;

async function measureRoute(route, { shipgate, floorUrl, connections, duration, warmup, answer }) {
  const url = `${shipgate.url}${route.path}`;
  await load(url, { connections: 1, duration: warmup });
  await waitIdle(shipgate.url);
  const sg = await load(url, { connections, duration });
  const drainMs = await waitIdle(shipgate.url);
  const rssMB = peakRssMB(shipgate.child.pid);
  await load(`${floorUrl}${route.path}`, { connections: 1, duration: warmup });
  const fl = await load(`${floorUrl}${route.path}`, { connections, duration });
  let revalidated;
  if (answer.etag && answer.bytes >= REVALIDATE_FROM_BYTES) {
    await waitIdle(shipgate.url);
    const r = await load(url, { connections, duration, ifNoneMatch: answer.etag });
    revalidated = { ...figures(r), notModified: r["3xx"] };
  }
  return { route: route.path, shipgate: figures(sg), floor: figures(fl), drainMs, peakRssMB: rssMB, ...(revalidated ? { revalidated } : {}) };
}

function figures(r) {
  return {
    requests: r.latency.totalCount,
    // Sent and not answered when the load stopped: a slow route's percentiles count only the answered ones.
    unanswered: Math.max(0, r.requests.sent - r.latency.totalCount),
    rps: r.latency.totalCount / (r.duration || 1),
    p50: r.latency.p50,
    p99: r.latency.p99,
    max: r.latency.max,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
  };
}

const ms = (x) => (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`);
const rate = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

function printRoute(m, { bytes, wire, encoding }) {
  const s = m.shipgate;
  const f = m.floor;
  const meets = (x) => x.requests > 0 && x.p99 < TARGET_P99_MS && x.errors === 0 && x.non2xx === 0;
  const met = meets(s);
  console.log(`\nGET ${m.route}  (${(bytes / 1e3).toFixed(1)} kB per answer; ${encoding ? `${(wire / 1e3).toFixed(1)} kB ${encoding} on the wire` : "sent as it is"})`);
  console.log(`  shipgate serve  ${rate(s.rps).padStart(7)} req/s  p50 ${ms(s.p50).padStart(8)}  p99 ${ms(s.p99).padStart(8)}  max ${ms(s.max).padStart(8)}  ${s.requests} answered, ${s.unanswered} in flight at the end, errors ${s.errors} (timeouts ${s.timeouts}), non-2xx ${s.non2xx}`);
  console.log(`  floor node:http ${rate(f.rps).padStart(7)} req/s  p50 ${ms(f.p50).padStart(8)}  p99 ${ms(f.p99).padStart(8)}  max ${ms(f.max).padStart(8)}  ${f.requests} answered, ${f.unanswered} in flight at the end, errors ${f.errors}, non-2xx ${f.non2xx}`);
  const ratio = f.rps > 0 && s.rps > 0 ? `floor / shipgate: ${(f.rps / s.rps).toFixed(1)}× the requests/s, p99 ${(s.p99 / Math.max(f.p99, 0.001)).toFixed(1)}×` : "no ratio (nothing answered)";
  console.log(`  ${ratio}; target p99 < ${TARGET_P99_MS} ms: ${met ? "MET" : "MISSED"} (the floor: ${meets(f) ? "met" : "missed"})`);
  const r = m.revalidated;
  if (r) console.log(`  revalidating    ${rate(r.rps).padStart(7)} req/s  p50 ${ms(r.p50).padStart(8)}  p99 ${ms(r.p99).padStart(8)}  max ${ms(r.max).padStart(8)}  ${r.notModified} of ${r.requests} answered 304 (If-None-Match: the ETag, a browser's next load; not the target's measurement)`);
  console.log(`  server peak RSS so far ${m.peakRssMB === undefined ? "n/a" : `${m.peakRssMB.toFixed(0)} MB`}; idle again ${fmtTime(m.drainMs)} after the load stopped`);
  return met;
}

// ── cold reads ────────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * The first request of each route after a change: another process (this one, through the store) appends an event,
 * which makes every cached answer stale; then each route once, one at a time. And the first read of a snapshot never
 * read before (its detail is kept by id once read). Prints the median and the slowest of `runs`.
 */
async function measureCold(url, { db, now, runs }) {
  const { openStore } = await import(join(DIST, "store", "open-store.js"));
  const store = await openStore(db, { at: now });
  const times = new Map();
  const add = (label, ms) => times.set(label, [...(times.get(label) ?? []), ms]);
  try {
    for (let run = 0; run < runs; run++) {
      await store.appendEvent({ at: now, type: "bench.cold", data: { run } });
      for (const route of ROUTES) {
        const answer = await rawGet(`${url}${route.path}`);
        if (answer.status !== 200) throw new Error(`cold GET ${route.path}: status ${answer.status}`);
        add(`GET ${route.path}`, answer.ms);
      }
      const fresh = await rawGet(`${url}/api/snapshots/latest~${100 + run}`);
      if (fresh.status !== 200) throw new Error(`cold GET /api/snapshots/latest~${100 + run}: status ${fresh.status}`);
      add("GET /api/snapshots/latest~N (a snapshot not read before)", fresh.ms);
    }
  } finally {
    await store.close();
  }
  console.log(`\ncold: the first request after an event appended by another process (${runs} runs, one request at a time)`);
  const out = [];
  for (const [label, list] of times) {
    const sorted = [...list].sort((a, b) => a - b);
    const med = sorted[sorted.length >> 1];
    const max = sorted[sorted.length - 1];
    console.log(`  ${label.padEnd(58)} median ${ms(med).padStart(8)}  slowest ${ms(max).padStart(8)}`);
    out.push({ route: label, medianMs: med, maxMs: max });
  }
  return out;
}

// ── profile (BENCH_PROFILE=1) ─────────────────────────────────────────────────────────────────────────────────────


async function profileRoutes(routes, { serveArgs, env, connections, duration }) {
  const out = join(ROOT, "bench", ".data", "serve", "profile");
  for (const route of routes) {
    const dir = join(out, route.replace(/\W+/g, "_").replace(/^_/, ""));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const server = await startServer(["--cpu-prof", "--cpu-prof-dir", dir, ...serveArgs], { env, pattern: /shipgate serve: (\S+)/ });
    try {
      await load(`${server.url}${route}`, { connections: 1, duration: 1 });
      await load(`${server.url}${route}`, { connections, duration });
      await waitIdle(server.url);
    } finally {
      await stopServer(server.child, "SIGINT");
    }
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    console.log(`\nprofile of GET ${route} (${connections} connections, ${duration} s, then drained)`);
    if (file) printCpuProfile(join(dir, file), { root: ROOT });
    else console.log(`  no profile written (${server.stderr().slice(-300)})`);
  }
}

// ── main ──────────────────────────────────────────────────────────────────────────────────────────────────────────

/** The generator's clock: noon (UTC) of the day of the newest event — the `NOW` of bench/track.mjs. */
async function storeNow(db) {
  const { default: Database } = await import("better-sqlite3");
  const sqlite = new Database(db, { readonly: true });
  try {
    // The cold reads' events (stamped with this clock) do not move it: a reused store gives the same clock every run.
    const newest = sqlite.prepare("SELECT max(at) AS at FROM event WHERE type <> 'bench.cold'").get().at;
    const noon = Date.parse(`${newest.slice(0, 10)}T12:00:00.000Z`);
    return new Date(Date.parse(newest) < noon ? noon : noon + 86_400_000).toISOString();
  } finally {
    sqlite.close();
  }
}

function positive(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

async function main() {
  const duration = positive("BENCH_DURATION", 10);
  const connections = positive("BENCH_CONNECTIONS", 50);
  const warmup = positive("BENCH_WARMUP", 2);
  if (!duration || !connections || !warmup) return fail("BENCH_DURATION, BENCH_CONNECTIONS and BENCH_WARMUP must be positive numbers");
  if (!existsSync(BIN)) return fail(`${BIN} is missing: run \`npm run build\` first`);
  printMachine(1);
  const work = mkdtempSync(join(tmpdir(), "shipgate-bench-serve-"));
  const servers = [];
  let failed = false;
  try {
    let dir = process.env.BENCH_SERVE_STORE;
    if (dir) {
      if (!existsSync(join(dir, "shipgate.db"))) return fail(`BENCH_SERVE_STORE=${dir} holds no shipgate.db: write one with \`node bench/track.mjs generate ${dir}\``);
      console.log(`\nstore: ${join(dir, "shipgate.db")} (BENCH_SERVE_STORE, reused)`);
    } else {
      dir = join(work, "store");
      const started = performance.now();
      const gen = spawnSync(process.execPath, [TRACK, "generate", dir, "1"], { encoding: "utf8", env: { ...process.env, SHIPGATE_BENCH_DIST: DIST } });
      if (gen.status !== 0) return fail(`bench/track.mjs generate failed (exit ${gen.status}): ${gen.stderr.slice(-400)}`);
      console.log(`\ngenerated ${join(dir, "shipgate.db")} with bench/track.mjs in ${fmtTime(performance.now() - started)} (not measured)`);
      process.stdout.write(gen.stdout);
    }
    const db = join(dir, "shipgate.db");
    const now = process.env.SHIPGATE_NOW ?? (await storeNow(db));
    const tokenFile = join(work, "token");
    writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
    const serveArgs = [BIN, "serve", "--port", "0", "--host", "127.0.0.1", "--db", db, "--cwd", dir, "--token-file", tokenFile];
    const env = { SHIPGATE_NOW: now, NO_COLOR: "1" };
    console.log(`SHIPGATE_NOW=${now}; ${connections} connections, ${duration} s per route after a ${warmup} s warm-up on one connection (autocannon)`);

    const shipgate = await startServer(serveArgs, { env, pattern: /shipgate serve: (\S+)/ });
    servers.push(shipgate.child);
    const startRss = peakRssMB(shipgate.child.pid);

    // The answers the floor serves: the server's own bytes, fetched once (and checked).
    const answers = join(work, "answers");
    mkdirSync(answers);
    const index = [];
    const sizes = new Map();
    console.log(`every request sends Accept-Encoding: ${ACCEPT_ENCODING} (as a browser does)`);
    for (const [i, route] of ROUTES.entries()) {
      const res = await rawGet(`${shipgate.url}${route.path}`);
      const body = decoded(res);
      const problem = res.status !== 200 ? `status ${res.status}: ${body.toString("utf8").slice(0, 300)}` : route.check(body.toString("utf8"));
      if (problem) {
        console.log(`GET ${route.path}: FAILED — ${problem}`);
        failed = true;
        continue;
      }
      const encoding = res.headers["content-encoding"];
      writeFileSync(join(answers, `${i}`), res.wire);
      index.push({ path: route.path, type: res.headers["content-type"], encoding, file: `${i}` });
      sizes.set(route.path, { bytes: body.length, wire: res.wire.length, encoding, etag: res.headers.etag });
    }
    writeFileSync(join(answers, "routes.json"), JSON.stringify(index));
    const floorServer = await startServer([SELF, "floor", answers], { pattern: /floor: (\S+)/ });
    servers.push(floorServer.child);

    const results = [];
    const missed = [];
    for (const route of ROUTES.filter((r) => sizes.has(r.path))) {
      const m = await measureRoute(route, { shipgate, floorUrl: floorServer.url, connections, duration, warmup, answer: sizes.get(route.path) });
      if (!printRoute(m, sizes.get(route.path))) missed.push(route.path);
      if (m.shipgate.requests === 0 || m.shipgate.non2xx > 0) failed = true;
      results.push({ ...m, ...sizes.get(route.path) });
    }
    const cold = await measureCold(shipgate.url, { db, now, runs: positive("BENCH_COLD_RUNS", 3) ?? 3 });
    // The dashboard on the same server and store: cold first load in Chromium, and its bundle.
    let dashboard = null;
    if (existsSync(join(DIST, "web", "index.html"))) {
      const { measureFirstLoad, bundleSizes, printDashboardLoad } = await import("./dashboard-load.mjs");
      try {
        const load = await measureFirstLoad(shipgate.url, { runs: positive("BENCH_RUNS", 5) ?? 5 });
        const bundle = bundleSizes(join(DIST, "web"));
        if (!printDashboardLoad(load, bundle)) missed.push("dashboard first load");
        dashboard = { ...load, bundle };
      } catch (error) {
        console.log(`\ndashboard first load: FAILED — ${error.message.split("\n")[0]}`);
        failed = true;
      }
    } else console.log(`\ndashboard first load: not measured — ${join(DIST, "web")} is not built (npm run build)`);
    const peak = peakRssMB(shipgate.child.pid);
    const floorPeak = peakRssMB(floorServer.child.pid);
    console.log(`\nshipgate serve peak RSS: ${peak?.toFixed(0) ?? "n/a"} MB (${startRss?.toFixed(0) ?? "n/a"} MB once listening); floor server ${floorPeak?.toFixed(0) ?? "n/a"} MB`);
    console.log(`target p99 < ${TARGET_P99_MS} ms at ${connections} connections: ${missed.length === 0 ? "MET on every route" : `MISSED on ${missed.join(", ")}`}`);
    const data = join(ROOT, "bench", ".data");
    mkdirSync(data, { recursive: true });
    writeFileSync(join(data, "serve-results.json"), `${JSON.stringify({ now, connections, duration, results, cold, dashboard, peakRssMB: peak, floorPeakRssMB: floorPeak }, null, 2)}\n`);
    await Promise.all(servers.splice(0).map((child) => stopServer(child)));

    if (process.env.BENCH_PROFILE && missed.length > 0) await profileRoutes(missed.filter((path) => path.startsWith("/")), { serveArgs, env, connections, duration });
    else if (missed.length > 0) console.log("BENCH_PROFILE=1 profiles the routes that missed (node --cpu-prof on the server)");
  } finally {
    await Promise.all(servers.map((child) => stopServer(child)));
    rmSync(work, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

if (process.argv[2] === "floor") floor(process.argv[3]);
else process.exitCode = await main().catch((error) => fail(error.message));
