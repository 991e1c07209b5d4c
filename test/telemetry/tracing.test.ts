import { trace } from "@opentelemetry/api";
import { describe, expect, it } from "vitest";
import { parentContext } from "../../src/telemetry/otel-tracer.js";
import { tracingEnabled } from "../../src/telemetry/tracing.js";

describe("tracingEnabled", () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://127.0.0.1:4318" }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://127.0.0.1:4318/v1/traces" }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "  " }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://x", OTEL_TRACES_EXPORTER: "none" }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://x", OTEL_TRACES_EXPORTER: "otlp" }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://x", OTEL_SDK_DISABLED: "TRUE" }, false],
  ] as const)("%j → %s", (env, on) => {
    expect(tracingEnabled(env)).toBe(on);
  });
});

describe("parentContext (TRACEPARENT of shipgate's own environment)", () => {
  const parent = (value: string | undefined) => trace.getSpanContext(parentContext(value));
  it("joins a valid W3C traceparent", () => {
    expect(parent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")).toEqual({ traceId: "0af7651916cd43dd8448eb211c80319c", spanId: "b7ad6b7169203331", traceFlags: 1, isRemote: true });
  });
  it.each([undefined, "", "garbage", "ff-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "00-00000000000000000000000000000000-b7ad6b7169203331-01", "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01"])(
    "starts a new trace for %j",
    (value) => {
      expect(parent(value)).toBeUndefined();
    },
  );
});
