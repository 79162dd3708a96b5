import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { Ajv2020 } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

/**
 * A client for the Confluent-compatible registry API. Event schemas are JSON Schema 2020-12, so
 * payloads are validated with the 2020 dialect of ajv, formats included.
 */
export function createSchemaRegistry(registryUrl: string): SchemaRegistry {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return new SchemaRegistry({ host: registryUrl }, { [SchemaType.JSON]: { ajvInstance: ajv } });
}
