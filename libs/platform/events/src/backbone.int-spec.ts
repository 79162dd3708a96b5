import { stackEndpoints, testDatabaseUrl, waitFor } from '@rf/platform-testing';
import type { Admin, Kafka, KafkaMessage } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { DLQ_HEADERS, dlqTopicOf } from './inbox/dead-letter';
import { DEFAULT_INBOX_RETRY, InboxConsumer } from './inbox/inbox-consumer';
import { createKafka } from './kafka-client';
import { DEFAULT_RELAY_SETTINGS, OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';
import { replayDeadLetters } from './replay/dead-letter-replayer';
import { SchemaDirectory } from './schema-directory';
import { SchemaIdResolver } from './schema-id.resolver';
import {
  createProbeTopics,
  deleteProbeTopics,
  probeBackbone,
  probeHandler,
  registerProbeSchema,
  resetProbeDatabase,
} from './testing/probe-backbone.fixture';
import { decodeWireFormat, encodeWireFormat } from './wire-format';

const endpoints = stackEndpoints();
const url = testDatabaseUrl('inventory');
const run = randomUUID().slice(0, 8);
const probe = probeBackbone(run);
const { type, topic, catalogue } = probe;

describe('event backbone: outbox, relay, Kafka, inbox', () => {
  let dataSource: DataSource;
  let kafka: Kafka;
  let admin: Admin;
  let schemaId: number;
  const writer = new OutboxWriter(catalogue, '/rf/test');
  const relays: OutboxRelay[] = [];
  let inbox: InboxConsumer;
  const quarantined = new Set<number>();
  /** The organisation each handled event arrived with, by event id. */
  const organisations = new Map<string, string | null>();
  const FLAKY_SEQ = 777;

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

  /** Reads the DLQ from the start until `count` records matching `match` are there. */
  const readDeadLetters = async (count: number, match: (m: KafkaMessage) => boolean = () => true) => {
    const dead: KafkaMessage[] = [];
    const consumer = kafka.consumer({ groupId: `rf-dlq-reader-${randomUUID()}` });
    await consumer.connect();
    await consumer.subscribe({ topic: dlqTopicOf(topic), fromBeginning: true });
    await consumer.run({
      eachMessage: ({ message }) => {
        if (match(message)) dead.push(message);
        return Promise.resolve();
      },
    });
    try {
      await waitFor(() => Promise.resolve(dead.length >= count ? true : undefined), {
        timeoutMs: 30_000,
        description: `${count} dead letters`,
      });
    } finally {
      await consumer.disconnect();
    }
    return dead;
  };

  const handledRows = () =>
    dataSource.query<{ event_id: string; aggregate_id: string; seq: number }[]>(
      'SELECT event_id, aggregate_id, seq FROM backbone_probe ORDER BY handled_order',
    );

  beforeAll(async () => {
    dataSource = await resetProbeDatabase(url);
    kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'rf-backbone-test' });
    admin = kafka.admin();
    await admin.connect();
    await createProbeTopics(kafka, probe);
    schemaId = await registerProbeSchema(endpoints.registryUrl, probe);

    inbox = new InboxConsumer(
      dataSource,
      kafka,
      catalogue,
      new SchemaDirectory(endpoints.registryUrl),
      new Map([
        [
          type,
          (event, manager) => {
            organisations.set(event.id, event.organisation);
            const seq = (event.data as { seq: number }).seq;
            if (quarantined.has(seq)) {
              return Promise.reject(
                Object.assign(new Error(`asset ${seq} is quarantined`), {
                  code: 'INVENTORY.QUARANTINED',
                  retriable: false,
                }),
              );
            }
            if (seq === FLAKY_SEQ) return Promise.reject(new Error('downstream timeout'));
            return probeHandler(event, manager);
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
    await admin.disconnect();
    await deleteProbeTopics(kafka, probe);
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

  it('stores a bulk append (streamed with COPY) exactly as single appends', async () => {
    // Keys that COPY's text format must escape, and characters beyond ASCII.
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}\t\\ "q" \n\r é 🚀 \\N`);
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      const stored = (ids: readonly string[]) =>
        runner.manager.query<{ aggregate_id: string; data: unknown; lane: number; event_type: string }[]>(
          `SELECT aggregate_id, data, lane, event_type FROM outbox
           WHERE event_id = ANY($1::uuid[]) ORDER BY id`,
          [ids],
        );
      const bulk = await writer.append(
        runner.manager,
        keys.map((aggregateId, seq) => ({ type, data: { aggregateId, seq } })),
      );
      const single: string[] = [];
      for (const [seq, aggregateId] of keys.slice(0, 20).entries()) {
        single.push(...(await writer.append(runner.manager, [{ type, data: { aggregateId, seq } }])));
      }
      const bulkRows = await stored(bulk);
      expect(bulkRows.map((r) => r.aggregate_id)).toEqual(keys);
      expect(bulkRows.map((r) => r.data)).toEqual(keys.map((aggregateId, seq) => ({ aggregateId, seq })));
      expect(bulkRows.slice(0, 20)).toEqual(await stored(single));
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('carries the organisation of each event from the outbox to the handler, and refuses a malformed one', async () => {
    await expect(
      dataSource.transaction((m) =>
        writer.append(m, [{ type, data: { aggregateId: 'org', seq: 1 }, organisation: 'acme corp' }]),
      ),
    ).rejects.toThrow(/organisation "acme corp" is malformed/);
    const [scoped, platformWide] = await dataSource.transaction(async (m) => [
      ...(await writer.append(m, [{ type, data: { aggregateId: 'org-a', seq: 1 }, organisation: 'acme' }])),
      ...(await writer.append(m, [{ type, data: { aggregateId: 'org-b', seq: 2 } }])),
    ]);
    await newRelay().start();
    await waitFor(
      () =>
        Promise.resolve(organisations.has(scoped!) && organisations.has(platformWide!) ? true : undefined),
      { description: 'both events handled' },
    );
    expect(organisations.get(scoped!)).toBe('acme');
    expect(organisations.get(platformWide!)).toBeNull();
    await dataSource.query('TRUNCATE backbone_probe');
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

  it('publishes a claimed batch larger than the broker accepts in one request, in order', async () => {
    await dataSource.query('TRUNCATE backbone_probe');
    // One aggregate (one partition), ~2.5 KiB a record: 1,000 claimed rows are ~2.5 MiB, well past
    // the broker's 1 MiB message.max.bytes for one partition's batch.
    const aggregateId = `bulky-${'x'.repeat(1_200)}`;
    const sent = Array.from({ length: 1_000 }, (_, i) => ({ aggregateId, seq: 10_000 + i }));
    for (let i = 0; i < sent.length; i += 250) await append(sent.slice(i, i + 250));
    const relay = new OutboxRelay(
      dataSource,
      kafka,
      new SchemaIdResolver(endpoints.registryUrl),
      { ...DEFAULT_RELAY_SETTINGS, databaseUrl: url, batchSize: 1_000, idleWaitMs: 100 },
      new Registry(),
    );
    relays.push(relay);
    await relay.start();
    const rows = await waitFor(
      async () => {
        const r = await handledRows();
        return r.length >= sent.length ? r : undefined;
      },
      { timeoutMs: 60_000, description: 'every bulky event handled' },
    );
    expect(rows.map((r) => r.seq)).toEqual(sent.map((e) => e.seq));
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

    const dead = await readDeadLetters(4);
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

  it('dead-letters handler failures, retrying only retriable ones, and replays them once fixed', async () => {
    await dataSource.query('TRUNCATE backbone_probe');
    const relay = newRelay();
    await relay.start();
    quarantined.add(4242);
    await append([
      { aggregateId: 'q', seq: 4242 },
      { aggregateId: 'f', seq: FLAKY_SEQ },
    ]);
    // The DLQ also holds the undecodable records of the test before.
    const seqOf = (m: KafkaMessage) => {
      try {
        return (decodeWireFormat(m.value).data as { seq?: number }).seq;
      } catch {
        return undefined;
      }
    };
    const dead = await readDeadLetters(2, (m) => [4242, FLAKY_SEQ].includes(seqOf(m) ?? -1));
    const bySeq = (seq: number) => dead.find((m) => seqOf(m) === seq);
    expect(bySeq(4242)?.headers?.[DLQ_HEADERS.errorCode]?.toString()).toBe('INVENTORY.QUARANTINED');
    expect(bySeq(4242)?.headers?.[DLQ_HEADERS.attempts]?.toString()).toBe('1');
    expect(bySeq(FLAKY_SEQ)?.headers?.[DLQ_HEADERS.errorCode]?.toString()).toBe('EVENTS.HANDLER_FAILED');
    expect(bySeq(FLAKY_SEQ)?.headers?.[DLQ_HEADERS.attempts]?.toString()).toBe(
      String(DEFAULT_INBOX_RETRY.maxAttempts),
    );

    quarantined.delete(4242);
    const report = await replayDeadLetters(kafka, dlqTopicOf(topic));
    expect(report.byTopic[topic]).toBeGreaterThanOrEqual(2);
    const rows = await waitFor(
      async () => {
        const r = await handledRows();
        return r.some((row) => row.seq === 4242) ? r : undefined;
      },
      { description: 'the replayed event handled' },
    );
    expect(rows.filter((row) => row.seq === 4242)).toHaveLength(1);
  });
});
