/**
 * Event backbone throughput and latency on the local stack. Prints figures; it is not a test.
 *
 *   (a) raw kafkajs produce -> consume throughput
 *   (b) the same volume through outbox -> relay -> Kafka -> inbox handler, and (b)/(a)
 *   (c) commit -> handled latency, p50 and p99, at a steady rate
 *
 * Run with `make bench-event-backbone` (the local stack must be up).
 */
import { registrySchemaOf } from '@rf/contracts';
import { processEnvironment } from '@rf/platform-config';
import {
  CONTRACT_EVENT_CATALOGUE,
  createKafka,
  DEFAULT_INBOX_RETRY,
  DEFAULT_RELAY_SETTINGS,
  EVENT_BACKBONE_MIGRATIONS,
  type EventCatalogue,
  InboxConsumer,
  OutboxRelay,
  OutboxWriter,
  SchemaDirectory,
  SchemaIdResolver,
  SchemaPublisher,
} from '@rf/platform-events';
import { createDataSource, runMigrations } from '@rf/platform-persistence';
import { stackEndpoints, testDatabaseUrl } from '@rf/platform-testing';
import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';

const env = processEnvironment();
const VOLUME = Number(env['RF_BENCH_EVENTS'] ?? 100_000);
const RATE = Number(env['RF_BENCH_RATE'] ?? 2_000);
const LATENCY_SECONDS = Number(env['RF_BENCH_LATENCY_SECONDS'] ?? 15);
const TYPE = 'io.resiliencefabric.asset.discovered.v1';
const PARTITIONS = 6;
const WRITERS = Number(env['RF_BENCH_WRITERS'] ?? 4);
const RELAYS = Number(env['RF_BENCH_RELAYS'] ?? 2);

const endpoints = stackEndpoints();
const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'rf-bench' });

function asset(i: number) {
  return {
    assetId: randomUUID(),
    connectorId: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
    scanId: '5d4c3b2a-1f0e-4d9c-8b7a-6f5e4d3c2b1a',
    platform: 'aws',
    account: '123456789012',
    region: 'eu-west-1',
    site: 'eu-west',
    environment: 'prod',
    project: 'payments',
    instanceId: `i-${i.toString(16).padStart(17, '0')}`,
    imageRef: 'ami-0c55b159cbfafe1f0',
    imageVersion: '2025.10.14',
    state: 'running',
    tags: { Name: `payments-api-${i}`, 'rf:image-family': 'ubuntu-22-04-base', team: 'payments' },
    discoveredAt: '2025-11-20T08:12:03Z',
    lastSeenAt: '2025-11-22T08:15:41Z',
  };
}

async function freshTopic(name: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic: name, numPartitions: PARTITIONS }, { topic: `${name}.dlq` }],
  });
  await admin.disconnect();
}

async function dropTopics(names: string[]): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.deleteTopics({ topics: names }).catch(() => undefined);
  await admin.disconnect();
}

/** (a) kafkajs alone: batches of 1,000 from one idempotent producer, one consumer group. */
async function rawKafka(): Promise<number> {
  const topic = `rf.bench.raw-${randomUUID().slice(0, 8)}`;
  await freshTopic(topic);
  const payloads = Array.from({ length: 1_000 }, (_, i) => Buffer.from(JSON.stringify(asset(i))));
  const consumer = kafka.consumer({ groupId: `rf-bench-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let received = 0;
  let done: () => void = () => undefined;
  const all = new Promise<void>((resolve) => (done = resolve));
  await consumer.run({
    eachBatch: ({ batch }) => {
      received += batch.messages.length;
      if (received >= VOLUME) done();
      return Promise.resolve();
    },
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const started = performance.now();
  for (let sent = 0; sent < VOLUME; sent += 1_000) {
    await producer.send({
      topic,
      acks: -1,
      messages: payloads.map((value, i) => ({ key: `asset-${sent + i}`, value })),
    });
  }
  await all;
  const seconds = (performance.now() - started) / 1_000;
  await Promise.all([producer.disconnect(), consumer.disconnect()]);
  await dropTopics([topic, `${topic}.dlq`]);
  return VOLUME / seconds;
}

interface Pipeline {
  readonly dataSource: DataSource;
  readonly writer: OutboxWriter;
  readonly handled: Map<string, number>;
  stop(): Promise<void>;
}

/** outbox -> relay -> Kafka -> inbox, on a topic of its own, in the inventory test database. */
async function pipeline(retentionMs = DEFAULT_RELAY_SETTINGS.retentionMs): Promise<Pipeline> {
  const topic = `rf.bench.backbone-${randomUUID().slice(0, 8)}`;
  await freshTopic(topic);
  const catalogue: EventCatalogue = {
    ...CONTRACT_EVENT_CATALOGUE,
    describe: (type) => {
      const d = CONTRACT_EVENT_CATALOGUE.describe(type);
      return d && { ...d, topic };
    },
  };
  await new SchemaPublisher(endpoints.registryUrl).register([
    { subject: TYPE, schema: registrySchemaOf(TYPE) },
  ]);
  const url = testDatabaseUrl('inventory');
  const reset = createDataSource({ url, service: 'inventory' });
  await reset.initialize();
  await reset.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  await reset.destroy();
  const dataSource = createDataSource({
    url,
    service: 'inventory',
    migrations: EVENT_BACKBONE_MIGRATIONS,
    poolSize: 20,
  });
  await dataSource.initialize();
  await runMigrations(dataSource);

  const handled = new Map<string, number>();
  // RELAYS relays share the lanes, as that many service replicas would.
  const relays = Array.from(
    { length: RELAYS },
    () =>
      new OutboxRelay(
        dataSource,
        kafka,
        new SchemaIdResolver(endpoints.registryUrl),
        {
          ...DEFAULT_RELAY_SETTINGS,
          databaseUrl: url,
          batchSize: 1_000,
          idleWaitMs: 200,
          retentionMs,
          maxLanes: Math.ceil(DEFAULT_RELAY_SETTINGS.lanes / RELAYS),
        },
        new Registry(),
      ),
  );
  const inbox = new InboxConsumer(
    dataSource,
    kafka,
    catalogue,
    new SchemaDirectory(endpoints.registryUrl),
    new Map([
      [
        TYPE,
        (event) => {
          handled.set(event.id, performance.now());
          return Promise.resolve();
        },
      ],
    ]),
    { ...DEFAULT_INBOX_RETRY, consumer: `rf-bench-${randomUUID()}`, topics: [topic], fromBeginning: true },
    new Registry(),
  );
  await inbox.start();
  for (const relay of relays) await relay.start();
  return {
    dataSource,
    writer: new OutboxWriter(catalogue, '/rf/bench'),
    handled,
    async stop() {
      await Promise.all(relays.map((r) => r.stop()));
      await inbox.stop();
      await dataSource.destroy();
      await dropTopics([topic, `${topic}.dlq`]);
    },
  };
}

async function waitUntil(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}

/**
 * (b) throughput: WRITERS concurrent writers, as concurrent requests would be, each committing
 * transactions of 1,000 events; measured from the first write until the inbox has handled all.
 */
async function throughPipeline(retentionMs?: number): Promise<{ perSecond: number; writeSeconds: number }> {
  const p = await pipeline(retentionMs);
  try {
    const data = Array.from({ length: 1_000 }, (_, i) => asset(i));
    let next = 0;
    const writer = async () => {
      while ((next += 1_000) <= VOLUME) {
        await p.dataSource.transaction((m) =>
          p.writer.append(
            m,
            data.map((d) => ({ type: TYPE, data: { ...d, assetId: randomUUID() } })),
          ),
        );
      }
    };
    const started = performance.now();
    await Promise.all(Array.from({ length: WRITERS }, writer));
    const written = performance.now();
    await waitUntil(() => p.handled.size >= VOLUME);
    return {
      perSecond: VOLUME / ((performance.now() - started) / 1_000),
      writeSeconds: (written - started) / 1_000,
    };
  } finally {
    await p.stop();
  }
}

/** (c) latency: RATE events/s in transactions every 10 ms; commit time to handler time per event. */
async function latencyAtRate(): Promise<{ p50: number; p99: number; max: number; count: number }> {
  const p = await pipeline();
  try {
    const committed = new Map<string, number>();
    const perTick = Math.max(1, Math.round(RATE / 100));
    const ticks = LATENCY_SECONDS * 100;
    const started = performance.now();
    for (let tick = 0; tick < ticks; tick++) {
      const ids = await p.dataSource.transaction((m) =>
        p.writer.append(
          m,
          Array.from({ length: perTick }, (_, i) => ({ type: TYPE, data: asset(tick * perTick + i) })),
        ),
      );
      const at = performance.now();
      for (const id of ids) committed.set(id, at);
      const next = started + (tick + 1) * 10;
      const wait = next - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
    await waitUntil(() => p.handled.size >= committed.size);
    const latencies = [...committed]
      .map(([id, at]) => (p.handled.get(id) ?? Number.NaN) - at)
      .sort((a, b) => a - b);
    const q = (f: number) =>
      latencies[Math.min(latencies.length - 1, Math.floor(f * latencies.length))] ?? Number.NaN;
    return { p50: q(0.5), p99: q(0.99), max: latencies.at(-1) ?? Number.NaN, count: latencies.length };
  } finally {
    await p.stop();
  }
}

async function main(): Promise<void> {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  console.log(
    `event backbone benchmark: ${VOLUME} events of ${TYPE} (~${JSON.stringify(asset(0)).length} B), ${PARTITIONS} partitions`,
  );
  console.log(`machine: ${machine}; ${WRITERS} concurrent writers, ${RELAYS} relays`);
  const raw = await rawKafka();
  let through = 0;
  console.log(`(a) raw kafkajs produce->consume:            ${raw.toFixed(0)} events/s`);
  for (const [label, retentionMs] of [
    ['sent rows kept 24 h', undefined],
    ['sent rows deleted', 0],
  ] as const) {
    const b = await throughPipeline(retentionMs);
    through = Math.max(through, b.perSecond);
    console.log(
      `(b) outbox->relay->Kafka->inbox, ${label}: ${b.perSecond.toFixed(0)} events/s, (b)/(a) = ${(b.perSecond / raw).toFixed(2)} (writes done in ${b.writeSeconds.toFixed(1)} s)`,
    );
  }
  const latency = await latencyAtRate();
  console.log(
    `(c) commit->handled at ${RATE} events/s: p50 ${latency.p50.toFixed(1)} ms, p99 ${latency.p99.toFixed(1)} ms, max ${latency.max.toFixed(1)} ms over ${latency.count} events`,
  );
  console.log(
    `targets: (b) >= 20000 events/s and >= 0.5 x (a): ${through >= 20_000 && through >= 0.5 * raw ? 'met' : 'missed'}; (c) p99 <= 100 ms: ${latency.p99 <= 100 ? 'met' : 'missed'}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
