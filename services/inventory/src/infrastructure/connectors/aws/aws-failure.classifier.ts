import type { ProviderFailure } from '../provider-call/provider-call.runner';

// Error codes AWS documents for throttling across EC2 and STS (and the SDK's own names).
const THROTTLING = new Set([
  'RequestLimitExceeded',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
  'BandwidthLimitExceeded',
]);

const AUTH = new Set([
  'AuthFailure',
  'UnauthorizedOperation',
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'AccessDenied',
  'AccessDeniedException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'OptInRequired',
  'CredentialsProviderError',
]);

const TRANSIENT_NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'TimeoutError',
]);

interface AwsErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: unknown };
  readonly $retryable?: { readonly throttling?: unknown };
}

/** Maps an AWS SDK v3 error onto the connector retry policy. */
export function classifyAwsFailure(error: unknown): ProviderFailure {
  if (typeof error !== 'object' || error === null) return { kind: 'fatal' };
  const shape = error as AwsErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : '';
  const code = typeof shape.code === 'string' ? shape.code : '';
  const status = typeof shape.$metadata?.httpStatusCode === 'number' ? shape.$metadata.httpStatusCode : 0;
  if (THROTTLING.has(name) || status === 429 || shape.$retryable?.throttling === true) {
    return { kind: 'throttled' };
  }
  if (AUTH.has(name) || status === 401 || status === 403) return { kind: 'auth' };
  if (
    status >= 500 ||
    shape.$fault === 'server' ||
    TRANSIENT_NETWORK.has(code) ||
    TRANSIENT_NETWORK.has(name)
  ) {
    return { kind: 'transient' };
  }
  return { kind: 'fatal' };
}
