import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_PATHS, WORKSPACE_ROOT } from './contract-paths.constants';
import {
  checkEventContract,
  eventSchemaFiles,
  loadContracts,
  readJsonFile,
  typeNameOf,
  type EventContract,
  type TopicFile,
} from './event-contracts.loader';
import { createStrictAjv } from './json-schema.ajv';
import { isJsonObject } from './json-value.types';

describe('event contracts', () => {
  const contracts = loadContracts(WORKSPACE_ROOT);
  const topicsByName = new Map(contracts.topics.topics.map((t) => [t.name, t]));

  it('loads every schema file in contracts/events', () => {
    expect(contracts.events.map((e) => `${e.name}.schema.json`).sort()).toEqual(
      eventSchemaFiles(WORKSPACE_ROOT),
    );
    expect(contracts.events.length).toBeGreaterThanOrEqual(26);
  });

  it.each(eventSchemaFiles(WORKSPACE_ROOT))('%s compiles under Ajv2020 strict mode', (file) => {
    const schema = readJsonFile(WORKSPACE_ROOT, `${CONTRACT_PATHS.eventsDir}/${file}`);
    if (!isJsonObject(schema)) throw new Error(`${file} is not an object`);

    expect(() => createStrictAjv().compile(schema)).not.toThrow();
  });

  it('validates topics.json against its schema', () => {
    const ajv = createStrictAjv();
    const validate = ajv.compile(readJsonFile(WORKSPACE_ROOT, CONTRACT_PATHS.topicsSchema) as object);

    expect(validate(readJsonFile(WORKSPACE_ROOT, CONTRACT_PATHS.topics))).toBe(true);
  });

  it.each(contracts.events.map((e) => [e.name, e] as const))(
    '%s has x-rf metadata consistent with topics.json',
    (_name, event) => {
      const topic = topicsByName.get(event.topic);

      expect(topic).toBeDefined();
      expect(event.type).toBe(`io.resiliencefabric.${event.name}`);
      expect(event.producer).toBe(topic?.owner);
      expect(event.schema.required).toContain(event.key);
      expect(checkEventContract(event, topic)).toEqual([]);
    },
  );

  it('gives every event type a unique type name, type and $id', () => {
    for (const field of ['typeName', 'type', 'schemaId'] as const) {
      const values = contracts.events.map((e) => e[field]);
      expect(new Set(values).size).toBe(values.length);
    }
  });

  it('derives type names from event names', () => {
    expect(typeNameOf('remediation.rolled_back.v1')).toBe('RemediationRolledBackV1');
    expect(typeNameOf('remediation.wave.started.v1')).toBe('RemediationWaveStartedV1');
  });

  it('sizes the asset topic for its volume and gives every topic a DLQ with 14 days retention', () => {
    expect(topicsByName.get('rf.inventory.asset.v1')?.partitions).toBe(6);
    expect(contracts.topics.dlq.suffix).toBe('.dlq');
    expect(contracts.topics.dlq.config['retention.ms']).toBe(14 * 24 * 60 * 60 * 1000);
  });

  it('reports a schema that disagrees with its topic', () => {
    const [event] = contracts.events;
    if (event === undefined) throw new Error('no events');
    const wrongOwner: TopicFile = { ...topicsByName.get(event.topic)!, owner: 'quantum' };
    const unknownKey: EventContract = { ...event, key: 'nope' };

    expect(checkEventContract(event, wrongOwner)).toEqual([
      `${event.file}: x-rf.producer ${event.producer} differs from the topic owner quantum`,
    ]);
    expect(checkEventContract(unknownKey, topicsByName.get(event.topic))).toEqual([
      `${event.file}: key field nope must be required`,
      `${event.file}: key field nope must be a top-level string or integer property`,
    ]);
    expect(checkEventContract(event, undefined)).toContain(
      `${event.file}: x-rf.topic ${event.topic} is not in ${CONTRACT_PATHS.topics}`,
    );
  });

  it('refuses keywords the registry would misread', () => {
    const event = contracts.events.find((e) => e.name === 'drift.snapshot.v1');
    if (event === undefined) throw new Error('drift.snapshot.v1 missing');
    const total = { type: 'integer', description: 'Assets.', exclusiveMinimum: 0 };
    const misread: EventContract = {
      ...event,
      schema: { ...event.schema, properties: { ...event.schema.properties, total } },
    };

    expect(checkEventContract(misread, topicsByName.get(event.topic))).toEqual([
      `${event.file}: #/properties/total uses exclusiveMinimum, which the registry's compatibility checker misreads (see MISREAD_KEYWORDS)`,
    ]);
  });

  it('documents every topic and event type in docs/events.md', () => {
    const docs = readFileSync(join(WORKSPACE_ROOT, 'docs/events.md'), 'utf8');
    const missing = [
      ...contracts.topics.topics.map((t) => t.name),
      ...contracts.events.map((e) => e.name.replace(/\.v[0-9]+$/, '')),
    ].filter((name) => !docs.includes(`\`${name}\``));

    expect(missing).toEqual([]);
  });
});
