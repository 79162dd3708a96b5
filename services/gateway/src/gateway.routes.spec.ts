import { listRoutes } from '@rf/platform-auth/testing';
import { testServiceEnvironment } from '@rf/platform-testing';
import { DEFAULT_GATEWAY_ROUTES } from './domain/gateway-route';
import { loadGatewayConfig } from './gateway.config';
import { GatewayModule } from './gateway.module';

describe('gateway routes', () => {
  const routes = listRoutes(GatewayModule.register(loadGatewayConfig(testServiceEnvironment('gateway'))));

  it('are each @Authorize, @Public or @Authenticated', () => {
    expect(routes.filter((r) => r.guard === 'none')).toEqual([]);
  });

  it('include every endpoint of the route table, with its action, plus /me, API keys and probes', () => {
    const authorised = new Set(
      routes.filter((r) => r.guard === 'authorize').map((r) => `${r.path} ${r.action}`),
    );
    for (const route of DEFAULT_GATEWAY_ROUTES) {
      for (const e of route.endpoints) {
        const path = ['/api/v1', route.prefix, e.path].filter((p) => p.length > 0).join('/');
        expect(authorised).toContain(`${path} ${e.action}`);
      }
    }
    expect(routes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/api/v1/me', guard: 'authenticated' }),
        expect.objectContaining({
          path: '/api/v1/api-keys/:id',
          guard: 'authorize',
          action: 'apikey.manage',
        }),
        expect.objectContaining({ path: '/healthz', guard: 'public' }),
        expect.objectContaining({ path: '/metrics', guard: 'public' }),
      ]),
    );
  });
});
