export interface TokenBucketLimit {
  /** Requests allowed in a burst. */
  readonly capacity: number;
  /** Sustained requests per second. */
  readonly refillPerSecond: number;
}

export interface RateLimitOutcome {
  readonly allowed: boolean;
  /** Whole seconds until the request would be admitted (Retry-After), 0 when allowed. */
  readonly retryAfterSeconds: number;
  /** Which limit refused it. */
  readonly limitedBy?: string;
}

export interface RateLimitRequest {
  /** The bucket: `tenant:<org>` or `token:<credential>`. */
  readonly key: string;
  readonly limit: TokenBucketLimit;
}

/**
 * Token buckets keyed per tenant and per credential. A request takes one token from every bucket
 * it names, or from none. In memory per instance (`TokenBucketRateLimiter`, development and tests)
 * or shared by every replica (`PostgresRateLimiter`).
 */
export interface RateLimiter {
  consume(requests: readonly RateLimitRequest[]): RateLimitOutcome | Promise<RateLimitOutcome>;
}
