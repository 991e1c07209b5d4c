import { createHash } from "node:crypto";
import type { NewSnapshot } from "./types.js";

/**
 * What a snapshot measured, as one sha256: the tree it measured (its commit when clean, the working tree it
 * recorded when dirty), the sha256 of every report it read (sorted, so collector order does not matter) and
 * the config hash. Two snapshots with the same hash measured the same inputs, so the second adds no
 * evidence: a `previous` baseline skips it. Null when the measured tree is not known (a dirty checkout whose
 * tree git could not record): such a snapshot counts as different from every other. Outside git the tree
 * part is null and the reports and config decide.
 */
export function snapshotInputsHash(snapshot: Pick<NewSnapshot, "git" | "sources" | "configHash">): string | null {
  const { commit, dirty, tree } = snapshot.git;
  let measured: string | null = null;
  if (commit !== null) {
    if (dirty === false) measured = commit;
    else if (dirty === true && tree !== null) measured = `tree:${tree}`;
    else return null;
  }
  const reports = snapshot.sources.map((s) => s.sha256).sort();
  return createHash("sha256").update(JSON.stringify({ v: 1, tree: measured, reports, config: snapshot.configHash })).digest("hex");
}
