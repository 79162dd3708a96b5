import type { EventDataByType, EventType, TopicName } from './generated/event-data.types';

/** A JSON Schema document as shipped at runtime; its shape is checked by the generator, not by TypeScript. */
export type JsonSchemaDocument = Readonly<Record<string, unknown>>;

export type ServiceName =
  'inventory' | 'drift' | 'compliance' | 'remediation' | 'ledger' | 'recovery' | 'quantum' | 'gateway';

/** `any`: every service writes its own events of that type (policy decisions, service modes). */
export type EventProducer = ServiceName | 'any';

/** Data fields of `T` that can serve as the Kafka key: top-level strings or integers. */
export type EventKeyField<T extends EventType> = {
  [K in keyof EventDataByType[T]]-?: EventDataByType[T][K] extends string | number ? K : never;
}[keyof EventDataByType[T]] &
  string;

export interface EventCatalogueEntry<T extends EventType = EventType> {
  /** CloudEvents `ce_type`. */
  readonly type: T;
  /** File stem in `contracts/events/`, e.g. `asset.discovered.v1`. */
  readonly name: string;
  readonly topic: TopicName;
  /** Data field whose value, as a string, is the Kafka key and `ce_subject`. */
  readonly key: EventKeyField<T>;
  /** Registry subject (RecordNameStrategy: the event type, since several types share a topic). */
  readonly subject: string;
  readonly producer: EventProducer;
  /** `$id` of the data schema, sent as `ce_dataschema`. */
  readonly schemaId: string;
  readonly schema: JsonSchemaDocument;
}

export type CleanupPolicy = 'delete' | 'compact' | 'compact,delete';

export interface TopicConfig {
  readonly 'cleanup.policy': CleanupPolicy;
  readonly 'retention.ms': number;
  readonly 'min.insync.replicas': number;
  readonly 'min.compaction.lag.ms'?: number;
  readonly 'max.message.bytes'?: number;
}

export interface TopicSpec {
  readonly name: string;
  readonly owner: EventProducer;
  readonly description: string;
  readonly partitions: number;
  /** Production value: creators clamp it, and min.insync.replicas, to the brokers available. */
  readonly replicationFactor: number;
  readonly config: TopicConfig;
  readonly deadLetterTopic: string;
  readonly eventTypes: readonly EventType[];
}

export interface DeadLetterTopicSpec {
  readonly suffix: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly config: TopicConfig;
}
