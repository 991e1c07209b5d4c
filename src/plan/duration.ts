import { z } from "zod";

/** Seconds, or a number with a unit: "90s", "10m", "1h", "500ms" — the syntax of collector timeouts in shipgate.yaml. */
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;

export const durationSchema = z.union([z.number().positive(), z.string().regex(DURATION, 'a duration like 90, "90s", "10m" or "1h"')], {
  error: 'must be a duration like 90, "90s", "10m" or "1h"',
});

/** Seconds of a value durationSchema accepted. */
export function durationSeconds(value: number | string): number {
  if (typeof value === "number") return value;
  const m = DURATION.exec(value);
  if (!m) return NaN;
  const n = Number(m[1]);
  return m[2] === "ms" ? n / 1000 : m[2] === "m" ? n * 60 : m[2] === "h" ? n * 3600 : n;
}
