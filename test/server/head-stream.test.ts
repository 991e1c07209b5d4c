import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Store } from "../../src/store/types.js";
import { createApp, type ShipgateApp } from "../../src/server/app.js";
import { programServer, TOKEN, type ProgramServer } from "./app-helpers.js";

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("HEAD on a streamed route", () => {
  let s: ProgramServer;
  let served: ShipgateApp;
  let reads = 0;
  beforeAll(async () => {
    s = await programServer();
    // The same real store, counting the event feed's reads: the feed reads only while someone listens.
    const counted: Store = { ...s.store, listEvents: (query) => ((reads += 1), s.store.listEvents(query)) };
    served = createApp({ store: counted, cwd: s.dir, token: TOKEN, now: () => "2026-11-23T12:00:00.000Z", pollMs: 10 });
  });
  afterAll(async () => {
    served.close();
    await s.dispose();
  });

  it("HEAD /api/events/stream leaves no listener behind (it kept one, its queue growing with every event, for good)", async () => {
    const response = await served.app.request("/api/events/stream", { method: "HEAD" });
    expect([response.status, response.headers.get("content-type"), response.body]).toEqual([200, "text/event-stream", null]);
    await s.store.appendEvent({ type: "alert", data: { n: 1 }, at: "2026-11-23T12:00:01.000Z" });
    await pause(100);
    const before = reads;
    await pause(100);
    expect(reads - before).toBe(0);
  });

  it("HEAD answers a cached read's headers without a body", async () => {
    const response = await served.app.request("/api/plan", { method: "HEAD" });
    expect([response.status, response.headers.get("content-type"), response.body]).toEqual([200, "application/json", null]);
  });
});
