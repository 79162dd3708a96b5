import { processEnvironment } from '@rf/platform-config';
import { stackEndpoints, testDatabaseUrl, waitFor } from '@rf/platform-testing';
import type { Kafka } from 'kafkajs';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import { DEFAULT_INBOX_RETRY, InboxConsumer } from './inbox/inbox-consumer';
import { createKafka } from './kafka-client';
import { DEFAULT_RELAY_SETTINGS, OutboxRelay } from './outbox/outbox-relay';
import { OutboxWriter } from './outbox/outbox-writer';
import { SchemaDirectory } from './schema-directory';
import { SchemaIdResolver } from './schema-id.resolver';
import {
  createProbeTopics,
  deleteProbeTopics,
  type ProbeBackbone,
  probeBackbone,
  probeHandler,
  registerProbeSchema,
  resetProbeDatabase,
} from './testing/probe-backbone.fixture';

const ROOT = resolve(__dirname, '../../../..');
const WORKER = join(__dirname, 'testing/backbone-worker.ts');
const endpoints = stackEndpoints();
const url = testDatabaseUrl('inventory');
const kafka: Kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'rf-fault-test' });

/** Each fault test ends the same way: every committed event applied exactly once. */
async function expectExactlyOnce(dataSource: DataSource, sent: readonly string[]): Promise<void> {
  const rows = await waitFor(
    async () => {
      const r = await dataSource.query<{ key: string }[]>(
        `SELECT aggregate_id || ':' || seq AS key FROM backbone_probe`,
      );
      return r.length >= sent.length ? r : undefined;
    },
    { timeoutMs: 120_000, intervalMs: 250, description: `${sent.length} events applied` },
  );
  expect(rows).toHaveLength(sent.length);
  expect(new Set(rows.map((r) => r.key))).toEqual(new Set(sent));
  const [pending] = await dataSource.query<{ n: string }[]>(
    'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
  );
  expect(pending?.n).toBe('0');
}

function startWorker(role: 'relay' | 'consumer', probe: ProbeBackbone, extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', WORKER, role], {
    cwd: ROOT,
    env: {
      ...processEnvironment(),
      SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      RF_PROBE_RUN: probe.type.replace(/^io\.resiliencefabric\.test\.probe-|\.v1$/g, ''),
      RF_PROBE_DATABASE_URL: url,
      RF_KAFKA_BROKERS: endpoints.kafkaBrokers.join(','),
      RF_REGISTRY_URL: endpoints.registryUrl,
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const ready = new Promise<void>((done, fail) => {
    let err = '';
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      if (c.toString().includes('ready')) done();
    });
    child.once('exit', (code) => fail(new Error(`${role} worker exited with ${String(code)}: ${err}`)));
  });
  return { child, ready, exited };
}

async function kill(worker: { child: ChildProcess; exited: Promise<void> }): Promise<void> {
  worker.child.kill('SIGKILL');
  await worker.exited;
}

describe('event backbone under faults', () => {
  let probe: ProbeBackbone;
  let dataSource: DataSource;
  let writer: OutboxWriter;
  const stoppers: (() => Promise<void>)[] = [];

  const count = async () =>
    Number((await dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM backbone_probe'))[0]?.n ?? 0);

  async function appendBatches(batches: number, size: number, from = 0): Promise<string[]> {
    const keys: string[] = [];
    for (let b = 0; b < batches; b++) {
      const events = Array.from({ length: size }, (_, i) => {
        const seq = from + b * size + i;
        return { aggregateId: `asset-${seq % 17}`, seq };
      });
      await dataSource.transaction((m) =>
        writer.append(
          m,
          events.map((data) => ({ type: probe.type, data })),
        ),
      );
      keys.push(...events.map((e) => `${e.aggregateId}:${e.seq}`));
    }
    return keys;
  }

  function relayInProcess(): OutboxRelay {
    const relay = new OutboxRelay(
      dataSource,
      kafka,
      new SchemaIdResolver(endpoints.registryUrl),
      { ...DEFAULT_RELAY_SETTINGS, databaseUrl: url, batchSize: 100, idleWaitMs: 100 },
      new Registry(),
    );
    stoppers.push(() => relay.stop());
    return relay;
  }

  function consumerInProcess(group: string): InboxConsumer {
    const inbox = new InboxConsumer(
      dataSource,
      kafka,
      probe.catalogue,
      new SchemaDirectory(endpoints.registryUrl),
      new Map([[probe.type, probeHandler]]),
      { ...DEFAULT_INBOX_RETRY, consumer: group, topics: [probe.topic], fromBeginning: true },
      new Registry(),
    );
    stoppers.push(() => inbox.stop());
    return inbox;
  }

  beforeEach(async () => {
    probe = probeBackbone(randomUUID().slice(0, 8));
    dataSource = await resetProbeDatabase(url);
    writer = new OutboxWriter(probe.catalogue, '/rf/test');
    await createProbeTopics(kafka, probe);
    await registerProbeSchema(endpoints.registryUrl, probe);
  });

  afterEach(async () => {
    for (const stop of stoppers.splice(0).reverse()) await stop().catch(() => undefined);
    await dataSource.destroy();
    await deleteProbeTopics(kafka, probe);
  });

  it('survives a relay killed mid-stream: the next relay publishes the rest', async () => {
    await consumerInProcess(`rf-fault-${randomUUID()}`).start();
    const sent = await appendBatches(40, 100);
    const relay = startWorker('relay', probe, { RF_PROBE_BATCH: '50' });
    await relay.ready;
    await waitFor(async () => ((await count()) >= 300 ? true : undefined), { intervalMs: 10 });
    await kill(relay);
    const [pending] = await dataSource.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM outbox WHERE published_at IS NULL',
    );
    expect(Number(pending?.n)).toBeGreaterThan(0);

    await relayInProcess().start();
    await expectExactlyOnce(dataSource, sent);
  });

  const localStack =
    processEnvironment()['RF_STACK'] !== 'external' &&
    processEnvironment()['RF_TEST_INFRA'] !== 'testcontainers';
  (localStack ? it : it.skip)('survives the broker stopping and restarting mid-stream', async () => {
    await consumerInProcess(`rf-fault-${randomUUID()}`).start();
    await relayInProcess().start();
    const sent = await appendBatches(10, 50);
    await waitFor(async () => ((await count()) >= 100 ? true : undefined));
    execFileSync(join(ROOT, 'deploy/local/stack.sh'), ['down', 'kafka'], { stdio: 'ignore' });
    sent.push(...(await appendBatches(10, 50, 500)));
    execFileSync(join(ROOT, 'deploy/local/stack.sh'), ['up', 'kafka'], { stdio: 'ignore' });
    sent.push(...(await appendBatches(10, 50, 1_000)));
    await expectExactlyOnce(dataSource, sent);
  });

  it('survives a consumer crash between its effects and its offset commit', async () => {
    const group = `rf-fault-${randomUUID()}`;
    await relayInProcess().start();
    const sent = await appendBatches(10, 100);
    // The worker kills itself right after its first transaction of effects commits.
    const first = startWorker('consumer', probe, {
      RF_PROBE_GROUP: group,
      RF_PROBE_CRASH_AFTER_APPLIED: '1',
    });
    await first.exited;
    expect(await count()).toBeGreaterThan(0);

    const admin = kafka.admin();
    await admin.connect();
    try {
      const committed =
        (await admin.fetchOffsets({ groupId: group, topics: [probe.topic] }))[0]?.partitions ?? [];
      expect(committed.every((p) => Number(p.offset) <= 0)).toBe(true);

      const second = startWorker('consumer', probe, { RF_PROBE_GROUP: group });
      stoppers.push(() => kill(second));
      await second.ready;
      const ends = await admin.fetchTopicOffsets(probe.topic);
      await waitFor(
        async () => {
          const now =
            (await admin.fetchOffsets({ groupId: group, topics: [probe.topic] }))[0]?.partitions ?? [];
          return ends.every((e) => now.find((p) => p.partition === e.partition)?.offset === e.high)
            ? true
            : undefined;
        },
        { timeoutMs: 60_000, description: 'the redelivered events consumed again' },
      );
    } finally {
      await admin.disconnect();
    }
    await expectExactlyOnce(dataSource, sent);
    const [inbox] = await dataSource.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM inbox WHERE consumer = $1',
      [group],
    );
    expect(inbox?.n).toBe(String(sent.length));
  });
});
