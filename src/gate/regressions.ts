import type { FlakyTest, TestRef } from "./types.js";

/** A test result as regressions need it. */
export interface TestOutcome {
  testId: string;
  name: string;
  file: string | null;
  status: "passed" | "failed" | "errored" | "skipped";
  message: string | null;
  /** Passed and failed within one run (retries). */
  flaky: boolean;
}

/** One earlier snapshot's outcomes, for the flaky check. */
export interface TestHistoryEntry {
  commit: string | null;
  dirty: boolean | null;
  /** The measured working tree when it was dirty (recorded at assess time); null or absent when clean or unknown. */
  tree?: string | null;
  outcomes: Map<string, "passed" | "failed" | "errored" | "skipped">;
}

/** What code a snapshot measured: its commit when clean, its recorded tree when dirty; null when unknown. */
export interface MeasuredCode {
  commit: string | null;
  dirty: boolean | null;
  tree?: string | null;
}

const failing = (s: string | null | undefined) => s === "failed" || s === "errored";
const ref = (t: TestOutcome): TestRef => ({ id: t.testId, name: t.name, file: t.file, status: t.status, message: t.message });
const letter = (s: string | undefined) => (s === undefined ? "·" : s === "passed" ? "P" : failing(s) ? "F" : "S");
const codeOf = (c: MeasuredCode): string | null => (c.dirty === false ? (c.commit === null ? null : `commit:${c.commit}`) : c.dirty === true && c.tree ? `tree:${c.tree}` : null);

/**
 * Flaky tests of the current snapshot: retried within the run (passed and failed), or giving both results
 * on the same code — the same clean commit, or the same recorded working tree — within the window.
 * A result that changed while the code changed is explained by the change: a test broken, fixed and broken
 * again in the working tree (`P P F P F` over edits) is a regression each time, never flaky, so the
 * regression is not hidden. `history` is oldest first and excludes the current snapshot.
 */
export function findFlaky(current: TestOutcome[], history: TestHistoryEntry[], currentCode: MeasuredCode): FlakyTest[] {
  const out: FlakyTest[] = [];
  const code = codeOf(currentCode);
  for (const t of current) {
    if (t.flaky) {
      out.push({ ...ref(t), reason: "retries", history: "passed and failed within the run's retries" });
      continue;
    }
    const seq = [...history.map((h) => h.outcomes.get(t.testId)), t.status];
    // Results per measured code: both a pass and a failure for one code is flakiness.
    const seen = new Map<string, { passed: boolean; failed: boolean }>();
    const note = (c: string | null, s: string | undefined) => {
      if (c === null || s === undefined || !(s === "passed" || failing(s))) return;
      const r = seen.get(c) ?? { passed: false, failed: false };
      if (s === "passed") r.passed = true;
      else r.failed = true;
      seen.set(c, r);
    };
    for (const h of history) note(codeOf(h), h.outcomes.get(t.testId));
    note(code, t.status);
    if ([...seen.values()].some((r) => r.passed && r.failed)) out.push({ ...ref(t), reason: "history", history: seq.map(letter).join(" ") });
  }
  return out;
}

/** Tests that passed in the baseline and fail now, by stable identity; flaky tests are left out (listed apart). */
export function findRegressions(baseline: Map<string, TestOutcome["status"]>, current: TestOutcome[], flaky: ReadonlySet<string>): TestRef[] {
  return current.filter((t) => failing(t.status) && baseline.get(t.testId) === "passed" && !flaky.has(t.testId)).map(ref);
}

/** Tests failing now that were not failing in the baseline (new tests included); flaky tests left out. */
export function findNewlyFailing(baseline: Map<string, TestOutcome["status"]>, current: TestOutcome[], flaky: ReadonlySet<string>): TestRef[] {
  return current.filter((t) => failing(t.status) && !failing(baseline.get(t.testId)) && !flaky.has(t.testId)).map(ref);
}
