import { readExample } from '../scripts/contract-examples.fixture';
import { validateEventData } from './event-data.validator';
import {
  deadLetterTopicOf,
  eventKeyOf,
  registrySchemaOf,
  subjectOf,
  topicOf,
} from './event-routing.resolver';
import { EVENT_CATALOGUE } from './generated/event-catalogue';
import type { EventDataByType, EventType } from './generated/event-data.types';

function validExample<T extends EventType>(type: T, file: string): EventDataByType[T] {
  const result = validateEventData(type, readExample(file));
  if (!result.ok) throw new Error(result.errors.join('; '));
  return result.data;
}

describe('event routing', () => {
  it('keys an event by its aggregate id', () => {
    const type = 'io.resiliencefabric.image.promoted.v1';

    expect(eventKeyOf(type, validExample(type, 'image.promoted.v1.valid.json'))).toBe('ubuntu-22-04-base');
  });

  it('keys ledger evidence by the decimal entry index', () => {
    const type = 'io.resiliencefabric.evidence.appended.v1';

    expect(eventKeyOf(type, validExample(type, 'evidence.appended.v1.valid.json'))).toBe('10412');
  });

  it('uses the event type as registry subject (RecordNameStrategy)', () => {
    expect(subjectOf('io.resiliencefabric.asset.discovered.v1')).toBe(
      'io.resiliencefabric.asset.discovered.v1',
    );
  });

  it('routes to the topic and its dead-letter topic', () => {
    const topic = topicOf('io.resiliencefabric.drift.snapshot.v1');

    expect(topic).toBe('rf.drift.drift.v1');
    expect(deadLetterTopicOf(topic)).toBe('rf.drift.drift.v1.dlq');
  });

  it('registers the schema without its dialect marker, otherwise unchanged', () => {
    const type = 'io.resiliencefabric.drift.resolved.v1';
    const { $schema: dialect, ...rest } = EVENT_CATALOGUE[type].schema;

    expect(dialect).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(JSON.parse(registrySchemaOf(type))).toEqual(rest);
    expect(registrySchemaOf(type)).not.toContain('$schema');
  });
});
