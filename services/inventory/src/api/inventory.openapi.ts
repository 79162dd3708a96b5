import { join } from 'node:path';
import { z } from 'zod';
import {
  CreateConnectorBody,
  IdParams,
  ListAssetsQuery,
  ListConnectorsQuery,
  ListScansQuery,
  UpdateConnectorBody,
} from './inventory-request.schemas';
import {
  AssetDetailView,
  AssetPageView,
  ConnectionTestView,
  ConnectorPageView,
  ConnectorView,
  RESPONSE_SCHEMAS,
  ScanPageView,
  ScanView,
} from './inventory-response.views';

/** The committed document; CI fails when it differs from `inventoryOpenApiDocument`. */
export const INVENTORY_OPENAPI_PATH = join(__dirname, '../../../../contracts/openapi/inventory.openapi.json');

export type HttpMethod = 'get' | 'post' | 'patch' | 'delete';

export interface InventoryOperation {
  readonly method: HttpMethod;
  /** OpenAPI form, e.g. `/api/v1/assets/{id}`. */
  readonly path: string;
  readonly operationId: string;
  readonly summary: string;
  readonly pathParams?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  readonly success: {
    readonly status: number;
    readonly description: string;
    readonly schema?: z.ZodType;
    readonly location?: boolean;
  };
  /** Problem statuses besides 500. */
  readonly problems: readonly number[];
}

/** Every route the inventory serves; the document below and a test against the controllers use it. */
export const INVENTORY_OPERATIONS: readonly InventoryOperation[] = [
  {
    method: 'get',
    path: '/api/v1/assets',
    operationId: 'listAssets',
    summary: 'Active assets, filtered, in a stable order with cursor pagination',
    query: ListAssetsQuery,
    success: { status: 200, description: 'One page of assets', schema: AssetPageView },
    problems: [400],
  },
  {
    method: 'get',
    path: '/api/v1/assets/{id}',
    operationId: 'getAsset',
    summary: 'One asset (removed ones too) with its graph edges',
    pathParams: IdParams,
    success: { status: 200, description: 'The asset', schema: AssetDetailView },
    problems: [400, 404],
  },
  {
    method: 'get',
    path: '/api/v1/connectors',
    operationId: 'listConnectors',
    summary: 'Configured connectors',
    query: ListConnectorsQuery,
    success: { status: 200, description: 'One page of connectors', schema: ConnectorPageView },
    problems: [400],
  },
  {
    method: 'post',
    path: '/api/v1/connectors',
    operationId: 'createConnector',
    summary: 'Configure a connector; credentials are references, never secrets',
    body: CreateConnectorBody,
    success: { status: 201, description: 'The connector', schema: ConnectorView, location: true },
    problems: [400, 409],
  },
  {
    method: 'get',
    path: '/api/v1/connectors/{id}',
    operationId: 'getConnector',
    summary: 'One connector',
    pathParams: IdParams,
    success: { status: 200, description: 'The connector', schema: ConnectorView },
    problems: [400, 404],
  },
  {
    method: 'patch',
    path: '/api/v1/connectors/{id}',
    operationId: 'updateConnector',
    summary: 'Change a connector; absent fields keep their value',
    pathParams: IdParams,
    body: UpdateConnectorBody,
    success: { status: 200, description: 'The connector', schema: ConnectorView },
    problems: [400, 404, 409],
  },
  {
    method: 'delete',
    path: '/api/v1/connectors/{id}',
    operationId: 'deleteConnector',
    summary: 'Remove a connector; its assets and scan history stay',
    pathParams: IdParams,
    success: { status: 204, description: 'Deleted' },
    problems: [400, 404, 409],
  },
  {
    method: 'post',
    path: '/api/v1/connectors/{id}/test',
    operationId: 'testConnector',
    summary: 'Check that the connector reaches its provider with its credentials',
    pathParams: IdParams,
    success: { status: 200, description: 'The outcome, failed or not', schema: ConnectionTestView },
    problems: [400, 404],
  },
  {
    method: 'post',
    path: '/api/v1/connectors/{id}/scans',
    operationId: 'startScan',
    summary: 'Scan the connector now, in the background',
    pathParams: IdParams,
    success: { status: 202, description: 'The running scan', schema: ScanView, location: true },
    problems: [400, 404, 409],
  },
  {
    method: 'get',
    path: '/api/v1/scans',
    operationId: 'listScans',
    summary: 'Scan history, newest first',
    query: ListScansQuery,
    success: { status: 200, description: 'One page of scans', schema: ScanPageView },
    problems: [400],
  },
  {
    method: 'get',
    path: '/api/v1/scans/{id}',
    operationId: 'getScan',
    summary: 'One scan: status, counts, timings and problems',
    pathParams: IdParams,
    success: { status: 200, description: 'The scan', schema: ScanView },
    problems: [400, 404],
  },
];

type JsonSchema = Record<string, unknown>;

const PROBLEM_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid input; `metadata.errors` lists each invalid field',
  404: 'No such resource',
  409: 'Conflicts with the current state (a scan of the connector runs, the name is taken, …)',
  500: 'Unexpected failure; details stay in the service log',
};

const PROBLEM_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'RFC 9457 problem details',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    instance: { type: 'string' },
    code: { type: 'string', description: 'Namespaced error code, e.g. INVENTORY.SCAN_ALREADY_RUNNING' },
    correlationId: { type: 'string' },
    metadata: {
      type: 'object',
      properties: {
        errors: {
          type: 'array',
          items: {
            type: 'object',
            properties: { field: { type: 'string' }, message: { type: 'string' } },
            required: ['field', 'message'],
          },
        },
      },
    },
  },
  required: ['type', 'title', 'status', 'instance', 'code'],
};

/** JSON Schema as zod emits it, without the noise an OpenAPI document does not need. */
function tidy(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(tidy);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  const record = schema as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    if (key === '$schema' || key === '$id') continue;
    // A named format says it; the generated regular expression only repeats it.
    if (key === 'pattern' && (record['format'] === 'uuid' || record['format'] === 'date-time')) continue;
    out[key] = tidy(value);
  }
  return out;
}

function inputSchema(schema: z.ZodType): JsonSchema {
  return tidy(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' })) as JsonSchema;
}

function parameters(operation: InventoryOperation): JsonSchema[] {
  const of = (where: 'path' | 'query', object: z.ZodObject | undefined): JsonSchema[] => {
    if (!object) return [];
    const schema = inputSchema(object);
    const properties = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema['required'] ?? []) as string[]);
    return Object.entries(properties).map(([name, property]) => {
      const { description, ...rest } = property;
      return {
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(typeof description === 'string' ? { description } : {}),
        schema: rest,
      };
    });
  };
  return [...of('path', operation.pathParams), ...of('query', operation.query)];
}

function componentRef(schema: z.ZodType): JsonSchema {
  const id = RESPONSE_SCHEMAS.get(schema)?.id;
  if (id === undefined) throw new Error('response schemas must be registered in RESPONSE_SCHEMAS');
  return { $ref: `#/components/schemas/${id}` };
}

const problemResponse = (status: number) => ({
  description: PROBLEM_DESCRIPTIONS[status] ?? 'Problem',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

function operationObject(operation: InventoryOperation): JsonSchema {
  const { success } = operation;
  const params = parameters(operation);
  const responses: Record<string, unknown> = {
    [String(success.status)]: {
      description: success.description,
      ...(success.location
        ? { headers: { Location: { description: 'URL of the resource', schema: { type: 'string' } } } }
        : {}),
      ...(success.schema
        ? { content: { 'application/json': { schema: componentRef(success.schema) } } }
        : {}),
    },
  };
  for (const status of [...operation.problems, 500]) responses[String(status)] = problemResponse(status);
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    tags: [operation.path.split('/')[3] ?? 'inventory'],
    ...(params.length > 0 ? { parameters: params } : {}),
    ...(operation.body
      ? {
          requestBody: {
            required: true,
            content: { 'application/json': { schema: inputSchema(operation.body) } },
          },
        }
      : {}),
    responses,
  };
}

/** The inventory's OpenAPI 3.1 document, generated from the schemas that validate and shape the API. */
export function inventoryOpenApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of INVENTORY_OPERATIONS) {
    (paths[operation.path] ??= {})[operation.method] = operationObject(operation);
  }
  const generated = z.toJSONSchema(RESPONSE_SCHEMAS, { uri: (id) => `#/components/schemas/${id}` });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Resilience Fabric inventory',
      version,
      description:
        'Assets discovered by read-only connectors, the connectors themselves, and their scans. ' +
        'Every error is an RFC 9457 problem (application/problem+json).',
    },
    servers: [{ url: 'http://127.0.0.1:3101', description: 'Local development' }],
    paths,
    components: { schemas: { ...(tidy(generated.schemas) as JsonSchema), Problem: PROBLEM_SCHEMA } },
  };
}
