import { ConfigError, processEnvironment } from '@rf/platform-config';
import { z } from 'zod';
import type { SignatureMode } from '../../application/images/image-registry.settings';

/**
 * The image registry's configuration: signature trust. The promotion policy is decided by the
 * service's one gate, configured with the shared policy settings (DriftConfig.auth).
 */
export interface ImageRegistryConfig {
  readonly signatureMode: SignatureMode;
  /** JSON `{"keys": [{"keyId", "publicKey" (PEM)}]}`: cosign keys trusted for key-mode bundles. */
  readonly trustedKeysFile: string | null;
  /** Sigstore `trusted_root.json`, for keyless bundles and Rekor entries. */
  readonly trustedRootFile: string | null;
  readonly certificateIdentity: string | null;
  readonly certificateIssuer: string | null;
}

const schema = z.object({
  RF_ENV: z.enum(['development', 'test', 'production']).default('development'),
  RF_IMAGES_SIGNATURE_MODE: z.enum(['warn', 'enforce']).optional(),
  RF_IMAGES_TRUSTED_KEYS_FILE: z.string().min(1).optional(),
  RF_IMAGES_SIGSTORE_TRUSTED_ROOT: z.string().min(1).optional(),
  RF_IMAGES_CERT_IDENTITY: z.string().min(1).optional(),
  RF_IMAGES_CERT_ISSUER: z.url().optional(),
});

/**
 * Reads the registry's settings; every problem is listed at once. Outside production signatures
 * are checked and failures recorded (warn); production enforces them, and needs trust anchors.
 */
export function loadImageRegistryConfig(
  env: Readonly<Record<string, string | undefined>> = processEnvironment(),
): ImageRegistryConfig {
  const parsed = schema.safeParse(env);
  const problems = parsed.success
    ? []
    : parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  if (!parsed.success) throw new ConfigError('drift', problems);
  const e = parsed.data;
  const production = e.RF_ENV === 'production';
  const signatureMode = e.RF_IMAGES_SIGNATURE_MODE ?? (production ? 'enforce' : 'warn');
  if (production && signatureMode !== 'enforce') {
    problems.push('RF_IMAGES_SIGNATURE_MODE: must be enforce when RF_ENV=production');
  }
  if (signatureMode === 'enforce' && !e.RF_IMAGES_TRUSTED_KEYS_FILE && !e.RF_IMAGES_SIGSTORE_TRUSTED_ROOT) {
    problems.push(
      'RF_IMAGES_TRUSTED_KEYS_FILE or RF_IMAGES_SIGSTORE_TRUSTED_ROOT: required when signatures are enforced',
    );
  }
  if (problems.length > 0) throw new ConfigError('drift', problems);
  return {
    signatureMode,
    trustedKeysFile: e.RF_IMAGES_TRUSTED_KEYS_FILE ?? null,
    trustedRootFile: e.RF_IMAGES_SIGSTORE_TRUSTED_ROOT ?? null,
    certificateIdentity: e.RF_IMAGES_CERT_IDENTITY ?? null,
    certificateIssuer: e.RF_IMAGES_CERT_ISSUER ?? null,
  };
}
