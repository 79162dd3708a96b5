import type { IncomingHttpHeaders } from 'node:http';
import { AuthError } from '../auth.error';
import type { AuthenticatedPrincipal } from '../authenticated-principal';
import { PRINCIPAL_HEADER } from '../principal-token/principal-token';
import type { PrincipalTokenVerifier } from '../principal-token/principal-token.verifier';
import type { RequestAuthenticator } from './request-authenticator.port';

/** A service behind the gateway: the caller is the principal the gateway signed for this service. */
export class ForwardedPrincipalAuthenticator implements RequestAuthenticator {
  constructor(private readonly verifier: PrincipalTokenVerifier) {}

  authenticate(headers: IncomingHttpHeaders): Promise<AuthenticatedPrincipal> {
    const token = headers[PRINCIPAL_HEADER];
    if (typeof token !== 'string' || token.length === 0) {
      return Promise.reject(
        new AuthError(
          'AUTH.CREDENTIALS_MISSING',
          `requests reach this service through the gateway (${PRINCIPAL_HEADER})`,
        ),
      );
    }
    return this.verifier.verify(token);
  }
}
