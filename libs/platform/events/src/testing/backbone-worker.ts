/**
 * A relay or an inbox consumer of the probe backbone in a process of its own, so fault tests can
 * kill it for real. Usage: backbone-worker.ts relay|consumer, configured by RF_PROBE_* variables.
 */
import { processEnvironment } from '@rf/platform-config';
import { Registry } from 'prom-client';
import { DEFAULT_INBOX_RETRY, InboxConsumer } from '../inbox/inbox-consumer';
import { createKafka } from '../kafka-client';
import { DEFAULT_RELAY_SETTINGS, OutboxRelay } from '../outbox/outbox-relay';
import { SchemaDirectory } from '../schema-directory';
import { SchemaIdResolver } from '../schema-id.resolver';
import { openProbeDatabase, probeBackbone, probeHandler } from './probe-backbone.fixture';

async function main(role: string | undefined): Promise<void> {
  const env = processEnvironment();
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is required`);
    return value;
  };
  const probe = probeBackbone(required('RF_PROBE_RUN'));
  const url = required('RF_PROBE_DATABASE_URL');
  const registryUrl = required('RF_REGISTRY_URL');
  const kafka = createKafka({
    brokers: required('RF_KAFKA_BROKERS').split(','),
    clientId: `rf-probe-${role ?? ''}`,
  });
  const dataSource = openProbeDatabase(url);
  await dataSource.initialize();
  if (role === 'relay') {
    const relay = new OutboxRelay(
      dataSource,
      kafka,
      new SchemaIdResolver(registryUrl),
      {
        ...DEFAULT_RELAY_SETTINGS,
        databaseUrl: url,
        batchSize: Number(env['RF_PROBE_BATCH'] ?? 100),
        idleWaitMs: 100,
      },
      new Registry(),
    );
    await relay.start();
  } else if (role === 'consumer') {
    const crashAfterApplied = Number(env['RF_PROBE_CRASH_AFTER_APPLIED'] ?? 0);
    let applied = 0;
    const inbox = new InboxConsumer(
      dataSource,
      kafka,
      probe.catalogue,
      new SchemaDirectory(registryUrl),
      new Map([[probe.type, probeHandler]]),
      {
        ...DEFAULT_INBOX_RETRY,
        consumer: required('RF_PROBE_GROUP'),
        topics: [probe.topic],
        fromBeginning: true,
        // Dies the moment a transaction of effects has committed, before Kafka hears of it.
        onApplied: () => {
          if (crashAfterApplied && (applied += 1) >= crashAfterApplied) process.kill(process.pid, 'SIGKILL');
        },
      },
      new Registry(),
    );
    await inbox.start();
  } else {
    throw new Error(`unknown role ${String(role)}: relay or consumer`);
  }
  process.stdout.write('ready\n');
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
