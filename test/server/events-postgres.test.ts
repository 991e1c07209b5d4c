/** The event stream over the test run's real PostgreSQL: events another connection appends reach the client by polling. */
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/server/app.js";
import { openPostgresStore } from "../../src/store/postgres/index.js";
import { freshDatabase, postgresAvailable } from "../support/postgres.js";
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
});
