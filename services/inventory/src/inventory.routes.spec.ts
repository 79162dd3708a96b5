import { listRoutes } from '@rf/platform-auth/testing';
import { testServiceEnvironment } from '@rf/platform-testing';
import { loadInventoryConfig } from './inventory.config';
import { InventoryModule } from './inventory.module';

describe('inventory routes', () => {
  const routes = listRoutes(
    InventoryModule.register(loadInventoryConfig(testServiceEnvironment('inventory'))),
  );

  it('are each @Authorize or @Public', () => {
    expect(routes.length).toBeGreaterThanOrEqual(11);
    expect(routes.filter((r) => r.guard === 'none' || r.guard === 'authenticated')).toEqual([]);
  });

  it('leave only the probes public', () => {
    expect(routes.filter((r) => r.guard === 'public').every((r) => !r.path.startsWith('/api/'))).toBe(true);
  });

  it('ask for reading, managing connectors or running a scan by what the route does', () => {
    const guard = Object.fromEntries(
      routes.map((r) => [`${r.controller}.${r.handler} ${r.path}`, r.action ?? r.guard]),
    );
    expect(guard).toMatchObject({
      'AssetsController.list /api/v1/assets': 'asset.read',
      'AssetsController.get /api/v1/assets/:id': 'asset.read',
      'ScansController.list /api/v1/scans': 'asset.read',
      'ScansController.get /api/v1/scans/:id': 'asset.read',
      'ConnectorsController.list /api/v1/connectors': 'asset.read',
      'ConnectorsController.get /api/v1/connectors/:id': 'asset.read',
      'ConnectorsController.create /api/v1/connectors': 'connector.manage',
      'ConnectorsController.update /api/v1/connectors/:id': 'connector.manage',
      'ConnectorsController.remove /api/v1/connectors/:id': 'connector.manage',
      'ConnectorsController.test /api/v1/connectors/:id/test': 'connector.manage',
      'ConnectorsController.scan /api/v1/connectors/:id/scans': 'scan.run',
    });
  });
});
