import { performance } from "node:perf_hooks";

/** How long an entry is served when no event was appended (see `ResponseCacheOptions.ttlMs`). */
export const CACHE_TTL_MS = 10_000;

export interface ResponseCacheOptions<V> {
  /**
   * The store's newest event id (`Store.lastEventId`), read once per `get`: an entry computed at another id is stale.
   * Every store write but a heartbeat appends an event in its transaction, whichever process writes.
   */
  version: () => Promise<number>;
  /**
   * How long an entry lives even when no event was appended, in milliseconds (default `CACHE_TTL_MS`, 10 s): what
   * moves without an event — a heartbeat, a lease running out, the clock the tracker and /metrics read — is seen
   * within it, and so is a PostgreSQL write that commits below the id already read. 10 s is under the default
   * heartbeat interval (15 s, of a 60 s lease: a stale lease shows within a sixth of its length) and under
   * Prometheus' usual scrape interval (15 s or more: every scrape sees a newer answer than the one before); a
   * steady load recomputes an answer about every 7.5 s (¾ of the TTL), so the tracker's ≈ 0.7 s costs ≈ 10 % of a core.
   */
  ttlMs?: number;
  /** Entries kept at most (default 32); the least recently used one goes first. */
  maxEntries?: number;
  /** Bytes kept at most, as `sizeOf` counts them (default 256 MiB); an entry larger than that is served, not kept. */
  maxBytes?: number;
  /** An entry's size in bytes (default 0: only `maxEntries` bounds the cache). */
  sizeOf?: (value: V) => number;
  /**
   * Clocks in milliseconds, none going back (default `[performance.now]`): an entry is younger than the TTL while it
   * is on every one of them. The server passes the wall clock and its own `now` (fixed by SHIPGATE_NOW, or moved by
   * a test); tests move one by hand.
   */
  clocks?: readonly (() => number)[];
}

export interface ResponseCache<V> {
  /**
   * The value cached under `key` while it is valid (the store's newest event id unchanged since its computation
   * started, younger than the TTL, no `invalidate()` since); otherwise `compute()` — called once for all the callers
   * that miss at the same time, who share its result or its error, and never twice at once for one key. Errors are
   * not kept. A hit past ¾ of the TTL starts the next computation in the background and is served meanwhile.
   */
  get(key: string, compute: () => Promise<V>): Promise<V>;
  /** Forgets every entry, at once (after a mutation through the API); computations in flight are not joined again. */
  invalidate(): void;
  /** Entries held (in flight included) and their bytes, for tests and figures. */
  stats(): { entries: number; bytes: number };
}

interface Entry<V> {
  version: number;
  /** The clocks' readings when its computation started. */
  bornAt: number[];
  bytes: number;
  promise: Promise<V>;
  settled: boolean;
  /** A computation of the next entry under way while this one is still served (see `get`). */
  refresh?: Promise<unknown>;
}

const settle = (promise: Promise<unknown>) => promise.then(
  () => undefined,
  () => undefined,
);

/** A single-flight cache of computed answers, valid while the store has not changed and for a short TTL. */
export function createResponseCache<V>(options: ResponseCacheOptions<V>): ResponseCache<V> {
  const ttlMs = options.ttlMs ?? CACHE_TTL_MS;
  const maxEntries = options.maxEntries ?? 32;
  const maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
  const sizeOf = options.sizeOf ?? (() => 0);
  const clocks = options.clocks ?? [() => performance.now()];
  // Insertion order is recency order: a hit moves its entry to the end, eviction takes from the front.
  const entries = new Map<string, Entry<V>>();
  let bytes = 0;

  const remove = (key: string, entry: Entry<V>) => {
    if (entries.get(key) !== entry) return;
    entries.delete(key);
    bytes -= entry.bytes;
  };
  const evict = () => {
    for (const [key, entry] of entries) {
      if (entries.size <= maxEntries && bytes <= maxBytes) return;
      remove(key, entry);
    }
  };
  /** Starts computing an entry; it takes `key`'s place now (`replacing` undefined) or, once computed, `replacing`'s. */
  const start = (key: string, version: number, bornAt: number[], compute: () => Promise<V>, replacing?: Entry<V>): Entry<V> => {
    const entry: Entry<V> = { version, bornAt, bytes: 0, promise: Promise.resolve(undefined as V), settled: false };
    entry.promise = compute().then(
      (value) => {
        entry.settled = true;
        if (replacing !== undefined && entries.get(key) === replacing) {
          remove(key, replacing);
          entries.set(key, entry);
        }
        if (entries.get(key) === entry) {
          entry.bytes = sizeOf(value);
          bytes += entry.bytes;
          evict();
        }
        return value;
      },
      (error: unknown) => {
        entry.settled = true;
        remove(key, entry);
        throw error;
      },
    );
    if (replacing === undefined) {
      entries.set(key, entry);
      evict();
    }
    return entry;
  };

  return {
    async get(key, compute) {
      for (;;) {
        // Read before computing: a write that lands during the computation leaves the entry at the older id, stale.
        const version = await options.version();
        const now = clocks.map((clock) => clock());
        const held = entries.get(key);
        if (held && held.version === version) {
          const age = Math.max(...now.map((t, i) => t - (held.bornAt[i] ?? -Infinity)));
          if (age < ttlMs) {
            entries.delete(key);
            entries.set(key, held);
            // Past three quarters of its TTL, the next entry is computed while this one is served, so a steady load does
            // not wait for the store's reads at the TTL (the computation's own CPU work still takes its turn on the loop).
            if (age >= ttlMs * 0.75 && held.settled && held.refresh === undefined) {
              const next = start(key, version, now, compute, held);
              held.refresh = settle(next.promise).then(() => (held.refresh = undefined));
            }
            return held.promise;
          }
        }
        // At most one computation per key at a time: a miss waits for the one under way (for an older id, or a
        // refresh), then looks again — so a burst of events costs one computation after another, never a pile of them.
        const running = held && (held.settled ? held.refresh : held.promise);
        if (running) {
          await settle(running);
          continue;
        }
        if (held) remove(key, held);
        return start(key, version, now, compute).promise;
      }
    },
    invalidate() {
      entries.clear();
      bytes = 0;
    },
    stats: () => ({ entries: entries.size, bytes }),
  };
}
