/**
 * The OpenTelemetry implementation of app's tracing port, after the CI/CD semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/cicd/cicd-spans/): a pipeline run is a SERVER span named
 * `RUN <pipeline>`; each task attempt is a task-run span; collectors, acceptance, the gate and the merge are
 * INTERNAL spans under them. Spans go to the OTLP/HTTP exporter (JSON), configured by the standard OTEL_EXPORTER_OTLP_*
 * variables. Loaded only when tracing is on (./tracing.ts).
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, TraceFlags, type Attributes, type Context, type Span, type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { detectResources, envDetector, resourceFromAttributes } from "@opentelemetry/resources";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { ATTR_ERROR_TYPE, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from "@opentelemetry/semantic-conventions";
import type { TraceResult, TraceSpan, TraceStepKind } from "../app/tracing.js";

// The CI/CD attributes are still "development" in the conventions, so only the incubating entry point of
// @opentelemetry/semantic-conventions exports them (and it is large): named here.
const CICD = {
  pipelineName: "cicd.pipeline.name",
  pipelineActionName: "cicd.pipeline.action.name",
  pipelineResult: "cicd.pipeline.result",
  taskName: "cicd.pipeline.task.name",
  taskRunId: "cicd.pipeline.task.run.id",
  taskRunResult: "cicd.pipeline.task.run.result",
} as const;

/** A W3C traceparent: version, trace id, parent id, flags (https://www.w3.org/TR/trace-context/#traceparent-header). */
const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The context a TRACEPARENT from shipgate's own environment names (a CI job or a parent process tracing it), else the root. */
export function parentContext(traceparent: string | undefined): Context {
  const m = TRACEPARENT.exec(traceparent?.trim().toLowerCase() ?? "");
  if (!m || m[1] === "ff" || /^0+$/.test(m[2] ?? "") || /^0+$/.test(m[3] ?? "")) return ROOT_CONTEXT;
  return trace.setSpanContext(ROOT_CONTEXT, { traceId: m[2] as string, spanId: m[3] as string, traceFlags: Number.parseInt(m[4] as string, 16), isRemote: true });
}

/** The pipeline tracer a command holds while it runs (./tracing.ts `withPipelineTrace`). */
export interface PipelineTracer {
  /** Opens the pipeline-run span (a W3C `TRACEPARENT` in the env, when set, is its parent). */
  pipeline(name: string): TraceSpan;
  /** Sends what is left and stops; never rejects (an unreachable collector must not fail the command). */
  shutdown(): Promise<void>;
}

export function createOtelTracer(options: { env: NodeJS.ProcessEnv; version: string }): PipelineTracer {
  const resource = resourceFromAttributes({ [ATTR_SERVICE_NAME]: "shipgate", [ATTR_SERVICE_VERSION]: options.version })
    // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES override.
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  const tracer = provider.getTracer("shipgate", options.version);
  return {
    pipeline(name) {
      const span = tracer.startSpan(
        `RUN ${name}`,
        { kind: SpanKind.SERVER, attributes: { [CICD.pipelineName]: name, [CICD.pipelineActionName]: "RUN" } },
        parentContext(options.env.TRACEPARENT),
      );
      return wrap(tracer, span, CICD.pipelineResult);
    },
    async shutdown() {
      await provider.shutdown().catch(() => undefined);
    },
  };
}

/** app's TraceSpan over an OpenTelemetry span; `resultKey` is the attribute its result goes into. */
function wrap(tracer: Tracer, span: Span, resultKey: string | null): TraceSpan {
  const context = trace.setSpan(ROOT_CONTEXT, span);
  const child = (name: string, attributes: Attributes, key: string | null) => wrap(tracer, tracer.startSpan(name, { kind: SpanKind.INTERNAL, attributes }, context), key);
  // A step right under a pipeline run (assess's gate) belongs to no task: its name is the gate's, not a task id.
  const underPipeline = resultKey === CICD.pipelineResult;
  let ended = false;
  const sc = span.spanContext();
  return {
    traceparent: sc.traceFlags & TraceFlags.SAMPLED ? `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, "0")}` : null,
    taskRun: (a) =>
      child(a.task, { [CICD.taskName]: a.task, [CICD.taskRunId]: String(a.run), "shipgate.task.attempt": a.attempt, "shipgate.agent.id": a.agent, "shipgate.agent.kind": a.agentKind }, CICD.taskRunResult),
    step: (kind: TraceStepKind, name: string) =>
      kind === "collector"
        ? // A collector is one of assess's tasks: it carries the task attributes too.
          child(`collector ${name}`, { "shipgate.step": kind, [CICD.taskName]: name }, CICD.taskRunResult)
        : child(kind, { "shipgate.step": kind, ...(underPipeline ? (kind === "gate" ? { "shipgate.gate.name": name } : {}) : { "shipgate.task.id": name }) }, null),
    end(result: TraceResult, detail?: string | null) {
      if (ended) return;
      ended = true;
      span.setAttribute(resultKey ?? "shipgate.step.result", result);
      if (result !== "success" && result !== "skip" && result !== "cancellation") {
        span.setAttribute(ATTR_ERROR_TYPE, result);
        span.setStatus({ code: SpanStatusCode.ERROR, ...(detail ? { message: detail } : {}) });
      } else if (detail) {
        span.setAttribute("shipgate.detail", detail);
      }
      span.end();
    },
  };
}
