import { DEAD_LETTER_CONVENTION, EVENT_CATALOGUE } from './generated/event-catalogue';
import type { EventDataByType, EventType } from './generated/event-data.types';

/** The Kafka key (and `ce_subject`) of an event: its aggregate id, as a string. */
export function eventKeyOf<T extends EventType>(type: T, data: EventDataByType[T]): string {
  const value: unknown = Reflect.get(data, EVENT_CATALOGUE[type].key);
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value.toString(10);
  // Unreachable for validated data: the generator only accepts required string or integer keys.
  throw new TypeError(`event ${type} has no usable key in field '${EVENT_CATALOGUE[type].key}'`);
}

export function topicOf(type: EventType): string {
  return EVENT_CATALOGUE[type].topic;
}

/** Registry subject of the value schema (RecordNameStrategy). */
export function subjectOf(type: EventType): string {
  return EVENT_CATALOGUE[type].subject;
}

export function deadLetterTopicOf(topic: string): string {
  return `${topic}${DEAD_LETTER_CONVENTION.suffix}`;
}

/**
 * Schema text to register under {@link subjectOf}: the data schema without `$schema`, because
 * Apicurio's JSON compatibility checker rejects the 2019-09/2020-12 markers ("could not determine
 * version"). Validators still read it as 2020-12 (their default); the generator only admits
 * keywords the checker reads the same way. Every producer registers this exact text, so all get
 * the same schema id.
 */
export function registrySchemaOf(type: EventType): string {
  const schema: Record<string, unknown> = { ...EVENT_CATALOGUE[type].schema };
  delete schema['$schema'];
  return JSON.stringify(schema);
}
