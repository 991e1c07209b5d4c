import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { programServer, type ProgramServer } from "./app-helpers.js";
import { readEvents } from "./sse.js";

describe("regression: one event-stream client could hold the whole event log in the server's memory (Last-Event-ID: 0, or a client that stops reading)", () => {
  let server: ProgramServer;
  beforeAll(async () => {
    server = await programServer({ maxQueuedEvents: 10 });
  });
  afterAll(async () => {
    await server.dispose();
  });

  it("sends at most maxQueued events, ends the stream saying so, and a reconnect with Last-Event-ID goes on with no gap", async () => {
    const all = await server.store.listEvents({ limit: 1000 });
    expect(all.length).toBeGreaterThan(25);
    const seen: number[] = [];
    let last = "0";
    for (let round = 0; round < 3; round++) {
      const comments: string[] = [];
      const response = await server.app.request("/api/events/stream", { headers: { "Last-Event-ID": last } });
      const events = await readEvents(response, 1000, comments);
      expect(events.length).toBe(10);
      expect(comments.some((c) => c.includes("more than 10 events behind"))).toBe(true);
      seen.push(...events.map((e) => Number(e.id)));
      last = events.at(-1)!.id;
    }
    expect(seen).toEqual(all.slice(0, 30).map((e) => e.id));
  });
});
