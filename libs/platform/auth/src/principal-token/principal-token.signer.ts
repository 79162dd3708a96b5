import { SignJWT } from 'jose';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { AuthenticatedPrincipal } from '../authenticated-principal';
import {
  PRINCIPAL_TOKEN_ALGORITHM,
  PRINCIPAL_TOKEN_ISSUER,
  PRINCIPAL_TOKEN_TTL_SECONDS,
  principalTokenAudience,
} from './principal-token';

/**
 * Signs the principal the gateway authenticated for one upstream service (audience `rf-<service>`),
 * so a service trusts the caller's identity without holding the identity provider's or the API
 * keys' secrets, and cannot be fooled by a client that forges the header (it lacks the key).
 */
export class PrincipalTokenSigner {
  private readonly key: KeyObject;

  constructor(privateKeyPem: string | KeyObject) {
    this.key = typeof privateKeyPem === 'string' ? createPrivateKey(privateKeyPem) : privateKeyPem;
  }

  sign(principal: AuthenticatedPrincipal, service: string, now = new Date()): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({
      org: principal.org,
      kind: principal.kind,
      am: principal.authMethod,
      grants: principal.grants.map((g) => ({
        ...g,
        ...(g.expiresAt instanceof Date ? { expiresAt: g.expiresAt.toISOString() } : {}),
      })),
      ...(principal.scopes ? { scopes: principal.scopes } : {}),
      ...(principal.displayName ? { name: principal.displayName } : {}),
      ...(principal.credentialId ? { cid: principal.credentialId } : {}),
    })
      .setProtectedHeader({ alg: PRINCIPAL_TOKEN_ALGORITHM, typ: 'rf-principal+jwt' })
      .setIssuer(PRINCIPAL_TOKEN_ISSUER)
      .setAudience(principalTokenAudience(service))
      .setSubject(principal.id)
      .setIssuedAt(iat)
      .setExpirationTime(iat + PRINCIPAL_TOKEN_TTL_SECONDS)
      .sign(this.key);
  }
}
