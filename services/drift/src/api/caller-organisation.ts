import type { AuthenticatedPrincipal } from '@rf/platform-auth';

interface RequestWithPrincipal {
  readonly principal?: Pick<AuthenticatedPrincipal, 'org' | 'id'>;
}

/**
 * The organisation a request reads and writes: the authenticated caller's own, never one named in the
 * request. Every authorised route has a principal by the time it runs; one without is refused.
 */
export function callerOrganisation(request: object): string {
  const org = (request as RequestWithPrincipal).principal?.org;
  if (typeof org !== 'string' || org.length === 0) {
    throw new Error('the request has no authenticated principal with an organisation');
  }
  return org;
}

/** The caller's id, for the log line of a record not found in its organisation. */
export function callerId(request: object): string {
  return (request as RequestWithPrincipal).principal?.id ?? 'anonymous';
}
