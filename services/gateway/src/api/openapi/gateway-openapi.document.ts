import type { GatewayEndpoint, GatewayRoute } from '../../domain/gateway-route';

/** The least role each action needs, as the authorisation policy grants it (`action_min_role`). */
export type LeastRoles = Readonly<Record<string, string>>;

function requirement(leastRoles: LeastRoles, action: string): string {
  const role = leastRoles[action];
  if (role === undefined) throw new Error(`the authorisation policy grants no role ${action}`);
  return `\`${action}\` (${role} or above) in the request's scope.`;
}

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

/** A service's committed OpenAPI document (contracts/openapi/<service>[-part].openapi.{json,yaml}). */
export interface ServiceOpenApi {
  readonly service: string;
  /** The file it came from, for messages. */
  readonly file: string;
  readonly document: Json;
}

const problem = (description: string): Json => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const COMMON_RESPONSES: Record<string, Json> = {
  '400': problem('Invalid request, or a page size over the cap (LIMIT.PAGE_SIZE_EXCEEDED)'),
  '401': problem('No or invalid credentials (AUTH.*)'),
  '403': problem(
    'Denied by policy (AUTH.POLICY_DENIED), or outside an API key’s scopes (AUTH.SCOPE_MISSING)',
  ),
  '404': problem('Not found, including another organisation’s resources (TENANCY.NOT_FOUND)'),
  '413': problem('Request body over the size cap'),
  '429': {
    description: 'Rate limit of the organisation or the credential exceeded (LIMIT.RATE_LIMITED)',
    headers: { 'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait' } },
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  },
  '503': problem('Policy gate or upstream service unavailable'),
};

const SCOPE_PARAMETERS: Json[] = [
  { $ref: '#/components/parameters/org' },
  { $ref: '#/components/parameters/project' },
  { $ref: '#/components/parameters/env' },
];

function openApiPath(prefix: string, path: string): string {
  const below = path.replace(/:([A-Za-z0-9_]+)/gu, '{$1}').replace('*path', '{path}');
  return ['/api/v1', prefix, below].filter((p) => p.length > 0).join('/');
}

function routedOperation(route: GatewayRoute, endpoint: GatewayEndpoint, leastRoles: LeastRoles): Json {
  const wildcard = endpoint.path.includes('*path');
  return {
    tags: [route.upstream],
    summary: endpoint.summary,
    description: `Forwarded to the ${route.upstream} service. Requires ${requirement(leastRoles, endpoint.action)}`,
    operationId:
      `${endpoint.method.toLowerCase()}_${route.prefix}_${endpoint.path.replace(/[^A-Za-z0-9]+/gu, '_') || 'collection'}`.replace(
        /_+$/u,
        '',
      ),
    'x-rf-action': endpoint.action,
    'x-rf-upstream': route.upstream,
    parameters: [
      ...(wildcard
        ? [
            {
              name: 'path',
              in: 'path',
              required: true,
              description: 'The rest of the service path',
              schema: { type: 'string' },
            },
          ]
        : []),
      ...SCOPE_PARAMETERS,
      ...(endpoint.method === 'GET' ? [{ $ref: '#/components/parameters/limit' }] : []),
    ],
    ...(endpoint.method === 'GET' || endpoint.method === 'DELETE'
      ? {}
      : { requestBody: { description: 'Forwarded unchanged', content: { '*/*': { schema: {} } } } }),
    responses: {
      '200': { description: `The ${route.upstream} service's answer, unchanged` },
      ...COMMON_RESPONSES,
    },
  };
}

const isObject = (value: Json | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The route-table endpoint the gateway forwards `method path` with: the first that matches, as the gateway routes. */
export function gatewayEndpointFor(
  routes: readonly GatewayRoute[],
  method: string,
  path: string,
): { route: GatewayRoute; endpoint: GatewayEndpoint } | undefined {
  const match = /^\/api\/v1\/([^/]+)(?:\/(.*))?$/u.exec(path);
  if (!match) return undefined;
  const [, prefix, rest = ''] = match;
  const route = routes.find((r) => r.prefix === prefix);
  const endpoint = route?.endpoints.find(
    (e) => e.method === method.toUpperCase() && endpointPattern(e.path).test(rest),
  );
  return route && endpoint ? { route, endpoint } : undefined;
}

function endpointPattern(path: string): RegExp {
  const escaped = path
    .split('/')
    .map((segment) =>
      segment === '*path'
        ? '.+'
        : segment.startsWith(':')
          ? '[^/]+'
          : segment.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${escaped}$`, 'u');
}

/** `METHOD /api/v1/<prefix>/<path>` as the route table writes it: what an operation is forwarded by. */
export function gatewayRouteKey(route: GatewayRoute, endpoint: GatewayEndpoint): string {
  return `${endpoint.method} ${['/api/v1', route.prefix, endpoint.path].filter((p) => p.length > 0).join('/')}`;
}

/** Rewrites local `$ref`s to the service-qualified component names the aggregate uses. */
function qualify(value: Json, service: string): Json {
  if (Array.isArray(value)) return value.map((v) => qualify(v, service));
  if (!isObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [
      key,
      key === '$ref' && typeof v === 'string'
        ? v.replace(/^#\/components\/([A-Za-z]+)\/(.+)$/u, `#/components/$1/${service}.$2`)
        : qualify(v, service),
    ]),
  );
}

/** Names of the parameters an operation declares, following local component references. */
function parameterNames(parameters: Json | undefined, components: JsonObject): Set<string> {
  const names = new Set<string>();
  for (const p of Array.isArray(parameters) ? parameters : []) {
    if (!isObject(p)) continue;
    const ref =
      typeof p['$ref'] === 'string' ? /#\/components\/parameters\/(.+)$/u.exec(p['$ref'])?.[1] : undefined;
    const resolved = ref === undefined ? p : (components['parameters'] as JsonObject | undefined)?.[ref];
    if (isObject(resolved) && typeof resolved['name'] === 'string') names.add(resolved['name']);
  }
  return names;
}

/** A service's operation as the gateway serves it: the service's own description, plus what the gateway adds. */
function aggregatedOperation(
  service: ServiceOpenApi,
  operation: JsonObject,
  route: GatewayRoute,
  endpoint: GatewayEndpoint,
  leastRoles: LeastRoles,
): Json {
  const components =
    isObject(service.document) && isObject(service.document['components'])
      ? service.document['components']
      : {};
  const own = parameterNames(operation['parameters'], components);
  const gatewayParameters = [
    ...SCOPE_PARAMETERS,
    ...(endpoint.method === 'GET' ? [{ $ref: '#/components/parameters/limit' }] : []),
  ].filter((p) => !own.has(String((p as { $ref: string }).$ref.split('/').pop())));
  const responses = isObject(operation['responses']) ? operation['responses'] : {};
  const qualified = qualify(operation, service.service) as JsonObject;
  const note = `Through the gateway: requires ${requirement(leastRoles, endpoint.action)}`;
  return {
    ...qualified,
    tags: [route.upstream],
    description:
      typeof operation['description'] === 'string' ? `${operation['description']}\n\n${note}` : note,
    operationId: `${service.service}_${typeof operation['operationId'] === 'string' ? operation['operationId'] : endpoint.method.toLowerCase()}`,
    'x-rf-action': endpoint.action,
    'x-rf-upstream': route.upstream,
    'x-rf-gateway-route': gatewayRouteKey(route, endpoint),
    parameters: [
      ...(Array.isArray(qualified['parameters']) ? qualified['parameters'] : []),
      ...gatewayParameters,
    ],
    responses: {
      ...(qualified['responses'] as JsonObject | undefined),
      ...Object.fromEntries(Object.entries(COMMON_RESPONSES).filter(([code]) => !(code in responses))),
    },
  };
}

/** The services' components under service-qualified names (`inventory.Asset`), references rewritten. */
function serviceComponents(services: readonly ServiceOpenApi[]): Record<string, JsonObject> {
  const merged: Record<string, JsonObject> = {};
  for (const service of services) {
    const components = isObject(service.document) ? service.document['components'] : undefined;
    if (!isObject(components)) continue;
    for (const [kind, entries] of Object.entries(components)) {
      if (!isObject(entries)) continue;
      if (!['schemas', 'parameters', 'responses'].includes(kind)) {
        throw new Error(`${service.file}: components.${kind} cannot be aggregated yet`);
      }
      const target = (merged[kind] ??= {});
      for (const [name, value] of Object.entries(entries))
        target[`${service.service}.${name}`] = qualify(value, service.service);
    }
  }
  return merged;
}

/**
 * The public API of the gateway: its own endpoints, every operation the services document in
 * their committed OpenAPI documents as the gateway forwards it (with the action each needs), and
 * for what no service documents yet, the route table's own description. Committed as
 * contracts/openapi/gateway.openapi.json and checked for drift (`write-openapi.ts --check`, a test).
 */
export function buildGatewayOpenApi(
  routes: readonly GatewayRoute[],
  version: string,
  leastRoles: LeastRoles,
  services: readonly ServiceOpenApi[] = [],
): Json {
  const paths: Record<string, Record<string, Json>> = {
    '/api/v1/me': {
      get: {
        tags: ['gateway'],
        summary: 'The caller as the gateway authenticated it',
        operationId: 'get_me',
        responses: {
          '200': {
            description: 'The caller',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/Me' } } },
          },
          '401': COMMON_RESPONSES['401'] as Json,
          '429': COMMON_RESPONSES['429'] as Json,
        },
      },
    },
    '/api/v1/api-keys': {
      get: {
        tags: ['gateway'],
        summary: 'API keys of the caller’s organisation',
        operationId: 'list_api_keys',
        'x-rf-action': 'apikey.manage',
        responses: {
          '200': {
            description: 'The keys, without secrets',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { items: { type: 'array', items: { $ref: '#/components/schemas/ApiKey' } } },
                },
              },
            },
          },
          ...COMMON_RESPONSES,
        },
      },
      post: {
        tags: ['gateway'],
        summary: 'Issue an API key; the key is in this response only',
        operationId: 'create_api_key',
        'x-rf-action': 'apikey.manage',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: '#/components/schemas/CreateApiKey' } } },
        },
        responses: {
          '201': {
            description: 'The key, shown once',
            content: {
              'application/json': {
                schema: {
                  allOf: [
                    { $ref: '#/components/schemas/ApiKey' },
                    {
                      type: 'object',
                      required: ['key'],
                      properties: {
                        key: { type: 'string', pattern: '^rfk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$' },
                      },
                    },
                  ],
                },
              },
            },
          },
          ...COMMON_RESPONSES,
        },
      },
    },
    '/api/v1/api-keys/{id}': {
      delete: {
        tags: ['gateway'],
        summary: 'Revoke an API key',
        operationId: 'revoke_api_key',
        'x-rf-action': 'apikey.manage',
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: {
          '200': {
            description: 'The revoked key',
            content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiKey' } } },
          },
          ...COMMON_RESPONSES,
        },
      },
    },
  };
  const documented = new Set<string>();
  for (const service of services) {
    const servicePaths = isObject(service.document) ? service.document['paths'] : undefined;
    if (!isObject(servicePaths)) throw new Error(`${service.file} has no paths`);
    for (const [path, item] of Object.entries(servicePaths)) {
      if (!isObject(item)) continue;
      for (const method of METHODS) {
        const operation = item[method];
        if (!isObject(operation)) continue;
        const target = gatewayEndpointFor(routes, method, path);
        if (!target || target.route.upstream !== service.service) {
          throw new Error(
            `${service.file}: the gateway forwards no ${method.toUpperCase()} ${path} to ${service.service}`,
          );
        }
        documented.add(gatewayRouteKey(target.route, target.endpoint));
        (paths[path] ??= {})[method] = aggregatedOperation(
          service,
          operation,
          target.route,
          target.endpoint,
          leastRoles,
        );
      }
    }
  }
  for (const route of routes) {
    for (const endpoint of route.endpoints) {
      if (documented.has(gatewayRouteKey(route, endpoint))) continue;
      const path = openApiPath(route.prefix, endpoint.path);
      const operations = (paths[path] ??= {});
      operations[endpoint.method.toLowerCase()] = {
        ...(routedOperation(route, endpoint, leastRoles) as JsonObject),
        'x-rf-gateway-route': gatewayRouteKey(route, endpoint),
      };
    }
  }
  const fromServices = serviceComponents(services);
  const idString = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Resilience Fabric API',
      version,
      description:
        'The one public REST entry. People authenticate with an OIDC access token, bots and services with an API key (`Authorization: Bearer rfk_…` or `X-API-Key`). Every request acts in the caller’s organisation; `project` and `env` narrow it.',
    },
    servers: [{ url: 'http://127.0.0.1:3000' }],
    security: [{ oidc: [] }, { apiKey: [] }],
    tags: [{ name: 'gateway' }, ...[...new Set(routes.map((r) => r.upstream))].map((name) => ({ name }))],
    paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
    components: {
      securitySchemes: {
        oidc: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
      },
      ...(fromServices['responses'] ? { responses: fromServices['responses'] } : {}),
      parameters: {
        ...fromServices['parameters'],
        org: {
          name: 'org',
          in: 'query',
          description: 'Defaults to the caller’s; another organisation answers 404',
          schema: idString,
        },
        project: { name: 'project', in: 'query', schema: idString },
        env: { name: 'env', in: 'query', schema: idString },
        limit: {
          name: 'limit',
          in: 'query',
          description: 'Page size, capped (400 above the cap)',
          schema: { type: 'integer', minimum: 1 },
        },
      },
      schemas: {
        ...fromServices['schemas'],
        Problem: {
          type: 'object',
          description: 'RFC 9457 problem details',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            code: { type: 'string' },
            correlationId: { type: 'string' },
            metadata: { type: 'object' },
          },
        },
        Grant: {
          type: 'object',
          required: ['role', 'org'],
          properties: {
            role: { enum: ['viewer', 'operator', 'engineer', 'admin'] },
            org: { type: 'string' },
            project: { type: 'string' },
            env: { type: 'string' },
            expiresAt: { type: 'string', format: 'date-time' },
          },
        },
        Me: {
          type: 'object',
          required: ['id', 'kind', 'org', 'authMethod', 'grants'],
          properties: {
            id: { type: 'string' },
            kind: { enum: ['user', 'service', 'schedule'] },
            displayName: { type: ['string', 'null'] },
            org: { type: 'string' },
            authMethod: { enum: ['oidc', 'api_key'] },
            grants: { type: 'array', items: { $ref: '#/components/schemas/Grant' } },
            scopes: { type: ['array', 'null'], items: { type: 'string' } },
          },
        },
        CreateApiKey: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'role', 'scopes', 'expiresAt'],
          properties: {
            name: { type: 'string', minLength: 1, maxLength: 200 },
            role: { enum: ['viewer', 'operator', 'engineer', 'admin'] },
            project: idString,
            env: idString,
            scopes: {
              type: 'array',
              minItems: 1,
              items: { type: 'string', description: 'An action, `prefix.*` or `*`' },
            },
            expiresAt: { type: 'string', format: 'date-time', description: 'Within a year' },
          },
        },
        ApiKey: {
          type: 'object',
          required: ['id', 'prefix', 'name', 'org', 'role', 'scopes', 'createdBy', 'createdAt'],
          properties: {
            id: { type: 'string', format: 'uuid' },
            prefix: { type: 'string' },
            name: { type: 'string' },
            org: { type: 'string' },
            role: { enum: ['viewer', 'operator', 'engineer', 'admin'] },
            project: { type: ['string', 'null'] },
            env: { type: ['string', 'null'] },
            scopes: { type: 'array', items: { type: 'string' } },
            createdBy: { type: 'string' },
            createdAt: { type: 'string', format: 'date-time' },
            expiresAt: { type: ['string', 'null'], format: 'date-time' },
            revokedAt: { type: ['string', 'null'], format: 'date-time' },
            lastUsedAt: { type: ['string', 'null'], format: 'date-time' },
          },
        },
      },
    },
  };
}

export function renderGatewayOpenApi(
  routes: readonly GatewayRoute[],
  version: string,
  leastRoles: LeastRoles,
  services: readonly ServiceOpenApi[] = [],
): string {
  return `${JSON.stringify(buildGatewayOpenApi(routes, version, leastRoles, services), null, 2)}\n`;
}
