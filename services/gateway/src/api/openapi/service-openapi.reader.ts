import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Json, ServiceOpenApi } from './gateway-openapi.document';

export const GATEWAY_OPENAPI_FILE = 'gateway.openapi.json';

/**
 * The services' committed OpenAPI documents in `directory` (contracts/openapi): every
 * `<service>[-part].openapi.{json,yaml}` but the gateway's own, in file-name order. The service is
 * the file name up to the first `-` or `.`.
 */
export function readServiceOpenApis(directory: string): ServiceOpenApi[] {
  return readdirSync(directory)
    .filter((file) => /\.openapi\.(json|ya?ml)$/u.test(file) && file !== GATEWAY_OPENAPI_FILE)
    .sort()
    .map((file) => {
      const text = readFileSync(join(directory, file), 'utf8');
      const document = (file.endsWith('.json') ? JSON.parse(text) : parse(text)) as Json;
      return { service: file.split(/[-.]/u)[0] ?? file, file, document };
    });
}
