import { ShipgateError } from "../errors.js";
import type { SnapshotRecord, Store } from "../store/types.js";

export function parseCount(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ShipgateError("USAGE", `[cli] ${flag} must be a whole number ≥ 1 (got "${value}")`);
  return n;
}

/** A calendar day as YYYY-MM-DD that exists (2026-02-30, 2026-13-01 and "tomorrow" do not): returned unchanged. */
export function parseDay(value: string, flag: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) throw new ShipgateError("USAGE", `[cli] ${flag} must look like 2026-12-31 (a day as YYYY-MM-DD; got "${value}")`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year); // Date.UTC reads years 0-99 as 1900-1999
  if (date.toISOString().slice(0, 10) !== value) {
    const why = month < 1 || month > 12 ? `there is no month ${m[2] as string}` : `${m[1] as string}-${m[2] as string} has no day ${m[3] as string}`;
    throw new ShipgateError("USAGE", `[cli] ${flag} ${value} is not a day: ${why}`, { hint: "write a day of the calendar as YYYY-MM-DD, e.g. 2026-12-31" });
  }
  return value;
}

/** A snapshot reference: an id ("12", "#12") or a position from the newest ("latest", "latest~1"). */
export function parseSnapshotRef(value: string): { id: number } | { back: number } {
  const id = /^#?(\d+)$/.exec(value);
  if (id) return { id: Number(id[1]) };
  const back = /^latest(?:~(\d+))?$/.exec(value);
  if (back) return { back: Number(back[1] ?? 0) };
  throw new ShipgateError("USAGE", `[cli] "${value}" is not a snapshot: use an id from \`shipgate history\` (e.g. 12) or latest, latest~1, …`);
}

/** The snapshot a reference names (see `parseSnapshotRef`), or undefined when the store has no such snapshot. */
export async function findSnapshot(store: Store, value: string): Promise<SnapshotRecord | undefined> {
  const ref = parseSnapshotRef(value);
  if ("id" in ref) return store.getSnapshot(ref.id);
  return (await store.listSnapshots({ limit: ref.back + 1 }))[ref.back];
}

