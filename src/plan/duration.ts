import { z } from "zod";

/** Seconds, or a number with a unit: "90s", "10m", "1h", "500ms" — the syntax of collector timeouts in shipgate.yaml. */
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;

/** The longest timeout a timer can hold (2^31 − 1 ms, about 24.8 days): a longer one fired at once. */
export const MAX_DURATION_SECONDS = 2_147_483;

export const durationSchema = z
  .union([z.number().positive(), z.string().regex(DURATION, 'a duration like 90, "90s", "10m" or "1h"')], {
    error: 'must be a duration like 90, "90s", "10m" or "1h"',
  })
  // "0s" matched the pattern and killed the command at once; so did 700h (the timer overflowed).
  // (Refinements also run on a value the pattern refused: NaN is that case, already reported.)
  .refine((value) => !(durationSeconds(value) <= 0), { error: "must be longer than 0" })
  .refine((value) => !(durationSeconds(value) > MAX_DURATION_SECONDS), { error: `must be at most ${MAX_DURATION_SECONDS} seconds (about 24 days)` });

/** Seconds of a value durationSchema accepted. */
export function durationSeconds(value: number | string): number {
  if (typeof value === "number") return value;
  const m = DURATION.exec(value);
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === "ms" ? n / 1000 : m[2] === "m" ? n * 60 : m[2] === "h" ? n * 3600 : n;
}
