import { resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { except } from "hono/combine";
import { cors } from "hono/cors";
import { streamSSE } from "hono/streaming";
import { z } from "zod";
import type { RunCheck } from "../app/queue.js";
import { ShipgateError } from "../errors.js";
import { PLAN_FILE } from "../config/load-plan.js";
import { runView } from "../report/runs.js";
import type { Store, StoreEvent, TaskState } from "../store/types.js";
import type * as Api from "./api-types.js";
import { createTokenCheck, SAFE_METHODS } from "./auth.js";
import { createResponseCache, type ResponseCache } from "./cache.js";
import { cachedBody, cachedBodyBytes, cachedJson, sendCached, type CachedBody } from "./cached-body.js";
import { apiError, errorResponse } from "./errors.js";
import { dashboardRoutes } from "./dashboard.js";
import { createEventFeed, type EventFeed } from "./event-feed.js";
import { boolParam, dayParam, intParam, oneOf, snapshotParam } from "./params.js";
import { queueContext, serverPlanContent } from "./queue-context.js";

/** Renders /metrics (src/server/metrics.ts). */
export type RenderMetrics = (store: Store, options: { now: string }) => Promise<{ contentType: string; body: string }>;

export interface CreateAppOptions {
  store: Store;
  /** The project's checkout: its plan file, shipgate.yaml, `.shipgate/runs/` logs; acceptance runs here. */
  cwd: string;
  /** The bearer token every mutation needs. */
  token: string;
  /** The clock (ISO 8601); SHIPGATE_NOW or the system's. */
  now: () => string;
  /** The plan file (default shipgate.plan.yaml under cwd). */
  planFile?: string;
  /** shipgate.yaml (default under cwd; optional). */
  configFile?: string;
  /** Origins allowed to call the API from a browser; none (the default): no CORS header at all. */
  corsOrigins?: string[];
  /** Largest request body in bytes (default 64 KiB). */
  maxBodyBytes?: number;
  /** How often the event stream reads the store (default 250 ms). */
  pollMs?: number;
  /**
   * Events queued for one event-stream client at most (default 5 000); past that its stream ends after what is queued
   * and the client resumes with Last-Event-ID.
   */
  maxQueuedEvents?: number;
  /** Heartbeat comment interval of the event stream (default 15 s). */
  heartbeatMs?: number;
  /** Runs acceptance and ready_when (default: the plan's commands through exec/run-command, as the CLI). */
  runCheck?: RunCheck;
  /** Called with an error that is a bug (answered 500 INTERNAL without detail); `shipgate serve` prints it on stderr. */
  onInternalError?: (error: unknown) => void;
  /** /metrics; default: src/server/metrics.ts. */
  renderMetrics?: RenderMetrics;
  /**
   * Host header names answered (without the port); others get 403 FORBIDDEN_HOST. `shipgate serve` sets them on
   * loopback so a page on another site cannot read the API through DNS rebinding. Default: any.
   */
  allowedHosts?: string[];
  /** The built dashboard served at `/` (default dist/web, written by `npm run build`); false: none. */
  dashboardDir?: string | false;
  /**
   * How long a cached read (/metrics, /api/tracker, /api/tasks, /api/plan, /api/snapshots…) is served while the store
   * appends no event, in ms (default 10 000: src/server/cache.ts). An entry expires when the wall clock or `now`
   * moved that far (a test moving its clock expires entries without sleeping). 0 turns the cache off.
   */
  cacheTtlMs?: number;
}

export interface ShipgateApp {
  app: Hono;
  /** Stops the event stream's poller (the store is the caller's to close). */
  close: () => void;
}

const TASK_STATES: readonly TaskState[] = ["pending", "in_progress", "done", "failed", "blocked"];

const taskStart = z.strictObject({ agent: z.string().min(1), force: z.boolean().optional(), any: z.boolean().optional(), reason: z.string().optional() });
const taskDone = z.strictObject({ agent: z.string().min(1).nullable().optional(), force: z.boolean().optional(), reason: z.string().optional() });
const taskMove = z.strictObject({ agent: z.string().min(1).nullable().optional(), reason: z.string().optional(), any: z.boolean().optional() });
const runCancel = z.strictObject({ reason: z.string().optional() });
const baselineSet = z.strictObject({ snapshot: z.union([z.string(), z.number().int().nonnegative()]).optional() });
const riskSet = z.strictObject({ status: z.enum(["open", "mitigated", "accepted", "closed"]), note: z.string().optional(), by: z.string().min(1).optional() });

/** The request's JSON body, checked against `schema`: USAGE naming the field otherwise. An empty body is `{}`. */
async function body<T>(c: Context, schema: z.ZodType<T>): Promise<T> {
  const text = await c.req.text();
  let value: unknown = {};
  if (text.trim() !== "") {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new ShipgateError("USAGE", `[server] the request body is not JSON: ${(error as Error).message}`, { hint: "send a JSON object with Content-Type: application/json" });
    }
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join(".") : "body";
    throw new ShipgateError("USAGE", `[server] ${where}: ${issue?.message ?? "invalid"}`, { hint: "see docs/serve.md for the request's fields" });
  }
  return parsed.data;
}

/** Hono's app for `shipgate serve`: parse → use case → JSON. Routes and their shapes: api-types.ts, docs/serve.md. */
export function createApp(options: CreateAppOptions): ShipgateApp {
  const { store, cwd, now } = options;
  const queue = { store, cwd, now, planFile: options.planFile ?? resolve(cwd, PLAN_FILE), ...(options.runCheck ? { runCheck: options.runCheck } : {}) };
  const checkToken = createTokenCheck(options.token);
  const feed: EventFeed = createEventFeed(store, { pollMs: options.pollMs ?? 250 });
  const app = new Hono();
  const caches = createReadCaches(store, now, options.cacheTtlMs);

  app.onError((error, c) => {
    const { status, body: payload } = errorResponse(error);
    if (payload.error.code === "INTERNAL") options.onInternalError?.(error);
    return c.json(payload, status as 500);
  });
  app.notFound((c) => c.json(apiError("NOT_FOUND", `[server] no route ${c.req.method} ${c.req.path}`, "the routes are listed in docs/serve.md"), 404));

  if (options.allowedHosts) {
    const allowed = new Set(options.allowedHosts.map((h) => h.toLowerCase().replace(/^\[(.*)\]$/, "$1")));
    app.use("*", async (c, next) => {
      const name = hostName(c.req.header("Host") ?? "");
      if (allowed.has(name)) return next();
      return c.json(apiError("FORBIDDEN_HOST", `[server] this server answers only requests for ${[...allowed].join(", ")} (Host: ${name.slice(0, 60) || "none"})`, "reach it as http://127.0.0.1:PORT/, or start it with --allow-host NAME (a reverse proxy's name)"), 403);
    });
  }
  if (options.corsOrigins && options.corsOrigins.length > 0) app.use("/api/*", cors({ origin: options.corsOrigins, allowHeaders: ["Authorization", "Content-Type", "Last-Event-ID"] }));
  // Every method that may change something needs the token, whatever the route: a new mutation route cannot skip it.
  app.use("*", async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    if (!checkToken(c.req.header("Authorization"))) {
      return c.json(apiError("UNAUTHORIZED", "[server] this request changes the store and needs the server's token", "send Authorization: Bearer <token> (the token is in .shipgate/token, or the --token-file the server was started with)"), 401);
    }
    return next();
  });
  // Hono answers HEAD by running the GET route and dropping its body without cancelling it: a streamed body (the event
  // stream, a run log) would keep its listener or open file for good. Cancel it; HEAD answers the headers only.
  app.use("*", async (c, next) => {
    await next();
    if (c.req.method === "HEAD" && c.res.body) void c.res.body.cancel().catch(() => undefined);
  });
  // A change through the API is seen by the next read at once (its event moves the id too; this needs no query).
  app.use("*", async (c, next) => {
    await next();
    if (!SAFE_METHODS.has(c.req.method)) caches.invalidate();
  });
  const limitBody = bodyLimit({
    maxSize: options.maxBodyBytes ?? 64 * 1024,
    onError: (c) => c.json(apiError("PAYLOAD_TOO_LARGE", `[server] the request body is larger than ${options.maxBodyBytes ?? 64 * 1024} bytes`, "send a smaller body"), 413),
  });
  // Reads never read a body; asking for one (`c.req.raw.body`) builds the whole fetch Request on Node, per GET.
  app.use("*", except((c) => SAFE_METHODS.has(c.req.method), limitBody));

  // ── Reads ──
  app.get("/api/snapshots", async (c) => {
    const limit = intParam(c.req.query("limit"), "limit", { max: 1000, fallback: 20 });
    const branch = c.req.query("branch");
    return caches.send(c, caches.snapshots, `${limit}|${branch ?? ""}`, async () => {
      const records = await store.listSnapshots({ ...(limit === undefined ? {} : { limit }), ...(branch ? { branch } : {}) });
      return cachedJson(records.map(snapshotListItem) satisfies Api.SnapshotListResponse);
    });
  });
  app.get("/api/snapshots/:ref", async (c) => {
    const ref = c.req.param("ref");
    return caches.send(c, caches.snapshotRefs, ref, async () => {
      const record = await snapshotParam(store, ref, "snapshot");
      // A stored snapshot never changes: its detail is kept by id, whatever names it (latest, latest~1, its id).
      return caches.snapshotDetails.get(String(record.id), async () => {
        const [{ loadStoredSummary }, tests, findings] = await Promise.all([import("../app/stored-summary.js"), store.getTestResults(record.id), store.getFindings(record.id)]);
        const { summary } = await loadStoredSummary(store, record);
        const coverageFiles = await store.getCoverageFiles(record.id);
        return cachedJson({ summary, tests, coverageFiles, findings } satisfies Api.SnapshotDetailResponse);
      });
    });
  });
  app.get("/api/diff", async (c) => {
    const [from, to] = await Promise.all([snapshotParam(store, c.req.query("a") ?? "latest~1", "a"), snapshotParam(store, c.req.query("b") ?? "latest", "b")]);
    const detail = async (snapshot: typeof from) => {
      const [tests, coverageFiles, findings] = await Promise.all([store.getTestResults(snapshot.id), store.getCoverageFiles(snapshot.id), store.getFindings(snapshot.id)]);
      return { snapshot, tests, coverageFiles, findings };
    };
    const { diffSnapshots } = await import("../snapshot/diff.js");
    return c.json(diffSnapshots(await detail(from), await detail(to)) satisfies Api.DiffResponse);
  });
  app.get("/api/gate", async (c) => {
    const [{ runGate }, { loadConfig, CONFIG_FILE }, { parseBaselineSpec }] = await Promise.all([import("../app/run-gate.js"), import("../config/load-config.js"), import("../gate/baseline-spec.js")]);
    const snapshotRef = c.req.query("snapshot");
    const snapshot = snapshotRef === undefined ? undefined : await snapshotParam(store, snapshotRef, "snapshot");
    const baseline = c.req.query("baseline");
    const parsed = baseline === undefined ? undefined : parseBaselineSpec(baseline);
    if (parsed && "error" in parsed) throw new ShipgateError("USAGE", `[server] baseline ${parsed.error}`);
    const today = dayParam(c.req.query("date"), "date");
    // Cached like the other reads: a dashboard tab re-reads every gate on each snapshot or verdict event.
    return caches.send(c, caches.gate, new URL(c.req.url).search, async () => {
      const config = await loadConfig(options.configFile ?? resolve(cwd, CONFIG_FILE), { required: options.configFile !== undefined, cwd });
      const result = await runGate({
        root: cwd,
        store,
        config,
        gate: c.req.query("gate") ?? "release",
        ...(snapshot ? { snapshotId: snapshot.id } : {}),
        ...(baseline === undefined ? {} : { baseline }),
        ...(today === undefined ? {} : { today }),
        at: now(),
        record: false,
      });
      return cachedJson(result satisfies Api.GateResponse);
    });
  });
  app.get("/api/gates", async (c) =>
    caches.send(c, caches.gates, "", async () => {
      const [{ loadConfig, CONFIG_FILE }, { gateSpecs }, { gateRunOf, GATE_EVALUATED_EVENT }] = await Promise.all([import("../config/load-config.js"), import("../config/gates.js"), import("../track/milestones.js")]);
      const config = await loadConfig(options.configFile ?? resolve(cwd, CONFIG_FILE), { required: options.configFile !== undefined, cwd });
      // One query for every recorded verdict (ascending ids): the last one per gate wins.
      const last = new Map<string, Api.GateListItem["last"]>();
      for (const e of await store.listEvents({ type: GATE_EVALUATED_EVENT })) {
        const read = gateRunOf(e);
        if (read) last.set(read.gate, { verdict: read.run.verdict, at: read.run.at, snapshotId: read.run.snapshotId, failed: read.run.failed });
      }
      const gates = gateSpecs(config.config).map((g) => ({ ...g, builtIn: config.config.gates[g.name] === undefined, last: last.get(g.name) ?? null }));
      return cachedJson(gates satisfies Api.GatesResponse);
    }),
  );
  app.get("/api/plan", async (c) =>
    caches.send(c, caches.plan, "", async () => {
      const plan = await store.getPlan();
      if (!plan) throw new ShipgateError("NOT_FOUND", "[server] the store holds no plan yet", { hint: "import one: run a task command in the project (docs/plan.md)" });
      return cachedJson(plan satisfies Api.PlanResponse);
    }),
  );
  app.get("/api/plan/gantt", async (c) => caches.send(c, caches.gantt, new URL(c.req.url).search, async () => cachedJson((await planGantt(c)) satisfies Api.GanttResponse)));
  app.get("/api/plan/gantt.svg", async (c) => {
    const { renderGanttSvg } = await import("../report/plan-gantt-svg.js");
    return c.body(renderGanttSvg(await planGantt(c)), 200, { "Content-Type": "image/svg+xml; charset=utf-8", "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'" });
  });
  const planGantt = async (c: Context) => {
    const date = dayParam(c.req.query("date"), "date");
    const maxTasks = intParam(c.req.query("maxTasks"), "maxTasks", { min: 1, max: 5000 });
    const { storedPlanGantt } = await import("../app/plan-gantt.js");
    return storedPlanGantt(store, { today: date ?? now().slice(0, 10), ...(maxTasks === undefined ? {} : { maxTasks }) });
  };
  app.get("/api/tasks", async (c) => {
    const state = oneOf(c.req.query("state"), "state", TASK_STATES);
    const owner = c.req.query("owner") || null;
    const limit = intParam(c.req.query("limit"), "limit", { min: 1, max: 10_000 });
    const offset = intParam(c.req.query("offset"), "offset", { min: 0, fallback: 0 }) as number;
    return caches.send(c, caches.tasks, JSON.stringify([state ?? null, owner, limit ?? null, offset]), async () => {
      const { listTasks } = await import("../app/queue.js");
      const tasks = await listTasks({ store }, { owner, state });
      const page = limit === undefined && offset === 0 ? tasks : tasks.slice(offset, limit === undefined ? undefined : offset + limit);
      return cachedJson(page satisfies Api.TaskListResponse, { "X-Total-Count": String(tasks.length) });
    });
  });
  app.get("/api/runs", async (c) => {
    const limit = intParam(c.req.query("limit"), "limit", { max: 10_000, fallback: 50 }) as number;
    const open = boolParam(c.req.query("open"), "open");
    const task = c.req.query("task");
    const agent = c.req.query("agent");
    const runs = await store.listRuns({ ...(task ? { taskId: task } : {}), ...(agent ? { agent } : {}), ...(open === undefined ? {} : { open }) });
    return c.json(runs.slice(-limit).map(runView) satisfies Api.RunListResponse);
  });
  app.get("/api/runs/:id/log", async (c) => {
    const id = intParam(c.req.param("id"), "run id") as number;
    const tail = intParam(c.req.query("tail"), "tail");
    const run = await store.getRun(id);
    if (!run) throw new ShipgateError("NOT_FOUND", `[server] no run ${id}`, { hint: "GET /api/runs lists the runs" });
    const { locateRunLog, readRunLog } = await import("../app/run/run-log.js");
    const where = await locateRunLog(cwd, run.log);
    if (where.kind === "outside") throw new ShipgateError("USAGE", `[server] run ${id}'s log is not read: ${where.detail}`, { hint: "logs are served only from the project's .shipgate/runs/" });
    if (where.kind !== "file") {
      const why = where.kind === "none" ? "kept no log" : where.kind === "missing" ? "has no log on this machine (written by a worker elsewhere, or deleted)" : "names something that is not a file";
      throw new ShipgateError("NOT_FOUND", `[server] run ${id} ${why}`);
    }
    const chunks = readRunLog(where.path, tail === undefined ? {} : { tail });
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      async pull(controller) {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      },
      async cancel() {
        await chunks.return(undefined);
      },
    });
    return new Response(stream, { headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff" } });
  });
  app.get("/api/tracker", async (c) => {
    const asOf = dayParam(c.req.query("asOf"), "asOf");
    const view = oneOf(c.req.query("view"), "view", ["full", "summary"] as const) ?? "full";
    return caches.send(c, caches.tracker, `${asOf ?? ""} ${view}`, async () => {
      const { trackProgram, withRelativePlanSource } = await import("../app/track.js");
      const tracker = withRelativePlanSource(await trackProgram(store, { now: now(), ...(asOf === undefined ? {} : { asOf }) }), cwd);
      if (view === "full") return cachedJson(tracker satisfies Api.TrackerResponse);
      const { tasks: _tasks, runs: _runs, flow, ...rest } = tracker;
      const { cycles: _cycles, estimates: _estimates, ...flowSummary } = flow;
      return cachedJson({ ...rest, flow: flowSummary } satisfies Api.TrackerSummaryResponse);
    });
  });
  const eventStream = (c: Context) => {
    const header = c.req.header("Last-Event-ID");
    const afterId = intParam(header ?? c.req.query("afterId"), header === undefined ? "afterId" : "Last-Event-ID", { min: 0 });
    return streamSSE(c, async (stream) => {
      // A client's events wait here until it reads them; at most `maxQueued`. A client that falls further behind (one
      // that stops reading, or asks for the whole log with Last-Event-ID: 0) gets what is queued, then the stream
      // ends: EventSource reconnects with the last id it got and goes on from there, so nothing is skipped and no
      // client holds more than `maxQueued` events of the server's memory.
      const maxQueued = options.maxQueuedEvents ?? 5000;
      let queued: StoreEvent[] = [];
      let next = 0;
      let behind = false;
      let wake: (() => void) | undefined;
      const unsubscribe = await feed.subscribe(afterId, (event) => {
        if (behind) return;
        if (queued.length - next >= maxQueued) {
          behind = true;
        } else {
          if (next > 1024 && next * 2 > queued.length) {
            queued = queued.slice(next);
            next = 0;
          }
          queued.push(event);
        }
        wake?.();
      });
      let open = true;
      stream.onAbort(() => {
        open = false;
        unsubscribe();
        wake?.();
      });
      const heartbeat = setInterval(() => {
        wake?.();
      }, options.heartbeatMs ?? 15_000);
      heartbeat.unref();
      try {
        await stream.write(": connected\n\n");
        while (open) {
          if (next === queued.length) {
            if (behind) {
              await stream.write(`: more than ${maxQueued} events behind; reconnect with Last-Event-ID to go on\n\n`);
              break;
            }
            await new Promise<void>((done) => (wake = done));
            wake = undefined;
            if (next === queued.length && open && !behind) await stream.write(": heartbeat\n\n");
            continue;
          }
          const event = queued[next++] as StoreEvent;
          await stream.writeSSE({ id: String(event.id), event: event.type, data: JSON.stringify(event satisfies Api.EventStreamMessage) });
        }
      } finally {
        clearInterval(heartbeat);
        unsubscribe();
      }
    });
  };
  app.get("/api/events/stream", (c) => eventStream(c));
  app.get("/api/events", async (c) => {
    if ((c.req.header("Accept") ?? "").includes("text/event-stream")) return eventStream(c);
    const afterId = intParam(c.req.query("afterId"), "afterId", { min: 0 });
    const limit = intParam(c.req.query("limit"), "limit", { max: 1000, fallback: 100 }) as number;
    const type = c.req.query("type");
    const events = await store.listEvents({ limit, ...(afterId === undefined ? {} : { afterId }), ...(type ? { type } : {}) });
    return c.json(events satisfies Api.EventListResponse);
  });
  app.get("/metrics", async (c) =>
    caches.send(c, caches.metrics, "", async () => {
      const render = options.renderMetrics ?? (await loadMetrics());
      const { contentType, body: text } = await render(store, { now: now() });
      return cachedBody(contentType, text);
    }),
  );

  // ── Mutations (the token is checked above, for every method but GET, HEAD and OPTIONS) ──
  app.post("/api/tasks/:id/start", async (c) => {
    const request = await body(c, taskStart);
    const { startTask } = await import("../app/queue.js");
    const ctx = await queueContext(queue, c.req.raw.signal);
    const { task } = await startTask(ctx, { agent: request.agent, id: c.req.param("id"), any: request.any, force: request.force, reason: request.reason });
    if (!task) throw new ShipgateError("NOT_READY", `[server] ${c.req.param("id")} was not started`);
    return c.json({ task } satisfies Api.TaskResponse);
  });
  app.post("/api/tasks/:id/done", async (c) => {
    const request = await body(c, taskDone);
    const { finishTask, checkFinishRequest } = await import("../app/queue.js");
    const finish = { id: c.req.param("id"), agent: request.agent ?? null, force: request.force, reason: request.reason };
    checkFinishRequest(finish);
    const { task, acceptance } = await finishTask(await queueContext(queue, c.req.raw.signal), finish);
    return c.json({ task, acceptance } satisfies Api.TaskResponse);
  });
  for (const [verb, to] of [["fail", "failed"], ["block", "blocked"], ["reset", "pending"]] as const) {
    app.post(`/api/tasks/:id/${verb}`, async (c) => {
      const request = await body(c, taskMove);
      const { moveTask, checkMoveRequest } = await import("../app/queue.js");
      const move = { id: c.req.param("id"), to, agent: request.agent ?? null, any: request.any, reason: request.reason };
      checkMoveRequest(move);
      const task = await moveTask(await queueContext(queue, c.req.raw.signal), move);
      return c.json({ task } satisfies Api.TaskResponse);
    });
  }
  app.post("/api/runs/:id/cancel", async (c) => {
    const id = intParam(c.req.param("id"), "run id") as number;
    const request = await body(c, runCancel);
    const run = await store.getRun(id);
    if (!run) throw new ShipgateError("NOT_FOUND", `[server] no run ${id}`, { hint: "GET /api/runs lists the runs" });
    if (run.endedAt !== null) throw new ShipgateError("INVALID_TRANSITION", `[server] run ${id} already ended (${run.outcome ?? "?"})`);
    const { run: ended } = await store.finishRun(id, run.epoch, { at: now(), outcome: "cancelled", note: request.reason ?? "cancelled through the API" });
    return c.json(runView(ended) satisfies Api.RunCancelResponse);
  });
  app.put("/api/baselines/:name", async (c) => {
    const request = await body(c, baselineSet);
    const name = c.req.param("name");
    if (!/^[\w.:/-]{1,100}$/.test(name)) throw new ShipgateError("USAGE", "[server] a baseline name is 1–100 letters, digits and . _ : / -");
    const snapshot = await snapshotParam(store, String(request.snapshot ?? "latest"), "snapshot");
    return c.json((await store.setBaseline(name, snapshot.id, now())) satisfies Api.BaselineSetResponse);
  });
  app.post("/api/risks/:id", async (c) => {
    const request = await body(c, riskSet);
    const { setRiskStatus } = await import("../app/risk.js");
    const { plan, planFile } = await serverPlanContent(queue);
    const result = await setRiskStatus({ store, plan, planFile }, { id: c.req.param("id"), status: request.status, note: request.note ?? null, by: request.by ?? null, at: now() });
    return c.json(result satisfies Api.RiskSetResponse);
  });

  // ── The dashboard (web/, built into dist/web): GET only, exact file paths only ──
  if (options.dashboardDir !== false) {
    const dashboard = dashboardRoutes(options.dashboardDir);
    app.get("*", async (c, next) => (c.req.path.startsWith("/api/") ? next() : ((await dashboard(c)) ?? next())));
  }

  return { app, close: () => feed.close() };
}

/** A Host header's name: lower case, no port, IPv6 without brackets. */
function hostName(header: string): string {
  const host = header.trim().toLowerCase();
  if (host.startsWith("[")) return host.slice(1, host.indexOf("]") < 0 ? undefined : host.indexOf("]"));
  const colon = host.indexOf(":");
  return colon < 0 ? host : host.slice(0, colon);
}

function snapshotListItem(record: { id: number; takenAt: string; git: Api.SnapshotListItem["git"]; summary: unknown }): Api.SnapshotListItem {
  const summary = (record.summary ?? {}) as { score?: number | null; level?: string; tests?: Record<string, unknown>; coverage?: Record<string, unknown> };
  const t = summary.tests;
  const cov = summary.coverage;
  return {
    id: record.id,
    takenAt: record.takenAt,
    git: record.git,
    score: summary.score ?? null,
    level: summary.level ?? null,
    tests: t ? ({ status: t.status, total: t.total, passed: t.passed, failed: t.failed, errored: t.errored, skipped: t.skipped, flaky: t.flaky } as Api.SnapshotListItem["tests"]) : null,
    coverage: cov
      ? ({ status: cov.status, lines: cov.lines ?? null, branches: cov.branches ?? null, functions: cov.functions ?? null, statements: cov.statements ?? null } as Api.SnapshotListItem["coverage"])
      : { status: "unknown", lines: null, branches: null, functions: null, statements: null },
  };
}

/** The read routes' caches (src/server/cache.ts), one per route so that one route's answers never push out another's. */
function createReadCaches(store: Store, now: () => string, ttlMs: number | undefined) {
  // The wall clock and the app's: with SHIPGATE_NOW fixed, time still passes for heartbeats; a test that moves `now`
  // past the TTL expires entries without sleeping.
  const clocks = [() => performance.now(), () => Date.parse(now())];
  const version = () => store.lastEventId();
  const cache = (maxEntries: number): ResponseCache<CachedBody> =>
    createResponseCache({ version, clocks, maxEntries, sizeOf: cachedBodyBytes, ...(ttlMs === undefined ? {} : { ttlMs }) });
  const caches = {
    metrics: cache(1),
    tracker: cache(8),
    gates: cache(1),
    gate: cache(16),
    gantt: cache(8),
    tasks: cache(16),
    plan: cache(1),
    snapshots: cache(16),
    snapshotRefs: cache(16),
    // By id: valid for good (a snapshot is written once, in one transaction, and never changed or deleted).
    snapshotDetails: createResponseCache<CachedBody>({ version: () => Promise.resolve(0), ttlMs: Infinity, maxEntries: 16, sizeOf: cachedBodyBytes }),
  };
  const routeCaches = [caches.metrics, caches.tracker, caches.gates, caches.gate, caches.gantt, caches.tasks, caches.plan, caches.snapshots, caches.snapshotRefs];
  return {
    ...caches,
    invalidate: () => {
      for (const c of routeCaches) c.invalidate();
    },
    /** The cached answer under `key`, or `compute`'s, as 200 (gzipped when accepted) or 304 (src/server/cached-body.ts). */
    send: async (c: Context, route: ResponseCache<CachedBody>, key: string, compute: () => Promise<CachedBody>): Promise<Response> =>
      sendCached(c.req.raw, ttlMs === 0 ? await compute() : await route.get(key, compute)),
  };
}

/** src/server/metrics.ts, loaded on the first scrape (prom-client is not loaded by servers nobody scrapes). */
async function loadMetrics(): Promise<RenderMetrics> {
  return (await import("./metrics.js")).renderMetrics;
}
