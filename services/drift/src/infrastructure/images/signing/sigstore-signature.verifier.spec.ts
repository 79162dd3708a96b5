import { bundleToJSON, toDSSEBundle, toMessageSignatureBundle } from '@sigstore/bundle';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { SigstoreKeylessFixture } from '../../../testing/sigstore-keyless.fixture';
import { SigstoreSignatureVerifier } from './sigstore-signature.verifier';

const release = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rogue = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const manifest = Buffer.from(JSON.stringify({ family: 'ubuntu-22-04-base', version: '2025.11.04' }));

/** What `cosign sign-blob --key … --bundle` produces, built with sigstore-js's own bundle builder. */
function keyBundle(payload: Buffer, key = release.privateKey, hint = 'release-2025'): unknown {
  return bundleToJSON(
    toMessageSignatureBundle({
      digest: createHash('sha256').update(payload).digest(),
      signature: sign('sha256', payload, key),
      keyHint: hint,
    }),
  );
}

const verifier = new SigstoreSignatureVerifier({
  keys: [
    {
      keyId: 'release-2025',
      publicKey: release.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    },
  ],
});

describe('SigstoreSignatureVerifier', () => {
  it('verifies a key-mode bundle over the manifest offline', async () => {
    await expect(verifier.verify({ payload: manifest, bundle: keyBundle(manifest) })).resolves.toEqual({
      verified: true,
      keyId: 'release-2025',
      identity: 'release-2025',
      issuer: 'key',
      failure: null,
    });
  });

  it('refuses a bundle over other bytes, by another key, or naming an untrusted key', async () => {
    const other = Buffer.concat([manifest, Buffer.from(' ')]);
    const results = await Promise.all([
      verifier.verify({ payload: manifest, bundle: keyBundle(other) }),
      verifier.verify({ payload: manifest, bundle: keyBundle(manifest, rogue.privateKey) }),
      verifier.verify({ payload: manifest, bundle: keyBundle(manifest, release.privateKey, 'someone-else') }),
    ]);
    expect(results.map((r) => r.verified)).toEqual([false, false, false]);
    expect(results[0].failure).toBe('signature verification failed');
    expect(results[2].failure).toMatch(/someone-else is not a trusted signing key/);
  });

  it('reports a missing or malformed bundle as unverified, never throws', async () => {
    await expect(verifier.verify({ payload: manifest, bundle: undefined })).resolves.toMatchObject({
      verified: false,
      identity: 'unsigned',
      failure: 'no signature bundle',
    });
    const malformed = await verifier.verify({ payload: manifest, bundle: { mediaType: 'nonsense' } });
    expect(malformed.verified).toBe(false);
    expect(malformed.failure).toMatch(/^malformed bundle: /);
  });

  it('needs a trusted root for keyless (certificate) bundles', async () => {
    const dsse = bundleToJSON(
      toDSSEBundle({
        artifact: manifest,
        artifactType: 'application/vnd.in-toto+json',
        signature: sign('sha256', manifest, release.privateKey),
        certificate: Buffer.from('not a real certificate'),
      }),
    );
    await expect(verifier.verify({ payload: manifest, bundle: dsse })).resolves.toMatchObject({
      verified: false,
      failure: 'keyless (certificate) bundles need a Sigstore trusted root; none is configured',
    });
  });

  describe('keyless (Fulcio certificate, Rekor entry), offline against a trusted root', () => {
    const sigstore = new SigstoreKeylessFixture();
    const identity = 'https://github.com/example/images/.github/workflows/build.yml@refs/heads/main';
    const issuer = 'https://token.actions.githubusercontent.com';
    const keyless = new SigstoreSignatureVerifier({
      keys: [],
      trustedRoot: sigstore.trustedRoot(),
      certificateIdentity: identity,
      certificateIssuer: issuer,
    });

    it('verifies the certificate chain, SCT, inclusion promise and proof, and the signer identity', async () => {
      const bundle = sigstore.sign(manifest, { identity, issuer });
      await expect(keyless.verify({ payload: manifest, bundle })).resolves.toEqual({
        verified: true,
        keyId: null,
        identity,
        issuer,
        failure: null,
        rekorLogIndex: expect.any(Number) as number,
      });
    });

    it('refuses another identity, another issuer, other bytes, or a CA it does not trust', async () => {
      const stranger = new SigstoreKeylessFixture();
      const results = await Promise.all([
        keyless.verify({
          payload: manifest,
          bundle: sigstore.sign(manifest, {
            identity: 'https://github.com/mallory/fork/.github/workflows/x.yml@refs/heads/main',
            issuer,
          }),
        }),
        keyless.verify({
          payload: manifest,
          bundle: sigstore.sign(manifest, { identity, issuer: 'https://accounts.google.com' }),
        }),
        keyless.verify({
          payload: Buffer.concat([manifest, Buffer.from(' ')]),
          bundle: sigstore.sign(manifest, { identity, issuer }),
        }),
        keyless.verify({ payload: manifest, bundle: stranger.sign(manifest, { identity, issuer }) }),
      ]);
      expect(results.map((r) => r.verified)).toEqual([false, false, false, false]);
      expect(results[0].failure).toMatch(/^certificate identity error/);
      expect(results[1].failure).toMatch(/^invalid certificate extension - expected issuer=/);
      expect(results[2].failure).toBe('signature verification failed');
      expect(results[3].failure).toBe('Failed to verify certificate chain');
    });

    it('refuses a bundle whose transparency-log promise was not signed by the trusted log', async () => {
      const bundle = sigstore.sign(manifest, { identity, issuer }) as {
        verificationMaterial: { tlogEntries: { inclusionPromise: { signedEntryTimestamp: string } }[] };
      };
      const entry = bundle.verificationMaterial.tlogEntries[0]!;
      entry.inclusionPromise.signedEntryTimestamp = Buffer.alloc(70, 1).toString('base64');
      const result = await keyless.verify({ payload: manifest, bundle });
      expect(result).toMatchObject({ verified: false });
      expect(result.failure).toMatch(/inclusion promise/i);
    });
  });
});
