import { ShipgateError } from "../errors.js";
import type { SnapshotRecord, Store } from "../store/types.js";

export function parseCount(value: string, flag: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new ShipgateError("USAGE", `[cli] ${flag} must be a whole number ≥ 1 (got "${value}")`);
  return n;
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

