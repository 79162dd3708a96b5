import type { TokenBucketLimit, TokenBucketRateLimiter } from '../limits/token-bucket.rate-limiter';

/** The per-tenant and per-credential limits the AuthGuard applies once the caller is known. */
export interface RequestRateLimits {
  readonly limiter: TokenBucketRateLimiter;
  readonly perTenant: TokenBucketLimit;
  readonly perToken: TokenBucketLimit;
}
