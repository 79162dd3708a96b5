import type { RoleGrant } from '@rf/platform-policy';
import { jwtVerify } from 'jose';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { AuthError } from '../auth.error';
import { type AuthenticatedPrincipal, grantsWithin, isRole } from '../authenticated-principal';
import { PRINCIPAL_TOKEN_ALGORITHM, PRINCIPAL_TOKEN_ISSUER, principalTokenAudience } from './principal-token';

/** Seconds of clock skew tolerated on `exp`. */
const CLOCK_TOLERANCE_SECONDS = 5;
/** Verified tokens remembered; the gateway signs the same token for a principal within a second. */
const MAX_REMEMBERED = 4_096;

const KINDS = new Set<AuthenticatedPrincipal['kind']>(['user', 'service', 'schedule']);
const METHODS = new Set<AuthenticatedPrincipal['authMethod']>(['oidc', 'api_key']);

/**
 * A service's side of the forwarded principal: only the gateway's key, only this service's audience.
 * A token verified once is remembered, by its exact text, until it expires: the gateway signs one
 * token per principal and second (Ed25519 signatures are deterministic), so a busy caller's
 * requests skip the signature check; any other text, however close, is verified in full.
 */
export class PrincipalTokenVerifier {
  private readonly key: KeyObject;
  private readonly remembered = new Map<
    string,
    { readonly principal: AuthenticatedPrincipal; readonly until: number }
  >();

  constructor(
    publicKeyPem: string | KeyObject,
    private readonly service: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = typeof publicKeyPem === 'string' ? createPublicKey(publicKeyPem) : publicKeyPem;
  }

  async verify(token: string): Promise<AuthenticatedPrincipal> {
    const now = this.now();
    const known = this.remembered.get(token);
    if (known !== undefined) {
      if (now < known.until) return known.principal;
      this.remembered.delete(token);
    }
    return this.verifyInFull(token, now);
  }

  private async verifyInFull(token: string, now: number): Promise<AuthenticatedPrincipal> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.key, {
        issuer: PRINCIPAL_TOKEN_ISSUER,
        audience: principalTokenAudience(this.service),
        algorithms: [PRINCIPAL_TOKEN_ALGORITHM],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(now),
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
    const principal: AuthenticatedPrincipal = {
      kind: kind as AuthenticatedPrincipal['kind'],
      id: sub,
      org,
      authMethod: am as AuthenticatedPrincipal['authMethod'],
      grants: grantsWithin(org, grants),
      ...(scopes === undefined ? {} : { scopes: scopes }),
      ...(typeof name === 'string' ? { displayName: name } : {}),
      ...(typeof cid === 'string' ? { credentialId: cid } : {}),
    };
    // jwtVerify required a numeric exp; valid while now < exp + tolerance, as jwtVerify judges it.
    const until = ((payload['exp'] as number) + CLOCK_TOLERANCE_SECONDS) * 1000;
    if (this.remembered.size >= MAX_REMEMBERED) {
      const [oldest] = this.remembered.keys();
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
    this.remembered.set(token, { principal, until });
    return principal;
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
