import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { TABLES } from "../../src/store/tables.js";
import { shipgate, type CliResult } from "./run-cli.js";

/** Runs the built bin in `dir` at a fixed time (SHIPGATE_NOW), failing the test with its stderr on a bad exit. */
export function at(dir: string, time: string, args: string[], env: NodeJS.ProcessEnv = {}, codes: number[] = [0]): CliResult {
  const result = shipgate(args, { cwd: dir, env: { SHIPGATE_NOW: time, ...env } });
  if (!codes.includes(result.code ?? -1)) throw new Error(`shipgate ${args.join(" ")} exited ${result.code}:\n${result.stderr}${result.stdout}`);
  return result;
}

/**
 * A real history in a copy of the demo (`copyOfDemo()`), stored where `db` says (default: the demo's own store):
 * three snapshots of the demo's committed reports (the third after the money bug is fixed, so that `diff` has
 * something to say), a baseline, the plan imported by the task commands, and tasks done, started, failed, reset
 * and blocked, each at its own fixed time.
 */
export function recordDemoHistory(dir: string, db: string[] = []): void {
  at(dir, "2026-12-01T09:00:00Z", ["assess", "--no-run", ...db]);
  at(dir, "2026-12-01T09:05:00Z", ["baseline", "set", "main", ...db]);
  at(dir, "2026-12-01T10:00:00Z", ["task", "done", "MEAS-001", "--force", "--reason", "measured by hand", ...db]);
  at(dir, "2026-12-01T11:00:00Z", ["task", "start", "MEAS-002", "--agent", "alice", ...db]);
  at(dir, "2026-12-02T09:00:00Z", ["assess", "--no-run", ...db]);
  at(dir, "2026-12-02T10:00:00Z", ["task", "done", "MEAS-002", "--agent", "alice", ...db]);
  at(dir, "2026-12-02T11:00:00Z", ["task", "start", "TEST-001", "--agent", "codex", ...db]);
  at(dir, "2026-12-02T12:00:00Z", ["task", "fail", "TEST-001", "--agent", "codex", "--reason", "the money test still fails", ...db]);
  at(dir, "2026-12-02T13:00:00Z", ["task", "reset", "TEST-001", "--reason", "try again", ...db]);
  at(dir, "2026-12-02T14:00:00Z", ["task", "block", "SEC-003", "--reason", "no reviewer", ...db]);
  // The money bug fixed: the report without its one failure.
  const junit = join(dir, "packages/api/reports/junit.xml");
  const text = readFileSync(junit, "utf8");
  writeFileSync(junit, text.slice(0, text.indexOf("<failure")) + text.slice(text.indexOf("</failure>") + "</failure>".length));
  at(dir, "2026-12-03T09:00:00Z", ["assess", "--no-run", ...db]);
}

/** The commands whose output must not depend on the store they read (`--db` added by the caller). */
export const READERS: string[][] = [
  ["history"],
  ["history", "--json"],
  ["diff"],
  ["diff", "--json"],
  ["diff", "1", "3", "--json"],
  ["gate"],
  ["gate", "--json"],
  ["gate", "--baseline", "main", "--json"],
  ["show", "2", "--json"],
  ["baseline", "list", "--json"],
  ["task", "list", "--json"],
  ["task", "list"],
];

/**
 * Every row of every store table as sqlite3 reads it: tables keyed by id in id order, the others in insertion order
 * with their rowid (which readers order by). Two files with equal rows are equal.
 */
export function sqliteRows(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    return Object.fromEntries(TABLES.map((t) => [t.name, db.prepare(t.key === "row" ? `SELECT rowid AS _rowid, * FROM ${t.name} ORDER BY rowid` : `SELECT * FROM ${t.name} ORDER BY id`).all()]));
  } finally {
    db.close();
  }
}

/** Turns a SQLite store back into what shipgate wrote before migration 9 (task runs and leases). */
export function backToSchema8(file: string): void {
  const db = new Database(file);
  db.exec(`DROP TABLE task_run; ALTER TABLE task DROP COLUMN max_attempts; ALTER TABLE task DROP COLUMN lease_epoch;
    DROP INDEX snapshot_taken; DROP INDEX event_at; DELETE FROM schema_migrations WHERE version >= 9`);
  db.close();
}
