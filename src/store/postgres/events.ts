import pg from "pg";
import type { NewEvent, StoreEvent } from "../types.js";
import type { Queryable } from "./connection.js";

/** Appends events in one statement (inside the caller's transaction, when there is one), in order; returns them as stored. */
export async function insertEvents(db: Queryable, events: readonly NewEvent[]): Promise<StoreEvent[]> {
  if (events.length === 0) return [];
  const params: unknown[] = [];
  const values = events.map((e) => {
    params.push(e.at, e.type, e.subject ?? null, e.data === undefined ? null : JSON.stringify(e.data));
    const n = params.length;
    return `($${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
  });
  // A multi-row VALUES insert takes its ids in row order; ORDER BY puts RETURNING in that order too.
  const result = await db.query<{ id: number }>(`WITH ins AS (INSERT INTO event (at, type, subject, data) VALUES ${values.join(", ")} RETURNING id) SELECT id FROM ins ORDER BY id`, params);
  return events.map((e, i) => ({ id: result.rows[i]!.id, at: e.at, type: e.type, subject: e.subject ?? null, data: e.data ?? null }));
}

export async function insertEvent(db: Queryable, event: NewEvent): Promise<StoreEvent> {
  return (await insertEvents(db, [event]))[0]!;
}

/** The channel every event append notifies (migration 10's trigger), with the highest appended id as payload. */
export const EVENT_CHANNEL = "shipgate_events";
/** What the watching connection shows as in pg_stat_activity. */
export const WATCH_APPLICATION_NAME = "shipgate event watch";

export interface EventWatchOptions {
  /** The first wait before reconnecting a dropped connection (default 250 ms); doubles up to `maxRetryMs`. */
  retryMs?: number;
  /** The longest wait between reconnection attempts (default 30 s). */
  maxRetryMs?: number;
}

/**
 * `Store.watchEvents`: LISTEN on a connection of its own (not the pool's: a pooled connection goes back to others
 * with the LISTEN on it). A dropped connection (server restart, pg_terminate_backend, network) is reconnected after
 * a wait that doubles up to `maxRetryMs`; every successful LISTEN hints once, so the reader catches up.
 */
export function eventWatcher(url: string, options: EventWatchOptions = {}): { watch: (onHint: (lastId: number | undefined) => void) => () => void; stopAll: () => void } {
  const retryMs = options.retryMs ?? 250;
  const maxRetryMs = options.maxRetryMs ?? 30_000;
  const stops = new Set<() => void>();

  function watch(onHint: (lastId: number | undefined) => void): () => void {
    let stopped = false;
    let client: pg.Client | undefined;
    let timer: NodeJS.Timeout | undefined;
    let wait = retryMs;

    const reconnectLater = () => {
      if (stopped || timer) return;
      timer = setTimeout(() => {
        timer = undefined;
        connect();
      }, wait);
      timer.unref();
      wait = Math.min(wait * 2, maxRetryMs);
    };

    function connect(): void {
      if (stopped) return;
      const c = new pg.Client({ connectionString: url, application_name: WATCH_APPLICATION_NAME, connectionTimeoutMillis: 10_000 });
      client = c;
      let failed = false;
      const fail = () => {
        if (failed) return;
        failed = true;
        if (client === c) client = undefined;
        c.end().catch(() => undefined);
        reconnectLater();
      };
      c.on("error", fail);
      c.on("end", fail);
      c.on("notification", (message) => {
        if (message.channel !== EVENT_CHANNEL) return;
        const id = Number(message.payload);
        onHint(Number.isSafeInteger(id) ? id : undefined);
      });
      c.connect()
        .then(() => c.query(`LISTEN ${EVENT_CHANNEL}`))
        .then(() => {
          if (stopped || failed) return;
          wait = retryMs;
          onHint(undefined);
        })
        .catch(fail);
    }

    const stop = () => {
      if (stopped) return;
      stopped = true;
      stops.delete(stop);
      if (timer) clearTimeout(timer);
      const c = client;
      client = undefined;
      c?.end().catch(() => undefined);
    };
    stops.add(stop);
    connect();
    return stop;
  }

  return {
    watch,
    stopAll: () => {
      for (const stop of [...stops]) stop();
    },
  };
}
