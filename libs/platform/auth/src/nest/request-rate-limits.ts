import type { RateLimiter, TokenBucketLimit } from '../limits/rate-limiter.port';

/** The per-tenant and per-credential limits the AuthGuard applies once the caller is known. */
export interface RequestRateLimits {
  readonly limiter: RateLimiter;
  readonly perTenant: TokenBucketLimit;
  readonly perToken: TokenBucketLimit;
}
