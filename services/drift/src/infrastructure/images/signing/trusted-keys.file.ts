import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { ImageRegistryConfig } from '../image-registry.config';
import type { SigstoreTrustPolicy } from './sigstore-signature.verifier';

const TrustedKeysFile = z.strictObject({
  keys: z.array(
    z.strictObject({
      keyId: z.string().min(1).max(200),
      publicKey: z.string().includes('-----BEGIN PUBLIC KEY-----'),
    }),
  ),
});

/** The trust policy the configured files describe; a malformed file stops the service at boot. */
export function loadSigstoreTrust(config: ImageRegistryConfig): SigstoreTrustPolicy {
  const keys = config.trustedKeysFile
    ? TrustedKeysFile.parse(JSON.parse(readFileSync(config.trustedKeysFile, 'utf8'))).keys
    : [];
  const trustedRoot: unknown = config.trustedRootFile
    ? JSON.parse(readFileSync(config.trustedRootFile, 'utf8'))
    : undefined;
  return {
    keys,
    ...(trustedRoot === undefined ? {} : { trustedRoot }),
    ...(config.certificateIdentity ? { certificateIdentity: config.certificateIdentity } : {}),
    ...(config.certificateIssuer ? { certificateIssuer: config.certificateIssuer } : {}),
  };
}
