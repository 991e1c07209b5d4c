import { expect, it } from "vitest";
import { copyOfDemo } from "../cli/run-cli.js";
import { start } from "../run/project.js";
import { otlpEnv, receiverPerTest } from "./otlp-receiver.js";

const receiver = receiverPerTest();

const otel = () => otlpEnv(receiver().url);

// Found by the issue 13 trial on unjs/ufo (docs/trials/issue-13): `assess --gate` judged the gate inside the pipeline
// run but sent no span for it, so a NO-GO run showed only its collectors and a failed pipeline result.
it("assess --gate sends a gate step span under the pipeline run, named for the gate, with the verdict as its result (it sent none)", { timeout: 120_000 }, async () => {
  const dir = copyOfDemo();
  const go = await start(["assess", "--cwd", dir, "--no-run", "--gate", "release"], dir, otel()).done;
  const strict = await start(["assess", "--cwd", dir, "--no-run", "--gate", "new-code", "--baseline", "snapshot:1"], dir, otel()).done;
  expect([go.code, strict.code].every((c) => c === 0 || c === 1), go.stderr + strict.stderr).toBe(true);

  const pipelines = receiver().spans.filter((s) => s.name === "RUN shipgate assess");
  expect(pipelines).toHaveLength(2);
  for (const [pipeline, result, gate] of [[pipelines[0], go, "release"], [pipelines[1], strict, "new-code"]] as const) {
    const steps = receiver().spans.filter((s) => s.parentSpanId === pipeline?.spanId && s.name === "gate");
    expect(steps, `gate spans under ${pipeline?.spanId}`).toHaveLength(1);
    const step = steps[0];
    expect(step?.traceId).toBe(pipeline?.traceId);
    expect(step?.kind).toBe(1); // INTERNAL
    expect(step?.attributes).toMatchObject({ "shipgate.step": "gate", "shipgate.gate.name": gate, "shipgate.step.result": result.code === 0 ? "success" : "failure" });
    expect(step?.attributes).not.toHaveProperty("shipgate.task.id");
    expect(pipeline?.attributes).toMatchObject({ "cicd.pipeline.result": result.code === 0 ? "success" : "failure" });
  }
});
