import {
  DEFAULT_OIDC_ALGORITHMS,
  DEVELOPMENT_PRINCIPAL_SIGNING_KEY,
  type OidcSettings,
  readServiceAuthSettings,
  type ServiceAuthSettings,
  type TokenBucketLimit,
} from '@rf/platform-auth';
import {
  ConfigError,
  DEFAULT_SERVICE_PORTS,
  loadServiceConfig,
  processEnvironment,
  SERVICE_NAMES,
  type ServiceConfig,
  type ServiceName,
} from '@rf/platform-config';
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { version } from '../package.json';

export type UpstreamName = Exclude<ServiceName, 'gateway'>;

/**
 * The key the gateway signs forwarded principals with. Not enumerable, so the config runService
 * logs at start never carries it.
 */
export class PrincipalSigningKey {
  readonly #key: KeyObject;
  readonly development: boolean;

  constructor(key: KeyObject, development: boolean) {
    this.#key = key;
    this.development = development;
  }

  key(): KeyObject {
    return this.#key;
  }

  toJSON(): string {
    return this.development ? '[development key]' : '[secret]';
  }
}

export interface GatewaySettings {
  /** null: people cannot sign in (API keys only), refused in production. */
  readonly oidc: OidcSettings | null;
  readonly principalSigningKey: PrincipalSigningKey;
  readonly upstreams: Readonly<Record<UpstreamName, string>>;
  readonly upstreamTimeoutMs: number;
  readonly bodyLimitBytes: number;
  readonly maxPageSize: number;
  readonly rateLimits: {
    /** `postgres`: buckets shared by every replica; `memory`: per instance (development, tests). */
    readonly store: 'memory' | 'postgres';
    readonly perTenant: TokenBucketLimit;
    readonly perToken: TokenBucketLimit;
  };
}

export interface GatewayConfig extends ServiceConfig {
  readonly gateway: GatewaySettings;
  readonly auth: ServiceAuthSettings;
}

const UPSTREAMS = SERVICE_NAMES.filter((s): s is UpstreamName => s !== 'gateway');
const urlString = z.string().refine((v) => URL.canParse(v), { message: 'must be a URL' });
const positive = z.coerce.number().positive();

const gatewaySchema = z.object({
  RF_OIDC_ISSUER: urlString.optional(),
  RF_OIDC_AUDIENCE: z.string().min(1).optional(),
  RF_OIDC_JWKS_URI: urlString.optional(),
  RF_OIDC_ALGORITHMS: z
    .string()
    .default(DEFAULT_OIDC_ALGORITHMS.join(','))
    .transform((v) =>
      v
        .split(',')
        .map((a) => a.trim())
        .filter((a) => a.length > 0),
    ),
  RF_OIDC_CLOCK_TOLERANCE_S: z.coerce.number().int().min(0).max(300).default(60),
  // Secret: ed25519 private key (PEM) for the forwarded principal header.
  RF_GATEWAY_PRINCIPAL_SIGNING_KEY: z.string().min(1).optional(),
  RF_GATEWAY_UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  RF_GATEWAY_BODY_LIMIT_BYTES: z.coerce.number().int().min(1_024).default(1_048_576),
  RF_GATEWAY_MAX_PAGE_SIZE: z.coerce.number().int().min(1).default(500),
  RF_GATEWAY_RATE_TENANT_PER_S: positive.default(100),
  RF_GATEWAY_RATE_TENANT_BURST: positive.default(200),
  RF_GATEWAY_RATE_TOKEN_PER_S: positive.default(20),
  RF_GATEWAY_RATE_TOKEN_BURST: positive.default(40),
  RF_GATEWAY_RATE_STORE: z.enum(['memory', 'postgres']).optional(),
  ...Object.fromEntries(UPSTREAMS.map((s) => [upstreamKey(s), urlString.optional()])),
});

function upstreamKey(service: UpstreamName): string {
  return `RF_UPSTREAM_${service.toUpperCase()}_URL`;
}

/** The shared service config, the gateway's own settings and the policy settings; every problem listed at once. */
export function loadGatewayConfig(
  env: Readonly<Record<string, string | undefined>> = processEnvironment(),
): GatewayConfig {
  const problems: string[] = [];
  let base: ServiceConfig | undefined;
  try {
    base = loadServiceConfig({ service: 'gateway', version, usesTemporal: false }, env);
  } catch (error: unknown) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  const auth = readServiceAuthSettings(env, problems);
  const parsed = gatewaySchema.safeParse(env);
  if (!parsed.success) {
    problems.push(...parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  const production = env['RF_ENV'] === 'production';
  const e = parsed.success ? parsed.data : undefined;
  const oidcKeys = ['RF_OIDC_ISSUER', 'RF_OIDC_AUDIENCE', 'RF_OIDC_JWKS_URI'] as const;
  const oidcGiven = oidcKeys.filter((k) => env[k]);
  if (oidcGiven.length > 0 && oidcGiven.length < oidcKeys.length) {
    problems.push(`OIDC: set all of ${oidcKeys.join(', ')} or none`);
  }
  if (production && oidcGiven.length === 0) problems.push('RF_OIDC_ISSUER: required when RF_ENV=production');
  const signingKey = principalSigningKey(env['RF_GATEWAY_PRINCIPAL_SIGNING_KEY'], production, problems);
  if (problems.length > 0 || !base || !auth || !e || !signingKey) throw new ConfigError('gateway', problems);

  const raw = e as Record<string, unknown>;
  const upstreams = Object.fromEntries(
    UPSTREAMS.map((s) => [
      s,
      (raw[upstreamKey(s)] as string | undefined) ?? `http://127.0.0.1:${DEFAULT_SERVICE_PORTS[s]}`,
    ]),
  ) as Record<UpstreamName, string>;
  return {
    ...base,
    auth,
    gateway: {
      oidc:
        e.RF_OIDC_ISSUER && e.RF_OIDC_AUDIENCE && e.RF_OIDC_JWKS_URI
          ? {
              issuer: e.RF_OIDC_ISSUER,
              audience: e.RF_OIDC_AUDIENCE,
              jwksUri: e.RF_OIDC_JWKS_URI,
              algorithms: e.RF_OIDC_ALGORITHMS,
              clockToleranceSeconds: e.RF_OIDC_CLOCK_TOLERANCE_S,
            }
          : null,
      principalSigningKey: signingKey,
      upstreams,
      upstreamTimeoutMs: e.RF_GATEWAY_UPSTREAM_TIMEOUT_MS,
      bodyLimitBytes: e.RF_GATEWAY_BODY_LIMIT_BYTES,
      maxPageSize: e.RF_GATEWAY_MAX_PAGE_SIZE,
      rateLimits: {
        // Replicas share one limit in production unless told otherwise.
        store: e.RF_GATEWAY_RATE_STORE ?? (production ? 'postgres' : 'memory'),
        perTenant: {
          capacity: e.RF_GATEWAY_RATE_TENANT_BURST,
          refillPerSecond: e.RF_GATEWAY_RATE_TENANT_PER_S,
        },
        perToken: { capacity: e.RF_GATEWAY_RATE_TOKEN_BURST, refillPerSecond: e.RF_GATEWAY_RATE_TOKEN_PER_S },
      },
    },
  };
}

function principalSigningKey(
  pem: string | undefined,
  production: boolean,
  problems: string[],
): PrincipalSigningKey | undefined {
  if (production && !pem) {
    problems.push('RF_GATEWAY_PRINCIPAL_SIGNING_KEY: required when RF_ENV=production');
    return undefined;
  }
  try {
    const key = createPrivateKey(pem ?? DEVELOPMENT_PRINCIPAL_SIGNING_KEY);
    if (key.asymmetricKeyType !== 'ed25519') {
      problems.push('RF_GATEWAY_PRINCIPAL_SIGNING_KEY: must be an ed25519 private key');
      return undefined;
    }
    const development = createPublicKey(key).equals(createPublicKey(DEVELOPMENT_PRINCIPAL_SIGNING_KEY));
    if (production && development) {
      problems.push(
        'RF_GATEWAY_PRINCIPAL_SIGNING_KEY: the development key is refused when RF_ENV=production',
      );
      return undefined;
    }
    return new PrincipalSigningKey(key, development);
  } catch {
    // The message names the variable, never its value.
    problems.push('RF_GATEWAY_PRINCIPAL_SIGNING_KEY: not a PEM private key');
    return undefined;
  }
}

/** runService hands the module factory the config loadGatewayConfig returned, typed as the shared one. */
export function asGatewayConfig(config: ServiceConfig): GatewayConfig {
  if (!('gateway' in config)) throw new Error('The gateway module needs the config of loadGatewayConfig');
  return config as GatewayConfig;
}
