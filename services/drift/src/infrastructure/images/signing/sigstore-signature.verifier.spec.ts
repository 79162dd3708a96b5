import { bundleToJSON, toDSSEBundle, toMessageSignatureBundle } from '@sigstore/bundle';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
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
});
