import { listEventHandlers, listRoutes } from '@rf/platform-auth/testing';
import { testServiceEnvironment } from '@rf/platform-testing';
import { loadComplianceConfig } from './compliance.config';
import { ComplianceModule } from './compliance.module';

describe('compliance routes', () => {
  const routes = listRoutes(
    ComplianceModule.register(loadComplianceConfig(testServiceEnvironment('compliance'))),
  );

  it('are each @Authorize or @Public', () => {
    expect(routes.length).toBeGreaterThanOrEqual(5);
    expect(routes.filter((r) => r.guard === 'none' || r.guard === 'authenticated')).toEqual([]);
  });

  it('leave only the probes public', () => {
    expect(routes.filter((r) => r.guard === 'public').every((r) => !r.path.startsWith('/api/'))).toBe(true);
  });

  it('serve scores, trends, badges and the controls catalogue to compliance readers', () => {
    const guard = Object.fromEntries(routes.map((r) => [r.path, r.action ?? r.guard]));
    expect(guard).toMatchObject({
      '/api/v1/compliance/controls': 'compliance.read',
      '/api/v1/compliance/organisation': 'compliance.read',
      '/api/v1/compliance/scores/:kind/:id': 'compliance.read',
      '/api/v1/compliance/scores/:kind/:id/trend': 'compliance.read',
      '/api/v1/compliance/badges/:kind/:file': 'compliance.read',
    });
  });

  it('mark each event handler as acting through the gate or only recording', () => {
    const handlers = listEventHandlers(
      ComplianceModule.register(loadComplianceConfig(testServiceEnvironment('compliance'))),
    );
    expect(handlers.filter((h) => h.guard === 'none')).toEqual([]);
    expect(
      Object.fromEntries(handlers.map((h) => [`${h.controller}.${h.handler}`, h.action ?? h.guard])),
    ).toEqual({ 'ComplianceEventConsumer.apply': 'records' });
  });
});
