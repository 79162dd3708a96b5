import {
  DEAD_LETTER_CONVENTION,
  EVENT_CATALOGUE,
  EVENT_TYPES,
  isEventType,
  registrySchemaOf,
  TOPIC_CATALOGUE,
  validateEventData,
} from '@rf/contracts';
import type { EventCatalogue, EventDescriptor } from './event-catalogue.port';
import type { TopicSpec } from './provisioning/topic-provisioner';

const DESCRIPTORS: ReadonlyMap<string, EventDescriptor> = new Map(
  EVENT_TYPES.map((type) => {
    const entry = EVENT_CATALOGUE[type];
    return [
      type,
      {
        type,
        topic: entry.topic,
        keyField: entry.key,
        subject: entry.subject,
        schema: entry.schema,
        registrySchema: registrySchemaOf(type),
        producer: entry.producer,
      },
    ];
  }),
);

/** The event catalogue generated from contracts/events, as the backbone consumes it. */
export const CONTRACT_EVENT_CATALOGUE: EventCatalogue = {
  describe: (type) => DESCRIPTORS.get(type),
  validate: (type, data) => {
    if (!isEventType(type)) return { ok: false, errors: [`unknown event type ${type}`] };
    const result = validateEventData(type, data);
    return result.ok ? { ok: true } : { ok: false, errors: result.errors };
  },
  all: () => [...DESCRIPTORS.values()],
};

/** Every topic of the contracts, and its dead-letter topic. */
export function contractTopicSpecs(): TopicSpec[] {
  return Object.values(TOPIC_CATALOGUE).flatMap((topic) => [
    {
      name: topic.name,
      partitions: topic.partitions,
      replicationFactor: topic.replicationFactor,
      config: { ...topic.config },
    },
    {
      name: topic.deadLetterTopic,
      partitions: DEAD_LETTER_CONVENTION.partitions,
      replicationFactor: DEAD_LETTER_CONVENTION.replicationFactor,
      config: { ...DEAD_LETTER_CONVENTION.config },
    },
  ]);
}
