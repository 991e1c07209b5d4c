import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { dump, load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { copyOfDemo, fixture } from "../cli/run-cli.js";
import { makeProject, start } from "../run/project.js";
import { otlpEnv, receiverPerTest, type ReceivedSpan } from "./otlp-receiver.js";

const echo = fixture("telemetry/echo-traceparent.mjs");
const W3C = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/;

const receiver = receiverPerTest();

const otel = () => otlpEnv(receiver().url);
const named = (name: string) => receiver().spans.filter((s) => s.name === name);
const one = (name: string): ReceivedSpan => {
  const found = named(name);
  expect(found, `spans named "${name}" among ${receiver().spans.map((s) => s.name).join(", ")}`).toHaveLength(1);
  return found[0] as ReceivedSpan;
};
const children = (parent: ReceivedSpan) => receiver().spans.filter((s) => s.parentSpanId === parent.spanId);

/** The demo with every collector's command replaced by one that records its TRACEPARENT and rewrites its reports. */
function demoWithEchoCollectors(): { dir: string; seen: string; collectors: string[] } {
  const dir = copyOfDemo();
  const seen = join(mkdtempSync(join(tmpdir(), "shipgate-otel-")), "traceparents.txt");
  writeFileSync(seen, "");
  const config = load(readFileSync(join(dir, "shipgate.yaml"), "utf8")) as { collectors: { name: string; command: string; cwd?: string; reports: (string | { path: string })[] }[] };
  for (const c of config.collectors) {
    const reports = c.reports.map((r) => join(dir, typeof r === "string" ? r : r.path));
    c.command = ["node", echo, seen, ...reports].map((a) => JSON.stringify(a)).join(" ");
  }
  writeFileSync(join(dir, "shipgate.yaml"), dump(config));
  return { dir, seen, collectors: config.collectors.map((c) => c.name) };
}

describe("traces (OTLP/HTTP, JSON encoding)", () => {
  it("assess of the demo is a pipeline run with a collector span per collector, and each collector sees its span as TRACEPARENT", { timeout: 120_000 }, async () => {
    const { dir, seen, collectors } = demoWithEchoCollectors();
    const result = await start(["assess", "--cwd", dir], dir, otel()).done;
    expect(result.stderr).not.toContain("Error");
    expect(result.code).toBe(0);

    expect(receiver().requests.every((r) => r.path === "/v1/traces" && String(r.headers["content-type"]).startsWith("application/json"))).toBe(true);
    const pipeline = one("RUN shipgate assess");
    expect(pipeline.kind).toBe(2); // SERVER
    expect(pipeline.parentSpanId).toBe("");
    expect(pipeline.attributes).toMatchObject({ "cicd.pipeline.name": "shipgate assess", "cicd.pipeline.action.name": "RUN", "cicd.pipeline.result": "success" });
    expect(pipeline.resource).toMatchObject({ "service.name": "shipgate" });
    expect(typeof pipeline.resource["service.version"]).toBe("string");

    const spans = children(pipeline);
    expect(spans.map((s) => s.name).sort()).toEqual(collectors.map((c) => `collector ${c}`).sort());
    const lines = readFileSync(seen, "utf8").trim().split("\n");
    expect(lines).toHaveLength(collectors.length);
    for (const name of collectors) {
      const span = one(`collector ${name}`);
      expect(span.traceId).toBe(pipeline.traceId);
      expect(span.kind).toBe(1); // INTERNAL
      expect(span.attributes).toMatchObject({ "cicd.pipeline.task.name": name, "cicd.pipeline.task.run.result": "success", "shipgate.step": "collector" });
      // The collector's own process got this span's context: its spans would be children of it.
      const line = lines.find((l) => l.startsWith(`${name} `)) ?? "";
      const [, traceId, spanId] = W3C.exec(line.split(" ")[1] ?? "") ?? [];
      expect({ traceId, spanId }).toEqual({ traceId: pipeline.traceId, spanId: span.spanId });
    }
  });

  it("a failing collector ends its span and the pipeline run with an error status, and the trace is still sent", { timeout: 120_000 }, async () => {
    const { dir } = demoWithEchoCollectors();
    const config = load(readFileSync(join(dir, "shipgate.yaml"), "utf8")) as { collectors: Record<string, unknown>[] };
    config.collectors[0] = { ...config.collectors[0], command: "exit 3", fail_on_exit: true };
    writeFileSync(join(dir, "shipgate.yaml"), dump(config));
    const result = await start(["assess", "--cwd", dir], dir, otel()).done;
    expect(result.code).toBe(2);
    const pipeline = one("RUN shipgate assess");
    expect(pipeline.attributes).toMatchObject({ "cicd.pipeline.result": "error", "error.type": "error" });
    expect(pipeline.statusCode).toBe(2);
    expect(pipeline.statusMessage).toContain("exited with 3");
    const [failed] = children(pipeline);
    expect(failed?.attributes).toMatchObject({ "cicd.pipeline.task.run.result": "failure", "error.type": "failure" });
  });

  it("joins the trace a TRACEPARENT in shipgate's own environment names", { timeout: 120_000 }, async () => {
    const { dir } = demoWithEchoCollectors();
    const parent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    const result = await start(["assess", "--cwd", dir, "--no-run"], dir, { ...otel(), TRACEPARENT: parent }).done;
    expect(result.code).toBe(0);
    const pipeline = one("RUN shipgate assess");
    expect({ traceId: pipeline.traceId, parent: pipeline.parentSpanId }).toEqual({ traceId: "0af7651916cd43dd8448eb211c80319c", parent: "b7ad6b7169203331" });
  });

  it("run is a pipeline run with a task-run span per attempt, acceptance and merge under it; the runner and the acceptance command see their span as TRACEPARENT", { timeout: 120_000 }, async () => {
    const seen = join(mkdtempSync(join(tmpdir(), "shipgate-otel-")), "traceparents.txt");
    writeFileSync(seen, "");
    const { dir } = makeProject({
      agents: [{ id: "ci", kind: "script" }],
      tasks: [
        { id: "build", owner: "ci", files: ["out/**"], run: `mkdir -p out && node ${echo} ${seen} && echo built > out/build.txt`, acceptance: `node ${echo} ${seen} && test -f out/build.txt` },
        { id: "broken", owner: "ci", files: ["out/**"], dependsOn: ["build"], run: `node ${echo} ${seen} && exit 4`, retries: 1 },
      ],
    });
    const result = await start(["run", "--cwd", dir], dir, otel()).done;
    expect(result.code).toBe(1);

    const pipeline = one("RUN shipgate run");
    expect(pipeline.attributes).toMatchObject({ "cicd.pipeline.name": "shipgate run", "cicd.pipeline.result": "failure" });
    const build = one("build");
    // One task-run span per attempt: broken failed, was retried once, and failed again.
    const broken = named("broken").sort((a, b) => Number(a.attributes["shipgate.task.attempt"]) - Number(b.attributes["shipgate.task.attempt"]));
    expect(broken.map((s) => s.attributes["shipgate.task.attempt"])).toEqual([1, 2]);
    const runIds = [build, ...broken].map((s) => String(s.attributes["cicd.pipeline.task.run.id"]));
    expect(new Set(runIds).size).toBe(3);
    for (const task of [build, ...broken]) {
      expect(task.parentSpanId).toBe(pipeline.spanId);
      expect(task.traceId).toBe(pipeline.traceId);
      expect(task.attributes).toMatchObject({ "shipgate.agent.id": "ci", "shipgate.agent.kind": "script" });
      expect(String(task.attributes["cicd.pipeline.task.run.id"])).toMatch(/^\d+$/);
    }
    expect(build.attributes).toMatchObject({ "cicd.pipeline.task.name": "build", "cicd.pipeline.task.run.result": "success", "shipgate.task.attempt": 1 });
    for (const attempt of broken) {
      expect(attempt.attributes).toMatchObject({ "cicd.pipeline.task.name": "broken", "cicd.pipeline.task.run.result": "failure", "error.type": "failure" });
      expect(attempt.statusCode).toBe(2);
      expect(attempt.statusMessage).toContain("exited with 4");
      expect(children(attempt)).toEqual([]);
    }
    expect(children(build).map((s) => [s.name, s.attributes["shipgate.step.result"]])).toEqual([
      ["acceptance", "success"],
      ["merge", "success"],
    ]);
    // Each runner got its own task run's context, and the acceptance command its step's (regression: it got none).
    const acceptance = children(build).find((s) => s.name === "acceptance") as ReceivedSpan;
    const lines = readFileSync(seen, "utf8").trim().split("\n");
    expect(lines).toHaveLength(4);
    const expected = [
      { who: "build", span: build },
      { who: "acceptance:build", span: acceptance },
      ...broken.map((span) => ({ who: "broken", span })),
    ];
    for (const [i, { who, span }] of expected.entries()) {
      const [, traceId, spanId] = W3C.exec(lines[i]?.split(" ")[1] ?? "") ?? [];
      expect({ who: lines[i]?.split(" ")[0], traceId, spanId }).toEqual({ who, traceId: pipeline.traceId, spanId: span.spanId });
    }
  });

  it("Ctrl-C during run still sends the trace, the pipeline run ended as cancellation", { timeout: 120_000 }, async () => {
    const { dir } = makeProject({ agents: [{ id: "ci", kind: "script" }], tasks: [{ id: "slow", owner: "ci", files: ["x"], run: "sleep 30" }] });
    const run = start(["run", "--cwd", dir], dir, otel());
    await run.shows("▶ slow");
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(one("RUN shipgate run").attributes).toMatchObject({ "cicd.pipeline.result": "cancellation" });
    expect(one("slow").attributes).toMatchObject({ "cicd.pipeline.task.run.result": "cancellation" });
  });

  it("without an OTLP endpoint (or with OTEL_TRACES_EXPORTER=none) nothing is sent and no OpenTelemetry module is loaded", { timeout: 120_000 }, async () => {
    const { dir } = demoWithEchoCollectors();
    const loads = (env: NodeJS.ProcessEnv) => {
      const file = join(mkdtempSync(join(tmpdir(), "shipgate-otel-")), "loads.txt");
      writeFileSync(file, "");
      const hook = pathToFileURL(fixture("telemetry/record-loads.mjs")).href;
      return { file, env: { ...env, SHIPGATE_LOADS_FILE: file, NODE_OPTIONS: `--import ${hook}` } };
    };
    const otelModules = (file: string) => readFileSync(file, "utf8").split("\n").filter((url) => url.includes("/@opentelemetry/"));

    const off = loads({ ...otel(), OTEL_EXPORTER_OTLP_ENDPOINT: "", OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "" });
    expect((await start(["assess", "--cwd", dir], dir, off.env).done).code).toBe(0);
    const none = loads({ ...otel(), OTEL_TRACES_EXPORTER: "none" });
    expect((await start(["assess", "--cwd", dir], dir, none.env).done).code).toBe(0);
    expect(receiver().requests).toEqual([]);
    expect(readFileSync(off.file, "utf8")).toContain("/dist/cli/commands/assess.js");
    expect(otelModules(off.file)).toEqual([]);
    expect(otelModules(none.file)).toEqual([]);

    // The same hook sees the SDK when tracing is on: the check above can fail.
    const on = loads(otel());
    expect((await start(["assess", "--cwd", dir], dir, on.env).done).code).toBe(0);
    expect(otelModules(on.file).length).toBeGreaterThan(0);
    expect(receiver().spans.length).toBeGreaterThan(0);
  });
});
