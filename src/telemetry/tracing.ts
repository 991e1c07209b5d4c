/**
 * Traces for the CLI's pipeline runs (`shipgate assess`, `shipgate run`): whether tracing is on, and the one
 * wrapper a command runs under. Nothing of OpenTelemetry is loaded unless an OTLP endpoint is configured: this
 * module imports the SDK (./otel-tracer.ts) only then, so commands without tracing pay nothing.
 */
import { InterruptedError } from "../errors.js";
import type { TraceResult, TraceSpan } from "../app/tracing.js";

/**
 * On when an OTLP endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), unless
 * `OTEL_TRACES_EXPORTER` names `none` or `OTEL_SDK_DISABLED=true`.
 */
export function tracingEnabled(env: NodeJS.ProcessEnv): boolean {
  if ((env.OTEL_SDK_DISABLED ?? "").trim().toLowerCase() === "true") return false;
  const exporters = (env.OTEL_TRACES_EXPORTER ?? "").split(",").map((e) => e.trim().toLowerCase());
  if (exporters.includes("none")) return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim() || env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim());
}

export interface PipelineTraceOptions<T> {
  env: NodeJS.ProcessEnv;
  /** The pipeline's name (`cicd.pipeline.name`): "shipgate assess", "shipgate run". */
  pipeline: string;
  /** shipgate's version (`service.version`); read only when tracing is on. */
  version: () => string;
  /** How the command's value ends the pipeline run. */
  resultOf: (value: T) => TraceResult;
}

/**
 * Runs `work` under a pipeline-run span (undefined when tracing is off) and sends the trace before returning — also
 * when `work` rejects (an error: `error`; Ctrl-C / SIGTERM: `cancellation`).
 */
export async function withPipelineTrace<T>(options: PipelineTraceOptions<T>, work: (span: TraceSpan | undefined) => Promise<T>): Promise<T> {
  if (!tracingEnabled(options.env)) return work(undefined);
  const { createOtelTracer } = await import("./otel-tracer.js");
  const tracer = createOtelTracer({ env: options.env, version: options.version() });
  const span = tracer.pipeline(options.pipeline);
  try {
    const value = await work(span);
    span.end(options.resultOf(value));
    return value;
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    span.end(error instanceof InterruptedError ? "cancellation" : "error", message);
    throw error;
  } finally {
    await tracer.shutdown();
  }
}
