import { ShipgateError } from "../errors.js";

/**
 * The time the command stamps on what it writes: the system clock, or SHIPGATE_NOW (an ISO 8601 date-time) to
 * replay or test a command at a fixed moment.
 */
export function now(env: NodeJS.ProcessEnv): string {
  const fixed = env.SHIPGATE_NOW;
  if (fixed === undefined || fixed === "") return new Date().toISOString();
  const time = Date.parse(fixed);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(fixed) || !Number.isFinite(time)) {
    throw new ShipgateError("USAGE", `[cli] SHIPGATE_NOW="${fixed}" is not an ISO 8601 date-time`, { hint: "e.g. SHIPGATE_NOW=2026-12-01T09:00:00Z, or unset it to use the clock" });
  }
  return new Date(time).toISOString();
}
