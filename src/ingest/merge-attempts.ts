import type { TestStatus } from "./types.js";

interface Attempt {
  status: TestStatus;
  durationMs: number | null;
  flaky?: boolean;
}

export interface MergeAttemptsResult<T> {
  /** One entry per key, in order of first appearance. */
  merged: T[];
  /** How many keys had more than one entry. */
  repeated: number;
}

/**
 * The same test case may appear several times in one report: retries (vitest, jest), reruns
 * (Surefire), or pytest's separate report for a teardown error. Each test counts once: if one attempt
 * passed and another failed, the test is flaky and the last attempt decides; otherwise the first
 * failure or error stands (the cause; later reports are consequences, such as pytest's teardown error
 * after a failed call or jest-junit's <failure> copy of a suite <error>). Durations add up.
 */
export function mergeAttempts<T extends Attempt>(items: readonly T[], keyOf: (item: T) => string): MergeAttemptsResult<T> {
  const byKey = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const seen = byKey.get(key);
    if (seen) seen.push(item);
    else byKey.set(key, [item]);
  }
  if (byKey.size === items.length) return { merged: items.slice(), repeated: 0 };
  const merged: T[] = [];
  let repeated = 0;
  for (const attempts of byKey.values()) {
    const first = attempts[0] as T;
    if (attempts.length === 1) {
      merged.push(first);
      continue;
    }
    repeated++;
    const passed = attempts.some((a) => a.status === "passed");
    const bad = attempts.some((a) => a.status === "failed" || a.status === "errored");
    let winner: T;
    if (passed && bad) winner = { ...(attempts.filter((a) => a.status !== "skipped").pop() as T), flaky: true };
    else winner = attempts.find((a) => a.status === "failed" || a.status === "errored") ?? attempts.find((a) => a.status === "passed") ?? first;
    const durations = attempts.map((a) => a.durationMs).filter((d): d is number => d !== null);
    merged.push({ ...winner, durationMs: durations.length ? durations.reduce((x, y) => x + y, 0) : null });
  }
  return { merged, repeated };
}
