import type { Store, StoreEvent } from "../store/types.js";

export interface EventFeedOptions {
  /** How often the store is read for new events while someone listens (default 250 ms). */
  pollMs?: number;
  /** Events read per query (default 500). */
  pageSize?: number;
}

export interface EventFeed {
  /**
   * Calls `onEvent` with every event appended to the store after `afterId` (undefined: after the newest one now),
   * in id order, each once, whichever process wrote it. Resolves to the unsubscribe function once the listener
   * is caught up to the feed.
   */
  subscribe(afterId: number | undefined, onEvent: (event: StoreEvent) => void): Promise<() => void>;
  close(): void;
}

/**
 * One reader per server, whatever the number of listeners: the store is read by id (`listEvents({ afterId })`)
 * every `pollMs` while anyone listens, and at once when the store hints that events were appended (PostgreSQL's
 * LISTEN/NOTIFY, `store.watchEvents`; SQLite has no hints and is only polled). Reading stays the truth: a lost hint
 * or a dropped LISTEN connection only delays an event until the next poll.
 */
export function createEventFeed(store: Store, options: EventFeedOptions = {}): EventFeed {
  const pollMs = options.pollMs ?? 250;
  const pageSize = options.pageSize ?? 500;
  const listeners = new Set<(event: StoreEvent) => void>();
  let head: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  /** A hint arrived while a read was in flight: read once more right after it (its events may be past that read). */
  let again = false;
  let stopWatching: (() => void) | undefined;
  let closed = false;

  /** Reads every event after `after`, page by page. */
  async function readAfter(after: number, each: (event: StoreEvent) => void): Promise<number> {
    let last = after;
    for (;;) {
      const page = await store.listEvents({ afterId: last, limit: pageSize });
      for (const event of page) {
        each(event);
        last = event.id;
      }
      if (page.length < pageSize) return last;
    }
  }

  async function findHead(): Promise<number> {
    // The newest id in one indexed read (it was a read of the whole log, page by page, on the first subscribe).
    head ??= await store.lastEventId();
    return head;
  }

  async function poll(): Promise<void> {
    const from = await findHead();
    head = await readAfter(from, (event) => {
      for (const listener of listeners) listener(event);
    });
  }

  /** Reads now (once the read in flight, if any, is done), then waits for the next poll or hint. */
  function read(): void {
    if (closed || listeners.size === 0) return;
    if (polling) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    timer = undefined;
    again = false;
    polling = poll()
      // A failed read (a store briefly unavailable) is retried at the next tick.
      .catch(() => undefined)
      .finally(() => {
        polling = undefined;
        if (again) read();
        else schedule();
      });
  }

  function schedule(): void {
    if (closed || timer || polling || listeners.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      read();
    }, pollMs);
    timer.unref();
  }

  /** Hints from the store while anyone listens (a hint for an event already read is skipped). */
  function watch(): void {
    if (closed || stopWatching || !store.watchEvents || listeners.size === 0) return;
    stopWatching = store.watchEvents((lastId) => {
      if (lastId === undefined || head === undefined || lastId > head) read();
    });
  }

  function unwatch(): void {
    stopWatching?.();
    stopWatching = undefined;
  }

  return {
    async subscribe(afterId, onEvent) {
      // Wait for a poll in flight, so that the catch-up below and the feed meet at `head` with nothing between.
      await polling;
      const start = await findHead();
      let sent = afterId ?? start;
      const buffered: StoreEvent[] = [];
      let live = false;
      const listener = (event: StoreEvent) => {
        if (!live) buffered.push(event);
        else if (event.id > sent) {
          sent = event.id;
          onEvent(event);
        }
      };
      listeners.add(listener);
      if (afterId !== undefined && afterId < start) {
        await readAfter(afterId, (event) => {
          if (event.id <= start && event.id > sent) {
            sent = event.id;
            onEvent(event);
          }
        });
      }
      live = true;
      for (const event of buffered) listener(event);
      schedule();
      watch();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) unwatch();
      };
    },
    close() {
      closed = true;
      listeners.clear();
      unwatch();
      if (timer) clearTimeout(timer);
    },
  };
}
