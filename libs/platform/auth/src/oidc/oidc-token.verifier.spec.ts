import { exportJWK, generateKeyPair, type JWK, type JWTPayload, type KeyLike, SignJWT } from 'jose';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuthError } from '../auth.error';
import { OidcTokenVerifier } from './oidc-token.verifier';

const ISSUER = 'https://idp.test.resiliencefabric.io/';
const AUDIENCE = 'rf-api';

interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  jwk: JWK;
}

async function newKey(kid: string, alg: 'RS256' | 'ES256' = 'RS256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

/** The identity provider's JWKS endpoint on loopback, serving whatever keys the test publishes. */
class JwksServer {
  published: JWK[] = [];
  fetches = 0;
  private server: Server = createServer((req, res) => {
    this.fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: this.published }));
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

function token(key: SigningKey, claims: JWTPayload = {}, alg = 'RS256'): Promise<string> {
  return new SignJWT({ rf_org: 'acme', rf_role: 'operator', ...claims })
    .setProtectedHeader({ alg, kid: key.kid })
    .setIssuer(typeof claims.iss === 'string' ? claims.iss : ISSUER)
    .setAudience(claims.aud ?? AUDIENCE)
    .setSubject(typeof claims.sub === 'string' ? claims.sub : 'alice')
    .setIssuedAt(claims.iat ?? nowSeconds())
    .setExpirationTime(claims.exp ?? nowSeconds() + 300)
    .sign(key.privateKey);
}

async function refusal(promise: Promise<unknown>): Promise<AuthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof AuthError)) throw new Error(`expected an AuthError, got ${String(error)}`);
  return error;
}

describe('OidcTokenVerifier against a JWKS served on loopback', () => {
  const jwks = new JwksServer();
  let jwksUri: string;
  let current: SigningKey;
  let verifier: OidcTokenVerifier;

  beforeAll(async () => {
    jwksUri = await jwks.start();
  });
  afterAll(() => jwks.stop());

  beforeEach(async () => {
    current = await newKey('k1');
    jwks.published = [current.jwk];
    jwks.fetches = 0;
    verifier = new OidcTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri,
      clockToleranceSeconds: 30,
      jwksCooldownMs: 0,
    });
  });

  it('accepts a valid token and maps its claims to a principal', async () => {
    const principal = await verifier.verify(await token(current, { name: 'Alice', jti: 'j-1' }));
    expect(principal).toEqual({
      kind: 'user',
      id: 'alice',
      org: 'acme',
      grants: [{ role: 'operator', org: 'acme' }],
      authMethod: 'oidc',
      displayName: 'Alice',
      credentialId: 'j-1',
    });
  });

  it('caches the JWKS between tokens', async () => {
    await verifier.verify(await token(current));
    await verifier.verify(await token(current));
    expect(jwks.fetches).toBe(1);
  });

  it('follows a key rotation: a token with a new kid refetches the JWKS', async () => {
    await verifier.verify(await token(current));
    const rotated = await newKey('k2', 'ES256');
    jwks.published = [rotated.jwk];
    await expect(verifier.verify(await token(rotated, {}, 'ES256'))).resolves.toMatchObject({ id: 'alice' });
    expect(jwks.fetches).toBe(2);
    // The retired key is gone from the provider, so its tokens no longer verify.
    const old = await refusal(verifier.verify(await token(current)));
    expect(old.code).toBe('AUTH.TOKEN_INVALID');
  });

  it.each([
    ['an expired token', () => ({ exp: nowSeconds() - 120, iat: nowSeconds() - 600 }), 'AUTH.TOKEN_EXPIRED'],
    ['a wrong issuer', () => ({ iss: 'https://evil.example/' }), 'AUTH.TOKEN_INVALID'],
    ['a wrong audience', () => ({ aud: 'another-api' }), 'AUTH.TOKEN_INVALID'],
    ['a token not yet valid', () => ({ nbf: nowSeconds() + 600 }), 'AUTH.TOKEN_INVALID'],
    [
      'grants for another organisation',
      () => ({ rf_grants: [{ role: 'admin', org: 'globex' }] }),
      'AUTH.TOKEN_INVALID',
    ],
    ['no organisation', () => ({ rf_org: undefined }), 'AUTH.TOKEN_INVALID'],
    ['an unknown role', () => ({ rf_role: 'root' }), 'AUTH.TOKEN_INVALID'],
  ] as const)('refuses %s', async (_, claims, code) => {
    const error = await refusal(verifier.verify(await token(current, claims())));
    expect(error.code).toBe(code);
    expect(error.kind).toBe('unauthenticated');
  });

  it('tolerates clock skew within the configured tolerance only', async () => {
    await expect(verifier.verify(await token(current, { exp: nowSeconds() - 10 }))).resolves.toBeDefined();
    expect((await refusal(verifier.verify(await token(current, { exp: nowSeconds() - 45 })))).code).toBe(
      'AUTH.TOKEN_EXPIRED',
    );
  });

  it('refuses a bad signature, a key the provider does not publish, and a forbidden algorithm', async () => {
    const valid = await token(current);
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    const tampered = `${header}.${Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), rf_role: 'admin' }),
    ).toString('base64url')}.${signature}`;
    expect((await refusal(verifier.verify(tampered))).code).toBe('AUTH.TOKEN_INVALID');

    const stranger = await newKey('k1');
    expect((await refusal(verifier.verify(await token(stranger)))).code).toBe('AUTH.TOKEN_INVALID');

    const hmac = await new SignJWT({ rf_org: 'acme' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setSubject('alice')
      .setExpirationTime(nowSeconds() + 60)
      .sign(new TextEncoder().encode('a-shared-secret-of-enough-length-32b'));
    expect((await refusal(verifier.verify(hmac))).code).toBe('AUTH.TOKEN_INVALID');
    expect(
      () => new OidcTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, jwksUri, algorithms: ['HS256'] }),
    ).toThrow(AuthError);
  });

  it('answers unavailable when the provider cannot be reached', async () => {
    const offline = new OidcTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      jwksUri: 'http://127.0.0.1:1/jwks.json',
    });
    const error = await refusal(offline.verify(await token(current)));
    expect(error.code).toBe('AUTH.ISSUER_UNAVAILABLE');
    expect(error.kind).toBe('unavailable');
  });
});
