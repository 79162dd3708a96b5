export type { CompiledValidator } from './compiled-validator.types';
export type {
  CleanupPolicy,
  DeadLetterTopicSpec,
  EventCatalogueEntry,
  EventKeyField,
  EventProducer,
  JsonSchemaDocument,
  ServiceName,
  TopicConfig,
  TopicSpec,
} from './event-catalogue.types';
export {
  formatValidationError,
  isEventType,
  validateEventData,
  type EventDataValidation,
} from './event-data.validator';
export {
  deadLetterTopicOf,
  eventKeyOf,
  registrySchemaOf,
  subjectOf,
  topicOf,
} from './event-routing.resolver';
export * from './generated/event-catalogue';
export type * from './generated/event-data.types';
export * from './generated/event-schemas';
export { CLOUDEVENT_HEADERS_VALIDATOR, DEAD_LETTER_HEADERS_VALIDATOR } from './generated/event-validators';
