import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import type { JsonOptions } from '@kafkajs/confluent-schema-registry/dist/@types';
import addFormats from 'ajv-formats';
import { Ajv2020 } from 'ajv/dist/2020';

/**
 * A client for the Confluent-compatible registry API. Event schemas are JSON Schema 2020-12, so
 * payloads are validated with the 2020 dialect of ajv, formats included.
 */
export function createSchemaRegistry(registryUrl: string): SchemaRegistry {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  // The client pins an older ajv in its own dependencies; the instance API it calls is the same.
  const ajvInstance = ajv as unknown as JsonOptions['ajvInstance'];
  return new SchemaRegistry({ host: registryUrl }, { [SchemaType.JSON]: { ajvInstance } });
}
