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
 * One poller per server, whatever the number of listeners: SQLite and PostgreSQL alike are read by id
 * (`listEvents({ afterId })`) every `pollMs` while anyone listens. (PostgreSQL's LISTEN/NOTIFY could wake it
 * sooner; polling stays the truth, so a missed notification loses nothing.)
 */
export function createEventFeed(store: Store, options: EventFeedOptions = {}): EventFeed {
  const pollMs = options.pollMs ?? 250;
  const pageSize = options.pageSize ?? 500;
  const listeners = new Set<(event: StoreEvent) => void>();
  let head: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
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
    head ??= await readAfter(0, () => undefined);
    return head;
  }

  async function poll(): Promise<void> {
    const from = await findHead();
    head = await readAfter(from, (event) => {
      for (const listener of listeners) listener(event);
    });
  }

  function schedule(): void {
    if (closed || timer || listeners.size === 0) return;
    timer = setTimeout(() => {
      timer = undefined;
      polling = poll()
        // A failed read (a store briefly unavailable) is retried at the next tick.
        .catch(() => undefined)
        .finally(() => {
          polling = undefined;
          schedule();
        });
    }, pollMs);
    timer.unref();
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
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      listeners.clear();
      if (timer) clearTimeout(timer);
    },
  };
}
