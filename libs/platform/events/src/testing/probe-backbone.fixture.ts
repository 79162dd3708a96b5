import { createDataSource, runMigrations } from '@rf/platform-persistence';
import type { Kafka } from 'kafkajs';
import type { DataSource, EntityManager } from 'typeorm';
import type { CloudEvent } from '../cloud-event';
import type { EventCatalogue, EventDescriptor } from '../event-catalogue.port';
import { dlqTopicOf } from '../inbox/dead-letter';
import { EVENT_BACKBONE_MIGRATIONS } from '../migrations';

/**
 * A one-type event backbone for tests of the mechanism itself: its own topic, schema and handler,
 * so tests never disturb the contract topics. The handler's effect is a plain insert keyed by event
 * id, so applying one event twice fails loudly.
 */
export interface ProbeBackbone {
  readonly type: string;
  readonly topic: string;
  readonly schema: object;
  readonly catalogue: EventCatalogue;
}

export function probeBackbone(run: string): ProbeBackbone {
  const type = `io.resiliencefabric.test.probe-${run}.v1`;
  const topic = `rf.test.backbone-${run}.v1`;
  const schema = {
    type: 'object',
    additionalProperties: false,
    required: ['aggregateId', 'seq'],
    properties: { aggregateId: { type: 'string' }, seq: { type: 'integer', minimum: 0 } },
  };
  const descriptor: EventDescriptor = {
    type,
    topic,
    keyField: 'aggregateId',
    subject: type,
    schema,
    registrySchema: JSON.stringify(schema),
    producer: 'any',
  };
  const catalogue: EventCatalogue = {
    describe: (t) => (t === type ? descriptor : undefined),
    all: () => [descriptor],
    validate: (_t, data) => {
      const d = data as Record<string, unknown> | null;
      const ok =
        d !== null &&
        Object.keys(d).every((k) => k === 'aggregateId' || k === 'seq') &&
        typeof d['aggregateId'] === 'string' &&
        Number.isInteger(d['seq']) &&
        (d['seq'] as number) >= 0;
      return ok ? { ok: true } : { ok: false, errors: ['/seq: must be a non-negative integer'] };
    },
  };
  return { type, topic, schema, catalogue };
}

export async function probeHandler(event: CloudEvent, manager: EntityManager): Promise<void> {
  const data = event.data as { aggregateId: string; seq: number };
  await manager.query('INSERT INTO backbone_probe (event_id, aggregate_id, seq) VALUES ($1, $2, $3)', [
    event.id,
    data.aggregateId,
    data.seq,
  ]);
}

/** A fresh schema in the test database with the backbone tables and the probe's effect table. */
export async function resetProbeDatabase(url: string): Promise<DataSource> {
  const reset = createDataSource({ url, service: 'inventory' });
  await reset.initialize();
  await reset.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await reset.destroy();
  const dataSource = openProbeDatabase(url);
  await dataSource.initialize();
  await runMigrations(dataSource);
  await dataSource.query(`CREATE TABLE backbone_probe (
    event_id uuid PRIMARY KEY, aggregate_id text NOT NULL, seq integer NOT NULL,
    handled_order bigint GENERATED ALWAYS AS IDENTITY)`);
  return dataSource;
}

export function openProbeDatabase(url: string): DataSource {
  return createDataSource({ url, service: 'inventory', migrations: EVENT_BACKBONE_MIGRATIONS, poolSize: 20 });
}

export async function createProbeTopics(kafka: Kafka, probe: ProbeBackbone): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic: probe.topic, numPartitions: 3 },
        { topic: dlqTopicOf(probe.topic), numPartitions: 1 },
      ],
    });
  } finally {
    await admin.disconnect();
  }
}

export async function deleteProbeTopics(kafka: Kafka, probe: ProbeBackbone): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: [probe.topic, dlqTopicOf(probe.topic)] }).catch(() => undefined);
  await admin.disconnect();
}

export async function registerProbeSchema(registryUrl: string, probe: ProbeBackbone): Promise<number> {
  const res = await fetch(`${registryUrl}/subjects/${probe.type}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(probe.schema) }),
  });
  if (!res.ok) throw new Error(`registering ${probe.type} failed: HTTP ${res.status}`);
  return ((await res.json()) as { id: number }).id;
}
