import { listEventHandlers, listRoutes } from '@rf/platform-auth/testing';
import { testServiceEnvironment } from '@rf/platform-testing';
import { loadDriftConfig } from './drift.config';
import { DriftModule } from './drift.module';

describe('drift routes', () => {
  const routes = listRoutes(DriftModule.register(loadDriftConfig(testServiceEnvironment('drift'))));

  it('are each @Authorize or @Public', () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes.filter((r) => r.guard === 'none' || r.guard === 'authenticated')).toEqual([]);
  });

  it('leave only the probes public', () => {
    expect(routes.filter((r) => r.guard === 'public').every((r) => !r.path.startsWith('/api/'))).toBe(true);
  });

  it('ask for reading drift, and reading, publishing, promoting or revoking images', () => {
    const guard = Object.fromEntries(routes.map((r) => [`${r.handler} ${r.path}`, r.action ?? r.guard]));
    expect(guard).toMatchObject({
      'drift /api/v1/drift': 'drift.read',
      'trend /api/v1/drift/trend': 'drift.read',
      'list /api/v1/images': 'image.read',
      'get /api/v1/images/:id': 'image.read',
      'sbom /api/v1/images/:id/sbom': 'image.read',
      'sbomDiff /api/v1/images/:id/sbom/diff': 'image.read',
      'publish /api/v1/images': 'image.publish',
      'promote /api/v1/images/:id/promote': 'image.promote',
      'rollback /api/v1/images/:id/rollback': 'image.promote',
      'revoke /api/v1/images/:id/revoke': 'image.revoke',
    });
  });

  it('mark each event handler as acting through the gate or only recording', () => {
    const handlers = listEventHandlers(
      DriftModule.register(loadDriftConfig(testServiceEnvironment('drift'))),
    );
    expect(handlers.filter((h) => h.guard === 'none')).toEqual([]);
    expect(
      Object.fromEntries(handlers.map((h) => [`${h.controller}.${h.handler}`, h.action ?? h.guard])),
    ).toEqual({
      'DriftInputConsumer.assetSeen': 'records',
      'DriftInputConsumer.assetRemoved': 'records',
      'DriftInputConsumer.imagePublished': 'records',
      'DriftInputConsumer.imagePromoted': 'records',
      'DriftInputConsumer.imageRevoked': 'records',
      'DriftInputConsumer.remediationPlanned': 'records',
      'DriftInputConsumer.remediationRolledBack': 'records',
    });
  });
});
