import type { LoadedConfig } from "../config/load-config.js";
import { locate } from "../config/load-config.js";
import { gateSpecs } from "../config/gates.js";
import { ShipgateError } from "../errors.js";
import { formatBaselineSpec, parseBaselineSpec } from "../gate/baseline-spec.js";
import { changedLineCoverage } from "../gate/changed-lines.js";
import { evaluateGate, type GateSnapshot } from "../gate/evaluate.js";
import type { TestHistoryEntry } from "../gate/regressions.js";
import type { BaselineSpec, ChangedLinesCoverage, GateResult, GateSpec } from "../gate/types.js";
import type { SnapshotRecord, Store } from "../store/types.js";
import { changedLines, resolveRef } from "./git-diff.js";
import { readGitState } from "./git-state.js";
import type { AssessSummary } from "./summary.js";

export interface RunGateOptions {
  root: string;
  store: Store;
  config: LoadedConfig;
  /** Gate name (default "release"). */
  gate: string;
  /** The snapshot to judge (default: the newest). */
  snapshotId?: number;
  /** Overrides the gate's baseline: previous, a name, branch:NAME, ref:GIT_REF, snapshot:ID. */
  baseline?: string;
  /** YYYY-MM-DD the waivers are checked against (default: today, UTC). */
  today?: string;
}

/** Finds the gate, its snapshot and baseline, the changed lines and the recent history; evaluates; records a `gate.evaluated` event. */
export async function runGate(options: RunGateOptions): Promise<GateResult> {
  const { store, root } = options;
  const specs = gateSpecs(options.config.config);
  const found = specs.find((g) => g.name === options.gate);
  if (!found) {
    throw new ShipgateError("USAGE", `[gate] no gate named "${options.gate}"; gates: ${specs.map((g) => g.name).join(", ")}`, {
      hint: "define it under gates: in shipgate.yaml (docs/gates.md), or pick one of those",
    });
  }
  let spec: GateSpec = found;
  let fromConfig = options.config.config.gates[spec.name] !== undefined;
  if (options.baseline !== undefined) {
    const parsed = parseBaselineSpec(options.baseline);
    if ("error" in parsed) throw new ShipgateError("USAGE", `[gate] --baseline ${parsed.error}`);
    spec = { ...spec, baseline: parsed };
    fromConfig = false;
  }

  const currentRecord = options.snapshotId === undefined ? (await store.listSnapshots({ limit: 1 }))[0] : await store.getSnapshot(options.snapshotId);
  if (!currentRecord) {
    throw new ShipgateError("NOT_FOUND", `[gate] ${options.snapshotId === undefined ? "no snapshot" : `no snapshot ${options.snapshotId}`} in ${store.location}`, {
      hint: "run `shipgate assess` first (or `shipgate assess --gate NAME` to do both); `shipgate history` lists the snapshots",
    });
  }
  const where = (): string => {
    const line = fromConfig && options.config.text ? locate(options.config.text, ["gates", spec.name, "baseline"]) : undefined;
    return fromConfig && options.config.shownAs ? ` (${options.config.shownAs}${line ? `:${line}` : ""}: gates.${spec.name}.baseline)` : "";
  };
  const { record: baselineRecord, commit: baselineCommit, missing } = await findBaseline(store, root, spec.baseline, currentRecord, where);

  const [current, baseline] = await Promise.all([load(store, currentRecord), baselineRecord ? load(store, baselineRecord) : Promise.resolve(null)]);
  const history = await testHistory(store, currentRecord.id, options.config.config.flaky.window - 1);

  let changed: ChangedLinesCoverage | null = null;
  let changedMissing: string | null = null;
  if (spec.conditions.some((c) => c.scope === "new" && c.metric.startsWith("coverage."))) {
    if (!baselineCommit) {
      changedMissing = baselineRecord ? `the baseline (snapshot ${baselineRecord.id}) was not taken in a git checkout` : (missing ?? "no baseline");
    } else {
      const head = (await readGitState(root)).commit;
      // The snapshot of the checkout as it is: its uncommitted and untracked changes count too.
      const target = currentRecord.git.commit !== null && currentRecord.git.commit !== head ? currentRecord.git.commit : null;
      const lines = await changedLines(root, baselineCommit, target);
      changed = changedLineCoverage(lines, await store.getCoverageFiles(currentRecord.id), baselineCommit);
    }
  }

  const result = evaluateGate({
    spec,
    today: options.today ?? new Date().toISOString().slice(0, 10),
    current,
    baseline,
    baselineMissing: missing,
    baselineCommit,
    history,
    changedLines: changed,
    changedLinesMissing: changedMissing,
  });
  await store.appendEvent({
    type: "gate.evaluated",
    subject: `snapshot:${currentRecord.id}`,
    data: { gate: result.gate, verdict: result.verdict, baseline: result.baseline.snapshot?.id ?? null, failed: result.conditions.filter((c) => c.verdict === "fail").map((c) => c.id) },
  });
  return result;
}

async function findBaseline(
  store: Store,
  root: string,
  spec: BaselineSpec,
  current: SnapshotRecord,
  where: () => string,
): Promise<{ record: SnapshotRecord | null; commit: string | null; missing: string | null }> {
  const shown = formatBaselineSpec(spec);
  const of = (record: SnapshotRecord | undefined, missing: string) => ({ record: record ?? null, commit: record?.git.commit ?? null, missing: record ? null : missing });
  switch (spec.kind) {
    case "previous": {
      const [previous] = await store.listSnapshots({ beforeId: current.id, limit: 1 });
      return of(previous, `snapshot ${current.id} is the first in ${store.location}: there is no previous one`);
    }
    case "snapshot": {
      const record = await store.getSnapshot(spec.id);
      if (!record) throw new ShipgateError("NOT_FOUND", `[gate] baseline ${shown}${where()}: no snapshot ${spec.id} in ${store.location}`, { hint: "`shipgate history` lists the snapshots" });
      return of(record, "");
    }
    case "named": {
      const named = await store.getBaseline(spec.name);
      if (!named) {
        const known = (await store.listBaselines()).map((b) => b.name);
        throw new ShipgateError("NOT_FOUND", `[gate] baseline "${spec.name}"${where()} does not exist in ${store.location}${known.length ? ` (baselines: ${known.join(", ")})` : ""}`, {
          hint: `name a snapshot with \`shipgate baseline set ${spec.name} [SNAPSHOT]\`, or use previous, branch:NAME or ref:GIT_REF`,
        });
      }
      return of(await store.getSnapshot(named.snapshotId), `baseline "${spec.name}" points at snapshot ${named.snapshotId}, which is gone`);
    }
    case "branch": {
      const [record] = (await store.listSnapshots({ branch: spec.branch, limit: 2 })).filter((s) => s.id !== current.id);
      return of(record, `no snapshot was taken on branch ${spec.branch} (besides this one)`);
    }
    case "ref": {
      const commit = await resolveRef(root, spec.ref);
      if (!commit) {
        throw new ShipgateError("NOT_FOUND", `[gate] baseline ${shown}${where()}: git cannot resolve "${spec.ref}" in ${root}`, {
          hint: "fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0), or pick another baseline",
        });
      }
      const [record] = (await store.listSnapshots({ commit, limit: 2 })).filter((s) => s.id !== current.id);
      return { record: record ?? null, commit, missing: record ? null : `no snapshot was taken at ${spec.ref} (${commit.slice(0, 12)}); only changed lines can be measured against it` };
    }
  }
}

async function load(store: Store, record: SnapshotRecord): Promise<GateSnapshot> {
  const [tests, findings, advisories] = await Promise.all([store.getTestResults(record.id), store.getFindings(record.id), store.getAdvisories(record.id)]);
  return {
    ref: { id: record.id, takenAt: record.takenAt, commit: record.git.commit, branch: record.git.branch },
    dirty: record.git.dirty,
    summary: record.summary as AssessSummary,
    tests,
    findings,
    advisories,
  };
}

/** The test outcomes of the `count` snapshots before `id`, oldest first. */
async function testHistory(store: Store, id: number, count: number): Promise<TestHistoryEntry[]> {
  if (count <= 0) return [];
  const records = await store.listSnapshots({ beforeId: id, limit: count });
  const out: TestHistoryEntry[] = [];
  for (const r of records.reverse()) {
    const tests = await store.getTestResults(r.id);
    out.push({ commit: r.git.commit, dirty: r.git.dirty, outcomes: new Map(tests.map((t) => [t.testId, t.status])) });
  }
  return out;
}
