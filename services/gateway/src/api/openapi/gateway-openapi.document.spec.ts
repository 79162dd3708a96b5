import { listRoutes } from '@rf/platform-auth/testing';
import { testServiceEnvironment } from '@rf/platform-testing';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../../../package.json';
import { DEFAULT_GATEWAY_ROUTES } from '../../domain/gateway-route';
import { loadGatewayConfig } from '../../gateway.config';
import { GatewayModule } from '../../gateway.module';
import {
  buildGatewayOpenApi,
  gatewayEndpointFor,
  gatewayRouteKey,
  renderGatewayOpenApi,
} from './gateway-openapi.document';
import { readLeastRoles, readServiceOpenApis } from './service-openapi.reader';

const PRETTIER = join(__dirname, '../../../../../node_modules/.bin/prettier');
const CONTRACTS = join(__dirname, '../../../../../contracts/openapi');
const COMMITTED = join(CONTRACTS, 'gateway.openapi.json');
const LEAST_ROLES = readLeastRoles(join(__dirname, '../../../../../contracts/policies/authz/authz.rego'));

interface Operation {
  readonly operationId: string;
  readonly 'x-rf-action'?: string;
  readonly 'x-rf-gateway-route'?: string;
}
type Paths = Record<string, Record<string, Operation>>;

describe('the committed gateway OpenAPI document', () => {
  it("is the aggregate of the route table and the services' committed documents (regenerate: services/gateway/scripts/write-openapi.ts)", () => {
    // Formatted as the repository formats it (prettier runs as a tool: it cannot load inside jest).
    const generated = execFileSync(PRETTIER, ['--stdin-filepath', COMMITTED], {
      input: renderGatewayOpenApi(
        DEFAULT_GATEWAY_ROUTES,
        version,
        LEAST_ROLES,
        readServiceOpenApis(CONTRACTS),
      ),
      encoding: 'utf8',
    });
    expect(readFileSync(COMMITTED, 'utf8')).toBe(generated);
  });

  const document = JSON.parse(readFileSync(COMMITTED, 'utf8')) as { paths: Paths };
  const operations = Object.entries(document.paths).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ method: method.toUpperCase(), path, op })),
  );

  it('holds every operation the services document, as the gateway forwards it', () => {
    for (const service of readServiceOpenApis(CONTRACTS)) {
      const paths = (service.document as unknown as { paths: Paths }).paths;
      for (const [path, ops] of Object.entries(paths)) {
        for (const [method, op] of Object.entries(ops)) {
          const target = gatewayEndpointFor(DEFAULT_GATEWAY_ROUTES, method, path);
          expect(target?.route.upstream).toBe(service.service);
          expect(document.paths[path]?.[method]).toMatchObject({
            operationId: `${service.service}_${op.operationId}`,
            'x-rf-action': target?.endpoint.action,
            'x-rf-gateway-route': target && gatewayRouteKey(target.route, target.endpoint),
          });
        }
      }
    }
  });

  it('documents every route of the gateway, and nothing it does not route', () => {
    const routes = listRoutes(GatewayModule.register(loadGatewayConfig(testServiceEnvironment('gateway'))))
      .filter((r) => r.path.startsWith('/api/v1/'))
      .map((r) => `${r.method} ${r.path}`);
    // Each operation is served by exactly one gateway route: a forwarded one, or the gateway's own.
    const served = operations.map(({ method, path, op }) => {
      const route = op['x-rf-gateway-route'] ?? `${method} ${path.replace(/\{([^}]+)\}/gu, ':$1')}`;
      expect(routes).toContain(route);
      if (op['x-rf-gateway-route']) {
        expect(gatewayEndpointFor(DEFAULT_GATEWAY_ROUTES, method, path)).toBeDefined();
      }
      return route;
    });
    expect([...new Set(served)].sort()).toEqual([...new Set(routes)].sort());
    const tableActions = DEFAULT_GATEWAY_ROUTES.flatMap((r) =>
      r.endpoints.map((e) => [gatewayRouteKey(r, e), e.action]),
    );
    for (const [route, action] of tableActions) {
      expect(
        operations.filter(({ op }) => op['x-rf-gateway-route'] === route).map(({ op }) => op['x-rf-action']),
      ).toEqual(expect.arrayContaining([action]));
    }
  });

  it('has unique operation ids and resolves every reference', () => {
    const ids = operations.map(({ op }) => op.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    const text = readFileSync(COMMITTED, 'utf8');
    const components = (JSON.parse(text) as { components: Record<string, Record<string, unknown>> })
      .components;
    for (const [, kind, name] of text.matchAll(/"\$ref": "#\/components\/([A-Za-z]+)\/([^"]+)"/gu)) {
      expect(components[kind as string]).toHaveProperty([name as string]);
    }
  });

  it('names the least role the authorisation policy grants each action', () => {
    expect(LEAST_ROLES).toMatchObject({
      'asset.read': 'viewer',
      'ledger.export': 'operator',
      'remediation.start': 'engineer',
      'apikey.manage': 'admin',
    });
    const document = JSON.parse(readFileSync(COMMITTED, 'utf8')) as {
      paths: Record<string, Record<string, { description?: string }>>;
    };
    expect(document.paths['/api/v1/ledger/evidence-packs']?.['post']?.description).toContain(
      '`ledger.export` (operator or above)',
    );
    expect(() => buildGatewayOpenApi(DEFAULT_GATEWAY_ROUTES, '1', {})).toThrow(/grants no role/);
  });

  it('refuses a service document with an operation the gateway does not forward', () => {
    const stray = {
      service: 'inventory',
      file: 'inventory.openapi.json',
      document: { paths: { '/api/v1/drift': { get: {} } } },
    };
    expect(() => buildGatewayOpenApi(DEFAULT_GATEWAY_ROUTES, '1', LEAST_ROLES, [stray])).toThrow(
      'inventory.openapi.json: the gateway forwards no GET /api/v1/drift to inventory',
    );
  });
});
