import { describe, expect, it } from "vitest";
import { RateLimiter } from "../src/rate-limiter.js";

function clock(start = 0) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("RateLimiter", () => {
  it("allows a burst up to capacity", () => {
    const c = clock();
    const limiter = new RateLimiter({ capacity: 3, refillPerSecond: 1, now: c.now });
    expect([1, 2, 3].map(() => limiter.tryAcquire("a"))).toEqual([true, true, true]);
    expect(limiter.tryAcquire("a")).toBe(false);
  });

  it("keeps separate buckets per key", () => {
    const limiter = new RateLimiter({ capacity: 1, refillPerSecond: 1, now: clock().now });
    expect(limiter.tryAcquire("a")).toBe(true);
    expect(limiter.tryAcquire("b")).toBe(true);
    expect(limiter.tryAcquire("a")).toBe(false);
  });

  it("refills tokens over time", () => {
    const c = clock();
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 2, now: c.now });
    limiter.tryAcquire("a", 2);
    expect(limiter.tryAcquire("a")).toBe(false);
    c.advance(500);
    expect(limiter.tryAcquire("a")).toBe(true);
  });

  it("never refills above capacity", () => {
    const c = clock();
    const limiter = new RateLimiter({ capacity: 2, refillPerSecond: 10, now: c.now });
    limiter.tryAcquire("a");
    c.advance(60_000);
    expect(limiter.tryAcquire("a", 3)).toBe(false);
    expect(limiter.tryAcquire("a", 2)).toBe(true);
  });

  it("rejects a non-positive capacity", () => {
    expect(() => new RateLimiter({ capacity: 0, refillPerSecond: 1 })).toThrow(RangeError);
  });
});
