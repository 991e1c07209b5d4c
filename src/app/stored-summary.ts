import type { SnapshotRecord, Store } from "../store/types.js";
import { normalizeSummary } from "../gate/metrics.js";
import { fileCoverageEntry, type AssessSummary } from "../snapshot/summary.js";

export interface StoredSummary {
  /** The summary exactly as `assess --json` printed it (for a snapshot stored by this version). */
  summary: AssessSummary;
  /** The same with fields an older shipgate did not store filled with "not measured", for the renderers. */
  renderable: AssessSummary;
}

/**
 * A stored snapshot's summary as `assess` printed it when it took the snapshot: the stored summary with its id,
 * and the per-file coverage list (stored as coverage_file rows, not in the summary) read back. Reads only.
 */
export async function loadStoredSummary(store: Store, record: SnapshotRecord): Promise<StoredSummary> {
  const stored = (record.summary ?? {}) as AssessSummary;
  const [sources, coverageFiles] = await Promise.all([store.getSources(record.id), store.getCoverageFiles(record.id)]);
  // Rows point at their source by id; the summary by position in `sources` (stored in that order).
  const indexOf = new Map(sources.map((s, i) => [s.id, i]));
  const files = coverageFiles.map(({ sourceId, ...f }) => fileCoverageEntry({ ...f, sourceIndex: indexOf.get(sourceId) ?? -1 }));
  const snapshot = { ...(stored.snapshot ?? { takenAt: record.takenAt, git: record.git, configHash: record.configHash }), id: record.id };
  const summary = { ...stored, snapshot, ...(stored.coverage ? { coverage: { ...stored.coverage, files } } : {}) } as AssessSummary;
  const defaults: Partial<AssessSummary> = { blockedBy: [], nextLevel: null, components: [], facts: {} as AssessSummary["facts"], sources: [], collectors: [], diagnostics: [] };
  const renderable = { ...defaults, ...(normalizeSummary(summary) as Partial<AssessSummary>) } as AssessSummary;
  const coverageDefaults: Partial<AssessSummary["coverage"]> = {
    counts: { lines: null, branches: null, functions: null, statements: null },
    paths: { total: 0, resolved: 0, share: null, threshold: 0 },
    packages: [],
    files: [],
    evidence: [],
  };
  renderable.coverage = { ...coverageDefaults, ...(renderable.coverage as Partial<AssessSummary["coverage"]>) } as AssessSummary["coverage"];
  return { summary, renderable };
}
