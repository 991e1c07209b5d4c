import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StoreEvent } from "../../src/server/api-types.js";
import { readEvents } from "./sse.js";
import { programServer, type ProgramServer } from "./app-helpers.js";

describe("GET /api/events/stream", () => {
  let s: ProgramServer;
  beforeAll(async () => {
    s = await programServer({ heartbeatMs: 30 });
  });
  afterAll(async () => s.dispose());

  it("streams the events appended after it connected, in id order, with heartbeat comments", async () => {
    const controller = new AbortController();
    const response = await s.app.request("/api/events/stream", { signal: controller.signal });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const comments: string[] = [];
    const reading = readEvents(response, 2, comments);
    // Another writer appends to the same store: the stream reads it by polling.
    await new Promise((r) => setTimeout(r, 100));
    const a = await s.store.appendEvent({ type: "alert", data: { n: 1 }, at: "2026-11-13T20:00:01.000Z" });
    const b = await s.store.appendEvent({ type: "snapshot.created", subject: "snapshot:99", at: "2026-11-13T20:00:02.000Z" });
    const events = await reading;
    controller.abort();
    expect(events.map((e) => [e.id, e.event, e.data.id])).toEqual([
      [String(a.id), "alert", a.id],
      [String(b.id), "snapshot.created", b.id],
    ]);
    expect(comments.some((c) => c.startsWith(": heartbeat"))).toBe(true);
  });

  it("resumes after Last-Event-ID, and answers Accept: text/event-stream on /api/events", async () => {
    const all = await s.store.listEvents();
    const from = all[all.length - 4] as StoreEvent;
    const response = await s.app.request("/api/events", { headers: { Accept: "text/event-stream", "Last-Event-ID": String(from.id) } });
    const events = await readEvents(response, 3);
    expect(events.map((e) => Number(e.id))).toEqual(all.slice(-3).map((e) => e.id));
  });

  it("refuses a Last-Event-ID that is not an id with a 400", async () => {
    const response = await s.app.request("/api/events/stream", { headers: { "Last-Event-ID": "abc" } });
    expect([response.status, ((await response.json()) as { error: { code: string } }).error.code]).toEqual([400, "USAGE"]);
  });
});
