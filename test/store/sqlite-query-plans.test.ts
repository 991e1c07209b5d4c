import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { openSqliteStore } from "../../src/store/sqlite/index.js";
import { EXPIRED_RUNS_SQL, listRunsQuery } from "../../src/store/sqlite/runs.js";
import { AT } from "./conformance.js";

// Which index SQLite picks is checked on the plan itself (EXPLAIN QUERY PLAN), never by timing a query.

/** A migrated store whose task_run holds many ended runs and a few open ones, as after months of work. */
async function storeWithRunHistory(): Promise<Database.Database> {
  const path = join(mkdtempSync(join(tmpdir(), "shipgate-plans-")), "shipgate.db");
  await (await openSqliteStore({ path, at: AT })).close();
  const db = new Database(path);
  const insert = db.prepare(
    "INSERT INTO task_run (task_id, agent, attempt, epoch, started_at, heartbeat_at, lease_expires_at, ended_at, outcome) VALUES (?, 'agent', 1, 1, ?, ?, ?, ?, ?)",
  );
  db.transaction(() => {
    for (let i = 0; i < 5_000; i++) {
      const at = new Date(Date.parse(AT) + i * 1000).toISOString();
      const open = i % 1_000 === 0;
      insert.run(`T${i}`, at, at, at, open ? null : at, open ? null : "done");
    }
  })();
  return db;
}

const plan = (db: Database.Database, sql: string, params: unknown[]) =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(" | ");

describe("sqlite query plans of the run reads", () => {
  it("regression: expireLeases scanned every run ever stored (SCAN task_run) instead of the open-run index", async () => {
    const db = await storeWithRunHistory();
    expect(plan(db, EXPIRED_RUNS_SQL, [AT])).toMatch(/USING INDEX task_run_open/);
    expect(plan(db, EXPIRED_RUNS_SQL, [AT])).not.toMatch(/SCAN task_run(?! USING)/);
    db.close();
  });

  it("regression: listRuns({ open: true }) scanned every run ever stored; it reads the open-run index unless a task narrows it", async () => {
    const db = await storeWithRunHistory();
    const open = listRunsQuery({ open: true });
    expect(plan(db, open.sql, open.params)).toMatch(/task_run_open/);
    const mine = listRunsQuery({ open: true, agent: "agent", from: AT });
    expect(plan(db, mine.sql, mine.params)).toMatch(/task_run_open/);
    const task = listRunsQuery({ open: true, taskId: "T0" });
    expect(plan(db, task.sql, task.params)).toMatch(/USING INDEX task_run_task/);
    const range = listRunsQuery({ from: AT, to: "2026-12-01T09:10:00.000Z" });
    expect(plan(db, range.sql, range.params)).toMatch(/USING INDEX task_run_started/);
    // The same rows as without the index.
    const unpinned = open.sql.replace(" INDEXED BY task_run_open", "");
    expect(db.prepare(open.sql).all(...open.params)).toEqual(db.prepare(unpinned).all(...open.params));
    expect((db.prepare(open.sql).all(...open.params) as { task_id: string }[]).map((r) => r.task_id)).toEqual(["T0", "T1000", "T2000", "T3000", "T4000"]);
    db.close();
  });
});
