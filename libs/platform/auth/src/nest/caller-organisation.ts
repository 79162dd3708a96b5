import type { AuthorizableRequest } from '@rf/platform-policy';
import { AuthError } from '../auth.error';
import type { AuthenticatedPrincipal } from '../authenticated-principal';

/**
 * The organisation of the caller the AuthGuard authenticated: the tenant every record the route
 * reads or writes belongs to. Never taken from the body or the query.
 */
export function callerOrganisation(request: AuthorizableRequest): string {
  const org = (request.principal as Partial<AuthenticatedPrincipal> | undefined)?.org;
  if (typeof org !== 'string' || org.length === 0) {
    throw new AuthError('AUTH.CREDENTIALS_MISSING', 'the caller has no organisation');
  }
  return org;
}
