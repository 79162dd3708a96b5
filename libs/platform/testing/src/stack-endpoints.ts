import { LOCAL_STACK_DEFAULTS, processEnvironment, type ServiceName } from '@rf/platform-config';
import { assertTestDatabase } from '@rf/platform-persistence';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface StackEndpoints {
  /** PostgreSQL server URL without a database name. */
  readonly postgresUrl: string;
  readonly kafkaBrokers: readonly string[];
  /** Confluent-compatible registry API base. */
  readonly registryUrl: string;
  readonly temporalAddress: string;
  readonly temporalNamespace: string;
  readonly opaBin: string;
}

/** Where the test infrastructure listens: the local stack by default, overridable by environment. */
export function stackEndpoints(): StackEndpoints {
  const env = processEnvironment();
  const cacheDir = env['RF_CACHE_DIR'] ?? join(homedir(), '.cache', 'resilience-fabric');
  return {
    postgresUrl: (env['RF_PG_URL'] ?? LOCAL_STACK_DEFAULTS.postgres).replace(/\/$/, ''),
    kafkaBrokers: (env['RF_KAFKA_BROKERS'] ?? LOCAL_STACK_DEFAULTS.kafkaBrokers).split(','),
    registryUrl: env['RF_REGISTRY_URL'] ?? LOCAL_STACK_DEFAULTS.registryUrl,
    temporalAddress: env['RF_TEMPORAL_ADDRESS'] ?? LOCAL_STACK_DEFAULTS.temporalAddress,
    temporalNamespace: env['RF_TEMPORAL_NAMESPACE'] ?? 'default',
    opaBin: env['RF_OPA_BIN'] ?? join(cacheDir, 'bin', 'opa'),
  };
}

/** The service's test database; refuses any name without "test". */
export function testDatabaseUrl(service: ServiceName, endpoints = stackEndpoints()): string {
  const url = `${endpoints.postgresUrl}/rf_${service}_test`;
  assertTestDatabase(url);
  return url;
}

/** Environment for a service process or module under test, pointed at the test infrastructure. */
export function testServiceEnvironment(
  service: ServiceName,
  overrides: Record<string, string> = {},
  endpoints = stackEndpoints(),
): Record<string, string> {
  return {
    RF_ENV: 'test',
    RF_LOG_LEVEL: 'warn',
    RF_DATABASE_URL: testDatabaseUrl(service, endpoints),
    RF_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
    RF_REGISTRY_URL: endpoints.registryUrl,
    RF_TEMPORAL_ADDRESS: endpoints.temporalAddress,
    RF_TEMPORAL_NAMESPACE: endpoints.temporalNamespace,
    ...overrides,
  };
}
