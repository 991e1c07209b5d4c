import { ShipgateError } from "../../errors.js";
import type { SnapshotRecord, Store } from "../../store/types.js";
import { writeReport, type CliIo, type CommonOptions } from "../output.js";
import { findSnapshot, parseSnapshotRef } from "../parse-args.js";

const FORMS = "an id from `shipgate history` (12), latest, latest~N, snapshot:ID, a baseline name, branch:NAME, ref:GIT_REF or previous";

/** `shipgate show [SNAPSHOT]`: a stored snapshot printed as `assess` printed it. Runs no collector and stores nothing. */
export async function showCommand(ref: string | undefined, options: CommonOptions, io: CliIo): Promise<number> {
  const [{ withStore }, { loadStoredSummary }, text] = await Promise.all([
    import("../../store/open-store.js"),
    import("../../app/stored-summary.js"),
    import("../../report/assess-text.js"),
  ]);
  return withStore(options.db, { cwd: options.cwd, mustExist: true }, async (store) => {
    const record = await find(store, ref ?? "latest", options.cwd);
    const { summary, renderable } = await loadStoredSummary(store, record);
    if (options.json) io.stdout(`${JSON.stringify(summary, null, 2)}\n`);
    else if (options.markdown) writeReport(io, `${text.renderAssessMarkdown(renderable)}\n`);
    else writeReport(io, `${text.renderAssessText(renderable, { color: io.color })}\n`);
    return 0;
  });
}

async function find(store: Store, value: string, root: string): Promise<SnapshotRecord> {
  let byRef = true;
  try {
    parseSnapshotRef(value);
  } catch {
    byRef = false;
  }
  if (byRef) {
    const record = await findSnapshot(store, value);
    if (record) return record;
    throw new ShipgateError("NOT_FOUND", `[show] no snapshot ${value} in ${store.location}`, {
      hint: "`shipgate history` lists the snapshots; `shipgate assess` takes one",
    });
  }
  const [{ parseBaselineSpec }, { findSpecSnapshot }] = await Promise.all([import("../../gate/baseline-spec.js"), import("../../app/run-gate.js")]);
  const spec = parseBaselineSpec(value);
  if ("error" in spec) throw new ShipgateError("USAGE", `[show] "${value}" names no snapshot: use ${FORMS}`);
  const found = await findSpecSnapshot(store, root, spec, "[show]");
  if (found.record) return found.record;
  throw new ShipgateError("NOT_FOUND", `[show] ${value} names no snapshot: ${found.missing ?? "none found"}`, {
    hint: "`shipgate history` lists the snapshots; `shipgate assess` takes one",
  });
}
