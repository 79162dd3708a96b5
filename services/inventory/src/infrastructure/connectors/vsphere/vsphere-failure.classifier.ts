import { VsphereCallError } from '@rf/platform-vsphere';
import type { ProviderFailure } from '../provider-call/provider-call.runner';

const AUTH_FAULTS = new Set([
  'InvalidLogin',
  'NotAuthenticated',
  'NoPermission',
  'com.vmware.vapi.std.errors.unauthenticated',
  'com.vmware.vapi.std.errors.unauthorized',
]);
const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET']);

function networkCode(error: Error): string | undefined {
  const cause = (error as { readonly cause?: unknown }).cause;
  const code =
    typeof cause === 'object' && cause !== null ? (cause as { readonly code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

/**
 * vCenter sheds load with 503 (and 429 behind its API gateway), often with Retry-After; a lost
 * session (NotAuthenticated) or refused login is not retried.
 */
export function classifyVsphereFailure(error: unknown): ProviderFailure {
  if (error instanceof VsphereCallError) {
    const retryAfter = error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs };
    if (error.status === 429 || error.status === 503) return { kind: 'throttled', ...retryAfter };
    if (error.faultType !== undefined && AUTH_FAULTS.has(error.faultType)) return { kind: 'auth' };
    if (error.status === 401 || error.status === 403) return { kind: 'auth' };
    if (error.status >= 500 && error.faultType === undefined) return { kind: 'transient', ...retryAfter };
    return { kind: 'fatal' };
  }
  // fetch reports refused or reset connections as a TypeError with the socket error as cause.
  if (error instanceof TypeError) {
    const code = networkCode(error);
    if (code === undefined || NETWORK.has(code)) return { kind: 'transient' };
  }
  return { kind: 'fatal' };
}
