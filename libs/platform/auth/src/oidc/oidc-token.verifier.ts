import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { AuthError } from '../auth.error';
import type { AuthenticatedPrincipal } from '../authenticated-principal';
import { DEFAULT_OIDC_CLAIMS, type OidcClaimNames, principalFromClaims } from './oidc-claims.mapper';

/** Asymmetric algorithms only: `none` and HMAC (a shared secret with the provider) are never accepted. */
export const DEFAULT_OIDC_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'] as const;

export interface OidcSettings {
  readonly issuer: string;
  readonly audience: string;
  /** The provider's JWKS; fetched on first use, cached, and re-fetched when a token names an unknown key. */
  readonly jwksUri: string;
  readonly algorithms?: readonly string[];
  /** Tolerated clock difference with the provider, for `exp`, `nbf` and `iat`. */
  readonly clockToleranceSeconds?: number;
  /** How long fetched keys are trusted before a refresh (rotation without an unknown `kid`). */
  readonly jwksCacheMaxAgeMs?: number;
  /** Least time between two fetches, so forged `kid`s cannot make us hammer the provider. */
  readonly jwksCooldownMs?: number;
  readonly jwksTimeoutMs?: number;
  readonly claims?: OidcClaimNames;
}

const FORBIDDEN_ALGORITHMS = /^(none|HS\d+)$/iu;

/** Verifies people's OIDC access tokens against the provider's JWKS and maps them to a principal. */
export class OidcTokenVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly algorithms: string[];

  constructor(private readonly settings: OidcSettings) {
    this.algorithms = [...(settings.algorithms ?? DEFAULT_OIDC_ALGORITHMS)];
    const bad = this.algorithms.filter((a) => FORBIDDEN_ALGORITHMS.test(a));
    if (bad.length > 0 || this.algorithms.length === 0) {
      throw new AuthError(
        'AUTH.CONFIG_INVALID',
        `OIDC algorithms must be asymmetric; refused: ${bad.join(', ')}`,
      );
    }
    this.keys = createRemoteJWKSet(new URL(settings.jwksUri), {
      cacheMaxAge: settings.jwksCacheMaxAgeMs ?? 10 * 60_000,
      cooldownDuration: settings.jwksCooldownMs ?? 30_000,
      timeoutDuration: settings.jwksTimeoutMs ?? 5_000,
    });
  }

  async verify(token: string): Promise<AuthenticatedPrincipal> {
    try {
      const { payload } = await jwtVerify(token, this.keys, {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        algorithms: this.algorithms,
        clockTolerance: this.settings.clockToleranceSeconds ?? 60,
        requiredClaims: ['sub', 'exp'],
      });
      return principalFromClaims(payload, this.settings.claims ?? DEFAULT_OIDC_CLAIMS);
    } catch (thrown: unknown) {
      throw tokenError(thrown);
    }
  }
}

/** The reason is named (expired, which claim, bad signature) but the token never is. */
function tokenError(thrown: unknown): AuthError {
  if (thrown instanceof AuthError) return thrown;
  if (thrown instanceof errors.JWTExpired) {
    return new AuthError('AUTH.TOKEN_EXPIRED', 'the token has expired', { cause: thrown });
  }
  if (thrown instanceof errors.JWTClaimValidationFailed) {
    return new AuthError('AUTH.TOKEN_INVALID', `claim ${thrown.claim} is not acceptable (${thrown.reason})`, {
      cause: thrown,
      metadata: { claim: thrown.claim },
    });
  }
  if (thrown instanceof errors.JWKSTimeout || thrown instanceof errors.JWKSInvalid) {
    return new AuthError('AUTH.ISSUER_UNAVAILABLE', 'the identity provider keys could not be fetched', {
      cause: thrown,
    });
  }
  if (thrown instanceof errors.JWKSNoMatchingKey) {
    return new AuthError(
      'AUTH.TOKEN_INVALID',
      'the token is signed with a key the provider does not publish',
      {
        cause: thrown,
      },
    );
  }
  if (thrown instanceof errors.JOSEError) {
    return new AuthError('AUTH.TOKEN_INVALID', `the token is not valid (${thrown.code})`, { cause: thrown });
  }
  // A network failure fetching the JWKS surfaces as a plain error from fetch.
  return new AuthError('AUTH.ISSUER_UNAVAILABLE', 'the identity provider keys could not be fetched', {
    cause: thrown,
  });
}
