import { createDataSource, runMigrations } from '@rf/platform-persistence';
import { stackEndpoints, testDatabaseUrl, waitFor } from '@rf/platform-testing';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { EventCatalogue, EventDescriptor } from './event-catalogue.port';
import { DLQ_HEADERS, dlqTopicOf } from './inbox/dead-letter';
import { DEFAULT_INBOX_RETRY, InboxConsumer } from './inbox/inbox-consumer';
import { createKafka } from './kafka-client';
import { EVENT_BACKBONE_MIGRATIONS } from './migrations';
import { DEFAULT_RELAY_SETTINGS, OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';
import { SchemaDirectory } from './schema-directory';
import { SchemaIdResolver } from './schema-id.resolver';
import { encodeWireFormat } from './wire-format';

const endpoints = stackEndpoints();
const url = testDatabaseUrl('inventory');
const run = randomUUID().slice(0, 8);
const topic = `rf.test.backbone-${run}.v1`;
const type = `io.resiliencefabric.test.probe-${run}.v1`;
const schema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  additionalProperties: false,
  required: ['aggregateId', 'seq'],
  properties: { aggregateId: { type: 'string' }, seq: { type: 'integer', minimum: 0 } },
};

/** A one-type catalogue; the contract catalogue proper is tested with libs/contracts. */
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

describe('event backbone: outbox, relay, Kafka, inbox', () => {
  let dataSource: DataSource;
  let kafka: Kafka;
  let admin: Admin;
  let schemaId: number;
  const writer = new OutboxWriter(catalogue, '/rf/test');
  const relays: OutboxRelay[] = [];
  let inbox: InboxConsumer;

  const newRelay = () => {
    const relay = new OutboxRelay(
      dataSource,
      kafka,
      new SchemaIdResolver(endpoints.registryUrl),
      { ...DEFAULT_RELAY_SETTINGS, databaseUrl: url, batchSize: 50, idleWaitMs: 100 },
      new Registry(),
    );
    relays.push(relay);
    return relay;
  };

  const append = (events: { aggregateId: string; seq: number }[]) =>
    dataSource.transaction((m) =>
      writer.append(
        m,
        events.map((data) => ({ type, data })),
      ),
    );

  const handledRows = () =>
    dataSource.query<{ event_id: string; aggregate_id: string; seq: number }[]>(
      'SELECT event_id, aggregate_id, seq FROM backbone_probe ORDER BY handled_order',
    );

  beforeAll(async () => {
    const reset = createDataSource({ url, service: 'inventory' });
    await reset.initialize();
    await reset.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
    await reset.destroy();
    dataSource = createDataSource({
      url,
      service: 'inventory',
      migrations: EVENT_BACKBONE_MIGRATIONS,
      poolSize: 20,
    });
    await dataSource.initialize();
    await runMigrations(dataSource);
    await dataSource.query(`CREATE TABLE backbone_probe (
      event_id uuid PRIMARY KEY, aggregate_id text NOT NULL, seq integer NOT NULL,
      handled_order bigint GENERATED ALWAYS AS IDENTITY)`);

    kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'rf-backbone-test' });
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        { topic, numPartitions: 3 },
        { topic: dlqTopicOf(topic), numPartitions: 1 },
      ],
    });
    const res = await fetch(`${endpoints.registryUrl}/subjects/${type}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' },
      body: JSON.stringify({ schemaType: 'JSON', schema: JSON.stringify(schema) }),
    });
    schemaId = ((await res.json()) as { id: number }).id;

    inbox = new InboxConsumer(
      dataSource,
      kafka,
      catalogue,
      new SchemaDirectory(endpoints.registryUrl),
      new Map([
        [
          type,
          async (event, manager) => {
            const data = event.data as { aggregateId: string; seq: number };
            // A plain insert: a second effect for the same event would violate the primary key.
            await manager.query(
              'INSERT INTO backbone_probe (event_id, aggregate_id, seq) VALUES ($1, $2, $3)',
              [event.id, data.aggregateId, data.seq],
            );
          },
        ],
      ]),
      { consumer: `rf-test-${run}`, topics: [topic], fromBeginning: true, ...DEFAULT_INBOX_RETRY },
      new Registry(),
    );
    await inbox.start();
  });

  afterAll(async () => {
    await Promise.all(relays.map((r) => r.stop()));
    await inbox.stop();
    await admin.deleteTopics({ topics: [topic, dlqTopicOf(topic)] }).catch(() => undefined);
    await admin.disconnect();
    await dataSource.destroy();
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((r) => r.stop()));
  });

  it('rejects data that breaks the contract inside the business transaction', async () => {
    await expect(append([{ aggregateId: 'a', seq: -1 }])).rejects.toThrow(/does not match its contract/);
    const [row] = await dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM outbox');
    expect(row?.n).toBe('0');
  });

  it('handles every committed event exactly once, in order per aggregate, with two relays', async () => {
    const aggregates = Array.from({ length: 8 }, (_, i) => `asset-${i}`);
    const sent: { aggregateId: string; seq: number }[] = [];
    for (let seq = 0; seq < 25; seq++) {
      const batch = aggregates.map((aggregateId) => ({ aggregateId, seq }));
      sent.push(...batch);
      await append(batch);
    }
    const [first, second] = [newRelay(), newRelay()];
    await first.start();
    await second.start();

    const rows = await waitFor(
      async () => {
        const r = await handledRows();
        return r.length >= sent.length ? r : undefined;
      },
      { timeoutMs: 60_000, description: 'all events handled' },
    );

    expect(rows).toHaveLength(sent.length);
    expect(new Set(rows.map((r) => `${r.aggregate_id}:${r.seq}`))).toEqual(
      new Set(sent.map((s) => `${s.aggregateId}:${s.seq}`)),
    );
    for (const aggregate of aggregates) {
      const seqs = rows.filter((r) => r.aggregate_id === aggregate).map((r) => r.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    // The two relays share the lanes without overlap.
    expect([...first.lanes, ...second.lanes].sort((a, b) => a - b)).toEqual(
      Array.from({ length: 16 }, (_, i) => i),
    );
    const [pending] = await dataSource.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
    );
    expect(pending?.n).toBe('0');
  });

  it('relays a row whose transaction commits after a later one', async () => {
    await dataSource.query('TRUNCATE backbone_probe');
    const relay = newRelay();
    await relay.start();
    const slow = dataSource.createQueryRunner();
    await slow.connect();
    await slow.startTransaction();
    await writer.append(slow.manager, [{ type, data: { aggregateId: 'late', seq: 1 } }]);
    await append([{ aggregateId: 'early', seq: 2 }]);
    await waitFor(async () => ((await handledRows()).length === 1 ? true : undefined), {
      description: 'the later id, committed first, handled',
    });
    await slow.commitTransaction();
    await slow.release();
    const rows = await waitFor(
      async () => {
        const r = await handledRows();
        return r.length === 2 ? r : undefined;
      },
      { description: 'the late-committing row handled' },
    );
    expect(rows.map((r) => r.aggregate_id)).toEqual(['early', 'late']);
  });

  it('applies a redelivered event once', async () => {
    await dataSource.query('TRUNCATE backbone_probe');
    const producer = kafka.producer();
    await producer.connect();
    const id = randomUUID();
    const message = {
      key: 'dup',
      value: encodeWireFormat(schemaId, { aggregateId: 'dup', seq: 7 }),
      headers: {
        ce_id: id,
        ce_source: '/rf/test',
        ce_type: type,
        ce_specversion: '1.0',
        ce_time: new Date().toISOString(),
        ce_subject: 'dup',
        ce_correlationid: id,
      },
    };
    await producer.send({ topic, messages: [message] });
    await producer.send({ topic, messages: [message] });
    await producer.send({
      topic,
      messages: [{ ...message, headers: { ...message.headers, ce_id: randomUUID() } }],
    });
    await producer.disconnect();
    const rows = await waitFor(
      async () => {
        const r = await handledRows();
        return r.length >= 2 ? r : undefined;
      },
      { description: 'distinct events handled' },
    );
    expect(rows.filter((r) => r.event_id === id)).toHaveLength(1);
  });

  it('sends undecodable and invalid messages to the DLQ with the reason, and keeps consuming', async () => {
    await dataSource.query('TRUNCATE backbone_probe');
    const headers = (ceId: string) => ({
      ce_id: ceId,
      ce_source: '/rf/test',
      ce_type: type,
      ce_specversion: '1.0',
      ce_time: new Date().toISOString(),
      ce_subject: 'p',
      ce_correlationid: ceId,
    });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({
      topic,
      messages: [
        { key: 'p', value: Buffer.from('{"not":"wire format"}'), headers: headers(randomUUID()) },
        {
          key: 'p',
          value: encodeWireFormat(2_000_000_000, { aggregateId: 'p', seq: 1 }),
          headers: headers(randomUUID()),
        },
        {
          key: 'p',
          value: encodeWireFormat(schemaId, { aggregateId: 'p', seq: 'one' }),
          headers: headers(randomUUID()),
        },
        {
          key: 'p',
          value: encodeWireFormat(schemaId, { aggregateId: 'p', seq: 2 }),
          headers: { ce_id: randomUUID() },
        },
        {
          key: 'p',
          value: encodeWireFormat(schemaId, { aggregateId: 'p', seq: 3 }),
          headers: headers(randomUUID()),
        },
      ],
    });
    await producer.disconnect();

    const dead: KafkaMessage[] = [];
    const consumer = kafka.consumer({ groupId: `rf-dlq-reader-${run}` });
    await consumer.connect();
    await consumer.subscribe({ topic: dlqTopicOf(topic), fromBeginning: true });
    await consumer.run({ eachMessage: ({ message }) => Promise.resolve(void dead.push(message)) });
    try {
      await waitFor(() => Promise.resolve(dead.length >= 4 ? true : undefined), {
        timeoutMs: 30_000,
        description: 'four dead letters',
      });
    } finally {
      await consumer.disconnect();
    }
    const reasons = dead.map((m) => m.headers?.[DLQ_HEADERS.reason]?.toString() ?? '');
    expect(reasons).toEqual([
      expect.stringMatching(/unknown magic byte/),
      expect.stringMatching(/unknown schema id 2000000000/),
      expect.stringMatching(/\/seq: must be a non-negative integer/),
      expect.stringMatching(/missing CloudEvents header ce_specversion/),
    ]);
    expect(dead.map((m) => m.headers?.[DLQ_HEADERS.errorCode]?.toString())).toEqual([
      'EVENTS.BAD_WIRE_FORMAT',
      'EVENTS.UNKNOWN_SCHEMA_ID',
      'EVENTS.SCHEMA_VIOLATION',
      'EVENTS.BAD_ENVELOPE',
    ]);
    for (const m of dead) {
      expect(m.headers?.[DLQ_HEADERS.originalTopic]?.toString()).toBe(topic);
      expect(m.headers?.[DLQ_HEADERS.originalOffset]).toBeDefined();
      expect(m.headers?.[DLQ_HEADERS.attempts]?.toString()).toBe('1');
      expect(m.headers?.[DLQ_HEADERS.consumerGroup]?.toString()).toBe(`rf-test-${run}`);
    }
    // The partition did not stall: the valid event after the poison ones was handled.
    const rows = await waitFor(
      async () => {
        const r = await handledRows();
        return r.length >= 1 ? r : undefined;
      },
      { description: 'the valid event handled' },
    );
    expect(rows.map((r) => r.seq)).toEqual([3]);
  });
});
