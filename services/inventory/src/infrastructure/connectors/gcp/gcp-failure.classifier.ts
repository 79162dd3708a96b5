import type { ProviderFailure } from '../provider-call/provider-call.runner';

// gRPC status codes, as google-gax maps Compute's HTTP errors onto them.
const UNAUTHENTICATED = 16;
const PERMISSION_DENIED = 7;
const RESOURCE_EXHAUSTED = 8;
const UNAVAILABLE = 14;
const INTERNAL = 13;
const DEADLINE_EXCEEDED = 4;
const ABORTED = 10;

// Compute also reports rate limits as 403 with these reasons.
const RATE_LIMIT = /rateLimitExceeded|userRateLimitExceeded|Rate Limit Exceeded|Quota exceeded/i;

/** Maps a google-gax error onto the connector retry policy. */
export function classifyGcpFailure(error: unknown): ProviderFailure {
  if (typeof error !== 'object' || error === null) return { kind: 'fatal' };
  const code = (error as { readonly code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  if (code === RESOURCE_EXHAUSTED) return { kind: 'throttled' };
  if (code === PERMISSION_DENIED) return RATE_LIMIT.test(message) ? { kind: 'throttled' } : { kind: 'auth' };
  if (code === UNAUTHENTICATED) return { kind: 'auth' };
  if (code === UNAVAILABLE || code === INTERNAL || code === DEADLINE_EXCEEDED || code === ABORTED) {
    return { kind: 'transient' };
  }
  const name = (error as { readonly name?: unknown }).name;
  // Token exchange failures (google-auth-library) mean the credentials are unusable.
  if (
    typeof name === 'string' &&
    /GaxiosError|invalid_grant/i.test(`${name} ${message}`) &&
    /401|403|invalid_grant/.test(message)
  ) {
    return { kind: 'auth' };
  }
  return { kind: 'fatal' };
}
