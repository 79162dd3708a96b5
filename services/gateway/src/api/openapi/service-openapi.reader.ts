import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Json, LeastRoles, ServiceOpenApi } from './gateway-openapi.document';

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

/**
 * The least role per action from the authorisation policy's `action_min_role` table
 * (contracts/policies/authz/authz.rego), the one place it is defined.
 */
export function readLeastRoles(authzRego: string): LeastRoles {
  const text = readFileSync(authzRego, 'utf8');
  const table = /^action_min_role := \{\n([\s\S]*?)^\}/mu.exec(text)?.[1];
  const roles = Object.fromEntries(
    [...(table ?? '').matchAll(/^\s*"([^"]+)": "([a-z]+)",?$/gmu)].map((m) => [m[1] ?? '', m[2] ?? '']),
  );
  if (Object.keys(roles).length === 0) throw new Error(`${authzRego} has no action_min_role table`);
  return roles;
}
