import { InMemoryInventoryStore } from '../../../infrastructure/persistence/in-memory-inventory.store';
import { PruneScanHistoryHandler } from './prune-scan-history.handler';

const DAY_MS = 86_400_000;
const NOW = new Date('2026-11-22T12:00:00Z');
const A = '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b';
const B = '7a1d4e90-2c3b-4f8e-a615-0b9d8c7e6f52';

async function history(store: InMemoryInventoryStore, connectorId: string, ageDays: readonly number[]) {
  for (const [i, age] of ageDays.entries()) {
    const startedAt = new Date(NOW.getTime() - age * DAY_MS);
    const scanId = `${connectorId.slice(0, 8)}-0000-4000-8000-${String(i).padStart(12, '0')}`;
    await store.run(async (tx) => {
      await tx.scans.start({
        scanId,
        organisation: 'acme',
        connectorId,
        connectorKind: 'aws',
        trigger: 'scheduled',
        startedAt,
      });
      await tx.scans.finish(scanId, {
        status: 'succeeded',
        finishedAt: startedAt,
        counts: {
          discovered: 0,
          updated: 0,
          removed: 0,
          unchanged: 0,
          duplicates: 0,
          rejected: 0,
          ignored: 0,
        },
        problems: [],
      });
    });
  }
}

describe('PruneScanHistoryHandler', () => {
  it('deletes finished scans past the retention, keeping each connector’s latest ones', async () => {
    const store = new InMemoryInventoryStore();
    await history(store, A, [40, 35, 31, 2, 1]); // sequences 1–5, oldest first
    await history(store, B, [50, 45]);
    const prune = new PruneScanHistoryHandler(store, { now: () => NOW }, { days: 30, keepLatest: 2 });

    await expect(prune.execute()).resolves.toBe(3);
    const left = store.scans.map((s) => [s.connectorId === A ? 'A' : 'B', s.sequence]).sort();
    expect(left).toEqual([
      ['A', 4],
      ['A', 5],
      ['B', 1],
      ['B', 2],
    ]);
    await expect(prune.execute()).resolves.toBe(0);
  });

  it('refuses a retention that would delete every scan of a connector', () => {
    const store = new InMemoryInventoryStore();
    expect(() => new PruneScanHistoryHandler(store, { now: () => NOW }, { days: 30, keepLatest: 0 })).toThrow(
      /retention is invalid/,
    );
  });
});
