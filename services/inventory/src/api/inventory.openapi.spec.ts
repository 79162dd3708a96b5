import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { readFileSync } from 'node:fs';
import { version } from '../../package.json';
import { AssetsController } from './assets.controller';
import { ConnectorsController } from './connectors.controller';
import { INVENTORY_OPENAPI_PATH, INVENTORY_OPERATIONS, inventoryOpenApiDocument } from './inventory.openapi';
import { ScansController } from './scans.controller';

const CONTROLLERS = [AssetsController, ConnectorsController, ScansController];

/** `GET /api/v1/assets/{id}` for each route handler the controllers declare. */
function controllerRoutes(): string[] {
  return CONTROLLERS.flatMap((controller) => {
    const base = Reflect.getMetadata(PATH_METADATA, controller) as string;
    const prototype = controller.prototype as unknown as Record<string, unknown>;
    return Object.getOwnPropertyNames(prototype).flatMap((name) => {
      const handler = prototype[name];
      if (name === 'constructor' || typeof handler !== 'function') return [];
      const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
      if (method === undefined) return [];
      const sub = Reflect.getMetadata(PATH_METADATA, handler) as string;
      const path = `/${[base, sub].filter((p) => p && p !== '/').join('/')}`.replace(/:(\w+)/g, '{$1}');
      return [`${RequestMethod[method]} ${path}`];
    });
  });
}

describe('the inventory OpenAPI document', () => {
  it('documents exactly the routes the controllers serve', () => {
    const documented = INVENTORY_OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`);
    expect(controllerRoutes().sort()).toEqual(documented.sort());
  });

  it('is committed as generated (regenerate with services/inventory/scripts/write-openapi.ts)', () => {
    const committed = JSON.parse(readFileSync(INVENTORY_OPENAPI_PATH, 'utf8')) as unknown;
    expect(committed).toEqual(inventoryOpenApiDocument(version));
  });

  it('refers only to schemas it defines', () => {
    const document = inventoryOpenApiDocument(version);
    const text = JSON.stringify(document);
    const schemas = Object.keys((document['components'] as { schemas: object }).schemas);
    const refs = [...text.matchAll(/"#\/components\/schemas\/(\w+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of refs) expect(schemas).toContain(ref);
  });
});
