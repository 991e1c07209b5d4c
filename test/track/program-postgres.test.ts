/**
 * One contract, two drivers: the three-week program written into the test run's real PostgreSQL gives the very
 * tracker SQLite gives — every figure, for today and for a replayed past day.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { trackProgram } from "../../src/app/track.js";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import type { Store } from "../../src/store/types.js";
import type { Tracker } from "../../src/track/model.js";
import { freshDatabase, postgresAvailable } from "../support/postgres.js";
import { PROGRAM, writeProgram } from "./program.js";

const { skip } = postgresAvailable();
const AT = "2026-11-02T07:00:00.000Z";

async function trackers(store: Store): Promise<Tracker[]> {
  try {
    await writeProgram(store, mkdtempSync(join(tmpdir(), "shipgate-program-pg-")));
    const today = await trackProgram(store, { now: PROGRAM.now });
    const past = await trackProgram(store, { now: PROGRAM.now, asOf: "2026-11-06" });
    // The plan's file names differ by temporary folder; nothing else may.
    for (const t of [today, past]) if (t.plan) t.plan.source = "<plan>";
    return [today, past];
  } finally {
    await store.close();
  }
}

describe.skipIf(skip !== null)("the tracker on PostgreSQL", () => {
  it("is the tracker SQLite gives for the same history, today and replayed", async () => {
    const onSqlite = await trackers(await openSqliteStore({ path: join(mkdtempSync(join(tmpdir(), "shipgate-program-sq-")), "shipgate.db"), at: AT }));
    const onPostgres = await trackers(await openPostgresStore({ url: await freshDatabase("track"), at: AT }));
    expect(onPostgres[0]?.headline.doneTasks).toBe(10);
    expect(onPostgres).toEqual(onSqlite);
  });
});
