import type { Principal, Role, RoleGrant } from '@rf/platform-policy';

export const ROLES: readonly Role[] = ['viewer', 'operator', 'engineer', 'admin'];

/** How the caller proved who it is. */
export type AuthMethod = 'oidc' | 'api_key' | 'gateway';

/**
 * The caller as authentication established it: a person (OIDC) or a bot/service (API key), always
 * in exactly one organisation (its tenant). Grants never reach outside that organisation.
 */
export interface AuthenticatedPrincipal extends Principal {
  /** The tenant: every query the caller makes is scoped to it. */
  readonly org: string;
  readonly authMethod: AuthMethod;
  /**
   * Actions an API key is limited to (`asset.read`, `ledger.*`, `*`); absent for people, whose
   * role grants alone decide.
   */
  readonly scopes?: readonly string[];
  /** The API key id or the token's `jti`, for per-token rate limits and audit. */
  readonly credentialId?: string;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** Whether `scopes` admit `action`: exact, `*`, or a `prefix.*` pattern. */
export function scopesAllow(scopes: readonly string[] | undefined, action: string): boolean {
  if (scopes === undefined) return true;
  return scopes.some(
    (scope) =>
      scope === '*' || scope === action || (scope.endsWith('.*') && action.startsWith(scope.slice(0, -1))),
  );
}

/** Keeps only grants inside the principal's own organisation: a credential never reaches another tenant. */
export function grantsWithin(org: string, grants: readonly RoleGrant[]): RoleGrant[] {
  return grants.filter((g) => g.org === org);
}
