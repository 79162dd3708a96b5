import { z } from 'zod';
import { ConfigError } from './config.error';
import { maskSecrets } from './secret-masking';

export const SERVICE_NAMES = [
  'inventory',
  'drift',
  'compliance',
  'remediation',
  'ledger',
  'recovery',
  'quantum',
  'gateway',
] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** Default HTTP ports on a developer machine; the local stack and docker-compose share them. */
export const DEFAULT_SERVICE_PORTS: Readonly<Record<ServiceName, number>> = {
  gateway: 3000,
  inventory: 3101,
  drift: 3102,
  compliance: 3103,
  remediation: 3104,
  ledger: 3105,
  recovery: 3106,
  quantum: 3107,
};

export const LOCAL_STACK_DEFAULTS = {
  postgres: 'postgres://rf:rf@127.0.0.1:55432',
  kafkaBrokers: '127.0.0.1:19092',
  registryUrl: 'http://127.0.0.1:18081/apis/ccompat/v7',
  temporalAddress: '127.0.0.1:17233',
} as const;

export type RuntimeEnv = 'development' | 'test' | 'production';

export interface ServiceConfig {
  readonly service: ServiceName;
  readonly version: string;
  readonly commit: string | null;
  readonly env: RuntimeEnv;
  readonly http: { readonly host: string; readonly port: number };
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';
  readonly database: { readonly url: string };
  readonly kafka: { readonly brokers: readonly string[]; readonly clientId: string };
  readonly registry: { readonly url: string };
  readonly temporal: { readonly address: string; readonly namespace: string } | null;
  readonly otel: { readonly endpoint: string | null };
  readonly shutdownTimeoutMs: number;
}

export interface ServiceConfigSpec {
  readonly service: ServiceName;
  readonly version: string;
  /** Services that run or start Temporal workflows need its address. */
  readonly usesTemporal: boolean;
}

/** Keys that have a local-development default but must be given explicitly in production. */
const PRODUCTION_REQUIRED = ['RF_DATABASE_URL', 'RF_KAFKA_BROKERS', 'RF_REGISTRY_URL'] as const;

export const SECRET_PATHS = ['database.url'] as const;

const urlString = z.string().refine((v) => URL.canParse(v), { message: 'must be a URL' });

function envSchema(spec: ServiceConfigSpec) {
  const database = `${LOCAL_STACK_DEFAULTS.postgres}/rf_${spec.service}`;
  return z.object({
    RF_ENV: z.enum(['development', 'test', 'production']).default('development'),
    RF_HTTP_HOST: z.string().min(1).default('127.0.0.1'),
    RF_HTTP_PORT: z.coerce.number().int().min(1).max(65535).default(DEFAULT_SERVICE_PORTS[spec.service]),
    RF_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
    RF_DATABASE_URL: urlString
      .refine((v) => v.startsWith('postgres://') || v.startsWith('postgresql://'), {
        message: 'must be a postgres:// URL',
      })
      .default(database),
    RF_KAFKA_BROKERS: z
      .string()
      .default(LOCAL_STACK_DEFAULTS.kafkaBrokers)
      .transform((v) => v.split(',').map((b) => b.trim()))
      .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port')).min(1)),
    RF_REGISTRY_URL: urlString.default(LOCAL_STACK_DEFAULTS.registryUrl),
    RF_TEMPORAL_ADDRESS: z
      .string()
      .regex(/^[^\s:]+:\d+$/, 'must be host:port')
      .default(LOCAL_STACK_DEFAULTS.temporalAddress),
    RF_TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    RF_OTEL_EXPORTER_OTLP_ENDPOINT: urlString.optional(),
    RF_SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
    RF_BUILD_COMMIT: z
      .string()
      .regex(/^[0-9a-f]{7,40}$/, 'must be a git sha')
      .optional(),
  });
}

/**
 * Validates the environment against the service's schema and returns the typed config.
 * Every problem is reported at once, so a misconfigured deployment fails fast with the whole list.
 */
export function loadServiceConfig(
  spec: ServiceConfigSpec,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ServiceConfig {
  const result = envSchema(spec).safeParse(env);
  const problems = result.success
    ? []
    : result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  if (env['RF_ENV'] === 'production') {
    for (const key of PRODUCTION_REQUIRED) {
      if (!env[key]) problems.push(`${key}: required when RF_ENV=production`);
    }
    if (spec.usesTemporal && !env['RF_TEMPORAL_ADDRESS']) {
      problems.push('RF_TEMPORAL_ADDRESS: required when RF_ENV=production');
    }
  }
  if (!result.success || problems.length > 0) throw new ConfigError(spec.service, problems);

  const e = result.data;
  return {
    service: spec.service,
    version: spec.version,
    commit: e.RF_BUILD_COMMIT ?? null,
    env: e.RF_ENV,
    http: { host: e.RF_HTTP_HOST, port: e.RF_HTTP_PORT },
    logLevel: e.RF_LOG_LEVEL,
    database: { url: e.RF_DATABASE_URL },
    kafka: { brokers: e.RF_KAFKA_BROKERS, clientId: `rf-${spec.service}` },
    registry: { url: e.RF_REGISTRY_URL },
    temporal: spec.usesTemporal
      ? { address: e.RF_TEMPORAL_ADDRESS, namespace: e.RF_TEMPORAL_NAMESPACE }
      : null,
    otel: { endpoint: e.RF_OTEL_EXPORTER_OTLP_ENDPOINT ?? null },
    shutdownTimeoutMs: e.RF_SHUTDOWN_TIMEOUT_MS,
  };
}

/** The config as it may be logged: secrets masked. */
export function describeServiceConfig(config: ServiceConfig): ServiceConfig {
  return maskSecrets(config, SECRET_PATHS);
}

/** The process environment, for the few readers outside a service config (CLI, test harness). */
export function processEnvironment(): Readonly<Record<string, string | undefined>> {
  return process.env;
}
