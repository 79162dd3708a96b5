import { generateKeyPairSync } from 'node:crypto';
import { AuthError } from '../auth.error';
import type { AuthenticatedPrincipal } from '../authenticated-principal';
import { scopesAllow } from '../authenticated-principal';
import {
  DEVELOPMENT_PRINCIPAL_PUBLIC_KEY,
  DEVELOPMENT_PRINCIPAL_SIGNING_KEY,
} from './development-principal-keys';
import { PrincipalTokenSigner } from './principal-token.signer';
import { PrincipalTokenVerifier } from './principal-token.verifier';

const principal: AuthenticatedPrincipal = {
  kind: 'service',
  id: 'apikey:1',
  org: 'acme',
  authMethod: 'api_key',
  grants: [
    { role: 'operator', org: 'acme', project: 'payments', expiresAt: new Date('2030-01-01T00:00:00Z') },
  ],
  scopes: ['ledger.*'],
  displayName: 'ci-bot',
  credentialId: '1',
};

describe('the forwarded principal token', () => {
  const signer = new PrincipalTokenSigner(DEVELOPMENT_PRINCIPAL_SIGNING_KEY);

  it('round-trips the principal for the audience it was signed for', async () => {
    const token = await signer.sign(principal, 'ledger');
    await expect(
      new PrincipalTokenVerifier(DEVELOPMENT_PRINCIPAL_PUBLIC_KEY, 'ledger').verify(token),
    ).resolves.toEqual({
      ...principal,
      grants: [{ ...principal.grants[0], expiresAt: '2030-01-01T00:00:00.000Z' }],
    });
  });

  it('is refused by another service, under another key, and once expired', async () => {
    const token = await signer.sign(principal, 'ledger');
    await expect(
      new PrincipalTokenVerifier(DEVELOPMENT_PRINCIPAL_PUBLIC_KEY, 'recovery').verify(token),
    ).rejects.toBeInstanceOf(AuthError);
    const other = generateKeyPairSync('ed25519').publicKey;
    await expect(new PrincipalTokenVerifier(other, 'ledger').verify(token)).rejects.toMatchObject({
      code: 'AUTH.TOKEN_INVALID',
    });
    const old = await signer.sign(principal, 'ledger', new Date(Date.now() - 120_000));
    await expect(
      new PrincipalTokenVerifier(DEVELOPMENT_PRINCIPAL_PUBLIC_KEY, 'ledger').verify(old),
    ).rejects.toMatchObject({
      code: 'AUTH.TOKEN_INVALID',
    });
  });
});

describe('the remembered forwarded principal', () => {
  const signer = new PrincipalTokenSigner(DEVELOPMENT_PRINCIPAL_SIGNING_KEY);

  it('serves a token verified once from memory until it expires, then refuses it', async () => {
    let now = Date.now();
    const verifier = new PrincipalTokenVerifier(DEVELOPMENT_PRINCIPAL_PUBLIC_KEY, 'ledger', () => now);
    const token = await signer.sign(principal, 'ledger', new Date(now));
    const first = await verifier.verify(token);
    await expect(verifier.verify(token)).resolves.toBe(first);
    // 60 s of validity and 5 s of tolerance.
    now += 64_000;
    await expect(verifier.verify(token)).resolves.toBe(first);
    now += 2_000;
    await expect(verifier.verify(token)).rejects.toMatchObject({ code: 'AUTH.TOKEN_INVALID' });
  });

  it('verifies any other text in full, however close to a remembered token', async () => {
    const verifier = new PrincipalTokenVerifier(DEVELOPMENT_PRINCIPAL_PUBLIC_KEY, 'ledger');
    const token = await signer.sign(principal, 'ledger');
    await verifier.verify(token);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    await expect(verifier.verify(`${header}.${payload}.${flipped}`)).rejects.toMatchObject({
      code: 'AUTH.TOKEN_INVALID',
    });
    const forged = Buffer.from(
      JSON.stringify({
        ...(JSON.parse(Buffer.from(payload, 'base64url').toString()) as object),
        org: 'globex',
      }),
    ).toString('base64url');
    await expect(verifier.verify(`${header}.${forged}.${signature}`)).rejects.toMatchObject({
      code: 'AUTH.TOKEN_INVALID',
    });
  });
});

describe('scopesAllow', () => {
  it.each([
    [undefined, 'asset.read', true],
    [['*'], 'policy.bundle.publish', true],
    [['asset.read'], 'asset.read', true],
    [['asset.read'], 'asset.readx', false],
    [['ledger.*'], 'ledger.export', true],
    [['ledger.*'], 'ledgerx.read', false],
    [[], 'asset.read', false],
  ] as const)('%p admits %s: %p', (scopes, action, allowed) => {
    expect(scopesAllow(scopes, action)).toBe(allowed);
  });
});
