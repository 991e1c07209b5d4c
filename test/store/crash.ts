import { spawn, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { AT, sampleSnapshot } from "./conformance.js";

// A process killed in the middle of saving a snapshot leaves the store as it was before that save. The worker runs
// the BUILT store (the global setup builds dist/); the database is named by a URL, so that another driver runs the
// same test with its own probe for "the save's transaction is open".
const workerPath = fileURLToPath(new URL("./snapshot-worker.mjs", import.meta.url));

/** How a driver tells that the worker's transaction has written rows but not committed. */
export interface CrashProbe {
  /** Resolves once the save is mid-transaction (polling whatever the driver exposes); rejects when it cannot tell. */
  midTransaction(db: string, child: ChildProcess): Promise<void>;
}

/** SQLite in WAL mode: an open write transaction spills its pages into the -wal file long before it commits. */
export const sqliteProbe: CrashProbe = {
  async midTransaction(db, child) {
    const wal = `${db}-wal`;
    const size = () => statSync(wal, { throwIfNoEntry: false })?.size ?? 0;
    const start = size();
    for (let i = 0; i < 20_000 && child.exitCode === null; i++) {
      if (size() > start + 4 * 1024 * 1024) return;
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    throw new Error(`the worker's WAL never grew past ${start} + 4 MiB before it ended (exit ${child.exitCode})`);
  },
};

const TESTS = 200_000;

/** Seeds a snapshot, SIGKILLs a worker saving a 200 000-test snapshot mid-transaction, and checks what is left. */
export function testCrashMidSnapshot(name: string, dbUrl: () => string | Promise<string>, probe: CrashProbe, extra?: (db: string) => void): void {
  describe(`a crash mid-snapshot: ${name}`, () => {
    it(`a process SIGKILLed while saving a ${TESTS} test snapshot leaves no row of it, and the store takes the next snapshot`, async () => {
      const db = await dbUrl();
      const seeded = await openStore(db, { at: AT });
      const first = await seeded.saveSnapshot(sampleSnapshot(1));
      const counts = await seeded.admin.counts();
      const events = await seeded.listEvents();
      await seeded.close();

      const child = spawn(process.execPath, [workerPath, db, String(TESTS)], { stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
      const saving = new Promise<void>((resolve, reject) => {
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
          stdout += chunk;
          if (stdout.includes("saving\n")) resolve();
        });
        void exited.then(({ code }) => reject(new Error(`worker exited (${code}) before saving: ${stderr}`)));
      });
      await saving;
      await probe.midTransaction(db, child);
      child.kill("SIGKILL");
      const end = await exited;
      expect(end.signal, `worker output: ${stdout} ${stderr}`).toBe("SIGKILL");
      // Killed before its commit returned: it never said "saved".
      expect(stdout).toBe("saving\n");

      extra?.(db);
      const store = await openStore(db, { at: AT });
      expect((await store.listSnapshots()).map((s) => s.id)).toEqual([first.id]);
      expect(await store.admin.counts()).toEqual(counts);
      expect(await store.listEvents()).toEqual(events);
      const next = await store.saveSnapshot(sampleSnapshot(2));
      expect(next.id).toBeGreaterThan(first.id);
      expect((await store.listSnapshots()).map((s) => s.id)).toEqual([next.id, first.id]);
      expect(await store.getTestResults(next.id)).toHaveLength(sampleSnapshot(2).tests.length);
      expect((await store.admin.counts()).test_result).toBe(counts.test_result! + sampleSnapshot(2).tests.length);
      await store.close();
    });
  });
}
