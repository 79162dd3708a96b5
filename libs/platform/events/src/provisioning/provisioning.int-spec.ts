import { stackEndpoints, waitFor } from '@rf/platform-testing';
import { ConfigResourceTypes } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { CONTRACT_EVENT_CATALOGUE, contractTopicSpecs } from '../contract-catalogue';
import { createKafka } from '../kafka-client';
import { checkBackwardCompatibility } from './compatibility-check';
import { IncompatibleSchemaError, SchemaPublisher } from './schema-publisher';
import { provisionTopics } from './topic-provisioner';

const endpoints = stackEndpoints();
const kafka = createKafka({ brokers: endpoints.kafkaBrokers, clientId: 'rf-provisioning-test' });

describe('topic provisioning', () => {
  const admin = kafka.admin();
  beforeAll(() => admin.connect());
  afterAll(() => admin.disconnect());

  it('creates every contract topic and DLQ, sized for the cluster, and is idempotent', async () => {
    const specs = contractTopicSpecs();
    await provisionTopics(admin, specs);
    const second = await provisionTopics(admin, specs);
    expect(second.created).toEqual([]);
    expect(second.updated).toEqual([]);
    expect(second.unchanged.sort()).toEqual(specs.map((s) => s.name).sort());

    const metadata = await admin.fetchTopicMetadata({
      topics: ['rf.inventory.asset.v1', 'rf.inventory.asset.v1.dlq'],
    });
    expect(Object.fromEntries(metadata.topics.map((t) => [t.name, t.partitions.length]))).toEqual({
      'rf.inventory.asset.v1': 6,
      'rf.inventory.asset.v1.dlq': 1,
    });
  });

  it('grows partitions and restores drifted configs', async () => {
    const name = `rf.test.provision-${randomUUID()}`;
    const spec = {
      name,
      partitions: 2,
      replicationFactor: 3,
      config: { 'retention.ms': 3_600_000, 'min.insync.replicas': 2 },
    };
    expect((await provisionTopics(admin, [spec])).created).toEqual([name]);
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        { type: ConfigResourceTypes.TOPIC, name, configEntries: [{ name: 'retention.ms', value: '1000' }] },
      ],
    });
    const report = await provisionTopics(admin, [{ ...spec, partitions: 4 }]);
    expect(report.updated).toEqual([name]);
    const [topic] = (await admin.fetchTopicMetadata({ topics: [name] })).topics;
    expect(topic?.partitions).toHaveLength(4);
    // The broker applies config changes through its metadata log: poll until it serves them.
    const expected = { 'retention.ms': '3600000', 'min.insync.replicas': '1' };
    const readConfigs = async () => {
      const configs = await admin.describeConfigs({
        includeSynonyms: false,
        resources: [
          { type: ConfigResourceTypes.TOPIC, name, configNames: ['retention.ms', 'min.insync.replicas'] },
        ],
      });
      return Object.fromEntries(
        (configs.resources[0]?.configEntries ?? []).map((c) => [c.configName, c.configValue]),
      );
    };
    let entries: Record<string, string> = {};
    await waitFor(
      async () => {
        entries = await readConfigs();
        return entries['retention.ms'] === expected['retention.ms'] ? true : undefined;
      },
      { timeoutMs: 10_000, description: 'the restored retention.ms' },
    ).catch(() => undefined);
    // min.insync.replicas is capped by the single local broker.
    expect(entries).toEqual(expected);
    await admin.deleteTopics({ topics: [name] });
  });
});

describe('schema registration', () => {
  const publisher = new SchemaPublisher(endpoints.registryUrl);

  it('registers every contract schema, and re-registering returns the same ids', async () => {
    const subjects = CONTRACT_EVENT_CATALOGUE.all().map((d) => ({
      subject: d.subject,
      schema: d.registrySchema,
    }));
    const first = await publisher.register(subjects);
    const second = await publisher.register(subjects);
    expect(first.size).toBe(subjects.length);
    expect([...second]).toEqual([...first]);
  });

  it('accepts a backward-compatible change and refuses an incompatible one', async () => {
    const subject = `io.resiliencefabric.test.compat-${randomUUID().slice(0, 8)}.v1`;
    // Closed content models, as every contract schema is: old data cannot carry a field v2 adds.
    const v1 = {
      type: 'object',
      additionalProperties: false,
      properties: { assetId: { type: 'string' } },
      required: ['assetId'],
    };
    const v2 = { ...v1, properties: { ...v1.properties, note: { type: 'string' } } };
    const breaking = { ...v1, properties: { assetId: { type: 'integer' } } };
    await publisher.register([{ subject, schema: JSON.stringify(v1) }]);
    expect(await publisher.isCompatible({ subject, schema: JSON.stringify(v2) })).toBe(true);
    await publisher.register([{ subject, schema: JSON.stringify(v2) }]);
    expect(await publisher.isCompatible({ subject, schema: JSON.stringify(breaking) })).toBe(false);
    await expect(publisher.register([{ subject, schema: JSON.stringify(breaking) }])).rejects.toThrow(
      IncompatibleSchemaError,
    );
  });
});

describe('compatibility against a baseline', () => {
  it('passes unchanged, new and compatible schemas, and names an incompatible one', async () => {
    const asset = CONTRACT_EVENT_CATALOGUE.describe('io.resiliencefabric.asset.discovered.v1')!;
    const scan = CONTRACT_EVENT_CATALOGUE.describe('io.resiliencefabric.scan.completed.v1')!;
    const drift = CONTRACT_EVENT_CATALOGUE.describe('io.resiliencefabric.drift.detected.v1')!;
    const schemaOf = (d: typeof asset) =>
      JSON.parse(d.registrySchema) as { properties: Record<string, object>; required: string[] };

    const widened = schemaOf(drift);
    widened.properties['note'] = { type: 'string' };
    const narrowed = schemaOf(asset);
    narrowed.properties['assetId'] = { type: 'integer' };

    const findings = await checkBackwardCompatibility(
      endpoints.registryUrl,
      [asset, drift].map((d) => ({ subject: d.subject, schema: d.registrySchema })),
      [
        { subject: asset.subject, schema: JSON.stringify(narrowed) },
        { subject: drift.subject, schema: JSON.stringify(widened) },
        { subject: scan.subject, schema: scan.registrySchema },
      ],
    );
    expect(findings).toEqual([
      { subject: asset.subject, compatible: false },
      { subject: drift.subject, compatible: true },
      { subject: scan.subject, compatible: true },
    ]);
    const subjects = (await fetch(`${endpoints.registryUrl}/subjects`).then((r) => r.json())) as string[];
    expect(subjects.filter((s) => s.startsWith('rf.compat-check.'))).toEqual([]);
  });
});
