import { join } from 'node:path';

/** Where the contracts and their generated artefacts live, relative to the workspace root. */
export const CONTRACT_PATHS = {
  eventsDir: 'contracts/events',
  examplesDir: 'contracts/events/examples',
  topics: 'contracts/events/topics.json',
  topicsSchema: 'contracts/events/meta/topics.schema.json',
  eventSchemaConventions: 'contracts/events/meta/event-schema.schema.json',
  cloudEventHeaders: 'contracts/events/meta/cloudevents-headers.schema.json',
  deadLetterHeaders: 'contracts/events/meta/dead-letter-headers.schema.json',
  generatedDir: 'libs/contracts/src/generated',
  asyncapi: 'contracts/asyncapi.yaml',
} as const;

/** This file sits in libs/contracts/scripts, so the workspace root is three levels up. */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..');

export const EVENT_SCHEMA_SUFFIX = '.schema.json';
