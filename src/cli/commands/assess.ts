import { resolve } from "node:path";
import { appendFile } from "node:fs/promises";
import type { AssessProgress } from "../../app/assess.js";
import type { TraceResult } from "../../app/tracing.js";
import { CollectorError, ShipgateError } from "../../errors.js";
import type { ReportFormat } from "../../ingest/types.js";
import type { BaselineSpec } from "../../gate/types.js";
import { writeJson, writeReport, type CliIo, type CommonOptions } from "../output.js";
import { now } from "../clock.js";
import { withYoungGenerationCap } from "../../app/young-generation.js";
import { readVersion } from "../version.js";

export interface AssessCommandOptions extends CommonOptions {
  report: string[];
  format?: string;
  /** Collector names to leave out this time (repeatable). */
  skip: string[];
  /** Collector names to run alone (repeatable). */
  only: string[];
  run: boolean;
  gate?: string;
  baseline?: string;
  junit?: string;
  sarif?: string;
}

/** `shipgate assess`: collect → ingest → snapshot; prints the summary. */
export async function assessCommand(options: AssessCommandOptions, io: CliIo): Promise<number> {
  const [{ assess }, { loadConfig, CONFIG_FILE }, { withStore }, { isReportFormat, formats }, text] = await Promise.all([
    import("../../app/assess.js"),
    import("../../config/load-config.js"),
    import("../../store/open-store.js"),
    import("../../ingest/detect.js"),
    import("../../report/assess-text.js"),
  ]);
  if (options.format !== undefined && !isReportFormat(options.format)) {
    throw new ShipgateError("USAGE", `[assess] --format must be one of ${formats.join(", ")} (got "${options.format}")`);
  }
  const root = options.cwd;
  const explicitConfig = options.config !== undefined;
  const configPath = resolve(root, options.config ?? CONFIG_FILE);
  // With --report and no explicit --config, a shipgate.yaml is not needed; its collectors are not run.
  const config = await loadConfig(configPath, { required: explicitConfig, cwd: process.cwd() });
  if (config.file === null && options.report.length === 0) {
    // Checked before the store is opened: a folder with nothing to measure gets no .shipgate/ either.
    throw new ShipgateError("USAGE", `[assess] no ${CONFIG_FILE} in ${resolve(root)}: run \`shipgate init\`, pass --cwd with the repository root, or read reports with --report FILE`, {
      hint: "nothing was assessed or stored",
    });
  }
  const reportsOnly = options.report.length > 0 && !explicitConfig;
  if (reportsOnly) config.config.collectors = [];
  const configured = config.config.collectors.length;
  config.config.collectors = selectCollectors(config.config.collectors, options);
  if (configured > 0 && config.config.collectors.length === 0 && options.report.length === 0) {
    throw new ShipgateError("USAGE", `[assess] --skip leaves none of the ${configured} collector(s) of ${CONFIG_FILE} to run`, { hint: "nothing was assessed or stored; skip fewer, or pass --report FILE" });
  }
  if (options.gate === undefined && (options.baseline || options.junit || options.sarif)) {
    throw new ShipgateError("USAGE", "[assess] --baseline, --junit and --sarif belong to a gate: add --gate NAME (or run `shipgate gate` after assess)");
  }
  let gateBaseline: BaselineSpec | null = null;
  if (options.gate !== undefined) {
    // A typo in the gate's name must not leave a snapshot behind: check it before anything is stored.
    const [{ gateSpecs }, { parseBaselineSpec }] = await Promise.all([import("../../config/gates.js"), import("../../gate/baseline-spec.js")]);
    const names = gateSpecs(config.config).map((g) => g.name);
    if (!names.includes(options.gate)) {
      throw new ShipgateError("USAGE", `[assess] no gate named "${options.gate}"; gates: ${names.join(", ")}`, { hint: "nothing was assessed or stored; define the gate under gates: in shipgate.yaml (docs/gates.md), or pick one of those" });
    }
    const baseline = options.baseline === undefined ? null : parseBaselineSpec(options.baseline);
    if (baseline && "error" in baseline) throw new ShipgateError("USAGE", `[assess] --baseline ${baseline.error}`, { hint: "nothing was assessed or stored" });
    gateBaseline = baseline ?? gateSpecs(config.config).find((g) => g.name === options.gate)?.baseline ?? null;
  }
  // Ctrl-C / SIGTERM from here on: the collectors' processes are ended, nothing is stored (exit 130 / 143).
  const signal = io.interruptible?.();
  // Tracing (OTEL_EXPORTER_OTLP_ENDPOINT): this assessment is a pipeline run; its trace is sent before the exit, also on an error or Ctrl-C.
  const { withPipelineTrace } = await import("../../telemetry/tracing.js");
  const traceOptions = { env: io.env, pipeline: "shipgate assess", version: readVersion, resultOf: (code: number): TraceResult => (code === 0 ? "success" : "failure") };
  // A big report would grow V8's young generation to its 32 MB maximum, resident to the end, the --json
  // output included: the cap holds for the whole command (app/young-generation.ts).
  return withYoungGenerationCap(() => withPipelineTrace(traceOptions, (trace) => withStore(options.db, { cwd: root }, async (store) => {
    // A baseline that names nothing (an unknown snapshot, name or git ref) must not leave a snapshot behind either.
    if (gateBaseline !== null && gateBaseline.kind !== "previous") {
      const { findNamedSnapshot } = await import("../../app/run-gate.js");
      try {
        await findNamedSnapshot(store, root, gateBaseline, null);
      } catch (error) {
        if (error instanceof ShipgateError) throw new ShipgateError(error.code, error.message, { hint: `nothing was assessed or stored; ${error.hint ?? "pick another baseline"}`, cause: error });
        throw error;
      }
    }
    const result = await withSkipHint(assess({
      root,
      config,
      reports: options.report.map((path) => (options.format ? { path: resolve(process.cwd(), path), format: options.format as ReportFormat } : { path: resolve(process.cwd(), path) })),
      run: options.run,
      store,
      onProgress: progressPrinter(io),
      now: () => new Date(now(io.env)),
      ...(signal ? { signal } : {}),
      trace,
    }));
    const stepSummary = io.env.GITHUB_STEP_SUMMARY;
    if (io.env.GITHUB_ACTIONS === "true" && stepSummary) await appendFile(stepSummary, `${text.renderAssessMarkdown(result.summary)}\n`);
    if (options.gate !== undefined) {
      // One JSON document on stdout: the snapshot's summary with the gate's result in it.
      if (!options.json) writeReport(io, `${options.markdown ? text.renderAssessMarkdown(result.summary) : text.renderAssessText(result.summary, { color: io.color })}\n\n`);
      const { evaluateAndReport } = await import("./gate.js");
      // The gate is a step of this pipeline run, as it is of a task attempt under `shipgate run`.
      const gateSpan = trace?.step("gate", options.gate);
      let gate: Awaited<ReturnType<typeof evaluateAndReport>>;
      try {
        gate = await evaluateAndReport({ ...options, json: false, gate: options.gate, config, store, snapshotId: result.snapshotId }, options.json ? { ...io, stdout: () => undefined, commands: () => undefined } : io);
      } catch (error) {
        gateSpan?.end("error", error instanceof Error ? error.message.split("\n")[0] : String(error));
        throw error;
      }
      gateSpan?.end(gate.verdict === "GO" ? "success" : "failure", gate.verdict === "GO" ? null : `gate ${options.gate} said NO-GO`);
      if (options.json) await writeJson(io, { ...result.summary, gate });
      return gate.verdict === "GO" ? 0 : 1;
    }
    if (options.json) await writeJson(io, result.summary);
    else if (options.markdown) writeReport(io, `${text.renderAssessMarkdown(result.summary)}\n`);
    else writeReport(io, `${text.renderAssessText(result.summary, { color: io.color })}\n`);
    return 0;
  })));
}

/** A collector that fails (a tool that needs the network, offline) need not stop every assess: the hint offers --skip. */
async function withSkipHint<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (!(error instanceof CollectorError)) throw error;
    const skip = `to assess without it this time: shipgate assess --skip ${error.collector}`;
    throw new CollectorError(error.code, error.collector, error.message, { hint: error.hint ? `${error.hint}; ${skip}` : skip, cause: error });
  }
}

function progressPrinter(io: CliIo): (event: AssessProgress) => void {
  const live = io.isTty && !io.isCi;
  let timer: NodeJS.Timeout | undefined;
  return (event) => {
    switch (event.type) {
      case "collector-start": {
        io.stderr(`[collect] ${event.name}: running \`${event.command}\`\n`);
        if (live) {
          const started = Date.now();
          timer = setInterval(() => io.stderr(`\r[collect] ${event.name}: ${Math.round((Date.now() - started) / 1000)} s …`), 1000);
          timer.unref();
        }
        break;
      }
      case "collector-end": {
        if (timer) clearInterval(timer);
        if (live) io.stderr("\r\u001b[K");
        const r = event.run;
        const how = r.aborted ? "stopped" : r.timedOut ? "timed out" : r.spawnError ? "could not start" : `exit ${r.exitCode ?? r.signal}`;
        io.stderr(`[collect] ${event.name}: ${how} after ${(r.durationMs / 1000).toFixed(1)} s${r.leftovers ? " (ended the processes it left running)" : ""}\n`);
        break;
      }
      case "report-start":
        if (event.bytes > 20 * 1024 * 1024) io.stderr(`[ingest] reading ${event.path} (${(event.bytes / 1024 / 1024).toFixed(0)} MB) …\n`);
        break;
      case "report-end": {
        const what = [
          event.tests ? `${event.tests} test(s)` : "",
          event.coverageFiles ? `${event.coverageFiles} covered file(s)` : "",
          event.findings ? `${event.findings} finding(s)` : "",
          event.advisories ? `${event.advisories} advisories` : "",
        ].filter(Boolean);
        io.stderr(`[ingest] ${event.path}: ${event.format}, ${what.join(", ") || "nothing"} in ${event.ms} ms\n`);
        break;
      }
      case "docs-progress":
        // Only big trees are worth a live counter, and only on a terminal.
        if (live && event.total >= 1000 && (event.done % 500 === 0 || event.done === event.total)) io.stderr(`\r[docs] ${event.done}/${event.total} markdown files …`);
        break;
      case "docs-end":
        if (live && event.files >= 1000) io.stderr("\r\u001b[K");
        io.stderr(`[docs] ${event.files} markdown file(s), ${event.links} link(s), ${event.broken} broken, in ${event.ms} ms\n`);
        break;
      case "collector-output":
        break;
    }
  };
}

/**
 * `--only` / `--skip`: the collectors of this run. A name that matches no collector is a usage error (a typo
 * would otherwise silently measure less). What a left-out collector measures is unknown in the snapshot.
 */
function selectCollectors<C extends { name: string }>(collectors: C[], options: { only: string[]; skip: string[] }): C[] {
  const names = collectors.map((c) => c.name);
  for (const [flag, list] of [["--only", options.only], ["--skip", options.skip]] as const) {
    const unknown = list.filter((n) => !names.includes(n));
    if (unknown.length > 0) {
      throw new ShipgateError("USAGE", `[assess] ${flag} ${unknown.join(", ")}: no such collector in shipgate.yaml`, {
        hint: names.length > 0 ? `its collectors: ${names.join(", ")}` : "shipgate.yaml has no collectors (`shipgate init` proposes them)",
      });
    }
  }
  return collectors.filter((c) => (options.only.length === 0 || options.only.includes(c.name)) && !options.skip.includes(c.name));
}
