import { RequestMethod } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { ImagesController } from './images.controller';

const DOCUMENT = resolve(__dirname, '../../../../../contracts/openapi/drift-images.openapi.yaml');

interface OpenApi {
  paths: Record<string, Record<string, { 'x-rf-action'?: string }>>;
}

/** `GET /api/v1/images/{id}` for every route the controller serves. */
function controllerRoutes(): string[] {
  const base = Reflect.getMetadata(PATH_METADATA, ImagesController) as string;
  const prototype = ImagesController.prototype as unknown as Record<string, object>;
  return Object.getOwnPropertyNames(prototype)
    .filter((name) => name !== 'constructor' && Reflect.hasMetadata(METHOD_METADATA, prototype[name]!))
    .map((name) => {
      const handler = prototype[name]!;
      const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const path = Reflect.getMetadata(PATH_METADATA, handler) as string;
      const full = `/${base}${path === '/' ? '' : `/${path}`}`.replace(/:([a-z]+)/g, '{$1}');
      return `${method} ${full}`;
    })
    .sort();
}

describe('contracts/openapi/drift-images.openapi.yaml', () => {
  const doc = parse(readFileSync(DOCUMENT, 'utf8')) as OpenApi;

  it('documents exactly the routes the images controller serves', () => {
    const documented = Object.entries(doc.paths)
      .flatMap(([path, operations]) => Object.keys(operations).map((m) => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(controllerRoutes());
    expect(documented).toHaveLength(8);
  });

  it('names the authorisation action of every operation', () => {
    const actions = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).map((op) => op['x-rf-action']),
    );
    expect(new Set(actions)).toEqual(
      new Set(['image.read', 'image.publish', 'image.promote', 'image.revoke']),
    );
  });
});
