import { ShipgateError } from "../../errors.js";
import type { Store } from "../types.js";
import { postgresAdmin } from "./admin.js";
import { createPool, guarded, postgresError, redactUrl } from "./connection.js";
import { eventWatcher, type EventWatchOptions } from "./events.js";
import { migrate, schemaTooNew, schemaVersion } from "./migrate.js";
import { runMethods } from "./runs.js";
import { snapshotMethods } from "./snapshots.js";
import { taskMethods, taskSteps } from "./tasks.js";

export { postgresError, redactUrl } from "./connection.js";

export interface PostgresOpenOptions {
  /** `postgres://user:password@host:port/database` (or `postgresql://`); `connect_timeout=SECONDS` bounds a connection attempt. */
  url: string;
  /**
   * Bring the schema up to date while opening (default true). False opens the database as it is, for
   * `shipgate db status` and `db migrate`; a schema newer than this build is refused either way.
   */
  migrate?: boolean;
  /** The time stamped on migrations applied while opening. */
  at: string;
  /** Connections the store holds at most (default 4). */
  poolSize?: number;
  /** How `watchEvents` reconnects a dropped LISTEN connection. */
  watch?: EventWatchOptions;
}

/**
 * The shared store: a PostgreSQL database reached through a small connection pool (each process holds its own).
 * Opening connects once (a server that cannot be reached fails here, with a message saying what to do) and
 * migrates unless told not to.
 */
export async function openPostgresStore(options: PostgresOpenOptions): Promise<Store> {
  const { url } = options;
  const location = redactUrl(url);
  const pool = createPool(url, options.poolSize === undefined ? {} : { max: options.poolSize });
  try {
    if (options.migrate ?? true) await migrate(pool, url, options.at);
    else {
      const { version, latest } = await schemaVersion(pool);
      if (version > latest) throw schemaTooNew(url, version);
    }
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw postgresError(url, error);
  }
  let closed = false;
  const guard = guarded(url, () => closed);
  const steps = taskSteps(location);
  const watcher = eventWatcher(url, options.watch);
  return {
    driver: "postgres",
    location,
    ...snapshotMethods(pool, location, guard),
    ...taskMethods(pool, steps, guard),
    ...runMethods(pool, location, steps, guard),
    admin: postgresAdmin(pool, url, guard, () => options.at),
    watchEvents: (onHint) => {
      if (closed) throw new ShipgateError("STORE_UNAVAILABLE", `[store] [postgres] ${location}: the store is closed`);
      return watcher.watch(onHint);
    },
    close: async () => {
      if (closed) return;
      closed = true;
      watcher.stopAll();
      await pool.end();
    },
  };
}
