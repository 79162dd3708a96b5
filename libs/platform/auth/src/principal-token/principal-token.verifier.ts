import type { RoleGrant } from '@rf/platform-policy';
import { jwtVerify } from 'jose';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { AuthError } from '../auth.error';
import { type AuthenticatedPrincipal, grantsWithin, isRole } from '../authenticated-principal';
import { PRINCIPAL_TOKEN_ALGORITHM, PRINCIPAL_TOKEN_ISSUER, principalTokenAudience } from './principal-token';

const KINDS = new Set<AuthenticatedPrincipal['kind']>(['user', 'service', 'schedule']);
const METHODS = new Set<AuthenticatedPrincipal['authMethod']>(['oidc', 'api_key']);

/** A service's side of the forwarded principal: only the gateway's key, only this service's audience. */
export class PrincipalTokenVerifier {
  private readonly key: KeyObject;

  constructor(
    publicKeyPem: string | KeyObject,
    private readonly service: string,
  ) {
    this.key = typeof publicKeyPem === 'string' ? createPublicKey(publicKeyPem) : publicKeyPem;
  }

  async verify(token: string): Promise<AuthenticatedPrincipal> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        issuer: PRINCIPAL_TOKEN_ISSUER,
        audience: principalTokenAudience(this.service),
        algorithms: [PRINCIPAL_TOKEN_ALGORITHM],
        clockTolerance: 5,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (thrown: unknown) {
      throw new AuthError('AUTH.TOKEN_INVALID', 'the forwarded principal is not valid', { cause: thrown });
    }
    const invalid = (what: string) =>
      new AuthError('AUTH.TOKEN_INVALID', `the forwarded principal is malformed: ${what}`);
    const { sub, org, kind, am, grants, scopes, name, cid } = payload;
    if (typeof sub !== 'string' || typeof org !== 'string') throw invalid('sub or org');
    if (typeof kind !== 'string' || !KINDS.has(kind as AuthenticatedPrincipal['kind'])) throw invalid('kind');
    if (typeof am !== 'string' || !METHODS.has(am as AuthenticatedPrincipal['authMethod']))
      throw invalid('am');
    if (!Array.isArray(grants) || !grants.every(isGrant)) throw invalid('grants');
    if (scopes !== undefined && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string'))) {
      throw invalid('scopes');
    }
    return {
      kind: kind as AuthenticatedPrincipal['kind'],
      id: sub,
      org,
      authMethod: am as AuthenticatedPrincipal['authMethod'],
      grants: grantsWithin(org, grants),
      ...(scopes === undefined ? {} : { scopes: scopes }),
      ...(typeof name === 'string' ? { displayName: name } : {}),
      ...(typeof cid === 'string' ? { credentialId: cid } : {}),
    };
  }
}

function isGrant(value: unknown): value is RoleGrant {
  if (typeof value !== 'object' || value === null) return false;
  const g = value as Record<string, unknown>;
  const optionalString = (k: string) => g[k] === undefined || typeof g[k] === 'string';
  return (
    isRole(g['role']) &&
    typeof g['org'] === 'string' &&
    optionalString('project') &&
    optionalString('env') &&
    optionalString('expiresAt')
  );
}
