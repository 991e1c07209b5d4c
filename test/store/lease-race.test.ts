import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import type { TaskRun } from "../../src/store/types.js";
import { freshDatabase, postgresAvailable } from "../support/postgres.js";
import { AT, planImport, planTask } from "./conformance.js";
import { releaseTogether, startReleasedWorker } from "./released-worker.js";

// expireLeases against heartbeats in other processes, on a fixed clock: each run is either kept by a heartbeat that
// landed first or ended by the expiry, never both and never neither. The workers run the BUILT store; the database is
// named by a URL so that another driver runs the same race.
const workerPath = fileURLToPath(new URL("./lease-worker.mjs", import.meta.url));

interface LeaseResult {
  kept: number[];
  lost: number[];
  expired: number[];
}

const startWorker = (db: string, args: string[]) => startReleasedWorker<LeaseResult>([workerPath, db, ...args], "lease worker");

const at = (ms: number) => new Date(Date.parse(AT) + ms).toISOString();

export function testLeaseRace(name: string, dbUrl: () => string | Promise<string>): void {
  describe(`leases under concurrent processes: ${name}`, () => {
    it("4 processes heartbeating 200 runs while another expires them: each run is kept or lost, never both, and its worker knows which", async () => {
      const db = await dbUrl();
      const ids = Array.from({ length: 200 }, (_, i) => `L${String(i).padStart(3, "0")}`);
      const store = await openStore(db, { at: AT });
      await store.importPlan(planImport("h1", ids.map((id) => planTask(id))), AT);
      const runs: TaskRun[] = [];
      for (let i = 0; i < ids.length; i++) {
        const claimed = await store.claimTask({ agent: "alice", at: AT, leaseMs: 1_000 });
        if (claimed) runs.push(claimed.run);
      }
      await store.close();
      expect(runs).toHaveLength(200);

      // Heartbeats stamped 900 ms in (before the expiry) move each lease to 1 900 ms; the expirer looks at 1 001 ms.
      // Interleaved sets, so that every worker races the expirer over the whole table.
      const workers = [0, 1, 2, 3].map((w) =>
        startWorker(db, ["heartbeat", at(900), "1000", ...runs.filter((_, i) => i % 4 === w).map((r) => `${r.id}:${r.epoch}`)]),
      );
      const expirer = startWorker(db, ["expire", at(1_001)]);
      const results = await releaseTogether([...workers, expirer]);
      const kept = new Set(results.flatMap((r) => r.kept));
      const lost = new Set(results.flatMap((r) => r.lost));
      const expired = new Set(results.flatMap((r) => r.expired));

      const after = await openStore(db, { at: AT });
      for (const run of runs) {
        const stored = await after.getRun(run.id);
        const task = await after.getTask(run.taskId);
        if (kept.has(run.id)) {
          // The heartbeat landed first: the expiry, which re-reads the run, left it alone.
          expect(expired.has(run.id), `run ${run.id}`).toBe(false);
          expect(stored, `run ${run.id}`).toMatchObject({ endedAt: null, heartbeatAt: at(900), leaseExpiresAt: at(1_900) });
          expect(task, run.taskId).toMatchObject({ state: "in_progress", claimedBy: "alice" });
        } else {
          expect(lost.has(run.id) && expired.has(run.id), `run ${run.id}`).toBe(true);
          expect(stored, `run ${run.id}`).toMatchObject({ outcome: "lost", endedAt: at(1_001), heartbeatAt: AT });
          expect(task, run.taskId).toMatchObject({ state: "pending", claimedBy: null });
        }
      }
      expect(kept.size + lost.size).toBe(200);
      expect([...lost].sort((a, b) => a - b)).toEqual([...expired].sort((a, b) => a - b));
      const finished = await after.listEvents({ type: "run.finished" });
      expect(finished.map((e) => Number(e.subject)).sort((a, b) => a - b)).toEqual([...expired].sort((a, b) => a - b));
      await after.close();
    });
  });
}

testLeaseRace("sqlite", () => join(mkdtempSync(join(tmpdir(), "shipgate-leases-")), "shipgate.db"));
const postgres = postgresAvailable();
if (postgres.skip) describe("leases under concurrent processes: postgres", () => it.skip(`skipped: ${postgres.skip}`, () => undefined));
else testLeaseRace("postgres", () => freshDatabase("leases"));
