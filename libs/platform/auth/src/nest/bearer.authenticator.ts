import type { IncomingHttpHeaders } from 'node:http';
import type { ApiKeyRegistry } from '../api-keys/api-key.registry';
import { AuthError } from '../auth.error';
import type { AuthenticatedPrincipal } from '../authenticated-principal';
import type { OidcTokenVerifier } from '../oidc/oidc-token.verifier';
import type { RequestAuthenticator } from './request-authenticator.port';

/**
 * The gateway's front door: `Authorization: Bearer <token>` where the token is an OIDC JWT (people)
 * or an `rfk_` API key (bots and services); `X-API-Key: rfk_…` is accepted too.
 */
export class BearerAuthenticator implements RequestAuthenticator {
  constructor(
    private readonly oidc: OidcTokenVerifier | undefined,
    private readonly apiKeys: ApiKeyRegistry | undefined,
  ) {}

  async authenticate(headers: IncomingHttpHeaders): Promise<AuthenticatedPrincipal> {
    const credential = credentialOf(headers);
    if (credential === undefined) {
      throw new AuthError('AUTH.CREDENTIALS_MISSING', 'send Authorization: Bearer <OIDC token or API key>');
    }
    if (credential.startsWith('rfk_')) {
      if (!this.apiKeys) throw new AuthError('AUTH.API_KEY_INVALID', 'API keys are not accepted here');
      return this.apiKeys.authenticate(credential);
    }
    if (!this.oidc) throw new AuthError('AUTH.TOKEN_INVALID', 'OIDC tokens are not accepted here');
    return this.oidc.verify(credential);
  }
}

function credentialOf(headers: IncomingHttpHeaders): string | undefined {
  const authorization = headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer\s+(\S+)\s*$/iu.exec(authorization);
    if (!match) throw new AuthError('AUTH.TOKEN_INVALID', 'Authorization must be "Bearer <token>"');
    return match[1];
  }
  const apiKey = headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : undefined;
}
