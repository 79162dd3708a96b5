import type { IncomingHttpHeaders } from 'node:http';
import type { AuthenticatedPrincipal } from '../authenticated-principal';

/**
 * Establishes who sent a request from its headers. Throws AuthError: AUTH.CREDENTIALS_MISSING when
 * the request carries none, AUTH.TOKEN_* / AUTH.API_KEY_* when they do not hold.
 */
export interface RequestAuthenticator {
  authenticate(headers: IncomingHttpHeaders): Promise<AuthenticatedPrincipal>;
}
