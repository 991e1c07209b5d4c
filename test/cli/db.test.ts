import { copyFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import type { CopyResult } from "../../src/app/db-copy.js";
import type { MigrateResult, StoreStatus } from "../../src/app/db-status.js";
import { TABLE_NAMES } from "../../src/store/tables.js";
import { at, backToSchema8, READERS, recordDemoHistory, sqliteRows } from "./demo-history.js";
import { copyOfDemo, shipgate, tempDir } from "./run-cli.js";

const LATER = "2026-12-04T09:00:00Z";

describe("shipgate db copy", () => {
  let dir: string;
  let store: string;
  beforeAll(() => {
    dir = copyOfDemo();
    store = join(dir, ".shipgate/shipgate.db");
    recordDemoHistory(dir);
  });

  it("copies the demo's history into a new SQLite file: equal counts and checksums, equal rows, and every reader prints the same", () => {
    const before = JSON.parse(at(dir, LATER, ["db", "status", "--json"]).stdout) as StoreStatus;
    const copy = at(dir, LATER, ["db", "copy", "--from", ".shipgate/shipgate.db", "--to", "copy.db", "--json"]);
    const result = JSON.parse(copy.stdout) as CopyResult;
    expect(result.from).toEqual({ driver: "sqlite", location: store, version: before.schema.latest });
    expect(result.to).toMatchObject({ driver: "sqlite", location: join(dir, "copy.db"), version: before.schema.latest });
    expect(result.to.migrated.length).toBe(before.schema.latest);
    expect(result.tables.map((t) => t.name)).toEqual(TABLE_NAMES);
    expect(Object.fromEntries(result.tables.map((t) => [t.name, t.rows]))).toEqual(before.counts);
    expect(before.counts).toMatchObject({ snapshot: 3, baseline: 1, plan: 1, task: 12 });
    // Progress on stderr, one plain line per table and step outside a terminal.
    expect(copy.stderr).toContain("[db] copied snapshot: 3 rows\n");
    expect(copy.stderr).toContain("[db] verified task: 12 rows\n");

    // Text output: one row per table with its checksum; a second copy of the same rows has the same ones.
    const text = at(dir, LATER, ["db", "copy", "--from", ".shipgate/shipgate.db", "--to", "copy2.db"]).stdout;
    expect(text).toMatch(/^copied \d+ rows from .*shipgate\.db \(sqlite\) to .*copy2\.db \(sqlite, schema version \d+\); verified: every table's row count and sha256 match\n/);
    for (const t of result.tables) expect(text).toMatch(new RegExp(`\\n  ${t.name} +${t.rows}  ${t.sha256.slice(0, 16)}\\n`));

    // The copy's own status: the same counts; sha256 of the same rows: the same checksums.
    const after = JSON.parse(at(dir, LATER, ["db", "status", "--db", "copy.db", "--json"]).stdout) as StoreStatus;
    expect(after.counts).toEqual(before.counts);
    // What sqlite3 reads in both files.
    expect(sqliteRows(join(dir, "copy.db"))).toEqual(sqliteRows(store));

    for (const args of READERS) {
      const a = at(dir, LATER, args, {}, [0, 1]);
      const b = at(dir, LATER, [...args, "--db", "copy.db"], {}, [0, 1]);
      expect({ args, code: b.code, stdout: b.stdout }).toEqual({ args, code: a.code, stdout: a.stdout });
    }
    // The copy goes on where the source left off: the next snapshot is #4.
    expect(at(dir, LATER, ["assess", "--no-run", "--json", "--db", "copy.db"]).stdout).toMatch(/"id": 4,/);
  });

  it("refuses a target that holds rows, naming its tables, and changes nothing", () => {
    const target = join(tempDir(), "full.db");
    at(dir, LATER, ["db", "copy", "--from", ".shipgate/shipgate.db", "--to", target]);
    const rows = sqliteRows(target);
    const result = shipgate(["db", "copy", "--from", ".shipgate/shipgate.db", "--to", target], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: \[db\] the target .*full\.db is not empty: snapshot \(3 rows\), source \(\d+ rows\), .*task \(12 rows\), phase_wait \(\d+ rows\)\n {2}→ pass --to an empty store: a new file, or an empty PostgreSQL database \(createdb NAME\); nothing was written\n$/);
    expect(sqliteRows(target)).toEqual(rows);
  });

  it("refuses to copy a store onto itself, under any of its names", () => {
    for (const to of [".shipgate/shipgate.db", store, "sqlite:.shipgate/../.shipgate/shipgate.db"]) {
      const result = shipgate(["db", "copy", "--from", ".shipgate/shipgate.db", "--to", to], { cwd: dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toContain("the source and the target are the same store");
      expect(result.stderr).toContain("→ pass --to another, empty store");
    }
  });

  it("refuses a source behind this shipgate's schema, saying which migrate to run, and creates no target", () => {
    const old = join(tempDir(), "old.db");
    copyFileSync(store, old);
    backToSchema8(old);
    const target = join(tempDir(), "new.db");
    const result = shipgate(["db", "copy", "--from", old, "--to", target], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: \[db\] the source .*old\.db is at schema version (\d+), this shipgate's is \d+\n {2}→ run `shipgate db migrate --db .*old\.db` first \(it keeps every row\), then copy again; nothing was written\n$/);
    expect(existsSync(target)).toBe(false);
    // Done as it says, the copy goes through.
    expect(shipgate(["db", "migrate", "--db", old], { cwd: dir }).code).toBe(0);
    expect(shipgate(["db", "copy", "--from", old, "--to", target], { cwd: dir }).code).toBe(0);
  });

  it("refuses a source or a target written by a newer shipgate (SCHEMA_TOO_NEW), writing nothing", () => {
    const future = join(tempDir(), "future.db");
    copyFileSync(store, future);
    const raw = new Database(future);
    raw.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    raw.close();
    const from = shipgate(["db", "copy", "--from", future, "--to", join(tempDir(), "n.db")], { cwd: dir });
    expect(from.code).toBe(2);
    expect(from.stderr).toMatch(/future\.db is at schema version 999, newer than this shipgate knows \(\d+\)\n {2}→ upgrade shipgate/);
    const to = shipgate(["db", "copy", "--from", ".shipgate/shipgate.db", "--to", future], { cwd: dir });
    expect(to.code).toBe(2);
    expect(to.stderr).toContain("is at schema version 999, newer than this shipgate knows");
  });

  it("refuses a missing source, and requires --from and --to", () => {
    const missing = shipgate(["db", "copy", "--from", "nope.db", "--to", "n.db"], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: \[db\] there is no store at the source nope\.db\n {2}→ pass --from an existing store/);
    expect(existsSync(join(dir, "nope.db"))).toBe(false);
    expect(shipgate(["db", "copy", "--from", "a.db"], { cwd: dir }).stderr).toContain("required option '--to <file-or-url>' not specified");
  });
});

describe("shipgate db migrate and status", () => {
  it("migrates explicitly and idempotently: the second run applies nothing", () => {
    const dir = tempDir();
    const first = JSON.parse(at(dir, LATER, ["db", "migrate", "--json"]).stdout) as MigrateResult;
    expect(first).toMatchObject({ driver: "sqlite", location: join(dir, ".shipgate/shipgate.db"), from: 0 });
    expect(first.to).toBe(first.latest);
    expect(first.applied.map((m) => m.version)).toEqual(Array.from({ length: first.latest }, (_, i) => i + 1));
    const second = JSON.parse(at(dir, LATER, ["db", "migrate", "--json"]).stdout) as MigrateResult;
    expect(second).toEqual({ ...first, from: first.latest, applied: [] });
    expect(at(dir, LATER, ["db", "migrate"]).stdout).toBe(`${first.location} is already at version ${first.latest} (up to date): nothing to apply\n`);
  });

  it("migrates a store left behind, printing what it applied, and refuses a newer one without changing it", () => {
    const dir = tempDir();
    at(dir, LATER, ["db", "migrate"]);
    const file = join(dir, ".shipgate/shipgate.db");
    backToSchema8(file);
    const status = at(dir, LATER, ["db", "status"]).stdout;
    expect(status).toContain("schema    version 8 of 10: 2 migrations pending: run `shipgate db migrate`\n");
    expect(status).toContain("\n  task_run       0\n");
    expect(at(dir, LATER, ["db", "migrate"]).stdout).toBe(`migrated ${file} from version 8 to 10, applied 2 migrations:\n    9  task-runs-and-leases\n   10  event-notify\n`);

    const future = new Database(file);
    future.prepare("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 'x')").run();
    future.close();
    const refused = shipgate(["db", "migrate"], { cwd: dir });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/schema version 999, newer than this shipgate knows \(10\)\n {2}→ upgrade shipgate .*nothing was changed/);
    expect(new Database(file).prepare("SELECT COUNT(*) AS n FROM schema_migrations").get()).toEqual({ n: 11 });
  });

  it("prints status as documented in docs/json-output.md", () => {
    const dir = copyOfDemo();
    at(dir, LATER, ["assess", "--no-run"]);
    const status = JSON.parse(at(dir, LATER, ["db", "status", "--json"]).stdout) as StoreStatus;
    expect(Object.keys(status)).toEqual(["driver", "location", "schema", "counts", "file"]);
    expect(status).toMatchObject({ driver: "sqlite", location: join(dir, ".shipgate/shipgate.db"), schema: { version: 10, latest: 10, state: "up-to-date", pending: 0 } });
    expect(Object.keys(status.counts!)).toEqual(TABLE_NAMES);
    expect(status.counts).toMatchObject({ snapshot: 1, event: 1, task: 0 });
    expect(status.file!.bytes).toBeGreaterThan(0);
    const text = at(dir, LATER, ["db", "status"]).stdout;
    expect(text).toMatch(/^driver {4}sqlite\nlocation {2}.*shipgate\.db\nsize {6}[\d.]+ KB.*\nschema {4}version 10: up to date\nrows\n {2}snapshot +1\n/);
    expect(text).toMatch(/\n {2}total +\d+\n$/);
  });

  it("says there is no store yet instead of creating one", () => {
    const dir = tempDir();
    const result = shipgate(["db", "status"], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^error: \[db\] there is no store at .*shipgate\.db yet\n {2}→ `shipgate db migrate` creates an empty one/);
    expect(existsSync(join(dir, ".shipgate"))).toBe(false);
  });
});
