export interface RateLimiterOptions {
  /** Tokens a key may spend in a burst. */
  capacity: number;
  /** Tokens added back per second. */
  refillPerSecond: number;
  /** Clock in milliseconds; injectable for tests. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Token-bucket rate limiter keyed by client id. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    if (options.capacity <= 0) throw new RangeError("capacity must be positive");
    if (options.refillPerSecond < 0) throw new RangeError("refillPerSecond must be >= 0");
    this.now = options.now ?? Date.now;
  }

  /** Spends `cost` tokens for `key`; returns false when the key is over its limit. */
  tryAcquire(key: string, cost = 1): boolean {
    const bucket = this.refill(key);
    if (bucket.tokens < cost) return false;
    bucket.tokens -= cost;
    return true;
  }

  /** Milliseconds until `key` can spend `cost` tokens again (0 when it can now). */
  retryAfterMs(key: string, cost = 1): number {
    const bucket = this.refill(key);
    const missing = cost - bucket.tokens;
    if (missing <= 0) return 0;
    if (this.options.refillPerSecond === 0) return Number.POSITIVE_INFINITY;
    return Math.ceil((missing / this.options.refillPerSecond) * 1000);
  }

  /** Forgets every key; used when the limiter's configuration changes. */
  reset(): void {
    this.buckets.clear();
  }

  private refill(key: string): Bucket {
    const at = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: this.options.capacity, updatedAt: at };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsedSeconds = (at - bucket.updatedAt) / 1000;
    bucket.tokens = Math.min(this.options.capacity, bucket.tokens + elapsedSeconds * this.options.refillPerSecond);
    bucket.updatedAt = at;
    return bucket;
  }
}
