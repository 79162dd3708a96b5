import { listEventHandlers, listRoutes } from '@rf/platform-auth/testing';
import { testServiceEnvironment } from '@rf/platform-testing';
import { loadRemediationConfig } from './remediation.config';
import { RemediationModule } from './remediation.module';

describe('remediation routes', () => {
  const routes = listRoutes(
    RemediationModule.register(loadRemediationConfig(testServiceEnvironment('remediation'))),
  );

  it('are each @Authorize or @Public', () => {
    expect(routes.length).toBeGreaterThanOrEqual(10);
    expect(routes.filter((r) => r.guard === 'none' || r.guard === 'authenticated')).toEqual([]);
  });

  it('leave only the probes public', () => {
    expect(routes.filter((r) => r.guard === 'public').every((r) => !r.path.startsWith('/api/'))).toBe(true);
  });

  it('ask for the action of docs/remediation.md: operators steer, engineers plan and roll out', () => {
    const guard = Object.fromEntries(routes.map((r) => [`${r.handler} ${r.path}`, r.action ?? r.guard]));
    expect(guard).toMatchObject({
      'plan /api/v1/remediation/plans': 'remediation.plan',
      'list /api/v1/remediation/plans': 'remediation.read',
      'status /api/v1/remediation/plans/:id': 'remediation.read',
      'approve /api/v1/remediation/plans/:id/approve': 'remediation.approve',
      'start /api/v1/remediation/plans/:id/start': 'remediation.start',
      'pause /api/v1/remediation/plans/:id/pause': 'remediation.pause',
      'resume /api/v1/remediation/plans/:id/resume': 'remediation.resume',
      'abort /api/v1/remediation/plans/:id/abort': 'remediation.cancel',
      'rollback /api/v1/remediation/plans/:id/rollback': 'remediation.rollback',
      'override /api/v1/remediation/assessments/:id/overrides': 'autonomy.configure',
    });
  });

  it('mark each event handler as acting through the gate or only recording', () => {
    const handlers = listEventHandlers(
      RemediationModule.register(loadRemediationConfig(testServiceEnvironment('remediation'))),
    );
    expect(handlers.filter((h) => h.guard === 'none')).toEqual([]);
    expect(
      Object.fromEntries(handlers.map((h) => [`${h.controller}.${h.handler}`, h.action ?? h.guard])),
    ).toEqual({ 'DriftDetectedConsumer.plan': 'remediation.plan' });
  });
});
