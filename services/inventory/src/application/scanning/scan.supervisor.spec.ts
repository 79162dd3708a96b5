import { RemovalPolicy } from '../../domain/change-detection/removal.policy';
import { InMemoryInventoryStore } from '../../infrastructure/persistence/in-memory-inventory.store';
import { RunScanHandler, type ScanSummary } from '../commands/run-scan/run-scan.handler';
import type { Connector, ConnectorScanRequest, RawAssetPage } from '../ports/connector.port';
import { ScanSupervisor } from './scan.supervisor';

/** Lists one page, then waits until the scan is cancelled. */
class EndlessConnector implements Connector {
  readonly id = '1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9';
  readonly kind = 'aws';

  async *pages(request: ConnectorScanRequest): AsyncGenerator<RawAssetPage> {
    yield {
      records: [
        {
          platform: 'aws',
          account: '123456789012',
          region: 'eu-west-1',
          instanceId: 'i-1',
          state: 'running',
        },
      ],
    };
    await new Promise<void>((resolve) => request.signal.addEventListener('abort', () => resolve()));
    request.signal.throwIfAborted();
  }
}

describe('ScanSupervisor', () => {
  it('refuses a second scan of a running connector, and cancels running scans on shutdown', async () => {
    const store = new InMemoryInventoryStore();
    const handler = new RunScanHandler(store, store, { now: () => new Date() }, new RemovalPolicy(3));
    const finished: ScanSummary[] = [];
    const crashes: unknown[] = [];
    const supervisor = new ScanSupervisor(handler, {
      onCrash: (_id, error) => crashes.push(error),
      onFinish: (summary) => finished.push(summary),
    });
    const connector = new EndlessConnector();
    const started = await supervisor.launch(connector, 'acme', 'on_demand');
    expect(supervisor.runningScans()).toBe(1);
    await expect(supervisor.launch(connector, 'acme', 'scheduled')).rejects.toMatchObject({
      code: 'INVENTORY.SCAN_ALREADY_RUNNING',
    });

    await supervisor.shutdown();
    expect(crashes).toEqual([]);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({ scanId: started.scanId, outcome: 'failed' });
    expect(finished[0]?.problems.map((p) => p.code)).toEqual(['INVENTORY.SCAN_CANCELLED']);
    expect(supervisor.runningScans()).toBe(0);
    await expect(supervisor.launch(connector, 'acme', 'on_demand')).rejects.toMatchObject({
      code: 'INVENTORY.SCAN_FAILED',
    });
  });
});
