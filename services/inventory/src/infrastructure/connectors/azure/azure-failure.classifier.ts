import { parseRetryAfter } from '../provider-call/provider-call.policy';
import type { ProviderFailure } from '../provider-call/provider-call.runner';

interface RestErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly statusCode?: unknown;
  readonly response?: { readonly headers?: { get?: (name: string) => string | undefined } };
}

const NETWORK = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'REQUEST_SEND_ERROR',
]);

function retryAfterOf(error: RestErrorShape): number | undefined {
  const get = error.response?.headers?.get;
  if (typeof get !== 'function') return undefined;
  // ARM documents Retry-After; some providers add the millisecond variants.
  const ms =
    get.call(error.response?.headers, 'retry-after-ms') ??
    get.call(error.response?.headers, 'x-ms-retry-after-ms');
  if (ms !== undefined && /^\d+$/.test(ms)) return Number(ms);
  return parseRetryAfter(get.call(error.response?.headers, 'retry-after'));
}

/** Maps an Azure SDK (core-rest-pipeline RestError, identity) error onto the connector retry policy. */
export function classifyAzureFailure(error: unknown): ProviderFailure {
  if (typeof error !== 'object' || error === null) return { kind: 'fatal' };
  const shape = error as RestErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : '';
  if (
    name === 'CredentialUnavailableError' ||
    name === 'AuthenticationError' ||
    name === 'AggregateAuthenticationError'
  ) {
    return { kind: 'auth' };
  }
  const status = typeof shape.statusCode === 'number' ? shape.statusCode : 0;
  const retryAfterMs = retryAfterOf(shape);
  const after = retryAfterMs === undefined ? {} : { retryAfterMs };
  if (status === 429) return { kind: 'throttled', ...after };
  if (status === 401 || status === 403) return { kind: 'auth' };
  if (status >= 500) return { kind: 'transient', ...after };
  const code = typeof shape.code === 'string' ? shape.code : '';
  if (status === 0 && NETWORK.has(code)) return { kind: 'transient' };
  return { kind: 'fatal' };
}
