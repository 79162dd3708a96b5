import { ConfigError, processEnvironment } from '@rf/platform-config';
import type { GateMode } from '@rf/platform-policy';
import { z } from 'zod';
import type { SignatureMode } from '../../application/images/image-registry.settings';

/** The image registry's configuration: signature trust and the promotion policy gate. */
export interface ImageRegistryConfig {
  readonly signatureMode: SignatureMode;
  /** JSON `{"keys": [{"keyId", "publicKey" (PEM)}]}`: cosign keys trusted for key-mode bundles. */
  readonly trustedKeysFile: string | null;
  /** Sigstore `trusted_root.json`, for keyless bundles and Rekor entries. */
  readonly trustedRootFile: string | null;
  readonly certificateIdentity: string | null;
  readonly certificateIssuer: string | null;
  readonly policy: {
    readonly mode: GateMode;
    readonly bundlePath: string;
    /** ed25519 PEM the bundle is signed with; required in prod mode. Not secret. */
    readonly publicKey: string | null;
    readonly pollIntervalMs: number;
  };
}

const schema = z.object({
  RF_ENV: z.enum(['development', 'test', 'production']).default('development'),
  RF_IMAGES_SIGNATURE_MODE: z.enum(['warn', 'enforce']).optional(),
  RF_IMAGES_TRUSTED_KEYS_FILE: z.string().min(1).optional(),
  RF_IMAGES_SIGSTORE_TRUSTED_ROOT: z.string().min(1).optional(),
  RF_IMAGES_CERT_IDENTITY: z.string().min(1).optional(),
  RF_IMAGES_CERT_ISSUER: z.url().optional(),
  RF_POLICY_MODE: z.enum(['dev', 'prod']).optional(),
  RF_POLICY_BUNDLE: z.string().min(1).default('.stack/policy/bundle.tar.gz'),
  RF_POLICY_PUBLIC_KEY: z.string().min(1).optional(),
  RF_POLICY_POLL_MS: z.coerce.number().int().min(100).default(5_000),
});

/**
 * Reads the registry's settings; every problem is listed at once. Outside production signatures
 * are checked and failures recorded (warn) and policy denials are logged and let through (dev);
 * production enforces both, and needs trust anchors and the policy key.
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
  const policyMode = e.RF_POLICY_MODE ?? (production ? 'prod' : 'dev');
  if (production && signatureMode !== 'enforce') {
    problems.push('RF_IMAGES_SIGNATURE_MODE: must be enforce when RF_ENV=production');
  }
  if (production && policyMode !== 'prod')
    problems.push('RF_POLICY_MODE: must be prod when RF_ENV=production');
  if (signatureMode === 'enforce' && !e.RF_IMAGES_TRUSTED_KEYS_FILE && !e.RF_IMAGES_SIGSTORE_TRUSTED_ROOT) {
    problems.push(
      'RF_IMAGES_TRUSTED_KEYS_FILE or RF_IMAGES_SIGSTORE_TRUSTED_ROOT: required when signatures are enforced',
    );
  }
  if (policyMode === 'prod' && !e.RF_POLICY_PUBLIC_KEY) {
    problems.push('RF_POLICY_PUBLIC_KEY: required when RF_POLICY_MODE=prod');
  }
  if (problems.length > 0) throw new ConfigError('drift', problems);
  return {
    signatureMode,
    trustedKeysFile: e.RF_IMAGES_TRUSTED_KEYS_FILE ?? null,
    trustedRootFile: e.RF_IMAGES_SIGSTORE_TRUSTED_ROOT ?? null,
    certificateIdentity: e.RF_IMAGES_CERT_IDENTITY ?? null,
    certificateIssuer: e.RF_IMAGES_CERT_ISSUER ?? null,
    policy: {
      mode: policyMode,
      bundlePath: e.RF_POLICY_BUNDLE,
      publicKey: e.RF_POLICY_PUBLIC_KEY ?? null,
      pollIntervalMs: e.RF_POLICY_POLL_MS,
    },
  };
}
