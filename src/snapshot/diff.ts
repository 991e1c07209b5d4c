import type { SnapshotRecord, StoredCoverageFile, StoredFinding, StoredTestResult } from "../store/types.js";
import { METRICS, pct, type CoverageMetric } from "./summary.js";

export interface SnapshotDetail {
  snapshot: SnapshotRecord;
  tests: StoredTestResult[];
  coverageFiles: StoredCoverageFile[];
  findings: StoredFinding[];
}

export interface FindingChange {
  fingerprint: string;
  tool: string;
  ruleId: string | null;
  level: string;
  message: string;
  file: string | null;
  line: number | null;
}

export interface TestChange {
  id: string;
  before: StoredTestResult["status"] | null;
  after: StoredTestResult["status"] | null;
  message: string | null;
}

export interface MetricChange {
  before: number | null;
  after: number | null;
  /** after − before in percentage points; null when either side is unknown. */
  delta: number | null;
}

export interface FileCoverageChange {
  path: string;
  change: "changed" | "added" | "removed";
  lines: MetricChange;
  branches: MetricChange;
}

/** What changed between two snapshots: the `shipgate diff --json` shape. */
export interface SnapshotDiff {
  from: { id: number; takenAt: string; commit: string | null };
  to: { id: number; takenAt: string; commit: string | null };
  tests: {
    /** Passed (or skipped) before, failed or errored now. */
    newlyFailing: TestChange[];
    /** Failed or errored before, passed now. */
    newlyPassing: TestChange[];
    appeared: TestChange[];
    disappeared: TestChange[];
    /** Other status changes (e.g. passed → skipped). */
    otherChanges: TestChange[];
  };
  coverage: {
    overall: Record<CoverageMetric, MetricChange>;
    files: FileCoverageChange[];
  };
  /** Matched by fingerprint (rule + file + the flagged line's text), so a finding that only moved is neither. */
  findings: { new: FindingChange[]; fixed: FindingChange[] };
}

const bad = (s: string | null) => s === "failed" || s === "errored";
const round = (n: number) => Math.round(n * 100) / 100;

function change(before: number | null, after: number | null): MetricChange {
  return { before, after, delta: before === null || after === null ? null : round(after - before) };
}

function filePct(f: StoredCoverageFile | undefined, m: CoverageMetric): number | null {
  if (!f) return null;
  const covered = f[`${m}Covered`];
  const total = f[`${m}Total`];
  return covered === null || total === null ? null : pct(covered, total);
}

function overallPct(files: StoredCoverageFile[], m: CoverageMetric): number | null {
  let covered = 0;
  let total = 0;
  let seen = false;
  for (const f of files) {
    const c = f[`${m}Covered`];
    const t = f[`${m}Total`];
    if (c === null || t === null) continue;
    covered += c;
    total += t;
    seen = true;
  }
  return seen ? pct(covered, total) : null;
}

/** Pure. Tests are matched by their stable identity, files by repository path. */
export function diffSnapshots(a: SnapshotDetail, b: SnapshotDetail): SnapshotDiff {
  const before = new Map(a.tests.map((t) => [t.testId, t]));
  const after = new Map(b.tests.map((t) => [t.testId, t]));
  const tests: SnapshotDiff["tests"] = { newlyFailing: [], newlyPassing: [], appeared: [], disappeared: [], otherChanges: [] };
  for (const [id, t] of after) {
    const old = before.get(id);
    const entry: TestChange = { id, before: old?.status ?? null, after: t.status, message: t.message };
    if (!old) tests.appeared.push(entry);
    else if (old.status === t.status) continue;
    else if (bad(t.status) && !bad(old.status)) tests.newlyFailing.push(entry);
    else if (t.status === "passed" && bad(old.status)) tests.newlyPassing.push(entry);
    else tests.otherChanges.push(entry);
  }
  for (const [id, t] of before) if (!after.has(id)) tests.disappeared.push({ id, before: t.status, after: null, message: null });

  const filesBefore = new Map(a.coverageFiles.map((f) => [f.path, f]));
  const filesAfter = new Map(b.coverageFiles.map((f) => [f.path, f]));
  const files: FileCoverageChange[] = [];
  for (const path of new Set([...filesBefore.keys(), ...filesAfter.keys()])) {
    const x = filesBefore.get(path);
    const y = filesAfter.get(path);
    const lines = change(filePct(x, "lines"), filePct(y, "lines"));
    const branches = change(filePct(x, "branches"), filePct(y, "branches"));
    const kind = !x ? "added" : !y ? "removed" : "changed";
    if (kind === "changed" && (lines.delta ?? 0) === 0 && (branches.delta ?? 0) === 0 && lines.before === lines.after && branches.before === branches.after) continue;
    files.push({ path, change: kind, lines, branches });
  }
  files.sort((p, q) => (p.lines.delta ?? 0) - (q.lines.delta ?? 0) || p.path.localeCompare(q.path));
  const overall = Object.fromEntries(METRICS.map((m) => [m, change(overallPct(a.coverageFiles, m), overallPct(b.coverageFiles, m))])) as Record<CoverageMetric, MetricChange>;
  const ref = (s: SnapshotRecord) => ({ id: s.id, takenAt: s.takenAt, commit: s.git.commit });
  const open = (list: StoredFinding[]) => new Map(list.filter((f) => !f.suppressed).map((f) => [f.fingerprint, f]));
  const findingsBefore = open(a.findings);
  const findingsAfter = open(b.findings);
  const brief = ({ fingerprint, tool, ruleId, level, message, file, line }: StoredFinding): FindingChange => ({ fingerprint, tool, ruleId, level, message, file, line });
  const findings = {
    new: [...findingsAfter.values()].filter((f) => !findingsBefore.has(f.fingerprint)).map(brief),
    fixed: [...findingsBefore.values()].filter((f) => !findingsAfter.has(f.fingerprint)).map(brief),
  };
  return { from: ref(a.snapshot), to: ref(b.snapshot), tests, coverage: { overall, files }, findings };
}
