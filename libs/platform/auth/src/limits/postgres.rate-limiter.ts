import type { DataSource } from 'typeorm';
import type { RateLimiter, RateLimitOutcome, RateLimitRequest } from './rate-limiter.port';

export interface PostgresRateLimiterOptions {
  /** Buckets untouched this long are full again for any sane limit, and are deleted. */
  readonly idleBucketSeconds?: number;
  /** Every this many calls, one call also deletes idle buckets. */
  readonly sweepEvery?: number;
}

interface TakeRow {
  readonly allowed: boolean;
  readonly retry_after_seconds: number;
  readonly limited_by: string | null;
}

/**
 * Token buckets in PostgreSQL, shared by every replica of the service: N replicas admit the rate
 * once, not N times. One round trip per request (`rf_take_rate_tokens`, see its migration).
 */
export class PostgresRateLimiter implements RateLimiter {
  private calls = 0;
  private readonly idleBucketSeconds: number;
  private readonly sweepEvery: number;

  constructor(
    private readonly dataSource: DataSource,
    options: PostgresRateLimiterOptions = {},
  ) {
    this.idleBucketSeconds = options.idleBucketSeconds ?? 3_600;
    this.sweepEvery = options.sweepEvery ?? 10_000;
  }

  async consume(requests: readonly RateLimitRequest[]): Promise<RateLimitOutcome> {
    if (requests.length === 0) return { allowed: true, retryAfterSeconds: 0 };
    this.calls += 1;
    if (this.calls % this.sweepEvery === 0) await this.sweep();
    const rows = await this.dataSource.query<TakeRow[]>(
      'SELECT allowed, retry_after_seconds, limited_by FROM rf_take_rate_tokens($1::text[], $2::float8[], $3::float8[])',
      [
        requests.map((r) => r.key),
        requests.map((r) => r.limit.capacity),
        requests.map((r) => r.limit.refillPerSecond),
      ],
    );
    const row = rows[0];
    if (!row) throw new Error('rf_take_rate_tokens returned no row');
    return row.allowed
      ? { allowed: true, retryAfterSeconds: 0 }
      : {
          allowed: false,
          retryAfterSeconds: row.retry_after_seconds,
          ...(row.limited_by === null ? {} : { limitedBy: row.limited_by }),
        };
  }

  /** Deletes buckets idle for longer than `idleBucketSeconds`. */
  async sweep(): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM rate_limit_buckets WHERE updated_at < clock_timestamp() - make_interval(secs => $1)`,
      [this.idleBucketSeconds],
    );
  }
}
