import type { CliIo, CommonOptions } from "../output.js";

export interface HistoryCommandOptions extends CommonOptions {
  limit?: string;
}

export async function historyCommand(options: HistoryCommandOptions, io: CliIo): Promise<number> {
  const [{ withStore }, { renderHistoryText }, { parseCount }] = await Promise.all([
    import("../../store/open-store.js"),
    import("../../report/assess-text.js"),
    import("../parse-args.js"),
  ]);
  const limit = options.limit === undefined ? 20 : parseCount(options.limit, "--limit");
  // Read-only: without a store the history is empty, and none is created.
  return withStore(options.db, { cwd: options.cwd, emptyIfMissing: true }, async (store) => {
    const snapshots = await store.listSnapshots({ limit });
    if (options.json) {
      const rows = snapshots.map((s) => {
        const summary = s.summary as { tests?: object; coverage?: { lines: number | null; branches: number | null; functions: number | null; statements: number | null; status: string } };
        const { lines, branches, functions, statements, status } = summary.coverage ?? { lines: null, branches: null, functions: null, statements: null, status: "unknown" };
        return { id: s.id, takenAt: s.takenAt, git: s.git, tests: summary.tests && pick(summary.tests), coverage: { status, lines, branches, functions, statements } };
      });
      io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    } else {
      io.stdout(`${renderHistoryText(snapshots, { color: io.color })}\n`);
    }
    return 0;
  });
}

function pick(tests: object): object {
  const t = tests as Record<string, unknown>;
  return { status: t.status, total: t.total, passed: t.passed, failed: t.failed, errored: t.errored, skipped: t.skipped, flaky: t.flaky };
}
