import { ShipgateError } from "../../errors.js";
import type { Store } from "../../store/types.js";
import type { CliIo, CommonOptions } from "../output.js";
import { findSnapshot } from "../parse-args.js";

/** `shipgate diff [A] [B]`: what changed between two snapshots (default: the last two). */
export async function diffCommand(a: string | undefined, b: string | undefined, options: CommonOptions, io: CliIo): Promise<number> {
  const [{ withStore }, { diffSnapshots }, { renderDiffText }] = await Promise.all([
    import("../../store/open-store.js"),
    import("../../snapshot/diff.js"),
    import("../../report/assess-text.js"),
  ]);
  return withStore(options.db, { cwd: options.cwd, emptyIfMissing: true }, async (store) => {
    const from = await load(store, a ?? "latest~1");
    const to = await load(store, b ?? "latest");
    const diff = diffSnapshots(from, to);
    io.stdout(options.json ? `${JSON.stringify(diff, null, 2)}\n` : `${renderDiffText(diff, { color: io.color })}\n`);
    return 0;
  });
}

async function load(store: Store, value: string) {
  const snapshot = await findSnapshot(store, value);
  if (!snapshot) {
    throw new ShipgateError("NOT_FOUND", `[diff] no snapshot ${value} in ${store.location}`, {
      hint: "`shipgate history` lists the snapshots; diff needs two, so run `shipgate assess` at least twice",
    });
  }
  const [tests, coverageFiles, findings] = await Promise.all([store.getTestResults(snapshot.id), store.getCoverageFiles(snapshot.id), store.getFindings(snapshot.id)]);
  return { snapshot, tests, coverageFiles, findings };
}
