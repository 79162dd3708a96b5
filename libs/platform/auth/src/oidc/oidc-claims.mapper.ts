import type { RoleGrant } from '@rf/platform-policy';
import type { JWTPayload } from 'jose';
import { AuthError } from '../auth.error';
import { type AuthenticatedPrincipal, isRole } from '../authenticated-principal';

/** Where the identity provider puts the tenant and the role grants. */
export interface OidcClaimNames {
  /** The organisation (tenant) id; `rf_org` by default. */
  readonly org: string;
  /** `[{role, project?, env?, expiresAt?}]` inside the organisation; `rf_grants` by default. */
  readonly grants: string;
  /** One organisation-wide role, when the provider cannot emit structured grants; `rf_role`. */
  readonly role: string;
}

export const DEFAULT_OIDC_CLAIMS: OidcClaimNames = { org: 'rf_org', grants: 'rf_grants', role: 'rf_role' };

const SCOPE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/u;

/**
 * Turns verified claims into a principal. Pure. Grants are always inside the token's organisation:
 * a grant naming another organisation makes the token invalid rather than quietly dropped, since
 * the provider is misconfigured.
 */
export function principalFromClaims(
  claims: JWTPayload,
  names: OidcClaimNames = DEFAULT_OIDC_CLAIMS,
): AuthenticatedPrincipal {
  const invalid = (reason: string) => new AuthError('AUTH.TOKEN_INVALID', `token claims: ${reason}`);
  const sub = claims.sub;
  if (typeof sub !== 'string' || sub.length === 0) throw invalid('sub is missing');
  const org = claims[names.org];
  if (typeof org !== 'string' || !SCOPE_ID.test(org)) throw invalid(`${names.org} is missing or malformed`);
  const grants: RoleGrant[] = [];
  const role = claims[names.role];
  if (role !== undefined) {
    if (!isRole(role)) throw invalid(`${names.role} is not a role`);
    grants.push({ role, org });
  }
  const listed = claims[names.grants];
  if (listed !== undefined) {
    if (!Array.isArray(listed)) throw invalid(`${names.grants} is not a list`);
    for (const [i, raw] of listed.entries())
      grants.push(grantFrom(raw, org, `${names.grants}[${i}]`, invalid));
  }
  const displayName = [claims['name'], claims['preferred_username'], claims['email']].find(
    (v): v is string => typeof v === 'string' && v.length > 0,
  );
  return {
    kind: 'user',
    id: sub,
    org,
    grants,
    authMethod: 'oidc',
    ...(displayName ? { displayName } : {}),
    ...(typeof claims.jti === 'string' ? { credentialId: claims.jti } : {}),
  };
}

function grantFrom(
  raw: unknown,
  org: string,
  where: string,
  invalid: (reason: string) => AuthError,
): RoleGrant {
  if (typeof raw !== 'object' || raw === null) throw invalid(`${where} is not an object`);
  const g = raw as Record<string, unknown>;
  if (!isRole(g['role'])) throw invalid(`${where}.role is not a role`);
  if (g['org'] !== undefined && g['org'] !== org) throw invalid(`${where} names another organisation`);
  const optionalId = (key: 'project' | 'env') => {
    const v = g[key];
    if (v === undefined) return {};
    if (typeof v !== 'string' || !SCOPE_ID.test(v)) throw invalid(`${where}.${key} is malformed`);
    return { [key]: v };
  };
  const expiresAt = g['expiresAt'];
  if (expiresAt !== undefined && typeof expiresAt !== 'string')
    throw invalid(`${where}.expiresAt is malformed`);
  return {
    role: g['role'],
    org,
    ...optionalId('project'),
    ...optionalId('env'),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}
