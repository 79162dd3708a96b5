import { listEventHandlers, listRoutes } from '@rf/platform-auth/testing';
import { testServiceEnvironment } from '@rf/platform-testing';
import { loadLedgerConfig } from './ledger.config';
import { LedgerModule } from './ledger.module';

describe('ledger routes', () => {
  const routes = listRoutes(LedgerModule.register(loadLedgerConfig(testServiceEnvironment('ledger'))));

  it('are each @Authorize or @Public', () => {
    expect(routes.length).toBeGreaterThanOrEqual(5);
    expect(routes.filter((r) => r.guard === 'none' || r.guard === 'authenticated')).toEqual([]);
  });

  it("guard what carries an organisation's entries and leave the whole log's hashes public", () => {
    const guard = Object.fromEntries(routes.map((r) => [r.path, r.action ?? r.guard]));
    expect(guard).toMatchObject({
      '/api/v1/ledger/checkpoint': 'public',
      // It serves the entry's leaf (type, subject, organisation): the caller's organisation's only.
      '/api/v1/ledger/proof/inclusion': 'ledger.read',
      '/api/v1/ledger/proof/consistency': 'public',
      '/api/v1/ledger/entries/:index': 'ledger.read',
      '/api/v1/ledger/audit-bundle': 'ledger.export',
      '/api/v1/ledger/evidence-packs': 'ledger.export',
      '/healthz': 'public',
    });
  });

  it('mark each event handler as acting through the gate or only recording', () => {
    const handlers = listEventHandlers(
      LedgerModule.register(loadLedgerConfig(testServiceEnvironment('ledger'))),
    );
    expect(handlers.filter((h) => h.guard === 'none')).toEqual([]);
    expect(
      Object.fromEntries(handlers.map((h) => [`${h.controller}.${h.handler}`, h.action ?? h.guard])),
    ).toEqual({ 'EvidenceEventConsumer.append': 'records' });
  });
});
