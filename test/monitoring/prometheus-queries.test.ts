/**
 * Every PromQL expression of the shipped Grafana dashboard and alert rules, asked of a real Prometheus (Debian's
 * `prometheus`) that scrapes the built `shipgate serve` (dist/cli/main.js, SHIPGATE_NOW at the program's "now") on a
 * store holding the three-week program of test/track/program.ts. The test starts both on free loopback ports with a
 * temporary config and data folder, loads alerts.yml, waits for a few scrapes (1 s apart) and a rule evaluation (a
 * poll with a timeout), sends each expression to /api/v1/query, and stops both at the end. Skipped, saying why,
 * without the binary (scripts/ci-deps.sh installs it).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { bin } from "../cli/run-cli.js";
import { PROGRAM, writeProgram } from "../track/program.js";
import { alertRules, dashboardQueries, substitute } from "./queries.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const probe = spawnSync("prometheus", ["--version"], { encoding: "utf8" });
const noPrometheus = probe.error === undefined && probe.status === 0 ? null : "the prometheus binary is not installed (scripts/ci-deps.sh installs Debian's prometheus package)";

interface QueryResponse {
  status: string;
  error?: string;
  data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
}

/** A port the kernel just handed out on 127.0.0.1 (free when we asked). */
async function freePort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Calls `check` until it returns a value, or fails after `timeoutMs` with what it last saw. */
async function poll<T>(what: string, timeoutMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last === undefined ? "" : `: ${last instanceof Error ? last.message : JSON.stringify(last)}`}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

let serve: ChildProcess | undefined;
let prometheus: ChildProcess | undefined;
let prometheusLog = "";
let dir: string;
let base: string;
let vars: Record<string, string>;

async function query(expr: string): Promise<QueryResponse> {
  const response = await fetch(`${base}/api/v1/query`, { method: "POST", body: new URLSearchParams({ query: expr }) });
  return (await response.json()) as QueryResponse;
}

/** The finite values of an instant query's result. */
const finite = (r: QueryResponse): number[] => (r.data?.result ?? []).map((s) => Number(s.value[1])).filter((v) => Number.isFinite(v));

describe.skipIf(noPrometheus !== null)(`the dashboard's and the alert rules' PromQL on a real Prometheus${noPrometheus === null ? "" : ` — skipped: ${noPrometheus}`}`, () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "shipgate-prometheus-"));
    const store = await openStore(join(dir, "shipgate.db"), { at: "2026-11-02T07:00:00.000Z" });
    try {
      await writeProgram(store, dir);
    } finally {
      await store.close();
    }
    // `shipgate serve` as a user starts it, on the program's store at the program's "now"; port 0: any free one.
    writeFileSync(join(dir, "token"), `${"ab".repeat(32)}\n`, { mode: 0o600 });
    const child = spawn(process.execPath, [bin, "serve", "--port", "0", "--token-file", "token", "--db", join(dir, "shipgate.db"), "--plan", "plan-v2.yaml", "--cwd", dir], {
      env: { ...process.env, SHIPGATE_NOW: PROGRAM.now, NO_COLOR: "1", CI: "" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    serve = child;
    let serveLog = "";
    child.stderr.on("data", (chunk: Buffer) => (serveLog += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        serveLog += chunk.toString();
        const match = /shipgate serve: http:\/\/(\S+)\//.exec(serveLog);
        if (match?.[1]) resolve(match[1]);
      });
      child.once("exit", (code) => reject(new Error(`shipgate serve exited (${code}) before it listened:\n${serveLog}`)));
    });
    const target = url;
    vars = { job: "shipgate", instance: target };

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    const config = join(dir, "prometheus.yml");
    writeFileSync(
      config,
      [
        "global: { scrape_interval: 1s, evaluation_interval: 1s }",
        `rule_files: [${JSON.stringify(join(root, "monitoring/prometheus/alerts.yml"))}]`,
        "scrape_configs:",
        `  - { job_name: shipgate, static_configs: [{ targets: [${JSON.stringify(target)}] }] }`,
        "",
      ].join("\n"),
    );
    const promChild = spawn("prometheus", [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ["ignore", "pipe", "pipe"] });
    prometheus = promChild;
    promChild.stdout.on("data", (chunk: Buffer) => (prometheusLog += chunk.toString()));
    promChild.stderr.on("data", (chunk: Buffer) => (prometheusLog += chunk.toString()));
    const exited = new Promise<never>((_, reject) => promChild.once("exit", (code) => reject(new Error(`prometheus exited (${code}) before it was ready:\n${prometheusLog.slice(-2000)}`))));

    // A few scrapes of the target, then one evaluation of every rule.
    await Promise.race([
      exited,
      poll("three scrapes of /metrics", 60_000, async () => {
        const r = await query(`count_over_time(up{job="shipgate"}[5m]) >= 3 and up{job="shipgate"} == 1`);
        return finite(r).length === 1 ? true : undefined;
      }),
    ]);
    await Promise.race([
      exited,
      poll("an evaluation of every alert rule", 60_000, async () => {
        const response = await fetch(`${base}/api/v1/rules`);
        const body = (await response.json()) as { data: { groups: { rules: { lastEvaluation: string }[] }[] } };
        const rules = body.data.groups.flatMap((g) => g.rules);
        return rules.length > 0 && rules.every((r) => !r.lastEvaluation.startsWith("0001-")) ? true : undefined;
      }),
    ]);
  });

  afterAll(async () => {
    for (const child of [prometheus, serve]) {
      if (child === undefined || child.exitCode !== null || child.signalCode !== null) continue;
      const gone = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await gone;
      clearTimeout(timer);
    }
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  });

  it("the dashboard's variables find the scraped store: job and instance label values", async () => {
    const job = (await (await fetch(`${base}/api/v1/label/job/values?${new URLSearchParams({ "match[]": "shipgate_tasks" }).toString()}`)).json()) as { data: string[] };
    expect(job.data).toEqual(["shipgate"]);
    const instance = (await (await fetch(`${base}/api/v1/label/instance/values?${new URLSearchParams({ "match[]": 'shipgate_tasks{job="shipgate"}' }).toString()}`)).json()) as { data: string[] };
    expect(instance.data).toEqual([vars.instance]);
  });

  const queries = dashboardQueries();
  it.each(queries.map((q, i) => [i + 1, q.panel, q] as const))("dashboard query %i (%s) is valid and returns data unless documented as possibly empty", async (_, __, q) => {
    const r = await query(substitute(q.expr, vars));
    expect(r.error ?? "", q.expr).toBe("");
    expect(r.status).toBe("success");
    if (q.mayBeEmpty === undefined) expect(finite(r).length, `no data for ${q.expr}`).toBeGreaterThan(0);
  });

  it("the program's possibly-empty panels that show data here, and the one that does not (no components)", async () => {
    const empty: string[] = [];
    for (const q of queries.filter((x) => x.mayBeEmpty !== undefined)) if (finite(await query(substitute(q.expr, vars))).length === 0) empty.push(q.panel);
    expect(empty).toEqual(["Tests and coverage / Coverage by component"]);
  });

  it("figures as Prometheus computes them: score 72, run duration p50 4.5 h (bucket interpolation; the runs' true median is 5 h) and p95 at the top bucket, 1 day (T03 ran 27 h)", async () => {
    const score = await query(substitute('shipgate_readiness_score{job="$job", instance="$instance"}', vars));
    expect(finite(score)).toEqual([72]);
    const byLegend = async (expr: string): Promise<Record<string, number>> => Object.fromEntries((await query(substitute(expr, vars))).data?.result.map((s): [string, number] => [s.metric.agent_kind ?? "", Number(s.value[1])]) ?? []);
    const [p50, p95] = queries.filter((q) => q.panel.endsWith("Run duration p50 / p95"));
    expect(await byLegend(p50?.expr ?? "")).toEqual({ cli: 16_200 });
    expect(await byLegend(p95?.expr ?? "")).toEqual({ cli: 86_400 });
  });

  it("every alert rule of alerts.yml is valid, healthy on the server, and on the program only ShipgateStaleLease's expression returns data", async () => {
    const returning: string[] = [];
    for (const rule of alertRules(root)) {
      const r = await query(rule.expr);
      expect(r.error ?? "", rule.alert).toBe("");
      expect(r.status).toBe("success");
      if ((r.data?.result.length ?? 0) > 0) returning.push(rule.alert);
    }
    expect(returning).toEqual(["ShipgateStaleLease"]);
    const body = (await (await fetch(`${base}/api/v1/rules`)).json()) as { data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] } };
    for (const rule of body.data.groups.flatMap((g) => g.rules)) expect([rule.name, rule.health, rule.lastError ?? ""]).toEqual([rule.name, "ok", ""]);
  });
});
