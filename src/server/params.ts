import { ShipgateError } from "../errors.js";
import type { SnapshotRecord, Store } from "../store/types.js";

const usage = (message: string, hint?: string) => new ShipgateError("USAGE", `[server] ${message}`, hint === undefined ? {} : { hint });

/** A whole number in [min, max] from a query or path parameter; `fallback` when absent. */
export function intParam(value: string | undefined, name: string, { min = 1, max = Number.MAX_SAFE_INTEGER, fallback }: { min?: number; max?: number; fallback?: number } = {}): number | undefined {
  if (value === undefined || value === "") return fallback;
  if (!/^\d{1,15}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw usage(`${name} must be a whole number from ${min} to ${max} (got "${value.slice(0, 40)}")`);
  }
  return Number(value);
}

export function boolParam(value: string | undefined, name: string): boolean | undefined {
  if (value === undefined || value === "") return undefined;
  if (value === "true" || value === "1") return true;
  if (value === "false" || value === "0") return false;
  throw usage(`${name} must be true or false (got "${value.slice(0, 40)}")`);
}

/** A day of the calendar as YYYY-MM-DD. V8's Date.parse takes 2025-02-30 (as March 2): the day must read back unchanged. */
export function dayParam(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === "") return undefined;
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(value) ? Date.parse(`${value}T00:00:00Z`) : Number.NaN;
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== value) throw usage(`${name} must be a day of the calendar, YYYY-MM-DD (got "${value.slice(0, 40)}")`);
  return value;
}

export function oneOf<T extends string>(value: string | undefined, name: string, allowed: readonly T[]): T | undefined {
  if (value === undefined || value === "") return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw usage(`${name} must be one of ${allowed.join(", ")} (got "${value.slice(0, 40)}")`);
  return value as T;
}

/** A snapshot reference: an id, `latest` or `latest~N`. NOT_FOUND when the store has no such snapshot. */
export async function snapshotParam(store: Store, value: string, name: string): Promise<SnapshotRecord> {
  const id = /^\d{1,15}$/.test(value) ? Number(value) : undefined;
  const back = /^latest(?:~(\d{1,6}))?$/.exec(value);
  if (id === undefined && !back) throw usage(`${name} must be a snapshot id or latest, latest~N (got "${value.slice(0, 40)}")`);
  const record = id !== undefined ? await store.getSnapshot(id) : (await store.listSnapshots({ limit: Number(back?.[1] ?? 0) + 1 }))[Number(back?.[1] ?? 0)];
  if (!record) throw new ShipgateError("NOT_FOUND", `[server] no snapshot ${value} in the store`, { hint: "GET /api/snapshots lists the stored snapshots" });
  return record;
}
