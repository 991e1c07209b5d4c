import type { LoadedConfig } from "../config/load-config.js";
import { locate } from "../config/load-config.js";
import { gateSpecs } from "../config/gates.js";
import { REMEDY, ShipgateError } from "../errors.js";
import { formatBaselineSpec, parseBaselineSpec } from "../gate/baseline-spec.js";
import { changedLineCoverage } from "../gate/changed-lines.js";
import { evaluateGate, type GateSnapshot } from "../gate/evaluate.js";
import type { TestHistoryEntry } from "../gate/regressions.js";
import type { BaselineSpec, ChangedLinesCoverage, GateResult, GateSpec } from "../gate/types.js";
import { normalizeSummary } from "../gate/metrics.js";
import { compareCheckout, type StaleSnapshot } from "../gate/stale.js";
import type { SnapshotRecord, Store } from "../store/types.js";
import { changedLines, mergeBase, resolveRef } from "../git/diff.js";
import { gitPrefix } from "../git/process.js";
import { readGitState } from "../git/state.js";

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
  /** YYYY-MM-DD the waivers are checked against (default: the day of `at`, UTC). */
  today?: string;
  /** When the gate is evaluated, stamped on its event (default: now). */
  at?: string;
  /**
   * Compare what the judged snapshot measured (commit, uncommitted changes) with the checkout at `root` now,
   * and return the difference as `stale`. For a caller that judges the newest snapshot on its own initiative.
   */
  compareWithCheckout?: boolean;
  /** Record the verdict as a `gate.evaluated` event (default true); false for a read (the HTTP API's GET /api/gate). */
  record?: boolean;
}

/** A gate's result; `stale` when `compareWithCheckout` was asked: null when the checkout is what the snapshot measured. */
export type GateRun = GateResult & { stale?: StaleSnapshot | null };

/** Finds the gate, its snapshot and baseline, the changed lines and the recent history; evaluates; records a `gate.evaluated` event (unless `record` is false). */
export async function runGate(options: RunGateOptions): Promise<GateRun> {
  const { store, root } = options;
  const at = options.at ?? new Date().toISOString();
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
    if ("error" in parsed) throw new ShipgateError("USAGE", `[gate] baseline ${parsed.error}`);
    spec = { ...spec, baseline: parsed };
    fromConfig = false;
  }

  const currentRecord = options.snapshotId === undefined ? await newestProjectSnapshot(store) : await store.getSnapshot(options.snapshotId);
  if (!currentRecord) {
    throw new ShipgateError("NOT_FOUND", `[gate] ${options.snapshotId === undefined ? "no snapshot" : `no snapshot ${options.snapshotId}`} in ${store.location}`, {
      hint: `${REMEDY.assessFirst}; \`shipgate history\` lists the snapshots`,
    });
  }
  const where = (): string => {
    const line = fromConfig && options.config.text ? locate(options.config.text, ["gates", spec.name, "baseline"]) : undefined;
    return fromConfig && options.config.shownAs ? ` (${options.config.shownAs}${line ? `:${line}` : ""}: gates.${spec.name}.baseline)` : "";
  };
  const { record: baselineRecord, commit: baselineCommit, missing } = await findBaseline(store, root, spec.baseline, currentRecord, where);

  const [current, baseline] = await Promise.all([load(store, currentRecord), baselineRecord ? load(store, baselineRecord) : Promise.resolve(null)]);
  const history = await testHistory(store, currentRecord, options.config.config.flaky.window - 1);

  let changed: ChangedLinesCoverage | null = null;
  let changedMissing: string | null = null;
  let base = baselineCommit;
  if (spec.conditions.some((c) => c.scope === "new" && c.metric.startsWith("coverage."))) {
    const git = currentRecord.git;
    // What the snapshot measured: its commit when clean, the working tree it recorded when not. The checkout
    // as it is now is never used: it may have changed since.
    const target = git.dirty ? git.tree : git.commit;
    if (!baselineCommit) {
      changedMissing = baselineRecord ? `the baseline (snapshot ${baselineRecord.id}) was not taken in a git checkout` : (missing ?? "no baseline");
    } else if (git.commit === null) {
      changedMissing = `snapshot ${currentRecord.id} was not taken in a git checkout`;
    } else if (target === null) {
      changedMissing = `snapshot ${currentRecord.id} was taken with uncommitted changes that were not recorded (an older shipgate, or git could not write a tree): commit, and assess again`;
    } else {
      // From where the two histories meet: changes made on the baseline's side since are not this snapshot's.
      base = (await mergeBase(root, baselineCommit, git.commit)) ?? baselineCommit;
      changed = changedLineCoverage(await changedLines(root, base, target), await store.getCoverageFiles(currentRecord.id), base);
    }
  }

  const result = evaluateGate({
    spec,
    today: options.today ?? at.slice(0, 10),
    current,
    baseline,
    baselineMissing: missing,
    baselineCommit: base,
    pathPrefix: await gitPrefix(root),
    history,
    changedLines: changed,
    changedLinesMissing: changedMissing,
  });
  if (options.record !== false) await store.appendEvent({
    at,
    type: "gate.evaluated",
    subject: `snapshot:${currentRecord.id}`,
    data: { gate: result.gate, verdict: result.verdict, baseline: result.baseline.snapshot?.id ?? null, failed: result.conditions.filter((c) => c.verdict === "fail").map((c) => c.id) },
  });
  if (!options.compareWithCheckout) return result;
  return { ...result, stale: compareCheckout(currentRecord.git, await readGitState(root)) };
}

async function findBaseline(
  store: Store,
  root: string,
  spec: BaselineSpec,
  current: SnapshotRecord,
  where: () => string,
): Promise<{ record: SnapshotRecord | null; commit: string | null; missing: string | null }> {
  const of = (record: SnapshotRecord | undefined, missing: string) => ({ record: record ?? null, commit: record?.git.commit ?? null, missing: record ? null : missing });
  if (spec.kind === "previous") {
    // On the snapshot's own branch: in a store shared by branches, the snapshot before may be another branch's.
    // Snapshots that measured the same inputs (assess run again on the same commit, reports and config) are
    // skipped: they hold the same results, and comparing with them would make every failure look old.
    const branch = current.git.branch;
    const mine = { beforeId: current.id, limit: 1, ...(branch ? { branch } : {}) };
    const [previous] = await store.listSnapshots({ ...mine, ...(current.inputsHash ? { inputsDifferFrom: current.inputsHash } : {}) });
    if (previous) return of(previous, "");
    const [same] = current.inputsHash ? await store.listSnapshots(mine) : [];
    return of(
      undefined,
      same
        ? `every snapshot before snapshot ${current.id}${branch ? ` on branch ${branch}` : ""} measured the same inputs (commit, reports and config): there is no earlier measurement to compare with`
        : `snapshot ${current.id} is the first${branch ? ` of branch ${branch}` : ""} in ${store.location}: there is no previous one`,
    );
  }
  return findNamedSnapshot(store, root, spec, current, where);
}

/**
 * The snapshot a baseline spec names: `snapshot:ID`, a baseline name, `branch:NAME` (the newest on it, a clean one
 * first; before `before` when given) or `ref:GIT_REF` (the newest taken at that commit, a clean one first, other than
 * `before`). NOT_FOUND for an unknown id, name or ref; `missing` says why when the spec names no snapshot yet.
 * `previous` is relative to a judged snapshot: use `findBaseline`. Messages start with `label`.
 */
export async function findNamedSnapshot(
  store: Store,
  root: string,
  spec: Exclude<BaselineSpec, { kind: "previous" }>,
  before: SnapshotRecord | null,
  where: () => string = () => "",
  label = "[gate] baseline",
): Promise<{ record: SnapshotRecord | null; commit: string | null; missing: string | null }> {
  const shown = formatBaselineSpec(spec);
  const of = (record: SnapshotRecord | undefined, missing: string) => ({ record: record ?? null, commit: record?.git.commit ?? null, missing: record ? null : missing });
  switch (spec.kind) {
    case "snapshot": {
      const record = await store.getSnapshot(spec.id);
      if (!record) throw new ShipgateError("NOT_FOUND", `${label} ${shown}${where()}: no snapshot ${spec.id} in ${store.location}`, { hint: "`shipgate history` lists the snapshots" });
      return of(record, "");
    }
    case "named": {
      const named = await store.getBaseline(spec.name);
      if (!named) {
        const known = (await store.listBaselines()).map((b) => b.name);
        throw new ShipgateError("NOT_FOUND", `${label} "${spec.name}"${where()} does not exist in ${store.location}${known.length ? ` (baselines: ${known.join(", ")})` : ""}`, {
          hint: `name a snapshot with \`shipgate baseline set ${spec.name} [SNAPSHOT]\`, or use previous, branch:NAME or ref:GIT_REF`,
        });
      }
      return of(await store.getSnapshot(named.snapshotId), `baseline "${spec.name}" points at snapshot ${named.snapshotId}, which is gone`);
    }
    case "branch": {
      const record = preferClean(await store.listSnapshots({ branch: spec.branch, limit: 10, ...(before ? { beforeId: before.id } : {}) }));
      return of(record, `no snapshot was taken on branch ${spec.branch}${before ? ` before snapshot ${before.id}` : ""}`);
    }
    case "ref": {
      const commit = await resolveRef(root, spec.ref);
      if (!commit) {
        throw new ShipgateError("NOT_FOUND", `${label} ${shown}${where()}: git cannot resolve "${spec.ref}" in ${root}`, {
          hint: "fetch it first (in GitHub Actions: actions/checkout with fetch-depth: 0), or pick another baseline",
        });
      }
      const record = preferClean((await store.listSnapshots({ commit, limit: 10 })).filter((s) => s.id !== before?.id));
      return { record: record ?? null, commit, missing: record ? null : `no snapshot was taken at ${spec.ref} (${commit.slice(0, 12)}); only changed lines can be measured against it` };
    }
  }
}

/** The snapshot a baseline spec names on its own (for `shipgate show`): `previous` is the one the newest snapshot's gate compares with. */
export async function findSpecSnapshot(store: Store, root: string, spec: BaselineSpec, label: string): Promise<{ record: SnapshotRecord | null; missing: string | null }> {
  if (spec.kind !== "previous") return findNamedSnapshot(store, root, spec, null, () => "", label);
  const [newest] = await store.listSnapshots({ limit: 1 });
  if (!newest) return { record: null, missing: `there is no snapshot in ${store.location}` };
  return findBaseline(store, root, spec, newest, () => "");
}

/** The newest clean snapshot of a list (newest first), else the newest. */
function preferClean(list: SnapshotRecord[]): SnapshotRecord | undefined {
  return list.find((s) => s.git.dirty === false) ?? list[0];
}

const FINDING_FORMATS = new Set(["eslint", "ruff", "sarif", "tsc", "mypy"]);

async function load(store: Store, record: SnapshotRecord): Promise<GateSnapshot> {
  const [tests, findings, advisories, sources] = await Promise.all([
    store.getTestResults(record.id),
    store.getFindings(record.id),
    store.getAdvisories(record.id),
    store.getSources(record.id),
  ]);
  const toolOf = new Map(sources.map((s) => [s.id, `${s.format}:${s.tool?.name ?? s.format}`]));
  return {
    ref: { id: record.id, takenAt: record.takenAt, commit: record.git.commit, branch: record.git.branch },
    dirty: record.git.dirty,
    tree: record.git.tree,
    summary: normalizeSummary(record.summary),
    tests,
    findings: findings.map((f) => ({ ...f, source: toolOf.get(f.sourceId) ?? "" })),
    findingTools: [...new Set(sources.filter((s) => FINDING_FORMATS.has(s.format)).map((s) => toolOf.get(s.id) ?? ""))].sort(),
    advisories,
  };
}

/** The test outcomes of the `count` snapshots before `current` on its branch, oldest first. */
async function testHistory(store: Store, current: SnapshotRecord, count: number): Promise<TestHistoryEntry[]> {
  if (count <= 0) return [];
  const branch = current.git.branch;
  const records = await store.listSnapshots({ beforeId: current.id, limit: count, ...(branch ? { branch } : {}) });
  const out: TestHistoryEntry[] = [];
  for (const r of records.reverse()) {
    const tests = await store.getTestResults(r.id);
    out.push({ commit: r.git.commit, dirty: r.git.dirty, tree: r.git.tree, outcomes: new Map(tests.map((t) => [t.testId, t.status])) });
  }
  return out;
}

/** Branches of task attempts (`shipgate run`'s worktrees): their gate snapshots judge one task, not the project. */
export const TASK_BRANCH_PREFIX = "shipgate/";

/**
 * The snapshot a gate judges when none is named: the newest that is not a task attempt's (a workspace gate stores
 * those on `shipgate/<task>`), else the newest of all.
 */
async function newestProjectSnapshot(store: Store): Promise<SnapshotRecord | undefined> {
  const recent = await store.listSnapshots({ limit: 100 });
  return recent.find((s) => !(s.git.branch ?? "").startsWith(TASK_BRANCH_PREFIX)) ?? recent[0];
}
