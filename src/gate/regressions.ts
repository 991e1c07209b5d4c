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
  outcomes: Map<string, "passed" | "failed" | "errored" | "skipped">;
}

const failing = (s: string | null | undefined) => s === "failed" || s === "errored";
const ref = (t: TestOutcome): TestRef => ({ id: t.testId, name: t.name, file: t.file, status: t.status, message: t.message });
const letter = (s: string | undefined) => (s === undefined ? "·" : s === "passed" ? "P" : failing(s) ? "F" : "S");

/**
 * Flaky tests of the current snapshot: retried within the run (passed and failed), or flipping between
 * pass and fail over the window (at least two flips, i.e. not a single regression or fix), or giving
 * different results on the same clean commit. `history` is oldest first and excludes the current snapshot.
 */
export function findFlaky(current: TestOutcome[], history: TestHistoryEntry[], currentCommit: { commit: string | null; dirty: boolean | null }): FlakyTest[] {
  const out: FlakyTest[] = [];
  for (const t of current) {
    if (t.flaky) {
      out.push({ ...ref(t), reason: "retries", history: "passed and failed within the run's retries" });
      continue;
    }
    const seq = [...history.map((h) => h.outcomes.get(t.testId)), t.status];
    const known = seq.filter((s): s is NonNullable<typeof s> => s === "passed" || failing(s));
    let flips = 0;
    for (let i = 1; i < known.length; i++) if ((known[i] === "passed") !== (known[i - 1] === "passed")) flips++;
    const sameCommit =
      currentCommit.commit !== null &&
      currentCommit.dirty === false &&
      (t.status === "passed" || failing(t.status)) &&
      history.some((h) => {
        const s = h.outcomes.get(t.testId);
        return h.commit === currentCommit.commit && h.dirty === false && s !== undefined && (s === "passed" || failing(s)) && (s === "passed") !== (t.status === "passed");
      });
    if (flips >= 2 || sameCommit) out.push({ ...ref(t), reason: "history", history: seq.map(letter).join(" ") });
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
