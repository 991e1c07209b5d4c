import type { LoadedConfig } from "../../config/load-config.js";
import { gateSpecs } from "../../config/gates.js";
import { ShipgateError } from "../../errors.js";
import { parseBaselineSpec } from "../../gate/baseline-spec.js";
import type { ConditionResult, GateResult } from "../../gate/types.js";
import { conditionName, valueText } from "../../report/gate-words.js";
import type { Store } from "../../store/types.js";
import { assess, type AssessProgress } from "../assess.js";
import { runGate } from "../run-gate.js";

export interface WorkspaceGateOptions {
  /** The directory to measure: a task's git worktree (branch `shipgate/<task>`), or the project itself in place. */
  root: string;
  /** shipgate.yaml as the workspace holds it: its collectors run in `root`, its gates name `gate`. */
  config: LoadedConfig;
  /** The gate every task must pass (the plan's `execution.gate`). */
  gate: string;
  store: Store;
  /**
   * What the gate's `new` and `delta` conditions compare with, instead of the gate's own baseline: for a task,
   * `branch:<integration branch>` (the work it merges into). The gate's default, `previous`, looks for an earlier
   * snapshot on the task's own branch — none on a first attempt, so regressions would pass unseen.
   */
  baseline?: string;
  /** When the snapshot is taken and the gate evaluated (ISO 8601); waivers are checked against its day (UTC). */
  at: string;
  /** Stops the collectors (their process groups are ended) and stores nothing: rejects with an InterruptedError. */
  signal?: AbortSignal;
  onProgress?: (event: AssessProgress) => void;
}

/** A blocking condition the workspace fails, in the words every output uses. */
export interface FailingCondition {
  id: string;
  /** `tests.failed == 0`, `new:findings == 0` (conditionName). */
  condition: string;
  /** The measured value as reports show it, or "no data". */
  value: string;
  /** Why there is no value, when there is none. */
  missing: string | null;
}

export interface WorkspaceGateResult {
  decision: "GO" | "NO-GO";
  /**
   * One line for a run's note, after the gate's name and decision: the failing conditions with their values on NO-GO
   * (`tests.failed == 0 (now 1), coverage.lines >= 60 (now no data)`), how many held on GO (`9 conditions hold`).
   */
  summary: string;
  failing: FailingCondition[];
  /** The snapshot stored for the workspace (its git state names the worktree's branch). */
  snapshotId: number;
  result: GateResult;
}

const failingOf = (c: ConditionResult): FailingCondition => ({ id: c.id, condition: conditionName(c), value: valueText(c), missing: c.missing });

/**
 * Whether a task's workspace passes a gate: runs the config's collectors in `root` (app/assess: the snapshot it stores
 * records the worktree's branch and commit), then evaluates the gate on that snapshot (app/run-gate, its baseline as
 * the gate defines it). An unknown gate is refused before any collector runs; a collector or report that fails
 * rejects as `assess` does, and nothing is stored.
 */
export async function checkWorkspaceGate(options: WorkspaceGateOptions): Promise<WorkspaceGateResult> {
  const { root, config, gate, store, at } = options;
  const names = gateSpecs(config.config).map((g) => g.name);
  // A malformed baseline is refused before any collector runs, as an unknown gate is.
  if (options.baseline !== undefined) {
    const parsed = parseBaselineSpec(options.baseline);
    if ("error" in parsed) throw new ShipgateError("USAGE", `[run] baseline ${parsed.error}`);
  }
  if (!names.includes(gate)) {
    const where = config.shownAs ?? "shipgate.yaml";
    throw new ShipgateError("CONFIG_INVALID", `[run] the gate every task must pass, "${gate}", is not defined in ${where}; gates: ${names.join(", ")}`, {
      hint: `define it under gates: in ${where} (docs/gates.md), or name one of those as the plan's execution.gate`,
    });
  }
  const { snapshotId } = await assess({
    root,
    config,
    reports: [],
    run: true,
    store,
    now: () => new Date(at),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const result = await runGate({ root, store, config, gate, snapshotId, at, today: at.slice(0, 10), ...(options.baseline === undefined ? {} : { baseline: options.baseline }) });
  const failing = result.conditions.filter((c) => c.verdict === "fail").map(failingOf);
  const summary =
    result.verdict === "GO"
      ? `${result.conditions.length} condition${result.conditions.length === 1 ? "" : "s"} hold${result.counts.warned ? `, ${result.counts.warned} warning(s)` : ""}${result.counts.waived ? `, ${result.counts.waived} waived` : ""}`
      : failing.map((f) => `${f.condition} (now ${f.value})`).join(", ");
  return { decision: result.verdict, summary, failing, snapshotId, result };
}
