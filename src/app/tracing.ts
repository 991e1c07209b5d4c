/**
 * The tracing port: what the use cases (assess, the dispatcher) report to a tracer, in their own words. The entry
 * point hands one in (src/telemetry/tracing.ts implements it with OpenTelemetry); absent, nothing is traced and
 * nothing is loaded. app never imports telemetry.
 */

/** How a pipeline run, a task run or a step ended (the values of OpenTelemetry's `cicd.pipeline.result`). */
export type TraceResult = "success" | "failure" | "error" | "timeout" | "cancellation" | "skip";

/** A step below a pipeline run or a task run. */
export type TraceStepKind = "collector" | "acceptance" | "gate" | "merge";

/** One open span. */
export interface TraceSpan {
  /**
   * The W3C trace context of this span (`00-<trace id>-<span id>-<flags>`), handed to the processes started under it
   * as `TRACEPARENT` so their own spans join the trace; null when the span is not sampled.
   */
  readonly traceparent: string | null;
  /** A task attempt (a task-run span) under this pipeline run. */
  taskRun(attempt: { task: string; run: number; attempt: number; agent: string; agentKind: string }): TraceSpan;
  /** A step (collector, acceptance, gate, merge) under this span; `name` says which (the collector's name, the task's id; under a pipeline run, a gate step names the gate). */
  step(kind: TraceStepKind, name: string): TraceSpan;
  /** Ends the span; `detail` says why when it did not succeed. Calling it twice ends it once. */
  end(result: TraceResult, detail?: string | null): void;
}

/** The env a process started under `span` gets: TRACEPARENT when there is a trace to join. */
export function traceEnv(span: TraceSpan | undefined): Record<string, string> {
  const parent = span?.traceparent;
  return parent ? { TRACEPARENT: parent } : {};
}
