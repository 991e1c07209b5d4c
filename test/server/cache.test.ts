import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { createResponseCache } from "../../src/server/cache.js";
import { acceptsGzip, cachedBody, matchesEtag, sendCached } from "../../src/server/cached-body.js";
import { openStore } from "../../src/store/open-store.js";

const AT = "2026-11-02T08:00:00.000Z";

/** A cache over a version and a clock the test moves by hand, counting computations. */
function harness(options: { ttlMs?: number; maxEntries?: number; maxBytes?: number } = {}) {
  const state = { version: 1, time: 0, computed: 0 };
  const cache = createResponseCache<string>({ version: () => Promise.resolve(state.version), clocks: [() => state.time], sizeOf: (v) => v.length, ...options });
  const compute = (value: string) => () => {
    state.computed++;
    return Promise.resolve(`${value}#${state.computed}`);
  };
  return { state, cache, compute };
}

describe("the response cache", () => {
  it("serves an entry while the newest event id holds and it is younger than the TTL; recomputes otherwise", async () => {
    const { state, cache, compute } = harness({ ttlMs: 5000 });
    const cases: [what: string, move: () => void, expected: string][] = [
      ["first read", () => undefined, "a#1"],
      ["same id, 3.7 s later (under ¾ of the TTL: no refresh yet)", () => (state.time = 3700), "a#1"],
      ["an event appended", () => state.version++, "a#2"],
      ["no event, TTL reached", () => (state.time += 5000), "a#3"],
      ["again at once", () => undefined, "a#3"],
    ];
    for (const [what, move, expected] of cases) {
      move();
      expect([what, await cache.get("k", compute("a"))]).toEqual([what, expected]);
    }
    expect(await cache.get("other", compute("b"))).toBe("b#4");
  });

  it("expires an entry when any of its clocks moved the TTL (the wall clock, or the app's fixed or moved `now`)", async () => {
    const times = [0, 0];
    let computed = 0;
    const cache = createResponseCache<number>({ version: () => Promise.resolve(1), ttlMs: 100, clocks: [() => times[0]!, () => times[1]!] });
    const read = () => cache.get("k", () => Promise.resolve(++computed));
    expect(await read()).toBe(1);
    times[0] = 49;
    expect(await read()).toBe(1);
    times[1] = 100;
    expect(await read()).toBe(2);
    times[0] = 149;
    expect(await read()).toBe(3);
  });

  it("computes once for concurrent misses, shares its error, and keeps no error", async () => {
    const { cache, state } = harness();
    let release: (v: string) => void = () => undefined;
    const slow = () => {
      state.computed++;
      return new Promise<string>((r) => (release = r));
    };
    const waiting = Promise.all([cache.get("k", slow), cache.get("k", slow), cache.get("k", slow)]);
    await new Promise((r) => setImmediate(r));
    release("one");
    expect(await waiting).toEqual(["one", "one", "one"]);
    expect(state.computed).toBe(1);

    const failing = () => {
      state.computed++;
      return Promise.reject(new Error("store unavailable"));
    };
    const results = await Promise.allSettled([cache.get("e", failing), cache.get("e", failing)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(state.computed).toBe(2);
    expect(await cache.get("e", () => Promise.resolve("back"))).toBe("back");
  });

  it("does not serve a computation that started before an event was appended, and runs one computation per key at a time", async () => {
    const { cache, state } = harness();
    let release: (v: string) => void = () => undefined;
    let running = 0;
    let most = 0;
    const slow = (value: string) => () => {
      most = Math.max(most, ++running);
      return new Promise<string>((r) => (release = (v) => (running--, r(v ?? value))));
    };
    const before = cache.get("k", slow("before"));
    await new Promise((r) => setImmediate(r));
    state.version++;
    const after = cache.get("k", slow("after"));
    const alsoAfter = cache.get("k", slow("after"));
    await new Promise((r) => setImmediate(r));
    release("before");
    await new Promise((r) => setImmediate(r));
    release("after");
    expect([await before, await after, await alsoAfter, most]).toEqual(["before", "after", "after", 1]);
    expect(await cache.get("k", () => Promise.resolve("again"))).toBe("after");
  });

  it("past three quarters of the TTL serves the entry while the next one is computed, then the next one", async () => {
    const { state, cache } = harness({ ttlMs: 1000 });
    let release: (v: string) => void = () => undefined;
    const slow = (value: string) => () => {
      state.computed++;
      return value === "first" ? Promise.resolve(value) : new Promise<string>((r) => (release = () => r(value)));
    };
    expect(await cache.get("k", slow("first"))).toBe("first");
    state.time = 749;
    expect(await cache.get("k", slow("second"))).toBe("first");
    expect(state.computed).toBe(1);
    state.time = 800;
    expect(await cache.get("k", slow("second"))).toBe("first");
    expect(await cache.get("k", slow("third"))).toBe("first");
    expect(state.computed).toBe(2);
    // Expired while the refresh runs: the request waits for it rather than starting another.
    state.time = 1000;
    const waiting = cache.get("k", slow("fourth"));
    await new Promise((r) => setImmediate(r));
    release("second");
    expect([await waiting, state.computed]).toEqual(["second", 2]);
    // The refreshed entry's age counts from when its computation started (800).
    state.time = 1799;
    expect(await cache.get("k", () => Promise.reject(new Error("not called")))).toBe("second");
  });

  it("forgets everything on invalidate(), at once, and a computation in flight is not joined again", async () => {
    const { cache, compute } = harness();
    expect(await cache.get("k", compute("a"))).toBe("a#1");
    cache.invalidate();
    expect(await cache.get("k", compute("a"))).toBe("a#2");
    let release: (v: string) => void = () => undefined;
    const inFlight = cache.get("k2", () => new Promise<string>((r) => (release = r)));
    await new Promise((r) => setImmediate(r));
    cache.invalidate();
    expect(await cache.get("k2", compute("b"))).toBe("b#3");
    release("late");
    expect(await inFlight).toBe("late");
    expect(cache.stats().entries).toBe(1);
  });

  it("keeps at most maxEntries and maxBytes, evicting the least recently used; an entry over maxBytes is served, not kept", async () => {
    const { cache, compute, state } = harness({ maxEntries: 2, maxBytes: 10 });
    await cache.get("a", compute("a"));
    await cache.get("b", compute("b"));
    await cache.get("a", compute("a")); // a is now the most recent
    await cache.get("c", compute("c")); // evicts b
    expect(cache.stats()).toEqual({ entries: 2, bytes: 6 });
    expect(await cache.get("a", compute("a"))).toBe("a#1");
    expect(await cache.get("b", compute("b"))).toBe("b#4");
    expect(await cache.get("big", () => Promise.resolve("x".repeat(11)))).toBe("x".repeat(11));
    expect(cache.stats().entries).toBeLessThanOrEqual(2);
    expect(cache.stats().bytes).toBeLessThanOrEqual(10);
    expect(state.computed).toBe(4);
  });

  it("sees an event appended by another store handle (another process) on the same database", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "shipgate-cache-")), "shipgate.db");
    const server = await openStore(file, { at: AT });
    const other = await openStore(file, { at: AT });
    try {
      let computed = 0;
      const cache = createResponseCache<number>({ version: () => server.lastEventId(), clocks: [() => 0] });
      const read = () => cache.get("events", async () => (computed++, (await server.listEvents()).length));
      expect(await read()).toBe(0);
      expect(await read()).toBe(0);
      await other.appendEvent({ at: AT, type: "task.started", subject: "T1" });
      expect(await read()).toBe(1);
      expect(computed).toBe(2);
    } finally {
      await other.close();
      await server.close();
    }
  });
});

describe("a cached answer on the wire", () => {
  const entry = () => cachedBody("application/json", JSON.stringify({ tasks: Array.from({ length: 200 }, (_, i) => ({ id: `T${i}`, state: "pending" })) }));

  it("is gzipped once when the client accepts gzip, decodes to the same bytes, and says Vary: Accept-Encoding", async () => {
    const e = entry();
    const gz = await sendCached(new Request("http://x/api/tasks", { headers: { "Accept-Encoding": "gzip, deflate, br" } }), e);
    const first = e.gzipped;
    const plain = await sendCached(new Request("http://x/api/tasks"), e);
    await sendCached(new Request("http://x/api/tasks", { headers: { "Accept-Encoding": "gzip" } }), e);
    expect(e.gzipped).toBe(first);
    expect([gz.headers.get("content-encoding"), gz.headers.get("vary"), gz.headers.get("etag")]).toEqual(["gzip", "Accept-Encoding", e.etag]);
    expect(gunzipSync(Buffer.from(await gz.arrayBuffer())).equals(e.body)).toBe(true);
    expect([plain.headers.get("content-encoding"), plain.headers.get("vary"), Buffer.from(await plain.arrayBuffer()).equals(e.body)]).toEqual([null, "Accept-Encoding", true]);
    const small = cachedBody("application/json", "[]");
    expect((await sendCached(new Request("http://x/", { headers: { "Accept-Encoding": "gzip" } }), small)).headers.get("content-encoding")).toBeNull();
  });

  it("answers 304 without a body when If-None-Match names its ETag (weak comparison, lists, *)", async () => {
    const e = entry();
    for (const header of [e.etag, e.etag.slice(2), `"nope", ${e.etag}`, "*"]) {
      const response = await sendCached(new Request("http://x/", { headers: { "If-None-Match": header } }), e);
      expect([header, response.status, await response.text(), response.headers.get("etag")]).toEqual([header, 304, "", e.etag]);
    }
    expect((await sendCached(new Request("http://x/", { headers: { "If-None-Match": 'W/"other"' } }), e)).status).toBe(200);
    expect(matchesEtag(null, e.etag)).toBe(false);
  });

  it("reads Accept-Encoding as RFC 9110 says: q=0 refuses, * accepts, names are case-insensitive", () => {
    const cases: [string | null, boolean][] = [
      [null, false],
      ["", false],
      ["identity", false],
      ["gzip", true],
      ["GZIP;q=0.5", true],
      ["gzip;q=0", false],
      ["br, *", true],
      ["*;q=0, gzip", true],
      ["br;q=1.0, gzip;q=0, *", false],
      ["x-gzip", true],
    ];
    expect(cases.map(([h]) => [h, acceptsGzip(h)])).toEqual(cases);
  });
});
