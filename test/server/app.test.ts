import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiError, GatesResponse, RunView, SnapshotDetailResponse, SnapshotListResponse, TaskRecord, TaskResponse, Tracker } from "../../src/server/api-types.js";
import { SAFE_METHODS } from "../../src/server/auth.js";
import { CACHE_TTL_MS } from "../../src/server/cache.js";
import { PROGRAM } from "../track/program.js";
import { shipgate } from "../cli/run-cli.js";
import { programServer, TOKEN, type ProgramServer } from "./app-helpers.js";

const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

/** A concrete path for a route pattern (`:id` → a value of the program). */
const concrete = (path: string) => path.replace(/:id|:name|:ref/g, (p) => (p === ":name" ? "main" : p === ":ref" ? "latest" : "T14"));

describe("shipgate serve's API on the three-week program", () => {
  let s: ProgramServer;
  beforeAll(async () => {
    s = await programServer();
  });
  afterAll(async () => s.dispose());

  it("lists snapshots newest first with score and level, and honours limit", async () => {
    const response = await s.app.request("/api/snapshots?limit=3");
    expect(response.status).toBe(200);
    const rows = await json<SnapshotListResponse>(response);
    expect(rows.map((r) => [r.takenAt.slice(0, 10), r.score, r.level])).toEqual([
      ["2026-11-13", 72, "CONDITIONAL_READY"],
      ["2026-11-12", 68, "NEEDS_IMPROVEMENT"],
      ["2026-11-11", 64, "NEEDS_IMPROVEMENT"],
    ]);
    expect(await json<SnapshotListResponse>(await s.app.request("/api/snapshots?branch=nope"))).toEqual([]);
  });

  it("gives a snapshot's detail by id and as latest", async () => {
    const latest = await json<SnapshotDetailResponse>(await s.app.request("/api/snapshots/latest"));
    expect(latest.summary.score).toBe(72);
    const byId = await json<SnapshotDetailResponse>(await s.app.request(`/api/snapshots/${latest.summary.snapshot.id ?? 0}`));
    expect(byId.summary.snapshot.id).toBe(latest.summary.snapshot.id);
    expect(byId).toMatchObject({ tests: [], coverageFiles: [], findings: [] });
  });

  it("gives the stored plan, the tasks by state and the runs", async () => {
    const plan = await json<{ source: string }>(await s.app.request("/api/plan"));
    expect(plan.source).toMatch(/plan-v2\.yaml$/);
    const blocked = await json<TaskRecord[]>(await s.app.request("/api/tasks?state=blocked"));
    expect(blocked.map((t) => [t.id, t.claimedBy, t.note])).toEqual([["T12", "claude", "flaky CI on the integration job"]]);
    const open = await json<RunView[]>(await s.app.request("/api/runs?open=true"));
    expect(open.map((r) => [r.task, r.agent, r.outcome])).toEqual([["T13", "claude", null]]);
    const t02 = await json<RunView[]>(await s.app.request("/api/runs?task=T02"));
    expect(t02.map((r) => r.outcome)).toEqual(["failed", "done"]);
  });

  it("gives the tracker of today and of a past day (trackProgram)", async () => {
    const today = await json<Tracker>(await s.app.request("/api/tracker"));
    const past = await json<Tracker>(await s.app.request("/api/tracker?asOf=2026-11-05"));
    expect(today.asOf).toBe("2026-11-13");
    expect(past.asOf).toBe("2026-11-05");
  });

  it("lists events after an id, by type, with a limit", async () => {
    const first = await json<{ id: number; type: string }[]>(await s.app.request("/api/events?limit=2"));
    expect(first).toHaveLength(2);
    const after = await json<{ id: number }[]>(await s.app.request(`/api/events?afterId=${first[1]?.id ?? 0}&limit=1`));
    expect(after[0]?.id).toBeGreaterThan(first[1]?.id ?? 0);
    const risks = await json<{ type: string; subject: string }[]>(await s.app.request("/api/events?type=risk.updated"));
    expect(risks.map((e) => [e.type, e.subject])).toEqual([["risk.updated", "R1"]]);
  });

  it("answers bad parameters, unknown ids and unknown routes with a 4xx and a code, never a 500", async () => {
    const cases: [string, number, string][] = [
      ["/api/snapshots?limit=abc", 400, "USAGE"],
      ["/api/snapshots?limit=0", 400, "USAGE"],
      ["/api/snapshots?limit=99999999999999999999", 400, "USAGE"],
      ["/api/snapshots/9999", 404, "NOT_FOUND"],
      ["/api/snapshots/newest", 400, "USAGE"],
      ["/api/diff?a=latest~99", 404, "NOT_FOUND"],
      ["/api/tasks?state=sleeping", 400, "USAGE"],
      ["/api/runs?open=maybe", 400, "USAGE"],
      ["/api/runs/abc/log", 400, "USAGE"],
      ["/api/runs/999/log", 404, "NOT_FOUND"],
      ["/api/tracker?asOf=2026-13-45", 400, "USAGE"],
      ["/api/events?afterId=-1", 400, "USAGE"],
      ["/api/nothing-here", 404, "NOT_FOUND"],
    ];
    for (const [path, status, code] of cases) {
      const response = await s.app.request(path);
      const payload = await json<ApiError>(response);
      expect([path, response.status, payload.error.code]).toEqual([path, status, code]);
      expect(payload.error.message).toMatch(/^\[server\] /);
    }
  });
});

describe("mutations need the token", () => {
  let s: ProgramServer;
  beforeAll(async () => {
    s = await programServer();
  });
  afterAll(async () => s.dispose());

  it("every route that is not GET/HEAD/OPTIONS refuses a request without the token, or with a wrong one (the app's routes enumerated)", async () => {
    // Middleware (app.use) is registered as ALL on a wildcard path; a route registered with app.all is sent as POST.
    const mutations = s.app.routes
      .filter((r) => !SAFE_METHODS.has(r.method) && r.path.startsWith("/api/") && !r.path.endsWith("*"))
      .map((r) => ({ method: r.method === "ALL" ? "POST" : r.method, path: r.path }));
    // The five kinds of change the API offers: task moves (5), cancel a run, set a baseline, a risk's status.
    expect(mutations.map((r) => `${r.method} ${r.path}`).sort()).toEqual(
      [
        "POST /api/tasks/:id/start",
        "POST /api/tasks/:id/done",
        "POST /api/tasks/:id/fail",
        "POST /api/tasks/:id/block",
        "POST /api/tasks/:id/reset",
        "POST /api/runs/:id/cancel",
        "PUT /api/baselines/:name",
        "POST /api/risks/:id",
      ].sort(),
    );
    const before = (await s.store.listEvents()).length;
    for (const route of mutations) {
      for (const headers of [{}, { Authorization: "Bearer wrong-token-0123456789abcdef" }, { Authorization: TOKEN }, { Authorization: `Basic ${TOKEN}` }] as Record<string, string>[]) {
        const response = await s.app.request(concrete(route.path), { method: route.method, headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify({ agent: "alice", reason: "r", status: "closed" }) });
        expect([route.path, response.status, (await json<ApiError>(response)).error.code]).toEqual([route.path, 401, "UNAUTHORIZED"]);
      }
    }
    // A method no route has is refused too, before it is routed.
    expect((await s.app.request("/api/tasks", { method: "DELETE" })).status).toBe(401);
    expect((await s.store.listEvents()).length).toBe(before);
  });

  it("accepts each mutation with the token", async () => {
    const block = await s.authed("/api/tasks/T14/block", { method: "POST", body: JSON.stringify({ agent: "alice", reason: "waiting on review" }) });
    expect(block.status).toBe(200);
    expect((await json<TaskResponse>(block)).task).toMatchObject({ id: "T14", state: "blocked", note: "waiting on review" });
    const reset = await s.authed("/api/tasks/T14/reset", { method: "POST", body: JSON.stringify({ agent: "alice" }) });
    expect((await json<TaskResponse>(reset)).task.state).toBe("pending");
    const start = await s.authed("/api/tasks/T15/start", { method: "POST", body: JSON.stringify({ agent: "alice" }) });
    expect((await json<TaskResponse>(start)).task).toMatchObject({ state: "in_progress", claimedBy: "alice" });
    const done = await s.authed("/api/tasks/T15/done", { method: "POST", body: JSON.stringify({ agent: "alice" }) });
    expect(await json<TaskResponse>(done)).toMatchObject({ task: { state: "done" }, acceptance: "none" });
    const fail = await s.authed("/api/tasks/T16/fail", { method: "POST", body: JSON.stringify({ agent: "alice", reason: "x" }) });
    // pending → failed is not a move the queue allows: a 409 with the store's code.
    expect([fail.status, (await json<ApiError>(fail)).error.code]).toEqual([409, "INVALID_TRANSITION"]);

    const [open] = await s.store.listRuns({ open: true });
    const cancel = await s.authed(`/api/runs/${open?.id ?? 0}/cancel`, { method: "POST", body: JSON.stringify({ reason: "stale lease" }) });
    expect(await json<RunView>(cancel)).toMatchObject({ task: "T13", outcome: "cancelled", note: "stale lease" });
    expect((await s.store.getTask("T13"))?.state).toBe("pending");
    const again = await s.authed(`/api/runs/${open?.id ?? 0}/cancel`, { method: "POST" });
    expect([again.status, (await json<ApiError>(again)).error.code]).toEqual([409, "INVALID_TRANSITION"]);

    const baseline = await s.authed("/api/baselines/release-1", { method: "PUT", body: JSON.stringify({ snapshot: "latest~1" }) });
    expect(await json<{ name: string; snapshotId: number }>(baseline)).toMatchObject({ name: "release-1", snapshotId: ((await s.store.listSnapshots({ limit: 2 }))[1]?.id ?? 0) });

    const risk = await s.authed("/api/risks/R2", { method: "POST", body: JSON.stringify({ status: "accepted", note: "retries in CI", by: "alice" }) });
    expect(await json<{ previous: string; risk: { id: string; status: string } }>(risk)).toMatchObject({ previous: "open", risk: { id: "R2", status: "accepted" } });
    const unknownRisk = await s.authed("/api/risks/R9", { method: "POST", body: JSON.stringify({ status: "closed" }) });
    expect([unknownRisk.status, (await json<ApiError>(unknownRisk)).error.code]).toEqual([404, "NOT_FOUND"]);
  });

  it("refuses malformed JSON, unknown fields, wrong types and oversized bodies with a 4xx and a code", async () => {
    const cases: [string, string, string | undefined, number, string][] = [
      ["POST", "/api/tasks/T16/block", "{not json", 400, "USAGE"],
      ["POST", "/api/tasks/T16/block", "[1,2", 400, "USAGE"],
      ["POST", "/api/tasks/T16/block", JSON.stringify({ agent: "alice", reason: 7 }), 400, "USAGE"],
      ["POST", "/api/tasks/T16/block", JSON.stringify({ agent: "alice", reason: "r", extra: true }), 400, "USAGE"],
      ["POST", "/api/tasks/T16/block", JSON.stringify({ agent: "alice" }), 400, "USAGE"],
      ["POST", "/api/tasks/T16/start", JSON.stringify({}), 400, "USAGE"],
      ["POST", "/api/tasks/NOPE/block", JSON.stringify({ agent: "alice", reason: "r" }), 404, "NOT_FOUND"],
      ["POST", "/api/runs/abc/cancel", undefined, 400, "USAGE"],
      ["POST", "/api/runs/999/cancel", undefined, 404, "NOT_FOUND"],
      ["PUT", "/api/baselines/main", JSON.stringify({ snapshot: "yesterday" }), 400, "USAGE"],
      ["PUT", "/api/baselines/main", JSON.stringify({ snapshot: 999 }), 404, "NOT_FOUND"],
      ["POST", "/api/risks/R1", JSON.stringify({ status: "gone" }), 400, "USAGE"],
      ["POST", "/api/risks/R1", "x".repeat(70_000), 413, "PAYLOAD_TOO_LARGE"],
    ];
    for (const [method, path, body, status, code] of cases) {
      const response = await s.authed(path, { method, ...(body === undefined ? {} : { body }) });
      const payload = await json<ApiError>(response);
      expect([method, path, response.status, payload.error.code]).toEqual([method, path, status, code]);
    }
  });
});

describe("a run's log", () => {
  let s: ProgramServer;
  beforeAll(async () => {
    s = await programServer();
  });
  afterAll(async () => s.dispose());

  const setLog = async (log: string) => {
    const [open] = await s.store.listRuns({ open: true });
    if (!open) throw new Error("no open run");
    await s.store.heartbeat(open.id, open.epoch, 3_600_000, { at: "2026-11-13T16:00:30.000Z", log });
    return open.id;
  };

  it("is streamed from .shipgate/runs/, whole or its tail", async () => {
    writeFileSync(join(s.dir, ".shipgate/runs/7.log"), "one\ntwo\nthree\n");
    const id = await setLog(".shipgate/runs/7.log");
    const whole = await s.app.request(`/api/runs/${id}/log`);
    expect([whole.status, whole.headers.get("content-type"), await whole.text()]).toEqual([200, "text/plain; charset=utf-8", "one\ntwo\nthree\n"]);
    expect(await (await s.app.request(`/api/runs/${id}/log?tail=1`)).text()).toBe("three\n");
  });

  it("cannot escape .shipgate/runs/: .. paths, absolute paths and symlinks that point out are refused", async () => {
    writeFileSync(join(s.dir, "secret.txt"), "secret\n");
    mkdirSync(join(s.dir, ".shipgate/runs/sub"), { recursive: true });
    symlinkSync(join(s.dir, "secret.txt"), join(s.dir, ".shipgate/runs/link.log"));
    for (const log of [".shipgate/runs/../../secret.txt", "secret.txt", join(s.dir, "secret.txt"), "/etc/passwd", ".shipgate/runs/link.log", ".shipgate/runs/sub/../../shipgate.db"]) {
      const id = await setLog(log);
      const response = await s.app.request(`/api/runs/${id}/log`);
      const text = await response.text();
      expect([log, response.status, (JSON.parse(text) as ApiError).error.code]).toEqual([log, 400, "USAGE"]);
      expect(text).not.toContain("secret\n");
    }
  });
});

describe("the app's edges", () => {
  it("/metrics serves the store's metrics in Prometheus' text format, and a given renderer's text when given", async () => {
    const served = await programServer({ renderMetrics: undefined });
    try {
      const response = await served.app.request("/metrics");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
      expect(await response.text()).toMatch(/^shipgate_readiness_score 72$/m);
    } finally {
      await served.dispose();
    }
    const given = await programServer({ renderMetrics: (_store, { now }) => Promise.resolve({ contentType: "text/plain; version=0.0.4", body: `# at ${now}\n` }) });
    try {
      const response = await given.app.request("/metrics");
      expect([response.status, response.headers.get("content-type"), await response.text()]).toEqual([200, "text/plain; version=0.0.4", "# at 2026-11-13T20:00:00.000Z\n"]);
    } finally {
      await given.dispose();
    }
  });

  it("sends no CORS header unless origins are configured", async () => {
    const closed = await programServer();
    const open = await programServer({ corsOrigins: ["http://localhost:5173"] });
    try {
      const headers = { Origin: "http://localhost:5173" };
      expect((await closed.app.request("/api/tasks", { headers })).headers.get("access-control-allow-origin")).toBeNull();
      expect((await open.app.request("/api/tasks", { headers })).headers.get("access-control-allow-origin")).toBe("http://localhost:5173");
      expect((await open.app.request("/api/tasks", { headers: { Origin: "http://evil.example" } })).headers.get("access-control-allow-origin")).toBeNull();
    } finally {
      await closed.dispose();
      await open.dispose();
    }
  });

  it("answers a bug with 500 INTERNAL and no detail, and hands the error to onInternalError", async () => {
    const seen: unknown[] = [];
    const s = await programServer({ onInternalError: (error) => seen.push(error), renderMetrics: () => Promise.reject(new Error("boom at /secret/path")) });
    try {
      const response = await s.app.request("/metrics");
      const text = await response.text();
      expect([response.status, (JSON.parse(text) as ApiError).error.code]).toEqual([500, "INTERNAL"]);
      expect(text).not.toContain("boom");
      expect(seen).toHaveLength(1);
    } finally {
      await s.dispose();
    }
  });
});

describe("cached reads (src/server/cache.ts)", () => {
  const CACHED = ["/api/tasks", "/api/tracker", "/metrics", "/api/snapshots/latest", "/api/snapshots?limit=5", "/api/plan"];

  it("answer If-None-Match with the ETag by a 304 without a body, and gzip (Vary: Accept-Encoding) that decodes to the same bytes", async () => {
    const s = await programServer();
    try {
      for (const path of CACHED) {
        const plain = await s.app.request(path);
        const etag = plain.headers.get("etag") ?? "";
        const bytes = Buffer.from(await plain.arrayBuffer());
        expect([path, plain.status, etag, plain.headers.get("vary"), plain.headers.get("cache-control")]).toEqual([path, 200, expect.stringMatching(/^W\/"[\w-]+"$/), "Accept-Encoding", "no-cache"]);
        const again = await s.app.request(path, { headers: { "If-None-Match": etag } });
        expect([path, again.status, (await again.arrayBuffer()).byteLength, again.headers.get("etag")]).toEqual([path, 304, 0, etag]);
        const gz = await s.app.request(path, { headers: { "Accept-Encoding": "gzip, deflate, br, zstd" } });
        const wire = Buffer.from(await gz.arrayBuffer());
        const decoded = gz.headers.get("content-encoding") === "gzip" ? gunzipSync(wire) : wire;
        expect([path, gz.headers.get("etag"), decoded.equals(bytes)]).toEqual([path, etag, true]);
        if (bytes.length >= 1024) expect([path, gz.headers.get("content-encoding"), wire.length < bytes.length]).toEqual([path, "gzip", true]);
      }
      const tasks = JSON.parse(Buffer.from(await (await s.app.request("/api/tasks")).arrayBuffer()).toString("utf8")) as TaskRecord[];
      expect(tasks.length).toBe(15);
    } finally {
      await s.dispose();
    }
  });

  it("show a task moved through the CLI (another process, one more event) in /api/tasks and /metrics at once", async () => {
    const s = await programServer();
    try {
      const blocked = async () => (await json<TaskRecord[]>(await s.app.request("/api/tasks?state=blocked"))).map((t) => t.id);
      const metric = async () => /^shipgate_tasks\{state="blocked",agent_kind="human"\} (\d+)$/m.exec(await (await s.app.request("/metrics")).text())?.[1];
      const etag = (await s.app.request("/api/tasks")).headers.get("etag") ?? "";
      expect([await blocked(), await metric()]).toEqual([["T12"], "0"]);
      const before = await s.store.lastEventId();
      const cli = shipgate(["task", "block", "T16", "--reason", "waiting on the vendor", "--agent", "alice", "--cwd", s.dir, "--plan", join(s.dir, "plan-v2.yaml")], { env: { SHIPGATE_NOW: PROGRAM.now } });
      expect([cli.code, cli.stderr]).toEqual([0, ""]);
      expect(await s.store.lastEventId()).toBeGreaterThan(before);
      expect([await blocked(), await metric()]).toEqual([["T12", "T16"], "1"]);
      // The browser's copy is stale now: its ETag no longer matches.
      expect((await s.app.request("/api/tasks", { headers: { "If-None-Match": etag } })).status).toBe(200);
    } finally {
      await s.dispose();
    }
  });

  it("show a heartbeat (no event) and a lease going stale (no event, only time) within the TTL, on the app's clock", async () => {
    let clock: string = PROGRAM.now;
    const later = (ms: number) => (clock = new Date(Date.parse(clock) + ms).toISOString());
    const s = await programServer({ now: () => clock });
    try {
      const stale = async () => /^shipgate_leases_stale\{agent_kind="cli"\} (\d+)$/m.exec(await (await s.app.request("/metrics")).text())?.[1];
      // T13's 60 s lease ran out at 16:01; it is 20:00.
      expect(await stale()).toBe("1");
      const events = await s.store.lastEventId();
      const [run] = await s.store.listRuns({ open: true });
      await s.store.heartbeat(run?.id ?? 0, run?.epoch ?? 0, 600_000, { at: clock });
      later(CACHE_TTL_MS);
      expect(await stale()).toBe("0");
      later(600_000);
      expect(await stale()).toBe("1");
      expect(await s.store.lastEventId()).toBe(events);
    } finally {
      await s.dispose();
    }
  });

  it("regression: a read asked for its request body (the body limit), which on Node builds the whole fetch Request per GET", async () => {
    const s = await programServer();
    try {
      let bodyReads = 0;
      const request = new Request("http://localhost/api/snapshots/latest");
      const watched = new Proxy(request, {
        get(target, key) {
          if (key === "body") bodyReads++;
          const value = Reflect.get(target, key, target) as unknown;
          return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        },
      });
      expect((await s.app.fetch(watched)).status).toBe(200);
      expect(bodyReads).toBe(0);
      // A change still has its body limited.
      expect((await s.authed("/api/risks/R1", { method: "POST", body: "x".repeat(70_000) })).status).toBe(413);
    } finally {
      await s.dispose();
    }
  });

  it("are not kept with cacheTtlMs 0: every read computes", async () => {
    let renders = 0;
    const s = await programServer({ cacheTtlMs: 0, renderMetrics: () => Promise.resolve({ contentType: "text/plain", body: `# ${++renders}\n` }) });
    try {
      expect([await (await s.app.request("/metrics")).text(), await (await s.app.request("/metrics")).text()]).toEqual(["# 1\n", "# 2\n"]);
    } finally {
      await s.dispose();
    }
  });
});

describe("GET /api/gates", () => {
  it("lists the project's gates with their conditions and the last recorded verdict of each (null when none)", async () => {
    const s = await programServer();
    try {
      const response = await s.app.request("/api/gates");
      expect(response.status).toBe(200);
      const gates = await json<GatesResponse>(response);
      expect(gates.map((g) => [g.name, g.builtIn, g.conditions.length > 0, g.last])).toEqual([
        ["release", true, true, { verdict: "NO-GO", at: "2026-11-13T18:05:00.000Z", snapshotId: expect.any(Number) as number, failed: ["coverage.lines"] }],
        ["new-code", true, true, null],
      ]);
    } finally {
      await s.dispose();
    }
  });

  it("takes the gates of shipgate.yaml, and the newest of several verdicts", async () => {
    const s = await programServer();
    try {
      writeFileSync(join(s.dir, "shipgate.yaml"), "version: 1\ngates:\n  smoke:\n    conditions:\n      - tests.failed == 0\n");
      await s.store.appendEvent({ at: "2026-11-13T19:00:00.000Z", type: "gate.evaluated", subject: "snapshot:1", data: { gate: "release", verdict: "GO", baseline: null, failed: [] } });
      const gates = await json<GatesResponse>(await s.app.request("/api/gates"));
      expect(gates.map((g) => [g.name, g.builtIn, g.conditions.map((c) => c.id), g.last?.verdict ?? null])).toEqual([
        ["release", true, expect.any(Array) as string[], "GO"],
        ["new-code", true, expect.any(Array) as string[], null],
        ["smoke", false, ["tests.failed"], null],
      ]);
    } finally {
      await s.dispose();
    }
  });
});
