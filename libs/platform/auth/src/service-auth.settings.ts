import type { GateMode } from '@rf/platform-policy';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { DEVELOPMENT_PRINCIPAL_PUBLIC_KEY } from './principal-token/development-principal-keys';

/** What every service needs to authenticate and authorise HTTP requests. */
export interface ServiceAuthSettings {
  readonly policy: {
    readonly mode: GateMode;
    /** The wasm bundle (`contracts/policies/build.sh` output). */
    readonly bundlePath: string;
    /** ed25519 PEM the bundle must be signed with; required in prod mode. */
    readonly publicKey: string | null;
    readonly pollMs: number;
  };
  /** The gateway's key for forwarded principals. */
  readonly principalPublicKey: KeyObject;
}

export const DEFAULT_POLICY_BUNDLE_PATH = '.stack/policy/bundle.tar.gz';

const schema = z.object({
  RF_POLICY_MODE: z.enum(['dev', 'prod']).optional(),
  RF_POLICY_BUNDLE: z.string().min(1).default(DEFAULT_POLICY_BUNDLE_PATH),
  RF_POLICY_PUBLIC_KEY: z.string().min(1).optional(),
  RF_POLICY_POLL_MS: z.coerce.number().int().min(100).default(5_000),
  RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: z.string().min(1).optional(),
});

/**
 * Reads the policy and forwarded-principal settings from an environment map, pushing every problem
 * to `problems`. Development defaults: policy mode `dev`, the well-known development principal key.
 * Production: mode `prod`, a bundle signing key and a real gateway key are required.
 */
export function readServiceAuthSettings(
  env: Readonly<Record<string, string | undefined>>,
  problems: string[],
): ServiceAuthSettings | undefined {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
    return undefined;
  }
  const e = parsed.data;
  const production = env['RF_ENV'] === 'production';
  const mode = e.RF_POLICY_MODE ?? (production ? 'prod' : 'dev');
  if (production && mode !== 'prod') problems.push('RF_POLICY_MODE: must be prod when RF_ENV=production');
  if (mode === 'prod' && !e.RF_POLICY_PUBLIC_KEY)
    problems.push('RF_POLICY_PUBLIC_KEY: required in prod mode');
  if (production && !e.RF_GATEWAY_PRINCIPAL_PUBLIC_KEY) {
    problems.push('RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: required when RF_ENV=production');
  }
  let principalPublicKey: KeyObject | undefined;
  try {
    principalPublicKey = createPublicKey(
      e.RF_GATEWAY_PRINCIPAL_PUBLIC_KEY ?? DEVELOPMENT_PRINCIPAL_PUBLIC_KEY,
    );
    if (principalPublicKey.asymmetricKeyType !== 'ed25519') {
      problems.push('RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: must be an ed25519 public key');
    }
  } catch {
    problems.push('RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: not a PEM public key');
  }
  if (
    production &&
    e.RF_GATEWAY_PRINCIPAL_PUBLIC_KEY &&
    principalPublicKey?.equals(createPublicKey(DEVELOPMENT_PRINCIPAL_PUBLIC_KEY))
  ) {
    problems.push('RF_GATEWAY_PRINCIPAL_PUBLIC_KEY: the development key is refused when RF_ENV=production');
  }
  if (!principalPublicKey) return undefined;
  return {
    policy: {
      mode,
      bundlePath: e.RF_POLICY_BUNDLE,
      publicKey: e.RF_POLICY_PUBLIC_KEY ?? null,
      pollMs: e.RF_POLICY_POLL_MS,
    },
    principalPublicKey,
  };
}
