import type { Store } from "../types.js";
import { sqliteAdmin } from "./admin.js";
import { connect, guarded, sqliteOpenError } from "./connection.js";
import { migrate, schemaTooNew, schemaVersion } from "./migrate.js";
import { runMethods } from "./runs.js";
import { snapshotMethods } from "./snapshots.js";
import { taskMethods, taskSteps } from "./tasks.js";

export { sqliteOpenError } from "./connection.js";

type Methods = Omit<Store, "driver" | "location" | "admin" | "close">;
const METHODS: readonly (keyof Methods)[] = [
  "saveSnapshot", "listSnapshots", "getSnapshot", "getSources", "getFacts", "getTestResults", "getCoverageFiles", "getFindings",
  "getAdvisories", "setBaseline", "getBaseline", "listBaselines", "appendEvent", "listEvents", "lastEventId", "listFactSeries", "importPlan",
  "getPlan", "listPlans", "listTasks", "getTask", "nextTask", "listReadyTasks", "transitionTask", "claimTask", "heartbeat", "finishRun", "expireLeases",
  "getRun", "listRuns",
];

export interface SqliteOpenOptions {
  /** Database file, or ":memory:". Its folder is created when missing. */
  path: string;
  /**
   * Bring the schema up to date while opening (default true: the embedded store needs no setup). False opens the
   * database as it is, for `shipgate db status` and `db migrate`; a schema newer than this build is refused either way.
   */
  migrate?: boolean;
  /** The time stamped on migrations applied while opening. */
  at: string;
}

/**
 * The embedded store: one SQLite file in WAL mode, safe for many processes on one machine. better-sqlite3 is
 * synchronous; every method runs to completion before its promise resolves.
 */
export function openSqliteStore(options: SqliteOpenOptions): Promise<Store> {
  const location = options.path;
  let db: ReturnType<typeof connect>;
  try {
    db = connect(location);
  } catch (error) {
    return Promise.reject(sqliteOpenError(location, error));
  }
  try {
    if (options.migrate ?? true) migrate(db, location, options.at);
    else {
      const { version, latest } = schemaVersion(db);
      if (version > latest) throw schemaTooNew(location, version);
    }
  } catch (error) {
    db.close();
    return Promise.reject(sqliteOpenError(location, error));
  }
  // Opening and migrating wait on SQLite's busy handler; from here on `guarded` waits for the lock itself.
  db.pragma("busy_timeout = 0");
  let closed = false;
  const guard = guarded(location, () => closed);
  // Statements are prepared against the tables; a database opened without migrating prepares them on first use.
  let methods: Methods | undefined;
  const build = (): Methods => {
    const steps = taskSteps(db, location);
    return { ...snapshotMethods(db, location, guard), ...taskMethods(db, steps, guard), ...runMethods(db, location, steps, guard) };
  };
  // A method whose statements cannot be prepared (a database opened as it is, with an old schema) rejects.
  const methodsOf = (): Methods => (methods ??= build());
  const lazy = Object.fromEntries(
    METHODS.map((name) => [
      name,
      (...args: unknown[]): Promise<unknown> => {
        if (closed) return guard(() => undefined);
        try {
          return (methodsOf()[name] as (...a: unknown[]) => Promise<unknown>)(...args);
        } catch (error) {
          return Promise.reject(sqliteOpenError(location, error));
        }
      },
    ]),
  ) as unknown as Methods;
  const store: Store = {
    driver: "sqlite",
    location,
    ...lazy,
    admin: sqliteAdmin(db, location, guard, () => options.at),
    close: () => {
      if (!closed) {
        closed = true;
        db.close();
      }
      return Promise.resolve();
    },
  };
  return Promise.resolve(store);
}
