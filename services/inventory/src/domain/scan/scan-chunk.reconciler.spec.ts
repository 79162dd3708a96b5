import fc from 'fast-check';
import type { ObservedAsset, Sighting, TrackedAsset } from '../asset/asset.entity';
import { observedAsset, trackedAsset } from '../testing-fixtures';
import { reconcileChunk } from './scan-chunk.reconciler';

const sighting: Sighting = {
  connectorId: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
  scanId: '22222222-2222-4222-8222-222222222222',
  seenAt: new Date('2025-11-22T08:00:00Z'),
};

function stored(...assets: TrackedAsset[]): Map<string, TrackedAsset> {
  return new Map(assets.map((a) => [a.assetId, a]));
}

describe('reconcileChunk', () => {
  it('discovers assets it has never seen, stamping first and last sighting', () => {
    const plan = reconcileChunk([observedAsset(1), observedAsset(2)], new Map(), sighting);
    expect(plan.counts).toMatchObject({ discovered: 2, updated: 0, unchanged: 0, removed: 0 });
    expect(plan.discovered[0]).toMatchObject({
      discoveredAt: sighting.seenAt,
      lastSeenAt: sighting.seenAt,
      lastSeenScanId: sighting.scanId,
      connectorId: sighting.connectorId,
      missedScans: 0,
    });
  });

  it('updates changed assets with their field changes, keeping when they were discovered', () => {
    const before = trackedAsset(observedAsset(1), { missedScans: 2 });
    const plan = reconcileChunk([observedAsset(1, { imageVersion: '2025.11.04' })], stored(before), sighting);
    expect(plan.updated).toHaveLength(1);
    expect(plan.updated[0]?.changes).toEqual([
      { field: 'imageVersion', from: '2025.10.14', to: '2025.11.04' },
    ]);
    expect(plan.updated[0]?.asset).toMatchObject({
      discoveredAt: before.discoveredAt,
      lastSeenAt: sighting.seenAt,
      missedScans: 0,
    });
  });

  it('only marks unchanged assets as seen', () => {
    const before = trackedAsset(observedAsset(1));
    const plan = reconcileChunk([observedAsset(1)], stored(before), sighting);
    expect(plan.unchangedIds).toEqual([before.assetId]);
    expect(plan.counts).toMatchObject({ unchanged: 1, discovered: 0, updated: 0 });
  });

  it('rewrites, without announcing, an unchanged asset now reported by another connector', () => {
    const before = trackedAsset(observedAsset(1), { connectorId: '99999999-9999-4999-8999-999999999999' });
    const plan = reconcileChunk([observedAsset(1)], stored(before), sighting);
    expect(plan.refreshed.map((a) => a.connectorId)).toEqual([sighting.connectorId]);
    expect(plan.counts.unchanged).toBe(1);
  });

  it('rewrites, without announcing, an unchanged asset whose stored fingerprint is stale', () => {
    const before = trackedAsset(observedAsset(1), { fingerprint: 'v0:stale' });
    const plan = reconcileChunk([observedAsset(1)], stored(before), sighting);
    expect(plan.refreshed).toHaveLength(1);
    expect(plan.refreshed[0]?.fingerprint).toMatch(/^v1:/);
    expect(plan.counts).toMatchObject({ unchanged: 1, updated: 0 });
  });

  it('removes a tracked asset its provider reports terminated, and ignores untracked terminated ones', () => {
    const before = trackedAsset(observedAsset(1));
    const plan = reconcileChunk(
      [observedAsset(1, { state: 'terminated' }), observedAsset(2, { state: 'terminated' })],
      stored(before),
      sighting,
    );
    expect(plan.terminated).toHaveLength(1);
    expect(plan.terminated[0]).toMatchObject({
      state: 'terminated',
      removedAt: sighting.seenAt,
      removalReason: 'terminated',
    });
    expect(plan.counts).toMatchObject({ removed: 1, ignored: 1, discovered: 0 });
  });

  it('ignores a removed asset still reported terminated, and rediscovers one that came back', () => {
    const gone = trackedAsset(observedAsset(1), {
      removedAt: new Date('2025-11-21T09:00:00Z'),
      removalReason: 'terminated',
    });
    expect(
      reconcileChunk([observedAsset(1, { state: 'terminated' })], stored(gone), sighting).counts.ignored,
    ).toBe(1);
    const back = reconcileChunk([observedAsset(1)], stored(gone), sighting);
    expect(back.discovered[0]).toMatchObject({
      removedAt: null,
      removalReason: null,
      discoveredAt: sighting.seenAt,
    });
  });

  it('counts an asset once per scan: the first record wins, in this chunk or an earlier one', () => {
    const plan = reconcileChunk(
      [observedAsset(1), observedAsset(1, { state: 'stopped' })],
      new Map(),
      sighting,
    );
    expect(plan.counts).toMatchObject({ discovered: 1, duplicates: 1 });
    expect(plan.discovered[0]?.state).toBe('running');
    const earlier = trackedAsset(observedAsset(2), { lastSeenScanId: sighting.scanId });
    expect(
      reconcileChunk([observedAsset(2, { state: 'stopped' })], stored(earlier), sighting).counts.duplicates,
    ).toBe(1);
  });

  it('finds nothing to do when a scan is reconciled against its own result', () => {
    const assetArb = fc.record({
      n: fc.integer({ min: 0, max: 20 }),
      state: fc.constantFrom('running' as const, 'stopped' as const, 'terminated' as const),
      version: fc.constantFrom('1.0', '1.1'),
    });
    fc.assert(
      fc.property(fc.array(assetArb, { maxLength: 30 }), (specs) => {
        const observed: ObservedAsset[] = specs.map((s) =>
          observedAsset(s.n, { state: s.state, imageVersion: s.version }),
        );
        const first = reconcileChunk(observed, new Map(), sighting);
        const after = stored(...first.discovered, ...first.updated.map((u) => u.asset), ...first.terminated);
        const nextScan = { ...sighting, scanId: '33333333-3333-4333-8333-333333333333' };
        const second = reconcileChunk(observed, after, nextScan);
        return (
          second.discovered.length === 0 && second.updated.length === 0 && second.terminated.length === 0
        );
      }),
    );
  });
});
