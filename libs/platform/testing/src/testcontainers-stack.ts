import { SERVICE_NAMES } from '@rf/platform-config';
import { GenericContainer, type StartedTestContainer, Wait } from 'testcontainers';

/** Pinned images, the same as docker-compose.yml. */
export const STACK_IMAGES = {
  postgres: 'postgres:17.6-bookworm',
  kafka: 'apache/kafka:4.3.1',
  registry: 'apicurio/apicurio-registry:3.0.9',
  temporal: 'temporalio/temporal:1.5.1',
} as const;

export const TEST_DATABASES = SERVICE_NAMES.flatMap((s) => [`rf_${s}`, `rf_${s}_test`]);

/**
 * Starts the infrastructure in containers on the same host ports as the local stack, so tests and
 * services need no other configuration. Used when RF_TEST_INFRA=testcontainers on machines with Docker.
 */
export async function startContainerStack(): Promise<StartedTestContainer[]> {
  const createDatabases = TEST_DATABASES.map((db) => `CREATE DATABASE ${db};`).join('\n');
  const postgres = await new GenericContainer(STACK_IMAGES.postgres)
    .withEnvironment({ POSTGRES_USER: 'rf', POSTGRES_PASSWORD: 'rf', POSTGRES_DB: 'rf_registry' })
    .withCopyContentToContainer([
      { content: createDatabases, target: '/docker-entrypoint-initdb.d/10-rf.sql' },
    ])
    .withExposedPorts({ container: 5432, host: 55432 })
    .withWaitStrategy(Wait.forLogMessage(/database system is ready to accept connections/, 2))
    .start();
  const kafka = await new GenericContainer(STACK_IMAGES.kafka)
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://0.0.0.0:19092,CONTROLLER://0.0.0.0:19093',
      KAFKA_ADVERTISED_LISTENERS: 'PLAINTEXT://127.0.0.1:19092',
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:19093',
      KAFKA_AUTO_CREATE_TOPICS_ENABLE: 'false',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withExposedPorts({ container: 19092, host: 19092 })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .start();
  const registry = await new GenericContainer(STACK_IMAGES.registry)
    .withEnvironment({
      APICURIO_STORAGE_KIND: 'sql',
      APICURIO_STORAGE_SQL_KIND: 'postgresql',
      APICURIO_DATASOURCE_URL: `jdbc:postgresql://${postgres.getIpAddress(postgres.getNetworkNames()[0] ?? 'bridge')}:5432/rf_registry`,
      APICURIO_DATASOURCE_USERNAME: 'rf',
      APICURIO_DATASOURCE_PASSWORD: 'rf',
    })
    .withExposedPorts({ container: 8080, host: 18081 })
    .withWaitStrategy(Wait.forHttp('/health/ready', 8080))
    .start();
  const temporal = await new GenericContainer(STACK_IMAGES.temporal)
    .withCommand(['server', 'start-dev', '--ip', '0.0.0.0', '--port', '7233', '--ui-port', '8233'])
    .withExposedPorts({ container: 7233, host: 17233 }, { container: 8233, host: 18233 })
    .withWaitStrategy(Wait.forListeningPorts())
    .start();
  return [postgres, kafka, registry, temporal];
}
