import { SchemaType } from '@kafkajs/confluent-schema-registry';
import { stackEndpoints, waitFor } from '@rf/platform-testing';
import { randomUUID } from 'node:crypto';
import { createKafka } from './kafka-client';
import { KafkaReadinessCheck } from './kafka.readiness-check';
import { createSchemaRegistry } from './schema-registry';
import { schemaRegistryReadinessCheck } from './schema-registry.readiness-check';

const endpoints = stackEndpoints();
const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'rf-int-test' });

describe('Kafka on the local stack', () => {
  const topic = `rf.test.stack-probe.${randomUUID()}`;
  const admin = kafka.admin();
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });

  beforeAll(async () => {
    await admin.connect();
    await producer.connect();
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await Promise.all([admin.disconnect(), producer.disconnect()]);
  });

  it('produces and consumes on an explicitly created topic, in order per key', async () => {
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true })).toBe(
      true,
    );
    const sent = Array.from({ length: 20 }, (_, i) => ({ key: `asset-${i % 4}`, value: `event-${i}` }));
    await producer.send({ topic, messages: sent });

    const consumer = kafka.consumer({ groupId: `rf-int-${randomUUID()}` });
    const received: { key: string; value: string }[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        received.push({ key: message.key?.toString() ?? '', value: message.value?.toString() ?? '' });
        return Promise.resolve();
      },
    });
    try {
      await waitFor(() => Promise.resolve(received.length >= sent.length ? true : undefined), {
        timeoutMs: 30_000,
        description: 'all messages consumed',
      });
    } finally {
      await consumer.disconnect();
    }
    expect(new Set(received.map((m) => m.value))).toEqual(new Set(sent.map((m) => m.value)));
    for (const key of ['asset-0', 'asset-1', 'asset-2', 'asset-3']) {
      const order = (list: typeof sent) => list.filter((m) => m.key === key).map((m) => m.value);
      expect(order(received)).toEqual(order(sent));
    }
  });

  it('never auto-creates a topic', async () => {
    const missing = `rf.test.missing.${randomUUID()}`;
    const strict = kafka.producer({ allowAutoTopicCreation: true, retry: { retries: 1 } });
    await strict.connect();
    try {
      await expect(strict.send({ topic: missing, messages: [{ value: 'x' }] })).rejects.toThrow();
    } finally {
      await strict.disconnect();
    }
    expect(await admin.listTopics()).not.toContain(missing);
  });

  it('reports ready through the readiness check', async () => {
    const check = new KafkaReadinessCheck(kafka);
    await expect(check.check()).resolves.toBeUndefined();
    await check.close();
    const unreachable = new KafkaReadinessCheck(
      createKafka({ brokers: ['127.0.0.1:1'], clientId: 'rf-int-test-down' }),
    );
    await expect(unreachable.check()).rejects.toThrow();
  });
});

describe('schema registry on the local stack', () => {
  const registry = createSchemaRegistry(endpoints.registryUrl);

  it('registers a JSON Schema and fetches it back by id', async () => {
    const subject = `rf.test.probe-${randomUUID()}-value`;
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { assetId: { type: 'string' } },
      required: ['assetId'],
    };
    const { id } = await registry.register(
      { type: SchemaType.JSON, schema: JSON.stringify(schema) },
      { subject },
    );
    expect(id).toBeGreaterThan(0);
    expect(await registry.getLatestSchemaId(subject)).toBe(id);
    const fetched = (await fetch(`${endpoints.registryUrl}/schemas/ids/${id}`).then((r) => r.json())) as {
      schema: string;
    };
    expect(JSON.parse(fetched.schema)).toEqual(schema);

    const encoded = await registry.encode(id, { assetId: 'i-123' });
    expect(encoded[0]).toBe(0); // Confluent wire format: magic byte, then the 4-byte schema id.
    expect(encoded.readInt32BE(1)).toBe(id);
    expect(await registry.decode(encoded)).toEqual({ assetId: 'i-123' });
    await expect(registry.encode(id, { other: 1 })).rejects.toThrow();
  });

  it('reports ready through the readiness check', async () => {
    await expect(schemaRegistryReadinessCheck(endpoints.registryUrl).check()).resolves.toBeUndefined();
    await expect(
      schemaRegistryReadinessCheck('http://127.0.0.1:1/apis/ccompat/v7').check(),
    ).rejects.toThrow();
  });
});
