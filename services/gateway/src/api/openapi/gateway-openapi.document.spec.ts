import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { version } from '../../../package.json';
import { DEFAULT_GATEWAY_ROUTES } from '../../domain/gateway-route';
import { renderGatewayOpenApi } from './gateway-openapi.document';

const PRETTIER = join(__dirname, '../../../../../node_modules/.bin/prettier');
const COMMITTED = join(__dirname, '../../../../../contracts/openapi/gateway.openapi.json');

describe('the committed gateway OpenAPI document', () => {
  it('matches the route table (regenerate: services/gateway/scripts/write-openapi.ts)', () => {
    // Formatted as the repository formats it (prettier runs as a tool: it cannot load inside jest).
    const generated = execFileSync(PRETTIER, ['--stdin-filepath', COMMITTED], {
      input: renderGatewayOpenApi(DEFAULT_GATEWAY_ROUTES, version),
      encoding: 'utf8',
    });
    expect(readFileSync(COMMITTED, 'utf8')).toBe(generated);
  });

  it('documents every routed endpoint with its action', () => {
    const document = JSON.parse(readFileSync(COMMITTED, 'utf8')) as {
      paths: Record<string, Record<string, { 'x-rf-action'?: string }>>;
    };
    const actions = Object.values(document.paths).flatMap((ops) =>
      Object.values(ops).map((op) => op['x-rf-action']),
    );
    for (const route of DEFAULT_GATEWAY_ROUTES) {
      for (const e of route.endpoints) expect(actions).toContain(e.action);
    }
    const operations = Object.values(document.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(operations).toBe(DEFAULT_GATEWAY_ROUTES.reduce((n, r) => n + r.endpoints.length, 0) + 4);
  });
});
