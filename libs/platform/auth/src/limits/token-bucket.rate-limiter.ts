import type { RateLimiter, RateLimitOutcome, TokenBucketLimit } from './rate-limiter.port';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/**
 * In-process token buckets, one per key (`tenant:acme`, `token:<id>`). A request takes one token from
 * every bucket it names, or from none: a request refused by the tenant's limit does not also drain
 * the token's. Per instance: N instances admit up to N times the rate (development and tests; replicas
 * share `PostgresRateLimiter`).
 */
export class TokenBucketRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clockMs: () => number = () => performance.now(),
    private readonly maxBuckets = 100_000,
  ) {}

  consume(requests: readonly { readonly key: string; readonly limit: TokenBucketLimit }[]): RateLimitOutcome {
    const now = this.clockMs();
    const filled = requests.map(({ key, limit }) => ({ key, limit, bucket: this.refill(key, limit, now) }));
    const short = filled
      .filter((f) => f.bucket.tokens < 1)
      .map((f) => ({
        key: f.key,
        seconds: Math.max(1, Math.ceil((1 - f.bucket.tokens) / f.limit.refillPerSecond)),
      }))
      .sort((a, b) => b.seconds - a.seconds);
    const worst = short[0];
    if (worst) return { allowed: false, retryAfterSeconds: worst.seconds, limitedBy: worst.key };
    for (const f of filled) f.bucket.tokens -= 1;
    return { allowed: true, retryAfterSeconds: 0 };
  }

  private refill(key: string, limit: TokenBucketLimit, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size >= this.maxBuckets) this.evictIdle();
      bucket = { tokens: limit.capacity, updatedMs: now };
      this.buckets.set(key, bucket);
      return bucket;
    }
    const elapsed = Math.max(0, now - bucket.updatedMs) / 1000;
    bucket.tokens = Math.min(limit.capacity, bucket.tokens + elapsed * limit.refillPerSecond);
    bucket.updatedMs = now;
    return bucket;
  }

  /** Forgets the least recently used buckets: a fresh bucket is full, so forgetting an idle one changes nothing. */
  private evictIdle(): void {
    const oldest = [...this.buckets.entries()].sort((a, b) => a[1].updatedMs - b[1].updatedMs);
    for (const [key] of oldest.slice(0, Math.ceil(this.maxBuckets / 10))) this.buckets.delete(key);
  }
}
