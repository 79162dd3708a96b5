import type { ErrorObject } from 'ajv';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONTRACT_PATHS, EVENT_SCHEMA_SUFFIX } from './contract-paths.constants';
import { createStrictAjv } from './json-schema.ajv';
import { isJsonObject, type JsonObject, type JsonValue } from './json-value.types';

export interface EventRouting extends JsonObject {
  readonly type: string;
  readonly topic: string;
  readonly key: string;
  readonly producer: string;
}

/** A schema with what generated code needs to name it. */
export interface NamedSchemaFile extends JsonObject {
  readonly $id: string;
  readonly title: string;
  readonly description: string;
  readonly properties: JsonObject;
}

/** An event data schema that passed contracts/events/meta/event-schema.schema.json. */
export interface EventSchemaFile extends NamedSchemaFile {
  readonly required: readonly string[];
  readonly 'x-rf': EventRouting;
}

export interface EventContract {
  /** File stem, e.g. `asset.discovered.v1`. */
  readonly name: string;
  /** Path relative to the workspace root. */
  readonly file: string;
  readonly type: string;
  /** Type name for generated code; the schema's `title`. */
  readonly typeName: string;
  readonly topic: string;
  readonly key: string;
  readonly producer: string;
  readonly schemaId: string;
  readonly schema: EventSchemaFile;
}

export interface TopicConfigFile extends JsonObject {
  readonly 'cleanup.policy': 'delete' | 'compact' | 'compact,delete';
  readonly 'retention.ms': number;
  readonly 'min.insync.replicas': number;
}

export interface TopicFile extends JsonObject {
  readonly name: string;
  readonly owner: string;
  readonly description: string;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly config: TopicConfigFile;
}

export interface TopicCatalogueFile extends JsonObject {
  readonly dlq: {
    readonly suffix: string;
    readonly partitions: number;
    readonly replicationFactor: number;
    readonly config: TopicConfigFile;
  };
  readonly topics: readonly TopicFile[];
}

export interface ContractSet {
  /** Sorted by event type, so generated output is stable. */
  readonly events: readonly EventContract[];
  readonly topics: TopicCatalogueFile;
  readonly cloudEventHeaders: NamedSchemaFile;
  readonly deadLetterHeaders: NamedSchemaFile;
}

/**
 * Keywords the registry would misread. Apicurio's JSON compatibility checker fails on the
 * 2019-09/2020-12 dialect markers, so schemas are registered without `$schema` (see
 * registrySchemaOf), and it then reads them as draft-04: keywords new since draft-07 would change
 * meaning, and numeric exclusiveMinimum/exclusiveMaximum are booleans in draft-04.
 */
const MISREAD_KEYWORDS = [
  '$anchor',
  '$dynamicAnchor',
  '$dynamicRef',
  '$recursiveAnchor',
  '$recursiveRef',
  'dependentRequired',
  'dependentSchemas',
  'exclusiveMaximum',
  'exclusiveMinimum',
  'maxContains',
  'minContains',
  'prefixItems',
  'unevaluatedItems',
  'unevaluatedProperties',
];

/** Every problem found in the contracts, so one run lists them all. */
export class ContractViolationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`contracts/events has ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
    this.name = 'ContractViolationError';
  }
}

export function eventSchemaFiles(root: string): string[] {
  return readdirSync(join(root, CONTRACT_PATHS.eventsDir))
    .filter((f) => f.endsWith(EVENT_SCHEMA_SUFFIX))
    .sort();
}

/** `asset.discovered.v1` → `AssetDiscoveredV1`; `remediation.rolled_back.v1` → `RemediationRolledBackV1`. */
export function typeNameOf(eventName: string): string {
  return eventName
    .split(/[._]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

export function readJsonFile(root: string, relativePath: string): JsonValue {
  return JSON.parse(readFileSync(join(root, relativePath), 'utf8')) as JsonValue;
}

export function loadContracts(root: string): ContractSet {
  const problems: string[] = [];
  const ajv = createStrictAjv();

  const topicsValid = ajv.compile<TopicCatalogueFile>(
    readObject(root, CONTRACT_PATHS.topicsSchema, problems) ?? {},
  );
  const topics = readJsonFile(root, CONTRACT_PATHS.topics);
  if (!topicsValid(topics)) {
    throw new ContractViolationError(
      describeErrors(CONTRACT_PATHS.topics, topicsValid.errors).concat(problems),
    );
  }
  const topicsByName = new Map(topics.topics.map((t) => [t.name, t]));
  if (topicsByName.size !== topics.topics.length)
    problems.push(`${CONTRACT_PATHS.topics}: duplicate topic names`);

  const conventions = ajv.compile<EventSchemaFile>(
    readObject(root, CONTRACT_PATHS.eventSchemaConventions, problems) ?? {},
  );
  const events: EventContract[] = [];
  for (const fileName of eventSchemaFiles(root)) {
    const file = `${CONTRACT_PATHS.eventsDir}/${fileName}`;
    const name = fileName.slice(0, -EVENT_SCHEMA_SUFFIX.length);
    const schema = readObject(root, file, problems);
    if (schema === undefined) continue;
    if (!conventions(schema)) {
      problems.push(...describeErrors(file, conventions.errors));
      continue;
    }
    const contract: EventContract = {
      name,
      file,
      type: schema['x-rf'].type,
      typeName: schema.title,
      topic: schema['x-rf'].topic,
      key: schema['x-rf'].key,
      producer: schema['x-rf'].producer,
      schemaId: schema.$id,
      schema,
    };
    problems.push(...checkEventContract(contract, topicsByName.get(contract.topic)));
    try {
      ajv.compile(schema);
    } catch (error: unknown) {
      problems.push(`${file}: does not compile in Ajv2020 strict mode: ${String(error)}`);
    }
    events.push(contract);
  }
  events.sort((a, b) => compareStrings(a.type, b.type));

  problems.push(...checkUniqueness(events), ...checkTopicsUsed(topics, events));
  const cloudEventHeaders = readHeaderSchema(root, CONTRACT_PATHS.cloudEventHeaders, problems);
  const deadLetterHeaders = readHeaderSchema(root, CONTRACT_PATHS.deadLetterHeaders, problems);

  if (problems.length > 0 || cloudEventHeaders === undefined || deadLetterHeaders === undefined) {
    throw new ContractViolationError(problems);
  }
  return { events, topics, cloudEventHeaders, deadLetterHeaders };
}

function readHeaderSchema(root: string, file: string, problems: string[]): NamedSchemaFile | undefined {
  const schema = readObject(root, file, problems);
  if (schema === undefined) return undefined;
  try {
    createStrictAjv().compile(schema);
  } catch (error: unknown) {
    problems.push(`${file}: does not compile in Ajv2020 strict mode: ${String(error)}`);
  }
  if (!isNamedSchema(schema)) {
    problems.push(`${file}: needs a string $id, title and description, and properties`);
    return undefined;
  }
  return schema;
}

function isNamedSchema(schema: JsonObject): schema is NamedSchemaFile {
  return (
    typeof schema['$id'] === 'string' &&
    typeof schema['title'] === 'string' &&
    typeof schema['description'] === 'string' &&
    isJsonObject(schema['properties'])
  );
}

/** Cross-file rules that a meta-schema cannot express. */
export function checkEventContract(contract: EventContract, topic: TopicFile | undefined): string[] {
  const { file, name, schema } = contract;
  const problems: string[] = [];
  const expectedId = `https://schemas.resiliencefabric.io/events/${name}.json`;
  if (contract.schemaId !== expectedId) problems.push(`${file}: $id must be ${expectedId}`);
  if (contract.type !== `io.resiliencefabric.${name}`) {
    problems.push(`${file}: x-rf.type must be io.resiliencefabric.${name}`);
  }
  if (contract.typeName !== typeNameOf(name)) problems.push(`${file}: title must be ${typeNameOf(name)}`);
  if (topic === undefined) {
    problems.push(`${file}: x-rf.topic ${contract.topic} is not in ${CONTRACT_PATHS.topics}`);
  } else if (topic.owner !== contract.producer) {
    problems.push(`${file}: x-rf.producer ${contract.producer} differs from the topic owner ${topic.owner}`);
  }
  if (majorOf(contract.type) !== majorOf(contract.topic)) {
    problems.push(
      `${file}: a v${majorOf(contract.type)} type must be published on a v${majorOf(contract.type)} topic`,
    );
  }
  const keySchema = schema.properties[contract.key];
  if (!schema.required.includes(contract.key))
    problems.push(`${file}: key field ${contract.key} must be required`);
  if (!isJsonObject(keySchema) || (keySchema['type'] !== 'string' && keySchema['type'] !== 'integer')) {
    problems.push(`${file}: key field ${contract.key} must be a top-level string or integer property`);
  }
  walkSchema(schema, '#', (node, at) => {
    if ('$ref' in node || '$defs' in node || 'definitions' in node) {
      problems.push(
        `${file}: ${at} uses $ref/$defs; event schemas are self-contained so registries and other languages read them as-is`,
      );
    }
    for (const keyword of MISREAD_KEYWORDS.filter((k) => k in node)) {
      problems.push(
        `${file}: ${at} uses ${keyword}, which the registry's compatibility checker misreads (see MISREAD_KEYWORDS)`,
      );
    }
    if (node['type'] === 'object' && !('additionalProperties' in node)) {
      problems.push(`${file}: ${at} must set additionalProperties (false, or a schema for maps)`);
    }
    const properties = node['properties'];
    // Only data objects: `if`/`then` fragments restate properties without describing them.
    if (node['type'] === 'object' && isJsonObject(properties)) {
      for (const [property, propertySchema] of Object.entries(properties)) {
        if (!isJsonObject(propertySchema) || typeof propertySchema['description'] !== 'string') {
          problems.push(`${file}: ${at}/properties/${property} needs a description`);
        }
      }
    }
  });
  return problems;
}

function checkUniqueness(events: readonly EventContract[]): string[] {
  const problems: string[] = [];
  for (const field of ['type', 'typeName', 'schemaId'] as const) {
    const seen = new Set<string>();
    for (const event of events) {
      if (seen.has(event[field])) problems.push(`${event.file}: ${field} ${event[field]} is not unique`);
      seen.add(event[field]);
    }
  }
  return problems;
}

function checkTopicsUsed(topics: TopicCatalogueFile, events: readonly EventContract[]): string[] {
  const used = new Set(events.map((e) => e.topic));
  return topics.topics
    .filter((t) => !used.has(t.name))
    .map((t) => `${CONTRACT_PATHS.topics}: topic ${t.name} carries no event type`);
}

/** Visits every subschema (not `properties` maps or enum values themselves). */
export function walkSchema(
  node: JsonObject,
  at: string,
  visit: (node: JsonObject, at: string) => void,
): void {
  visit(node, at);
  for (const [keyword, value] of Object.entries(node)) {
    if (keyword === 'enum' || keyword === 'const' || keyword === 'x-rf' || keyword === 'required') continue;
    if (keyword === 'properties' && isJsonObject(value)) {
      for (const [name, sub] of Object.entries(value)) {
        if (isJsonObject(sub)) walkSchema(sub, `${at}/properties/${name}`, visit);
      }
    } else if (isJsonObject(value)) {
      walkSchema(value, `${at}/${keyword}`, visit);
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        if (isJsonObject(item)) walkSchema(item, `${at}/${keyword}/${i}`, visit);
      });
    }
  }
}

function majorOf(versioned: string): string {
  return /\.v([0-9]+)$/.exec(versioned)?.[1] ?? '?';
}

function readObject(root: string, file: string, problems: string[]): JsonObject | undefined {
  try {
    const value = readJsonFile(root, file);
    if (isJsonObject(value)) return value;
    problems.push(`${file}: must hold a JSON object`);
  } catch (error: unknown) {
    problems.push(`${file}: ${String(error)}`);
  }
  return undefined;
}

function describeErrors(file: string, errors: readonly ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map(
    (e) => `${file}: ${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? e.keyword}`,
  );
}

/** Locale-independent ordering, so output does not depend on the machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
