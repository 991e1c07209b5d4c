import { ShipgateError } from "../errors.js";

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
