import { ShipgateError } from "../../errors.js";
import type { CliIo, CommonOptions } from "../output.js";
import { now } from "../clock.js";
import { findSnapshot } from "../parse-args.js";

/** `shipgate baseline set NAME [SNAPSHOT]`: names a snapshot for gates to compare against. */
export async function baselineSetCommand(name: string, snapshot: string | undefined, options: CommonOptions, io: CliIo): Promise<number> {
  const [{ withStore }, { BASELINE_NAME }] = await Promise.all([import("../../store/open-store.js"), import("../../gate/baseline-spec.js")]);
  if (!BASELINE_NAME.test(name) || name === "previous") {
    throw new ShipgateError("USAGE", `[baseline] "${name}" cannot be a baseline name: use letters, digits, . _ - / (and not "previous", which means the snapshot before)`);
  }
  return withStore(options.db, { cwd: options.cwd, mustExist: true }, async (store) => {
    const record = await findSnapshot(store, snapshot ?? "latest");
    if (!record) {
      throw new ShipgateError("NOT_FOUND", `[baseline] no snapshot ${snapshot ?? "latest"} in ${store.location}`, { hint: "`shipgate history` lists the snapshots; run `shipgate assess` to take one" });
    }
    const previous = await store.getBaseline(name);
    const saved = await store.setBaseline(name, record.id, now(io.env));
    if (options.json) io.stdout(`${JSON.stringify({ ...saved, previousSnapshotId: previous?.snapshotId ?? null }, null, 2)}\n`);
    else io.stdout(`baseline ${name} → snapshot ${record.id}${record.git.commit ? ` (${record.git.commit.slice(0, 10)})` : ""}${previous && previous.snapshotId !== record.id ? ` (was snapshot ${previous.snapshotId})` : ""}\n`);
    return 0;
  });
}

/** `shipgate baseline list`. */
export async function baselineListCommand(options: CommonOptions, io: CliIo): Promise<number> {
  const { withStore } = await import("../../store/open-store.js");
  return withStore(options.db, { cwd: options.cwd, emptyIfMissing: true }, async (store) => {
    const list = await store.listBaselines();
    if (options.json) io.stdout(`${JSON.stringify(list, null, 2)}\n`);
    else if (list.length === 0) io.stdout("no baselines yet: `shipgate baseline set NAME [SNAPSHOT]` names one\n");
    else for (const b of list) io.stdout(`${b.name} → snapshot ${b.snapshotId} (set ${b.setAt})\n`);
    return 0;
  });
}
