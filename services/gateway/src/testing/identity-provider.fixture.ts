import type { RoleGrant } from '@rf/platform-policy';
import { exportJWK, generateKeyPair, type JWK, type JWTPayload, type KeyLike, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export const TEST_ISSUER = 'https://idp.gateway-test.resiliencefabric.io/';
export const TEST_AUDIENCE = 'rf-gateway-test';

/** An OIDC provider's signing key and JWKS endpoint on loopback, with keys generated in the test. */
export class TestIdentityProvider {
  jwksUri = '';
  private key!: { kid: string; privateKey: KeyLike; jwk: JWK };
  private readonly server: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [this.key.jwk] }));
  });

  async start(): Promise<void> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    this.key = {
      kid: 'test-1',
      privateKey,
      jwk: { ...(await exportJWK(publicKey)), kid: 'test-1', alg: 'ES256' },
    };
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.jwksUri = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/jwks.json`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  /** A person's access token: `grants` inside `org` (rf_org/rf_grants claims). */
  token(
    person: { sub: string; org: string; grants: readonly Omit<RoleGrant, 'org'>[] },
    overrides: JWTPayload & { signWith?: KeyLike } = {},
  ): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const { signWith, ...claims } = overrides;
    return new SignJWT({ rf_org: person.org, rf_grants: person.grants, ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: this.key.kid })
      .setIssuer(typeof claims.iss === 'string' ? claims.iss : TEST_ISSUER)
      .setAudience(claims.aud ?? TEST_AUDIENCE)
      .setSubject(person.sub)
      .setIssuedAt(claims.iat ?? now)
      .setExpirationTime(claims.exp ?? now + 600)
      .sign(signWith ?? this.key.privateKey);
  }
}
