/**
 * The event stream over the test run's real PostgreSQL: events another connection appends reach the client by polling,
 * and, with a poll too slow to matter (an hour), through the NOTIFY hint alone — also after the LISTEN connection was
 * killed on the server (pg_terminate_backend) and reconnected.
 */
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/server/app.js";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import { WATCH_APPLICATION_NAME } from "../../src/store/postgres/events.js";
import { freshDatabase, postgresAvailable, sql } from "../support/postgres.js";
import { readEvents } from "./sse.js";

const { skip } = postgresAvailable();
const AT = "2026-12-01T09:00:00.000Z";

describe.skipIf(skip !== null)("GET /api/events/stream on PostgreSQL", () => {
  it("streams events appended through another connection, and resumes after Last-Event-ID", async () => {
    const url = await freshDatabase("serve");
    const served = await openPostgresStore({ url, at: AT });
    const writer = await openPostgresStore({ url, at: AT });
    const { app, close } = createApp({ store: served, cwd: process.cwd(), token: "pg-token-0123456789abcdef", now: () => AT, pollMs: 20 });
    try {
      const old = await writer.appendEvent({ type: "alert", data: { n: 0 }, at: AT });
      const controller = new AbortController();
      const reading = readEvents(await app.request("/api/events/stream", { signal: controller.signal }), 2);
      await new Promise((r) => setTimeout(r, 100));
      const a = await writer.appendEvent({ type: "alert", data: { n: 1 }, at: AT });
      const b = await writer.appendEvent({ type: "snapshot.created", subject: "snapshot:1", at: AT });
      const events = await reading;
      controller.abort();
      expect(events.map((e) => [Number(e.id), e.event])).toEqual([
        [a.id, "alert"],
        [b.id, "snapshot.created"],
      ]);
      const resumed = await readEvents(await app.request("/api/events/stream", { headers: { "Last-Event-ID": String(old.id) } }), 2);
      expect(resumed.map((e) => Number(e.id))).toEqual([a.id, b.id]);
    } finally {
      close();
      await served.close();
      await writer.close();
    }
  });

  it("with a poll of an hour, an event appended through another store handle still reaches the subscriber: the NOTIFY woke the feed", async () => {
    const url = await freshDatabase("notify");
    const served = await openPostgresStore({ url, at: AT });
    const writer = await openPostgresStore({ url, at: AT });
    const { app, close } = createApp({ store: served, cwd: process.cwd(), token: "pg-token-0123456789abcdef", now: () => AT, pollMs: HOUR });
    const stream = openStream(await app.request("/api/events/stream"));
    try {
      await stream.connected();
      // The LISTEN is in place before anything is appended, so the event can only come through a notification.
      await listenBackend(url);
      const appended = await writer.appendEvent({ type: "alert", data: { n: 1 }, at: AT });
      const imported = await writer.importPlan({ hash: "h1", source: "plan.yaml", content: {}, tasks: [], phaseWaits: {} }, AT);
      expect(await stream.next()).toMatchObject({ id: String(appended.id), event: "alert" });
      expect(await stream.next()).toMatchObject({ event: "plan.imported", data: { subject: String(imported.plan.id) } });
    } finally {
      await stream.cancel();
      close();
      await served.close();
      await writer.close();
    }
  });

  it("a LISTEN connection killed on the server (pg_terminate_backend) reconnects: events appended during and after the outage arrive, with a poll of an hour", async () => {
    const url = await freshDatabase("relisten");
    const served = await openPostgresStore({ url, at: AT, watch: { retryMs: 20, maxRetryMs: 200 } });
    const writer = await openPostgresStore({ url, at: AT });
    const { app, close } = createApp({ store: served, cwd: process.cwd(), token: "pg-token-0123456789abcdef", now: () => AT, pollMs: HOUR });
    const stream = openStream(await app.request("/api/events/stream"));
    try {
      await stream.connected();
      const first = await listenBackend(url);
      const killed = await sql<{ ok: boolean }>(url, "SELECT pg_terminate_backend($1) AS ok", [first]);
      expect(killed).toEqual([{ ok: true }]);
      const during = await writer.appendEvent({ type: "alert", data: { n: "during" }, at: AT });
      const second = await listenBackend(url, first);
      expect(second).not.toBe(first);
      const after = await writer.appendEvent({ type: "alert", data: { n: "after" }, at: AT });
      expect((await stream.next()).id).toBe(String(during.id));
      expect((await stream.next()).id).toBe(String(after.id));
    } finally {
      await stream.cancel();
      close();
      await served.close();
      await writer.close();
    }
  });

  it("the LISTEN connection is closed when the last subscriber leaves, and with the store", async () => {
    const url = await freshDatabase("unlisten");
    const served = await openPostgresStore({ url, at: AT });
    const { app, close } = createApp({ store: served, cwd: process.cwd(), token: "pg-token-0123456789abcdef", now: () => AT, pollMs: HOUR });
    const stream = openStream(await app.request("/api/events/stream"));
    await stream.connected();
    await listenBackend(url);
    await stream.cancel();
    await waitFor("the LISTEN connection to close", async () => ((await listening(url)).length === 0 ? true : undefined));
    close();
    await served.close();
  });
});

const HOUR = 3_600_000;

/** The backends of `url`'s database that LISTEN for events now. */
const listening = async (url: string): Promise<number[]> =>
  (await sql<{ pid: number }>(url, "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1 AND query ILIKE 'LISTEN%' AND state = 'idle'", [WATCH_APPLICATION_NAME])).map((r) => r.pid);

/** The pid of the backend that LISTENs for `url`'s events once there is one (other than `not`). */
const listenBackend = (url: string, not?: number): Promise<number> => waitFor("a LISTEN connection", async () => (await listening(url)).find((pid) => pid !== not));

/** Calls `check` until it returns a value; the test's timeout bounds the wait. */
async function waitFor<T>(what: string, check: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await check();
    if (value !== undefined) return value;
    if (i > 2000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** An SSE response read one message at a time. */
function openStream(response: Response) {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const block = async (): Promise<string> => {
    for (;;) {
      const end = buffer.indexOf("\n\n");
      if (end >= 0) {
        const text = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        return text;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("the stream ended");
      buffer += decoder.decode(value, { stream: true });
    }
  };
  return {
    async connected(): Promise<void> {
      while ((await block()) !== ": connected");
    },
    async next(): Promise<{ id: string; event: string; data: Record<string, unknown> }> {
      for (;;) {
        const text = await block();
        if (text.startsWith(":")) continue;
        const field = (name: string) => text.split("\n").find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? "";
        return { id: field("id"), event: field("event"), data: JSON.parse(field("data")) as Record<string, unknown> };
      }
    },
    cancel: () => reader.cancel(),
  };
}
