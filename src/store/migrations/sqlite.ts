/**
 * SQLite schema, one entry per version. Append only: a released migration never changes.
 * Each runs in its own transaction together with its row in schema_migrations.
 */
export const sqliteMigrations: readonly { version: number; name: string; sql: string }[] = [
  {
    version: 1,
    name: "snapshots",
    sql: `
      CREATE TABLE snapshot (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        taken_at TEXT NOT NULL,
        git_commit TEXT,
        git_branch TEXT,
        git_dirty INTEGER,
        config_hash TEXT,
        summary TEXT NOT NULL
      );
      CREATE TABLE source (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        bytes INTEGER NOT NULL,
        format TEXT NOT NULL,
        tool TEXT,
        tool_version TEXT,
        collector TEXT
      );
      CREATE INDEX source_snapshot ON source(snapshot_id);
      CREATE TABLE fact (
        snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        value REAL,
        component TEXT,
        source_id INTEGER REFERENCES source(id)
      );
      CREATE INDEX fact_snapshot ON fact(snapshot_id, key);
      CREATE TABLE test_result (
        snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
        test_id TEXT NOT NULL,
        file TEXT,
        suite TEXT NOT NULL,
        name TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('passed', 'failed', 'errored', 'skipped')),
        duration_ms REAL,
        message TEXT,
        flaky INTEGER NOT NULL DEFAULT 0,
        source_id INTEGER NOT NULL REFERENCES source(id)
      );
      CREATE INDEX test_result_snapshot ON test_result(snapshot_id, test_id);
      CREATE TABLE coverage_file (
        snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
        path TEXT NOT NULL,
        package TEXT NOT NULL,
        resolved INTEGER NOT NULL,
        lines_covered INTEGER, lines_total INTEGER,
        branches_covered INTEGER, branches_total INTEGER,
        functions_covered INTEGER, functions_total INTEGER,
        statements_covered INTEGER, statements_total INTEGER,
        covered_lines TEXT,
        uncovered_lines TEXT,
        source_id INTEGER NOT NULL REFERENCES source(id)
      );
      CREATE INDEX coverage_file_snapshot ON coverage_file(snapshot_id, path);
      CREATE TABLE event (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        type TEXT NOT NULL,
        subject TEXT,
        data TEXT
      );
      CREATE INDEX event_type ON event(type, id);
    `,
  },
  {
    version: 2,
    name: "findings-and-advisories",
    sql: `
      CREATE TABLE finding (
        snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
        fingerprint TEXT NOT NULL,
        tool TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('lint', 'type', 'security')),
        rule_id TEXT,
        level TEXT NOT NULL CHECK (level IN ('error', 'warning', 'note')),
        message TEXT NOT NULL,
        file TEXT,
        line INTEGER,
        suppressed INTEGER NOT NULL DEFAULT 0,
        source_id INTEGER NOT NULL REFERENCES source(id)
      );
      CREATE INDEX finding_snapshot ON finding(snapshot_id, fingerprint);
      CREATE TABLE advisory (
        snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
        advisory_id TEXT NOT NULL,
        aliases TEXT NOT NULL,
        package TEXT NOT NULL,
        versions TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'moderate', 'low', 'info')),
        title TEXT NOT NULL,
        url TEXT,
        fix_available INTEGER,
        source_id INTEGER NOT NULL REFERENCES source(id)
      );
      CREATE INDEX advisory_snapshot ON advisory(snapshot_id);
    `,
  },
  {
    version: 3,
    name: "baselines",
    sql: `
      CREATE TABLE baseline (
        name TEXT PRIMARY KEY,
        snapshot_id INTEGER NOT NULL REFERENCES snapshot(id),
        set_at TEXT NOT NULL
      );
      CREATE INDEX snapshot_branch ON snapshot(git_branch, id);
      CREATE INDEX snapshot_commit ON snapshot(git_commit, id);
    `,
  },
  {
    version: 4,
    name: "snapshot-tree-and-baseline-cascade",
    sql: `
      ALTER TABLE snapshot ADD COLUMN git_tree TEXT;
      CREATE TABLE baseline_new (
        name TEXT PRIMARY KEY,
        snapshot_id INTEGER NOT NULL REFERENCES snapshot(id) ON DELETE CASCADE,
        set_at TEXT NOT NULL
      );
      INSERT INTO baseline_new (name, snapshot_id, set_at) SELECT name, snapshot_id, set_at FROM baseline;
      DROP TABLE baseline;
      ALTER TABLE baseline_new RENAME TO baseline;
    `,
  },
  {
    version: 5,
    name: "plan-and-tasks",
    // The two partial indexes hold only claimable rows, in claim order (priority, slack, id): the claim
    // query walks one of them and stops at the first row whose dependencies are all done.
    sql: `
      CREATE TABLE plan (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        hash TEXT NOT NULL,
        source TEXT NOT NULL,
        imported_at TEXT NOT NULL,
        content TEXT NOT NULL
      );
      CREATE TABLE task (
        id TEXT PRIMARY KEY,
        title TEXT NOT NULL,
        owner TEXT NOT NULL,
        priority TEXT NOT NULL CHECK (priority IN ('P0', 'P1', 'P2', 'P3')),
        slack REAL NOT NULL,
        depends_on TEXT NOT NULL DEFAULT '[]',
        ord INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'in_progress', 'done', 'failed', 'blocked')),
        claimed_by TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        note TEXT,
        removed INTEGER NOT NULL DEFAULT 0,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX task_claim ON task(priority, slack, id) WHERE removed = 0 AND state IN ('pending', 'failed');
      CREATE INDEX task_claim_owner ON task(owner, priority, slack, id) WHERE removed = 0 AND state IN ('pending', 'failed');
    `,
  },
  {
    version: 6,
    name: "task-phases",
    // A task of a phase that depends on other phases waits until every task of those phases is done:
    // phase_wait holds the transitive closure of the phase order (phases are few), and the readiness check
    // looks for one unfinished task in them through task_phase_state.
    sql: `
      ALTER TABLE task ADD COLUMN phase TEXT NOT NULL DEFAULT '';
      CREATE TABLE phase_wait (
        phase TEXT NOT NULL,
        waits_for TEXT NOT NULL,
        PRIMARY KEY (phase, waits_for)
      );
      CREATE INDEX task_phase_state ON task(phase, state, removed);
    `,
  },
  {
    version: 7,
    name: "claim-in-plan-order",
    // The queue hands tasks out in the plan order (src/plan/order.ts), which the import writes to ord:
    // the claim indexes follow it instead of (priority, slack, id). A plan imported before holds the file
    // order in ord: changing its stored hash makes the next command re-import it (states are kept).
    sql: `
      UPDATE plan SET hash = hash || ':before-plan-order';
      DROP INDEX task_claim;
      DROP INDEX task_claim_owner;
      CREATE INDEX task_claim ON task(ord, id) WHERE removed = 0 AND state IN ('pending', 'failed');
      CREATE INDEX task_claim_owner ON task(owner, ord, id) WHERE removed = 0 AND state IN ('pending', 'failed');
    `,
  },
  {
    version: 8,
    name: "snapshot-inputs-hash",
    // What a snapshot measured (store/inputs-hash.ts). Older snapshots keep NULL: they count as different from
    // every other, so a `previous` baseline never skips them.
    sql: `
      ALTER TABLE snapshot ADD COLUMN inputs_hash TEXT;
    `,
  },
  {
    version: 9,
    name: "task-runs-and-leases",
    // One row per attempt with its lease; lease_epoch is the fencing token of the task's latest claim. The open-run
    // index serves expireLeases; the time indexes serve the tracker's range reads.
    sql: `
      ALTER TABLE task ADD COLUMN max_attempts INTEGER;
      ALTER TABLE task ADD COLUMN lease_epoch INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE task_run (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        task_id TEXT NOT NULL,
        agent TEXT NOT NULL,
        attempt INTEGER NOT NULL,
        epoch INTEGER NOT NULL,
        started_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        lease_expires_at TEXT NOT NULL,
        ended_at TEXT,
        outcome TEXT CHECK (outcome IN ('done', 'failed', 'error', 'timeout', 'cancelled', 'lost')),
        exit_code INTEGER,
        log TEXT,
        usage TEXT,
        note TEXT
      );
      CREATE INDEX task_run_task ON task_run(task_id, id);
      CREATE INDEX task_run_open ON task_run(lease_expires_at) WHERE ended_at IS NULL;
      CREATE INDEX task_run_started ON task_run(started_at);
      CREATE INDEX snapshot_taken ON snapshot(taken_at);
      CREATE INDEX event_at ON event(at);
    `,
  },
  {
    version: 10,
    name: "event-notify",
    // PostgreSQL's NOTIFY on every event append (migrations/postgres.ts); SQLite has nothing to notify with (a server
    // polls the events table), so this keeps the two dialects' version numbers equal.
    sql: "",
  },
];
