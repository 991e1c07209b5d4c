import { appendFile, mkdir, writeFile } from "node:fs/promises";
import { dirname, relative, resolve } from "node:path";
import type { LoadedConfig } from "../../config/load-config.js";
import type { GateResult } from "../../gate/types.js";
import { ShipgateError } from "../../errors.js";
import type { Store } from "../../store/types.js";
import { writeCommands, writeReport, type CliIo, type CommonOptions } from "../output.js";
import { now } from "../clock.js";
import { findSnapshot, parseDay } from "../parse-args.js";
import { readVersion } from "../version.js";

/** Output flags shared by `gate` and `assess --gate`. */
export interface GateOutputOptions {
  json?: boolean;
  markdown?: boolean;
  junit?: string;
  sarif?: string;
}

export interface GateCommandOptions extends CommonOptions, GateOutputOptions {
  gate: string;
  snapshot?: string;
  baseline?: string;
  date?: string;
  list?: boolean;
}

/** `shipgate gate`: GO (exit 0) or NO-GO (exit 1) for the newest snapshot. */
export async function gateCommand(options: GateCommandOptions, io: CliIo): Promise<number> {
  const [{ loadConfig, CONFIG_FILE }, { withStore }] = await Promise.all([import("../../config/load-config.js"), import("../../store/open-store.js")]);
  const config = await loadConfig(resolve(options.cwd, options.config ?? CONFIG_FILE), { required: options.config !== undefined, cwd: process.cwd() });
  if (options.list) return listGates(config, options, io);
  if (options.date !== undefined) parseDay(options.date, "--date");
  return withStore(options.db, { cwd: options.cwd, mustExist: true }, async (store) => {
    const snapshotId = options.snapshot === undefined ? undefined : await snapshotIdOf(store, options.snapshot);
    // Judging the newest snapshot by default: say when it measured other code than the checkout holds now.
    const result = await evaluateAndReport({ ...options, config, store, ...(snapshotId === undefined ? { compareWithCheckout: true } : { snapshotId }) }, io);
    return result.verdict === "GO" ? 0 : 1;
  });
}

/** Runs the gate and writes every requested output. Used by `gate` and `assess --gate`. */
export async function evaluateAndReport(
  options: GateOutputOptions & { cwd: string; gate: string; config: LoadedConfig; store: Store; snapshotId?: number; baseline?: string; date?: string; compareWithCheckout?: boolean },
  io: CliIo,
): Promise<GateResult> {
  const [{ runGate }, text, { parseBaselineSpec }] = await Promise.all([
    import("../../app/run-gate.js"),
    import("../../report/gate-text.js"),
    import("../../gate/baseline-spec.js"),
  ]);
  // runGate refuses a bad baseline too, in its own words; here it is the flag that is wrong.
  const parsed = options.baseline === undefined ? undefined : parseBaselineSpec(options.baseline);
  if (parsed && "error" in parsed) throw new ShipgateError("USAGE", `[gate] --baseline ${parsed.error}`);
  const result = await runGate({
    root: options.cwd,
    store: options.store,
    config: options.config,
    gate: options.gate,
    ...(options.snapshotId === undefined ? {} : { snapshotId: options.snapshotId }),
    ...(options.baseline === undefined ? {} : { baseline: options.baseline }),
    ...(options.date === undefined ? {} : { today: options.date }),
    ...(options.compareWithCheckout ? { compareWithCheckout: true } : {}),
    at: now(io.env),
  });
  const stale = text.staleText(result);
  // On stderr too: CI logs show it whatever output was asked for.
  if (stale) io.stderr(`[gate] warning: ${stale}\n`);
  const configFile = options.config.file ? relative(options.cwd, options.config.file) : undefined;
  if (options.junit) {
    const { renderGateJunit } = await import("../../report/gate-junit.js");
    await writeOutput(options.junit, renderGateJunit(result));
    io.stderr(`[gate] JUnit written to ${options.junit}\n`);
  }
  if (options.sarif) {
    const { renderGateSarif } = await import("../../report/gate-sarif.js");
    const log = renderGateSarif(result, { toolVersion: readVersion(), ...(configFile && !configFile.startsWith("..") ? { configFile } : {}) });
    await writeOutput(options.sarif, `${JSON.stringify(log, null, 2)}\n`);
    io.stderr(`[gate] SARIF written to ${options.sarif}\n`);
  }
  if (options.json) io.stdout(`${JSON.stringify(result, null, 2)}\n`);
  else if (options.markdown) writeReport(io, `${text.renderGateMarkdown(result)}\n`);
  else writeReport(io, `${text.renderGateText(result, { color: io.color })}\n`);
  if (io.env.GITHUB_ACTIONS === "true") {
    // Workflow commands are read from stdout; with --json they would corrupt the document.
    if (!options.json) {
      const [{ renderGithubAnnotations }, { forWorkflowData, forWorkflowProperty }] = await Promise.all([import("../../report/github.js"), import("../../report/sanitize.js")]);
      const annotations = renderGithubAnnotations(result);
      if (stale) writeCommands(io, `::warning title=${forWorkflowProperty(`shipgate gate ${result.gate}: stale snapshot`)}::${forWorkflowData(stale)}`);
      if (annotations) writeCommands(io, annotations);
    }
    const stepSummary = io.env.GITHUB_STEP_SUMMARY;
    // After a blank line: right after assess's summary (which ends in `</details>`), the heading would be read as part of that HTML block.
    if (stepSummary) await appendFile(stepSummary, `\n${text.renderGateMarkdown(result)}\n`);
  }
  return result;
}

async function writeOutput(path: string, content: string): Promise<void> {
  try {
    await mkdir(dirname(resolve(path)), { recursive: true });
    await writeFile(path, content);
  } catch (error) {
    throw new ShipgateError("WRITE_FAILED", `[gate] cannot write ${path}: ${(error as Error).message}`, { hint: "check the path and its directory's permissions", cause: error });
  }
}

async function snapshotIdOf(store: Store, value: string): Promise<number> {
  const found = await findSnapshot(store, value);
  if (!found) throw new ShipgateError("NOT_FOUND", `[gate] no snapshot ${value} in ${store.location}`, { hint: "`shipgate history` lists the snapshots" });
  return found.id;
}

async function listGates(config: LoadedConfig, options: GateCommandOptions, io: CliIo): Promise<number> {
  const [{ gateSpecs }, { conditionName }, { formatBaselineSpec }] = await Promise.all([
    import("../../config/gates.js"),
    import("../../report/gate-words.js"),
    import("../../gate/baseline-spec.js"),
  ]);
  const specs = gateSpecs(config.config);
  if (options.json) {
    io.stdout(`${JSON.stringify(specs, null, 2)}\n`);
    return 0;
  }
  for (const g of specs) {
    io.stdout(`${g.name}${config.config.gates[g.name] ? "" : " (built in)"} — baseline ${formatBaselineSpec(g.baseline)}\n`);
    if (g.description) io.stdout(`  ${g.description}\n`);
    for (const c of g.conditions) io.stdout(`  - ${conditionName(c)}${c.severity === "warn" ? " (warn)" : ""}${c.whenMissing === "pass" ? " (passes without data)" : ""}\n`);
    for (const w of g.waivers) io.stdout(`  waiver ${w.condition} until ${w.expires} (${w.owner}): ${w.reason}\n`);
  }
  return 0;
}
